"""Bad input everywhere gets a clear error and changes nothing; markup in any text is only ever text.

Every text field of every POST and PATCH endpoint is tried with too much text, with values of the wrong
type, and with `<script>` and `<img onerror>` markup, which must be stored as typed and come out escaped
on the pages, literally in the PDF's text and as plain text in e-mails. Ids that name nothing, or
something of another conversation or person, are refused (400 or 404, never 500) and change nothing.
"""

import datetime
import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conversations import services
from conversations.contract import workflow
from conversations.models import AgendaPoint, Comment, Cycle, DeputyGrant, FollowUp, ItemResponse
from conversations.notify import reminders
from core import free_text
from goals.models import Expectation, Goal, Task
from tests.factories import in_days
from tests.security.conftest import ESCAPED_PAYLOAD, PAYLOAD
from tests.workflow import latest_version, snapshot

pytestmark = pytest.mark.django_db

API = "/api/v1/"
TEXT_MAX = free_text.max_length()  # SAMTALE_TEXT_MAX_LENGTH (3,000); the columns hold 5,000
TITLE_MAX = 300


def goal(conversation):
    return conversation.goals.order_by("pk").first()


def task(conversation):
    return conversation.tasks.order_by("pk").first()


def expectation(conversation):
    return conversation.expectations.order_by("pk").first()


@dataclass(frozen=True)
class Endpoint:
    """A write that takes text: who sends it, where, with which valid body, and where the text lands."""

    name: str
    actor: str
    method: str
    path: Any  # callable(world) -> path under /api/v1/
    body: Any  # callable(world) -> a valid body, without the text field
    conversation: str | None  # the conversation the write belongs to (snapshot for refusals)
    stored: Any  # callable(world, field) -> the stored value of `field` after success
    item: Any = None  # callable(world) -> the item whose ETag goes in If-Match

    def headers(self, world) -> dict:
        return {"HTTP_IF_MATCH": self.item(world).etag} if self.item else {}


def _last(model, **filters):
    return lambda w, field: getattr(model.objects.filter(**filters).order_by("-pk").first(), field)


def _item_field(getter, model):
    return lambda w, field: getattr(model.objects.get(pk=getter(w.draft).pk), field)


ENDPOINTS = {
    "goal": Endpoint(
        "goal",
        "leader",
        "post",
        lambda w: f"conversations/{w.draft.pk}/goals/",
        lambda w: {"title": "Mål", "kind": "relational"},
        "draft",
        _last(Goal),
    ),
    "task": Endpoint(
        "task",
        "leader",
        "post",
        lambda w: f"conversations/{w.draft.pk}/tasks/",
        lambda w: {"title": "Oppgave"},
        "draft",
        _last(Task),
    ),
    "expectation": Endpoint(
        "expectation",
        "leader",
        "post",
        lambda w: f"conversations/{w.draft.pk}/expectations/",
        lambda w: {"direction": "leader_to_employee", "text": "Forventning"},
        "draft",
        _last(Expectation),
    ),
    "goal-patch": Endpoint(
        "goal-patch",
        "leader",
        "patch",
        lambda w: f"goals/{goal(w.draft).pk}/",
        lambda w: {},
        "draft",
        _item_field(goal, Goal),
        item=lambda w: goal(w.draft),
    ),
    "task-patch": Endpoint(
        "task-patch",
        "leader",
        "patch",
        lambda w: f"tasks/{task(w.draft).pk}/",
        lambda w: {},
        "draft",
        _item_field(task, Task),
        item=lambda w: task(w.draft),
    ),
    "expectation-patch": Endpoint(
        "expectation-patch",
        "leader",
        "patch",
        lambda w: f"expectations/{expectation(w.draft).pk}/",
        lambda w: {},
        "draft",
        _item_field(expectation, Expectation),
        item=lambda w: expectation(w.draft),
    ),
    "request-changes": Endpoint(
        "request-changes",
        "employee",
        "post",
        lambda w: f"conversations/{w.awaiting.pk}/request-changes/",
        lambda w: {},
        "awaiting",
        lambda w, field: Comment.objects.filter(kind="change_request").order_by("-pk").first().text,
    ),
    "comment": Endpoint(
        "comment",
        "leader",
        "post",
        lambda w: f"conversations/{w.draft.pk}/comments/",
        lambda w: {"goal": goal(w.draft).pk},
        "draft",
        _last(Comment),
    ),
    "statement": Endpoint(
        "statement",
        "employee",
        "post",
        lambda w: f"conversations/{w.confirmed.pk}/comments/",
        lambda w: {"kind": "statement"},
        "confirmed",
        _last(Comment, kind="statement"),
    ),
    "agenda": Endpoint(
        "agenda",
        "employee",
        "post",
        lambda w: f"conversations/{w.draft.pk}/agenda/",
        lambda w: {"shared": True},
        "draft",
        _last(AgendaPoint),
    ),
    "response": Endpoint(
        "response",
        "employee",
        "post",
        lambda w: f"conversations/{w.awaiting.pk}/responses/",
        lambda w: {"goal": goal(w.awaiting).pk, "stance": "disagree"},
        "awaiting",
        _last(ItemResponse),
    ),
    "follow-up": Endpoint(
        "follow-up",
        "deputy",
        "post",
        lambda w: f"conversations/{w.confirmed.pk}/follow-ups/",
        lambda w: {"goal": goal(w.confirmed).pk, "progress": 50, "item_status": "on_track"},
        "confirmed",
        _last(FollowUp),
    ),
    "cycle": Endpoint(
        "cycle",
        "hr",
        "post",
        lambda w: "cycles/",
        lambda w: {"starts_on": "2031-01-01", "deadline": "2031-02-01"},
        None,
        _last(Cycle),
    ),
}

