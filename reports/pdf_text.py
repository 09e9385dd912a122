"""User text for the PDF in a shape whose line breaking costs WeasyPrint linear time, whatever the text;
the parties' free text broken into lines here (`pdf_lines`, below), which WeasyPrint then only places.

WeasyPrint (70) breaks a line by laying out, with Pango, the whole rest of the text box whenever the
first line's look-ahead window (about four times the line width in ems) holds no second break
opportunity, and again when it has to break a word that does not fit (`overflow-wrap`). A 5,000-character
word, or a text of 20-character words in a narrow table column, therefore costs time quadratic in its
length: about 1 s for one goal's measure, 9 s for alternating left-to-right and right-to-left letters.

Lines are the other cost (about a quarter of a millisecond each, however short), and a text of 2,500
one-letter lines is 45 pages. Three changes bound both, and every character of the text is still printed:

- a zero-width space (a break opportunity, invisible, and absent from the PDF's extracted text) after
  every `LONG_RUN` characters of a run that has no space; normal words are never that long, and combining
  marks stay with their letter;
- the text cut into inline boxes of at most about `BOX_LENGTH` characters, after a space or an inserted
  break, so that "the rest of the text box" is never more than that;
- runs of blank lines printed as one blank line, and the line breaks after the first `MAX_LINES` lines
  printed as a visible mark (`LINE_MARK`) in the flowing text instead of as new lines.

Every piece is escaped here for HTML element content (`&` and `<`, which is all text content needs: a
document of `&<>"'` repeated parses in a little over half the time); the result is safe markup for element
content only, never for an attribute value.
"""

import re
import unicodedata
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

SOFT_BREAK = "\u200b"  # ZERO WIDTH SPACE
ZERO_WIDTH_JOINER = "\u200d"
LONG_RUN = 30  # characters without a break opportunity before one is inserted
BOX_LENGTH = 500  # characters per inline box, at most (a longer run of spaces stays whole)
MAX_CLUSTER = 32  # combining marks that may follow one letter before a break may split them
MAX_LINES = 50  # lines of one text printed as lines; later line breaks become LINE_MARK
LINE_MARK = "\u21b5 "  # DOWNWARDS ARROW WITH CORNER LEFTWARDS (in the bundled font), then a break

BREAKS = " \t\n\r\f" + SOFT_BREAK
UNBROKEN_RUN = re.compile(f"[^{BREAKS}]{{{LONG_RUN + 1},}}")
BOX_PIECE = re.compile(f"[^{BREAKS}]*[{BREAKS}]*")
BLANK_LINES = re.compile(r"\n[^\S\n]*\n(?:[^\S\n]*\n)+")  # three or more line breaks, spaces between


def _extends_previous(previous: str, char: str) -> bool:
    """Whether `char` belongs to the same grapheme as `previous` (marks, joiners, selectors, modifiers)."""
    if previous == ZERO_WIDTH_JOINER or char == ZERO_WIDTH_JOINER:
        return True
    if unicodedata.category(char) in ("Mn", "Mc", "Me"):  # combining marks, variation selectors
        return True
    return "\U0001f3fb" <= char <= "\U0001f3ff" or "\U000e0020" <= char <= "\U000e007f"  # skin tones, tags


def _break_run(run: str) -> str:
    """`run` with a soft break after every `LONG_RUN` characters, not inside a grapheme (within reason)."""
    pieces, since_break, previous = [], 0, ""
    for char in run:
        if since_break >= LONG_RUN and (
            not _extends_previous(previous, char) or since_break >= LONG_RUN + MAX_CLUSTER
        ):
            pieces.append(SOFT_BREAK)
            since_break = 0
        pieces.append(char)
        since_break += 1
        previous = char
    return "".join(pieces)


