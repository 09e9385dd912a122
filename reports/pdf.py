"""Rendering a conversation's PDF summary with WeasyPrint: template, restricted fetcher, PDF/A.

Nothing is ever fetched from the network or from the file system outside the project's static
directories: user text is escaped by the template, and even markup that slipped through could only
reach `data:` URLs and files under the static roots (`RestrictedURLFetcher`).
"""

import mimetypes
import zipfile
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from conversations.models import Conversation
from core import dates
from reports.selectors import ConversationPdfData, conversation_pdf_data

TEMPLATE = "reports/pdf/conversation.html"
LOG_CHANNEL = "pdf"  # the access log's channel of a PDF read (download, archive, export)
PDF_VARIANT = "pdf/a-3u"


class URLRefused(ValueError):
    """The PDF asked for something outside the project's static files; WeasyPrint skips it."""


def static_roots() -> tuple[Path, ...]:
    roots = [Path(d) for d in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return tuple(root.resolve() for root in roots)


def static_base_url() -> str:
    """Relative URLs in the PDF template resolve against the project's own static directory."""
    return Path(settings.STATICFILES_DIRS[0]).resolve().as_uri() + "/"


@lru_cache(maxsize=16)
def _read_static(path: Path, mtime_ns: int) -> bytes:
    # Keyed on the modification time, so fonts are read once per process but a changed file is seen.
    return path.read_bytes()


class RestrictedURLFetcher(URLFetcher):
    """Serves `data:` URLs and files inside the static roots; refuses everything else.

    Every request is kept in `requested`, every refusal in `refused`, so callers and tests can see
    what the document asked for.
    """

    def __init__(self):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        self.requested.append(url)
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        path = self._static_path(url) if scheme == "file" else None
        if path is None:
            self.refused.append(url)
            raise URLRefused(f"Not a static file of the project: {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        body = _read_static(path, path.stat().st_mtime_ns)
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    @staticmethod
    def _static_path(url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or parts.query:
            return None
        path = Path(url2pathname(parts.path)).resolve()
        inside = any(path.is_relative_to(root) for root in static_roots())
        return path if inside and path.is_file() else None


def css_string(text: str) -> str:
    """`text` as a CSS string literal that cannot close the string, the rule or the <style> element."""
    escaped = "".join(
        ch if ch.isalnum() and ch.isascii() or ch in " .,:-" else f"\\{ord(ch):06x}" for ch in text
    )
    return f'"{escaped}"'


def page_counter_css() -> str:
    """The translated "Page X of Y" as a CSS `content` value built on the page counters."""
    marker_page, marker_pages = "\x00page\x00", "\x00pages\x00"
    text = gettext("Page %(page)s of %(pages)s") % {"page": marker_page, "pages": marker_pages}
    pieces = []
    for chunk in text.split("\x00"):
        if chunk in ("page", "pages"):
            pieces.append(f"counter({chunk})")
        elif chunk:
            pieces.append(css_string(chunk))
    return " ".join(pieces)


def printed_css(printed_at) -> str:
    return css_string(gettext("Printed %(time)s") % {"time": dates.moment(printed_at)})


def pdf_filename(data: ConversationPdfData) -> str:
    name = slugify(data.employee.full_name) or "samtale"
    cycle = slugify(data.cycle)
    return (
        "-".join(
            part
            for part in ("samtale", data.employee.employee_id, name, cycle, str(data.conversation_id))
            if part
        )
        + ".pdf"
    )


def render_html(data: ConversationPdfData, *, printed_at) -> str:
    """The PDF's HTML in the active language."""
    context = {
        "data": data,
        "language_code": translation.get_language(),
        "page_counter_css": mark_safe(page_counter_css()),  # noqa: S308 - built by css_string
        "printed_css": mark_safe(printed_css(printed_at)),  # noqa: S308 - built by css_string
        "printed_at": printed_at,
    }
    return render_to_string(TEMPLATE, context)


def render_conversation_pdf(
    data: ConversationPdfData,
    *,
    language: str,
    printed_at=None,
    fetcher: RestrictedURLFetcher | None = None,
) -> bytes:
    """The PDF/A-3u summary of one conversation, in `language` ("nb", "nn" or "en")."""
    printed_at = printed_at or timezone.now()
    with translation.override(language):
        html = render_html(data, printed_at=printed_at)
    document = HTML(string=html, base_url=static_base_url(), url_fetcher=fetcher or RestrictedURLFetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def write_conversations_zip(
    target,
    conversations: Iterable[Conversation],
    *,
    language: str,
    after_each: Callable[[Conversation], None] | None = None,
    render: Callable[..., bytes] | None = None,
) -> int:
    """Write one PDF per conversation into a ZIP archive at `target` (a path or binary file object).

    `after_each` runs after each PDF is written (access logging, progress). `render(data, language=)`
    makes each PDF (e.g. `pdf_cache.conversation_pdf`); by default rendered now. Returns the number of
    PDFs.
    """
    count = 0
    printed_at = timezone.now()
    render = render or (
        lambda data, language: render_conversation_pdf(data, language=language, printed_at=printed_at)
    )
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for conversation in conversations:
            data = conversation_pdf_data(conversation)
            archive.writestr(pdf_filename(data), render(data, language=language))
            count += 1
            if after_each is not None:
                after_each(conversation)
    return count


def cycle_archive_filename(cycle, leader) -> str:
    """The file name of a leader's ZIP of a cycle's PDFs."""
    return f"samtale-{slugify(cycle.name) or cycle.pk}-{leader.employee_id}.zip"
