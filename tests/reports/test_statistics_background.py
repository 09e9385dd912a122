"""The statistics' background work is tasks: no request starts a thread, and writes queue one
computation of the current cycles' snapshots, coalesced."""

import threading

import pytest
from django_tasks import TaskResultStatus, task_backends

from reports import statistics_refresh
from tests import factories
from tests.reports.statistics_helpers import conversation, people, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(settings):
    """Tasks are kept on the dummy backend (as rows for the worker would be), not run."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.SAMTALE_STATISTICS_MAX_AGE = 600
    settings.SAMTALE_STATISTICS_REFRESH_AFTER = 0
    statistics_refresh._Throttle.queued_at = float("-inf")

    def names():
        results = task_backends["default"].results
        return [r.task.name for r in results if r.status == TaskResultStatus.READY]

    return names


@pytest.fixture
def threads_started(monkeypatch):
    started = []
    original = threading.Thread.start

    def record(thread):
        started.append(thread.name)
        return original(thread)

    monkeypatch.setattr(threading.Thread, "start", record)
    return started


def test_no_request_starts_a_thread(
    client, cycle, queued, threads_started, django_capture_on_commit_callbacks
):
    boss = factories.LeaderFactory(unit=unit("Ledelse"))
    _, staff = people(6, unit("A", unit("Kommune")), manager=boss)
    for person in staff:
        conversation(cycle, boss, person, "confirmed")
    leader, employee = factories.make_pair()
    target = factories.make_conversation(leader=leader, employee=employee, cycle=cycle)
    hr = factories.HRFactory(unit=unit("HR"))
    client.force_login(hr)
    assert client.get("/api/v1/statistics/", {"cycle": cycle.pk}).json()["up_to_date"] is True
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(f"/api/v1/conversations/{target.pk}/submit/")
    assert submitted.status_code == 201, submitted.content
    client.force_login(hr)

    answer = client.get("/api/v1/statistics/", {"cycle": cycle.pk}).json()
    page = client.get("/hr/statistics/", {"cycle": cycle.pk})

    assert answer["up_to_date"] is False and page.status_code == 200
    assert threads_started == []
    # The e-mail of the submission, the refresh after the write, the refresh the old snapshot asked for.
    assert sorted(queued()) == ["refresh_current_snapshots_task", "refresh_snapshot_task", "send_email"]


def test_writes_queue_one_refresh_while_one_waits(client, cycle, queued):
    leader, employee = factories.make_pair()
    target = factories.make_conversation(leader=leader, employee=employee, cycle=cycle)
    client.force_login(leader)
    for text in ("one", "two", "three"):
        assert client.post(f"/api/v1/conversations/{target.pk}/agenda/", {"text": text}).status_code == 201
        statistics_refresh._Throttle.queued_at = float("-inf")  # as if from three processes

    assert queued() == ["refresh_current_snapshots_task"]
    (waiting,) = task_backends["default"].results
    assert waiting.task.run_after is not None  # deferred by SAMTALE_STATISTICS_REFRESH_AFTER

    assert waiting.task.call() == 1  # the worker computes the cycle's snapshot
    client.post(f"/api/v1/conversations/{target.pk}/agenda/", {"text": "four"})
    assert queued() == ["refresh_current_snapshots_task", "refresh_current_snapshots_task"]


def test_a_failed_write_queues_nothing(client, cycle, queued):
    leader, employee = factories.make_pair()
    target = factories.make_conversation(leader=leader, employee=employee, cycle=cycle)
    client.force_login(employee)
    assert client.post(f"/api/v1/conversations/{target.pk}/submit/").status_code == 403
    assert queued() == []
