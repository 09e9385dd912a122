"""The permission matrix of the API: every route and method under /api/v1/ against every role.

Invisible -> 404, visible but not allowed -> 403, allowed -> 2xx, not signed in -> 401. Each row names
the object it acts on in a state where the allowed action succeeds. `test_the_table_covers_every_route`
enumerates the URLconf, so a new endpoint without a row here fails the suite. A refused write must leave
the conversation exactly as it was.
"""

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver

from conversations.models import ConversationUserObjectPermission
from goals import proposals
from goals.models import Proposal, UnitGoal
from tests import factories
from tests.factories import in_days
from tests.security.conftest import PEOPLE, ROLES
from tests.workflow import latest_version, snapshot

pytestmark = pytest.mark.django_db

API = "/api/v1/"
OUTSIDERS = ("other_employee", "other_leader", "hr", "deputy_expired", "former_leader")
# The deputies are leaders too (DESIGN.md: a deputy is another leader).
LEADERS = ("leader", "other_leader", "former_leader", "deputy", "deputy_expired")
METHODS = ("get", "post", "put", "patch", "delete")


def parties(leader: int, employee: int, deputy: int) -> dict[str, int]:
    """A conversation route: the parties and the active deputy as given, everyone else cannot see it."""
    return {
        "leader": leader,
        "employee": employee,
        "deputy": deputy,
        **dict.fromkeys(OUTSIDERS, 404),
        "anonymous": 401,
    }


def everyone(code: int, **overrides: int) -> dict[str, int]:
    return {**dict.fromkeys(PEOPLE, code), "anonymous": 401, **overrides}


def only(roles, code: int, otherwise: int = 403) -> dict[str, int]:
    return everyone(otherwise, **dict.fromkeys(roles, code))


@dataclass(frozen=True)
class Op:
    method: str
    route: str
    expect: dict[str, int]
    target: str | None = None  # what `<id:pk>` stands for: a conversation, an item, the grant, the cycle
    body: Any = None  # callable(world, user) -> dict
    if_match: bool = False
    query: Any = None  # callable(world) -> dict
    anonymous_body: dict = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        return (self.route, self.method)


# Everyone in the world's unit who leads (the leader role), and HR; other_leader leads another unit.
UNIT_WRITERS = ("leader", "former_leader", "deputy", "deputy_expired", "hr")


def _unit_goal_body(world, user):
    return {"unit": world.leader.unit_id, "cycle": world.cycle.pk, "title": "Trygge tjenester"}


def goal_of(conversation):
    return conversation.goals.order_by("pk").first()


def _version_body(world, user):
    version = latest_version(world.awaiting)
    return {"version": version.number, "sha256": version.sha256}


def _token_body(world, user):
    return {"username": user.employee_id, "password": factories.PASSWORD}


C = "conversations/<id:pk>/"
LEADER_ONLY = parties(200, 403, 403)
LEADER_CREATES = parties(201, 403, 403)
EMPLOYEE_ONLY = parties(403, 200, 403)
READ = parties(200, 200, 200)

