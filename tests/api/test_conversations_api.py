"""Conversations: list, create, detail, change, calendar."""

import datetime

import pytest
from django.utils import timezone

from conversations import services
from conversations.models import AccessLogEntry, Status
from goals import services as goal_services
from goals.models import Goal
from tests import factories
from tests.api.helpers import count_queries, url
from tests.workflow import bring_to, confirm

pytestmark = pytest.mark.django_db


def detail_url(conversation):
    return url(f"conversations/{conversation.pk}/")


# --- list -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("leader", True),
        ("employee", True),
        ("deputy", True),
        ("colleague", False),
        ("other_leader", False),
        ("other_employee", False),
        ("hr", False),
    ],
)
def test_list_shows_only_what_the_caller_may_see(world, api_as, role, visible):
    factories.make_conversation(leader=world.other_leader, employee=world.other_employee)
    response = api_as(world.role(role)).get(url("conversations/"))
    assert response.status_code == 200
    ids = [c["id"] for c in response.json()["results"]]
    assert (world.conversation.pk in ids) is visible
    if role == "hr":
        assert ids == []


def test_list_filters(world, api_as):
    cycle = factories.CycleFactory()
    second = factories.make_conversation(leader=world.leader, employee=world.colleague, cycle=cycle)
    bring_to(second, "awaiting_confirmation")
    client = api_as(world.leader)

    def ids(query):
        response = client.get(url("conversations/"), query)
        assert response.status_code == 200
        return {c["id"] for c in response.json()["results"]}

    assert ids({}) == {world.conversation.pk, second.pk}
    assert ids({"status": "awaiting_confirmation"}) == {second.pk}
    assert ids({"cycle": cycle.pk}) == {second.pk}
    assert ids({"employee": world.employee.pk}) == {world.conversation.pk}
    assert ids({"employee": world.other_employee.pk}) == set()


@pytest.mark.parametrize(
    "query",
    [{"status": "nope"}, {"cycle": "abc"}, {"employee": "1.5"}, {"cycle": str(2**70)}, {"employee": "-1"}],
)
def test_bad_filters_are_400(world, api_as, query):
    response = api_as(world.leader).get(url("conversations/"), query)
    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_list_is_paginated(world, api_as):
    body = api_as(world.leader).get(url("conversations/")).json()
    assert {"count", "next", "previous", "results"} <= set(body)
    assert api_as(world.leader).get(url("conversations/"), {"page": 99}).status_code == 404


def test_list_query_count_does_not_grow(world, api_as, django_assert_max_num_queries):
    leader = world.leader
    client = api_as(leader)
    few = count_queries(lambda: client.get(url("conversations/")))
    for _ in range(30):
        employee = factories.UserFactory(manager=leader, unit=leader.unit)
        factories.make_conversation(leader=leader, employee=employee, items=False, cycle=None)
    with django_assert_max_num_queries(few):
        response = client.get(url("conversations/"))
    assert response.json()["count"] == 31


# --- create ---------------------------------------------------------------------------------------------


