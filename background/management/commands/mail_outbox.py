"""`python manage.py mail_outbox`: the e-mail outbox for operators."""

from django.core.management.base import BaseCommand

from background import outbox
from background.models import OutgoingEmail


class Command(BaseCommand):
    help = (
        "List the e-mail outbox: by default the e-mails not yet sent; --failed only those that failed "
        "every attempt (with their last error). --retry-failed gives failed e-mails a new round of "
        "attempts (all, or the ids given); --prune-sent DAYS deletes e-mails sent longer ago."
    )

    def add_arguments(self, parser):
        parser.add_argument("--failed", action="store_true", help="Only the e-mails that failed for good.")
        parser.add_argument("--retry-failed", nargs="*", type=int, metavar="ID", help="Send them again.")
        parser.add_argument("--prune-sent", type=int, metavar="DAYS", help="Delete sent e-mails older.")

    def handle(self, *args, failed=False, retry_failed=None, prune_sent=None, **options):
        if retry_failed is not None:
            count = outbox.retry_failed(retry_failed or None)
            self.stdout.write(f"{count} failed e-mail(s) enqueued again.")
            return
        if prune_sent is not None:
            self.stdout.write(f"{outbox.prune_sent(older_than_days=prune_sent)} sent e-mail(s) deleted.")
            return
        states = (
            [OutgoingEmail.State.FAILED] if failed else [s for s in OutgoingEmail.State.values if s != "sent"]
        )
        for email in OutgoingEmail.objects.filter(state__in=states).order_by("created_at"):
            self.stdout.write(
                f"{email.pk}\t{email.state}\t{email.attempts} attempt(s)\t{email.created_at:%Y-%m-%d %H:%M}"
                f"\t{email.to}\t{email.event_key}\t{email.last_error}"
            )
