"""Goals, tasks and expectations: nested create, flat detail, change and delete with If-Match."""

import pytest

from core import free_text
from goals.models import Expectation, Goal, Task
from tests.api.helpers import url
from tests.workflow import bring_to, confirm

pytestmark = pytest.mark.django_db
TOO_LONG = free_text.max_length() + 1  # one character more than a party may write

KINDS = {
    "goals": (Goal, {"title": "Bedre rutiner", "kind": "relational", "measure": "Færre avvik"}),
    "tasks": (Task, {"title": "Ny oppgave", "due_date": "2030-01-31"}),
    "expectations": (Expectation, {"direction": "employee_to_leader", "text": "Jevnlige samtaler"}),
}
PATCHES = {
    "goals": {"measure": "Målt kvartalsvis"},
    "tasks": {"title": "Endret"},
    "expectations": {"text": "Endret"},
}


def item_of(world, kind):
    model = KINDS[kind][0]
    return model.objects.get(conversation=world.conversation)


def item_url(kind, item):
    return url(f"{kind}/{item.pk}/")


# --- create ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_leader_creates_items(world, api_as, kind):
    model, body = KINDS[kind]
    response = api_as(world.leader).post(
        url(f"conversations/{world.conversation.pk}/{kind}/"), body, format="json"
    )
    assert response.status_code == 201, response.json()
    created = model.objects.get(pk=response.json()["id"])
    assert response["ETag"] == created.etag == response.json()["etag"]
    assert created.order == 1
    for field, value in body.items():
        assert response.json()[field] == value


@pytest.mark.parametrize(
    ("role", "code"), [("employee", 403), ("deputy", 403), ("hr", 404), ("other_leader", 404)]
)
def test_only_the_leader_creates_items(world, api_as, role, code):
    response = api_as(world.role(role)).post(
        url(f"conversations/{world.conversation.pk}/goals/"), KINDS["goals"][1], format="json"
    )
    assert response.status_code == code


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("goals", {"title": "x", "kind": "score"}),
        ("goals", {"kind": "result"}),
        ("goals", {"title": "x" * 301, "kind": "result"}),
        ("goals", {"title": "x", "kind": "result", "measure": "m" * TOO_LONG}),
        ("goals", {"title": "x", "kind": "result", "order": 2**31}),
        ("goals", {"title": "x", "kind": "result", "order": -1}),
        ("tasks", {"title": "x", "due_date": "31.01.2030"}),
        ("tasks", {"title": "x", "description": "d" * TOO_LONG}),
        ("tasks", {"title": "   "}),
        ("expectations", {"direction": "sideways", "text": "x"}),
        ("expectations", {"direction": "leader_to_employee", "text": "t" * TOO_LONG}),
        ("expectations", {"direction": "leader_to_employee"}),
    ],
)
def test_create_with_bad_input_is_400(world, api_as, kind, body):
    response = api_as(world.leader).post(
        url(f"conversations/{world.conversation.pk}/{kind}/"), body, format="json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize("status", ["awaiting_confirmation", "confirmed", "closed", "cancelled"])
def test_create_outside_a_draft_is_409(world, api_as, status):
    bring_to(world.conversation, status)
    response = api_as(world.leader).post(
        url(f"conversations/{world.conversation.pk}/tasks/"), KINDS["tasks"][1], format="json"
    )
    assert response.status_code == 409


def test_editing_after_a_change_request_returns_to_draft(world, api_as):
    bring_to(world.conversation, "changes_requested")
    response = api_as(world.leader).post(
        url(f"conversations/{world.conversation.pk}/tasks/"), KINDS["tasks"][1], format="json"
    )
    assert response.status_code == 201
    world.conversation.refresh_from_db()
    assert world.conversation.status == "draft"


def test_create_on_missing_conversation_is_404(world, api_as):
    response = api_as(world.leader).post(
        url(f"conversations/{10**12}/tasks/"), KINDS["tasks"][1], format="json"
    )
    assert response.status_code == 404


# --- detail ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("leader", 200),
        ("employee", 200),
        ("deputy", 200),
        ("colleague", 404),
        ("hr", 404),
        ("other_leader", 404),
    ],
)
def test_item_detail_by_role(world, api_as, kind, role, code):
    item = item_of(world, kind)
    response = api_as(world.role(role)).get(item_url(kind, item))
    assert response.status_code == code
    if code == 200:
        assert response["ETag"] == item.etag
        assert response.json()["id"] == item.pk


@pytest.mark.parametrize("kind", KINDS)
def test_missing_item_is_404(world, api_as, kind):
    assert api_as(world.leader).get(url(f"{kind}/{2**64}/")).status_code == 404


