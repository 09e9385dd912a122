"""Tasks whose worker died: the database backend leaves them marked as running for ever. Every task
of this project is idempotent, so running such a task again is safe."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult


def uses_database_backend() -> bool:
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def requeue_stale_tasks(*, older_than: int, worker_id: str | None = None) -> int:
    """Make tasks running for more than `older_than` seconds ready again, and those `worker_id` was
    running whatever their age (a worker that starts again with its fixed id left them when it
    died). Returns how many."""
    if not uses_database_backend():
        return 0
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than)
    requeued = 0
    for row in DBTaskResult.objects.running().only("id", "started_at", "worker_ids"):
        abandoned = row.started_at is None or row.started_at < cutoff
        if abandoned or (worker_id and row.worker_ids and row.worker_ids[-1] == worker_id):
            # Only if still as read: a task that finished meanwhile is left alone.
            requeued += DBTaskResult.objects.filter(
                pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
            ).update(status=TaskResultStatus.READY, started_at=None)
    return requeued


@dataclass(frozen=True)
class QueueState:
    ready: int
    oldest_ready_seconds: float | None
    running: int
    oldest_running_seconds: float | None
    failed_last_day: int


def queue_state() -> QueueState | None:
    """What to monitor on the database backend (None on another backend): tasks due and waiting,
    how long the oldest has waited, tasks running, and failures in the last 24 hours."""
    if not uses_database_backend():
        return None
    now = timezone.now()
    ready = DBTaskResult.objects.ready()
    oldest_ready = ready.order_by("enqueued_at").values_list("enqueued_at", "run_after").first()
    running = DBTaskResult.objects.running()
    oldest_running = running.order_by("started_at").values_list("started_at", flat=True).first()
    day_ago = now - datetime.timedelta(days=1)
    return QueueState(
        ready=ready.count(),
        oldest_ready_seconds=_waited(now, oldest_ready),
        running=running.count(),
        oldest_running_seconds=(now - oldest_running).total_seconds() if oldest_running else None,
        failed_last_day=DBTaskResult.objects.failed().filter(finished_at__gte=day_ago).count(),
    )


def _waited(now, enqueued_and_due) -> float | None:
    """Seconds since a ready task became due (enqueued, or its `run_after` if it was deferred)."""
    if enqueued_and_due is None:
        return None
    enqueued_at, run_after = enqueued_and_due
    due = run_after if run_after and run_after <= now else enqueued_at
    return (now - max(enqueued_at, due)).total_seconds()
