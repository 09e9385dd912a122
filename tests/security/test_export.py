"""`me/export/`: every piece of the caller's data created here is in it, and nothing of anyone else's.

The caller ("me") is an employee with a full year behind them, a leader of someone else, a commenter in
that conversation, a deputy and a grantor of deputies. Each text carries a unique marker, so the export
can be searched as one JSON string for what must and must not be there.
"""

import json
import uuid

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from conversations import services
from conversations.contract import workflow
from conversations.models import AccessLogEntry, Comment, DeputyGrant, ItemResponse
from goals import services as goal_services
from tests import factories
from tests.factories import in_days
from tests.workflow import confirm_latest, latest_version

pytestmark = pytest.mark.django_db

API = "/api/v1/"


class Markers:
    """Unique texts: `mine(name)` must be in the export, `theirs(name)` must not."""

    def __init__(self):
        self.tag = uuid.uuid4().hex[:8]
        self.expected: dict[str, str] = {}
        self.forbidden: dict[str, str] = {}

    def mine(self, name: str) -> str:
        self.expected[name] = f"MINE-{name}-{self.tag}"
        return self.expected[name]

    def theirs(self, name: str) -> str:
        self.forbidden[name] = f"THEIRS-{name}-{self.tag}"
        return self.forbidden[name]


def _my_year(me, my_leader, m: Markers) -> dict:
    """My own conversation: items, two versions, answers, a change request, confirmation, dialogue."""
    conversation = services.conversation_create(actor=my_leader, employee=me)
    goal = goal_services.goal_create(
        conversation=conversation,
        actor=my_leader,
        kind="development",
        title=m.mine("goal-title"),
        description=m.mine("goal-description"),
        measure=m.mine("goal-measure"),
    )
    task = goal_services.task_create(
        conversation=conversation,
        actor=my_leader,
        title=m.mine("task-title"),
        description=m.mine("task-desc"),
    )
    expectation = goal_services.expectation_create(
        conversation=conversation, actor=my_leader, direction="employee_to_leader", text=m.mine("expectation")
    )
    private = services.agenda_point_create(
        conversation=conversation, actor=me, text=m.mine("my-private-agenda"), shared=False
    )
    shared = services.agenda_point_create(conversation=conversation, actor=me, text=m.mine("my-agenda"))
    services.agenda_point_create(
        conversation=conversation, actor=my_leader, text=m.theirs("leaders-private-agenda"), shared=False
    )
    first = workflow.conversation_submit(conversation_id=conversation.pk, actor=my_leader)
    disagree = services.item_response_record(
        conversation=conversation, actor=me, stance="disagree", comment=m.mine("response-v1"), goal=goal
    )
    change_request = workflow.conversation_request_changes(
        conversation_id=conversation.pk, actor=me, comment=m.mine("change-request")
    )
    goal_services.item_update(item=goal, actor=my_leader, description=m.mine("goal-description-v2"))
    workflow.conversation_submit(conversation_id=conversation.pk, actor=my_leader)
    agree = services.item_response_record(
        conversation=conversation,
        actor=me,
        stance="agree_with_comment",
        comment=m.mine("response-v2"),
        task=task,
    )
    conversation.refresh_from_db()
    confirm_latest(conversation)
    comment = services.comment_create(conversation=conversation, actor=me, text=m.mine("comment"), goal=goal)
    statement = services.statement_create(conversation=conversation, actor=me, text=m.mine("statement"))
    my_follow_up = services.follow_up_create(
        conversation=conversation,
        actor=me,
        text=m.mine("follow-up"),
        goal=goal,
        progress=30,
        item_status="at_risk",
    )
    leaders_follow_up = services.follow_up_create(
        conversation=conversation, actor=my_leader, text=m.mine("leaders-follow-up-about-me")
    )
    return {
        "conversation": conversation,
        "goal": goal,
        "task": task,
        "expectation": expectation,
        "agenda": [private, shared],
        "versions": [first.number, latest_version(conversation).number],
        "responses": [disagree, agree],
        "comments": [change_request, comment, statement],
        "follow_ups": [my_follow_up, leaders_follow_up],
    }


def _as_leader(me, m: Markers) -> dict:
    """A conversation I lead: what I wrote there is mine, what my report wrote is theirs."""
    report = factories.UserFactory(manager=me, unit=me.unit)
    conversation = services.conversation_create(actor=me, employee=report)
    goal_services.goal_create(conversation=conversation, actor=me, kind="result", title="Felles mål")
    point = services.agenda_point_create(
        conversation=conversation, actor=me, text=m.mine("led-private-agenda"), shared=False
    )
    services.agenda_point_create(
        conversation=conversation, actor=report, text=m.theirs("reports-private-agenda"), shared=False
    )
    comment = services.comment_create(conversation=conversation, actor=me, text=m.mine("led-comment"))
    services.comment_create(conversation=conversation, actor=report, text=m.theirs("reports-comment"))
    workflow.conversation_submit(conversation_id=conversation.pk, actor=me)
    services.item_response_record(
        conversation=conversation,
        actor=report,
        stance="disagree",
        comment=m.theirs("reports-response"),
        goal=conversation.goals.get(),
    )
    confirm_latest(conversation)
    follow_up = services.follow_up_create(conversation=conversation, actor=me, text=m.mine("led-follow-up"))
    services.statement_create(conversation=conversation, actor=report, text=m.theirs("reports-statement"))
    return {"conversation": conversation, "agenda": point, "comment": comment, "follow_up": follow_up}