# (endpoint, field, maximum length)
TEXT_FIELDS = [
    ("goal", "title", TITLE_MAX),
    ("goal", "description", TEXT_MAX),
    ("goal", "measure", TEXT_MAX),
    ("task", "title", TITLE_MAX),
    ("task", "description", TEXT_MAX),
    ("expectation", "text", TEXT_MAX),
    ("goal-patch", "title", TITLE_MAX),
    ("goal-patch", "description", TEXT_MAX),
    ("goal-patch", "measure", TEXT_MAX),
    ("task-patch", "title", TITLE_MAX),
    ("task-patch", "description", TEXT_MAX),
    ("expectation-patch", "text", TEXT_MAX),
    ("request-changes", "comment", TEXT_MAX),
    ("comment", "text", TEXT_MAX),
    ("statement", "text", TEXT_MAX),
    ("agenda", "text", TEXT_MAX),
    ("response", "comment", TEXT_MAX),
    ("follow-up", "text", TEXT_MAX),
    ("cycle", "name", 200),
]
FIELD_IDS = [f"{endpoint}.{field}" for endpoint, field, _max in TEXT_FIELDS]


def state(world, endpoint: Endpoint):
    """What a refused write must leave as it was."""
    conversation = getattr(world, endpoint.conversation) if endpoint.conversation else None
    counts = (Cycle.objects.count(), Goal.objects.count(), Task.objects.count(), Expectation.objects.count())
    return counts, snapshot(conversation) if conversation else None


def send(world, api_as, endpoint: Endpoint, **fields):
    client = api_as(world.user(endpoint.actor))
    body = {**endpoint.body(world), **fields}
    return getattr(client, endpoint.method)(
        API + endpoint.path(world), body, format="json", **endpoint.headers(world)
    )


# --- too much text ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "field", "maximum"), TEXT_FIELDS, ids=FIELD_IDS)
def test_oversized_text_is_refused_with_a_field_error(world, api_as, name, field, maximum):
    endpoint = ENDPOINTS[name]
    before = state(world, endpoint)
    response = send(world, api_as, endpoint, **{field: "x" * (maximum + 1)})
    assert response.status_code == 400, response.content[:300]
    assert field in response.json(), response.json()
    assert str(maximum) in " ".join(response.json()[field])
    assert state(world, endpoint) == before


@pytest.mark.parametrize(("name", "field", "maximum"), TEXT_FIELDS, ids=FIELD_IDS)
def test_text_of_the_largest_size_is_stored_whole(world, api_as, name, field, maximum):
    endpoint = ENDPOINTS[name]
    text = "æ" * (maximum - 1) + "!"
    response = send(world, api_as, endpoint, **{field: text})
    assert response.status_code in (200, 201), response.content[:300]
    assert endpoint.stored(world, field) == text


FREE_TEXT_FIELDS = [case for case in TEXT_FIELDS if case[2] == TEXT_MAX]


def test_the_free_text_limit_is_below_what_the_columns_hold():
    """3,000 characters by default (SAMTALE_TEXT_MAX_LENGTH), a product rule that bounds the PDF; the
    columns keep 5,000, so texts stored before it stay whole (and no migration follows the setting)."""
    assert TEXT_MAX == 3000
    assert Goal._meta.get_field("measure").max_length == free_text.STORED_MAX_LENGTH == 5000


