"""Recording the contract's items: only the leader, only while editable, never over a newer edit."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from conversations.models import Conversation, HistoryEntry, Status
from core.errors import InvalidTransition, NotAllowed, PreconditionFailed
from goals.models import Expectation, Goal, Task
from goals.services import (
    expectation_create,
    goal_create,
    item_create,
    item_delete,
    item_update,
    task_create,
)
from tests import factories
from tests.factories import conversation_in
from tests.workflow import AMENDMENT, snapshot

pytestmark = pytest.mark.django_db


def _actions(conversation, since_id=0):
    return list(
        HistoryEntry.objects.filter(conversation=conversation, pk__gt=since_id)
        .order_by("id")
        .values_list("action", flat=True)
    )


def _last_history_id():
    return HistoryEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _item_values(item):
    return type(item).objects.filter(pk=item.pk).values().get()


# --- creating -------------------------------------------------------------------------------------


def test_items_are_appended_in_order_and_recorded(conversation):
    leader = conversation.leader
    mark = _last_history_id()
    revision = conversation.revision
    second = task_create(conversation=conversation, actor=leader, title="  Andre oppgave  ", due_date=None)
    third = task_create(conversation=conversation, actor=leader, title="Tredje")
    first = conversation.tasks.order_by("order").first()
    assert [first.order, second.order, third.order] == [0, 1, 2]
    assert second.title == "Andre oppgave"
    assert _actions(conversation, mark) == ["task_created", "task_created"]
    entry = HistoryEntry.objects.filter(conversation=conversation, action="task_created").last()
    assert entry.actor == leader
    assert entry.changes == {
        "id": third.pk,
        "values": {"title": "Tredje", "description": "", "due_date": None, "order": 2},
    }
    assert Conversation.objects.get(pk=conversation.pk).revision == revision + 2


@pytest.mark.parametrize(
    ("create", "model", "data"),
    [
        (task_create, Task, {"title": "Oppgave", "due_date": datetime.date(2031, 5, 1)}),
        (goal_create, Goal, {"title": "Mål", "kind": "development", "measure": "Kurs fullført"}),
        (expectation_create, Expectation, {"direction": "employee_to_leader", "text": "Jevnlige samtaler"}),
    ],
    ids=["task", "goal", "expectation"],
)
def test_each_kind_is_created(conversation, create, model, data):
    item = create(conversation=conversation, actor=conversation.leader, **data)
    assert isinstance(item, model)
    assert item.conversation_id == conversation.pk
    assert {k: getattr(item, k) for k in data} == data


def test_invalid_values_are_refused(conversation):
    before = snapshot(conversation)
    with pytest.raises(ValidationError):
        goal_create(conversation=conversation, actor=conversation.leader, title="Mål", kind="score")
    with pytest.raises(ValidationError):
        expectation_create(
            conversation=conversation, actor=conversation.leader, direction="sideways", text="x"
        )
    with pytest.raises(ValidationError):
        task_create(conversation=conversation, actor=conversation.leader, title="   ")
    with pytest.raises(TypeError):
        task_create(conversation=conversation, actor=conversation.leader, title="Oppgave", conversation_id=1)
    assert snapshot(conversation) == before


def test_fields_outside_the_item_cannot_be_set(conversation):
    task = conversation.tasks.get()
    for field in ("revision", "carried_over_from", "conversation"):
        with pytest.raises(TypeError):
            item_update(item=task, actor=conversation.leader, **{field: None})


# --- who and when ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "error"),
    [("employee", NotAllowed), ("stranger", Http404), ("hr", Http404)],
)
def test_only_the_leader_edits(conversation, who, error):
    actor = {
        "employee": conversation.employee,
        "stranger": factories.UserFactory(),
        "hr": factories.HRFactory(),
    }[who]
    goal = conversation.goals.get()
    before, goal_before = snapshot(conversation), _item_values(goal)
    with pytest.raises(error):
        goal_create(conversation=conversation, actor=actor, title="Nytt", kind="result")
    with pytest.raises(error):
        item_update(item=goal, actor=actor, title="Endret")
    with pytest.raises(error):
        item_delete(item=goal, actor=actor)
    assert snapshot(conversation) == before
    assert _item_values(goal) == goal_before


@pytest.mark.parametrize(
    "status", [Status.AWAITING_CONFIRMATION, Status.CONFIRMED, Status.CLOSED, Status.CANCELLED]
)
def test_items_are_frozen_outside_the_draft(status):
    conversation = conversation_in(status)
    leader, task = conversation.leader, conversation.tasks.get()
    before, task_before = snapshot(conversation), _item_values(task)
    with pytest.raises(InvalidTransition):
        task_create(conversation=conversation, actor=leader, title="Ny")
    with pytest.raises(InvalidTransition):
        item_update(item=task, actor=leader, title="Endret")
    with pytest.raises(InvalidTransition):
        item_delete(item=task, actor=leader)
    assert snapshot(conversation) == before
    assert _item_values(task) == task_before


def test_amendment_draft_is_editable():
    conversation = conversation_in(AMENDMENT)
    goal = item_update(item=conversation.goals.get(), actor=conversation.leader, measure="Ny måling")
    assert goal.measure == "Ny måling"
    assert Conversation.objects.get(pk=conversation.pk).status == Status.DRAFT


EDITS = {
    "create": lambda c: goal_create(conversation=c, actor=c.leader, title="Nytt mål", kind="relational"),
    "update": lambda c: item_update(item=c.goals.get(), actor=c.leader, title="Bedre formulert"),
    "delete": lambda c: item_delete(item=c.goals.get(), actor=c.leader),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_editing_after_a_change_request_moves_back_to_draft(edit):
    conversation = conversation_in(Status.CHANGES_REQUESTED)
    mark = _last_history_id()
    EDITS[edit](conversation)
    conversation.refresh_from_db()
    assert conversation.status == Status.DRAFT
    assert _actions(conversation, mark) == ["revise", f"goal_{edit}d"]
    revise = HistoryEntry.objects.get(conversation=conversation, action="revise")
    assert revise.actor == conversation.leader
    assert revise.changes["status"] == [Status.CHANGES_REQUESTED, Status.DRAFT]


# --- optimistic concurrency -----------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.DRAFT, Status.CHANGES_REQUESTED])
def test_stale_revision_is_refused_and_nothing_changes(status):
    conversation = conversation_in(status)
    goal = conversation.goals.get()
    item_update(item=goal, actor=conversation.leader, title="Someone else's edit")  # revision 1 -> 2
    goal.refresh_from_db()
    conversation.refresh_from_db()
    assert goal.revision == 2
    before, goal_before = snapshot(conversation), _item_values(goal)

    with pytest.raises(PreconditionFailed):
        item_update(item=goal, actor=conversation.leader, expected_revision=1, title="My stale edit")
    with pytest.raises(PreconditionFailed):
        item_delete(item=goal, actor=conversation.leader, expected_revision=1)

    assert snapshot(conversation) == before
    assert _item_values(goal) == goal_before


def test_stale_revision_on_a_change_request_does_not_revise():
    conversation = conversation_in(Status.CHANGES_REQUESTED)
    goal = conversation.goals.get()
    before, goal_before = snapshot(conversation), _item_values(goal)
    with pytest.raises(PreconditionFailed):
        item_update(item=goal, actor=conversation.leader, expected_revision=goal.revision + 1, title="x")
    assert snapshot(conversation) == before
    assert snapshot(conversation)["status"] == Status.CHANGES_REQUESTED
    assert _item_values(goal) == goal_before


def test_current_revision_is_accepted_and_recorded(conversation):
    goal = conversation.goals.get()
    mark = _last_history_id()
    updated = item_update(
        item=goal,
        actor=conversation.leader,
        expected_revision=goal.revision,
        title="Ferdigstille planen",
        due_date=datetime.date(2031, 12, 31),
    )
    assert updated.revision == goal.revision + 1
    assert updated.etag != goal.etag
    assert _actions(conversation, mark) == ["goal_updated"]
    entry = HistoryEntry.objects.get(pk__gt=mark)
    assert entry.changes == {
        "id": goal.pk,
        "fields": {
            "title": ["Ferdigstille plan", "Ferdigstille planen"],
            "due_date": [None, "2031-12-31"],
        },
    }


def test_update_without_a_real_change_leaves_no_history(conversation):
    goal = conversation.goals.get()
    mark = _last_history_id()
    item_update(item=goal, actor=conversation.leader, title=goal.title)
    assert _actions(conversation, mark) == []


def test_delete_records_what_was_deleted(conversation):
    expectation = conversation.expectations.get()
    item_delete(item=expectation, actor=conversation.leader, expected_revision=expectation.revision)
    assert not Expectation.objects.filter(pk=expectation.pk).exists()
    entry = HistoryEntry.objects.get(conversation=conversation, action="expectation_deleted")
    assert entry.changes == {
        "id": expectation.pk,
        "values": {"direction": "leader_to_employee", "text": "Si fra tidlig", "order": 0},
    }


def test_generic_item_create_matches_the_shortcuts(conversation):
    item = item_create(
        model=Task, conversation=conversation, actor=conversation.leader, title="Via item_create"
    )
    assert item.order == 1
