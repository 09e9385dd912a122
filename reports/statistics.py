"""Anonymized statistics for HR: read-only, returns plain data (dicts, lists, numbers, strings).

Definitions, for one cycle and one unit U ("the subtree" is U and every unit below it; without a unit,
the whole organisation, including people and conversations that have no unit):
- employees in scope: active users (`User.is_active`) whose *current* unit is in the subtree. The figure
  does not depend on the cycle, so the same figure stands beside the previous cycle.
- A conversation counts for the cycle it belongs to and for the unit recorded on it
  (`Conversation.unit`, the employee's unit when it was created). Cancelled ones never count.
- held: `held_on` is set, or the conversation was ever submitted (`first_submitted_at` set): a contract
  sent for confirmation was agreed in a meeting even when nobody filled in the date.
- submitted: `first_submitted_at` set.
- confirmed: submitted, and some version is binding (`confirmed_version` set).
- changes requested: submitted, with at least one change-request comment.
- followed up: confirmed, with a follow-up entry in the last 90 days (see below).
- median days to confirmation: over the confirmed, days from `first_submitted_at` to `confirmed_at` (the
  first confirmation), one decimal.
- goals per contract, by kind: the current goals of confirmed conversations divided by confirmed.
- follow-up share: followed up / confirmed.
- goal status distribution: each goal of a confirmed conversation counts under the `item_status` of
  its latest follow-up entry that has one (latest by `created_at`, then id); goals never given a
  status are left out. Counts of goals, per status and in total.
- follow-up activity: follow-up entries on the cycle's (not cancelled) conversations per calendar month,
  the twelve months up to and including the current one.
- previous cycle: the cycle that started last before this one (ties broken by id).

Anonymity (`reports.suppression`): every count is at least `min_group_size()` or None and marked
suppressed; rates, averages and medians appear only when every count they are computed from is shown.
Suppression is decided for the whole organisation at once, per cycle, so answers for different units
and the previous-cycle comparison show each figure the same way and cannot be combined against each
other; "employees in scope" is protected on its own first and then held fixed, since every cycle
shares it. No names, person ids or free text are ever part of the result.

- followed up: confirmed, with a follow-up entry created since the start (local time) of the day 90
  days ago, so the figures change only with the data and the date, never within a day.

Snapshots: every answer, for any unit, is read from one snapshot of the whole organisation's tables
for the cycle (and the one before it), so all units and both cycles are shown from the same state of
the data. A snapshot stays in the shared cache; while the data is unchanged it is up to date, and for
`SAMTALE_STATISTICS_MAX_AGE` seconds after a change it is still answered (with `computed_at` and
`up_to_date: false`) while a new one is computed in the background (`reports.statistics_cache`).

Queries: see `reports.statistics_queries`; a fixed number whatever the size of the organisation.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from conversations.models import Cycle
from organization.models import OrgUnit
from reports import statistics_cache, statistics_queries
from reports.statistics_queries import (  # noqa: F401 - part of this module's interface
    ACTIVITY_MONTHS,
    FOLLOW_UP_WINDOW_DAYS,
    GOAL_KINDS,
    ITEM_STATUSES,
    ROOT,
    follow_up_window_start,
)
from reports.suppression import Lattice, SuppressedTable, Tree, suppress

_CATEGORIES = (
    "not_held",
    "held_only",
    "open",
    "open_changes",
    "confirmed",
    "confirmed_followed",
    "confirmed_changes",
    "confirmed_changes_followed",
)
PEOPLE = Lattice(
    categories=_CATEGORIES,
    columns=(
        ("employees_in_scope", frozenset(_CATEGORIES)),
        ("conversations_held", frozenset(_CATEGORIES[1:])),
        ("submitted", frozenset(_CATEGORIES[2:])),
        ("confirmed", frozenset(_CATEGORIES[4:])),
        ("changes_requested", frozenset({"open_changes", "confirmed_changes", "confirmed_changes_followed"})),
        ("followed_up_last_90_days", frozenset({"confirmed_followed", "confirmed_changes_followed"})),
    ),
    priority=(
        "employees_in_scope",
        "confirmed",
        "conversations_held",
        "followed_up_last_90_days",
        "changes_requested",
        "submitted",
    ),
)
EMPLOYEES = Lattice(("employees_in_scope",), (("employees_in_scope", frozenset({"employees_in_scope"})),))
GOAL_STATUS = Lattice(
    categories=ITEM_STATUSES,
    columns=(
        ("goals_with_status", frozenset(ITEM_STATUSES)),
        *((status, frozenset({status})) for status in ITEM_STATUSES),
    ),
)
_MONTHS = tuple(f"month_{i}" for i in range(ACTIVITY_MONTHS))
ACTIVITY = Lattice(_MONTHS, tuple((m, frozenset({m})) for m in _MONTHS), independent=True)


def min_group_size() -> int:
    """The smallest group a figure may describe: the setting, never below 5."""
    return max(5, int(getattr(settings, "SAMTALE_MIN_GROUP_SIZE", 5)))


# --- the organisation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Org:
    parents: Tree  # unit id -> parent id (ROOT for top units), ROOT -> None; numbered once for all tables
    units: dict  # unit id -> {"id", "name", "path"}
    children: dict  # unit id -> [child ids sorted by name]


def _load_org() -> _Org:
    parents, units, children = {ROOT: None}, {}, defaultdict(list)
    for unit_id, name, path, parent_id in OrgUnit.objects.order_by("name", "pk").values_list(
        "id", "name", "path", "parent_id"
    ):
        parents[unit_id] = parent_id or ROOT
        units[unit_id] = {"id": unit_id, "name": name, "path": path}
    for unit_id in units:
        children[parents[unit_id]].append(unit_id)
    return _Org(parents=Tree(parents), units=units, children=dict(children))


def _roll_up(org: _Org, own: dict, width: int) -> dict:
    """Subtree sums of per-unit vectors, over units only."""
    totals = {u: list(own.get(u, (0,) * width)) for u in org.parents}
    for unit in reversed(org.parents.order):
        parent = org.parents[unit]
        if parent is not None:
            totals[parent] = [a + b for a, b in zip(totals[parent], totals[unit], strict=True)]
    return totals


# --- suppression per table ------------------------------------------------------------------------------


def employee_pattern(parents: dict, employees: dict, k: int) -> dict:
    """Which "employees in scope" figures are shown, decided from that column alone: every cycle
    shares the figure, so its pattern must not depend on any cycle's (it is then fixed in each)."""
    table = suppress(parents=parents, lattice=EMPLOYEES, own={u: (n,) for u, n in employees.items()}, k=k)
    column = "employees_in_scope"
    return {(u, column): (u, column) in table.hidden for u in parents}


