"""`python manage.py requeue_stale_tasks`: run again what a dead worker left (cron, every few minutes)."""

from django.core.management.base import BaseCommand

from background import outbox, recovery, tasks


class Command(BaseCommand):
    help = (
        "Make tasks marked as running for longer than SAMTALE_TASK_STALE_AFTER seconds ready again (their "
        "worker died), and enqueue e-mails whose task was lost. Run it from cron every few minutes; "
        "`manage.py worker` runs it when it starts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="SECONDS",
            help="Running for longer than this counts as abandoned (default: SAMTALE_TASK_STALE_AFTER).",
        )

    def handle(self, *args, older_than=None, **options):
        seconds = tasks.stale_after() if older_than is None else older_than
        requeued = recovery.requeue_stale_tasks(older_than=seconds)
        emails = outbox.enqueue_overdue(overdue_by=seconds)
        self.stdout.write(f"{requeued} task(s) made ready again, {emails} overdue e-mail(s) enqueued.")