@pytest.mark.parametrize(
    ("name", "field", "maximum"), FREE_TEXT_FIELDS, ids=[f"{n}.{f}" for n, f, _m in FREE_TEXT_FIELDS]
)
def test_too_long_free_text_is_refused_in_bokmal_naming_the_field_and_the_limit(
    world, api_as, name, field, maximum
):
    response = send(world, api_as, ENDPOINTS[name], **{field: "x" * (maximum + 10)})
    assert response.status_code == 400
    assert response.json()[field] == [f"Teksten kan ha høyst {maximum} tegn, og denne har {maximum + 10}."]


def test_the_schema_gives_every_writable_free_text_the_limit(api_as):
    schema = api_as().get(API + "schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    limits = {
        (component, name): prop.get("maxLength")
        for component, body in schema["components"]["schemas"].items()
        for name, prop in body.get("properties", {}).items()
        if name in ("description", "measure", "text", "comment", "reason") and not prop.get("readOnly")
    }
    expected = {
        ("AgendaPointInput", "text"),
        ("CommentInput", "text"),  # comments and the statement
        ("Expectation", "text"),
        ("FollowUpInput", "text"),  # notes, questions, answers
        ("Goal", "description"),
        ("Goal", "measure"),
        ("ItemResponseInput", "comment"),
        ("PatchedExpectation", "text"),
        ("PatchedGoal", "description"),
        ("PatchedGoal", "measure"),
        ("PatchedTask", "description"),
        ("PatchedUnitGoalUpdate", "description"),
        ("ProposalDecline", "reason"),
        ("ProposalInput", "text"),
        ("RequestChangesInput", "comment"),
        ("Task", "description"),
        ("UnitGoalCreate", "description"),
    }
    assert expected <= set(limits), expected - set(limits)
    assert set(limits.values()) == {TEXT_MAX}, {
        key: value for key, value in limits.items() if value != TEXT_MAX
    }


def test_too_long_free_text_on_a_page_is_a_form_error(world, page_as):
    response = page_as(world.employee).post(
        reverse("web:comment", args=[world.draft.pk]), {"comment-text": "x" * (TEXT_MAX + 1)}
    )
    assert response.status_code == 400
    assert f"Teksten kan ha høyst {TEXT_MAX} tegn, og denne har {TEXT_MAX + 1}." in response.content.decode()


def test_a_longer_text_stored_before_the_limit_stays_readable_and_its_item_editable(world, api_as):
    item = goal(world.draft)
    stored = "æ" * (free_text.STORED_MAX_LENGTH - 1) + "!"
    Goal.objects.filter(pk=item.pk).update(measure=stored)
    client = api_as(world.leader)
    assert client.get(f"{API}goals/{item.pk}/").json()["measure"] == stored
    item.refresh_from_db()
    response = client.patch(
        f"{API}goals/{item.pk}/", {"title": "Nytt navn"}, format="json", HTTP_IF_MATCH=item.etag
    )
    assert response.status_code == 200, response.content[:300]
    assert response.json()["measure"] == stored


# --- wrong types ------------------------------------------------------------------------------------------

NOT_TEXT = [["a", "b"], {"text": "x"}, 5, 1.5, True, None]


@pytest.mark.parametrize(("name", "field", "maximum"), TEXT_FIELDS, ids=FIELD_IDS)
def test_a_text_field_takes_only_text(world, api_as, name, field, maximum):
    endpoint = ENDPOINTS[name]
    before = state(world, endpoint)
    for value in NOT_TEXT:
        response = send(world, api_as, endpoint, **{field: value})
        assert response.status_code == 400, (value, response.content[:300])
        assert field in response.json(), value
    assert state(world, endpoint) == before


def _confirm_body(w):
    version = latest_version(w.awaiting)
    return {"version": version.number, "sha256": version.sha256}


