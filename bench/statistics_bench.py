"""Benchmark (not a test): whole-organisation statistics for a 50,000-employee organisation.

Builds, with bulk_create, about 5,000 units over 4 levels, 50,000 employees with their leaders and 2
cycles with conversations in every state (draft, held, awaiting confirmation, changes requested,
confirmed, cancelled), goals and follow-ups; then times `cycle_statistics` for the whole organisation.

    env=$(bash scripts/pg_throwaway.sh start) && eval "$env"
    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/statistics_bench.py
    bash scripts/pg_throwaway.sh stop

Runs on the database of DATABASE_URL (PostgreSQL), which must be empty or a throwaway: `--flush`
empties it first. A database seeded with `manage.py seed_scale --employees 50000 --cycles 2` is used
as it is. The benchmark writes to it (see `_write`). Target: under 1 s.

Reports, first with every answer computed up to date (SAMTALE_STATISTICS_MAX_AGE=0, see `measure`):
cold (first call in a fresh process), after a write (the first call after one conversation changed:
the queries run, and the suppression of the tables whose counts changed), recomputed (cache and
remembered tables dropped) and warm (same data: answered
from the snapshot after the version queries).
These are the cost of computing one snapshot. Then with the production settings (`measure_snapshots`:
snapshots answered for up to 10 minutes, in the database cache): the answer in a new process from the
snapshot `refresh_statistics` made, the answer right after a write (the earlier snapshot, while the
new one is computed in the background) and how long until the new one is there. Wall time depends on
the machine's load, which is printed with each figure; CPU time of this process is steadier.
"""

import argparse
import datetime
import os
import random
import statistics as stats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from conversations.models import Comment, ContractVersion, Conversation, Cycle, FollowUp, Status  # noqa: E402
from goals.models import Goal  # noqa: E402
from organization.models import OrgUnit, User  # noqa: E402
from reports import alignment, statistics, statistics_cache, statistics_queries  # noqa: E402
from reports.suppression import suppress  # noqa: E402

LEVELS = (1, 12, 240, 4747)  # units per level: 5,000 in all
EMPLOYEES = 50_000
BATCH = 5_000
UNUSABLE = make_password(None)  # nobody signs in
STATES = (
    ("draft", 10),
    ("held", 5),
    ("awaiting", 8),
    ("changes", 4),
    ("confirmed", 60),
    ("confirmed_changes", 5),
    ("followed", 0),
    ("cancelled", 3),
)


def build_units(rng) -> list[list[OrgUnit]]:
    levels, parents = [], [None]
    for depth, count in enumerate(LEVELS):
        units = []
        for i in range(count):
            parent = parents[i % len(parents)] if depth else None
            name = f"Enhet {depth}-{i}"
            path = f"{parent.path}/{name}" if parent else name
            units.append(OrgUnit(name=name, parent=parent, path=path, depth=depth))
        OrgUnit.objects.bulk_create(units, batch_size=BATCH)
        levels.append(units)
        parents = units
    return levels


def build_people(rng, levels) -> tuple[list[User], list[User]]:
    leaves = levels[-1]
    leaders = [
        User(employee_id=f"L{i:05d}", full_name=f"Leder {i}", unit=unit, is_leader=True, password=UNUSABLE)
        for i, unit in enumerate(leaves)
    ]
    User.objects.bulk_create(leaders, batch_size=BATCH)
    employees = []
    for i in range(EMPLOYEES - len(leaders)):
        leader = leaders[rng.randrange(len(leaders))]
        employees.append(
            User(
                employee_id=f"M{i:05d}",
                full_name=f"Medarbeider {i}",
                unit_id=leader.unit_id,
                manager=leader,
                password=UNUSABLE,
            )
        )
    User.objects.bulk_create(employees, batch_size=BATCH)
    return leaders, employees


