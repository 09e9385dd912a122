"""Statistics snapshots: a recent snapshot is answered at once while a new one is computed in the
background, one at a time; a snapshot too old, or without the unit asked for, is computed now; every
unit is read from the same snapshot; `refresh_statistics` keeps them up to date for cron; the medians
of every unit's subtree, worked out by hand."""

import datetime
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks import TaskResultStatus, task_backends

from conversations.models import Status
from reports import statistics, statistics_cache, statistics_queries
from tests import factories
from tests.reports.statistics_helpers import add_unit, build_kommune, conversation, figures, people, unit

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def kommune(cycle):
    """`build_kommune`: A and B with 7 confirmed and 5 not held each, their leader below A; confirmed
    is shown for Kommune (14), A (7) and B (7)."""
    return build_kommune(cycle)


class QueuedTasks:
    """The tasks enqueued on the dummy backend (kept, not run), as a list of callables that run them
    as the worker would."""

    def _results(self) -> list:
        return [r for r in task_backends["default"].results if r.status == TaskResultStatus.READY]

    def __len__(self) -> int:
        return len(self._results())

    def __eq__(self, other) -> bool:
        return other == [] and len(self) == 0

    def __getitem__(self, index: int):
        result = self._results()[index]
        return lambda: self._run(result)

    def pop(self):
        return self[-1]

    @staticmethod
    def _run(result):
        task_backends["default"].results.remove(result)
        return result.task.call(*result.args, **result.kwargs)


@pytest.fixture
def background(settings):
    """Snapshots answered for 10 minutes, a new one computed after the first change; the tasks that
    compute them in the background collected on the dummy backend, to be run by the test."""
    settings.SAMTALE_STATISTICS_MAX_AGE = 600
    settings.SAMTALE_STATISTICS_REFRESH_AFTER = 0
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return QueuedTasks()


def add_confirmed_unit(cycle, kommune, name="C", size=5):
    """`size` confirmed and 5 not held (both at least 5): with A and B, A's zone leaves B and C, and
    B and C shown together leave Kommune's zone with nobody, so all are shown."""
    return add_unit(cycle, kommune, name, confirmed=size)


def test_a_recent_snapshot_is_answered_while_a_new_one_is_computed(cycle, kommune, background):
    first = statistics.cycle_statistics(cycle=cycle, unit=kommune)
    assert first["up_to_date"] is True
    assert figures(first, "Kommune")["confirmed"]["value"] == 14
    add_confirmed_unit(cycle, kommune)

    stale = statistics.cycle_statistics(cycle=cycle, unit=kommune)
    again = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    assert stale["up_to_date"] is False
    assert stale["computed_at"] == first["computed_at"]
    assert figures(stale, "Kommune")["confirmed"]["value"] == 14
    assert "C" not in [g["unit"]["name"] for g in stale["groups"]]
    assert again["computed_at"] == first["computed_at"]
    assert len(background) == 1  # the second request found the computation under way

    background[0]()
    fresh = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    assert fresh["up_to_date"] is True
    assert fresh["computed_at"] > first["computed_at"]
    assert figures(fresh, "Kommune")["confirmed"]["value"] == 19
    assert figures(fresh, "C")["confirmed"]["value"] == 5


def test_a_snapshot_younger_than_refresh_after_is_not_computed_again(cycle, kommune, background, settings):
    """While the organisation works the data changes every second: a new snapshot is computed only
    once the answered one is SAMTALE_STATISTICS_REFRESH_AFTER seconds old."""
    settings.SAMTALE_STATISTICS_REFRESH_AFTER = 1
    with time_machine.travel(timezone.now(), tick=False) as clock:  # however long the writes take
        first = statistics.cycle_statistics(cycle=cycle, unit=kommune)
        add_confirmed_unit(cycle, kommune)

        young = statistics.cycle_statistics(cycle=cycle, unit=kommune)
        assert background == []
        clock.shift(datetime.timedelta(seconds=1.1))
        old_enough = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    assert young["up_to_date"] is False and old_enough["up_to_date"] is False
    assert old_enough["computed_at"] == first["computed_at"]
    assert len(background) == 1


