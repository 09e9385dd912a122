"""E-mail to the party who now has something to do.

Written to the outbox (`background.outbox`) in the transaction of the change, in the recipient's
language, and sent by the worker after commit: a slow or failing mail server never holds up or undoes a
change, a refused e-mail is tried again, and one event is never told twice.
"""

from django.utils import formats, translation
from django.utils.translation import gettext as _

from background.outbox import email_enqueue
from conversations.models import Conversation, DeputyGrant


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


def queue_email(*, event_key: str, recipient, subject: str, body: str) -> bool:
    """Write the e-mail for `event_key` to `recipient` to the outbox, unless that event was told
    before or the recipient has no address. True if written."""
    return email_enqueue(event_key=event_key, to=recipient.email, subject=subject, body=body) is not None


def transition_happened(conversation: Conversation, transition: str) -> None:
    """Tell the party who must now act. Call in the transition's transaction, after `revision` was
    raised: the revision names the event."""
    recipient = _recipient_for(conversation, transition)
    if not recipient:
        return
    with translation.override(recipient.language):
        subject = _subject(transition)
        body = _("%(subject)s: %(employee)s.\n\nOpen Samtale to see it.") % {
            "subject": subject,
            "employee": conversation.employee.full_name,
        }
    event_key = f"transition:{conversation.pk}:{conversation.revision}:{transition}"
    queue_email(event_key=event_key, recipient=recipient, subject=subject, body=body)


def _deputy_scope(grant: DeputyGrant) -> str:
    if grant.conversation_id is None:
        return _("all of %(leader)s's conversations") % {"leader": grant.leader.full_name}
    return _("the conversation with %(employee)s") % {"employee": grant.conversation.employee.full_name}


def deputy_granted(grant: DeputyGrant) -> None:
    """Tell the deputy, in their language, what they may now see and until when (call in the grant's
    transaction).

    Plain text: names are written as they are and never interpreted as markup."""
    grant = DeputyGrant.objects.select_related("leader", "deputy", "conversation__employee").get(pk=grant.pk)
    deputy = grant.deputy
    with translation.override(deputy.language):
        subject = _("You have been given access as a deputy")
        body = _(
            "%(leader)s has made you deputy for %(scope)s until %(until)s (inclusive).\n\n"
            "You can see and follow up the conversations in Samtale until then; the access ends by itself."
        ) % {
            "leader": grant.leader.full_name,
            "scope": _deputy_scope(grant),
            "until": formats.date_format(grant.until, "DATE_FORMAT"),
        }
    queue_email(event_key=f"deputy-granted:{grant.pk}", recipient=deputy, subject=subject, body=body)