# (endpoint, field, values it must refuse)
OTHER_FIELDS = [
    ("goal", "kind", ["nonsense", 5, True, ["result"], None]),
    ("goal", "due_date", ["tomorrow", "2030-13-01", 20300101, True, ["2030-01-01"]]),
    ("goal", "order", ["first", -1, 2**40, 1.5, True, [1]]),
    ("expectation", "direction", ["up", 1, False, {"a": 1}]),
    ("response", "stance", ["maybe", 1, True, None]),
    ("response", "goal", ["abc", 1.5, True, [1], {"id": 1}, -3, 2**70]),
    ("follow-up", "progress", ["half", 101, -1, 1.5, True, [50]]),
    ("follow-up", "item_status", ["great", 3, True]),
    ("follow-up", "goal", ["abc", 1.5, False, [1]]),
    ("agenda", "shared", ["maybe", 2, [], {"a": 1}]),
    ("cycle", "starts_on", ["soon", 5, True]),
    ("cycle", "deadline", ["2030-12-31"]),  # before the start
    ("cycle", "template", ["abc", 2**70, True, 1.5]),
]


@pytest.mark.parametrize(
    ("name", "field", "values"), OTHER_FIELDS, ids=[f"{n}.{f}" for n, f, _v in OTHER_FIELDS]
)
def test_other_fields_refuse_values_of_the_wrong_type_or_range(world, api_as, name, field, values):
    endpoint = ENDPOINTS[name]
    before = state(world, endpoint)
    text = {"follow-up": {"text": "Hei"}, "agenda": {"text": "Hei"}, "response": {"comment": "Fordi"}}
    extra = {"name": "Runde"} if name == "cycle" else text.get(name, {})
    for value in values:
        response = send(world, api_as, endpoint, **extra, **{field: value})
        assert response.status_code == 400, (field, value, response.content[:300])
        assert field in response.json() or "non_field_errors" in response.json(), (value, response.json())
    assert state(world, endpoint) == before


WRONG_BODIES = [
    # (actor, method, path, body, expected status)
    (
        "employee",
        "post",
        lambda w: f"conversations/{w.awaiting.pk}/confirm/",
        lambda w: {"version": "one"},
        400,
    ),
    (
        "employee",
        "post",
        lambda w: f"conversations/{w.awaiting.pk}/confirm/",
        lambda w: {"version": True},
        400,
    ),
    (
        "employee",
        "post",
        lambda w: f"conversations/{w.awaiting.pk}/confirm/",
        lambda w: {**_confirm_body(w), "sha256": 5},
        400,
    ),
    (
        "employee",
        "post",
        lambda w: f"conversations/{w.awaiting.pk}/confirm/",
        lambda w: {**_confirm_body(w), "sha256": "z" * 64},
        400,
    ),
    (
        "employee",
        "post",
        lambda w: f"conversations/{w.awaiting.pk}/confirm/",
        lambda w: {**_confirm_body(w), "version": 2**70},
        400,
    ),
    ("employee", "post", lambda w: f"conversations/{w.awaiting.pk}/confirm/", lambda w: [1, 2], 400),
    ("leader", "post", lambda w: "conversations/", lambda w: {"employee": "abc"}, 400),
    ("leader", "post", lambda w: "conversations/", lambda w: {"employee": True}, 400),
    (
        "leader",
        "post",
        lambda w: "conversations/",
        lambda w: {"employee": w.employee.pk, "scheduled_at": 5},
        400,
    ),
    (
        "leader",
        "post",
        lambda w: "conversations/",
        lambda w: {"employee": w.employee.pk, "carry_over": "x"},
        400,
    ),
    ("leader", "patch", lambda w: f"conversations/{w.draft.pk}/", lambda w: {"held_on": "yesterday"}, 400),
    ("leader", "patch", lambda w: f"conversations/{w.draft.pk}/", lambda w: {"scheduled_at": [1]}, 400),
    ("employee", "post", lambda w: "me/share-history/", lambda w: {"shared": "maybe"}, 400),
    ("employee", "post", lambda w: "me/share-history/", lambda w: {}, 400),
    ("leader", "post", lambda w: "deputies/", lambda w: {"deputy": w.hr.pk, "until": "someday"}, 400),
    ("leader", "post", lambda w: "deputies/", lambda w: {"deputy": w.hr.pk, "until": 5}, 400),
    ("leader", "post", lambda w: "deputies/", lambda w: {"deputy": 1.5, "until": "2031-01-01"}, 400),
    ("leader", "post", lambda w: "deputies/", lambda w: {"deputy": ["x"], "until": "2031-01-01"}, 400),
    (
        "leader",
        "post",
        lambda w: "deputies/",
        lambda w: {"deputy": w.stand_in.pk, "until": "2000-01-01"},
        400,
    ),
    ("employee", "post", lambda w: f"conversations/{w.awaiting.pk}/request-changes/", lambda w: {}, 400),
    (
        "employee",
        "post",
        lambda w: f"conversations/{w.awaiting.pk}/request-changes/",
        lambda w: {"comment": "  "},
        400,
    ),
]


