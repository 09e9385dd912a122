"""Conversation PDFs per content: the same contract, answers, follow-ups (everything the PDF is
rendered from) in the same language give the same file, rendered once.

The key hashes the rendered inputs, `ConversationPdfData` (a frozen dataclass of plain values: its
`repr` is its content), the language and a fingerprint of the renderer (the PDF templates, their
stylesheet, the message catalogues, this code and WeasyPrint's version), so a change to any of them
renders again whatever the template does. The file says when it was first printed.
"""

import hashlib
import logging
from functools import lru_cache
from pathlib import Path

import weasyprint
from django.conf import settings
from django.db import IntegrityError, transaction

from reports import pdf, pdf_text
from reports.models import RenderedPdf
from reports.selectors import ConversationPdfData

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def renderer_fingerprint() -> str:
    """What besides the data decides the file (read once per process: a deploy restarts it)."""
    digest = hashlib.sha256(f"{weasyprint.__version__}|{pdf.PDF_VARIANT}|{settings.TIME_ZONE}".encode())
    base = Path(settings.BASE_DIR)
    files = [
        *sorted((base / "templates" / "reports" / "pdf").glob("*")),
        *sorted((base / "static" / "reports").glob("*")),
        *sorted((base / "locale").glob("*/LC_MESSAGES/django.mo")),
        Path(pdf.__file__),
        Path(pdf_text.__file__),
        Path(__file__),
    ]
    for path in files:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def content_key(data: ConversationPdfData, language: str) -> str:
    text = "\0".join((renderer_fingerprint(), language, repr(data)))
    return hashlib.sha256(text.encode()).hexdigest()


def conversation_pdf(data: ConversationPdfData, *, language: str) -> bytes:
    """The PDF of `data` in `language`: the stored one if this content was rendered before."""
    key = content_key(data, language)
    stored = RenderedPdf.objects.filter(key=key).values_list("body", flat=True).first()
    if stored is not None:
        return bytes(stored)
    body = pdf.render_conversation_pdf(data, language=language)
    _store(data.conversation_id, language, key, body)
    return body


def _store(conversation_id: int, language: str, key: str, body: bytes) -> None:
    """Keep `body` as the conversation's PDF in `language`, replacing the earlier content's."""
    try:
        with transaction.atomic():
            RenderedPdf.objects.filter(conversation_id=conversation_id, language=language).delete()
            RenderedPdf.objects.create(conversation_id=conversation_id, language=language, key=key, body=body)
    except IntegrityError:
        logger.info("PDF %s was stored by another request meanwhile", key[:12])
