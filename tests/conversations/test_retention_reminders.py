"""Retention deletes exactly the expired conversations; reminders go once, to the right person."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from conversations import services
from conversations.models import (
    AccessLogEntry,
    Comment,
    ContractVersion,
    Conversation,
    FollowUp,
    HistoryEntry,
    Reminder,
    Status,
)
from conversations.notify.reminders import send_reminders
from conversations.privacy import retention
from goals.models import Goal
from tests import factories
from tests.factories import conversation_in
from tests.workflow import close, confirm, submit

pytestmark = pytest.mark.django_db


def _confirmed(leader=None, employee=None):
    return conversation_in(Status.CONFIRMED, leader=leader, employee=employee)


def _closed(closed_days_ago: int, **kwargs):
    conversation = _confirmed(**kwargs)
    services.follow_up_create(conversation=conversation, actor=conversation.employee, text="Fint")
    services.access_log_record(conversation=conversation, user=conversation.leader, channel="web")
    close(conversation)
    Conversation.objects.filter(pk=conversation.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=closed_days_ago)
    )
    conversation.refresh_from_db()
    return conversation


@override_settings(SAMTALE_RETENTION_YEARS_AFTER_CLOSING=5, SAMTALE_RETENTION_YEARS_AFTER_LEAVING=2)
def test_retention_deletes_what_is_expired_and_nothing_else():
    old = _closed(closed_days_ago=5 * 366)
    recent = _closed(closed_days_ago=30)
    left = _closed(closed_days_ago=400)
    open_of_leaver = _confirmed(leader=left.leader, employee=left.employee)
    left.employee.is_active = False
    left.employee.left_on = timezone.localdate() - datetime.timedelta(days=3 * 366)
    left.employee.save()
    recently_left = _closed(closed_days_ago=400)
    recently_left.employee.is_active = False
    recently_left.employee.left_on = timezone.localdate() - datetime.timedelta(days=100)
    recently_left.employee.save()

    dry = retention.apply_retention(dry_run=True)
    assert dry.conversations == sorted([old.pk, left.pk])
    assert Conversation.objects.count() == 5

    result = retention.apply_retention()
    assert result.conversations == sorted([old.pk, left.pk])
    remaining = set(Conversation.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, recently_left.pk, open_of_leaver.pk}
    for model in (ContractVersion, Comment, FollowUp, HistoryEntry, AccessLogEntry, Goal):
        assert not model.objects.filter(conversation__in=[old.pk, left.pk]).exists()
    assert result.deleted["conversations.ContractVersion"] == 2
    assert FollowUp.objects.filter(conversation=recent).count() == 1


def test_apply_retention_command_dry_run_changes_nothing(capsys):
    old = _closed(closed_days_ago=10 * 366)
    call_command("apply_retention", "--dry-run")
    assert "Would delete 1 conversation(s)." in capsys.readouterr().out
    assert Conversation.objects.filter(pk=old.pk).exists()
    call_command("apply_retention")
    assert "Deleted 1 conversation(s)." in capsys.readouterr().out
    assert not Conversation.objects.filter(pk=old.pk).exists()


@override_settings(SAMTALE_REMINDER_AFTER_DAYS=7)
def test_awaiting_reminder_is_sent_once_in_the_employees_language(django_capture_on_commit_callbacks):
    conversation = factories.make_conversation()
    conversation.employee.language = "en"
    conversation.employee.save()
    submit(conversation)
    mail.outbox.clear()

    assert send_reminders(now=timezone.now() + datetime.timedelta(days=3))["awaiting_confirmation"] == 0
    later = timezone.now() + datetime.timedelta(days=8)
    with django_capture_on_commit_callbacks(execute=True):  # the outbox's e-mails are sent after commit
        assert send_reminders(now=later)["awaiting_confirmation"] == 1
        assert send_reminders(now=later)["awaiting_confirmation"] == 0
    assert [m.to for m in mail.outbox] == [[conversation.employee.email]]
    assert "waiting for your confirmation" in mail.outbox[0].subject


def test_goal_reminder_after_90_days_without_follow_up_goes_to_the_leader_once(
    django_capture_on_commit_callbacks,
):
    conversation = _confirmed()
    goal = conversation.goals.get()
    mail.outbox.clear()
    assert send_reminders(now=timezone.now() + datetime.timedelta(days=60))["goal_without_follow_up"] == 0
    later = timezone.now() + datetime.timedelta(days=91)
    with django_capture_on_commit_callbacks(execute=True):  # the outbox's e-mails are sent after commit
        assert send_reminders(now=later)["goal_without_follow_up"] == 1
        assert send_reminders(now=later)["goal_without_follow_up"] == 0
    # At 90 days the check-in reminder (issue 15) goes to both parties as well; this is the goal one.
    goal_mails = [
        m for m in mail.outbox if "goals without follow-up" in m.subject.lower() or "mål" in m.subject
    ]
    assert [m.to for m in goal_mails] == [[conversation.leader.email]]
    assert goal.title in goal_mails[0].body
    assert Reminder.objects.filter(kind=Reminder.Kind.GOAL_WITHOUT_FOLLOW_UP).count() == 1

    services.follow_up_create(
        conversation=conversation, actor=conversation.employee, text="Godt i gang", goal=goal
    )
    assert send_reminders(now=later)["goal_without_follow_up"] == 0


def test_no_reminders_for_finished_or_unconfirmed_conversations():
    closed = _closed(closed_days_ago=200)
    draft = factories.make_conversation()
    assert closed.status == Status.CLOSED and draft.status == Status.DRAFT
    assert send_reminders(now=timezone.now() + datetime.timedelta(days=365)) == {
        "awaiting_confirmation": 0,
        "goal_without_follow_up": 0,
        "check_in": 0,
    }


# --- the rhythm: check-in reminders (issue 15) ------------------------------------------------------------


def _check_in_mails():
    return [m for m in mail.outbox if m.subject in ("Tid for oppfølging", "Time for a follow-up")]


@override_settings(SAMTALE_SITE_URL="https://samtale.example.no")
def test_check_in_reminder_nudges_both_parties_once_per_interval():
    start = timezone.now()
    cycle = factories.CycleFactory(check_in_days=30)
    with time_machine.travel(start, tick=False):
        conversation = factories.make_conversation(cycle=cycle)
        conversation.employee.language = "en"
        conversation.employee.save()
        confirm(conversation)
    mail.outbox.clear()

    def at(days):
        with time_machine.travel(start + datetime.timedelta(days=days), tick=False):
            with TestCase.captureOnCommitCallbacks(execute=True):  # the outbox sends after commit
                return send_reminders()["check_in"]

    assert at(29) == 0
    assert at(31) == 2 and at(31) == 0 and at(45) == 0
    leader_mail, employee_mail = sorted(_check_in_mails(), key=lambda m: m.to != [conversation.leader.email])
    assert leader_mail.subject == "Tid for oppfølging" and conversation.employee.full_name in leader_mail.body
    assert (
        employee_mail.subject == "Time for a follow-up"
        and conversation.leader.full_name in employee_mail.body
    )
    assert f"https://samtale.example.no/samtaler/{conversation.pk}/#follow-up" in employee_mail.body
    assert at(61) == 2  # the next interval
    with time_machine.travel(start + datetime.timedelta(days=62), tick=False):
        services.follow_up_create(conversation=conversation, actor=conversation.employee, text="Status")
    assert at(80) == 0 and at(91) == 0 and at(93) == 2
    assert len(_check_in_mails()) == 6


def test_check_in_interval_defaults_to_90_days_and_spares_finished_conversations():
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        conversation = factories.make_conversation()
        confirm(conversation)
    with time_machine.travel(start + datetime.timedelta(days=89), tick=False):
        assert send_reminders()["check_in"] == 0
    close(conversation)
    with time_machine.travel(start + datetime.timedelta(days=91), tick=False):
        assert send_reminders()["check_in"] == 0
