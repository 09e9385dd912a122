"""Schemathesis against the live OpenAPI schema (`/api/v1/schema/`), in process, as a leader, an
employee and HR of a small seeded organisation.

Every operation in the schema is tested for each caller; none is excluded, so endpoints added later
(statistics, PDFs) are covered as soon as they appear in the schema. The checks: no 5xx, only
documented status codes, content types, headers and bodies as documented, a missing required header
refused, an undocumented method answered with 405, and no operation served without authentication.

Every generated case runs in a savepoint that is rolled back and with an empty cache (the throttle
counters), so each case starts from the same seed whatever the cases before it did (DELETE,
transitions). Generated ids rarely exist, so to reach the code behind the 404, integer ids in the path,
query and body are mapped onto the seed's objects by a deterministic function of the generated value
(`_aim`), and an If-Match header is replaced by the object's real ETag for about half the cases.
"""

import copy
import datetime
import re
from dataclasses import dataclass

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from conversations import services
from conversations.contract import workflow
from conversations.models import Conversation
from goals.models import Expectation, Goal, Task, UnitGoal
from tests import factories
from tests.workflow import bring_to

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    missing_required_header,
    unsupported_method,
    ignored_auth,
]
# A path whose id is no integer does not reach the API: the site's HTML 404 page answers it, so only
# the status is checked there. (Reported: the API could answer such paths with a JSON 404.)
ROUTE_MISS_CHECKS = [not_a_server_error, status_code_conformance]
CALLERS = ["leader", "employee", "hr"]
OPENAPI_JSON = "application/vnd.oai.openapi+json"
ETAG_MODELS = {
    "conversations": Conversation,
    "goals": Goal,
    "tasks": Task,
    "expectations": Expectation,
    "unit-goals": UnitGoal,
}


def _config(*, coverage: bool):
    return schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": coverage}}})


# The coverage phase (boundary values, each field made invalid, a required header left out, an
# undocumented method) sends a few hundred requests per write operation: it runs for the leader, whose
# requests get furthest. The employee and HR get the examples and the fuzzing phase.
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/schema/", WSGIHandler(), config=_config(coverage=True), headers={"Accept": OPENAPI_JSON}
)
fuzz_schema = schemathesis.openapi.from_dict(copy.deepcopy(schema.raw_schema), config=_config(coverage=False))
fuzz_schema.app, fuzz_schema.location = schema.app, schema.location


@dataclass(frozen=True)
class Seed:
    """Primary keys of the seeded organisation; `pools` maps a kind of id to the ids a case may aim at."""

    tokens: dict[str, str]
    pools: dict[str, list[int]]


def _seed_conversations(leader, employee, colleague, cycle) -> list[Conversation]:
    """The leader's conversations with their two reports, one in each state of the workflow."""
    made = {}
    for status, person in [
        ("draft", employee),
        ("awaiting_confirmation", colleague),
        ("changes_requested", employee),
        ("confirmed", employee),
        ("closed", colleague),
        ("cancelled", colleague),
    ]:
        conversation = factories.make_conversation(leader=leader, employee=person, cycle=cycle)
        if status in ("awaiting_confirmation", "confirmed"):
            services.agenda_point_create(conversation=conversation, actor=person, text="Privat", shared=False)
            services.agenda_point_create(conversation=conversation, actor=leader, text="Arbeidsmengde")
            services.comment_create(conversation=conversation, actor=person, text="Ser bra ut")
        if status == "confirmed":
            version = workflow.conversation_submit(conversation_id=conversation.pk, actor=leader)
            goal = conversation.goals.get()
            services.item_response_record(
                conversation=conversation, actor=person, stance="disagree", comment="For mye", goal=goal
            )
            workflow.conversation_confirm(
                conversation_id=conversation.pk, actor=person, version=version.number, sha256=version.sha256
            )
            services.follow_up_create(
                conversation=conversation,
                actor=person,
                text="Er vi på rett vei?",
                goal=goal,
                progress=40,
                item_status="at_risk",
            )
            services.follow_up_create(conversation=conversation, actor=leader, text="Ja")
            services.access_log_record(conversation=conversation, user=person, channel="api")
            conversation.refresh_from_db()
        else:
            bring_to(conversation, status)
        made[status] = conversation
    return list(made.values())