def bounded_lines(text: str) -> str:
    """`text` with runs of blank lines made one, and its line breaks after the `MAX_LINES`th marked."""
    text = BLANK_LINES.sub("\n\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = text.split("\n")
    if len(lines) <= MAX_LINES:
        return text
    return "\n".join(lines[:MAX_LINES]) + LINE_MARK + LINE_MARK.join(lines[MAX_LINES:])


def with_soft_breaks(text: str) -> str:
    """`text` with a zero-width space inserted into every run of more than `LONG_RUN` unbroken characters."""
    return UNBROKEN_RUN.sub(lambda match: _break_run(match[0]), text)


def boxes(text: str) -> list[str]:
    """`text` cut after break opportunities into pieces of at most about `BOX_LENGTH` characters."""
    result, current = [], ""
    for piece in BOX_PIECE.findall(text):
        if current and len(current) + len(piece) > BOX_LENGTH:
            result.append(current)
            current = ""
        current += piece
    if current:
        result.append(current)
    return result


def escape_content(text: str) -> str:
    """`text` escaped for HTML element content: `&` and `<` (a `>` or a quote ends nothing there)."""
    return text.replace("&", "&amp;").replace("<", "&lt;")


def pdf_text(value) -> SafeString:
    """User text as escaped markup (for element content) whose line breaking costs linear time."""
    return _boxed(with_soft_breaks(bounded_lines(str(value))))


def _boxed(text: str) -> SafeString:
    pieces = boxes(text)
    if len(pieces) <= 1:
        return mark_safe(escape_content("".join(pieces)))  # noqa: S308 - escaped for element content
    return mark_safe("".join(f"<span>{escape_content(piece)}</span>" for piece in pieces))  # noqa: S308


# --- Free text pre-broken into lines ----------------------------------------------------------------------
#
# The parties' free text is printed in known measures (`static/reports/pdf.css`: 8 pt in the full width of
# the page, or half of it for the expectations side by side). Broken into lines here, by the font's advance
# widths and with a margin, and printed with `white-space: pre-line`, each line ends in a line break, and
# WeasyPrint lays out only that line to find it (it cuts the text at the next line break) instead of a
# window of four line widths in ems: a fifth to two fifths of the render's CPU for long texts (README). A
# line estimated too wide is still wrapped by WeasyPrint (one more line), so the estimate costs time when
# wrong, never text; tests/reports/test_pdf_cost.py checks the measures against the stylesheet. Keep
# MEASURES_PT, TEXT_SIZE_PT and TEXT_FONT in step with pdf.css.

TEXT_FONT = "fonts/DejaVuSans.ttf"  # under STATICFILES_DIRS[0]; the font of `.text` in pdf.css
TEXT_SIZE_PT = 8.0  # `.text { font-size }` in pdf.css
MM = 72 / 25.4
# Content widths: A4 less the page margins of 2 x 16 mm ("page": comments, follow-ups), less a cell's
# padding of 2 x 1.5 mm or the statement's 3 mm and border ("full"), half the table less the padding
# ("half": expectations); times 0.99 for kerning and rounding.
MEASURES_PT = {"page": 178 * MM * 0.99, "full": 174.4 * MM * 0.99, "half": 86 * MM * 0.99}
LABEL_EMS = 12.0  # kept free on the first line of a text printed after a label ("Målbeskrivelse:")
LINE_CHARS = BOX_LENGTH  # characters per line, at most: far more than fit (but marks take no width)
LINE_BREAKS = " \t" + SOFT_BREAK  # where the text may break (the others are added by `with_soft_breaks`)
LINE_PIECE = re.compile(f"[^{LINE_BREAKS}]*[{LINE_BREAKS}]*")


@cache
def _advances() -> dict[int, float]:
    """The text font's advance widths in ems, by code point."""
    from fontTools.ttLib import TTFont  # WeasyPrint's dependency; loaded once per process

    font = TTFont(Path(settings.STATICFILES_DIRS[0]) / TEXT_FONT, lazy=True)
    metrics, units = font["hmtx"].metrics, font["head"].unitsPerEm
    return {
        # Format characters (soft hyphens, zero-width spaces, bidi controls) are not printed.
        code: 0.0 if unicodedata.category(chr(code)) == "Cf" else metrics[glyph][0] / units
        for code, glyph in font.getBestCmap().items()
    }


def _width_ems(text: str) -> float | None:
    """The width of `text` in the text font, in ems; None if the font lacks one of its characters."""
    advances = _advances()
    width = 0.0
    for char in text:
        advance = advances.get(ord(char))
        if advance is None:
            if unicodedata.category(char) not in ("Mn", "Me", "Cf"):
                return None  # printed in another font, or as a box: its width is not known here
            advance = 0.0
        width += advance
    return width


def broken_lines(text: str, measure_ems: float, first_line_ems: float | None = None) -> list[str] | None:
    """`text` (soft breaks already inserted) as lines at most `measure_ems` wide and `LINE_CHARS` long,
    broken greedily at spaces and soft breaks; the first line at most `first_line_ems`. Every character
    is kept. None if the font lacks a character of it (its width is not known)."""
    lines, limit = [], measure_ems if first_line_ems is None else first_line_ems
    for paragraph in text.split("\n"):
        line, width = "", 0.0
        for piece in LINE_PIECE.findall(paragraph):
            piece_width = _width_ems(piece)
            if piece_width is None:
                return None
            word_width = piece_width - _width_ems(piece[len(piece.rstrip(LINE_BREAKS)) :])
            if line and (width + word_width > limit or len(line) + len(piece) > LINE_CHARS):
                lines.append(line)
                line, width, limit = "", 0.0, measure_ems
            line += piece
            width += piece_width
        lines.append(line)
        limit = measure_ems
    return lines


def pdf_lines(value, measure: str = "full", *, after_label: bool = False) -> SafeString:
    """User text for a `.text` paragraph of `measure` ("full" or "half"), as escaped lines."""
    measure_ems = MEASURES_PT[measure] / TEXT_SIZE_PT
    first_line_ems = measure_ems - LABEL_EMS if after_label else None
    text = with_soft_breaks(bounded_lines(str(value)))
    lines = broken_lines(text, measure_ems, first_line_ems)
    if lines is None:  # characters of other fonts: WeasyPrint breaks it, in boxes as any user text
        return _boxed(text)
    return mark_safe(escape_content("\n".join(lines)))  # noqa: S308 - escaped for element content
