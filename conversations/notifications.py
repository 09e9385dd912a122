"""E-mail to the party who now has something to do. Runs after commit; a failure never undoes a change."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from conversations.models import Conversation

logger = logging.getLogger(__name__)


def _recipient_for(conversation: Conversation, transition: str):
    if transition == "submit":
        return conversation.employee
    if transition in ("confirm", "request_changes"):
        return conversation.leader
    return None


def _subject(transition: str) -> str:
    return {
        "submit": _("An agreement is waiting for your confirmation"),
        "confirm": _("The agreement has been confirmed"),
        "request_changes": _("Changes to the agreement have been requested"),
    }[transition]


def send_safely(*, recipient, subject: str, body: str) -> bool:
    """Send one e-mail; log and swallow any failure so the caller's work stands."""
    if not recipient.email:
        return False
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
    except Exception:  # a broken mail server must never turn a saved change into an error
        logger.exception("Could not send e-mail to %s", recipient.pk)
        return False
    return True


def transition_happened(conversation_id: int, transition: str) -> None:
    conversation = (
        Conversation.objects.select_related("employee", "leader").filter(pk=conversation_id).first()
    )
    recipient = conversation and _recipient_for(conversation, transition)
    if not recipient:
        return
    with translation.override(recipient.language):
        subject = _subject(transition)
        body = _("%(subject)s: %(employee)s.\n\nOpen Samtale to see it.") % {
            "subject": subject,
            "employee": conversation.employee.full_name,
        }
    send_safely(recipient=recipient, subject=subject, body=body)