@pytest.mark.parametrize(("actor", "method", "path", "body", "expected"), WRONG_BODIES)
def test_wrong_bodies_are_refused(world, api_as, actor, method, path, body, expected):
    before = (
        snapshot(world.draft),
        snapshot(world.awaiting),
        DeputyGrant.objects.count(),
        world.employee.shares_history,
    )
    headers = {"HTTP_IF_MATCH": world.draft.etag} if method == "patch" else {}
    response = getattr(api_as(world.user(actor)), method)(
        API + path(world), body(world), format="json", **headers
    )
    assert response.status_code == expected, response.content[:300]
    world.employee.refresh_from_db()
    after = (
        snapshot(world.draft),
        snapshot(world.awaiting),
        DeputyGrant.objects.count(),
        world.employee.shares_history,
    )
    assert after == before


# --- ids that name nothing, or something of someone else ------------------------------------------------

UNKNOWN = 10**12

FOREIGN_IDS = [
    # (name, actor, method, path, body, expected)
    (
        "comment on a foreign goal",
        "leader",
        "post",
        lambda w: f"conversations/{w.draft.pk}/comments/",
        lambda w: {"text": "Hei", "goal": goal(w.foreign).pk},
        400,
    ),
    (
        "comment on my other conversation's goal",
        "employee",
        "post",
        lambda w: f"conversations/{w.draft.pk}/comments/",
        lambda w: {"text": "Hei", "goal": goal(w.awaiting).pk},
        400,
    ),
    (
        "comment on an unknown task",
        "leader",
        "post",
        lambda w: f"conversations/{w.draft.pk}/comments/",
        lambda w: {"text": "Hei", "task": UNKNOWN},
        400,
    ),
    (
        "comment on two items",
        "leader",
        "post",
        lambda w: f"conversations/{w.draft.pk}/comments/",
        lambda w: {"text": "Hei", "task": task(w.draft).pk, "goal": goal(w.draft).pk},
        400,
    ),
    (
        "follow-up on a foreign goal",
        "leader",
        "post",
        lambda w: f"conversations/{w.confirmed.pk}/follow-ups/",
        lambda w: {"text": "Hei", "goal": goal(w.foreign).pk},
        400,
    ),
    (
        "follow-up on another conversation's task",
        "employee",
        "post",
        lambda w: f"conversations/{w.confirmed.pk}/follow-ups/",
        lambda w: {"text": "Hei", "task": task(w.draft).pk},
        400,
    ),
    (
        "response to a foreign goal",
        "employee",
        "post",
        lambda w: f"conversations/{w.awaiting.pk}/responses/",
        lambda w: {"stance": "agree", "goal": goal(w.foreign).pk},
        400,
    ),
    (
        "response to an unknown expectation",
        "employee",
        "post",
        lambda w: f"conversations/{w.awaiting.pk}/responses/",
        lambda w: {"stance": "agree", "expectation": UNKNOWN},
        400,
    ),
    (
        "deputy for another leader's conversation",
        "leader",
        "post",
        lambda w: "deputies/",
        lambda w: {"deputy": w.stand_in.pk, "until": in_days(3).isoformat(), "conversation": w.foreign.pk},
        400,
    ),
    (
        "unknown deputy",
        "leader",
        "post",
        lambda w: "deputies/",
        lambda w: {"deputy": UNKNOWN, "until": in_days(3).isoformat()},
        400,
    ),
    (
        "conversation with another leader's employee",
        "leader",
        "post",
        lambda w: "conversations/",
        lambda w: {"employee": w.other_employee.pk},
        403,
    ),
    (
        "conversation with nobody",  # as with another leader's employee: no answer tells who exists
        "leader",
        "post",
        lambda w: "conversations/",
        lambda w: {"employee": UNKNOWN},
        403,
    ),
    (
        "conversation in an unknown cycle",
        "leader",
        "post",
        lambda w: "conversations/",
        lambda w: {"employee": w.employee.pk, "cycle": UNKNOWN},
        400,
    ),
    (
        "patch a foreign goal",
        "leader",
        "patch",
        lambda w: f"goals/{goal(w.foreign).pk}/",
        lambda w: {"title": "Mitt nå"},
        404,
    ),
    (
        "delete a foreign task",
        "leader",
        "delete",
        lambda w: f"tasks/{task(w.foreign).pk}/",
        lambda w: None,
        404,
    ),
    (
        "patch an unknown expectation",
        "leader",
        "patch",
        lambda w: f"expectations/{UNKNOWN}/",
        lambda w: {"text": "x"},
        404,
    ),
    (
        "comment in a foreign conversation",
        "leader",
        "post",
        lambda w: f"conversations/{w.foreign.pk}/comments/",
        lambda w: {"text": "Hei"},
        404,
    ),
    (
        "submit a foreign conversation",
        "leader",
        "post",
        lambda w: f"conversations/{w.foreign.pk}/submit/",
        lambda w: None,
        404,
    ),
    ("end an unknown grant", "leader", "delete", lambda w: f"deputies/{UNKNOWN}/", lambda w: None, 404),
    (
        "statistics of an unknown cycle",
        "hr",
        "get",
        lambda w: f"statistics/?cycle={UNKNOWN}",
        lambda w: None,
        404,
    ),
    (
        "PDFs of an unknown cycle",
        "leader",
        "get",
        lambda w: f"cycles/{UNKNOWN}/pdfs.zip",
        lambda w: None,
        404,
    ),
]


