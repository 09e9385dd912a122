"""Versions, comments, agenda, item answers, follow-ups, history and the access log."""

import pytest
from django.utils import timezone

from conversations import services
from conversations.models import (
    AccessLogEntry,
    AgendaPoint,
    Comment,
    ContractVersion,
    FollowUp,
    HistoryEntry,
    ItemResponse,
)
from core import free_text
from goals.models import Goal, Task
from tests import factories
from tests.api.helpers import count_queries, url
from tests.workflow import bring_to, confirm, submit

pytestmark = pytest.mark.django_db
TOO_LONG = free_text.max_length() + 1  # one character more than a party may write


def path(conversation, child):
    return url(f"conversations/{conversation.pk}/{child}/")


def assert_constant_queries(client, address, add_rows, django_assert_max_num_queries, expected_count):
    """The list's query count with a few rows bounds it with 30 more."""
    few = count_queries(lambda: client.get(address))
    add_rows()
    with django_assert_max_num_queries(few):
        response = client.get(address)
    assert response.status_code == 200
    assert response.json()["count"] == expected_count
    return few


# --- versions -------------------------------------------------------------------------------------------


def test_versions_list(world, api_as):
    version = confirm(world.conversation)
    response = api_as(world.deputy).get(path(world.conversation, "versions"))
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["number"], row["sha256"]) == (1, version.sha256)
    assert row["content"]["goals"][0]["title"] == "Ferdigstille plan"
    assert row["confirmed_at"] and row["submitted_by"]["id"] == world.leader.pk


@pytest.mark.parametrize("role", ["hr", "colleague", "other_leader"])
def test_versions_hidden_from_others(world, api_as, role):
    assert api_as(world.role(role)).get(path(world.conversation, "versions")).status_code == 404


def test_versions_query_count(world, api_as, django_assert_max_num_queries):
    conversation = world.conversation
    submit(conversation)

    def add_rows():
        for number in range(2, 32):
            ContractVersion.objects.create(
                conversation=conversation,
                number=number,
                canonical_json="{}",
                sha256="0" * 64,
                submitted_by=world.leader,
            )

    assert_constant_queries(
        api_as(world.employee),
        path(conversation, "versions"),
        add_rows,
        django_assert_max_num_queries,
        31,
    )


# --- comments -------------------------------------------------------------------------------------------


