"""Anonymized statistics for HR: read-only, returns plain data (dicts, lists, numbers, strings).

Definitions, for one cycle and one unit U ("the subtree" is U and every unit below it; without a unit,
the whole organisation, including people and conversations that have no unit):
- employees in scope: active users (`User.is_active`) whose *current* unit is in the subtree. The figure
  does not depend on the cycle, so the same figure stands beside the previous cycle.
- Every other figure counts the same people: each person in scope once, under the unit they are in
  now, by the highest level any of their conversations of the cycle reached (cancelled ones never
  count): so a person who moved counts in their new unit in both cycles, and people who left (not
  active) count nowhere. Goals and follow-up entries likewise count under their employee's unit now.
- held: `held_on` is set, or the conversation was ever submitted (`first_submitted_at` set): a contract
  sent for confirmation was agreed in a meeting even when nobody filled in the date.
- submitted: `first_submitted_at` set.
- confirmed: submitted, and some version is binding (`confirmed_version` set).
- followed up: confirmed, with a follow-up entry in the last 90 days (see below).
- median days to confirmation: over the confirmed, days from `first_submitted_at` to `confirmed_at` (the
  first confirmation), one decimal.
- goals per contract, by kind: the current goals of confirmed conversations divided by confirmed (people
  with a confirmed conversation).
- follow-up share: followed up / confirmed.
- goal status distribution: each goal of a confirmed conversation counts under the `item_status` of
  its latest follow-up entry that has one (latest by `created_at`, then id); goals never given a
  status are left out. Counts of goals, per status and in total.
- follow-up activity: follow-up entries on the cycle's (not cancelled) conversations per calendar month,
  the twelve months up to and including the current one, counted from the month the cycle starts in.
  The months before it count nothing by definition (a conversation, and so an entry, can exist before
  its cycle starts; such entries are not counted): they show 0 everywhere, which depends on no data
  and so reveals nothing, instead of a "hidden" that would look like missing figures.
- previous cycle: the cycle that started last before this one (ties broken by id).
- the line of sight (`reports.alignment`): confirmed with a supported goal
  (`confirmed_with_supported_goal`: people with a confirmed conversation one of whose goals names a
  unit goal), its share of the confirmed (`supported_goal_share`), and per unit goal in the unit's line
  of sight (its own unit's and those above) the people supporting it directly or through a unit goal
  below it (`unit_goals[].confirmed_supporting`).

Anonymity (`reports.suppression`, where the attacker and the guarantee are stated): every count is at
least `min_group_size()` or None and marked suppressed; rates and medians appear only where every count
they are computed from is shown (goals per contract: the goals of the kind and confirmed; the share
with a supported goal: both counts). Employees in
scope are shown wherever they are at least k (HR knows every unit's head count). Each cycle shows the
columns of the chain held >= submitted >= confirmed >= followed up that its data allows best, and the
others where they can be added within the units that show those (nested tables); elsewhere they are
null. Goals with a status are shown as a total of their own where that shows more (the statuses then
split off it where they can). Changes requested are no longer published: they overlap confirmed and
not confirmed, so no partition of the people holds them. Suppression is decided for the whole
organisation at once, per cycle, so answers for different units show each figure the same way. No
names, person ids or free text are ever part of the result.

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

import numpy as np
from django.conf import settings
from django.utils import timezone
from django_tasks import task

from conversations.models import Cycle
from organization.models import OrgUnit
from reports import alignment, statistics_cache, statistics_queries
from reports.statistics_queries import (  # noqa: F401 - part of this module's interface
    ACTIVITY_MONTHS,
    FOLLOW_UP_WINDOW_DAYS,
    GOAL_KINDS,
    ITEM_STATUSES,
    ROOT,
    follow_up_window_start,
)
from reports.suppression import suppress
from reports.unit_tree import Tree

# The people's chain: column i counts the people at level i + 1 or higher (see `level_counts`).
CHAIN = ("conversations_held", "submitted", "confirmed", "followed_up_last_90_days")
# What a column is worth to HR when a cycle's columns are chosen (`suppress`, "chain"): confirmed is
# what the rates, the medians and goals per contract are computed over.
CHAIN_WEIGHTS = {"conversations_held": 2, "submitted": 1, "confirmed": 3, "followed_up_last_90_days": 2}
PEOPLE_COLUMNS = ("employees_in_scope", *CHAIN)
# The level from which a person can be told to be in a set of units by the other tables: goals,
# statuses and follow-up entries exist only in confirmed conversations.
CONFIRMED_LEVEL = 3
_MONTHS = tuple(f"month_{i}" for i in range(ACTIVITY_MONTHS))


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


def _org_of(parents: dict) -> _Org:
    """An organisation from unit -> parent alone (ROOT above the top units), without names."""
    children = defaultdict(list)
    for unit, parent in parents.items():
        if parent is not None:
            children[parent].append(unit)
    units = {u: {"id": u, "name": str(u), "path": str(u)} for u in parents if u != ROOT}
    return _Org(parents=Tree(parents), units=units, children=dict(children))


def figures_by_unit(
    *, parents: dict, heads: dict, counts: statistics_queries.Counts, cycle_id, k: int
) -> dict:
    """unit -> the figures of one cycle as an answer shows them (`groups[].current`), computed from
    per-unit counts without the database: the same code as the snapshots, for tests and
    measurements. `parents`: unit -> parent, ROOT -> None; `heads`: people in scope per unit."""
    org = _org_of(parents)
    tables = _cycle_tables(cycle_id, counts, org, heads, k)
    return {unit: _figures(tables, unit, org) for unit in parents}


def _roll_up(org: _Org, own, width: int) -> np.ndarray:
    """Subtree sums of per-unit vectors (a mapping or an array in the tree's numbering), one row per
    unit in the tree's numbering."""
    values = org.parents.array(own) if len(own) else np.zeros((len(org.parents), width), dtype=np.int64)
    return org.parents.subtree_sums(values.reshape(len(org.parents), -1))


# --- what each cycle shows -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Table:
    """One table's subtree sums (unit -> [value per column]) and, per column, the units showing it."""

    columns: tuple
    totals: np.ndarray  # one row per unit in the tree's numbering (`Tree.index`)
    index: dict  # unit -> row
    shown: dict  # column -> frozenset of units

    def figure(self, unit, column):
        """The published count, or None when it is not shown."""
        if unit not in self.shown[column]:
            return None
        return int(self.totals[self.index[unit], self.columns.index(column)])


def _single_tables(
    org: _Org, own: dict, heads, columns: tuple, k: int, eligible=None, empty_by_definition=()
) -> _Table:
    """Columns that each count a population of their own (goals of a kind, entries of a month): one
    zone table per column. The columns `empty_by_definition` count nothing whatever the data (the
    months before the cycle's first): 0 everywhere, shown everywhere, which tells nobody anything."""
    tree = org.parents
    values = tree.array(own) if own else np.zeros((len(tree), len(columns)), dtype=np.int64)
    if empty_by_definition:
        values = values.copy()
        values[:, [columns.index(column) for column in empty_by_definition]] = 0
    shown = suppress(tree, values, k, layout="each", columns=columns, heads=heads, eligible=eligible)
    everywhere = frozenset(tree.order)
    shown.update(dict.fromkeys(empty_by_definition, everywhere))
    return _Table(columns=columns, totals=_roll_up(org, values, len(columns)), index=tree.index, shown=shown)


def _people_table(org: _Org, levels: dict, heads: dict, k: int) -> _Table:
    """People in scope (shown wherever at least k: HR knows them) and the chain columns the cycle's
    data shows best, then the others where they can be added (`suppress`'s "chain" layout)."""
    own = {u: [heads.get(u, 0) - sum(levels.get(u, ())), *levels.get(u, [0] * 5)[1:]] for u in org.parents}
    shown = suppress(
        org.parents,
        own,
        k,
        layout="chain",
        columns=CHAIN,
        weights=CHAIN_WEIGHTS,
        present_from=CONFIRMED_LEVEL,
    )
    level_totals = _roll_up(org, own, len(CHAIN) + 1)
    # people in scope, then column i: the people at level i + 1 or higher
    totals = np.cumsum(level_totals[:, ::-1], axis=1)[:, ::-1]
    order = org.parents.order
    shown["employees_in_scope"] = frozenset(order[u] for u in np.flatnonzero(totals[:, 0] >= k))
    return _Table(columns=PEOPLE_COLUMNS, totals=totals, index=org.parents.index, shown=shown)


def _status_table(org: _Org, own: dict, heads: dict, k: int) -> _Table:
    """Goals by status: one zone table per status, or nested tables (the total, then statuses split off
    it), whichever shows more figures (`suppress`'s "partition" layout)."""
    tree = org.parents
    values = tree.array(own) if own else np.zeros((len(tree), len(ITEM_STATUSES)), dtype=np.int64)
    columns = ("goals_with_status", *ITEM_STATUSES)
    shown = suppress(tree, values, k, layout="partition", columns=columns, heads=heads)
    totals = _roll_up(org, values, len(ITEM_STATUSES))
    return _Table(
        columns=columns,
        totals=np.column_stack([totals.sum(axis=1), totals]),
        index=tree.index,
        shown=shown,
    )


@dataclass(frozen=True)
class _CycleTables:
    people: _Table
    goal_kinds: _Table  # shown only where confirmed is: goals per contract
    statuses: _Table
    activity: _Table  # one column per month
    months: list
    medians: dict
    alignment: alignment.AlignmentTables  # the line of sight (`reports.alignment`)


def _months_before(months: list, starts_on: datetime.date | None) -> tuple:
    """The activity columns of the months before the one the cycle starts in."""
    if starts_on is None:
        return ()
    first = starts_on.replace(day=1)
    return tuple(column for month, column in zip(months, _MONTHS, strict=True) if month < first)


def _cycle_tables(
    cycle_id: int, counts: statistics_queries.Counts, org: _Org, heads: dict, k: int, starts_on=None
):
    people = _people_table(org, counts.levels.get(cycle_id, {}), heads, k)
    return _CycleTables(
        alignment=_alignment_tables(org, people, counts, cycle_id, k),
        people=people,
        goal_kinds=_single_tables(
            org, counts.goal_kinds.get(cycle_id, {}), heads, GOAL_KINDS, k, eligible=people.shown["confirmed"]
        ),
        statuses=_status_table(org, counts.statuses.get(cycle_id, {}), heads, k),
        activity=_single_tables(
            org,
            counts.activity.get(cycle_id, {}),
            heads,
            _MONTHS,
            k,
            empty_by_definition=_months_before(counts.months, starts_on),
        ),
        months=counts.months,
        medians=counts.medians.get(cycle_id, {}),
    )


def _alignment_tables(org: _Org, people: _Table, counts: statistics_queries.Counts, cycle_id, k: int):
    """The line of sight's tables, nested under the people table's confirmed."""
    goals = counts.unit_goals.get(cycle_id, [])
    if not goals:
        return alignment.EMPTY
    confirmed = people.totals[:, PEOPLE_COLUMNS.index("confirmed")]
    tree = org.parents
    # the people at the confirmed level or above, per unit: subtree sums back to each unit's own
    confirmed_own = confirmed.copy()
    children = tree.parents >= 0
    np.subtract.at(confirmed_own, tree.parents[children], confirmed[children])
    return alignment.build(
        tree=tree,
        confirmed_own=confirmed_own,
        confirmed_shown=people.shown["confirmed"],
        goals=goals,
        aligned=counts.aligned.get(cycle_id, {}),
        supporting=counts.supporting.get(cycle_id, []),
        k=k,
    )


# --- the result ----------------------------------------------------------------------------------------


def _count(table: _Table, unit, column) -> dict:
    value = table.figure(unit, column)
    return {"value": value, "suppressed": value is None}


def _rate(numerator: dict, denominator: dict, digits: int = 3):
    if numerator["value"] is None or denominator["value"] is None:
        return None
    return round(numerator["value"] / denominator["value"], digits)


def _figures(tables: _CycleTables, unit, org: _Org) -> dict:
    people = {column: _count(tables.people, unit, column) for column in tables.people.columns}
    confirmed = people["confirmed"]
    aligned = tables.alignment.aligned_figure(unit)
    aligned = {"value": aligned, "suppressed": aligned is None}
    return {
        **people,
        "confirmed_share_of_employees": _rate(confirmed, people["employees_in_scope"]),
        "held_share_of_employees": _rate(people["conversations_held"], people["employees_in_scope"]),
        "follow_up_share": _rate(people["followed_up_last_90_days"], confirmed),
        "median_days_to_confirmation": tables.medians.get(unit) if confirmed["value"] else None,
        "goals_per_contract": {
            kind: _rate(_count(tables.goal_kinds, unit, kind), confirmed, digits=2) for kind in GOAL_KINDS
        },
        "goal_status": {column: _count(tables.statuses, unit, column) for column in tables.statuses.columns},
        "follow_up_activity": [
            {"month": month.strftime("%Y-%m"), "entries": _count(tables.activity, unit, column)}
            for month, column in zip(tables.months, _MONTHS, strict=True)
        ],
        "confirmed_with_supported_goal": aligned,
        "supported_goal_share": _rate(aligned, confirmed),
        "unit_goals": alignment.figures(tables.alignment, org.parents, unit, lambda u: _unit_info(org, u)),
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
# never reads the snapshots of an earlier one (and whenever the suppression changes what it shows: 4,
# nested tables and `present_from`, so that no snapshot of the earlier rule is answered after a release).
SNAPSHOT_FORMAT = 6  # 5: the months before a cycle's first count nothing, the line of sight


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
    return _OrganisationTables(
        k=k,
        org=org,
        cycle=_cycle_info(cycle),
        previous_cycle=_cycle_info(earlier),
        current=_cycle_tables(cycle.pk, counts, org, employees, k, cycle.starts_on),
        previous=_cycle_tables(earlier.pk, counts, org, employees, k, earlier.starts_on) if earlier else None,
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
                "current": _figures(tables.current, g, org),
                "previous": _figures(tables.previous, g, org) if tables.previous else None,
            }
            for g in groups
        ],
    }


def _previous(cycles: dict, cycle: Cycle) -> Cycle | None:
    """The cycle that started last before `cycle` (ties broken by id), among the cycles read."""
    earlier = [c for c in cycles.values() if (c.starts_on, c.pk) < (cycle.starts_on, cycle.pk)]
    return max(earlier, key=lambda c: (c.starts_on, c.pk), default=None)