def test_leader_creates_a_conversation(world, api_as):
    cycle = factories.CycleFactory()
    when = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    response = api_as(world.leader).post(
        url("conversations/"),
        {"employee": world.colleague.pk, "cycle": cycle.pk, "scheduled_at": when.isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == Status.DRAFT
    assert body["employee"] == {
        "id": world.colleague.pk,
        "employee_id": world.colleague.employee_id,
        "full_name": world.colleague.full_name,
    }
    assert body["leader"]["id"] == world.leader.pk
    assert body["cycle"]["id"] == cycle.pk
    assert body["current_version"] is None and body["confirmed_version"] is None
    assert response["ETag"] == body["etag"]
    assert response["Location"].endswith(f"/api/v1/conversations/{body['id']}/")
    assert "edit_items" in body["allowed_actions"]


def test_create_carries_over_open_goals_and_tasks(world, api_as):
    confirm(world.conversation)
    response = api_as(world.leader).post(
        url("conversations/"), {"employee": world.employee.pk, "carry_over": True}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert [g["title"] for g in body["goals"]] == ["Ferdigstille plan"]
    assert [t["title"] for t in body["tasks"]] == ["Lede prosjekt X"]
    assert body["expectations"] == []
    assert body["goals"][0]["carried_over_from"] == world.conversation.goals.get().pk


def test_create_without_carry_over_starts_empty(world, api_as):
    confirm(world.conversation)
    response = api_as(world.leader).post(
        url("conversations/"), {"employee": world.employee.pk}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["goals"] == []


@pytest.mark.parametrize(
    ("role", "employee"), [("employee", "colleague"), ("other_leader", "employee"), ("hr", "employee")]
)
def test_create_for_someone_not_your_report_is_403(world, api_as, role, employee):
    response = api_as(world.role(role)).post(
        url("conversations/"), {"employee": world.role(employee).pk}, format="json"
    )
    assert response.status_code == 403


def test_create_never_tells_whether_a_person_exists(world, api_as):
    """Someone else's employee, HR, oneself, someone who has left and ids nobody has (also ones no row
    can have) get the same answer, so the endpoint cannot be used to find out which ids exist."""
    gone = factories.UserFactory(manager=world.leader, is_active=False)
    client = api_as(world.leader)
    ids = [world.other_employee.pk, world.hr.pk, world.leader.pk, gone.pk, 10**9, 2**70, 0, -1]
    answers = [
        client.post(url("conversations/"), {"employee": employee}, format="json")
        for employee in [*ids, str(10**9), "9" * 40, "-7"]
    ]
    assert {(r.status_code, r.content) for r in answers} == {(403, answers[0].content)}
    assert client.post(url("conversations/"), {"employee": "abc"}, format="json").status_code == 400


def test_the_employee_filter_never_tells_whether_a_person_exists(world, api_as):
    client = api_as(world.leader)
    answers = [
        client.get(url("conversations/"), {"employee": employee})
        for employee in (world.other_employee.pk, world.hr.pk, 10**9, 2**62)
    ]
    assert {(r.status_code, r.content) for r in answers} == {(200, answers[0].content)}
    assert answers[0].json()["results"] == []


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"employee": "abc"},
        {"employee": 1.5},
        {"employee": True},
        {"employee": None},
        {"employee": "EMP", "cycle": 10**9},
        {"employee": "EMP", "scheduled_at": "tomorrow"},
        {"employee": "EMP", "scheduled_at": "9999-12-31T23:59:59Z"},
        {"employee": "EMP", "carry_over": "maybe"},
        [],
        "text",
    ],
)
def test_create_with_bad_input_is_400(world, api_as, body):
    if isinstance(body, dict) and body.get("employee") == "EMP":
        body = {**body, "employee": world.colleague.pk}
    response = api_as(world.leader).post(url("conversations/"), body, format="json")
    assert response.status_code == 400


def test_create_with_malformed_json_is_400(world, api_as):
    response = api_as(world.leader).post(url("conversations/"), "{not json", content_type="application/json")
    assert response.status_code == 400


def test_create_anonymous_is_401(world, api_as):
    assert api_as().post(url("conversations/"), {"employee": world.employee.pk}).status_code == 401


# --- detail ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("leader", 200),
        ("employee", 200),
        ("deputy", 200),
        ("colleague", 404),
        ("other_leader", 404),
        ("other_employee", 404),
        ("hr", 404),
    ],
)
def test_detail_by_role(world, api_as, role, code):
    response = api_as(world.role(role)).get(detail_url(world.conversation))
    assert response.status_code == code


def test_detail_content_and_etag(world, api_as):
    version = confirm(world.conversation)
    response = api_as(world.employee).get(detail_url(world.conversation))
    body = response.json()
    assert body["status"] == "confirmed"
    assert len(body["tasks"]) == len(body["goals"]) == len(body["expectations"]) == 1
    assert body["goals"][0]["item_status"] is None
    assert body["current_version"]["number"] == version.number
    assert body["confirmed_version"]["sha256"] == version.sha256
    assert body["confirmed_version"]["confirmed_at"]
    assert response["ETag"] == world.conversation.etag == body["etag"]
    assert body["allowed_actions"] == ["statement", "comment", "add_agenda_point", "follow_up"]