def _build_seed() -> Seed:
    unit = factories.OrgUnitFactory(name="Bymiljøetaten")
    leader, employee = factories.make_pair(unit)
    colleague = factories.UserFactory(unit=unit, manager=leader)
    hr = factories.HRFactory(unit=unit)
    deputy = factories.LeaderFactory(unit=unit)
    other_leader, other_employee = factories.make_pair()
    template = factories.TemplatePointFactory(hint="Tenk gjennom året").template
    cycle = factories.CycleFactory(template=template)
    conversations = _seed_conversations(leader, employee, colleague, cycle)
    conversations[0].scheduled_at = timezone.now() + datetime.timedelta(days=7)
    conversations[0].save(update_fields=["scheduled_at"])
    foreign = factories.make_conversation(leader=other_leader, employee=other_employee)
    bring_to(foreign, "confirmed")
    conversations.append(foreign)
    until = timezone.localdate() + datetime.timedelta(days=30)
    grants = [
        services.deputy_grant_create(leader=leader, deputy=deputy, until=until),
        services.deputy_grant_create(leader=other_leader, deputy=leader, until=until, conversation=foreign),
    ]
    people = [employee, colleague, leader, deputy, hr, other_employee]
    ids = [c.pk for c in conversations]
    top_goal = factories.UnitGoalFactory(unit=unit.parent or unit, cycle=cycle, title="Trygg by")
    section = factories.OrgUnitFactory(name="Renhold", parent=unit)
    unit_goals = [
        top_goal,
        factories.UnitGoalFactory(unit=section, cycle=cycle, title="Rene gater", supports=top_goal),
    ]
    pools = {
        "conversations": ids,
        "goals": list(Goal.objects.filter(conversation__in=ids).values_list("pk", flat=True)),
        "tasks": list(Task.objects.filter(conversation__in=ids).values_list("pk", flat=True)),
        "expectations": list(Expectation.objects.filter(conversation__in=ids).values_list("pk", flat=True)),
        "deputies": [g.pk for g in grants],
        "people": [p.pk for p in people],
        "cycles": [cycle.pk],
        "templates": [template.pk],
        "units": [unit.pk, other_employee.unit_id, section.pk],
        "unit-goals": [g.pk for g in unit_goals],
    }
    tokens = {
        role: Token.objects.create(user=user).key
        for role, user in zip(CALLERS, [leader, employee, hr], strict=True)
    }
    return Seed(tokens=tokens, pools=pools)


@pytest.fixture(scope="module")
def seed(django_db_setup, django_db_blocker):
    """The seed, written once per module inside a transaction rolled back at the end of the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_seed()
        transaction.set_rollback(True)


@pytest.fixture
def app(db):
    """The project's WSGI application, sharing the test's connection and transaction: like Django's test
    client, it must not close the connection at the start and end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# --- aiming generated ids at the seed -------------------------------------------------------------------

# Which pool an id in the body or the query names, by field name.
FIELD_POOLS = {
    "employee": "people",
    "deputy": "people",
    "conversation": "conversations",
    "cycle": "cycles",
    "template": "templates",
    "unit": "units",
    "goal": "goals",
    "task": "tasks",
    "expectation": "expectations",
    "supports": "unit-goals",
    "source": "cycles",
    "target": "cycles",
}


def _aim(value, pool: list[int]):
    """An id of `pool` for most generated integers, the generated value itself for the rest."""
    if not isinstance(value, int) or isinstance(value, bool) or not pool:
        return value
    index = value % (len(pool) + 1)
    return pool[index] if index < len(pool) else value


def _path_pool(path: str) -> str | None:
    # "/api/v1/goals/{id}/" -> "goals"; "/api/v1/cycles/{id}/pdfs.zip" -> "cycles"
    segments = path.split("/")
    if "{id}" not in segments:
        return None
    return segments[segments.index("{id}") - 1]


def _aim_fields(data, pools: dict[str, list[int]]) -> None:
    if isinstance(data, dict):
        for name, value in data.items():
            if name in FIELD_POOLS:
                data[name] = _aim(value, pools[FIELD_POOLS[name]])


def _aim_if_match(case, kind: str | None) -> None:
    header = (case.headers or {}).get("If-Match")
    model = ETAG_MODELS.get(kind)
    if not isinstance(header, str) or model is None or len(header) % 2 or _misses_route(case):
        return
    obj = model.objects.filter(pk=case.path_parameters["id"]).first()
    if obj is not None:
        case.headers["If-Match"] = obj.etag


def _misses_route(case) -> bool:
    """Whether the path's id is no integer, so that Django's URL resolver answers before DRF."""
    path_id = (case.path_parameters or {}).get("id")
    return "{id}" in case.path and not re.fullmatch(r"[0-9]+", str(path_id))


def aim(case, seed: Seed) -> None:
    """Point the case's ids (and sometimes its If-Match) at the seed's objects."""
    kind = _path_pool(case.path)
    if kind and case.path_parameters:
        case.path_parameters["id"] = _aim(case.path_parameters.get("id"), seed.pools.get(kind, []))
    _aim_fields(case.query, seed.pools)
    _aim_fields(case.body, seed.pools)
    _aim_if_match(case, kind)


# --- the tests ------------------------------------------------------------------------------------------

HYPOTHESIS_SETTINGS = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    # Function-scoped fixtures are on purpose (each case runs in its own savepoint, rolled back); how fast
    # and how large the generated data is, is schemathesis's business, not a failure of the API.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


def _call_and_validate(case, seed: Seed, token: str, app) -> None:
    aim(case, seed)
    cache.clear()
    with transaction.atomic():
        case.call_and_validate(
            app=app,
            headers={"Authorization": f"Token {token}"},
            checks=ROUTE_MISS_CHECKS if _misses_route(case) else CHECKS,
        )
        transaction.set_rollback(True)


@schema.parametrize()
@HYPOTHESIS_SETTINGS
def test_api_conforms_to_its_schema_as_leader(case, seed, app):
    _call_and_validate(case, seed, seed.tokens["leader"], app)


@pytest.mark.parametrize("caller", ["employee", "hr"])
@fuzz_schema.parametrize()
@HYPOTHESIS_SETTINGS
def test_api_conforms_to_its_schema(case, caller, seed, app):
    _call_and_validate(case, seed, seed.tokens[caller], app)