@dataclass(frozen=True)
class _CycleTables:
    people: SuppressedTable
    goal_kinds: dict  # unit -> [count per kind] over the subtree
    statuses: SuppressedTable
    activity: SuppressedTable  # one column per month
    months: list
    medians: dict


def _cycle_tables(
    cycle_id: int, counts: statistics_queries.Counts, org: _Org, employees: dict, fixed: dict, k: int
) -> _CycleTables:
    tree = org.parents
    categories = counts.categories.get(cycle_id, {})
    own = {}
    for unit in org.parents:
        row = categories.get(unit, [0] * 7)
        own[unit] = (employees.get(unit, 0) - sum(row), *row)
    return _CycleTables(
        people=suppress(parents=tree, lattice=PEOPLE, own=own, k=k, fixed=fixed),
        goal_kinds=_roll_up(org, counts.goal_kinds.get(cycle_id, {}), len(GOAL_KINDS)),
        statuses=suppress(parents=tree, lattice=GOAL_STATUS, own=counts.statuses.get(cycle_id, {}), k=k),
        activity=suppress(parents=tree, lattice=ACTIVITY, own=counts.activity.get(cycle_id, {}), k=k),
        months=counts.months,
        medians=counts.medians.get(cycle_id, {}),
    )


# --- the result ----------------------------------------------------------------------------------------


