"""Services of the e-mail outbox: write an e-mail for an event, make up for lost enqueues, retry
failed ones. The sending itself is the task in `background.tasks`."""

import datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from background import tasks
from background.models import OutgoingEmail


def email_enqueue(
    *,
    event_key: str,
    to: str,
    subject: str,
    body: str,
    link: str = "",
    language: str = "",
    calendar: str = "",
    for_digest: bool = False,
) -> OutgoingEmail | None:
    """Write the e-mail telling about `event_key` and send it after commit, unless one was written
    for that event before (then nothing happens). Call it inside the transaction of the change it
    tells about: the e-mail exists if and only if the change does. None without an address.

    `for_digest`: hold it for the recipient's daily digest (`send_digests`) instead of sending it;
    its subject and `link` are then a line of the digest, written in `language`. `calendar`: an
    iCalendar object sent with it (never held: an invitation must reach the calendar on its own)."""
    if not to:
        return None
    held = for_digest and not calendar
    email, created = OutgoingEmail.objects.get_or_create(
        event_key=event_key,
        defaults={
            "to": to,
            "subject": subject,
            "body": body,
            "link": link,
            "language": language,
            "calendar": calendar,
            "state": OutgoingEmail.State.HELD if held else OutgoingEmail.State.PENDING,
            "next_attempt_at": timezone.now(),
        },
    )
    if created and not held:
        transaction.on_commit(partial(tasks.schedule, email))
    return email if created else None


@transaction.atomic
def send_digests() -> int:
    """Gather every e-mail held for a digest into one e-mail per recipient, listing each thing with
    its link, in the recipient's language, and send it after commit. Meant to run once a day (cron).
    Returns how many digests were written. Rows are locked, so two runs at once write each line once."""
    held = list(
        OutgoingEmail.objects.select_for_update()
        .filter(state=OutgoingEmail.State.HELD)
        .order_by("to", "created_at", "pk")
    )
    by_recipient: dict[str, list[OutgoingEmail]] = {}
    for email in held:
        by_recipient.setdefault(email.to, []).append(email)
    for to, emails in by_recipient.items():
        subject, body = _digest_text(emails)
        digest = email_enqueue(event_key=f"digest:{to}:{emails[-1].pk}", to=to, subject=subject, body=body)
        OutgoingEmail.objects.filter(pk__in=[e.pk for e in emails]).update(
            state=OutgoingEmail.State.DIGESTED, digest=digest, sent_at=timezone.now()
        )
    return len(by_recipient)


def _digest_text(emails: list[OutgoingEmail]) -> tuple[str, str]:
    with translation.override(emails[-1].language or settings.LANGUAGE_CODE):
        subject = ngettext(
            "Samtale: %(count)d ting venter på deg",
            "Samtale: %(count)d ting venter på deg",
            len(emails),
        ) % {"count": len(emails)}
        intro = _("Dette har skjedd i samtalene dine siden forrige samlemelding:")
    lines = [f"- {email.subject}" + (f"\n  {email.link}" if email.link else "") for email in emails]
    return subject, "\n\n".join([intro, *lines])


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
