"""The queries of the anonymized statistics (`reports.statistics`): per cycle and unit, counts and
medians computed in the database, never by a Python loop over conversations.

Queries: a fixed number whatever the size of the organisation: the data version, which is all an
answer from a snapshot costs; when computed, cycles, units, employees per unit, one query per kind of
figure covering the cycle and the previous one together (grouped by cycle), and the version again:
- the people per level (held, submitted, confirmed, followed up; the last as an IN subquery hashed
  once): per unit the person is in now, the distinct people with a conversation at each level or
  higher (`Count(distinct=True, filter=Q(...))`), each person so counted at their highest;
- goal kinds; goal statuses (each goal's entry with a status that no later one follows, `~Exists`,
  counted in one GROUP BY); follow-up activity per unit and month;
- the unit goals of the cycles; the people whose confirmed conversation has a goal naming one, and
  per unit goal its supporters (`supported_counts`, the `supports` chains in a recursive CTE);
- the medians of every unit's subtree: a recursive CTE pairs units with the units above them, then
  `percentile_cont` per group on PostgreSQL, window functions picking the middle rows elsewhere.
All through the ORM's expressions but the two queries that walk a tree with a recursive CTE, which
the ORM cannot express: they are fixed templates filled by `recursive_query` alone.
Everything counts the people in scope (active) under the unit they are in now, and their
conversations, goals and follow-ups of the cycle: the same people in every cycle. Subtree sums and
the suppression then run in Python over units, never over conversations (`reports.suppression`).
"""

import contextlib
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from conversations.models import Conversation, Cycle, FollowUp, Status
from goals.models import Goal, UnitGoal
from organization.models import OrgUnit, User

ROOT = 0  # the whole organisation, a unit above the top units (OrgUnit ids start at 1)
FOLLOW_UP_WINDOW_DAYS = 90
ACTIVITY_MONTHS = 12
ITEM_STATUSES = tuple(s.value for s in FollowUp.ItemStatus)
GOAL_KINDS = tuple(k.value for k in Goal.Kind)


def _key(unit_id) -> int:
    return unit_id or ROOT


# Each query covers every cycle asked for at once (the cycle and the one before it), grouped by cycle:
# one pass over the conversations, goals and follow-ups of both instead of one per cycle.


def employees_by_unit() -> dict:
    rows = User.objects.filter(is_active=True).values("unit").annotate(n=Count("pk")).order_by()
    return {_key(unit): n for unit, n in rows.values_list("unit", "n")}


def _counting_conversations(cycle_ids):
    """The conversations that count: of the cycles, not cancelled, of people in scope (active)."""
    return Conversation.objects.filter(cycle_id__in=cycle_ids, employee__is_active=True).exclude(
        status=Status.CANCELLED
    )


_HELD = Q(held_on__isnull=False) | Q(first_submitted_at__isnull=False)
_SUBMITTED = Q(first_submitted_at__isnull=False)
_CONFIRMED = _SUBMITTED & Q(confirmed_version__isnull=False)


def follow_up_window_start(today: datetime.date) -> datetime.datetime:
    """Follow-ups count as recent from the start (local time) of the day FOLLOW_UP_WINDOW_DAYS before
    `today`: the figures then change only with the data and the date, never within a day."""
    day = today - datetime.timedelta(days=FOLLOW_UP_WINDOW_DAYS)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def level_counts(cycle_ids, today: datetime.date) -> dict:
    """Per cycle and unit (where each person is now), the people in scope at each level 1..4 (held,
    submitted, confirmed, followed up; level 0, not held, is the rest of the unit's people): each
    person counts once, at the highest level any of their conversations of the cycle reached. One
    GROUP BY: a person is at a level or higher when one of their conversations is (the levels are
    nested conditions), so the people at or above each level are distinct counts, and those at a level
    the difference of two."""
    recent = FollowUp.objects.filter(created_at__gte=follow_up_window_start(today)).values("conversation_id")
    at_least = (_HELD, _SUBMITTED, _CONFIRMED, _CONFIRMED & Q(pk__in=recent))  # levels 1..4
    rows = (
        _counting_conversations(cycle_ids)
        .values("cycle_id", "employee__unit_id")
        .annotate(
            **{f"level_{i}": Count("employee_id", distinct=True, filter=q) for i, q in enumerate(at_least, 1)}
        )
        .order_by()
    )
    counts = _per_cycle(LEVELS)
    columns = [f"level_{i}" for i in range(1, LEVELS)]
    for cycle_id, unit_id, *people in _rows(rows.values_list("cycle_id", "employee__unit_id", *columns)):
        if people[0]:  # nobody held: no level above 0
            row = counts[cycle_id][_key(unit_id)]
            for level, (here, above) in enumerate(zip(people, [*people[1:], 0], strict=True), 1):
                row[level] += here - above
    return counts


