"""The conversation's JSON in lists and in detail, written out as plain functions of loaded objects.

These are the two busiest answers of the API. DRF's generic `to_representation` reads every value
through field objects, which for a page of conversations costs more CPU than the database does; these
functions build the same dictionaries directly. `ConversationSerializer` and
`ConversationDetailSerializer` still describe the output (the OpenAPI schema) and read input elsewhere;
tests/test_scale.py compares these functions with them on the `seed_scale` organisation, so a field
added to one and not the other fails there.

Values are written as DRF writes them: date-times in ISO 8601 in the current time zone (UTC as "Z"),
dates in ISO 8601, None as None.
"""

from django.utils import timezone


def iso_datetime(value, tz) -> str | None:
    """DRF's `DateTimeField` output of an aware date-time (USE_TZ) in the time zone `tz`."""
    if value is None:
        return None
    text = value.astimezone(tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def iso_date(value) -> str | None:
    return None if value is None else value.isoformat()


def person(user) -> dict | None:
    """`PersonSerializer`."""
    if user is None:
        return None
    return {"id": user.pk, "employee_id": user.employee_id, "full_name": user.full_name}


def unit(org_unit) -> dict | None:
    """`UnitSerializer`."""
    if org_unit is None:
        return None
    return {"id": org_unit.pk, "name": org_unit.name, "path": org_unit.path}


def cycle(value) -> dict | None:
    """`CycleSerializer`'s output."""
    if value is None:
        return None
    return {
        "id": value.pk,
        "name": value.name,
        "starts_on": iso_date(value.starts_on),
        "deadline": iso_date(value.deadline),
        "check_in_days": value.check_in_days,
        "template": value.template_id,
    }


def _conversation(conversation, tz) -> dict:
    return {
        "id": conversation.pk,
        "status": str(conversation.status),
        "employee": person(conversation.employee),
        "leader": person(conversation.leader),
        "cycle": cycle(conversation.cycle),
        "unit": unit(conversation.unit),
        "scheduled_at": iso_datetime(conversation.scheduled_at, tz),
        "held_on": iso_date(conversation.held_on),
        "first_submitted_at": iso_datetime(conversation.first_submitted_at, tz),
        "confirmed_at": iso_datetime(conversation.confirmed_at, tz),
        "closed_at": iso_datetime(conversation.closed_at, tz),
        "revision": conversation.revision,
        "etag": conversation.etag,
        "created_at": iso_datetime(conversation.created_at, tz),
        "updated_at": iso_datetime(conversation.updated_at, tz),
    }


def conversation_list(conversations) -> list[dict]:
    """`ConversationSerializer(conversations, many=True).data`: the conversations of a list page,
    with their employee, leader, cycle and unit loaded (`selectors.conversations_in_order`)."""
    tz = timezone.get_current_timezone()
    return [_conversation(c, tz) for c in conversations]


def _item(item, tz) -> dict:
    """The fields every contract item starts with (`ITEM_READ_ONLY_FIELDS`)."""
    return {
        "id": item.pk,
        "conversation": item.conversation_id,
        "revision": item.revision,
        "etag": item.etag,
        "carried_over_from": item.carried_over_from_id,
        "created_at": iso_datetime(item.created_at, tz),
        "updated_at": iso_datetime(item.updated_at, tz),
    }


def _attributes(obj, *names: str) -> dict:
    """The attributes `names` of `obj` as they are, under their own names."""
    return {name: getattr(obj, name) for name in names}


def _task(task, tz) -> dict:
    return {
        **_item(task, tz),
        **_attributes(task, "title", "description"),
        "due_date": iso_date(task.due_date),
        "order": task.order,
    }


def _goal(goal, tz) -> dict:
    return {
        **_item(goal, tz),
        "kind": str(goal.kind),
        **_attributes(goal, "title", "description", "measure"),
        "due_date": iso_date(goal.due_date),
        "order": goal.order,
        "supports": goal.supports_id,
        "item_status": None if goal.latest_status is None else str(goal.latest_status),
        "progress": goal.latest_progress,
    }


def _expectation(expectation, tz) -> dict:
    return {
        **_item(expectation, tz),
        "direction": str(expectation.direction),
        "text": expectation.text,
        "order": expectation.order,
    }


def conversation_detail(conversation) -> dict:
    """`ConversationDetailSerializer(conversation).data`, for a conversation from
    `selectors.conversation_detail` (items, version summaries, allowed actions and deputies loaded)."""
    tz = timezone.get_current_timezone()
    versions = conversation.version_list
    current = versions[-1] if versions else None
    binding = next((v for v in versions if v.pk == conversation.confirmed_version_id), None)
    return {
        **_conversation(conversation, tz),
        "tasks": [_task(task, tz) for task in conversation.task_list],
        "goals": [_goal(goal, tz) for goal in conversation.goal_list],
        "expectations": [_expectation(e, tz) for e in conversation.expectation_list],
        "current_version": _version(current, "submitted_at", tz),
        "confirmed_version": _version(binding, "confirmed_at", tz),
        "allowed_actions": [str(action) for action in conversation.allowed_actions],
        "deputies": [
            {"deputy": person(grant.deputy), "until": iso_date(grant.until)}
            for grant in conversation.active_deputies
        ],
    }


def _version(version, stamp: str, tz) -> dict | None:
    """A version's summary: its number, its hash and the moment `stamp` (submitted or confirmed)."""
    if version is None:
        return None
    moment = iso_datetime(getattr(version, stamp), tz)
    return {"number": version.number, "sha256": version.sha256, stamp: moment}
