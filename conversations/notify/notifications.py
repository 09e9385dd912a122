"""E-mail to the party who now has something to do.

Written to the outbox (`background.outbox`) in the transaction of the change, in the recipient's
language, and sent by the worker after commit: a slow or failing mail server never holds up or undoes a
change, a refused e-mail is tried again, and one event is never told twice.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from background.outbox import email_enqueue
from conversations.models import Conversation, DeputyGrant, FollowUp
from conversations.notify import ics
from core import dates


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


def queue_email(*, event_key: str, recipient, subject: str, body: str, link: str = "") -> bool:
    """Write the e-mail for `event_key` to `recipient` to the outbox, unless that event was told
    before or the recipient has no address. True if written. For someone who chose the daily digest
    (`email_digest`) it is held for the digest, where `subject` and `link` make its line."""
    return (
        email_enqueue(
            event_key=event_key,
            to=recipient.email,
            subject=subject,
            body=body,
            link=link,
            language=recipient.language,
            for_digest=recipient.email_digest,
        )
        is not None
    )


def link_to(conversation_id: int, anchor: str = "") -> str:
    """The address of a conversation's page, at `anchor`, as a recipient opens it from an e-mail."""
    path = reverse("web:conversation", args=[conversation_id])
    return f"{settings.SAMTALE_SITE_URL}{path}" + (f"#{anchor}" if anchor else "")


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
    link = link_to(conversation.pk, "respond" if transition == "submit" else "contract")
    queue_email(
        event_key=event_key, recipient=recipient, subject=subject, body=f"{body}\n\n{link}", link=link
    )


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
            "until": dates.day(grant.until),
        }
    queue_email(event_key=f"deputy-granted:{grant.pk}", recipient=deputy, subject=subject, body=body)


def statement_added(statement) -> None:
    """Tell the leader, in their language, that the employee added a supplementary statement to the
    confirmed agreement, with a link to it (call in the statement's transaction)."""
    conversation = statement.conversation
    leader = conversation.leader
    if not leader.is_active:
        return
    link = link_to(conversation.pk, "statements")
    with translation.override(leader.language):
        subject = _("%(name)s added a supplementary statement to the agreement") % {
            "name": conversation.employee.full_name
        }
        body = f"{subject}:\n\n{statement.text}\n\n{link}"
    queue_email(
        event_key=f"statement:{statement.pk}", recipient=leader, subject=subject, body=body, link=link
    )


MAILED_KINDS = (FollowUp.Kind.QUESTION, FollowUp.Kind.ANSWER, FollowUp.Kind.NOT_KEPT)
MAILED_STATUSES = (FollowUp.ItemStatus.AT_RISK, FollowUp.ItemStatus.OFF_TRACK)


def follow_up_is_mailed(entry) -> bool:
    """Whether `entry` gives the other party something to do (`follow_up_added` tells them)."""
    return entry.kind in MAILED_KINDS or entry.item_status in MAILED_STATUSES


def _follow_up_recipient(entry):
    """Who now has something to do because of `entry`, or None: the party asked, the asker of an
    answered question, the party whose promise was marked not kept, the other party of an item marked
    at risk or off track."""
    conversation = entry.conversation
    by_employee = entry.author_id == conversation.employee_id
    other_party = conversation.leader if by_employee else conversation.employee
    if entry.kind == FollowUp.Kind.ANSWER:
        return entry.answers.author
    return other_party if follow_up_is_mailed(entry) else None


def _follow_up_subject(entry) -> str:
    if entry.kind == FollowUp.Kind.QUESTION:
        return _("%(name)s asks: are we on the right track?")
    if entry.kind == FollowUp.Kind.ANSWER:
        return _("%(name)s answered your question")
    if entry.kind == FollowUp.Kind.NOT_KEPT:
        return _("%(name)s marked an expectation as not kept")
    return _("%(name)s marked an item at risk or off track")


def follow_up_added(follow_up_id: int) -> None:
    """Tell the party who now has something to do about a follow-up entry (a question, an answer, a
    promise not kept, an item at risk or off track), in their language, with a link straight to it."""
    entry = (
        FollowUp.objects.select_related(
            "author", "conversation__employee", "conversation__leader", "answers__author"
        )
        .filter(pk=follow_up_id)
        .first()
    )
    recipient = entry and _follow_up_recipient(entry)
    if not recipient or not recipient.is_active or recipient.pk == entry.author_id:
        return
    link = link_to(entry.conversation_id, f"follow-up-{entry.pk}")
    with translation.override(recipient.language):
        subject = _follow_up_subject(entry) % {"name": entry.author.full_name}
        body = f"{subject}:\n\n{entry.text}\n\n{link}"
    queue_email(event_key=f"follow-up:{entry.pk}", recipient=recipient, subject=subject, body=body, link=link)


def meeting_scheduled(conversation: Conversation) -> None:
    """Send both parties the calendar invitation (an iCalendar REQUEST) for the conversation's time,
    each in their language; a later change of time sends the update (the same UID, a higher
    SEQUENCE). Call in the transaction that set the time, after `revision` was raised."""
    if conversation.scheduled_at is None:
        return
    domain = urlsplit(settings.SAMTALE_SITE_URL).hostname or "samtale"
    link = link_to(conversation.pk)
    for recipient in (conversation.leader, conversation.employee):
        if not recipient.is_active:
            continue
        with translation.override(recipient.language):
            calendar = ics.invitation(conversation, domain=domain, method="REQUEST")
            subject = _("Invitasjon: medarbeidersamtale %(when)s") % {
                "when": dates.moment(conversation.scheduled_at)
            }
            body = _("%(employee)s og %(leader)s møtes til medarbeidersamtale.") % {
                "employee": conversation.employee.full_name,
                "leader": conversation.leader.full_name,
            }
        email_enqueue(
            event_key=f"calendar:{conversation.pk}:{conversation.revision}:{recipient.pk}",
            to=recipient.email,
            subject=subject,
            body=f"{body}\n\n{link}",
            link=link,
            language=recipient.language,
            calendar=calendar,
        )
