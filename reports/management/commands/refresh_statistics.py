"""`python manage.py refresh_statistics`: keep the statistics snapshots of the current cycles up to date
(cron, every few minutes), so that HR is always answered from a recent snapshot."""

import time

from django.core.management.base import BaseCommand, CommandError

from conversations.models import Cycle
from reports import statistics, statistics_refresh


class Command(BaseCommand):
    help = (
        "Compute the anonymized statistics of the current cycles (deadline within the last year, or "
        "the newest cycle) for the whole organisation, unless the stored snapshot is up to date. "
        "Run it from cron every few minutes, more often than SAMTALE_STATISTICS_MAX_AGE."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--cycle", type=int, action="append", metavar="ID", help="Only this cycle (may be repeated)."
        )

    def handle(self, *args, cycle=None, **options):
        for current in self._cycles(cycle):
            started = time.perf_counter()
            computed = statistics.refresh_snapshot(current)
            took = time.perf_counter() - started
            state = f"computed in {took:.1f} s" if computed else "already up to date"
            self.stdout.write(f"{current.name} (id {current.pk}): {state}")

    def _cycles(self, ids) -> list[Cycle]:
        if ids:
            cycles = list(Cycle.objects.filter(pk__in=ids).order_by("starts_on", "pk"))
            missing = sorted(set(ids) - {c.pk for c in cycles})
            if missing:
                raise CommandError(f"No cycle with id {', '.join(map(str, missing))}.")
            return cycles
        return statistics_refresh.current_cycles()