def test_parties_comment_on_the_conversation_and_on_items(world, api_as):
    goal = Goal.objects.get(conversation=world.conversation)
    assert (
        api_as(world.employee)
        .post(path(world.conversation, "comments"), {"text": "Fint"}, format="json")
        .status_code
        == 201
    )
    response = api_as(world.deputy).post(
        path(world.conversation, "comments"), {"text": "Om målet", "goal": goal.pk}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["goal"] == goal.pk and response.json()["author"]["id"] == world.deputy.pk
    listed = api_as(world.leader).get(path(world.conversation, "comments")).json()["results"]
    assert [c["text"] for c in listed] == ["Fint", "Om målet"]


@pytest.mark.parametrize("role", ["hr", "other_leader", "colleague"])
def test_comments_hidden_from_others(world, api_as, role):
    client = api_as(world.role(role))
    assert client.get(path(world.conversation, "comments")).status_code == 404
    assert (
        client.post(path(world.conversation, "comments"), {"text": "Hei"}, format="json").status_code == 404
    )


def test_comment_item_must_belong_to_the_conversation(world, api_as):
    other = factories.make_conversation(leader=world.other_leader, employee=world.other_employee)
    foreign_goal = Goal.objects.get(conversation=other)
    goal = Goal.objects.get(conversation=world.conversation)
    task = Task.objects.get(conversation=world.conversation)
    client = api_as(world.leader)
    for body in (
        {"text": "x", "goal": foreign_goal.pk},
        {"text": "x", "goal": goal.pk, "task": task.pk},
        {"text": "x", "task": 2**70},
        {"text": "x", "task": "abc"},
        {"text": "x", "task": 1.5},
        {"text": "x" * TOO_LONG},
        {"text": ""},
        {"text": "x", "kind": "change_request"},
        {"text": "x", "kind": "statement", "goal": goal.pk},
    ):
        assert client.post(path(world.conversation, "comments"), body, format="json").status_code == 400, body


def test_statement_after_confirmation(world, api_as):
    address = path(world.conversation, "comments")
    body = {"text": "Jeg vil legge til", "kind": "statement"}
    assert api_as(world.employee).post(address, body, format="json").status_code == 409
    confirm(world.conversation)
    assert api_as(world.leader).post(address, body, format="json").status_code == 403
    response = api_as(world.employee).post(address, body, format="json")
    assert response.status_code == 201
    assert response.json()["kind"] == "statement"


def test_comments_closed_with_the_conversation(world, api_as):
    bring_to(world.conversation, "cancelled")
    assert (
        api_as(world.leader)
        .post(path(world.conversation, "comments"), {"text": "x"}, format="json")
        .status_code
        == 409
    )


def test_comments_query_count(world, api_as, django_assert_max_num_queries):
    conversation = world.conversation
    Comment.objects.create(conversation=conversation, author=world.leader, text="første")

    def add_rows():
        authors = [world.leader, world.employee, world.deputy]
        Comment.objects.bulk_create(
            Comment(conversation=conversation, author=authors[i % 3], text=f"k{i}") for i in range(30)
        )

    assert_constant_queries(
        api_as(world.employee),
        path(conversation, "comments"),
        add_rows,
        django_assert_max_num_queries,
        31,
    )


# --- agenda ---------------------------------------------------------------------------------------------


def test_private_agenda_points_are_seen_by_their_author_only(world, api_as):
    address = path(world.conversation, "agenda")
    assert (
        api_as(world.employee)
        .post(address, {"text": "Mitt notat", "shared": False}, format="json")
        .status_code
        == 201
    )
    assert (
        api_as(world.leader)
        .post(address, {"text": "Leders notat", "shared": False}, format="json")
        .status_code
        == 201
    )
    assert api_as(world.leader).post(address, {"text": "Felles tema"}, format="json").status_code == 201

    def texts(user):
        return [p["text"] for p in api_as(user).get(address).json()["results"]]

    assert texts(world.employee) == ["Mitt notat", "Felles tema"]
    assert texts(world.leader) == ["Leders notat", "Felles tema"]
    assert texts(world.deputy) == ["Felles tema"]


def test_template_points_come_with_the_cycle(world, api_as):
    point = factories.TemplatePointFactory(text="Trivsel", hint="Hvordan har du det?")
    cycle = factories.CycleFactory(template=point.template)
    conversation = factories.make_conversation(
        leader=world.leader, employee=world.colleague, cycle=cycle, items=False
    )
    [row] = api_as(world.colleague).get(path(conversation, "agenda")).json()["results"]
    assert (row["text"], row["from_template"], row["author"]) == ("Trivsel", True, None)


@pytest.mark.parametrize(
    "body", [{}, {"text": ""}, {"text": "x" * TOO_LONG}, {"text": "x", "shared": "perhaps"}]
)
def test_agenda_bad_input_is_400(world, api_as, body):
    assert (
        api_as(world.employee).post(path(world.conversation, "agenda"), body, format="json").status_code
        == 400
    )


def test_agenda_access(world, api_as):
    address = path(world.conversation, "agenda")
    assert api_as(world.hr).get(address).status_code == 404
    assert api_as(world.hr).post(address, {"text": "x"}, format="json").status_code == 404
    bring_to(world.conversation, "cancelled")
    assert api_as(world.employee).post(address, {"text": "x"}, format="json").status_code == 409


def test_agenda_query_count(world, api_as, django_assert_max_num_queries):
    conversation = world.conversation
    AgendaPoint.objects.create(conversation=conversation, author=world.employee, text="a")

    def add_rows():
        AgendaPoint.objects.bulk_create(
            AgendaPoint(conversation=conversation, author=world.employee, text=f"p{i}", shared=i % 2 == 0)
            for i in range(30)
        )

    assert_constant_queries(
        api_as(world.employee), path(conversation, "agenda"), add_rows, django_assert_max_num_queries, 31
    )


# --- responses ------------------------------------------------------------------------------------------


def test_employee_answers_items(world, api_as):
    submit(world.conversation)
    goal = Goal.objects.get(conversation=world.conversation)
    client = api_as(world.employee)
    address = path(world.conversation, "responses")
    first = client.post(address, {"goal": goal.pk, "stance": "agree"}, format="json")
    assert first.status_code == 201, first.json()
    again = client.post(
        address, {"goal": goal.pk, "stance": "disagree", "comment": "For kort tid"}, format="json"
    )
    assert again.status_code == 201
    [row] = api_as(world.leader).get(address).json()["results"]
    assert (row["stance"], row["comment"], row["version"], row["goal"]) == (
        "disagree",
        "For kort tid",
        1,
        goal.pk,
    )


def test_response_rules(world, api_as):
    goal = Goal.objects.get(conversation=world.conversation)
    task = Task.objects.get(conversation=world.conversation)
    address = path(world.conversation, "responses")
    employee = api_as(world.employee)
    assert employee.post(address, {"goal": goal.pk, "stance": "agree"}, format="json").status_code == 409
    submit(world.conversation)
    assert (
        api_as(world.leader).post(address, {"goal": goal.pk, "stance": "agree"}, format="json").status_code
        == 403
    )
    assert (
        api_as(world.deputy).post(address, {"goal": goal.pk, "stance": "agree"}, format="json").status_code
        == 403
    )
    assert (
        api_as(world.hr).post(address, {"goal": goal.pk, "stance": "agree"}, format="json").status_code == 404
    )
    for body in (
        {"stance": "agree"},
        {"goal": goal.pk, "task": task.pk, "stance": "agree"},
        {"goal": goal.pk, "stance": "maybe"},
        {"goal": goal.pk, "stance": "disagree"},
        {"goal": goal.pk, "stance": "agree", "comment": "c" * TOO_LONG},
        {"goal": 10**12, "stance": "agree"},
    ):
        assert employee.post(address, body, format="json").status_code == 400, body


def test_responses_query_count(world, api_as, django_assert_max_num_queries):
    conversation = world.conversation
    version = submit(conversation)
    goal = Goal.objects.get(conversation=conversation)
    ItemResponse.objects.create(
        conversation=conversation, version=version, author=world.employee, goal=goal, stance="agree"
    )

    def add_rows():
        goals = Goal.objects.bulk_create(
            Goal(conversation=conversation, title=f"m{i}", kind="result") for i in range(30)
        )
        ItemResponse.objects.bulk_create(
            ItemResponse(
                conversation=conversation, version=version, author=world.employee, goal=g, stance="agree"
            )
            for g in goals
        )

    assert_constant_queries(
        api_as(world.leader), path(conversation, "responses"), add_rows, django_assert_max_num_queries, 31
    )


# --- follow-ups -----------------------------------------------------------------------------------------


def test_follow_ups_after_confirmation(world, api_as):
    address = path(world.conversation, "follow-ups")
    goal = Goal.objects.get(conversation=world.conversation)
    body = {"text": "Er vi på rett vei?", "goal": goal.pk, "progress": 30, "item_status": "on_track"}
    assert api_as(world.leader).post(address, body, format="json").status_code == 409
    confirm(world.conversation)
    for user in (world.leader, world.employee, world.deputy):
        assert api_as(user).post(address, body, format="json").status_code == 201
    assert api_as(world.employee).post(address, {"text": "Uten mål"}, format="json").status_code == 201
    rows = api_as(world.employee).get(address).json()["results"]
    assert len(rows) == 4 and rows[0]["progress"] == 30 and rows[3]["item_status"] == ""


def test_follow_up_access_and_input(world, api_as):
    confirm(world.conversation)
    address = path(world.conversation, "follow-ups")
    assert api_as(world.hr).post(address, {"text": "x"}, format="json").status_code == 404
    assert api_as(world.hr).get(address).status_code == 404
    client = api_as(world.leader)
    for body in (
        {"text": "x", "progress": 101},
        {"text": "x", "progress": -1},
        {"text": "x", "item_status": "great"},
        {"text": ""},
        {"text": "x", "goal": 2**70},
    ):
        assert client.post(address, body, format="json").status_code == 400, body
    bring_to_closed = client.post(url(f"conversations/{world.conversation.pk}/close/"))
    assert bring_to_closed.status_code == 200
    assert client.post(address, {"text": "x"}, format="json").status_code == 409


def test_follow_ups_query_count(world, api_as, django_assert_max_num_queries):
    conversation = world.conversation
    confirm(conversation)
    FollowUp.objects.create(conversation=conversation, author=world.leader, text="f")

    def add_rows():
        FollowUp.objects.bulk_create(
            FollowUp(conversation=conversation, author=world.employee, text=f"f{i}", progress=i)
            for i in range(30)
        )

    assert_constant_queries(
        api_as(world.deputy),
        path(conversation, "follow-ups"),
        add_rows,
        django_assert_max_num_queries,
        31,
    )


# --- history --------------------------------------------------------------------------------------------


def test_history_shows_the_audit_trail(world, api_as):
    confirm(world.conversation)
    rows = api_as(world.employee).get(path(world.conversation, "history")).json()["results"]
    actions = [r["action"] for r in rows]
    assert actions[0] == "create"
    assert actions[-2:] == ["submit", "confirm"]
    assert rows[-1]["actor"]["id"] == world.employee.pk
    assert api_as(world.hr).get(path(world.conversation, "history")).status_code == 404


def test_history_query_count(world, api_as, django_assert_max_num_queries):
    conversation = world.conversation
    count = HistoryEntry.objects.filter(conversation=conversation).count()

    def add_rows():
        HistoryEntry.objects.bulk_create(
            HistoryEntry(conversation=conversation, actor=world.leader, action="update", changes={"i": i})
            for i in range(30)
        )

    assert_constant_queries(
        api_as(world.leader),
        path(conversation, "history"),
        add_rows,
        django_assert_max_num_queries,
        count + 30,
    )


# --- access log -----------------------------------------------------------------------------------------


def test_access_log_for_the_parties_only(world, api_as):
    api_as(world.deputy).get(url(f"conversations/{world.conversation.pk}/"))
    address = path(world.conversation, "access-log")
    for user in (world.employee, world.leader):
        response = api_as(user).get(address)
        assert response.status_code == 200
        assert response.json()["results"][0]["user"]["id"] == world.deputy.pk
    assert api_as(world.deputy).get(address).status_code == 403
    assert api_as(world.hr).get(address).status_code == 404


def test_access_log_query_count(world, api_as, django_assert_max_num_queries):
    conversation = world.conversation
    AccessLogEntry.objects.create(conversation=conversation, user=world.leader, channel="api")

    def add_rows():
        users = [world.leader, world.employee, world.deputy]
        AccessLogEntry.objects.bulk_create(
            AccessLogEntry(
                conversation=conversation, user=users[i % 3], channel="web", accessed_at=timezone.now()
            )
            for i in range(30)
        )

    assert_constant_queries(
        api_as(world.employee),
        path(conversation, "access-log"),
        add_rows,
        django_assert_max_num_queries,
        31,
    )


def test_lists_are_paginated(world, api_as):
    for child in ("versions", "comments", "agenda", "responses", "follow-ups", "history", "access-log"):
        body = api_as(world.employee).get(path(world.conversation, child)).json()
        assert {"count", "next", "previous", "results"} <= set(body), child


def test_services_used_by_the_api_record_history(world, api_as):
    services.agenda_point_create(
        conversation=world.conversation, actor=world.employee, text="privat", shared=False
    )
    actions = [
        r["action"] for r in api_as(world.leader).get(path(world.conversation, "history")).json()["results"]
    ]
    assert "agenda_point" not in actions
