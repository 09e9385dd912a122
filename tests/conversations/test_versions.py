"""Contract versions: hashes that are stable for equal content and differ for any change, and signed
records that the ORM's normal paths cannot rewrite or delete."""

import datetime
import hashlib
import json

import pytest
from django.db.models import F

from conversations.contract import canonical as contract
from conversations.models import (
    Confirmation,
    ContractVersion,
    Conversation,
    ConversationUserObjectPermission,
    HistoryEntry,
    Status,
)
from conversations.services import comment_create, follow_up_create, item_response_record
from core.errors import ImmutableRecord
from goals.models import Expectation, Goal, Task
from goals.services import expectation_create, goal_create, item_delete, item_update, task_create
from tests.factories import conversation_in
from tests.workflow import latest_version, run_transition

pytestmark = pytest.mark.django_db


def _submit_again(conversation, change=None):
    """v1 is submitted; request changes, apply `change(conversation)` through the services, resubmit."""
    v1 = latest_version(conversation)
    run_transition(conversation, "request_changes")
    if change:
        change(conversation)
        conversation.refresh_from_db()
    else:
        run_transition(conversation, "revise")
    assert conversation.status == Status.DRAFT
    run_transition(conversation, "submit")
    v2 = latest_version(conversation)
    assert (v1.number, v2.number) == (1, 2)
    return v1, v2


def test_hash_is_stable_for_equal_content():
    conversation = conversation_in(Status.AWAITING_CONFIRMATION)
    v1, v2 = _submit_again(conversation)
    assert v1.sha256 == v2.sha256
    assert v1.canonical_json == v2.canonical_json
    recomputed = contract.canonical_json(contract.contract_content(conversation))
    assert recomputed == v2.canonical_json
    assert contract.sha256_of(recomputed) == v2.sha256
    assert hashlib.sha256(v2.canonical_json.encode("utf-8")).hexdigest() == v2.sha256
    assert contract.canonical_json(v2.content) == v2.canonical_json


def test_saving_items_with_the_same_values_keeps_the_hash():
    conversation = conversation_in(Status.AWAITING_CONFIRMATION)

    def resave_everything(c):
        leader = c.leader
        goal, task, expectation = c.goals.get(), c.tasks.get(), c.expectations.get()
        item_update(item=goal, actor=leader, title=goal.title, measure=goal.measure, kind=goal.kind)
        item_update(item=task, actor=leader, title=f"  {task.title} ")  # surrounding blanks are trimmed
        item_update(item=expectation, actor=leader, text=expectation.text)

    v1, v2 = _submit_again(conversation, resave_everything)
    assert v1.sha256 == v2.sha256


def test_version_content_is_the_agreement():
    conversation = conversation_in(Status.AWAITING_CONFIRMATION)
    content = latest_version(conversation).content
    assert content["conversation"] == conversation.pk
    assert content["employee"]["employee_id"] == conversation.employee.employee_id
    assert content["leader"]["employee_id"] == conversation.leader.employee_id
    assert [t["title"] for t in content["tasks"]] == ["Lede prosjekt X"]
    assert [(g["kind"], g["title"], g["measure"]) for g in content["goals"]] == [
        ("result", "Ferdigstille plan", "Vedtatt plan")
    ]
    assert [(e["direction"], e["text"]) for e in content["expectations"]] == [
        ("leader_to_employee", "Si fra tidlig")
    ]
    assert json.loads(latest_version(conversation).canonical_json) == content


def test_canonical_json_is_order_independent_and_keeps_unicode():
    a = contract.canonical_json({"b": 1, "a": "Bymiljøetaten"})
    b = contract.canonical_json({"a": "Bymiljøetaten", "b": 1})
    assert a == b == '{"a":"Bymiljøetaten","b":1}'


DAY = datetime.date(2031, 6, 30)

FIELD_CHANGES = [
    (Task, "title", "Lede prosjekt Y"),
    (Task, "description", "Med ny beskrivelse"),
    (Task, "due_date", DAY),
    (Goal, "title", "Ferdigstille planen"),
    (Goal, "description", "Beskrivelse"),
    (Goal, "kind", "development"),
    (Goal, "measure", "Plan vedtatt i bystyret"),
    (Goal, "due_date", DAY),
    (Expectation, "direction", "employee_to_leader"),
    (Expectation, "text", "Si fra i tide"),
]


def _only(model, conversation):
    return model.objects.get(conversation=conversation)


@pytest.mark.parametrize(
    ("model", "field", "value"),
    FIELD_CHANGES,
    ids=[f"{m.__name__.lower()}-{f}" for m, f, _v in FIELD_CHANGES],
)
def test_hash_changes_with_each_field(model, field, value):
    conversation = conversation_in(Status.AWAITING_CONFIRMATION)

    def change(c):
        item_update(item=_only(model, c), actor=c.leader, **{field: value})

    v1, v2 = _submit_again(conversation, change)
    assert v1.sha256 != v2.sha256
    assert v1.content != v2.content


ADDITIONS = {
    "task": lambda c: task_create(conversation=c, actor=c.leader, title="Ny oppgave"),
    "goal": lambda c: goal_create(conversation=c, actor=c.leader, title="Nytt mål", kind="relational"),
    "expectation": lambda c: expectation_create(
        conversation=c, actor=c.leader, direction="employee_to_leader", text="Tydelige rammer"
    ),
}


