"""The employee's own goals on the API: proposals while the contract is a draft, the leader's
decision (accepted: an item of the draft; declined: with a reason), who may do what and when, the
waiting list and the history."""

import pytest

from conversations.models import HistoryEntry
from goals.models import Expectation, Goal, Proposal, Task
from tests.api.helpers import count_queries, url
from tests.workflow import bring_to, confirm

pytestmark = pytest.mark.django_db

GOAL = {"kind": "goal", "title": "Ta fagbrev", "text": "Innen høsten", "goal_kind": "development"}
TASK = {"kind": "task", "title": "Rydde arkivet", "text": "Før sommeren"}
EXPECTATION = {"kind": "expectation", "text": "Tilbakemelding hver måned", "direction": "employee_to_leader"}


def proposals_url(conversation):
    return url(f"conversations/{conversation.pk}/proposals/")


def propose(client, conversation, body=GOAL, status=201):
    response = client.post(proposals_url(conversation), body, format="json")
    assert response.status_code == status, response.content
    return response.json()


def decide(client, proposal_id, action, status=200, **body):
    response = client.post(url(f"proposals/{proposal_id}/{action}/"), body, format="json")
    assert response.status_code == status, response.content
    return response.json()


def waiting_kinds(client):
    return [row["kind"] for row in client.get(url("me/waiting/")).json()]


@pytest.mark.parametrize(
    ("body", "model", "fields"),
    [
        (GOAL, Goal, {"title": "Ta fagbrev", "description": "Innen høsten", "kind": "development"}),
        (TASK, Task, {"title": "Rydde arkivet", "description": "Før sommeren"}),
        (EXPECTATION, Expectation, {"text": "Tilbakemelding hver måned", "direction": "employee_to_leader"}),
    ],
)
def test_an_accepted_proposal_becomes_an_item_of_the_draft(world, api_as, body, model, fields):
    employee, leader = api_as(world.employee), api_as(world.leader)
    proposal = propose(employee, world.conversation, body)
    assert proposal["state"] == "pending" and proposal["author"]["id"] == world.employee.pk
    assert "proposal" in waiting_kinds(leader)
    accepted = decide(leader, proposal["id"], "accept")
    assert accepted["state"] == "accepted" and accepted["decided_by"]["id"] == world.leader.pk
    item = model.objects.get(pk=accepted["item"], conversation=world.conversation)
    assert {name: getattr(item, name) for name in fields} == fields
    assert "proposal" not in waiting_kinds(leader)
    # The employee sees the outcome in the list.
    [seen] = employee.get(proposals_url(world.conversation)).json()["results"]
    assert seen["state"] == "accepted" and seen["item"] == item.pk
    actions = list(
        HistoryEntry.objects.filter(
            conversation=world.conversation, action__startswith="proposal"
        ).values_list("action", flat=True)
    )
    assert actions == ["proposal_created", "proposal_accepted"]


def test_a_declined_proposal_needs_a_reason_and_is_shown_to_the_employee(world, api_as):
    employee, leader = api_as(world.employee), api_as(world.leader)
    proposal = propose(employee, world.conversation, TASK)
    assert decide(leader, proposal["id"], "decline", status=400)["reason"]
    assert decide(leader, proposal["id"], "decline", status=400, reason="   ")
    declined = decide(leader, proposal["id"], "decline", reason="Ikke i år")
    assert declined["state"] == "declined" and declined["reason"] == "Ikke i år" and declined["item"] is None
    assert not Task.objects.filter(conversation=world.conversation, title="Rydde arkivet").exists()
    rows = api_as(world.employee).get(url("me/waiting/")).json()
    [row] = [r for r in rows if r["kind"] == "proposal_declined"]
    assert row["url"] == f"/samtaler/{world.conversation.pk}/#proposals"
    # Once the employee has opened the conversation, the decline no longer waits on them.
    api_as(world.employee).get(url(f"conversations/{world.conversation.pk}/"))
    assert "proposal_declined" not in waiting_kinds(employee)


def test_one_decision_per_proposal(world, api_as):
    leader = api_as(world.leader)
    proposal = propose(api_as(world.employee), world.conversation)
    decide(leader, proposal["id"], "accept")
    decide(leader, proposal["id"], "accept", status=409)
    decide(leader, proposal["id"], "decline", status=409, reason="Likevel ikke")