def test_allowed_actions_follow_role_and_state(world, api_as):
    leader = api_as(world.leader).get(detail_url(world.conversation)).json()
    assert leader["allowed_actions"] == [
        "submit",
        "cancel",
        "update",
        "edit_items",
        "comment",
        "add_agenda_point",
    ]
    deputy = api_as(world.deputy).get(detail_url(world.conversation)).json()
    assert deputy["allowed_actions"] == ["comment", "add_agenda_point"]
    bring_to(world.conversation, "awaiting_confirmation")
    employee = api_as(world.employee).get(detail_url(world.conversation)).json()
    assert employee["allowed_actions"] == [
        "confirm",
        "request_changes",
        "respond",
        "comment",
        "add_agenda_point",
    ]


def test_detail_read_is_logged(world, api_as):
    api_as(world.deputy).get(detail_url(world.conversation))
    entry = AccessLogEntry.objects.get(conversation=world.conversation)
    assert (entry.user, entry.channel) == (world.deputy, "api")


@pytest.mark.parametrize("pk", [0, 10**9, 2**63, 10**30])
def test_detail_of_missing_or_huge_id_is_404(world, api_as, pk):
    assert api_as(world.leader).get(url(f"conversations/{pk}/")).status_code == 404


def test_detail_query_count_does_not_grow(world, api_as, django_assert_max_num_queries):
    conversation, leader = world.conversation, world.leader
    client = api_as(leader)
    few = count_queries(lambda: client.get(detail_url(conversation)))
    for i in range(30):
        goal_services.task_create(conversation=conversation, actor=leader, title=f"Oppgave {i}")
        goal_services.goal_create(
            conversation=conversation, actor=leader, title=f"Mål {i}", kind="development"
        )
        goal_services.expectation_create(
            conversation=conversation, actor=leader, direction="employee_to_leader", text=f"F {i}"
        )
    with django_assert_max_num_queries(few):
        body = client.get(detail_url(conversation)).json()
    assert len(body["goals"]) == 31


# --- change ---------------------------------------------------------------------------------------------


def test_leader_patches_with_if_match(world, api_as):
    conversation = world.conversation
    before = conversation.revision
    when = "2030-05-04T10:00:00+02:00"
    response = api_as(world.leader).patch(
        detail_url(conversation),
        {"scheduled_at": when, "held_on": "2030-05-04"},
        format="json",
        HTTP_IF_MATCH=conversation.etag,
    )
    assert response.status_code == 200, response.json()
    conversation.refresh_from_db()
    assert conversation.scheduled_at == datetime.datetime.fromisoformat(when)
    assert conversation.revision == before + 1
    assert response["ETag"] == conversation.etag == response.json()["etag"]


def test_patch_without_if_match_is_428(world, api_as):
    response = api_as(world.leader).patch(detail_url(world.conversation), {"held_on": None}, format="json")
    assert response.status_code == 428
    response = api_as(world.leader).patch(
        detail_url(world.conversation), {"held_on": None}, format="json", HTTP_IF_MATCH="*"
    )
    assert response.status_code == 428


@pytest.mark.parametrize(
    "tag", ['"c{pk}-{old}"', '"g{pk}-{rev}"', '"garbage"', 'W/"c{pk}-{rev}"', '"c{pk}-99999999999999999999"']
)
def test_patch_with_stale_or_foreign_etag_is_412(world, api_as, tag):
    conversation = world.conversation
    header = tag.format(pk=conversation.pk, rev=conversation.revision, old=conversation.revision - 1)
    response = api_as(world.leader).patch(
        detail_url(conversation), {"held_on": None}, format="json", HTTP_IF_MATCH=header
    )
    assert response.status_code == 412