@pytest.mark.parametrize(
    ("name", "actor", "method", "path", "body", "expected"),
    FOREIGN_IDS,
    ids=[case[0] for case in FOREIGN_IDS],
)
def test_unknown_and_foreign_ids_are_refused(world, api_as, name, actor, method, path, body, expected):
    before = [snapshot(getattr(world, c)) for c in ("draft", "awaiting", "confirmed", "foreign")]
    grants = DeputyGrant.objects.count()
    client = api_as(world.user(actor))
    data = body(world)
    headers = {"HTTP_IF_MATCH": '"g1-1"'} if method in ("patch", "delete") else {}
    if method == "get":
        response = client.get(API + path(world))
    else:
        response = getattr(client, method)(API + path(world), data, format="json", **headers)
    assert response.status_code == expected, response.content[:300]
    assert [snapshot(getattr(world, c)) for c in ("draft", "awaiting", "confirmed", "foreign")] == before
    assert DeputyGrant.objects.count() == grants


def test_another_leaders_grant_cannot_be_ended(world, api_as):
    theirs = services.deputy_grant_create(leader=world.other_leader, deputy=world.stand_in, until=in_days(3))
    assert api_as(world.leader).delete(f"{API}deputies/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.ended_at is None


PAGE_FOREIGN = [
    # (name, actor, url(world), data(world), expected)
    (
        "comment on a foreign goal",
        "leader",
        lambda w: reverse("web:item_comment", args=[w.draft.pk, f"goal-{goal(w.foreign).pk}"]),
        lambda w: {f"c-goal-{goal(w.foreign).pk}-text": "Hei"},
        404,
    ),
    (
        "answer a foreign goal",
        "employee",
        lambda w: reverse("web:respond", args=[w.awaiting.pk, f"goal-{goal(w.foreign).pk}"]),
        lambda w: {f"r-goal-{goal(w.foreign).pk}-stance": "agree"},
        404,
    ),
    (
        "answer a goal of my other conversation",
        "employee",
        lambda w: reverse("web:respond", args=[w.awaiting.pk, f"goal-{goal(w.draft).pk}"]),
        lambda w: {f"r-goal-{goal(w.draft).pk}-stance": "agree"},
        404,
    ),
    (
        "edit a foreign goal",
        "leader",
        lambda w: reverse("web:item_edit", args=[w.draft.pk, "goal", goal(w.foreign).pk]),
        lambda w: {"kind": "result", "title": "Mitt", "revision": 1},
        404,
    ),
    (
        "delete a foreign goal",
        "leader",
        lambda w: reverse("web:item_delete", args=[w.draft.pk, "goal", goal(w.foreign).pk]),
        lambda w: {"revision": 1},
        404,
    ),
    (
        "an unknown kind of item",
        "leader",
        lambda w: reverse("web:item_add", args=[w.draft.pk, "secret"]),
        lambda w: {"secret-title": "x"},
        404,
    ),
    (
        "share someone else's private point",
        "leader",
        lambda w: reverse("web:agenda_share", args=[w.draft.pk, w.private_point.pk]),
        lambda w: {},
        404,
    ),
    (
        "follow up a foreign goal",
        "leader",
        lambda w: reverse("web:follow_up", args=[w.confirmed.pk]),
        lambda w: {"followup-text": "Hei", "followup-item": f"goal-{goal(w.foreign).pk}"},
        400,
    ),
    (
        "follow-up progress out of range",
        "leader",
        lambda w: reverse("web:follow_up", args=[w.confirmed.pk]),
        lambda w: {"followup-text": "Hei", "followup-progress": "101"},
        400,
    ),
    (
        "deputy for a foreign conversation",
        "leader",
        lambda w: reverse("web:deputies"),
        lambda w: {
            "deputy": w.stand_in.employee_id,
            "until": in_days(3).isoformat(),
            "conversation": w.foreign.pk,
        },
        400,
    ),
    (
        "a confirmation with a forged hash",
        "employee",
        lambda w: reverse("web:confirm", args=[w.awaiting.pk]),
        lambda w: {"version": latest_version(w.awaiting).number, "sha256": "0" * 64},
        302,
    ),
    (
        "oversized comment",
        "employee",
        lambda w: reverse("web:comment", args=[w.draft.pk]),
        lambda w: {"comment-text": "x" * (TEXT_MAX + 1)},
        400,
    ),
    (
        "oversized goal title",
        "leader",
        lambda w: reverse("web:item_add", args=[w.draft.pk, "goal"]),
        lambda w: {"goal-kind": "result", "goal-title": "x" * (TITLE_MAX + 1)},
        400,
    ),
    (
        "a meeting time that is no time",
        "leader",
        lambda w: reverse("web:meeting_time", args=[w.draft.pk]),
        lambda w: {"meeting-scheduled_at": "soon", "meeting-revision": w.draft.revision},
        400,
    ),
]


@pytest.mark.parametrize(
    ("name", "actor", "address", "data", "expected"), PAGE_FOREIGN, ids=[c[0] for c in PAGE_FOREIGN]
)
def test_pages_refuse_bad_and_foreign_input(world, page_as, name, actor, address, data, expected):
    before = [snapshot(getattr(world, c)) for c in ("draft", "awaiting", "confirmed", "foreign")]
    grants = DeputyGrant.objects.count()
    response = page_as(world.user(actor)).post(address(world), data(world))
    assert response.status_code == expected
    assert [snapshot(getattr(world, c)) for c in ("draft", "awaiting", "confirmed", "foreign")] == before
    assert DeputyGrant.objects.count() == grants


# --- markup is text: stored as typed, escaped on pages, literal in PDFs and e-mails ----------------------


def _page_showing(world, name: str):
    """(viewer, url) of the page on which the text sent to `name` is shown."""
    if name == "cycle":
        return world.leader, reverse("web:conversation_create", args=[world.employee.pk])
    if name in ("request-changes", "response"):
        return world.leader, reverse("web:conversation", args=[world.awaiting.pk])
    if name in ("statement", "follow-up"):
        return world.employee, reverse("web:conversation", args=[world.confirmed.pk])
    return world.employee, reverse("web:conversation", args=[world.draft.pk])


@pytest.mark.parametrize(("name", "field", "maximum"), TEXT_FIELDS, ids=FIELD_IDS)
def test_markup_is_stored_as_typed_and_escaped_on_the_page(world, api_as, page_as, name, field, maximum):
    endpoint = ENDPOINTS[name]
    value = PAYLOAD if maximum > len(PAYLOAD) + 10 else PAYLOAD[:maximum]
    response = send(world, api_as, endpoint, **{field: value})
    assert response.status_code in (200, 201), response.content[:300]
    if field in response.json():  # request-changes answers with the conversation
        assert response.json()[field] == value
    assert endpoint.stored(world, field) == value
    viewer, address = _page_showing(world, name)
    body = page_as(viewer).get(address).content.decode()
    assert "<script>alert(1)" not in body and "<img src=x" not in body
    assert ESCAPED_PAYLOAD in body
    if endpoint.conversation:
        conversation = getattr(world, endpoint.conversation)
        for other in ("web:history", "web:compare"):
            text = page_as(world.employee).get(reverse(other, args=[conversation.pk])).content.decode()
            assert "<script>alert(1)" not in text and "<img src=x" not in text


def test_markup_in_an_item_is_escaped_on_its_edit_page_and_in_the_history(world, api_as, page_as):
    item = goal(world.draft)
    response = api_as(world.leader).patch(
        f"{API}goals/{item.pk}/", {"title": PAYLOAD}, format="json", HTTP_IF_MATCH=item.etag
    )
    assert response.status_code == 200
    edit = page_as(world.leader).get(reverse("web:item_edit", args=[world.draft.pk, "goal", item.pk]))
    history = page_as(world.employee).get(reverse("web:history", args=[world.draft.pk]))
    for page in (edit, history):
        body = page.content.decode()
        assert "<script>" not in body and "<img src=x" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def _pdf_text(response) -> str:
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return "".join(text.split())


def _tagged(tag: str) -> str:
    return f"<b>{tag}</b>{PAYLOAD}"


def test_markup_is_literal_text_in_the_pdf(world, api_as):
    """Every text the PDF prints, each tagged: if markup were interpreted, `<b>` would vanish."""
    leader, employee = world.leader, world.employee
    conversation = services.conversation_create(actor=leader, employee=employee, cycle=world.cycle)
    api = api_as(leader)
    base = f"{API}conversations/{conversation.pk}/"
    fields = {
        "goals/": {
            "kind": "result",
            "title": _tagged("GT"),
            "description": _tagged("GD"),
            "measure": _tagged("GM"),
        },
        "tasks/": {"title": _tagged("TT"), "description": _tagged("TD")},
        "expectations/": {"direction": "leader_to_employee", "text": _tagged("EX")},
    }
    for path, body in fields.items():
        assert api.post(base + path, body, format="json").status_code == 201
    workflow.conversation_submit(conversation_id=conversation.pk, actor=leader)
    goal_id = conversation.goals.get().pk
    mine = api_as(employee)
    response = mine.post(
        base + "responses/", {"goal": goal_id, "stance": "disagree", "comment": _tagged("RC")}, format="json"
    )
    assert response.status_code == 201
    version = latest_version(conversation)
    confirm = {"version": version.number, "sha256": version.sha256}
    assert mine.post(base + "confirm/", confirm, format="json").status_code == 200
    assert mine.post(base + "comments/", {"text": _tagged("CO")}, format="json").status_code == 201
    assert (
        mine.post(base + "comments/", {"text": _tagged("ST"), "kind": "statement"}, format="json").status_code
        == 201
    )
    assert api.post(base + "follow-ups/", {"text": _tagged("FU")}, format="json").status_code == 201
    text = _pdf_text(api.get(base + "pdf/"))
    for tag in ("GT", "GD", "GM", "TT", "TD", "EX", "RC", "CO", "ST", "FU"):
        assert "".join(_tagged(tag).split()) in text, tag


def test_markup_in_a_reminder_is_plain_text(world, mailoutbox, django_capture_on_commit_callbacks):
    """A goal title goes into the leader's reminder e-mail exactly as typed, in a plain-text message."""
    item = goal(world.confirmed)
    Goal.objects.filter(pk=item.pk).update(title=PAYLOAD)
    later = timezone.now() + datetime.timedelta(days=reminders.FOLLOW_UP_PERIOD_DAYS + 1)
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        reminders.remind_goals_without_follow_up(later)
    (mail,) = [m for m in mailoutbox if PAYLOAD in m.body]
    assert mail.to == [world.leader.email]
    assert mail.content_subtype == "plain" and mail.alternatives == []


def test_markup_in_names_is_plain_text_in_every_e_mail(
    world, api_as, mailoutbox, django_capture_on_commit_callbacks
):
    """Names come from the HR system; whatever they hold, the e-mails carry them as plain text."""
    from organization.models import User

    User.objects.filter(pk__in=[world.employee.pk, world.leader.pk]).update(full_name=PAYLOAD)
    with django_capture_on_commit_callbacks(execute=True):
        assert api_as(world.leader).post(f"{API}conversations/{world.draft.pk}/submit/").status_code == 201
        body = {"deputy": world.stand_in.pk, "until": in_days(2).isoformat()}
        assert api_as(world.leader).post(f"{API}deputies/", body, format="json").status_code == 201
    assert len(mailoutbox) == 2
    for mail in mailoutbox:
        assert PAYLOAD in mail.body
        assert mail.content_subtype == "plain" and mail.alternatives == []


def test_markup_in_an_agenda_template_hint_is_escaped(world, page_as):
    point = AgendaPoint.objects.create(
        conversation=world.draft, text=PAYLOAD, hint=PAYLOAD, from_template=True
    )
    body = page_as(world.leader).get(reverse("web:conversation", args=[world.draft.pk])).content.decode()
    assert "<script>" not in body and body.count(ESCAPED_PAYLOAD) >= 2
    assert point.pk