@pytest.mark.parametrize("kind", list(ADDITIONS))
def test_hash_changes_when_an_item_is_added(kind):
    conversation = conversation_in(Status.AWAITING_CONFIRMATION)
    v1, v2 = _submit_again(conversation, ADDITIONS[kind])
    assert v1.sha256 != v2.sha256
    assert len(v2.content[f"{kind}s"]) == len(v1.content[f"{kind}s"]) + 1


@pytest.mark.parametrize("model", [Task, Goal, Expectation], ids=lambda m: m.__name__.lower())
def test_hash_changes_when_an_item_is_removed(model):
    conversation = conversation_in(Status.AWAITING_CONFIRMATION)
    v1, v2 = _submit_again(conversation, lambda c: item_delete(item=_only(model, c), actor=c.leader))
    assert v1.sha256 != v2.sha256


@pytest.mark.parametrize("kind", list(ADDITIONS))
def test_hash_changes_when_the_order_changes(kind):
    conversation = conversation_in(Status.DRAFT)
    ADDITIONS[kind](conversation)
    run_transition(conversation, "submit")

    def swap(c):
        first, second = getattr(c, f"{kind}s").order_by("order", "id")
        item_update(item=first, actor=c.leader, order=second.order)
        item_update(item=second, actor=c.leader, order=first.order)

    v1, v2 = _submit_again(conversation, swap)
    assert v1.sha256 != v2.sha256
    ids = [item["id"] for item in v1.content[f"{kind}s"]]
    assert [item["id"] for item in v2.content[f"{kind}s"]] == ids[::-1]


# --- immutability ---------------------------------------------------------------------------------


@pytest.fixture
def signed(db):
    """A confirmed conversation: one version, one confirmation."""
    conversation = conversation_in(Status.CONFIRMED)
    return conversation, latest_version(conversation), conversation.confirmations.get()


def _db_values(model, pk):
    return model.objects.filter(pk=pk).values().get()


ATTEMPTS = {
    "instance_save": lambda obj: (setattr(obj, "sha256", "0" * 64), obj.save()),
    "instance_save_update_fields": lambda obj: (
        setattr(obj, "sha256", "0" * 64),
        obj.save(update_fields=["sha256"]),
    ),
    "queryset_update": lambda obj: type(obj).objects.filter(pk=obj.pk).update(sha256="0" * 64),
    "manager_update": lambda obj: type(obj).objects.update(sha256=F("sha256")),
    "related_manager_update": lambda obj: _related(obj).update(sha256="0" * 64),
    "instance_delete": lambda obj: obj.delete(),
    "queryset_delete": lambda obj: type(obj).objects.filter(pk=obj.pk).delete(),
    "related_manager_delete": lambda obj: _related(obj).all().delete(),
    "bulk_update": lambda obj: (
        setattr(obj, "sha256", "0" * 64),
        type(obj).objects.bulk_update([obj], ["sha256"]),
    ),
    "update_or_create": lambda obj: type(obj).objects.update_or_create(
        pk=obj.pk, defaults={"sha256": "0" * 64}
    ),
}


def _related(obj):
    conversation = Conversation.objects.get(pk=obj.conversation_id)
    return conversation.versions if isinstance(obj, ContractVersion) else conversation.confirmations


@pytest.mark.parametrize("model", [ContractVersion, Confirmation], ids=lambda m: m.__name__)
@pytest.mark.parametrize("attempt", list(ATTEMPTS))
def test_signed_records_cannot_be_changed(signed, model, attempt):
    _conversation, version, confirmation = signed
    obj = version if model is ContractVersion else confirmation
    before = _db_values(model, obj.pk)
    with pytest.raises(ImmutableRecord):
        ATTEMPTS[attempt](model.objects.get(pk=obj.pk))
    assert _db_values(model, obj.pk) == before
    assert model.objects.count() == 1


def test_new_records_can_still_be_inserted(signed):
    conversation, version, _confirmation = signed
    extra = ContractVersion.objects.create(
        conversation=conversation,
        number=version.number + 1,
        canonical_json=version.canonical_json,
        sha256=version.sha256,
        submitted_by=conversation.leader,
    )
    assert extra.pk and ContractVersion.objects.count() == 2


def test_cascade_delete_of_the_conversation_removes_everything(signed):
    """Retention deletes a whole conversation; the signed records go with it."""
    conversation, _version, _confirmation = signed
    comment_create(conversation=conversation, actor=conversation.employee, text="Takk for samtalen")
    follow_up_create(
        conversation=conversation,
        actor=conversation.leader,
        text="Godt i gang",
        goal=conversation.goals.get(),
    )
    run_transition(conversation, "amend")
    run_transition(conversation, "submit")
    item_response_record(
        conversation=conversation, actor=conversation.employee, stance="agree", task=conversation.tasks.get()
    )
    run_transition(conversation, "confirm")
    other = conversation_in(Status.CONFIRMED)
    other_counts = (other.versions.count(), other.confirmations.count())

    Conversation.objects.filter(pk=conversation.pk).delete()

    assert not Conversation.objects.filter(pk=conversation.pk).exists()
    for model in (ContractVersion, Confirmation, HistoryEntry, ConversationUserObjectPermission, Goal, Task):
        assert not model.objects.filter(**{_conversation_field(model): conversation.pk}).exists()
    assert (other.versions.count(), other.confirmations.count()) == other_counts


def test_instance_delete_of_the_conversation_works_too(signed):
    conversation, _version, _confirmation = signed
    conversation.delete()
    assert not ContractVersion.objects.exists()
    assert not Confirmation.objects.exists()


def _conversation_field(model):
    return "content_object_id" if model is ConversationUserObjectPermission else "conversation_id"