def build_cycle(rng, cycle, employees, now):
    weights = [w for _, w in STATES]
    names = [n for n, _ in STATES]
    conversations, states = [], []
    for person in employees:
        state = rng.choices(names, weights)[0]
        submitted = state not in ("draft", "held", "cancelled")
        first = now - datetime.timedelta(days=rng.randint(20, 300)) if submitted else None
        confirmed = state.startswith("confirmed")
        conversations.append(
            Conversation(
                cycle=cycle,
                employee=person,
                leader_id=person.manager_id,
                unit_id=person.unit_id,
                status={
                    "draft": Status.DRAFT,
                    "held": Status.DRAFT,
                    "awaiting": Status.AWAITING_CONFIRMATION,
                    "changes": Status.CHANGES_REQUESTED,
                    "cancelled": Status.CANCELLED,
                }.get(state, Status.CONFIRMED),
                held_on=now.date() if state != "draft" and state != "cancelled" else None,
                first_submitted_at=first,
                confirmed_at=first + datetime.timedelta(days=rng.randint(0, 30)) if confirmed else None,
            )
        )
        states.append(state)
    Conversation.objects.bulk_create(conversations, batch_size=BATCH)
    versions = [
        ContractVersion(
            conversation=c, number=1, canonical_json="{}", sha256="0" * 64, submitted_by_id=c.leader_id
        )
        for c, s in zip(conversations, states, strict=True)
        if c.first_submitted_at
    ]
    ContractVersion.objects.bulk_create(versions, batch_size=BATCH)
    by_conversation = {v.conversation_id: v.pk for v in versions}
    confirmed = [c for c, s in zip(conversations, states, strict=True) if s.startswith("confirmed")]
    for c in confirmed:
        c.confirmed_version_id = by_conversation[c.pk]
    Conversation.objects.bulk_update(confirmed, ["confirmed_version"], batch_size=BATCH)
    Comment.objects.bulk_create(
        [
            Comment(conversation=c, author_id=c.employee_id, kind=Comment.Kind.CHANGE_REQUEST, text="Endre")
            for c, s in zip(conversations, states, strict=True)
            if s in ("changes", "confirmed_changes")
        ],
        batch_size=BATCH,
    )
    goals = []
    for c in confirmed:
        for i in range(rng.randint(1, 4)):
            goals.append(
                Goal(
                    conversation=c,
                    kind=rng.choice(("result", "development", "relational")),
                    title="Mål",
                    order=i,
                )
            )
    Goal.objects.bulk_create(goals, batch_size=BATCH)
    follow_ups = []
    for goal in goals:
        if rng.random() < 0.4:
            follow_ups.append(
                FollowUp(
                    conversation_id=goal.conversation_id,
                    author_id=goal.conversation.leader_id,
                    text="Er vi på rett vei?",
                    goal=goal,
                    item_status=rng.choice(("on_track", "at_risk", "off_track", "achieved", "")),
                    created_at=now - datetime.timedelta(days=rng.randint(0, 360)),
                )
            )
    FollowUp.objects.bulk_create(follow_ups, batch_size=BATCH)
    return len(conversations), len(goals), len(follow_ups)


def build(seed: int):
    rng = random.Random(seed)  # noqa: S311 - test data
    now = timezone.now()
    started = time.perf_counter()
    levels = build_units(rng)
    _, employees = build_people(rng, levels)
    cycles = [
        Cycle.objects.create(
            name="Medarbeidersamtaler 2026",
            starts_on=datetime.date(2026, 1, 1),
            deadline=datetime.date(2026, 6, 1),
        ),
        Cycle.objects.create(
            name="Medarbeidersamtaler 2027",
            starts_on=datetime.date(2027, 1, 1),
            deadline=datetime.date(2027, 6, 1),
        ),
    ]
    for cycle in cycles:
        counts = build_cycle(rng, cycle, employees, now)
        print(f"  {cycle.name}: {counts[0]} conversations, {counts[1]} goals, {counts[2]} follow-ups")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"built {sum(LEVELS)} units, {User.objects.count()} people in {time.perf_counter() - started:.0f} s"
    )
    return cycles[-1]


def _timed(cycle) -> dict:
    """One whole-organisation call: wall and CPU time of this process, and time spent in queries."""
    queries = []

    def count(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(time.perf_counter() - start)

    with connection.execute_wrapper(count):
        wall, cpu = time.perf_counter(), time.process_time()
        result = statistics.cycle_statistics(cycle=cycle)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "wall": wall,
        "cpu": cpu,
        "db": sum(queries),
        "queries": len(queries),
        "groups": len(result["groups"]),
        "up_to_date": result["up_to_date"],
    }


