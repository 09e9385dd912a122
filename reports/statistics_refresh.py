"""Keeping the statistics snapshots recent: the cycles that matter, and a computation queued after
writes (coalesced) or by cron, so that HR seldom finds a snapshot old."""

import datetime
import time

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from conversations.models import Cycle
from reports import statistics, statistics_cache

FOLLOWED_UP_FOR = datetime.timedelta(days=365)  # a cycle is looked at for about a year after its deadline
_AFTER_WRITES_KEY = "reports.statistics:after-writes-queued"


def current_cycles() -> list[Cycle]:
    """Cycles with a deadline within the last year, and the newest cycle."""
    recent = Cycle.objects.filter(deadline__gte=timezone.localdate() - FOLLOWED_UP_FOR)
    cycles = list(recent.order_by("starts_on", "pk"))
    newest = Cycle.objects.order_by("-starts_on", "-pk").first()
    if newest is not None and newest not in cycles:
        cycles.append(newest)
    return cycles


class _Throttle:
    """When this process last queued a refresh: within `refresh_after()` seconds it does not even
    ask the shared cache, so a write pays nothing for it."""

    queued_at = float("-inf")


def queue_after_write() -> bool:
    """Queue one computation of the current cycles' snapshots, `refresh_after()` seconds from now,
    unless one is waiting (coalesced: every write until it runs shares it). Needs a backend that can
    defer (the database one); with the tests' immediate backend the reads and cron keep the snapshots.
    True if enqueued."""
    if not refresh_current_snapshots_task.get_backend().supports_defer:
        return False
    delay = statistics_cache.refresh_after()
    if time.monotonic() - _Throttle.queued_at < delay:
        return False
    _Throttle.queued_at = time.monotonic()
    if not cache.add(_AFTER_WRITES_KEY, True, statistics_cache.LOCK_TIMEOUT):
        return False
    run_after = timezone.now() + datetime.timedelta(seconds=delay)
    refresh_current_snapshots_task.using(run_after=run_after).enqueue()
    return True


@task()
def refresh_current_snapshots_task() -> int:
    """Compute the current cycles' snapshots that are not current. Returns how many were computed."""
    cache.delete(_AFTER_WRITES_KEY)
    return sum(statistics.refresh_snapshot_task.call(cycle.pk) for cycle in current_cycles())


class StatisticsAfterWritesMiddleware:
    """After a successful unsafe request (a write), queue the statistics' refresh (`queue_after_write`)."""

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in self.SAFE_METHODS and response.status_code < 400:
            queue_after_write()
        return response
