"""E-mail through a real SMTP server (aiosmtpd on loopback, Django's SMTP backend, the outbox's task):
proposals and their outcome, the daily digest for people who chose it, and the calendar invitation as
an iCalendar REQUEST to both parties, updated when the time changes."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from background.models import OutgoingEmail
from conversations import services
from goals import proposals
from goals.models import Goal
from tests.conversations.conftest import SITE, sent
from tests.factories import conversation_in

pytestmark = pytest.mark.django_db


def english(person):
    person.language = "en"
    person.save(update_fields=["language"])
    return person


def test_a_proposal_mails_the_leader_and_its_outcome_the_employee(smtp, django_capture_on_commit_callbacks):
    conversation = conversation_in("draft")
    leader, employee = conversation.leader, english(conversation.employee)
    with django_capture_on_commit_callbacks(execute=True):
        proposal = proposals.proposal_create(
            conversation=conversation, actor=employee, kind="task", title="Rydde arkivet"
        )
    [(to, subject, body)] = sent(smtp)
    assert (to, subject) == (leader.email, f"{employee.full_name} foreslår et punkt til avtalen")
    assert f"{SITE}/samtaler/{conversation.pk}/#proposal-{proposal.pk}" in body and "Rydde arkivet" in body
    with django_capture_on_commit_callbacks(execute=True):
        proposals.proposal_decline(proposal=proposal, actor=leader, reason="Ikke i år")
    to, subject, body = sent(smtp)[1]
    assert (to, subject) == (employee.email, f"{leader.full_name} declined your proposal")
    assert "Ikke i år" in body and f"#proposal-{proposal.pk}" in body


def test_someone_who_chose_the_digest_gets_one_e_mail_a_day_listing_each_thing(
    smtp, django_capture_on_commit_callbacks
):
    conversation = conversation_in("confirmed")
    leader, employee = conversation.leader, english(conversation.employee)
    services.email_digest_set(person=employee, digest=True)
    goal = Goal.objects.get(conversation=conversation)
    with django_capture_on_commit_callbacks(execute=True):
        question = services.follow_up_create(
            conversation=conversation, actor=leader, text="Hvordan går det?", kind="question", goal=goal
        )
        marked = services.follow_up_create(
            conversation=conversation, actor=leader, text="Frist i fare", item_status="at_risk", goal=goal
        )
    assert smtp.messages == []  # held for the digest
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    [(to, subject, body)] = sent(smtp)
    assert to == employee.email and subject == "Samtale: 2 things wait on you"
    assert body.startswith("This has happened in your conversations since the last digest:")
    link = f"{SITE}/samtaler/{conversation.pk}/#follow-up-{question.pk}"
    assert f"- {leader.full_name} asks: are we on the right track?\n  {link}" in body
    assert f"{SITE}/samtaler/{conversation.pk}/#follow-up-{marked.pk}" in body
    # The next run has nothing new to tell; the leader, who did not choose the digest, got hers at once.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(smtp.messages) == 1
    told = OutgoingEmail.objects.filter(to=employee.email, event_key__startswith="follow-up:")
    [digest] = OutgoingEmail.objects.filter(to=employee.email, event_key__startswith="digest:")
    assert [(e.state, e.digest_id) for e in told] == [("digested", digest.pk)] * 2 and digest.state == "sent"


def test_one_e_mail_per_thing_without_the_digest(smtp, django_capture_on_commit_callbacks):
    conversation = conversation_in("confirmed")
    leader, employee = conversation.leader, conversation.employee
    with django_capture_on_commit_callbacks(execute=True):
        services.follow_up_create(conversation=conversation, actor=leader, text="?", kind="question")
        services.follow_up_create(conversation=conversation, actor=leader, text="!", item_status="off_track")
        call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [to for to, _subject, _body in sent(smtp)] == [employee.email, employee.email]


def _invitation(message):
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    return part.get_content()


def _field(calendar: str, name: str) -> str:
    unfolded = calendar.replace("\r\n ", "")
    [line] = [line for line in unfolded.split("\r\n") if line.startswith(f"{name}:")]
    return line.split(":", 1)[1]


def test_the_calendar_invitation_is_a_request_to_both_parties_and_updated_when_the_time_changes(
    smtp, django_capture_on_commit_callbacks
):
    conversation = conversation_in("draft")
    leader, employee = conversation.leader, english(conversation.employee)
    services.email_digest_set(person=employee, digest=True)  # an invitation is never held for a digest
    first = timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_update(conversation=conversation, actor=leader, scheduled_at=first)
    received = {to[0]: message for to, message in smtp.messages}
    assert set(received) == {leader.email, employee.email}
    invitations = {to: _invitation(message) for to, message in received.items()}
    for calendar in invitations.values():
        assert _field(calendar, "METHOD") == "REQUEST"
        assert _field(calendar, "DTSTART") == first.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        assert employee.full_name in _field(calendar, "SUMMARY") and leader.full_name in _field(
            calendar, "SUMMARY"
        )
    assert _field(invitations[leader.email], "SUMMARY").startswith("Medarbeidersamtale: ")
    assert _field(invitations[employee.email], "SUMMARY").startswith(
        "Performance and development conversation: "
    )
    assert str(received[employee.email]["Subject"]).startswith("Invitation: ")
    uid, sequence = (
        _field(invitations[leader.email], "UID"),
        int(_field(invitations[leader.email], "SEQUENCE")),
    )

    later = first + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_update(
            conversation=conversation.__class__.objects.get(pk=conversation.pk),
            actor=leader,
            scheduled_at=later,
        )
    updates = [_invitation(message) for _to, message in smtp.messages[2:]]
    assert len(updates) == 2
    for calendar in updates:
        assert _field(calendar, "UID") == uid and int(_field(calendar, "SEQUENCE")) > sequence
        assert _field(calendar, "DTSTART") == later.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    # Changing something else sends no invitation.
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_update(
            conversation=conversation.__class__.objects.get(pk=conversation.pk),
            actor=leader,
            held_on=later.date(),
        )
    assert len(smtp.messages) == 4