def _report(label: str, runs: list[dict]) -> None:
    walls = [r["wall"] for r in runs]
    print(
        f"{label:<13} wall median {stats.median(walls):.3f} s (min {min(walls):.3f}, max {max(walls):.3f}), "
        f"python CPU {stats.median(r['cpu'] for r in runs):.3f} s, {runs[0]['queries']} queries "
        f"{stats.median(r['db'] for r in runs):.3f} s; load average {os.getloadavg()[0]:.1f}"
    )


def _write(cycle) -> None:
    """A write the figures depend on: one conversation of the cycle held or not held, saved."""
    conversation = Conversation.objects.filter(cycle=cycle, status=Status.DRAFT).order_by("pk").first()
    conversation.held_on = None if conversation.held_on else timezone.localdate()
    conversation.save()


def measure(cycle, runs: int):
    """cold: the first call in this process (nothing cached or remembered); after a write: the first
    call after one conversation changed (cache missed; the queries and the suppression run);
    recomputed: everything computed again (cache dropped); warm: the same data again, answered from
    the cache."""
    _report("cold", [_timed(cycle)])
    after_write = []
    for _ in range(runs):
        _write(cycle)
        after_write.append(_timed(cycle))
    _report("after a write", after_write)
    recomputed = []
    for _ in range(runs):
        cache.clear()
        suppress.forget()
        alignment.forget()
        recomputed.append(_timed(cycle))
    _report("recomputed", recomputed)
    _report("warm", [_timed(cycle) for _ in range(runs)])
    print(f"({recomputed[0]['groups'] - 1} top units in the answer)")


# As in production: snapshots answered for up to 10 minutes, kept in the shared (database) cache; but a
# new snapshot is computed after the first write rather than a minute later, to time it.
SNAPSHOTS = {
    "SAMTALE_STATISTICS_MAX_AGE": 600,
    "SAMTALE_STATISTICS_REFRESH_AFTER": 0,
    "CACHES": {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "samtale_cache",
        }
    },
}


def measure_snapshots(cycle, runs: int):
    """What HR waits for with the production settings: the snapshot made by `refresh_statistics`
    (cron) answered in a new process; after a write, the earlier snapshot answered at once while
    the new one is computed in a background thread (and how long that takes); then the new one."""
    with override_settings(**SNAPSHOTS):
        call_command("createcachetable", verbosity=0)
        cache.clear()
        started = time.perf_counter()
        statistics.refresh_snapshot(cycle)
        print(f"refresh_statistics (cron): {time.perf_counter() - started:.3f} s")
        _report("answered, new process", [_as_a_new_process(cycle) for _ in range(runs)])
        answered, background = [], []
        for _ in range(runs):
            _write(cycle)
            answered.append(_timed(cycle))
            background.append(_until_up_to_date(cycle))
        _report("answered after a write", answered)
        print(
            f"{'':<13} (not up to date: {sum(not r['up_to_date'] for r in answered)} of {runs}); the new "
            f"snapshot was there after {stats.median(background):.3f} s (median; computed in the background)"
        )
        _report("answered, up to date", [_timed(cycle) for _ in range(runs)])
        cache.clear()


def _as_a_new_process(cycle) -> dict:
    statistics_cache._LOCAL.clear()
    return _timed(cycle)


def _until_up_to_date(cycle, poll: float = 0.05) -> float:
    started = time.perf_counter()
    while not statistics.cycle_statistics(cycle=cycle)["up_to_date"]:
        time.sleep(poll)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flush", action="store_true", help="empty the database first")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument(
        "--without-line-of-sight",
        action="store_true",
        help="leave the unit goals out (no queries, no tables): what the snapshot cost before them",
    )
    args = parser.parse_args()
    if args.without_line_of_sight:
        statistics_queries.unit_goals = lambda cycle_ids: {}
        statistics_queries.supported_counts = lambda cycle_ids: ({}, {})
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a (throwaway) PostgreSQL database.")
    call_command("migrate", verbosity=0)
    if args.flush:
        call_command("flush", interactive=False, verbosity=0)
    cycle = Cycle.objects.order_by("-starts_on").first()
    if cycle is None or User.objects.count() < EMPLOYEES:
        if User.objects.exists():
            sys.exit("The database holds other data: use --flush on a throwaway database.")
        cycle = build(args.seed)
    print(f"machine: {os.cpu_count()} cores; PostgreSQL {connection.pg_version}")
    measure(cycle, args.runs)
    measure_snapshots(cycle, args.runs)


if __name__ == "__main__":
    main()
