"""Rendered conversation PDFs, kept per content so that a repeated download costs no render."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RenderedPdf(models.Model):
    """A conversation's PDF as rendered for one content and language (`key`, see `reports.pdf_cache`).

    Deleted with its conversation (retention); only the newest per conversation and language is kept."""

    conversation = models.ForeignKey(
        "conversations.Conversation", on_delete=models.CASCADE, related_name="rendered_pdfs"
    )
    language = models.CharField(_("language"), max_length=8)
    key = models.CharField(_("content key"), max_length=64, unique=True)
    body = models.BinaryField(_("PDF"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("rendered PDF")
        verbose_name_plural = _("rendered PDFs")
        indexes = [models.Index(fields=["conversation", "language"], name="rendered_pdf_conv_lang_idx")]

    def __str__(self) -> str:
        return f"PDF {self.conversation_id} ({self.language})"