def test_every_unit_is_read_from_the_same_snapshot(cycle, kommune, background):
    statistics.cycle_statistics(cycle=cycle, unit=kommune)
    a = kommune.children.get(name="A")
    cancelled = a.members.filter(conversations__confirmed_version__isnull=False).first().conversations.get()
    cancelled.status = Status.CANCELLED
    cancelled.save()

    whole = statistics.cycle_statistics(cycle=cycle)
    only_a = statistics.cycle_statistics(cycle=cycle, unit=a)

    assert whole["up_to_date"] is False and only_a["up_to_date"] is False
    assert only_a["computed_at"] == whole["computed_at"]
    assert only_a["groups"][0]["current"]["confirmed"]["value"] == 7  # as when the snapshot was made
    assert len(background) == 1


def test_a_snapshot_older_than_the_max_age_is_not_answered(cycle, kommune, background, settings):
    settings.SAMTALE_STATISTICS_MAX_AGE = 1
    first = statistics.cycle_statistics(cycle=cycle, unit=kommune)
    add_confirmed_unit(cycle, kommune)
    time.sleep(1.1)

    after = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    assert after["up_to_date"] is True
    assert after["computed_at"] > first["computed_at"]
    assert figures(after, "Kommune")["confirmed"]["value"] == 19
    assert background == []


def test_an_unchanged_old_snapshot_is_still_up_to_date(cycle, kommune, background, settings):
    settings.SAMTALE_STATISTICS_MAX_AGE = 0
    first = statistics.cycle_statistics(cycle=cycle, unit=kommune)
    again = statistics.cycle_statistics(cycle=cycle, unit=kommune)
    assert again["up_to_date"] is True
    assert again["computed_at"] == first["computed_at"]


def test_a_unit_the_snapshot_does_not_know_is_computed_now(cycle, kommune, background):
    statistics.cycle_statistics(cycle=cycle, unit=kommune)
    c = add_confirmed_unit(cycle, kommune)

    result = statistics.cycle_statistics(cycle=cycle, unit=c)

    assert result["up_to_date"] is True
    assert result["groups"][0]["current"]["confirmed"]["value"] == 5
    assert background == []


def test_a_failing_background_computation_is_logged_and_tried_again(
    cycle, kommune, background, monkeypatch, caplog
):
    statistics.cycle_statistics(cycle=cycle, unit=kommune)
    add_confirmed_unit(cycle, kommune)

    def broken(*args):
        raise RuntimeError("database went away")

    monkeypatch.setattr(statistics_queries, "counts", broken)
    statistics.cycle_statistics(cycle=cycle, unit=kommune)
    with caplog.at_level(logging.ERROR, logger="reports.statistics_cache"):
        background.pop()()
    assert "computing a snapshot in the background failed" in caplog.text

    stale = statistics.cycle_statistics(cycle=cycle, unit=kommune)  # the lock was released

    assert stale["up_to_date"] is False
    assert len(background) == 1


def test_refresh_statistics_computes_only_what_changed(cycle, kommune, capsys):
    call_command("refresh_statistics")
    assert f"{cycle.name} (id {cycle.pk}): computed in" in capsys.readouterr().out
    call_command("refresh_statistics")
    assert "already up to date" in capsys.readouterr().out
    add_confirmed_unit(cycle, kommune)

    call_command("refresh_statistics", cycle=[cycle.pk])

    assert "computed in" in capsys.readouterr().out
    result = statistics.cycle_statistics(cycle=cycle, unit=kommune)
    assert result["up_to_date"] is True
    assert figures(result, "Kommune")["confirmed"]["value"] == 19


def test_refresh_statistics_names_an_unknown_cycle(cycle):
    with pytest.raises(CommandError, match="No cycle with id 999999"):
        call_command("refresh_statistics", cycle=[999999])


