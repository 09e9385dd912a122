"""The canonical form of a contract: the exact bytes a version's SHA-256 is taken over, and the one
read of a conversation's current items (in their order) that the hash, the API, the pages and the PDF
share."""

import hashlib
import json

from django.db.models import QuerySet

from conversations.models import Conversation


def tasks_of(conversation: Conversation) -> QuerySet:
    return conversation.tasks.order_by("order", "id")


def goals_of(conversation: Conversation) -> QuerySet:
    return conversation.goals.order_by("order", "id")


def expectations_of(conversation: Conversation) -> QuerySet:
    return conversation.expectations.order_by("order", "id")


def _date(value):
    return value.isoformat() if value else None


def _goal(goal) -> dict:
    """A goal's content. `supports` (the unit goal it supports: id, title and unit, as agreed) is there
    only when the goal supports one: a goal without it has the same content, and so the same hash, as
    before unit goals existed, and versions already stored keep their JSON and hash untouched."""
    content = {
        "id": goal.pk,
        "kind": goal.kind,
        "title": goal.title,
        "description": goal.description,
        "measure": goal.measure,
        "due_date": _date(goal.due_date),
    }
    if goal.supports_id is not None:
        content["supports"] = {
            "id": goal.supports_id,
            "title": goal.supports.title,
            "unit": goal.supports.unit.name,
        }
    return content


def contract_content(conversation: Conversation) -> dict:
    """Every item of the agreement as plain data in a stable order.

    No timestamps: equal content gives an equal hash."""
    return {
        "schema": 1,
        "conversation": conversation.pk,
        "cycle": conversation.cycle.name if conversation.cycle_id else None,
        "employee": {
            "employee_id": conversation.employee.employee_id,
            "full_name": conversation.employee.full_name,
        },
        "leader": {
            "employee_id": conversation.leader.employee_id,
            "full_name": conversation.leader.full_name,
        },
        "tasks": [
            {"id": t.pk, "title": t.title, "description": t.description, "due_date": _date(t.due_date)}
            for t in tasks_of(conversation)
        ],
        "goals": [_goal(g) for g in goals_of(conversation).select_related("supports__unit")],
        "expectations": [
            {"id": e.pk, "direction": e.direction, "text": e.text} for e in expectations_of(conversation)
        ],
    }


def canonical_json(content: dict) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_of(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def is_empty(content: dict) -> bool:
    return not (content["tasks"] or content["goals"] or content["expectations"])


ITEM_SECTIONS = (("task", "tasks"), ("goal", "goals"), ("expectation", "expectations"))


def item_contents(content: dict) -> dict[tuple[str, int], dict]:
    """Each item of a contract's content keyed by (kind, id), e.g. ("goal", 7)."""
    return {(kind, item["id"]): item for kind, section in ITEM_SECTIONS for item in content.get(section, ())}
