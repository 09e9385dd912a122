"""`python manage.py worker`: the database backend's worker (`db_worker`, same options), which first
makes ready again the tasks a dead worker left."""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from background import recovery, tasks


class Command(DatabaseWorkerCommand):
    help = (
        "Run the tasks of the database backend (django-tasks-db's db_worker, with the same options). "
        "On start, tasks running for longer than SAMTALE_TASK_STALE_AFTER seconds, and those this "
        "--worker-id was running when it died, are made ready again. Several workers may run at once, "
        "on several machines; give each a fixed, unique --worker-id."
    )

    def handle(self, *args, worker_id, **options):
        requeued = recovery.requeue_stale_tasks(older_than=tasks.stale_after(), worker_id=worker_id)
        if requeued:
            self.stdout.write(f"{requeued} abandoned task(s) made ready again.")
        return super().handle(*args, worker_id=worker_id, **options)
