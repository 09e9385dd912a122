"""The workflow over HTTP: every transition from every state, by every role, and the bodies."""

import pytest

from conversations.models import Comment, ContractVersion
from core import free_text
from tests.api.helpers import url
from tests.workflow import bring_to, submit

pytestmark = pytest.mark.django_db
TOO_LONG = free_text.max_length() + 1  # one character more than a party may write

STATES = ["draft", "awaiting_confirmation", "changes_requested", "confirmed", "closed", "cancelled"]
LEADER_TRANSITIONS = {
    "submit": ({"draft", "changes_requested"}, "awaiting_confirmation", 201),
    "amend": ({"confirmed"}, "draft", 200),
    "close": ({"confirmed"}, "closed", 200),
    "cancel": ({"draft"}, "cancelled", 200),
}


def path(conversation, action):
    return url(f"conversations/{conversation.pk}/{action}/")


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", LEADER_TRANSITIONS)
def test_leader_transition_table(world, api_as, action, state):
    sources, target, code = LEADER_TRANSITIONS[action]
    conversation = bring_to(world.conversation, state)
    response = api_as(world.leader).post(path(conversation, action))
    conversation.refresh_from_db()
    if state in sources:
        assert response.status_code == code, response.json()
        assert conversation.status == target
    else:
        assert response.status_code == 409
        assert conversation.status == state


def test_an_amendment_draft_cannot_be_cancelled(world, api_as):
    conversation = bring_to(world.conversation, "confirmed")
    client = api_as(world.leader)
    assert client.post(path(conversation, "amend")).status_code == 200
    assert client.post(path(conversation, "cancel")).status_code == 409


@pytest.mark.parametrize("action", LEADER_TRANSITIONS)
@pytest.mark.parametrize(
    ("role", "code"), [("employee", 403), ("deputy", 403), ("hr", 404), ("other_leader", 404)]
)
def test_leader_transitions_by_others(world, api_as, action, role, code):
    start = "confirmed" if action in ("amend", "close") else "draft"
    conversation = bring_to(world.conversation, start)
    assert api_as(world.role(role)).post(path(conversation, action)).status_code == code
    conversation.refresh_from_db()
    assert conversation.status == start


def test_submit_returns_the_version(world, api_as):
    response = api_as(world.leader).post(path(world.conversation, "submit"))
    version = ContractVersion.objects.get(conversation=world.conversation)
    assert response.json() == {
        "number": 1,
        "sha256": version.sha256,
        "submitted_at": response.json()["submitted_at"],
    }


def test_submitting_an_empty_agreement_is_400(world, api_as):
    for model in (world.conversation.tasks, world.conversation.goals, world.conversation.expectations):
        model.all().delete()
    assert api_as(world.leader).post(path(world.conversation, "submit")).status_code == 400


def test_leader_transition_answers_with_the_conversation(world, api_as):
    conversation = bring_to(world.conversation, "confirmed")
    response = api_as(world.leader).post(path(conversation, "close"))
    conversation.refresh_from_db()
    assert response.json()["status"] == "closed"
    assert response["ETag"] == conversation.etag


# --- confirm --------------------------------------------------------------------------------------------


def test_employee_confirms_the_latest_version(world, api_as):
    version = submit(world.conversation)
    response = api_as(world.employee).post(
        path(world.conversation, "confirm"),
        {"version": version.number, "sha256": version.sha256.upper()},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 1
    assert response.json()["sha256"] == version.sha256
    assert response.json()["confirmed_by"]["id"] == world.employee.pk
    world.conversation.refresh_from_db()
    assert world.conversation.confirmed_version == version


def test_confirming_an_old_version_or_wrong_hash_is_409(world, api_as):
    client = api_as(world.employee)
    first = submit(world.conversation)
    client.post(path(world.conversation, "request-changes"), {"comment": "Endre målet"}, format="json")
    second = submit(world.conversation)
    assert first.sha256 == second.sha256  # same content, but only the latest version can be signed
    old = client.post(
        path(world.conversation, "confirm"), {"version": 1, "sha256": first.sha256}, format="json"
    )
    assert old.status_code == 409
    wrong = client.post(
        path(world.conversation, "confirm"), {"version": 2, "sha256": "0" * 64}, format="json"
    )
    assert wrong.status_code == 409
    assert (
        client.post(
            path(world.conversation, "confirm"), {"version": 2, "sha256": second.sha256}, format="json"
        ).status_code
        == 200
    )


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"version": 1},
        {"version": "one", "sha256": "0" * 64},
        {"version": 1, "sha256": "xyz"},
        {"version": 0, "sha256": "0" * 64},
        {"version": 2**70, "sha256": "0" * 64},
        {"version": 1, "sha256": "g" * 64},
    ],
)
def test_confirm_with_bad_body_is_400(world, api_as, body):
    submit(world.conversation)
    assert (
        api_as(world.employee).post(path(world.conversation, "confirm"), body, format="json").status_code
        == 400
    )


@pytest.mark.parametrize(
    ("role", "code"), [("leader", 403), ("deputy", 403), ("hr", 404), ("colleague", 404)]
)
def test_only_the_employee_confirms(world, api_as, role, code):
    version = submit(world.conversation)
    body = {"version": version.number, "sha256": version.sha256}
    assert (
        api_as(world.role(role)).post(path(world.conversation, "confirm"), body, format="json").status_code
        == code
    )


@pytest.mark.parametrize("state", ["draft", "changes_requested", "confirmed", "closed"])
def test_confirm_outside_awaiting_is_409(world, api_as, state):
    bring_to(world.conversation, state)
    version = ContractVersion.objects.filter(conversation=world.conversation).order_by("-number").first()
    body = {"version": version.number if version else 1, "sha256": version.sha256 if version else "0" * 64}
    assert (
        api_as(world.employee).post(path(world.conversation, "confirm"), body, format="json").status_code
        == 409
    )


# --- request changes ------------------------------------------------------------------------------------


def test_employee_requests_changes(world, api_as):
    submit(world.conversation)
    response = api_as(world.employee).post(
        path(world.conversation, "request-changes"), {"comment": "  Mer tid til målet  "}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "changes_requested"
    note = Comment.objects.get(conversation=world.conversation)
    assert (note.kind, note.text) == ("change_request", "Mer tid til målet")


@pytest.mark.parametrize(
    "body", [{}, {"comment": ""}, {"comment": "   "}, {"comment": "x" * TOO_LONG}, {"comment": None}]
)
def test_request_changes_needs_a_comment(world, api_as, body):
    submit(world.conversation)
    response = api_as(world.employee).post(path(world.conversation, "request-changes"), body, format="json")
    assert response.status_code == 400


def test_request_changes_rules(world, api_as):
    body = {"comment": "Endre"}
    assert (
        api_as(world.employee)
        .post(path(world.conversation, "request-changes"), body, format="json")
        .status_code
        == 409
    )
    submit(world.conversation)
    assert (
        api_as(world.leader)
        .post(path(world.conversation, "request-changes"), body, format="json")
        .status_code
        == 403
    )
    assert (
        api_as(world.hr).post(path(world.conversation, "request-changes"), body, format="json").status_code
        == 404
    )
