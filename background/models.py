"""The e-mail outbox: one row per event that must be told by e-mail, sent by the worker."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """An e-mail written in the transaction of the change it tells about, sent later by a task.

    `event_key` names the event (e.g. "transition:12:7:submit"): unique, so one event is never
    written, and therefore never sent, twice."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        HELD = "held", _("Venter på den daglige samlemeldingen")
        DIGESTED = "digested", _("Sendt i en samlemelding")

    event_key = models.CharField(_("event"), max_length=200, unique=True)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    # For the daily digest: the recipient's language and the link straight to the thing.
    language = models.CharField(_("språk"), max_length=5, blank=True)
    link = models.CharField(_("lenke"), max_length=500, blank=True)
    # An iCalendar object sent with the e-mail as a text/calendar; method=REQUEST part.
    calendar = models.TextField(_("kalenderinvitasjon"), blank=True)
    digest = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("samlemelding"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.event_key} → {self.to} ({self.state})"
