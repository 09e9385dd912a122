"""E-mail through the outbox, against a real SMTP server on loopback that refuses, then accepts: the
e-mail arrives once, is tried again with backoff, and is shown to an operator when it finally fails."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from background import outbox, tasks
from background.models import OutgoingEmail
from conversations.contract import workflow
from conversations.notify import notifications
from tests import factories
from tests.background.smtp import smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    """Use the SMTP server; give it the number of refusals."""

    def start(refusals: int):
        server = smtp_server(refusals)
        handler, port = server.__enter__()
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
        started.append(server)
        return handler

    started: list = []
    yield start
    for server in started:
        server.__exit__(None, None, None)


def make_due(email: OutgoingEmail) -> None:
    """As if the backoff had passed."""
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())


def test_a_refused_email_is_sent_again_later_and_arrives_once(
    smtp, settings, django_capture_on_commit_callbacks
):
    settings.SAMTALE_EMAIL_RETRY_SECONDS = 30
    server = smtp(refusals=1)
    conversation = factories.make_conversation()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.conversation_submit(conversation_id=conversation.pk, actor=conversation.leader)

    email = OutgoingEmail.objects.get()
    assert (email.state, email.attempts, server.refused, server.received) == ("pending", 1, 1, [])
    assert "451" in email.last_error
    waited = (email.next_attempt_at - timezone.now()).total_seconds()
    assert 25 < waited <= 30  # the backoff

    call_command("requeue_stale_tasks")  # not yet due: nothing is sent
    assert server.received == []
    make_due(email)
    call_command("requeue_stale_tasks", older_than=0)
    call_command("requeue_stale_tasks", older_than=0)
    tasks.send_email.enqueue(email.pk)  # a duplicate task sends nothing

    email.refresh_from_db()
    assert (email.state, email.attempts) == ("sent", 2)
    assert len(server.received) == 1
    assert server.received[0].rcpt_tos == [conversation.employee.email]


def test_one_event_is_written_once(conversation, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.conversation_submit(conversation_id=conversation.pk, actor=conversation.leader)
        conversation.refresh_from_db()
        notifications.transition_happened(conversation, "submit")  # the same event told again
    assert OutgoingEmail.objects.count() == 1
    assert len(mailoutbox) == 1


def test_backoff_doubles_up_to_an_hour(settings):
    settings.SAMTALE_EMAIL_RETRY_SECONDS = 30
    assert [tasks.backoff(n).total_seconds() for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]


def test_an_email_refused_every_time_is_shown_to_an_operator(smtp, settings, capsys):
    settings.SAMTALE_EMAIL_MAX_ATTEMPTS = 3
    server = smtp(refusals=100)
    email = outbox.email_enqueue(event_key="test:1", to="a@example.test", subject="Hei", body="Tekst")
    tasks.schedule(email)
    for _attempt in range(2):
        make_due(email)
        outbox.enqueue_overdue(overdue_by=0)

    email.refresh_from_db()
    assert (email.state, email.attempts, server.refused) == ("failed", 3, 3)
    make_due(email)
    outbox.enqueue_overdue(overdue_by=0)
    assert server.refused == 3  # failed for good: not tried again by itself

    call_command("mail_outbox", "--failed")
    listed = capsys.readouterr().out
    assert "test:1" in listed and "a@example.test" in listed and "451" in listed

    server.refusals = 0
    call_command("mail_outbox", "--retry-failed")
    email.refresh_from_db()
    assert email.state == "sent" and len(server.received) == 1


def test_a_sending_abandoned_by_a_dead_worker_is_taken_over(settings, mailoutbox):
    settings.SAMTALE_TASK_STALE_AFTER = 60
    email = outbox.email_enqueue(event_key="test:2", to="b@example.test", subject="Hei", body="Tekst")
    claimed = timezone.now() - datetime.timedelta(seconds=30)
    OutgoingEmail.objects.filter(pk=email.pk).update(state="sending", claimed_at=claimed)
    assert tasks.send_email.call(email.pk) == "skipped"  # another worker may still be sending it

    OutgoingEmail.objects.filter(pk=email.pk).update(claimed_at=claimed - datetime.timedelta(seconds=60))
    assert tasks.send_email.call(email.pk) == "sent"
    assert len(mailoutbox) == 1


def test_no_address_no_email():
    assert outbox.email_enqueue(event_key="test:3", to="", subject="Hei", body="Tekst") is None
    assert not OutgoingEmail.objects.exists()


def test_the_admin_lists_failed_emails(admin_client):
    OutgoingEmail.objects.create(
        event_key="test:4",
        to="c@example.test",
        subject="Hei",
        body="x",
        state="failed",
        attempts=8,
        next_attempt_at=timezone.now(),
        last_error="SMTPDataError: 451",
    )
    response = admin_client.get("/admin/background/outgoingemail/?state__exact=failed")
    assert response.status_code == 200
    assert "c@example.test" in response.content.decode()