def _count(table: SuppressedTable, unit, column) -> dict:
    value = table.figure(unit, column)
    return {"value": value, "suppressed": value is None}


def _rate(numerator: dict, denominator: dict, digits: int = 3):
    if numerator["value"] is None or denominator["value"] is None:
        return None
    return round(numerator["value"] / denominator["value"], digits)


def _figures(tables: _CycleTables, unit) -> dict:
    people = {column: _count(tables.people, unit, column) for column in tables.people.columns}
    confirmed = people["confirmed"]
    kinds = tables.goal_kinds.get(unit, [0] * len(GOAL_KINDS))
    return {
        **people,
        "confirmed_share_of_employees": _rate(confirmed, people["employees_in_scope"]),
        "held_share_of_employees": _rate(people["conversations_held"], people["employees_in_scope"]),
        "follow_up_share": _rate(people["followed_up_last_90_days"], confirmed),
        "median_days_to_confirmation": tables.medians.get(unit) if confirmed["value"] else None,
        "goals_per_contract": {
            kind: round(kinds[i] / confirmed["value"], 2) if confirmed["value"] else None
            for i, kind in enumerate(GOAL_KINDS)
        },
        "goal_status": {column: _count(tables.statuses, unit, column) for column in tables.statuses.columns},
        "follow_up_activity": [
            {"month": month.strftime("%Y-%m"), "entries": _count(tables.activity, unit, column)}
            for month, column in zip(tables.months, _MONTHS, strict=True)
        ],
    }


def _cycle_info(cycle: Cycle | None):
    if cycle is None:
        return None
    return {
        "id": cycle.pk,
        "name": cycle.name,
        "starts_on": cycle.starts_on.isoformat(),
        "deadline": cycle.deadline.isoformat(),
    }


def _unit_info(org: _Org, unit) -> dict:
    if unit == ROOT:
        return {"id": None, "name": None, "path": None}
    return dict(org.units[unit])


def cycle_statistics(*, cycle: Cycle, unit: OrgUnit | None = None, now=None) -> dict:
    """The anonymized statistics of `cycle` for `unit` (None: the whole organisation) and each of its
    child units, with the previous cycle beside them. Plain data, ready for JSON, CSV and charts.

    Read from a snapshot of the whole organisation's tables for the cycle (`reports.statistics_cache`):
    computed once per state of the data and per day, and answered from for up to
    `SAMTALE_STATISTICS_MAX_AGE` seconds after the data changed while a new one is computed in the
    background. `computed_at` says when the figures were computed, `up_to_date` whether the data has
    changed since."""
    now = now or timezone.now()
    unit_id = unit.pk if unit is not None else ROOT
    found = _snapshot(cycle.pk, timezone.localdate(now), unit_id)
    return {
        **_result(found.value, unit_id),
        "computed_at": found.computed_at.isoformat(),
        "up_to_date": found.current,
        "generated_at": now.isoformat(),
    }


def computed_at(result: dict) -> datetime.datetime:
    """When the figures of a `cycle_statistics` result were computed, in local time (for pages)."""
    return timezone.localtime(datetime.datetime.fromisoformat(result["computed_at"]))


def refresh_snapshot(cycle: Cycle, today: datetime.date | None = None) -> bool:
    """Compute the snapshot of `cycle` now unless the stored one is up to date (for cron). True if
    computed."""
    return statistics_cache.refresh(**_snapshot_of(cycle.pk, today or timezone.localdate()))


# Part of the snapshots' key: raise it whenever what a snapshot holds changes shape, so that a release
# never reads the snapshots of an earlier one.
SNAPSHOT_FORMAT = 1


def _snapshot_key(cycle_id: int, k: int) -> tuple:
    return ("organisation", SNAPSHOT_FORMAT, cycle_id, k)