# --- change ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_leader_patches_an_item(world, api_as, kind):
    item = item_of(world, kind)
    response = api_as(world.leader).patch(
        item_url(kind, item), PATCHES[kind], format="json", HTTP_IF_MATCH=item.etag
    )
    assert response.status_code == 200, response.json()
    item.refresh_from_db()
    assert item.revision == 2
    assert response["ETag"] == item.etag
    for field, value in PATCHES[kind].items():
        assert getattr(item, field) == value


@pytest.mark.parametrize("kind", KINDS)
def test_patch_without_if_match_is_428(world, api_as, kind):
    item = item_of(world, kind)
    response = api_as(world.leader).patch(item_url(kind, item), PATCHES[kind], format="json")
    assert response.status_code == 428


def test_second_writer_with_the_old_etag_gets_412(world, api_as):
    item = item_of(world, "goals")
    client = api_as(world.leader)
    first = client.patch(item_url("goals", item), {"title": "A"}, format="json", HTTP_IF_MATCH=item.etag)
    assert first.status_code == 200
    second = client.patch(item_url("goals", item), {"title": "B"}, format="json", HTTP_IF_MATCH=item.etag)
    assert second.status_code == 412
    item.refresh_from_db()
    assert item.title == "A"


def test_etag_of_another_item_is_412(world, api_as):
    goal, task = item_of(world, "goals"), item_of(world, "tasks")
    response = api_as(world.leader).patch(
        item_url("goals", goal), {"title": "A"}, format="json", HTTP_IF_MATCH=task.etag
    )
    assert response.status_code == 412


@pytest.mark.parametrize(
    ("role", "code"), [("employee", 403), ("deputy", 403), ("hr", 404), ("other_leader", 404)]
)
def test_patch_by_others(world, api_as, role, code):
    item = item_of(world, "tasks")
    response = api_as(world.role(role)).patch(
        item_url("tasks", item), {"title": "x"}, format="json", HTTP_IF_MATCH=item.etag
    )
    assert response.status_code == code


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("goals", {"title": None}),
        ("goals", {"kind": "best"}),
        ("tasks", {"due_date": "tomorrow"}),
        ("expectations", {"text": ""}),
    ],
)
def test_patch_bad_input_is_400(world, api_as, kind, body):
    item = item_of(world, kind)
    response = api_as(world.leader).patch(item_url(kind, item), body, format="json", HTTP_IF_MATCH=item.etag)
    assert response.status_code == 400


def test_patch_when_not_editable_is_409(world, api_as):
    bring_to(world.conversation, "awaiting_confirmation")
    item = item_of(world, "tasks")
    response = api_as(world.leader).patch(
        item_url("tasks", item), {"title": "x"}, format="json", HTTP_IF_MATCH=item.etag
    )
    assert response.status_code == 409


def test_amendment_reopens_items_for_editing(world, api_as):
    confirm(world.conversation)
    client = api_as(world.leader)
    assert client.post(url(f"conversations/{world.conversation.pk}/amend/")).status_code == 200
    item = item_of(world, "tasks")
    response = client.patch(
        item_url("tasks", item), {"title": "Endret"}, format="json", HTTP_IF_MATCH=item.etag
    )
    assert response.status_code == 200


# --- delete ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_leader_deletes_an_item(world, api_as, kind):
    item = item_of(world, kind)
    response = api_as(world.leader).delete(item_url(kind, item), HTTP_IF_MATCH=item.etag)
    assert response.status_code == 204
    assert not type(item).objects.filter(pk=item.pk).exists()
    assert api_as(world.leader).get(item_url(kind, item)).status_code == 404


def test_delete_preconditions(world, api_as):
    item = item_of(world, "expectations")
    client = api_as(world.leader)
    assert client.delete(item_url("expectations", item)).status_code == 428
    stale = f'"e{item.pk}-{item.revision + 1}"'
    assert client.delete(item_url("expectations", item), HTTP_IF_MATCH=stale).status_code == 412
    assert (
        api_as(world.employee).delete(item_url("expectations", item), HTTP_IF_MATCH=item.etag).status_code
        == 403
    )
    assert api_as(world.hr).delete(item_url("expectations", item), HTTP_IF_MATCH=item.etag).status_code == 404
    bring_to(world.conversation, "awaiting_confirmation")
    assert client.delete(item_url("expectations", item), HTTP_IF_MATCH=item.etag).status_code == 409
    assert Expectation.objects.filter(pk=item.pk).exists()