def test_patch_accepts_a_list_holding_the_current_etag(world, api_as):
    conversation = world.conversation
    header = f'"c{conversation.pk}-1", {conversation.etag}'
    response = api_as(world.leader).patch(
        detail_url(conversation), {"held_on": None}, format="json", HTTP_IF_MATCH=header
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("role", "code"), [("employee", 403), ("deputy", 403), ("hr", 404), ("other_leader", 404)]
)
def test_patch_by_others(world, api_as, role, code):
    response = api_as(world.role(role)).patch(
        detail_url(world.conversation),
        {"held_on": None},
        format="json",
        HTTP_IF_MATCH=world.conversation.etag,
    )
    assert response.status_code == code


@pytest.mark.parametrize("body", [{"scheduled_at": "soon"}, {"held_on": "2030-02-30"}, {"held_on": 5}, []])
def test_patch_bad_input_is_400(world, api_as, body):
    response = api_as(world.leader).patch(
        detail_url(world.conversation), body, format="json", HTTP_IF_MATCH=world.conversation.etag
    )
    assert response.status_code == 400


def test_patch_of_a_closed_conversation_is_409(world, api_as):
    conversation = bring_to(world.conversation, "closed")
    response = api_as(world.leader).patch(
        detail_url(conversation), {"held_on": "2030-01-01"}, format="json", HTTP_IF_MATCH=conversation.etag
    )
    assert response.status_code == 409


# --- calendar -------------------------------------------------------------------------------------------


def test_calendar_invitation(world, api_as):
    conversation = world.conversation
    conversation.scheduled_at = datetime.datetime(2030, 3, 1, 9, 30, tzinfo=datetime.UTC)
    conversation.save(update_fields=["scheduled_at"])
    response = api_as(world.employee).get(url(f"conversations/{conversation.pk}/calendar.ics"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    lines = text.split("\r\n")
    assert "BEGIN:VEVENT" in lines
    assert "DTSTART:20300301T093000Z" in lines
    assert "DTEND:20300301T103000Z" in lines
    unfolded = text.replace("\r\n ", "")
    summary = f"SUMMARY:Medarbeidersamtale: {world.employee.full_name} og {world.leader.full_name}"
    assert summary.replace(",", "\\,") in unfolded.split("\r\n")
    assert not any(line.startswith("METHOD:") for line in lines)  # a download, not an e-mailed request
    assert any(line.startswith("UID:conversation-") for line in lines)
    assert any(line.startswith("DTSTAMP:") for line in lines)
    assert any(line.startswith("ORGANIZER") and world.leader.email in line for line in lines)
    assert f"mailto:{world.employee.email}" in unfolded
    assert all(len(line.encode()) <= 75 for line in lines)


def test_calendar_without_time_is_409_in_json(world, api_as):
    response = api_as(world.leader).get(
        url(f"conversations/{world.conversation.pk}/calendar.ics"), HTTP_ACCEPT="text/calendar"
    )
    assert response.status_code == 409
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


@pytest.mark.parametrize(("role", "code"), [("hr", 404), ("other_leader", 404)])
def test_calendar_hidden_from_others(world, api_as, role, code):
    response = api_as(world.role(role)).get(url(f"conversations/{world.conversation.pk}/calendar.ics"))
    assert response.status_code == code


def test_calendar_anonymous_is_401(world, api_as):
    assert api_as().get(url(f"conversations/{world.conversation.pk}/calendar.ics")).status_code == 401


def test_goal_status_from_latest_follow_up(world, api_as):
    conversation = world.conversation
    confirm(conversation)
    goal = Goal.objects.get(conversation=conversation)
    services.follow_up_create(
        conversation=conversation,
        actor=world.employee,
        text="Går bra",
        goal=goal,
        progress=40,
        item_status="on_track",
    )
    services.follow_up_create(
        conversation=conversation,
        actor=world.leader,
        text="Litt sent",
        goal=goal,
        progress=50,
        item_status="at_risk",
    )
    body = api_as(world.employee).get(detail_url(conversation)).json()
    assert (body["goals"][0]["item_status"], body["goals"][0]["progress"]) == ("at_risk", 50)
