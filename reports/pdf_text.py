"""User text for the PDF in a shape whose line breaking costs WeasyPrint linear time, whatever the text.

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
    pieces = boxes(with_soft_breaks(bounded_lines(str(value))))
    if len(pieces) <= 1:
        return mark_safe(escape_content("".join(pieces)))  # noqa: S308 - escaped for element content
    return mark_safe("".join(f"<span>{escape_content(piece)}</span>" for piece in pieces))  # noqa: S308
