"""Reads of unit goals that are more than one queryset call."""

from collections import defaultdict
from dataclasses import dataclass

from conversations.models import Conversation, Status
from goals.models import Goal, Proposal, UnitGoal, unit_paths_up_to
from organization.models import User


def unit_goals(*, cycle: int | None = None, unit: int | None = None, for_employee: int | None = None):
    """Unit goals with their units (one query however many), filtered by cycle, unit, and the line of
    sight of a person (their unit and every unit above it; none for someone without a unit)."""
    goals = UnitGoal.objects.select_related("unit")
    if cycle is not None:
        goals = goals.filter(cycle_id=cycle)
    if unit is not None:
        goals = goals.filter(unit_id=unit)
    if for_employee is not None:
        person = User.objects.select_related("unit").filter(pk=for_employee).first()
        if person is None or person.unit is None:
            return goals.none()
        goals = goals.for_units_above(person.unit)
    return goals


def line_of_sight(conversation) -> list[UnitGoal]:
    """The unit goals a goal of `conversation` may support: those of the employee's unit and every
    unit above it, in the conversation's cycle, from the top of the organisation down. One query."""
    if conversation.cycle_id is None:
        return []
    unit = conversation.employee.unit
    if unit is None:
        return []
    goals = UnitGoal.objects.filter(cycle_id=conversation.cycle_id).for_units_above(unit)
    return list(goals.select_related("unit").order_by("unit__depth", "unit__path", "id"))


def support_chains(goals) -> dict[int, list[UnitGoal]]:
    """{contract goal id: the unit goals from the organisation's goal down to the one it supports}.
    Two queries however many goals: the supported goals, then every goal of their units' lines."""
    supported_ids = {g.supports_id for g in goals if g.supports_id}
    if not supported_ids:
        return {}
    supported = list(UnitGoal.objects.filter(pk__in=supported_ids).select_related("unit"))
    paths = {path for g in supported for path in unit_paths_up_to(g.unit.path)}
    cycles = {g.cycle_id for g in supported}
    above = UnitGoal.objects.filter(cycle_id__in=cycles, unit__path__in=paths).select_related("unit")
    by_id = {g.pk: g for g in [*above, *supported]}
    return {goal.pk: _chain(by_id, goal.supports_id) for goal in goals if goal.supports_id}


def _chain(by_id: dict, pk: int) -> list[UnitGoal]:
    chain = []
    while pk is not None and pk in by_id and len(chain) < 64:
        chain.append(by_id[pk])
        pk = by_id[pk].supports_id
    return chain[::-1]


@dataclass(frozen=True)
class GoalAlignment:
    goal: UnitGoal
    contracts: int  # the leader's reports' contracts with a goal supporting it, directly or down its chain


@dataclass(frozen=True)
class Direction:
    """The leader's *Retning*: per goal of their unit, how many of their reports' contracts in the
    cycle support it; and the contracts that support none of them."""

    goals: tuple[GoalAlignment, ...]
    unsupported: tuple  # conversations (with their employee) whose goals support none of the unit's goals
    contracts: int


def direction(leader, cycle) -> Direction:
    """Five queries however many reports, goals and unit goals. Contracts: the leader's conversations
    in `cycle` that are not cancelled, as they stand now (a draft's goals count as recorded)."""
    unit_goals_of_unit = list(UnitGoal.objects.filter(cycle=cycle, unit_id=leader.unit_id).order_by("id"))
    conversations = list(
        Conversation.objects.filter(leader=leader, cycle=cycle)
        .exclude(status=Status.CANCELLED)
        .select_related("employee")
        .order_by("employee__full_name", "pk")
    )
    linked = list(
        Goal.objects.filter(conversation__in=[c.pk for c in conversations], supports__isnull=False).only(
            "id", "conversation_id", "supports_id"
        )
    )
    conversation_of = {g.pk: g.conversation_id for g in linked}
    reached = defaultdict(set)  # conversation id: every unit goal its goals lead up to
    for goal_id, chain in support_chains(linked).items():
        reached[conversation_of[goal_id]].update(g.pk for g in chain)
    own = {g.pk for g in unit_goals_of_unit}
    return Direction(
        goals=tuple(
            GoalAlignment(g, sum(1 for ids in reached.values() if g.pk in ids)) for g in unit_goals_of_unit
        ),
        unsupported=tuple(c for c in conversations if not reached.get(c.pk, set()) & own),
        contracts=len(conversations),
    )


@dataclass(frozen=True)
class UnitPage:
    """What the unit goal page shows for one unit and cycle."""

    unit: object
    cycle: object
    above: tuple  # goals of the units above, from the top down
    own: tuple  # the unit's goals
    children: tuple  # the units right below, to go down the tree
    parent: object


def unit_page(unit, cycle) -> UnitPage:
    """Four queries: the unit's line of sight, its own goals, its children and its parent."""
    sight = list(
        UnitGoal.objects.filter(cycle=cycle)
        .for_units_above(unit)
        .select_related("unit", "supports__unit")
        .order_by("unit__depth", "id")
    )
    return UnitPage(
        unit=unit,
        cycle=cycle,
        above=tuple(g for g in sight if g.unit_id != unit.pk),
        own=tuple(g for g in sight if g.unit_id == unit.pk),
        children=tuple(unit.children.order_by("name")),
        parent=unit.parent,
    )


def proposals(conversation):
    """The employee's proposals on `conversation`, oldest first, with the people named in them."""
    return Proposal.objects.filter(conversation=conversation).select_related("author", "decided_by")