def _snapshot_of(cycle_id: int, today: datetime.date) -> dict:
    """What names, versions and computes the snapshot of a cycle, for `statistics_cache`."""
    k = min_group_size()
    return {
        "key": _snapshot_key(cycle_id, k),
        "read_version": lambda: _version(today),
        "compute": lambda: _organisation_tables(cycle_id, k, today),
    }


def _snapshot(cycle_id: int, today: datetime.date, unit_id: int) -> statistics_cache.Snapshot:
    return statistics_cache.snapshot(
        **_snapshot_of(cycle_id, today),
        refresh_later=lambda: refresh_snapshot_task.enqueue(cycle_id),
        usable=lambda tables: unit_id in tables.org.parents,
    )


def queue_refresh(cycle_id: int) -> bool:
    """Enqueue the computation of `cycle_id`'s snapshot unless one waits already. True if enqueued."""
    key = _snapshot_of(cycle_id, timezone.localdate())["key"]
    return statistics_cache.queue_refresh(key, lambda: refresh_snapshot_task.enqueue(cycle_id))


@task()
def refresh_snapshot_task(cycle_id: int) -> bool:
    """The worker computes the snapshot of a cycle (queued by a request that found it old, or after
    writes) unless it is current or being computed. True if computed."""
    return statistics_cache.refresh_queued(**_snapshot_of(cycle_id, timezone.localdate()))


def _version(today: datetime.date) -> tuple:
    """What a snapshot is computed from: the date and the data (one query; the whole cost of an
    up-to-date answer besides reading the snapshot)."""
    return (today, statistics_queries.data_version())


def _load_cycles() -> dict:
    return {c.pk: c for c in Cycle.objects.order_by("pk").only("name", "starts_on", "deadline")}


@dataclass(frozen=True)
class _OrganisationTables:
    """A snapshot's value: the suppressed tables of the whole organisation for a cycle and the one
    before it, and the organisation they were computed over. Every answer, for any unit, reads it."""

    k: int
    org: _Org
    cycle: dict
    previous_cycle: dict | None
    current: _CycleTables
    previous: _CycleTables | None


def _organisation_tables(cycle_id: int, k: int, today: datetime.date) -> _OrganisationTables:
    """The queries and the suppression for the whole organisation (the expensive part)."""
    with statistics_queries.consistent_reads():
        org, employees, cycles = _load_org(), statistics_queries.employees_by_unit(), _load_cycles()
        if cycle_id not in cycles:
            raise Cycle.DoesNotExist
        cycle = cycles[cycle_id]
        earlier = _previous(cycles, cycle)
        counts = statistics_queries.counts([c.pk for c in (cycle, earlier) if c], today)
    fixed = employee_pattern(org.parents, employees, k)
    return _OrganisationTables(
        k=k,
        org=org,
        cycle=_cycle_info(cycle),
        previous_cycle=_cycle_info(earlier),
        current=_cycle_tables(cycle.pk, counts, org, employees, fixed, k),
        previous=_cycle_tables(earlier.pk, counts, org, employees, fixed, k) if earlier else None,
    )


def _result(tables: _OrganisationTables, unit_id: int) -> dict:
    """The answer for one unit and its children, read from the tables."""
    org = tables.org
    groups = [unit_id, *org.children.get(unit_id, ())]
    return {
        "min_group_size": tables.k,
        "cycle": tables.cycle,
        "previous_cycle": tables.previous_cycle,
        "unit": _unit_info(org, unit_id),
        "groups": [
            {
                "unit": _unit_info(org, g),
                "is_total": g == unit_id,
                "current": _figures(tables.current, g),
                "previous": _figures(tables.previous, g) if tables.previous else None,
            }
            for g in groups
        ],
    }


def _previous(cycles: dict, cycle: Cycle) -> Cycle | None:
    """The cycle that started last before `cycle` (ties broken by id), among the cycles read."""
    earlier = [c for c in cycles.values() if (c.starts_on, c.pk) < (cycle.starts_on, cycle.pk)]
    return max(earlier, key=lambda c: (c.starts_on, c.pk), default=None)
