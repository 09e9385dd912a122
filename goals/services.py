"""Recording the contract's items. Only the leader, only while the draft is editable.

Editing after the employee asked for changes moves the conversation back to draft (workflow `revise`).
Updates and deletes take the revision the client last saw and refuse a stale one (PreconditionFailed).
"""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from conversations.access.permissions import MANAGE, require
from conversations.contract import workflow
from conversations.models import Conversation, Status
from conversations.records import history
from core.db import locked
from core.errors import InvalidTransition, PreconditionFailed
from goals.models import Expectation, Goal, Task
from goals.unit_goals import check_contract_goal_supports

EDITABLE_FIELDS = {
    Goal: ("title", "description", "kind", "measure", "due_date", "order", "supports"),
    Task: ("title", "description", "due_date", "order"),
    Expectation: ("direction", "text", "order"),
}


def _open_for_editing(*, conversation_id: int, actor) -> Conversation:
    """Lock the conversation, check the leader's right and that the draft is editable."""
    conversation = locked(Conversation.objects.select_related("employee__unit"), conversation_id)
    require(actor, conversation, MANAGE)
    if conversation.status == Status.CHANGES_REQUESTED:
        workflow.conversation_revise(conversation_id=conversation_id, actor=actor)
        conversation.refresh_from_db()
    if conversation.status != Status.DRAFT:
        raise InvalidTransition(_("The agreement can only be edited as a draft. Amend it first."))
    return conversation


def _locked(model, pk: int):
    """The item under a row lock. If a concurrent request deleted it, the caller's copy is stale (412)
    rather than a server error."""
    try:
        return locked(model.objects.all(), pk)
    except model.DoesNotExist:
        raise PreconditionFailed() from None


def _touch(conversation: Conversation) -> None:
    Conversation.objects.filter(pk=conversation.pk).update(revision=conversation.revision + 1)


def _clean_data(model, data: dict, conversation: Conversation) -> dict:
    """`data` with text stripped; a goal's `supports` must be in the employee's line of sight."""
    allowed = EDITABLE_FIELDS[model]
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    if data.get("supports") is not None:
        check_contract_goal_supports(conversation=conversation, unit_goal=data["supports"])
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}


@transaction.atomic
def item_create(*, model, conversation: Conversation, actor, **data):
    """Add a goal, task or expectation at the end of its list."""
    conversation = _open_for_editing(conversation_id=conversation.pk, actor=actor)
    data = _clean_data(model, data, conversation)
    if "order" not in data:
        last = model.objects.filter(conversation=conversation).aggregate(m=Max("order"))["m"]
        data["order"] = 0 if last is None else last + 1
    item = model(conversation=conversation, **data)
    item.full_clean()
    item.save()
    _touch(conversation)
    history.record(
        conversation, actor, f"{model._meta.model_name}_created", id=item.pk, values=_snapshot(item)
    )
    return item


@transaction.atomic
def item_update(*, item, actor, expected_revision: int | None = None, **data):
    """Change fields of an item. A stale `expected_revision` is refused before anything is written."""
    model = type(item)
    conversation = _open_for_editing(conversation_id=item.conversation_id, actor=actor)
    item = _locked(model, item.pk)
    if expected_revision is not None and item.revision != expected_revision:
        raise PreconditionFailed()
    data = _clean_data(model, data, conversation)
    changes = {
        field: [_readable(field, getattr(item, field)), _readable(field, data[field])]
        for field in history.field_changes(item, data)
    }
    for field, value in data.items():
        setattr(item, field, value)
    item.full_clean()
    item.revision += 1
    item.save(update_fields=[*data, "revision", "updated_at"])
    _touch(conversation)
    if changes:
        history.record(conversation, actor, f"{model._meta.model_name}_updated", id=item.pk, fields=changes)
    return item


@transaction.atomic
def item_delete(*, item, actor, expected_revision: int | None = None) -> None:
    model = type(item)
    conversation = _open_for_editing(conversation_id=item.conversation_id, actor=actor)
    item = _locked(model, item.pk)
    if expected_revision is not None and item.revision != expected_revision:
        raise PreconditionFailed()
    snapshot, item_id = _snapshot(item), item.pk
    item.delete()
    _touch(conversation)
    history.record(conversation, actor, f"{model._meta.model_name}_deleted", id=item_id, values=snapshot)


def _snapshot(item) -> dict:
    return {field: _readable(field, getattr(item, field)) for field in EDITABLE_FIELDS[type(item)]}


def _readable(field: str, value):
    """A value as the parties read it in the history: a supported unit goal by its title."""
    if field == "supports":
        return value.title if value is not None else None
    return history.plain(value)


def goal_create(*, conversation, actor, **data) -> Goal:
    return item_create(model=Goal, conversation=conversation, actor=actor, **data)


def task_create(*, conversation, actor, **data) -> Task:
    return item_create(model=Task, conversation=conversation, actor=actor, **data)


def expectation_create(*, conversation, actor, **data) -> Expectation:
    return item_create(model=Expectation, conversation=conversation, actor=actor, **data)