TABLE = [
    # --- conversations
    Op("get", "conversations/", everyone(200)),
    Op("post", "conversations/", only(["leader"], 201), body=lambda w, u: {"employee": w.employee.pk}),
    Op("get", C, READ, "draft"),
    Op(
        "patch", C, LEADER_ONLY, "draft", body=lambda w, u: {"held_on": in_days(0).isoformat()}, if_match=True
    ),
    Op("get", C + "calendar.ics", READ, "draft"),
    Op(
        "post",
        C + "goals/",
        LEADER_CREATES,
        "draft",
        body=lambda w, u: {"title": "Nytt mål", "kind": "result"},
    ),
    Op("post", C + "tasks/", LEADER_CREATES, "draft", body=lambda w, u: {"title": "Ny oppgave"}),
    Op(
        "post",
        C + "expectations/",
        LEADER_CREATES,
        "draft",
        body=lambda w, u: {"direction": "employee_to_leader", "text": "Tydelige prioriteringer"},
    ),
    # --- transitions
    Op("post", C + "submit/", LEADER_CREATES, "draft"),
    Op("post", C + "confirm/", EMPLOYEE_ONLY, "awaiting", body=_version_body),
    Op("post", C + "request-changes/", EMPLOYEE_ONLY, "awaiting", body=lambda w, u: {"comment": "Mer tid"}),
    Op("post", C + "amend/", LEADER_ONLY, "confirmed"),
    Op("post", C + "close/", LEADER_ONLY, "confirmed"),
    Op("post", C + "cancel/", LEADER_ONLY, "draft"),
    # --- the dialogue
    Op("get", C + "versions/", READ, "confirmed"),
    Op("get", C + "comments/", READ, "draft"),
    Op("post", C + "comments/", parties(201, 201, 201), "draft", body=lambda w, u: {"text": "Hei"}),
    Op("get", C + "agenda/", READ, "draft"),
    Op("post", C + "agenda/", parties(201, 201, 201), "draft", body=lambda w, u: {"text": "Kurs"}),
    Op("get", C + "responses/", READ, "awaiting"),
    Op(
        "post",
        C + "responses/",
        parties(403, 201, 403),
        "awaiting",
        body=lambda w, u: {"goal": goal_of(w.awaiting).pk, "stance": "agree"},
    ),
    Op("get", C + "follow-ups/", READ, "confirmed"),
    Op("post", C + "follow-ups/", parties(201, 201, 201), "confirmed", body=lambda w, u: {"text": "På vei"}),
    Op("get", C + "history/", READ, "draft"),
    Op("get", C + "access-log/", parties(200, 200, 403), "draft"),
    Op("get", C + "pdf/", READ, "confirmed"),
    # --- the employee's proposals: the employee proposes while it is a draft, the leader of record decides
    Op("get", C + "proposals/", READ, "draft"),
    Op(
        "post",
        C + "proposals/",
        parties(403, 201, 403),
        "draft",
        body=lambda w, u: {"kind": "task", "title": "Forslag"},
    ),
    Op("post", "proposals/<id:pk>/accept/", parties(200, 403, 403), "proposal"),
    Op(
        "post",
        "proposals/<id:pk>/decline/",
        parties(200, 403, 403),
        "proposal",
        body=lambda w, u: {"reason": "Ikke nå"},
    ),
    # --- items
    *[
        op
        for kind, body in [
            ("goal", {"title": "Endret mål"}),
            ("task", {"title": "Endret oppgave"}),
            ("expectation", {"text": "Endret forventning"}),
        ]
        for op in (
            Op("get", f"{kind}s/<id:pk>/", READ, kind),
            Op("patch", f"{kind}s/<id:pk>/", LEADER_ONLY, kind, body=lambda w, u, b=body: b, if_match=True),
            Op("delete", f"{kind}s/<id:pk>/", parties(204, 403, 403), kind, if_match=True),
        )
    ],
    # --- people, cycles, deputies
    Op(
        "post",
        "auth/token/",
        everyone(200, anonymous=400),
        body=_token_body,
        anonymous_body={"username": "NOBODY", "password": "x"},
    ),
    Op("delete", "auth/token/", everyone(204)),  # the caller withdraws their own token
    Op("get", "me/", everyone(200)),
    Op("get", "me/reports/", everyone(200)),
    Op("get", "me/export/", everyone(200)),
    Op("get", "me/waiting/", everyone(200)),
    Op("post", "me/share-history/", everyone(200), body=lambda w, u: {"shared": True}),
    Op("post", "me/email-digest/", everyone(200), body=lambda w, u: {"digest": True}),
    Op("get", "cycles/", everyone(200)),
    Op(
        "post",
        "cycles/",
        only(["hr"], 201),
        body=lambda w, u: {"name": "Runde", "starts_on": "2030-01-01", "deadline": "2030-03-01"},
    ),
    Op("get", "deputies/", everyone(200)),
    Op(
        "post",
        "deputies/",
        only(LEADERS, 201),
        body=lambda w, u: {"deputy": w.stand_in.pk, "until": in_days(5).isoformat()},
    ),
    Op(
        "delete",
        "deputies/<id:pk>/",
        everyone(404, leader=204, deputy=403),
        "grant",
    ),
    Op("get", "cycles/<id:pk>/pdfs.zip", only(LEADERS, 200), "cycle"),
    # --- unit goals: everyone reads; HR and the leaders of the unit (and the units above it) write
    Op("get", "unit-goals/", everyone(200)),
    Op("post", "unit-goals/", only(UNIT_WRITERS, 201), body=_unit_goal_body),
    Op("get", "unit-goals/<id:pk>/", everyone(200), "unit_goal"),
    Op(
        "patch",
        "unit-goals/<id:pk>/",
        only(UNIT_WRITERS, 200),
        "unit_goal",
        body=lambda w, u: {"title": "Nytt"},
        if_match=True,
    ),
    Op("delete", "unit-goals/<id:pk>/", only(UNIT_WRITERS, 204), "unit_goal", if_match=True),
    Op(
        "post",
        "unit-goals/copy/",
        only(["hr"], 201),
        body=lambda w, u: {"source": w.cycle.pk, "target": factories.CycleFactory().pk},
    ),
    # --- statistics: HR only
    *[
        Op("get", route, only(["hr"], 200), query=lambda w: {"cycle": w.cycle.pk})
        for route in ("statistics/", "statistics.csv", "statistics.pdf")
    ],
    # --- the schema and its docs page are public
    Op("get", "schema/", everyone(200, anonymous=200)),
    Op("get", "docs/", everyone(200, anonymous=200)),
]