def test_the_medians_of_units_at_every_depth(cycle):
    """Skole with Klasse 1 (5 confirmed after 1, 2, 3, 4, 5 days) and Klasse 2 (6 after 2, 4, 6, 8,
    10, 12 days); six people without a unit, confirmed after 100 days. Klasse 1: 3.0; Klasse 2:
    (6 + 8) / 2 = 7.0; Skole, the 11 together sorted 1 2 2 3 4 4 5 6 8 10 12: the 6th, 4.0; the whole
    organisation, 17 with those without a unit: the 9th, 8.0."""
    ledelse = unit("Ledelse")  # five leaders without conversations
    boss, *_ = (factories.LeaderFactory(unit=ledelse) for _ in range(5))
    skole = unit("Skole", unit("Kommune"))
    # Each Klasse also has 5 people with a draft, so that every zone holds at least 5 not confirmed
    # and medians (shown where confirmed is) are shown at every depth: the whole organisation 15 and
    # 17; Skole 10 and 11, leaving Ledelse's 5 and the 6 without a unit (11, and 6 confirmed: two
    # parts of 5 or more people that other tables could each place somebody confirmed in, so at
    # least k - 1 + 2, see `suppression.zones.shown_units`) to the whole organisation's zone; Klasse 1
    # and 2 (5 and 5, 5 and 6) shown together, leaving nobody to
    # Skole's; Kommune holds Skole's people only, so its figures are Skole's.
    for name, days in (("Klasse 1", (1, 2, 3, 4, 5)), ("Klasse 2", (2, 4, 6, 8, 10, 12))):
        klasse = unit(name, skole)
        _, staff = people(len(days), klasse, manager=boss)
        for person, n in zip(staff, days, strict=True):
            conversation(cycle, boss, person, "confirmed", days_to_confirm=n)
        for person in people(5, klasse, manager=boss)[1]:
            conversation(cycle, boss, person, "draft")
    for _ in range(6):
        without_unit = factories.UserFactory(unit=None, manager=boss)
        conversation(cycle, boss, without_unit, "confirmed", days_to_confirm=100)

    by_school = statistics.cycle_statistics(cycle=cycle, unit=skole)
    klasse_1 = statistics.cycle_statistics(cycle=cycle, unit=skole.children.get(name="Klasse 1"))
    whole = statistics.cycle_statistics(cycle=cycle)

    medians = {g["unit"]["name"]: g["current"]["median_days_to_confirmation"] for g in by_school["groups"]}
    assert medians == {"Skole": 4.0, "Klasse 1": 3.0, "Klasse 2": 7.0}
    assert klasse_1["groups"][0]["current"]["median_days_to_confirmation"] == 3.0
    assert whole["groups"][0]["current"]["median_days_to_confirmation"] == 8.0


def test_the_page_and_the_api_say_when_the_figures_were_computed(client, cycle, kommune, background):
    hr = factories.HRFactory(unit=unit("HR"))
    client.force_login(hr)
    page = client.get("/hr/statistics/", {"cycle": cycle.pk}).content.decode()
    assert "Tallene er beregnet" in page
    assert "nyere tall kommer" not in page
    add_confirmed_unit(cycle, kommune)

    page = client.get("/hr/statistics/", {"cycle": cycle.pk}).content.decode()
    answer = client.get("/api/v1/statistics/", {"cycle": cycle.pk}).json()

    assert "nyere tall kommer" in page
    assert answer["up_to_date"] is False
    assert datetime.datetime.fromisoformat(answer["computed_at"]) <= datetime.datetime.fromisoformat(
        answer["generated_at"]
    )


@pytest.mark.django_db(transaction=True)
def test_the_background_computation_is_a_task(settings):
    """No stand-in: the request enqueues the real task (which the tests' immediate backend runs at
    once; the worker, in production) and the next answer is the new snapshot."""
    settings.SAMTALE_STATISTICS_MAX_AGE = 600
    settings.SAMTALE_STATISTICS_REFRESH_AFTER = 0
    cycle = factories.CycleFactory(starts_on=datetime.date(2027, 1, 1), deadline=datetime.date(2027, 3, 1))
    kommune = build_kommune(cycle, units=("A",))  # Kommune, and with it the organisation, is A
    assert statistics.cycle_statistics(cycle=cycle, unit=kommune)["up_to_date"] is True
    add_confirmed_unit(cycle, kommune)

    stale = statistics.cycle_statistics(cycle=cycle, unit=kommune)
    deadline = time.monotonic() + 60
    while not (fresh := statistics.cycle_statistics(cycle=cycle, unit=kommune))["up_to_date"]:
        assert time.monotonic() < deadline, "the background computation did not finish"
        time.sleep(0.05)

    assert stale["up_to_date"] is False
    assert figures(stale, "Kommune")["confirmed"]["value"] == 7
    assert figures(fresh, "Kommune")["confirmed"]["value"] == 12
    assert figures(fresh, "C")["confirmed"]["value"] == 5


def test_a_process_never_answers_from_its_own_copy_once_another_stored_a_newer_one(
    cycle, kommune, background
):
    """Each process keeps the last snapshot it read; the stamp in the shared cache says when another
    process (a worker, cron) stored a newer one."""
    statistics.cycle_statistics(cycle=cycle, unit=kommune)
    this_process = dict(statistics_cache._LOCAL)
    add_confirmed_unit(cycle, kommune)
    statistics.refresh_snapshot(cycle)  # as another process would
    statistics_cache._LOCAL.clear()
    statistics_cache._LOCAL.update(this_process)

    result = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    assert result["up_to_date"] is True
    assert figures(result, "Kommune")["confirmed"]["value"] == 19
    assert background == []


