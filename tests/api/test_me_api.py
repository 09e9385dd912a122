"""The caller: me/, reports, export, history sharing; and cycles."""

import datetime
import json

import pytest

from conversations import services
from conversations.models import Cycle
from tests import factories
from tests.api.helpers import count_queries, url
from tests.workflow import bring_to, confirm

pytestmark = pytest.mark.django_db


def test_me(world, api_as):
    response = api_as(world.leader).get(url("me/"))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == world.leader.pk
    assert body["roles"] == ["employee", "leader"]
    assert body["unit"]["path"] == world.leader.unit.path
    assert api_as(world.hr).get(url("me/")).json()["roles"] == ["employee", "hr"]
    assert api_as(world.employee).get(url("me/")).json()["manager"]["id"] == world.leader.pk
    assert api_as().get(url("me/")).status_code == 401


def test_reports_are_the_active_direct_reports(world, api_as):
    gone = factories.UserFactory(manager=world.leader, is_active=False)
    ids = {r["id"] for r in api_as(world.leader).get(url("me/reports/")).json()["results"]}
    assert ids == {world.employee.pk, world.colleague.pk}
    assert gone.pk not in ids
    assert api_as(world.employee).get(url("me/reports/")).json()["results"] == []


def test_reports_query_count(world, api_as, django_assert_max_num_queries):
    client = api_as(world.leader)
    few = count_queries(lambda: client.get(url("me/reports/")))
    for _ in range(30):
        factories.UserFactory(manager=world.leader)  # each in a unit of their own
    with django_assert_max_num_queries(few):
        assert client.get(url("me/reports/")).json()["count"] == 32


# --- export ---------------------------------------------------------------------------------------------


def _fill(world):
    conversation = world.conversation
    services.agenda_point_create(
        conversation=conversation, actor=world.employee, text="Min forberedelse", shared=False
    )
    services.agenda_point_create(
        conversation=conversation, actor=world.leader, text="Leders hemmelighet", shared=False
    )
    services.agenda_point_create(conversation=conversation, actor=world.leader, text="Felles", shared=True)
    confirm(conversation)
    services.comment_create(conversation=conversation, actor=world.leader, text="Bra jobbet")
    services.follow_up_create(conversation=conversation, actor=world.employee, text="På vei", progress=10)
    services.access_log_record(conversation=conversation, user=world.leader, channel="api")


def test_employee_export_holds_everything_about_them_and_no_one_elses_secrets(world, api_as):
    _fill(world)
    response = api_as(world.employee).get(url("me/export/"))
    assert response.status_code == 200
    body = response.json()
    assert body["profile"]["employee_id"] == world.employee.employee_id
    [conversation] = body["conversations"]
    assert conversation["id"] == world.conversation.pk
    assert [v["number"] for v in conversation["versions"]] == [1]
    assert conversation["versions"][0]["content"]["tasks"][0]["title"] == "Lede prosjekt X"
    assert [c["text"] for c in conversation["comments"]] == ["Bra jobbet"]
    assert [f["text"] for f in conversation["follow_ups"]] == ["På vei"]
    assert {p["text"] for p in conversation["agenda_points"]} == {"Min forberedelse", "Felles"}
    assert conversation["access_log"][0]["user"]["id"] == world.leader.pk
    assert conversation["history"]
    assert conversation["confirmed_version"]["number"] == 1
    assert "Leders hemmelighet" not in json.dumps(body, ensure_ascii=False)


def test_leader_export_lists_led_conversations_and_own_writing(world, api_as):
    _fill(world)
    body = api_as(world.leader).get(url("me/export/")).json()
    assert body["conversations"] == []
    assert [c["id"] for c in body["led_conversations"]] == [world.conversation.pk]
    assert [c["text"] for c in body["comments_elsewhere"]] == ["Bra jobbet"]
    assert {p["text"] for p in body["agenda_points_elsewhere"]} == {"Leders hemmelighet", "Felles"}
    assert [g["deputy"]["id"] for g in body["deputy_grants"]] == [world.deputy.pk]
    assert [e["conversation"] for e in body["access_log_entries_by_me"]] == [world.conversation.pk]
    assert "Min forberedelse" not in json.dumps(body, ensure_ascii=False)