CONVERSATION_TARGETS = ("draft", "awaiting", "confirmed")
ITEM_TARGETS = ("goal", "task", "expectation")


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def api_routes() -> set[tuple[str, str]]:
    """(route, method) for every view under /api/v1/, from the URLconf itself."""
    from config.urls import api_patterns

    routes = set()
    for route, callback in _walk(api_patterns):
        view_class = getattr(callback, "view_class", None) or callback.cls
        routes |= {(route, method) for method in METHODS if hasattr(view_class, method)}
    return routes


def test_the_table_covers_every_route():
    table = {op.key for op in TABLE}
    assert len(table) == len(TABLE), "a route and method appears twice in the table"
    assert api_routes() - table == set(), "API routes without a row in the permission matrix"
    assert table - api_routes() == set(), "rows for routes that no longer exist"
    for op in TABLE:
        assert set(op.expect) == set(ROLES), op.key


def _target(world, name: str | None):
    if name in CONVERSATION_TARGETS:
        return getattr(world, name)
    if name in ITEM_TARGETS:
        return getattr(world.draft, f"{name}s").order_by("pk").first()
    if name == "grant":
        return world.grant
    if name == "cycle":
        return world.cycle
    if name == "unit_goal":
        return UnitGoal.objects.get_or_create(unit_id=world.leader.unit_id, cycle=world.cycle, title="Mål")[0]
    if name == "proposal":  # the employee's pending proposal, made on first use
        draft = world.draft
        pending = Proposal.objects.filter(conversation=draft, state="pending").first()
        return pending or proposals.proposal_create(
            conversation=draft, actor=draft.employee, kind="task", title="Forslag"
        )
    return None


def _conversation_of(world, op: Op):
    if op.target in CONVERSATION_TARGETS:
        return getattr(world, op.target)
    if op.target in (*ITEM_TARGETS, "proposal"):
        return world.draft
    return None


def call(world, api_as, op: Op, role: str):
    user = world.user(role)
    target = _target(world, op.target)
    path = API + op.route.replace("<id:pk>", str(target.pk) if target is not None else "")
    if op.body is None:
        body = None
    elif user is None:
        body = op.anonymous_body or op.body(world, world.leader)
    else:
        body = op.body(world, user)
    headers = {"HTTP_IF_MATCH": target.etag} if op.if_match else {}
    client = api_as(None if op.key == ("auth/token/", "post") else user)
    if op.query:
        return client.get(path, op.query(world), **headers)
    return getattr(client, op.method)(path, body, format="json", **headers)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("op", TABLE, ids=lambda op: f"{op.method.upper()} {op.route}")
def test_permission_matrix(world, api_as, op, role):
    conversation = _conversation_of(world, op)
    _target(world, op.target)  # first: making it may add what the request acts on (a proposal)
    before = snapshot(conversation) if conversation is not None else None
    response = call(world, api_as, op, role)
    expected = op.expect[role]
    assert response.status_code == expected, (role, op.key, response.content[:300])
    if expected >= 400 and op.method != "get" and conversation is not None:
        assert snapshot(conversation) == before, "a refused request changed the conversation"


@pytest.mark.parametrize("role", PEOPLE)
def test_lists_show_exactly_what_the_role_may_see(world, api_as, role):
    listed = {c["id"] for c in api_as(world.user(role)).get(API + "conversations/").json()["results"]}
    mine = {world.draft.pk, world.awaiting.pk, world.confirmed.pk}
    expected = {
        "leader": mine,
        "employee": mine,
        "deputy": mine,
        "other_leader": {world.foreign.pk},
        "other_employee": {world.foreign.pk},
    }.get(role, set())
    assert listed == expected


def test_the_expired_deputy_still_holds_permission_rows_that_no_longer_work(world, api_as):
    """The grant only ran out by date: rows are left until `expire_grants`, yet access is refused at once."""
    deputy = world.deputy_expired
    assert ConversationUserObjectPermission.objects.filter(user=deputy).exists()
    assert api_as(deputy).get(f"{API}conversations/{world.draft.pk}/").status_code == 404
    deputies = api_as(deputy).get(API + "deputies/").json()["results"]
    assert [(g["id"], g["active"]) for g in deputies] == [(world.expired_grant.pk, False)]


def test_the_former_leader_holds_no_rights_and_the_history_names_them(world, api_as):
    former = world.former_leader
    assert not ConversationUserObjectPermission.objects.filter(user=former).exists()
    history = api_as(world.employee).get(f"{API}conversations/{world.draft.pk}/history/").json()["results"]
    assert history[0]["actor"]["id"] == former.pk
    assert history[-1]["action"] == "deputy_granted"
