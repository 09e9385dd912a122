"""Carrying open goals and tasks from the employee's previous confirmed contract into a new one."""

from django.db.models import OuterRef, Subquery

from goals.models import Goal, Task

DONE = "achieved"


def _latest_status(model_field: str):
    from conversations.models import FollowUp

    return Subquery(
        FollowUp.objects.filter(**{model_field: OuterRef("pk")})
        .exclude(item_status="")
        .order_by("-created_at", "-id")
        .values("item_status")[:1]
    )


def previous_confirmed_conversation(conversation):
    from conversations.models import Conversation

    return (
        Conversation.objects.filter(employee_id=conversation.employee_id, confirmed_version__isnull=False)
        .exclude(pk=conversation.pk)
        .order_by("-confirmed_at", "-pk")
        .first()
    )


def open_items(previous):
    """Goals and tasks of `previous` whose latest follow-up does not say they were achieved."""
    goals = previous.goals.annotate(latest_status=_latest_status("goal")).order_by("order", "id")
    tasks = previous.tasks.annotate(latest_status=_latest_status("task")).order_by("order", "id")
    return [g for g in goals if g.latest_status != DONE], [t for t in tasks if t.latest_status != DONE]


def carry_over_open_items(conversation) -> dict:
    """Copy the open goals and tasks into `conversation` (a fresh draft). Returns what was copied."""
    previous = previous_confirmed_conversation(conversation)
    if previous is None:
        return {}
    goals, tasks = open_items(previous)
    Goal.objects.bulk_create(
        Goal(
            conversation=conversation,
            order=i,
            carried_over_from=g,
            title=g.title,
            description=g.description,
            kind=g.kind,
            measure=g.measure,
            due_date=g.due_date,
        )
        for i, g in enumerate(goals)
    )
    Task.objects.bulk_create(
        Task(
            conversation=conversation,
            order=i,
            carried_over_from=t,
            title=t.title,
            description=t.description,
            due_date=t.due_date,
        )
        for i, t in enumerate(tasks)
    )
    return {"from": previous.pk, "goals": [g.pk for g in goals], "tasks": [t.pk for t in tasks]}
