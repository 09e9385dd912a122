"""Reminder e-mails for cron: contracts waiting too long for confirmation, goals without follow-up.

Each reminder is recorded (`Reminder`, unique per recipient, kind and key) before it is sent, so a
second run never sends it again. The key names exactly what the reminder is about (a version, or a
goal's latest activity date), so a new reason gives a new reminder.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from conversations.models import ContractVersion, Conversation, FollowUp, Reminder, Status
from conversations.notify import waiting
from conversations.notify.notifications import link_to, queue_email
from goals.models import Goal

FOLLOW_UP_PERIOD_DAYS = 90


def _record_once(*, conversation, recipient, kind: str, key: str) -> Reminder | None:
    """Record the reminder; None if it was sent before."""
    try:
        with transaction.atomic():
            return Reminder.objects.create(conversation=conversation, recipient=recipient, kind=kind, key=key)
    except IntegrityError:
        return None


def _send(reminder: Reminder, recipient, subject: str, body: str, anchor: str) -> None:
    """Write the reminder's e-mail to the outbox (sent by the worker, retried, never twice), with the
    link to the place on the conversation's page where it is done."""
    link = link_to(reminder.conversation_id, anchor)
    body = body if link in body else f"{body}\n\n{link}"
    queue_email(
        event_key=f"reminder:{reminder.pk}", recipient=recipient, subject=subject, body=body, link=link
    )


@transaction.atomic  # a reminder is recorded together with its e-mail, or not at all
def remind_awaiting_confirmation(now: datetime.datetime) -> int:
    cutoff = now - datetime.timedelta(days=settings.SAMTALE_REMINDER_AFTER_DAYS)
    latest = ContractVersion.objects.filter(conversation=OuterRef("pk")).order_by("-number")
    waiting = (
        Conversation.objects.filter(status=Status.AWAITING_CONFIRMATION, employee__is_active=True)
        .annotate(
            version=Subquery(latest.values("number")[:1]),
            submitted=Subquery(latest.values("submitted_at")[:1]),
        )
        .filter(submitted__lt=cutoff)
        .select_related("employee")
    )
    sent = 0
    for conversation in waiting:
        key = f"{conversation.pk}:v{conversation.version}"
        employee = conversation.employee
        reminder = _record_once(
            conversation=conversation, recipient=employee, kind=Reminder.Kind.AWAITING_CONFIRMATION, key=key
        )
        if reminder is None:
            continue
        with translation.override(employee.language):
            _send(
                reminder,
                employee,
                _("Reminder: an agreement is waiting for your confirmation"),
                _("Your agreement (version %(version)s) has waited for your confirmation since %(date)s.")
                % {"version": conversation.version, "date": conversation.submitted.date().isoformat()},
                "respond",
            )
        sent += 1
    return sent


def _stale_goals(cutoff: datetime.datetime):
    """Goals of confirmed contracts whose latest follow-up on the goal (or the confirmation) is older
    than `cutoff`, with that date as `last_activity`."""
    last_on_goal = (
        FollowUp.objects.filter(goal=OuterRef("pk")).order_by("-created_at").values("created_at")[:1]
    )
    return (
        Goal.objects.filter(conversation__status=Status.CONFIRMED, conversation__leader__is_active=True)
        .annotate(last_activity=Coalesce(Subquery(last_on_goal), "conversation__confirmed_at"))
        .filter(last_activity__lt=cutoff)
        .select_related("conversation__leader", "conversation__employee")
        .order_by("conversation_id", "order", "id")
    )


@transaction.atomic
def remind_goals_without_follow_up(now: datetime.datetime) -> int:
    """One e-mail per conversation to its leader, naming the goals newly without follow-up for 90 days."""
    cutoff = now - datetime.timedelta(days=FOLLOW_UP_PERIOD_DAYS)
    due: dict[int, list] = defaultdict(list)
    first_reminder: dict[int, Reminder] = {}
    for goal in _stale_goals(cutoff):
        key = f"goal{goal.pk}:{goal.last_activity.date().isoformat()}"
        conversation = goal.conversation
        kind = Reminder.Kind.GOAL_WITHOUT_FOLLOW_UP
        reminder = _record_once(conversation=conversation, recipient=conversation.leader, kind=kind, key=key)
        if reminder is not None:
            due[conversation.pk].append(goal)
            first_reminder.setdefault(conversation.pk, reminder)
    for conversation_id, goals in due.items():
        conversation = goals[0].conversation
        with translation.override(conversation.leader.language):
            _send(
                first_reminder[conversation_id],
                conversation.leader,
                _("Reminder: goals without follow-up for 90 days"),
                _("Goals of %(employee)s without follow-up for 90 days: %(goals)s.")
                % {"employee": conversation.employee.full_name, "goals": "; ".join(g.title for g in goals)},
                "follow-up",
            )
    return len(due)


def _check_in_key(conversation: Conversation, now: datetime.datetime) -> str | None:
    """What a check-in reminder is about: the conversation's latest activity and how many check-in
    intervals have passed since it (one reminder per interval), or None when none has passed."""
    last = max(filter(None, (conversation.last_follow_up, conversation.confirmed_at)), default=None)
    if last is None:
        return None
    days = conversation.cycle.check_in_days if conversation.cycle_id else waiting.DEFAULT_CHECK_IN_DAYS
    intervals = (now - last) // datetime.timedelta(days=days)
    return f"{conversation.pk}:{last.isoformat()}:{intervals}" if intervals >= 1 else None


@transaction.atomic  # a reminder is recorded together with its e-mail, or not at all
def remind_check_in(now: datetime.datetime) -> int:
    """Nudge both parties of a confirmed agreement with no follow-up for longer than its cycle's
    check-in interval, once per interval. Returns how many e-mails were sent."""
    last_follow_up = FollowUp.objects.filter(conversation=OuterRef("pk")).order_by("-created_at")
    conversations = (
        Conversation.objects.filter(status=Status.CONFIRMED)
        .annotate(last_follow_up=Subquery(last_follow_up.values("created_at")[:1]))
        .select_related("employee", "leader", "cycle")
    )
    sent = 0
    for conversation in conversations:
        key = _check_in_key(conversation, now)
        if key is None:
            continue
        for recipient in (conversation.leader, conversation.employee):
            kind = Reminder.Kind.CHECK_IN
            reminder = recipient.is_active and _record_once(
                conversation=conversation, recipient=recipient, kind=kind, key=key
            )
            if not reminder:
                continue
            _send_check_in(reminder, conversation, recipient)
            sent += 1
    return sent


def _send_check_in(reminder: Reminder, conversation: Conversation, recipient) -> None:
    other = conversation.employee if recipient.pk == conversation.leader_id else conversation.leader
    link = link_to(conversation.pk, "follow-up")
    with translation.override(recipient.language):
        _send(
            reminder,
            recipient,
            _("Time for a follow-up"),
            _(
                "It is a while since you and %(other)s last followed up your agreement. "
                "Are you on the right track?\n\n%(link)s"
            )
            % {"other": other.full_name, "link": link},
            "follow-up",
        )


def send_reminders(now: datetime.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {
        "awaiting_confirmation": remind_awaiting_confirmation(now),
        "goal_without_follow_up": remind_goals_without_follow_up(now),
        "check_in": remind_check_in(now),
    }
