"""Carrying open goals and tasks from the employee's previous confirmed contract into a new one.

The source is the binding (confirmed) version's content, not the live items: a previous conversation
in the middle of an amendment still has its confirmed contract as the truth.
"""

import datetime

from django.db.models import OuterRef, Subquery

from goals.models import Goal, Task, UnitGoal, unit_paths_up_to

DONE = "achieved"


def previous_confirmed_conversation(conversation):
    from conversations.models import Conversation

    return (
        Conversation.objects.filter(employee_id=conversation.employee_id, confirmed_version__isnull=False)
        .exclude(pk=conversation.pk)
        .select_related("confirmed_version")
        .order_by("-confirmed_at", "-pk")
        .first()
    )


def _latest_statuses(model, ids: list[int], field: str) -> dict[int, str]:
    """{item id: item_status of its latest follow-up that has one}, in one query."""
    from conversations.models import FollowUp

    latest = (
        FollowUp.objects.filter(**{field: OuterRef("pk")})
        .exclude(item_status="")
        .order_by("-created_at", "-id")
        .values("item_status")[:1]
    )
    return dict(model.objects.filter(pk__in=ids).annotate(s=Subquery(latest)).values_list("pk", "s"))


def open_items(previous) -> tuple[list[dict], list[dict]]:
    """Goals and tasks of `previous`'s binding version whose latest follow-up does not say achieved."""
    content = previous.confirmed_version.content
    goals, tasks = content["goals"], content["tasks"]
    goal_status = _latest_statuses(Goal, [g["id"] for g in goals], "goal")
    task_status = _latest_statuses(Task, [t["id"] for t in tasks], "task")
    return (
        [g for g in goals if goal_status.get(g["id"]) != DONE],
        [t for t in tasks if task_status.get(t["id"]) != DONE],
    )


def continuing_unit_goals(conversation, goals: list[dict]) -> dict[int, int]:
    """{unit goal id a carried goal supported: the unit goal that continues it in `conversation`'s
    cycle}. A goal continues another when it was copied from it ("copy a cycle's unit goals") or has
    the same title in the same unit; only goals in the employee's line of sight count. Two queries."""
    titles = {g["supports"]["id"]: g["supports"]["title"] for g in goals if g.get("supports")}
    if not titles or conversation.cycle_id is None:
        return {}
    unit = conversation.employee.unit
    if unit is None:
        return {}
    old_units = dict(UnitGoal.objects.filter(pk__in=titles).values_list("pk", "unit_id"))
    candidates = list(
        UnitGoal.objects.filter(cycle_id=conversation.cycle_id, unit__path__in=unit_paths_up_to(unit.path))
        .order_by("pk")
        .values_list("pk", "unit_id", "title", "copied_from_id")
    )
    continuing = {}
    for pk, _unit_id, _title, copied_from_id in candidates:
        if copied_from_id in titles:
            continuing.setdefault(copied_from_id, pk)
    for pk, unit_id, title, _copied in candidates:
        for old_id, old_title in titles.items():
            if old_id not in continuing and old_units.get(old_id) == unit_id and old_title == title:
                continuing[old_id] = pk
    return continuing


def _supports(goal: dict, continuing: dict[int, int]) -> int | None:
    return continuing.get(goal["supports"]["id"]) if goal.get("supports") else None


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def carry_over_open_items(conversation) -> dict:
    """Copy the open goals and tasks into `conversation` (a fresh draft). Returns what was copied."""
    previous = previous_confirmed_conversation(conversation)
    if previous is None:
        return {}
    goals, tasks = open_items(previous)
    live_goals = set(Goal.objects.filter(pk__in=[g["id"] for g in goals]).values_list("pk", flat=True))
    live_tasks = set(Task.objects.filter(pk__in=[t["id"] for t in tasks]).values_list("pk", flat=True))
    continuing = continuing_unit_goals(conversation, goals)
    Goal.objects.bulk_create(
        Goal(
            conversation=conversation,
            order=i,
            carried_over_from_id=g["id"] if g["id"] in live_goals else None,
            title=g["title"],
            description=g["description"],
            kind=g["kind"],
            measure=g["measure"],
            due_date=_date(g["due_date"]),
            supports_id=_supports(g, continuing),
        )
        for i, g in enumerate(goals)
    )
    Task.objects.bulk_create(
        Task(
            conversation=conversation,
            order=i,
            carried_over_from_id=t["id"] if t["id"] in live_tasks else None,
            title=t["title"],
            description=t["description"],
            due_date=_date(t["due_date"]),
        )
        for i, t in enumerate(tasks)
    )
    return {"from": previous.pk, "goals": [g["id"] for g in goals], "tasks": [t["id"] for t in tasks]}