LEVELS = 5  # not held, held, submitted, confirmed, followed up


def _confirmed_in_cycles(cycle_ids, prefix: str = "") -> Q:
    """Conversations of the cycles that count (of people in scope, not cancelled) and are confirmed,
    from a model `prefix`ed to them."""
    return Q(
        **{
            f"{prefix}cycle_id__in": cycle_ids,
            f"{prefix}first_submitted_at__isnull": False,
            f"{prefix}confirmed_version__isnull": False,
            f"{prefix}employee__is_active": True,
        }
    ) & ~Q(**{f"{prefix}status": Status.CANCELLED})


def _per_cycle(width: int):
    return defaultdict(lambda: defaultdict(lambda: [0] * width))


def _goal_kind_counts(cycle_ids) -> dict:
    rows = (
        Goal.objects.filter(_confirmed_in_cycles(cycle_ids, "conversation__"))
        .values("conversation__cycle_id", "conversation__employee__unit", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = _per_cycle(len(GOAL_KINDS))
    for cycle_id, unit, kind, n in _rows(
        rows.values_list("conversation__cycle_id", "conversation__employee__unit", "kind", "n")
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
    status has that status: each goal's entry with a status that no later one (by time, then id)
    follows, counted in one GROUP BY. A follow-up's goal is always a goal of the follow-up's own
    conversation (`follow_up_create` checks it), so the conversation of the entry stands for the
    goal's, and all the entries of a goal pass or fail the conversation's conditions together."""
    with_status = FollowUp.objects.filter(goal__isnull=False).exclude(item_status="")
    later = with_status.filter(goal_id=OuterRef("goal_id")).filter(
        Q(created_at__gt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    )
    rows = (
        with_status.filter(_confirmed_in_cycles(cycle_ids, "conversation__"))
        .filter(~Exists(later))
        .values("conversation__cycle_id", "conversation__employee__unit_id", "item_status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = _per_cycle(len(ITEM_STATUSES))
    for cycle_id, unit_id, status, n in _rows(
        rows.values_list("conversation__cycle_id", "conversation__employee__unit_id", "item_status", "n")
    ):
        counts[cycle_id][_key(unit_id)][ITEM_STATUSES.index(status)] += n
    return counts


def activity_months(today: datetime.date) -> list[datetime.date]:
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
        .filter(conversation__employee__is_active=True)
        .exclude(conversation__status=Status.CANCELLED)
        .annotate(month=TruncMonth("created_at"))  # local months; a third cheaper than EXTRACT's numbers
        .values("conversation__cycle_id", "conversation__employee__unit", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = _per_cycle(len(months))
    index = {m.year * 12 + m.month: i for i, m in enumerate(months)}
    for cycle_id, unit, month, n in _rows(
        rows.values_list("conversation__cycle_id", "conversation__employee__unit", "month", "n")
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
    postgresql = connection.vendor == "postgresql"
    days = ExpressionWrapper(F("confirmed_at") - F("first_submitted_at"), output_field=DurationField())
    if postgresql:  # float seconds, which percentile_cont interpolates
        days = Func(days, template="date_part('epoch', %(expressions)s)", output_field=FloatField())
    confirmed = (
        _counting_conversations(cycle_ids)
        .filter(_CONFIRMED, confirmed_at__isnull=False)
        .annotate(days=days, person_unit=F("employee__unit_id"))
        .values_list("pk", "cycle_id", "person_unit", "days")
        .order_by()
    )
    sql, params = recursive_query(
        _MEDIAN_GROUPS + (_PERCENTILE if postgresql else _MIDDLE_ROWS),
        tables={"units": OrgUnit},
        subqueries={"confirmed": confirmed},
    )
    middles = defaultdict(lambda: defaultdict(list))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for cycle_id, group, days in cursor.fetchall():
            middles[cycle_id][group].append(days / 86400 if postgresql else _days(days))
    return {
        cycle_id: {g: round(sum(v) / len(v), 1) for g, v in groups.items()}
        for cycle_id, groups in middles.items()
    }


# The median's groups: each confirmed conversation in the group of its person's unit, of every unit
# above it and of the whole organisation (ROOT, 0).
_MEDIAN_GROUPS = """
WITH RECURSIVE above(unit_id, group_id, hops) AS (
    SELECT id, id, 0 FROM {units}
    UNION ALL
    SELECT above.unit_id, u.parent_id, above.hops + 1 FROM above JOIN {units} u ON u.id = above.group_id
    WHERE u.parent_id IS NOT NULL AND above.hops < 1000
),
confirmed(id, cycle_id, unit_id, days) AS ({confirmed}),
grouped(id, cycle_id, group_id, days) AS (
    SELECT c.id, c.cycle_id, above.group_id, c.days FROM confirmed c JOIN above ON above.unit_id = c.unit_id
    UNION ALL
    SELECT c.id, c.cycle_id, 0, c.days FROM confirmed c
)
"""
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


def recursive_query(template: str, *, tables: dict, subqueries: dict) -> tuple[str, list]:
    """The statistics' one exception to "no SQL text composed by the project" (issue 18): Django's
    ORM has no WITH RECURSIVE, which the two queries that walk a tree need (each unit up to the root,
    for the medians; each unit goal up its `supports` chain, `supported_counts`). Their SQL is a fixed
    template (a module constant) whose only substitutions are quoted model tables (`{name}` in
    `tables`, by `Model._meta.db_table`) and querysets compiled by the ORM (`{name}` in `subqueries`,
    each once), whose parameters are passed to the database in the order the subqueries appear.
    `tests/reports/test_statistics_queries.py` compares both queries with oracles that read through
    the ORM alone."""
    parts = {name: connection.ops.quote_name(model._meta.db_table) for name, model in tables.items()}
    compiled = {name: queryset.query.sql_with_params() for name, queryset in subqueries.items()}
    if any(template.count("{" + name + "}") != 1 for name in compiled):
        raise ValueError("each subquery appears once in the template")
    params = []
    for name in sorted(compiled, key=lambda name: template.index("{" + name + "}")):
        parts[name] = compiled[name][0]
        params.extend(compiled[name][1])
    return template.format(**parts), params


def _days(duration) -> float:
    """A duration as the database returns it (an interval; microseconds on SQLite) in days."""
    if isinstance(duration, datetime.timedelta):
        return duration.total_seconds() / 86400
    return duration / 1_000_000 / 86400


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def data_version() -> tuple:
    """One row: the number of conversations and the newest audit event of every table the statistics
    read. Database triggers (`core.audit`) write an event for every insert, update and delete, however
    it was made - services, admin, `QuerySet.update`, bulk writes, raw SQL; the number of conversations
    because retention deletes audit rows along with conversations, so the newest event alone could
    fall back to an earlier value."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        return tuple(cursor.fetchone())


# Everything the statistics read: conversations, goals and follow-ups (the figures), people
# (active, unit), units (names, tree), cycles (names, dates) and unit goals (titles, supports).
VERSIONED = (Conversation, Goal, FollowUp, User, OrgUnit, Cycle, UnitGoal)


def _version_sql() -> str:
    newest_events = ", ".join(
        f"(SELECT MAX(pgh_id) FROM {_table(_event_model(model))})"  # noqa: S608 - model tables
        for model in VERSIONED
    )
    return f"SELECT (SELECT COUNT(*) FROM {_table(Conversation)}), {newest_events}"  # noqa: S608 - model tables


def _event_model(model):
    """The audit event model of a tracked model (`core.audit.track`)."""
    return model.pgh_event_models["insert"]


@dataclass(frozen=True)
class Counts:
    """The per-unit counts of every cycle asked for, from one query per kind of figure."""

    levels: dict  # cycle id -> unit -> [people per level; level 0 left at 0 (the rest of the unit)]
    goal_kinds: dict
    statuses: dict
    activity: dict
    months: list
    medians: dict  # cycle id -> group -> median days
    # cycle id -> [(id, unit id, id of the unit goal it supports or None, title)], by unit path and id
    unit_goals: dict = field(default_factory=dict)
    # see `supported_counts`: cycle id -> unit -> people with a supported goal, and cycle id ->
    # [(unit, unit goal id, people supporting it)]
    aligned: dict = field(default_factory=dict)
    supporting: dict = field(default_factory=dict)


def counts(cycle_ids: list, today: datetime.date) -> Counts:
    """Every per-unit count of the cycles; run it inside `consistent_reads()`."""
    months = activity_months(today)
    aligned, supporting = supported_counts(cycle_ids)
    return Counts(
        levels=level_counts(cycle_ids, today),
        goal_kinds=_goal_kind_counts(cycle_ids),
        statuses=_goal_status_counts(cycle_ids),
        activity=_activity_counts(cycle_ids, months),
        months=months,
        medians=_medians(cycle_ids),
        unit_goals=unit_goals(cycle_ids),
        aligned=aligned,
        supporting=supporting,
    )


def unit_goals(cycle_ids) -> dict:
    """cycle id -> [(id, unit id, id of the unit goal it supports or None, title)], by unit path and
    id (the order the statistics list them in)."""
    found = defaultdict(list)
    rows = (
        UnitGoal.objects.filter(cycle_id__in=cycle_ids)
        .order_by("unit__path", "pk")
        .values_list("cycle_id", "pk", "unit_id", "supports_id", "title")
    )
    for cycle_id, *goal in rows:
        found[cycle_id].append(tuple(goal))
    return dict(found)


def supported_counts(cycle_ids) -> tuple[dict, dict]:
    """Per cycle and unit (where each person is now): the people in scope with a confirmed
    conversation of the cycle one of whose goals names a unit goal (cycle -> unit -> people), and per
    unit goal the people supporting it (cycle -> [(unit, unit goal id, people)]): whose goals name it
    or a unit goal whose `supports` chain leads up to it. One query: a recursive CTE pairs each unit
    goal with itself and every one up its chain (UNION: a loop in bad data ends), then people are
    counted per unit, and per unit and goal reached."""
    links = (
        Goal.objects.filter(_confirmed_in_cycles(cycle_ids, "conversation__"), supports__isnull=False)
        .annotate(
            cycle=F("conversation__cycle_id"),
            person=F("conversation__employee_id"),
            person_unit=F("conversation__employee__unit_id"),
        )
        .values("cycle", "person", "person_unit", "supports_id")
        .order_by()
    )
    goals = UnitGoal.objects.filter(cycle_id__in=cycle_ids).values_list("pk").order_by()
    sql, params = recursive_query(
        _SUPPORTED, tables={"unit_goals": UnitGoal}, subqueries={"goals": goals, "links": links}
    )
    aligned = defaultdict(lambda: defaultdict(int))
    supporting = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for cycle_id, unit_id, goal_id, n in cursor.fetchall():
            if goal_id is None:
                aligned[cycle_id][_key(unit_id)] += n
            else:
                supporting[cycle_id].append((_key(unit_id), goal_id, n))
    return aligned, supporting


_SUPPORTED = """
WITH RECURSIVE chain(goal_id, reached_id) AS (
    SELECT g.id, g.id FROM {unit_goals} g WHERE g.id IN ({goals})
    UNION
    SELECT chain.goal_id, g.supports_id FROM chain JOIN {unit_goals} g ON g.id = chain.reached_id
    WHERE g.supports_id IS NOT NULL
),
links(cycle, person, person_unit, supports_id) AS ({links})
SELECT l.cycle, l.person_unit, NULL, COUNT(DISTINCT l.person) FROM links l GROUP BY l.cycle, l.person_unit
UNION ALL
SELECT l.cycle, l.person_unit, c.reached_id, COUNT(DISTINCT l.person)
FROM links l JOIN chain c ON c.goal_id = l.supports_id
GROUP BY l.cycle, l.person_unit, c.reached_id
"""


@contextlib.contextmanager
def consistent_reads():
    """A transaction for reading everything a snapshot is computed from. On PostgreSQL, when it is the
    outermost transaction: REPEATABLE READ, so that every query sees the same state of the data (the
    people table's "not held" is employees minus the conversations counted, read by two queries); no
    JIT compilation (its estimate of the median query's rows is far off, and compiling cost a quarter
    of a second); and memory to sort without temporary files."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                if outermost:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL work_mem = '64MB'")
        yield