def test_export_query_count(world, api_as, django_assert_max_num_queries):
    employee, leader = world.employee, world.leader
    bring_to(world.conversation, "closed")
    client = api_as(employee)
    few = count_queries(lambda: client.get(url("me/export/")))
    for i in range(30):
        conversation = factories.make_conversation(leader=leader, employee=employee)
        services.agenda_point_create(conversation=conversation, actor=employee, text=f"a{i}")
        services.comment_create(conversation=conversation, actor=leader, text=f"c{i}")
        services.access_log_record(conversation=conversation, user=leader, channel="api")
    with django_assert_max_num_queries(few):
        body = client.get(url("me/export/")).json()
    assert len(body["conversations"]) == 31


# --- history sharing ------------------------------------------------------------------------------------


def test_share_history(world, api_as):
    client = api_as(world.employee)
    response = client.post(url("me/share-history/"), {"shared": True}, format="json")
    assert response.status_code == 200 and response.json() == {"shared": True}
    world.employee.refresh_from_db()
    assert world.employee.shares_history
    assert client.post(url("me/share-history/"), {"shared": False}, format="json").json() == {"shared": False}
    for body in ({}, {"shared": "sometimes"}, {"shared": None}):
        assert client.post(url("me/share-history/"), body, format="json").status_code == 400


def test_shared_history_reaches_the_new_leader(world, api_as):
    from conversations.services import employee_manager_changed

    conversation = bring_to(world.conversation, "closed")
    employee = world.employee
    employee.manager = world.other_leader
    employee.save()
    employee_manager_changed(employee=employee)
    address = url(f"conversations/{conversation.pk}/")
    assert api_as(world.other_leader).get(address).status_code == 404
    api_as(employee).post(url("me/share-history/"), {"shared": True}, format="json")
    assert api_as(world.other_leader).get(address).status_code == 200
    assert (
        api_as(world.other_leader).get(url(f"conversations/{conversation.pk}/access-log/")).status_code == 403
    )


# --- cycles ---------------------------------------------------------------------------------------------


def test_hr_creates_cycles_and_everyone_reads_them(world, api_as):
    body = {"name": "Medarbeidersamtaler 2031", "starts_on": "2031-01-01", "deadline": "2031-03-31"}
    response = api_as(world.hr).post(url("cycles/"), body, format="json")
    assert response.status_code == 201, response.json()
    assert Cycle.objects.filter(name=body["name"]).exists()
    listed = api_as(world.employee).get(url("cycles/")).json()["results"]
    assert body["name"] in [c["name"] for c in listed]


@pytest.mark.parametrize("role", ["leader", "employee", "deputy"])
def test_only_hr_creates_cycles(world, api_as, role):
    body = {"name": "x", "starts_on": "2031-01-01", "deadline": "2031-03-31"}
    assert api_as(world.role(role)).post(url("cycles/"), body, format="json").status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x", "starts_on": "2031-03-01", "deadline": "2031-01-01"},
        {"name": "", "starts_on": "2031-01-01", "deadline": "2031-03-31"},
        {"name": "x" * 201, "starts_on": "2031-01-01", "deadline": "2031-03-31"},
        {"name": "x", "starts_on": "2031-01-01"},
        {"name": "x", "starts_on": "soon", "deadline": "2031-03-31"},
        {"name": "x", "starts_on": "2031-01-01", "deadline": "2031-03-31", "template": 10**9},
    ],
)
def test_cycle_bad_input_is_400(world, api_as, body):
    assert api_as(world.hr).post(url("cycles/"), body, format="json").status_code == 400


def test_cycles_query_count(world, api_as, django_assert_max_num_queries):
    client = api_as(world.employee)
    factories.CycleFactory()
    few = count_queries(lambda: client.get(url("cycles/")))
    start = datetime.date(2030, 1, 1)
    Cycle.objects.bulk_create(
        Cycle(name=f"c{i}", starts_on=start, deadline=start + datetime.timedelta(days=i)) for i in range(30)
    )
    with django_assert_max_num_queries(few):
        assert client.get(url("cycles/")).json()["count"] == 31
