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

Queries: a fixed number whatever the size of the organisation: the data version, which is all an
answer from a snapshot costs; when computed, cycles, units, employees per unit, one query per kind of
figure covering the cycle and the previous one together (grouped by cycle), and the version again:
- the conversation categories: one GROUP BY over each conversation's flags (cycle, unit, held,
  submitted, confirmed, change requested, followed up; the last two as IN subqueries hashed once),
  summed into categories over those few groups;
- goal kinds; goal statuses (a window function picks each goal's latest status, then one GROUP BY
  counts); follow-up activity per unit and month;
- the medians of every unit's subtree: a recursive CTE pairs units with the units above them, then
  `percentile_cont` per group on PostgreSQL, window functions picking the middle rows elsewhere.
Subtree sums and the suppression then run in Python over units, never over conversations. The
suppression of a table is computed once per distinct input (`reports.suppression`).
"""

import contextlib
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Window,
)
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone

from conversations.models import Comment, Conversation, Cycle, FollowUp, Status
from goals.models import Goal
from organization.models import OrgUnit, User
from reports import statistics_cache
from reports.suppression import Lattice, SuppressedTable, Tree, suppress

ROOT = 0  # the whole organisation, a unit above the top units (OrgUnit ids start at 1)
FOLLOW_UP_WINDOW_DAYS = 90
ACTIVITY_MONTHS = 12

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
ITEM_STATUSES = tuple(s.value for s in FollowUp.ItemStatus)
GOAL_STATUS = Lattice(
    categories=ITEM_STATUSES,
    columns=(
        ("goals_with_status", frozenset(ITEM_STATUSES)),
        *((status, frozenset({status})) for status in ITEM_STATUSES),
    ),
)
_MONTHS = tuple(f"month_{i}" for i in range(ACTIVITY_MONTHS))
ACTIVITY = Lattice(_MONTHS, tuple((m, frozenset({m})) for m in _MONTHS), independent=True)
GOAL_KINDS = tuple(k.value for k in Goal.Kind)


def min_group_size() -> int:
    """The smallest group a figure may describe: the setting, never below 5."""
    return max(5, int(getattr(settings, "SAMTALE_MIN_GROUP_SIZE", 5)))


def previous_cycle(cycle: Cycle) -> Cycle | None:
    earlier = Q(starts_on__lt=cycle.starts_on) | Q(starts_on=cycle.starts_on, pk__lt=cycle.pk)
    return Cycle.objects.filter(earlier).order_by("-starts_on", "-pk").first()


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


def _key(unit_id) -> int:
    return unit_id or ROOT


# --- the queries ----------------------------------------------------------------------------------------
# Each query covers every cycle asked for at once (the cycle and the one before it), grouped by cycle:
# one pass over the conversations, goals and follow-ups of both instead of one per cycle.


def _employees_by_unit() -> dict:
    rows = User.objects.filter(is_active=True).values("unit").annotate(n=Count("pk")).order_by()
    return {_key(unit): n for unit, n in rows.values_list("unit", "n")}


def _counting_conversations(cycle_ids):
    return Conversation.objects.filter(cycle_id__in=cycle_ids).exclude(status=Status.CANCELLED)


_HELD = Q(held_on__isnull=False) | Q(first_submitted_at__isnull=False)
_SUBMITTED = Q(first_submitted_at__isnull=False)
_CONFIRMED = _SUBMITTED & Q(confirmed_version__isnull=False)


def follow_up_window_start(today: datetime.date) -> datetime.datetime:
    """Follow-ups count as recent from the start (local time) of the day FOLLOW_UP_WINDOW_DAYS before
    `today`: the figures then change only with the data and the date, never within a day."""
    day = today - datetime.timedelta(days=FOLLOW_UP_WINDOW_DAYS)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _category_counts(cycle_ids, today: datetime.date) -> dict:
    """Per cycle and unit, the conversations in each category but "not held": one GROUP BY over each
    conversation's flags (so each IN subquery is hashed once), then the categories are summed from
    those few groups."""
    # Not narrowed to the cycles: the conversations they are matched against already are, and a
    # join to narrow them would cost more than it saves.
    change_requests = Comment.objects.filter(kind=Comment.Kind.CHANGE_REQUEST).values("conversation_id")
    recent = FollowUp.objects.filter(created_at__gte=follow_up_window_start(today)).values("conversation_id")
    flags = {
        "held": _HELD,
        "submitted": _SUBMITTED,
        "confirmed": _CONFIRMED,
        "changes": Q(pk__in=change_requests),
        "followed": Q(pk__in=recent),
    }
    rows = (
        _counting_conversations(cycle_ids)
        .annotate(**{name: ExpressionWrapper(q, output_field=BooleanField()) for name, q in flags.items()})
        .values("cycle_id", "unit_id", *flags)
        .annotate(n=Count("pk"))
        .order_by()
    )
    sql, params = rows.query.sql_with_params()
    sums = ", ".join(
        f"SUM(CASE WHEN {condition} THEN f.n ELSE 0 END)" for condition in _CATEGORY_SQL.values()
    )
    query = f"SELECT f.cycle_id, f.unit_id, {sums} FROM ({sql}) f GROUP BY f.cycle_id, f.unit_id"  # noqa: S608 - SQL built by the ORM
    counts = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for cycle_id, unit_id, *row in cursor.fetchall():
            # SUM over counts is NUMERIC on PostgreSQL
            counts[cycle_id][_key(unit_id)] = [int(n) for n in row]
    return counts


_CATEGORY_SQL = {  # over the flags of one conversation, in the order of _CATEGORIES[1:]
    "held_only": "f.held AND NOT f.submitted",
    "open": "f.submitted AND NOT f.confirmed AND NOT f.changes",
    "open_changes": "f.submitted AND NOT f.confirmed AND f.changes",
    "confirmed": "f.confirmed AND NOT f.changes AND NOT f.followed",
    "confirmed_followed": "f.confirmed AND NOT f.changes AND f.followed",
    "confirmed_changes": "f.confirmed AND f.changes AND NOT f.followed",
    "confirmed_changes_followed": "f.confirmed AND f.changes AND f.followed",
}


def _confirmed_in_cycles(cycle_ids, prefix: str = "") -> Q:
    """Conversations of the cycles that count and are confirmed, from a model `prefix`ed to them."""
    return Q(
        **{
            f"{prefix}cycle_id__in": cycle_ids,
            f"{prefix}first_submitted_at__isnull": False,
            f"{prefix}confirmed_version__isnull": False,
        }
    ) & ~Q(**{f"{prefix}status": Status.CANCELLED})


def _per_cycle(width: int):
    return defaultdict(lambda: defaultdict(lambda: [0] * width))


def _goal_kind_counts(cycle_ids) -> dict:
    rows = (
        Goal.objects.filter(_confirmed_in_cycles(cycle_ids, "conversation__"))
        .values("conversation__cycle_id", "conversation__unit", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = _per_cycle(len(GOAL_KINDS))
    for cycle_id, unit, kind, n in _rows(
        rows.values_list("conversation__cycle_id", "conversation__unit", "kind", "n")
    ):
        counts[cycle_id][_key(unit)][GOAL_KINDS.index(kind)] += n
    return counts


def _rows(queryset) -> list[tuple]:
    """The rows of a values_list() of plain columns and counts, without Django's per-value
    converters (tens of thousands of rows here; the database's types are already the right ones)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _goal_status_counts(cycle_ids) -> dict:
    """Per cycle, unit and status, the goals of confirmed conversations whose latest follow-up with a
    status has that status: a window function picks each goal's latest entry, then one GROUP BY
    counts. A follow-up's goal is always a goal of the follow-up's own conversation
    (`follow_up_create` checks it), so the conversation of the entry stands for the goal's."""
    latest = (
        FollowUp.objects.filter(_confirmed_in_cycles(cycle_ids, "conversation__"))
        .filter(goal__isnull=False)
        .exclude(item_status="")
        .annotate(
            cycle_id=F("conversation__cycle_id"),
            unit_id=F("conversation__unit_id"),
            position=Window(
                RowNumber(), partition_by=[F("goal_id")], order_by=[F("created_at").desc(), F("pk").desc()]
            ),
        )
        .values("cycle_id", "unit_id", "item_status", "position")
        .order_by()
    )
    sql, params = latest.query.sql_with_params()
    query = (
        f"SELECT latest.cycle_id, latest.unit_id, latest.item_status, COUNT(*) FROM ({sql}) latest "  # noqa: S608 - SQL built by the ORM
        "WHERE latest.position = 1 GROUP BY latest.cycle_id, latest.unit_id, latest.item_status"
    )
    counts = _per_cycle(len(ITEM_STATUSES))
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for cycle_id, unit_id, status, n in cursor.fetchall():
            counts[cycle_id][_key(unit_id)][ITEM_STATUSES.index(status)] += n
    return counts


def _activity_months(today: datetime.date) -> list[datetime.date]:
    first = today.replace(day=1)
    months = []
    for back in range(ACTIVITY_MONTHS - 1, -1, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        months.append(datetime.date(year, month + 1, 1))
    return months


def _activity_counts(cycle_ids, months: list[datetime.date]) -> dict:
    start = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time()))
    rows = (
        FollowUp.objects.filter(conversation__cycle_id__in=cycle_ids, created_at__gte=start)
        .exclude(conversation__status=Status.CANCELLED)
        .annotate(month=TruncMonth("created_at"))  # local months; a third cheaper than EXTRACT's numbers
        .values("conversation__cycle_id", "conversation__unit", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = _per_cycle(len(months))
    index = {m.year * 12 + m.month: i for i, m in enumerate(months)}
    for cycle_id, unit, month, n in _rows(
        rows.values_list("conversation__cycle_id", "conversation__unit", "month", "n")
    ):
        i = index.get(_month_number(month))
        if i is not None:
            counts[cycle_id][_key(unit)][i] += n
    return counts


def _month_number(month) -> int:
    """year * 12 + month of a truncated month as the database returns it without Django's converters:
    a (naive, local) datetime, or on SQLite its text "YYYY-MM-01 00:00:00"."""
    if isinstance(month, str):
        return int(month[:4]) * 12 + int(month[5:7])
    return month.year * 12 + month.month


def _medians(cycle_ids) -> dict:
    """Per cycle, the median days to confirmation of every unit's subtree and of the whole organisation
    (ROOT), from one query: a recursive CTE pairs each unit with itself and every unit above it; on
    PostgreSQL `percentile_cont` gives each group's median (the mean of the middle two for an even
    count), elsewhere window functions pick the middle one or two conversations of each group."""
    days = ExpressionWrapper(F("confirmed_at") - F("first_submitted_at"), output_field=DurationField())
    confirmed = (
        _counting_conversations(cycle_ids)
        .filter(_CONFIRMED, confirmed_at__isnull=False)
        .annotate(days=days)
        .values_list("pk", "cycle_id", "unit_id", "days")
        .order_by()
    )
    sql, params = confirmed.query.sql_with_params()
    postgresql = connection.vendor == "postgresql"
    groups = _MEDIAN_GROUPS.format(
        units=_table(OrgUnit),
        confirmed=sql,
        root=ROOT,
        days="date_part('epoch', c.days)" if postgresql else "c.days",  # PostgreSQL: float seconds
    )
    middles = defaultdict(lambda: defaultdict(list))
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute(groups + _PERCENTILE, params)
            for cycle_id, group, seconds in cursor.fetchall():
                middles[cycle_id][group].append(seconds / 86400)
        else:
            cursor.execute(groups + _MIDDLE_ROWS, params)
            for cycle_id, group, duration in cursor.fetchall():
                middles[cycle_id][group].append(_days(duration))
    return {
        cycle_id: {g: round(sum(v) / len(v), 1) for g, v in groups.items()}
        for cycle_id, groups in middles.items()
    }


_MEDIAN_GROUPS = """
WITH RECURSIVE above(unit_id, group_id) AS (
    SELECT id, id FROM {units}
    UNION ALL
    SELECT above.unit_id, u.parent_id FROM above JOIN {units} u ON u.id = above.group_id
    WHERE u.parent_id IS NOT NULL
),
confirmed(id, cycle_id, unit_id, days) AS ({confirmed}),
grouped(id, cycle_id, group_id, days) AS (
    SELECT c.id, c.cycle_id, above.group_id, {days} FROM confirmed c JOIN above ON above.unit_id = c.unit_id
    UNION ALL
    SELECT c.id, c.cycle_id, {root}, {days} FROM confirmed c
)
"""  # noqa: S608 - tables and SQL from the ORM
# PostgreSQL: sorting float seconds within each group is several times faster than the windows.
_PERCENTILE = """
SELECT cycle_id, group_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY days)
FROM grouped GROUP BY cycle_id, group_id
"""
_MIDDLE_ROWS = """,
ranked AS (
    SELECT cycle_id, group_id, days,
        ROW_NUMBER() OVER (PARTITION BY cycle_id, group_id ORDER BY days, id) AS position,
        COUNT(*) OVER (PARTITION BY cycle_id, group_id) AS size
    FROM grouped
)
SELECT cycle_id, group_id, days FROM ranked
WHERE position = (size + 1) / 2 OR position = (size + 2) / 2
"""


def _days(duration) -> float:
    """A duration as the database returns it (an interval; microseconds on SQLite) in days."""
    if isinstance(duration, datetime.timedelta):
        return duration.total_seconds() / 86400
    return duration / 1_000_000 / 86400


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


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


@dataclass(frozen=True)
class _Counts:
    """The per-unit counts of every cycle asked for, from one query per kind of figure."""

    categories: dict  # cycle id -> unit -> [count per category but "not held"]
    goal_kinds: dict
    statuses: dict
    activity: dict
    months: list
    medians: dict  # cycle id -> group -> median days


def _counts(cycle_ids: list, today: datetime.date) -> _Counts:
    months = _activity_months(today)
    with transaction.atomic(), _planned_for_reports():
        return _Counts(
            categories=_category_counts(cycle_ids, today),
            goal_kinds=_goal_kind_counts(cycle_ids),
            statuses=_goal_status_counts(cycle_ids),
            activity=_activity_counts(cycle_ids, months),
            months=months,
            medians=_medians(cycle_ids),
        )


@contextlib.contextmanager
def _planned_for_reports():
    """On PostgreSQL, for this transaction: no JIT compilation (its estimate of the median query's rows
    is far off, and compiling cost a quarter of a second) and memory to sort without temporary files."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")
    yield


def _cycle_tables(
    cycle_id: int, counts: _Counts, org: _Org, employees: dict, fixed: dict, k: int
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
    found = _snapshot(cycle.pk, timezone.localdate(now), unit.pk if unit is not None else ROOT)
    return {
        **_result(found.value, unit.pk if unit is not None else ROOT),
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
    today = today or timezone.localdate()
    k = min_group_size()
    return statistics_cache.refresh(
        ("organisation", cycle.pk, k),
        read_version=lambda: _version(today),
        compute=lambda: _organisation_tables(cycle.pk, k, today),
    )


def _snapshot(cycle_id: int, today: datetime.date, unit_id: int) -> statistics_cache.Snapshot:
    k = min_group_size()
    return statistics_cache.snapshot(
        ("organisation", cycle_id, k),
        read_version=lambda: _version(today),
        compute=lambda: _organisation_tables(cycle_id, k, today),
        usable=lambda tables: unit_id in tables.org.parents,
    )


def _version(today: datetime.date) -> tuple:
    """What a snapshot is computed from: the date and the data (one query; the whole cost of an
    up-to-date answer besides reading the snapshot)."""
    return (today, statistics_cache.data_version())


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
    org, employees, cycles = _load_org(), _employees_by_unit(), _load_cycles()
    if cycle_id not in cycles:
        raise Cycle.DoesNotExist
    cycle = cycles[cycle_id]
    earlier = _previous(cycles, cycle)
    counts = _counts([c.pk for c in (cycle, earlier) if c], today)
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
    """`previous_cycle` over the cycles already read."""
    earlier = [c for c in cycles.values() if (c.starts_on, c.pk) < (cycle.starts_on, cycle.pk)]
    return max(earlier, key=lambda c: (c.starts_on, c.pk), default=None)
