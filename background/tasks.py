"""The outbox's task: send one e-mail, retried with backoff while the mail server fails.

At most one task sends a given e-mail at a time: it first claims the row (a conditional UPDATE), so a
task enqueued twice (a lost enqueue made up for by `requeue_stale_tasks`, a worker that died) sends
nothing the second time. A worker killed after the mail server accepted the e-mail but before the row
was marked sent leaves it "being sent": after `stale_after()` seconds it is sent again. That window is
the only way an e-mail can arrive twice.
"""

import datetime
import logging
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from background.models import OutgoingEmail

logger = logging.getLogger(__name__)

EMAIL_PRIORITY = 10  # before statistics and PDF archives, which nobody waits for in their inbox
MAX_BACKOFF_SECONDS = 60 * 60


def stale_after() -> int:
    """Seconds after which a task (or an e-mail) still marked as running is taken for abandoned by a
    worker that died, and run again."""
    return int(getattr(settings, "SAMTALE_TASK_STALE_AFTER", 900))


def max_attempts() -> int:
    return max(1, int(getattr(settings, "SAMTALE_EMAIL_MAX_ATTEMPTS", 8)))


def backoff(attempts: int) -> datetime.timedelta:
    """How long to wait after the `attempts`-th failure: the first delay, doubled each time, at most 1 h."""
    first = int(getattr(settings, "SAMTALE_EMAIL_RETRY_SECONDS", 30))
    return datetime.timedelta(seconds=min(MAX_BACKOFF_SECONDS, first * 2 ** (attempts - 1)))


@task(priority=EMAIL_PRIORITY)
def send_email(email_id: int) -> str:
    """Send the outbox's e-mail `email_id` if it is due and nobody else is sending it. Returns its state."""
    email = _claim(email_id)
    if email is None:
        return "skipped"
    try:
        _message(email).send()
    except Exception as error:  # any failure of the mail server: try again later
        _failed(email, error)
    else:
        _sent(email)
    return email.state


def _message(email: OutgoingEmail) -> EmailMultiAlternatives:
    """The e-mail as sent; an invitation goes with it as a text/calendar; method=REQUEST part, which
    calendar programs (Outlook, Gmail, Apple Calendar) offer to accept."""
    message = EmailMultiAlternatives(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to])
    if email.calendar:
        part = MIMEText(email.calendar, "calendar", "utf-8")
        part.set_param("method", "REQUEST")
        part.add_header("Content-Disposition", "attachment", filename="invitation.ics")
        message.attach(part)
    return message


def schedule(email: OutgoingEmail) -> None:
    """Enqueue the sending of `email` at its next attempt. A backend that cannot defer (the tests'
    immediate one) leaves a retry to `requeue_stale_tasks`, which enqueues every overdue e-mail."""
    if email.state != OutgoingEmail.State.PENDING:
        return
    if email.attempts == 0:
        send_email.enqueue(email.pk)
    elif send_email.get_backend().supports_defer:
        send_email.using(run_after=email.next_attempt_at).enqueue(email.pk)


def _claim(email_id: int) -> OutgoingEmail | None:
    now = timezone.now()
    abandoned = now - datetime.timedelta(seconds=stale_after())
    claimable = Q(state=OutgoingEmail.State.PENDING, next_attempt_at__lte=now) | Q(
        state=OutgoingEmail.State.SENDING, claimed_at__lt=abandoned
    )
    claimed = OutgoingEmail.objects.filter(claimable, pk=email_id).update(
        state=OutgoingEmail.State.SENDING, claimed_at=now
    )
    return OutgoingEmail.objects.get(pk=email_id) if claimed else None


def _sent(email: OutgoingEmail) -> None:
    email.attempts += 1
    email.state = OutgoingEmail.State.SENT
    email.sent_at = timezone.now()
    email.save(update_fields=["attempts", "state", "sent_at"])


def _failed(email: OutgoingEmail, error: Exception) -> None:
    email.attempts += 1
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    if email.attempts >= max_attempts():
        email.state = OutgoingEmail.State.FAILED
        logger.error("Could not send e-mail %s after %s attempts: %s", email.pk, email.attempts, error)
    else:
        email.state = OutgoingEmail.State.PENDING
        email.next_attempt_at = timezone.now() + backoff(email.attempts)
        logger.warning(
            "Could not send e-mail %s (attempt %s of %s), trying again at %s: %s",
            email.pk,
            email.attempts,
            max_attempts(),
            email.next_attempt_at.isoformat(),
            error,
        )
    email.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
    schedule(email)
