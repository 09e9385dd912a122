"""`python manage.py task_queue`: what to monitor in the task queue (database backend)."""

from django.core.management.base import BaseCommand, CommandError

from background import recovery
from background.models import OutgoingEmail


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} s"


class Command(BaseCommand):
    help = (
        "Print the task queue's length, the age of its oldest waiting task, the running tasks, the "
        "failures of the last 24 hours and the e-mails waiting or failed. With --max-wait, exit with "
        "status 1 when a task has waited longer (for monitoring)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--max-wait", type=float, metavar="SECONDS", help="Alert threshold for waiting.")

    def handle(self, *args, max_wait=None, **options):
        state = recovery.queue_state()
        if state is None:
            self.stdout.write("The task backend is not the database: monitor it with its own tools.")
            return
        emails = {s: OutgoingEmail.objects.filter(state=s).count() for s in OutgoingEmail.State.values}
        self.stdout.write(
            f"ready {state.ready} (oldest waited {_seconds(state.oldest_ready_seconds)}), "
            f"running {state.running} (oldest {_seconds(state.oldest_running_seconds)}), "
            f"failed in 24 h {state.failed_last_day}; "
            f"e-mail pending {emails['pending']}, sending {emails['sending']}, failed {emails['failed']}"
        )
        waited = state.oldest_ready_seconds
        if max_wait is not None and waited is not None and waited > max_wait:
            raise CommandError(f"The oldest task has waited {waited:.0f} s (more than {max_wait:.0f} s).")
