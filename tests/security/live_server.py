"""A real server for the tests that need one: gunicorn in a subprocess with the production settings
(persistent connections, the database cache), on its own database:
a file-based SQLite database or a throwaway PostgreSQL cluster (`scripts/pg_throwaway.sh`) that the test
may restart and stop.

`LiveServer.request` speaks plain HTTP with the standard library, as an outside client would: a server
error is a response with its status, never an exception in the test process.
"""

import glob
import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_SCRIPT = ROOT / "scripts" / "pg_throwaway.sh"
PORT_RANGE = (23000, 23999)


def postgres_binaries_or_skip() -> None:
    """Skip when the PostgreSQL server binaries are missing, except in CI (CI=true), where it fails."""
    directories = [os.environ.get("PG_BINDIR", ""), *glob.glob("/usr/lib/postgresql/*/bin")]
    missing = [
        name
        for name in ("initdb", "pg_ctl", "postgres")
        if not shutil.which(name) and not any(Path(d, name).is_file() for d in directories if d)
    ]
    if not missing:
        return
    message = f"PostgreSQL server binaries missing: {', '.join(missing)}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


class PostgresCluster:
    """A throwaway cluster of `scripts/pg_throwaway.sh`, with restart, halt and resume."""

    def __init__(self) -> None:
        postgres_binaries_or_skip()
        lines = self._script("start")
        values = dict(
            line.removeprefix("export ").split("=", 1) for line in lines.splitlines() if "=" in line
        )
        self.url = values["DATABASE_URL"]
        self.directory = values["PG_THROWAWAY_DIR"]

    def _script(self, command: str, *args: str) -> str:
        done = subprocess.run(  # noqa: S603 - our own script
            [str(PG_SCRIPT), command, *args], capture_output=True, text=True, timeout=180, check=False
        )
        assert done.returncode == 0, f"pg_throwaway.sh {command} failed:\n{done.stderr}"
        return done.stdout

    def restart(self) -> None:
        self._script("restart", self.directory)

    def halt(self) -> None:
        self._script("halt", self.directory)

    def resume(self) -> None:
        self._script("resume", self.directory)

    def remove(self) -> None:
        self._script("stop", self.directory)


# Written into the server's database before it starts: a leader with employees, deputies-to-be,
# an API token each and a signed-in browser session for the leader. Printed as JSON.
SEED = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from rest_framework.authtoken.models import Token
from conversations import services
from organization.models import OrgUnit, User

unit = OrgUnit.objects.create(name="Testetaten", path="Testetaten", depth=0)
leader = User.objects.create(employee_id="L1", full_name="Leder", unit=unit, is_leader=True)
employees = [
    User.objects.create(employee_id=f"E{i}", full_name=f"Ansatt {i}", unit=unit, manager=leader)
    for i in range({employees})
]
deputies = [
    User.objects.create(employee_id=f"D{i}", full_name=f"Leder {i}", unit=unit, is_leader=True)
    for i in range({deputies})
]
conversation = services.conversation_create(actor=leader, employee=employees[0])
session = SessionStore()
session.update({
    SESSION_KEY: str(leader.pk),
    BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
    HASH_SESSION_KEY: leader.get_session_auth_hash(),
})
session.create()
print(json.dumps({
    "leader_token": Token.objects.create(user=leader).key,
    "session": session.session_key,
    "employees": [e.pk for e in employees],
    "deputies": [d.pk for d in deputies],
    "conversation": conversation.pk,
}))
"""


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class LiveServer:
    """gunicorn serving `database_url` with the production settings (see tests/security/live_settings.py)."""

    database_url: str
    threads: int = 8
    workers: int = 1
    world: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None
    port: int = 0

    def environment(self) -> dict:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.security.live_settings",
            "DATABASE_URL": self.database_url,
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_CONN_MAX_AGE": "600",
            "DJANGO_LOG_LEVEL": "ERROR",
            "PYTHONPATH": str(ROOT),
        }

    def manage(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}"
        return done.stdout

    def prepare(self, *, employees: int = 30, deputies: int = 20) -> None:
        """Migrate the database and write the people the tests act as."""
        self.manage("migrate", "--noinput", "-v0")
        self.manage("createcachetable")
        seed = SEED.replace("{employees}", str(employees)).replace("{deputies}", str(deputies))
        self.world = json.loads(self.manage("shell", "-c", seed).strip().splitlines()[-1])

    def start(self) -> None:
        for _attempt in range(5):
            self.port = random.randint(*PORT_RANGE)  # noqa: S311 - a port, not a secret
            self.process = subprocess.Popen(  # noqa: S603 - gunicorn from our virtualenv
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi:application",
                    f"--bind=127.0.0.1:{self.port}",
                    f"--workers={self.workers}",
                    f"--threads={self.threads}",
                    "--worker-class=gthread",
                    "--timeout=120",
                ],
                cwd=ROOT,
                env=self.environment(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            if self._wait_until_up():
                return
            self.stop()
        raise AssertionError("gunicorn did not start")

    def _wait_until_up(self, timeout: float = 60) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False  # e.g. the port was taken
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return True
            time.sleep(0.2)
        return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def request(
        self, method: str, path: str, body=None, *, token: str | None = None, session: str | None = None
    ):
        headers = {"Accept-Language": "nb"}
        if token:
            headers["Authorization"] = f"Token {token}"
        if session:
            headers["Cookie"] = f"sessionid={session}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        url = f"http://127.0.0.1:{self.port}{path}"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310 - our own server
                return Response(answer.status, dict(answer.headers), answer.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers), error.read())


def sqlite_url(directory: Path) -> str:
    return f"sqlite:///{directory / 'samtale.sqlite3'}"
