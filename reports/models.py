"""Rendered conversation PDFs, kept per content so that a repeated download costs no render."""

from django.conf import settings
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


class PdfArchive(models.Model):
    """A ZIP of every PDF of one cycle's conversations that a leader holds, built by a task.

    The file is given only to the leader who asked, and only while they may still see every
    conversation in it (`conversation_ids`)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        RUNNING = "running", _("Lages")
        READY = "ready", _("Klar")
        FAILED = "failed", _("Feilet")

    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey("conversations.Cycle", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("PDFs in all"), default=0)
    done = models.PositiveIntegerField(_("PDFs made"), default=0)
    conversation_ids = models.JSONField(_("conversations"), default=list)
    body = models.BinaryField(_("ZIP"), null=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True)

    class Meta:
        verbose_name = _("PDF archive")
        verbose_name_plural = _("PDF archives")
        indexes = [models.Index(fields=["leader", "cycle"], name="pdf_archive_leader_cycle_idx")]

    def __str__(self) -> str:
        return f"PDF archive {self.pk} ({self.status})"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
