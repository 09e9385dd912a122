"""The real worker (`manage.py worker`, the database backend) in subprocesses on a file database:
e-mail through a refusing-then-accepting SMTP server arrives once; a worker killed in the middle of a
task leaves the task to be run again."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.background.smtp import smtp_server

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def worker_env(tmp_path_factory):
    """Environment for subprocesses on a freshly migrated SQLite file with the database backend."""
    database = tmp_path_factory.mktemp("worker") / "tasks.sqlite3"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")},
        "DJANGO_SETTINGS_MODULE": "tests.background.worker_settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "PYTHONPATH": str(ROOT),
    }
    manage(env, "migrate", "--verbosity", "0", timeout=300)
    return env


def manage(env, *args, timeout=120, **extra_env):
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, **extra_env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def shell(env, code: str, **extra_env) -> str:
    return manage(env, "shell", "--no-imports", "-c", code, **extra_env).strip()


def test_the_worker_sends_a_refused_email_again_and_it_arrives_once(worker_env):
    with smtp_server(refusals=1) as (server, port):
        env = {**worker_env, "TEST_SMTP_PORT": str(port), "SAMTALE_EMAIL_RETRY_SECONDS": "0"}
        shell(
            env,
            "from django.db import transaction\n"
            "from background.outbox import email_enqueue\n"
            "with transaction.atomic():\n"
            "    email_enqueue(\n"
            "        event_key='worker-test:1', to='x@example.test', subject='Hei', body='Tekst'\n"
            "    )\n",
        )
        manage(env, "worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")
        state = shell(
            env,
            "from background.models import OutgoingEmail as E\n"
            "e = E.objects.get(event_key='worker-test:1'); print(e.state, e.attempts)",
        )
    assert state == "sent 2"
    assert server.refused == 1
    assert [envelope.rcpt_tos for envelope in server.received] == [["x@example.test"]]


def test_a_task_whose_worker_was_killed_is_run_again(worker_env, tmp_path):
    notes = tmp_path / "notes.txt"
    shell(
        worker_env,
        "from tests.background.worker_tasks import note_start_wait_note_end as t\n"
        f"t.enqueue({str(notes)!r}, 30)",
    )
    command = [
        sys.executable,
        "manage.py",
        "worker",
        "--worker-id",
        "w1",
        "--no-startup-delay",
        "--no-reload",
    ]
    worker = subprocess.Popen(command, cwd=ROOT, env=worker_env)  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while not (notes.exists() and "started" in notes.read_text()):
            assert time.monotonic() < deadline and worker.poll() is None, "the task never started"
            time.sleep(0.1)
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait()
    assert notes.read_text() == "started\n"
    status = (
        "from django_tasks_db.models import DBTaskResult as R\n"
        "print(R.objects.get(task_path__endswith='note_start_wait_note_end').status)"
    )
    assert shell(worker_env, status) == "RUNNING"  # left as it was: no worker is running it

    # The same worker, restarted (systemd), runs what it left; a short task this time.
    shell(
        worker_env,
        "from django_tasks_db.models import DBTaskResult as R\n"
        "R.objects.filter(task_path__endswith='note_start_wait_note_end')"
        f".update(args_kwargs={{'args': [{str(notes)!r}, 0], 'kwargs': {{}}}})",
    )
    out = manage(worker_env, "worker", "--worker-id", "w1", "--batch", "--no-startup-delay", "--no-reload")
    assert "1 abandoned task(s) made ready again." in out
    assert notes.read_text() == "started\nstarted\ndone\n"
    assert shell(worker_env, status) == "SUCCESSFUL"


def test_requeue_stale_tasks_leaves_a_task_another_worker_still_runs(worker_env, tmp_path):
    notes = tmp_path / "notes.txt"
    shell(
        worker_env,
        "from django_tasks_db.models import DBTaskResult as R; R.objects.all().delete()\n"
        "from tests.background.worker_tasks import note_start_wait_note_end as t\n"
        f"t.enqueue({str(notes)!r}, 0)\n"
        "from django.utils import timezone\n"
        "R.objects.update(status='RUNNING', started_at=timezone.now())",
    )
    assert "0 task(s) made ready again" in manage(worker_env, "requeue_stale_tasks")
    assert "1 task(s) made ready again" in manage(worker_env, "requeue_stale_tasks", "--older-than", "0")
    queue = manage(worker_env, "task_queue")
    assert queue.startswith("ready 1 ") and "running 0" in queue
