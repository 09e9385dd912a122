"""The organisation the API and security tests share, built once per test module, and the clients that
act in it.

People (`build_people`): one unit where `leader` manages `employee` and `colleague`; `hr` is HR;
`deputy`, `deputy_expired`, `former_leader` and `stand_in` are leaders (deputies are leaders,
DESIGN.md) in the same unit; `other_leader` leads `other_employee` in a unit of their own.

Two scenes put conversations into it, chosen per folder by overriding the `world_scene` fixture:
- `one_draft` (the default; tests/api): a draft with one item of each kind between leader and
  employee, and an active grant from leader to `deputy` for all of leader's conversations.
- `handover` (tests/security): former_leader created three conversations with `employee` (a draft
  with a meeting time, one awaiting confirmation, one confirmed in `cycle`), then the employee moved
  to `leader` (org import), so the open conversations passed to `leader`. `leader` granted `deputy`
  access to all of them; the grant of `deputy_expired` was moved into the past behind the services'
  back (its permission rows are still there, only the date says no). `stand_in`, a leader outside
  every role, is whom any of the leaders can name as a deputy. `other_leader` leads `other_employee`
  (the `foreign` draft). The employee has a private agenda point on the draft.

The scene's rows are written once per test module in a transaction rolled back at the module's end;
each test runs in a savepoint inside it and gets fresh instances (`world`), so its changes vanish.
"""

import datetime

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from conversations import services
from conversations.models import Conversation, DeputyGrant
from organization.models import User
from tests import factories
from tests.factories import conversation_in, in_days
from tests.workflow import change_manager

# --- the people and the scenes --------------------------------------------------------------------------


def build_people(*, employee_manager: str = "leader") -> dict[str, User]:
    """The organisation's people by role; `employee` reports to `employee_manager` (a role)."""
    unit = factories.OrgUnitFactory()
    people = {
        "former_leader": factories.LeaderFactory(unit=unit),
        "leader": factories.LeaderFactory(unit=unit),
    }
    people["employee"] = factories.UserFactory(unit=unit, manager=people[employee_manager])
    people["colleague"] = factories.UserFactory(unit=unit, manager=people["leader"])
    people["other_leader"], people["other_employee"] = factories.make_pair()
    people["hr"] = factories.HRFactory(unit=unit)
    for role in ("deputy", "deputy_expired", "stand_in"):
        people[role] = factories.LeaderFactory(unit=unit)
    return people


def one_draft() -> dict:
    """The API tests' scene: one draft between leader and employee; `deputy` stands in for leader."""
    people = build_people()
    conversation = factories.make_conversation(leader=people["leader"], employee=people["employee"])
    factories.DeputyGrantFactory(leader=people["leader"], deputy=people["deputy"], until=in_days(30))
    return {"people": people, "conversation": conversation}


def handover() -> dict:
    """The security tests' scene: conversations in three states handed over from former_leader."""
    people = build_people(employee_manager="former_leader")
    former_leader, employee, leader = people["former_leader"], people["employee"], people["leader"]
    cycle = factories.CycleFactory()
    draft = conversation_in("draft", leader=former_leader, employee=employee)
    services.conversation_update(
        conversation=draft, actor=former_leader, scheduled_at=timezone.now() + datetime.timedelta(days=3)
    )
    awaiting = conversation_in("awaiting_confirmation", leader=former_leader, employee=employee)
    confirmed = conversation_in("confirmed", leader=former_leader, employee=employee, cycle=cycle)
    foreign = conversation_in("draft", leader=people["other_leader"], employee=people["other_employee"])
    point = factories.AgendaPointFactory(
        conversation=draft, actor=employee, text="Mine egne notater", shared=False
    )
    change_manager(employee, leader)
    grant = factories.DeputyGrantFactory(leader=leader, deputy=people["deputy"], until=in_days(30))
    expired = factories.DeputyGrantFactory(leader=leader, deputy=people["deputy_expired"], until=in_days(30))
    DeputyGrant.objects.filter(pk=expired.pk).update(until=in_days(-1))
    return {
        "people": people,
        "draft": draft,
        "awaiting": awaiting,
        "confirmed": confirmed,
        "foreign": foreign,
        "cycle": cycle,
        "grant": grant,
        "expired_grant": expired,
        "private_point": point,
    }


class World:
    """A scene's people (`world.leader`, `world.user(role)`) and objects (`world.draft`, ...)."""

    def __init__(self, people: dict, objects: dict):
        self.people = people
        self.objects = objects

    def __getattr__(self, name):
        for found in (self.__dict__.get("people", {}), self.__dict__.get("objects", {})):
            if name in found:
                return found[name]
        raise AttributeError(name)

    def user(self, role: str):
        """The person in `role`; None for "anonymous"."""
        return None if role == "anonymous" else self.people[role]

    role = user


def _load(model, pk):
    if model is Conversation:
        return Conversation.objects.select_related("employee", "leader").get(pk=pk)
    return model._default_manager.get(pk=pk)


# --- fixtures (made available to every test by tests/conftest.py) ---------------------------------------


@pytest.fixture(scope="module")
def world_scene():
    """The scene a folder's tests share; override it in a folder's conftest to choose another."""
    return one_draft


@pytest.fixture(scope="module")
def _world_rows(world_scene, django_db_setup, django_db_blocker):
    """Written once per module in a transaction rolled back at its end: (people's pks, objects' pks)."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = world_scene()
        people = {role: user.pk for role, user in built.pop("people").items()}
        yield people, {name: (type(obj), obj.pk) for name, obj in built.items()}
        transaction.set_rollback(True)


@pytest.fixture
def world(_world_rows, db) -> World:
    """Fresh instances of the scene's rows for this test."""
    people_pks, objects = _world_rows
    people = User.objects.in_bulk(people_pks.values())
    return World(
        people={role: people[pk] for role, pk in people_pks.items()},
        objects={name: _load(model, pk) for name, (model, pk) in objects.items()},
    )


def api_client(user=None) -> APIClient:
    """An APIClient authenticated as `user` (None: anonymous)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def page_client(user=None, language: str = "nb") -> Client:
    """A Django test client logged in as `user` (None: anonymous), in `language` (bokmål by default)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def api_as():
    """api_as(user) -> an APIClient authenticated as `user` (None: anonymous)."""
    return api_client


@pytest.fixture
def page_as():
    """page_as(user) -> a Django test client logged in as `user` (None: anonymous), in bokmål."""
    return page_client
