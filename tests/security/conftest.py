"""A small organisation in which every role of the permission matrix is present, built once per module.

former_leader created three conversations with `employee` (a draft with a meeting time, one awaiting
confirmation, one confirmed in `cycle`), then the employee moved to `leader` (org import), so the
open conversations passed to `leader`. `leader` granted `deputy_active` access to all of them; the
grant of `deputy_expired` was moved into the past behind the services' back (its permission rows are
still there, only the date says no). Deputies are leaders (DESIGN.md); `stand_in`, a leader outside
every role, is whom any of the leaders can name as a deputy. `other_leader` leads `other_employee`
(the `foreign` conversation); `hr` is HR. The employee has a private agenda point on the draft.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from conversations import services
from conversations.models import AgendaPoint, Conversation, Cycle, DeputyGrant
from organization.models import User
from tests import factories
from tests.workflow import change_manager, conversation_in

ROLES = (
    "leader",
    "employee",
    "other_employee",
    "other_leader",
    "hr",
    "deputy_active",
    "deputy_expired",
    "former_leader",
    "anonymous",
)
PEOPLE = [role for role in ROLES if role != "anonymous"]
CONVERSATIONS = ("draft", "awaiting", "confirmed", "foreign")
PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>"
ESCAPED_PAYLOAD = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@dataclass
class World:
    people: dict
    draft: Conversation
    awaiting: Conversation
    confirmed: Conversation
    foreign: Conversation
    cycle: Cycle
    grant: DeputyGrant
    expired_grant: DeputyGrant
    private_point: AgendaPoint

    def __getattr__(self, name):
        people = self.__dict__.get("people", {})
        if name in people:
            return people[name]
        raise AttributeError(name)

    def user(self, role: str):
        return None if role == "anonymous" else self.people[role]


def build_world() -> dict:
    """Write the world through the services; returns the primary keys."""
    unit = factories.OrgUnitFactory()
    former_leader = factories.LeaderFactory(unit=unit)
    leader = factories.LeaderFactory(unit=unit)
    employee = factories.UserFactory(unit=unit, manager=former_leader)
    other_leader, other_employee = factories.make_pair()
    people = {
        "leader": leader,
        "employee": employee,
        "other_employee": other_employee,
        "other_leader": other_leader,
        "hr": factories.HRFactory(unit=unit),
        "deputy_active": factories.LeaderFactory(unit=unit),
        "deputy_expired": factories.LeaderFactory(unit=unit),
        "former_leader": former_leader,
        "stand_in": factories.LeaderFactory(unit=unit),
    }
    cycle = factories.CycleFactory()
    draft = conversation_in("draft", leader=former_leader, employee=employee)
    services.conversation_update(
        conversation=draft, actor=former_leader, scheduled_at=timezone.now() + datetime.timedelta(days=3)
    )
    awaiting = conversation_in("awaiting_confirmation", leader=former_leader, employee=employee)
    confirmed = conversation_in("confirmed", leader=former_leader, employee=employee, cycle=cycle)
    foreign = conversation_in("draft", leader=other_leader, employee=other_employee)
    point = services.agenda_point_create(
        conversation=draft, actor=employee, text="Mine egne notater", shared=False
    )
    change_manager(employee, leader)
    grant = services.deputy_grant_create(leader=leader, deputy=people["deputy_active"], until=in_days(30))
    expired = services.deputy_grant_create(leader=leader, deputy=people["deputy_expired"], until=in_days(30))
    DeputyGrant.objects.filter(pk=expired.pk).update(until=in_days(-1))
    return {
        "people": {role: user.pk for role, user in people.items()},
        "draft": draft.pk,
        "awaiting": awaiting.pk,
        "confirmed": confirmed.pk,
        "foreign": foreign.pk,
        "cycle": cycle.pk,
        "grant": grant.pk,
        "expired_grant": expired.pk,
        "private_point": point.pk,
    }


@pytest.fixture(scope="module")
def _world_rows(django_db_setup, django_db_blocker):
    """Written once per module in a transaction rolled back at its end; each test runs in a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(_world_rows, db) -> World:
    people = User.objects.in_bulk(_world_rows["people"].values())
    conversations = Conversation.objects.select_related("employee", "leader").in_bulk(
        [_world_rows[name] for name in CONVERSATIONS]
    )
    return World(
        people={role: people[pk] for role, pk in _world_rows["people"].items()},
        **{name: conversations[_world_rows[name]] for name in CONVERSATIONS},
        cycle=Cycle.objects.get(pk=_world_rows["cycle"]),
        grant=DeputyGrant.objects.get(pk=_world_rows["grant"]),
        expired_grant=DeputyGrant.objects.get(pk=_world_rows["expired_grant"]),
        private_point=AgendaPoint.objects.get(pk=_world_rows["private_point"]),
    )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttle counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_as():
    """api_as(user) -> an APIClient authenticated as `user` (None: anonymous)."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def page_as():
    """page_as(user) -> a Django test client logged in as `user` (None: anonymous), in bokmål."""

    def make(user=None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