@pytest.mark.parametrize("role", ["leader", "deputy"])
def test_only_the_employee_proposes(world, api_as, role):
    propose(api_as(world.role(role)), world.conversation, status=403)


@pytest.mark.parametrize("role", ["colleague", "other_leader", "other_employee", "hr"])
def test_people_outside_the_conversation_neither_see_nor_propose(world, api_as, role):
    client = api_as(world.role(role))
    assert client.get(proposals_url(world.conversation)).status_code == 404
    propose(client, world.conversation, status=404)


@pytest.mark.parametrize(("role", "status"), [("employee", 403), ("deputy", 403), ("other_leader", 404)])
def test_only_the_leader_of_record_decides(world, api_as, role, status):
    proposal = propose(api_as(world.employee), world.conversation)
    client = api_as(world.role(role))
    decide(client, proposal["id"], "accept", status=status)
    decide(client, proposal["id"], "decline", status=status, reason="Nei")
    assert Proposal.objects.get(pk=proposal["id"]).state == "pending"


def test_a_proposal_that_does_not_exist_is_404(world, api_as):
    decide(api_as(world.leader), 10**9, "accept", status=404)


@pytest.mark.parametrize("status", ["awaiting_confirmation", "changes_requested", "confirmed"])
def test_proposals_only_while_the_contract_is_a_draft(world, api_as, status):
    bring_to(world.conversation, status)
    propose(api_as(world.employee), world.conversation, status=409)


def test_a_pending_proposal_is_accepted_only_while_the_contract_can_be_edited(world, api_as):
    proposal = propose(api_as(world.employee), world.conversation)
    confirm(world.conversation)
    decide(api_as(world.leader), proposal["id"], "accept", status=409)
    assert decide(api_as(world.leader), proposal["id"], "decline", reason="For sent")["state"] == "declined"


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "goal", "title": "", "goal_kind": "result"},
        {"kind": "goal", "title": "Mål uten type"},
        {"kind": "task", "text": "Uten tittel"},
        {"kind": "expectation", "text": "Uten retning"},
        {"kind": "expectation", "direction": "employee_to_leader"},
        {"kind": "wish", "title": "Noe"},
        {"kind": "task", "title": 12},
    ],
)
def test_bad_proposals_are_400(world, api_as, body):
    assert (
        api_as(world.employee).post(proposals_url(world.conversation), body, format="json").status_code == 400
    )
    assert not Proposal.objects.exists()


def test_list_query_count_does_not_grow(world, api_as, django_assert_max_num_queries):
    employee = api_as(world.employee)
    propose(employee, world.conversation)
    few = count_queries(lambda: employee.get(proposals_url(world.conversation)))
    for _i in range(8):
        propose(employee, world.conversation, TASK)
    with django_assert_max_num_queries(few):
        assert employee.get(proposals_url(world.conversation)).json()["count"] == 9


def test_the_employees_proposals_are_in_their_export_only(world, api_as):
    proposal = propose(api_as(world.employee), world.conversation, TASK)
    mine = api_as(world.employee).get(url("me/export/")).json()["proposals"]
    assert [(p["id"], p["title"]) for p in mine] == [(proposal["id"], "Rydde arkivet")]
    assert api_as(world.leader).get(url("me/export/")).json()["proposals"] == []


def test_proposals_and_decisions_are_in_the_audit_trail(world, api_as):
    from django.apps import apps

    event_model = apps.get_model("goals", "ProposalEvent")
    proposal = propose(api_as(world.employee), world.conversation, TASK)
    decide(api_as(world.leader), proposal["id"], "decline", reason="Ikke i år")
    events = list(event_model.objects.filter(pgh_obj_id=proposal["id"]).order_by("pgh_id"))
    assert [(e.pgh_label, e.state, e.reason) for e in events] == [
        ("insert", "pending", ""),
        ("update", "declined", "Ikke i år"),
    ]
    assert events[0].pgh_context.metadata["user"] == world.employee.pk
    assert events[1].pgh_context.metadata["user"] == world.leader.pk