@pytest.mark.parametrize(
    ("backend", "max_entries"),
    [
        ("django.core.cache.backends.db.DatabaseCache", 20000),
        ("django.core.cache.backends.redis.RedisCache", None),
    ],
)
def test_production_cache_keeps_snapshots_beside_thousands_of_rate_limit_counters(backend, max_entries):
    """The database cache is culled past MAX_ENTRIES, snapshots first (their keys sort before the
    counters'): production leaves room for every user's counters. Redis takes no such option."""
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default'].get('OPTIONS', {}).get('MAX_ENTRIES'))"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_CACHE_BACKEND": backend,
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(max_entries)


class Gone:
    """Stands for a class that an earlier release pickled into a snapshot and this one no longer has."""


def snapshot_name(cycle):
    return statistics_cache._cache_key(statistics._snapshot_key(cycle.pk, statistics.min_group_size()))


def count_computations(monkeypatch) -> list:
    computations, real_counts = [], statistics_queries.counts

    def counting(*args):
        computations.append(args)
        return real_counts(*args)

    monkeypatch.setattr(statistics_queries, "counts", counting)
    return computations


def test_a_snapshot_an_earlier_release_stored_is_computed_again(cycle, kommune, monkeypatch, caplog):
    name = snapshot_name(cycle)
    cache.set(name, Gone())
    cache.set(name + ":stamp", (timezone.now(), ("old",)))
    monkeypatch.delattr(sys.modules[__name__], "Gone")

    with caplog.at_level(logging.WARNING, logger="reports.statistics_cache"):
        result = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    assert result["up_to_date"] is True
    assert figures(result, "Kommune")["confirmed"]["value"] == 14
    assert "could not be read" in caplog.text


def test_requests_wait_for_a_computation_under_way_instead_of_repeating_it(cycle, kommune, monkeypatch):
    """The snapshot is too old and another process is computing the new one: the request waits for
    it rather than computing the whole organisation itself."""
    statistics.cycle_statistics(cycle=cycle, unit=kommune)
    add_confirmed_unit(cycle, kommune)
    cache.add(snapshot_name(cycle) + ":computing", True)  # the other process
    computations = count_computations(monkeypatch)

    stored = []

    def sleep_while_the_other_process_stores(seconds):
        if not computations:
            statistics.refresh_snapshot(cycle)
            stored.append(cache.get(snapshot_name(cycle) + ":stamp")[0])

    monkeypatch.setattr(statistics_cache.time, "sleep", sleep_while_the_other_process_stores)
    result = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    assert len(computations) == 1  # the other process's
    assert result["computed_at"] == stored[0].isoformat()
    assert result["up_to_date"] is True
    assert figures(result, "Kommune")["confirmed"]["value"] == 19


def test_a_request_stops_waiting_and_computes(cycle, kommune, settings):
    statistics.cycle_statistics(cycle=cycle, unit=kommune)
    add_confirmed_unit(cycle, kommune)
    cache.add(snapshot_name(cycle) + ":computing", True)  # a process that died computing
    settings.SAMTALE_STATISTICS_WAIT_SECONDS = 0.3

    result = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    assert result["up_to_date"] is True
    assert figures(result, "Kommune")["confirmed"]["value"] == 19


def test_a_computation_begun_earlier_never_replaces_one_begun_later(cycle, kommune, monkeypatch):
    """A slow computation (begun before a write) finishes after a quicker one begun after the write:
    the later snapshot stays, and is up to date without computing again."""
    statistics.cycle_statistics(cycle=cycle, unit=kommune)
    computations = count_computations(monkeypatch)
    counting, began = statistics_queries.counts, []

    def slow(*args):
        if not began:
            began.append(True)
            add_confirmed_unit(cycle, kommune)
            statistics.refresh_snapshot(cycle)  # the quicker one, begun later
        return counting(*args)

    monkeypatch.setattr(statistics_queries, "counts", slow)
    statistics_cache._compute_and_store(  # the slow one, as a background computation runs it
        snapshot_name(cycle),
        read_version=lambda: statistics._version(timezone.localdate()),
        compute=lambda: statistics._organisation_tables(cycle.pk, 5, timezone.localdate()),
    )
    assert len(computations) == 2
    result = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    assert len(computations) == 2
    assert result["up_to_date"] is True
    assert figures(result, "Kommune")["confirmed"]["value"] == 19
