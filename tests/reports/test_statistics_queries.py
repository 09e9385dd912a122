"""The statistics' queries (`reports.statistics_queries`) against oracles that read through the ORM alone
and count in Python: the people per level and the goal statuses (ORM expressions), and the two queries
with a recursive CTE, composed by `recursive_query` (the medians of every subtree, the line of sight's
supporters up the `supports` chains)."""

import datetime
import statistics as stats
from collections import defaultdict

import pytest
from django.utils import timezone

from conversations.models import Conversation, FollowUp, Status
from goals.models import Goal, UnitGoal
from organization.models import OrgUnit
from reports import statistics_queries
from reports.statistics_queries import ROOT
from tests import factories
from tests.reports.statistics_helpers import conversation, people, unit

pytestmark = pytest.mark.django_db


def build(cycle):
    """Kommune > A > A1, Kommune > B, and people without a unit: conversations in every state, confirmed
    after 1 to 9 days (odd and even counts per subtree), follow-ups with statuses (two at the same
    time on one goal), unit goals in a `supports` chain and goals naming them."""
    kommune = unit("Kommune")
    a, b = unit("A", kommune), unit("B", kommune)
    a1 = unit("A1", a)
    k1 = UnitGoal.objects.create(unit=kommune, cycle=cycle, title="K1")
    a_goal = UnitGoal.objects.create(unit=a, cycle=cycle, title="A1", supports=k1)
    boss = factories.LeaderFactory(unit=kommune)
    days = iter(range(1, 100))
    for where, states in (
        (kommune, ("confirmed", "draft")),
        (a, ("confirmed", "confirmed", "held", "submitted", "cancelled")),
        (a1, ("confirmed", "confirmed", "confirmed", "draft")),
        (b, ("confirmed", "confirmed", "submitted", "held")),
        (None, ("confirmed", "confirmed")),
    ):
        _, staff = people(len(states), where, manager=boss)
        for person, state in zip(staff, states, strict=True):
            conv = conversation(
                cycle,
                boss,
                person,
                state,
                days_to_confirm=next(days) % 9 + 1,
                goals=("result", "development"),
                follow_up_days_ago=20 if state == "confirmed" else None,
                statuses=("on_track", "at_risk"),
            )
            if state == "confirmed":
                Goal.objects.filter(conversation=conv, order=0).update(supports=a_goal if where == a1 else k1)
    goal = Goal.objects.filter(conversation__employee__unit=a1, conversation__status=Status.CONFIRMED).first()
    at = timezone.now() - datetime.timedelta(days=5)
    for status in ("achieved", "off_track"):  # at the same time: the later id is the latest
        FollowUp.objects.create(
            conversation=goal.conversation,
            goal=goal,
            author=boss,
            text="x",
            item_status=status,
            created_at=at,
        )


def counting():
    return Conversation.objects.filter(employee__is_active=True).exclude(status=Status.CANCELLED)


def above(unit_id) -> list:
    """The unit and every unit above it."""
    parents = dict(OrgUnit.objects.values_list("pk", "parent_id"))
    found = []
    while unit_id is not None:
        found.append(unit_id)
        unit_id = parents[unit_id]
    return found


def test_people_per_level(cycle):
    build(cycle)
    today = timezone.localdate()
    start = statistics_queries.follow_up_window_start(today)
    highest = {}
    for conv in counting().filter(cycle=cycle).select_related("employee"):
        recent = conv.follow_ups.filter(created_at__gte=start).exists()
        submitted = conv.first_submitted_at is not None
        confirmed = submitted and conv.confirmed_version_id is not None
        level = 4 if confirmed and recent else 3 if confirmed else 2 if submitted else int(bool(conv.held_on))
        key = (conv.employee.unit_id or ROOT, conv.employee_id)
        highest[key] = max(highest.get(key, 0), level)
    expected = defaultdict(lambda: [0] * statistics_queries.LEVELS)
    for (unit_id, _), level in highest.items():
        if level:
            expected[unit_id][level] += 1

    found = statistics_queries.level_counts([cycle.pk], today)[cycle.pk]

    assert dict(found) == dict(expected)
    assert sum(map(sum, expected.values())) == 14  # 17 people: 1 cancelled, 2 drafts


def test_goal_statuses(cycle):
    build(cycle)
    expected = defaultdict(lambda: [0] * len(statistics_queries.ITEM_STATUSES))
    for goal in Goal.objects.filter(conversation__in=counting().filter(confirmed_version__isnull=False)):
        entries = FollowUp.objects.filter(goal=goal).exclude(item_status="").order_by("-created_at", "-pk")
        if entries:
            unit_id = goal.conversation.employee.unit_id or ROOT
            expected[unit_id][statistics_queries.ITEM_STATUSES.index(entries[0].item_status)] += 1

    found = statistics_queries._goal_status_counts([cycle.pk])[cycle.pk]

    assert dict(found) == dict(expected)
    assert "off_track" in {
        s
        for counts in found.values()
        for s, n in zip(statistics_queries.ITEM_STATUSES, counts, strict=True)
        if n
    }


def test_medians_of_every_subtree(cycle):
    build(cycle)
    days = defaultdict(list)
    confirmed = counting().filter(
        first_submitted_at__isnull=False, confirmed_version__isnull=False, confirmed_at__isnull=False
    )
    for unit_id, submitted, confirmed_at in confirmed.values_list(
        "employee__unit_id", "first_submitted_at", "confirmed_at"
    ):
        for group in [*above(unit_id), ROOT]:
            days[group].append((confirmed_at - submitted).total_seconds() / 86400)
    expected = {group: round(stats.median(values), 1) for group, values in days.items()}

    found = statistics_queries._medians([cycle.pk])[cycle.pk]

    assert found == expected
    assert len({len(values) % 2 for values in days.values()}) == 2  # odd and even groups


def test_supporters_up_the_chains(cycle):
    build(cycle)
    aligned, supporting = defaultdict(set), defaultdict(set)
    goals = Goal.objects.filter(
        conversation__in=counting().filter(first_submitted_at__isnull=False, confirmed_version__isnull=False),
        supports__isnull=False,
    ).select_related("conversation__employee", "supports")
    for goal in goals:
        person = goal.conversation.employee
        unit_id = person.unit_id or ROOT
        aligned[unit_id].add(person.pk)
        reached = goal.supports
        while reached is not None:
            supporting[(unit_id, reached.pk)].add(person.pk)
            reached = reached.supports

    found_aligned, found_supporting = statistics_queries.supported_counts([cycle.pk])

    assert dict(found_aligned[cycle.pk]) == {u: len(p) for u, p in aligned.items()}
    assert sorted(found_supporting[cycle.pk]) == sorted((u, g, len(p)) for (u, g), p in supporting.items())
    assert len({g for _, g in supporting}) == 2  # the chain reached


def test_a_subquery_appears_once_in_a_recursive_query():
    with pytest.raises(ValueError, match="once"):
        statistics_queries.recursive_query(
            "SELECT 1 FROM ({goals}) a, ({goals}) b",
            tables={},
            subqueries={"goals": UnitGoal.objects.values_list("pk")},
        )
