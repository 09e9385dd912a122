"""Services of the e-mail outbox: write an e-mail for an event, make up for lost enqueues, retry
failed ones. The sending itself is the task in `background.tasks`."""

import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from background import tasks
from background.models import OutgoingEmail


def email_enqueue(*, event_key: str, to: str, subject: str, body: str) -> OutgoingEmail | None:
    """Write the e-mail telling about `event_key` and send it after commit, unless one was written
    for that event before (then nothing happens). Call it inside the transaction of the change it
    tells about: the e-mail exists if and only if the change does. None without an address."""
    if not to:
        return None
    email, created = OutgoingEmail.objects.get_or_create(
        event_key=event_key,
        defaults={"to": to, "subject": subject, "body": body, "next_attempt_at": timezone.now()},
    )
    if created:
        transaction.on_commit(partial(tasks.schedule, email))
    return email if created else None


def enqueue_overdue(*, overdue_by: int) -> int:
    """Enqueue every e-mail waiting longer than `overdue_by` seconds past its next attempt: its task
    was lost (the process died between commit and enqueue) or its backend cannot defer. A duplicate
    task is harmless: only one claims the e-mail. Returns how many were enqueued."""
    cutoff = timezone.now() - datetime.timedelta(seconds=overdue_by)
    overdue = OutgoingEmail.objects.filter(state=OutgoingEmail.State.PENDING, next_attempt_at__lte=cutoff)
    ids = list(overdue.values_list("pk", flat=True))
    for email_id in ids:
        tasks.send_email.enqueue(email_id)
    return len(ids)


def retry_failed(ids: list[int] | None = None) -> int:
    """Give failed e-mails (all, or those in `ids`) a new round of attempts, starting now."""
    failed = OutgoingEmail.objects.filter(state=OutgoingEmail.State.FAILED)
    if ids is not None:
        failed = failed.filter(pk__in=ids)
    retried = list(failed.values_list("pk", flat=True))
    failed.update(state=OutgoingEmail.State.PENDING, attempts=0, next_attempt_at=timezone.now())
    for email_id in retried:
        tasks.send_email.enqueue(email_id)
    return len(retried)


def prune_sent(*, older_than_days: int) -> int:
    """Delete e-mails sent more than `older_than_days` ago (they hold names and titles)."""
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    deleted, _ = OutgoingEmail.objects.filter(state=OutgoingEmail.State.SENT, sent_at__lt=cutoff).delete()
    return deleted