def _someone_elses_year(m: Markers) -> None:
    other_leader, other = factories.make_pair()
    conversation = services.conversation_create(actor=other_leader, employee=other)
    goal_services.goal_create(
        conversation=conversation, actor=other_leader, kind="result", title=m.theirs("strangers-goal")
    )
    services.comment_create(conversation=conversation, actor=other, text=m.theirs("strangers-comment"))


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _build_year() -> dict:
    my_leader, me = factories.make_pair()
    me.is_leader = True
    me.save(update_fields=["is_leader"])
    m = Markers()
    mine = _my_year(me, my_leader, m)
    led = _as_leader(me, m)
    _someone_elses_year(m)
    given = services.deputy_grant_create(leader=me, deputy=factories.LeaderFactory(), until=in_days(4))
    services.deputy_grant_create(leader=my_leader, deputy=factories.LeaderFactory(), until=in_days(4))
    received = services.deputy_grant_create(leader=factories.LeaderFactory(), deputy=me, until=in_days(6))
    client = _client(me)
    assert client.get(f"{API}conversations/{mine['conversation'].pk}/").status_code == 200
    assert client.get(f"{API}conversations/{led['conversation'].pk}/").status_code == 200
    _client(my_leader).get(f"{API}conversations/{mine['conversation'].pk}/")  # the leader's read of mine
    export = client.get(f"{API}me/export/")
    assert export.status_code == 200
    return {
        "me": me,
        "markers": m,
        "mine": mine,
        "led": led,
        "grants": [given, received],
        "export": export.json(),
        "text": json.dumps(export.json(), ensure_ascii=False),
    }


@pytest.fixture(scope="module")
def year(django_db_setup, django_db_blocker):
    """One year of data and its export, built once for the module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_year()
        transaction.set_rollback(True)


def test_every_text_of_mine_is_exported(year):
    missing = {name for name, text in year["markers"].expected.items() if text not in year["text"]}
    assert missing == set()


def test_nothing_of_anyone_else_is_exported(year):
    leaked = {name for name, text in year["markers"].forbidden.items() if text in year["text"]}
    assert leaked == set()


def _ids(rows) -> set:
    return {row["id"] for row in rows}


def test_my_conversation_is_exported_whole_by_id(year):
    mine, export = year["mine"], year["export"]
    assert export["profile"]["id"] == year["me"].pk
    (conversation,) = export["conversations"]
    assert conversation["id"] == mine["conversation"].pk
    assert _ids(conversation["goals"]) == {mine["goal"].pk}
    assert _ids(conversation["tasks"]) == {mine["task"].pk}
    assert _ids(conversation["expectations"]) == {mine["expectation"].pk}
    assert [v["number"] for v in conversation["versions"]] == mine["versions"]
    assert conversation["versions"][-1]["confirmed_at"] is not None
    assert conversation["confirmed_version"]["number"] == mine["versions"][-1]
    assert _ids(conversation["responses"]) == {r.pk for r in mine["responses"]}
    assert _ids(conversation["comments"]) >= {c.pk for c in mine["comments"]}
    kinds = {c["kind"] for c in conversation["comments"]}
    assert kinds == {Comment.Kind.COMMENT, Comment.Kind.CHANGE_REQUEST, Comment.Kind.STATEMENT}
    assert _ids(conversation["follow_ups"]) == {f.pk for f in mine["follow_ups"]}
    # My private point is there; my leader's private point on my conversation is not.
    assert _ids(conversation["agenda_points"]) == {p.pk for p in mine["agenda"]}
    assert {e["action"] for e in conversation["history"]} >= {
        "submit",
        "request_changes",
        "confirm",
        "statement",
    }
    readers = {e["user"]["id"] for e in conversation["access_log"]}
    assert readers == {year["me"].pk, mine["conversation"].leader_id}


def test_what_i_did_elsewhere_is_exported_by_id(year):
    led, export, me = year["led"], year["export"], year["me"]
    assert _ids(export["led_conversations"]) == {led["conversation"].pk}
    assert "goals" not in export["led_conversations"][0], (
        "of a conversation I lead: the fact, not the content"
    )
    assert _ids(export["comments_elsewhere"]) == {led["comment"].pk}
    assert _ids(export["follow_ups_elsewhere"]) == {led["follow_up"].pk}
    assert _ids(export["agenda_points_elsewhere"]) == {led["agenda"].pk}
    assert _ids(export["deputy_grants"]) == {g.pk for g in year["grants"]}
    assert DeputyGrant.objects.filter(deputy=me).count() == 1
    my_reads = AccessLogEntry.objects.filter(user=me)
    assert _ids(export["access_log_entries_by_me"]) == set(my_reads.values_list("pk", flat=True))
    assert {e["conversation"] for e in export["access_log_entries_by_me"]} == {
        year["mine"]["conversation"].pk,
        led["conversation"].pk,
    }


def test_the_reports_answers_are_not_mine(year):
    led = year["led"]["conversation"]
    theirs = ItemResponse.objects.filter(conversation=led).values_list("pk", flat=True)
    exported = {r["id"] for c in year["export"]["conversations"] for r in c["responses"]}
    assert exported.isdisjoint(theirs)
