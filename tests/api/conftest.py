"""Fixtures for the API tests: a small organisation with every role and clients per person."""

import datetime
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from conversations import services
from conversations.models import Conversation
from organization.models import User
from tests import factories


@dataclass
class World:
    """leader manages employee and colleague; other_leader manages other_employee; hr is HR;
    deputy holds an active grant from leader for all of leader's conversations."""

    leader: object
    employee: object
    colleague: object
    other_leader: object
    other_employee: object
    hr: object
    deputy: object
    conversation: Conversation

    def role(self, name: str):
        return getattr(self, name)


def _build_world() -> World:
    unit = factories.OrgUnitFactory()
    leader, employee = factories.make_pair(unit)
    colleague = factories.UserFactory(unit=unit, manager=leader)
    other_leader, other_employee = factories.make_pair()
    hr = factories.HRFactory(unit=unit)
    deputy = factories.LeaderFactory(unit=unit)
    conversation = factories.make_conversation(leader=leader, employee=employee)
    services.deputy_grant_create(
        leader=leader, deputy=deputy, until=timezone.localdate() + datetime.timedelta(days=30)
    )
    return World(leader, employee, colleague, other_leader, other_employee, hr, deputy, conversation)


@pytest.fixture(scope="module")
def _world_rows(django_db_setup, django_db_blocker):
    """The world's rows, written once per test module inside a transaction that is rolled back at
    the end of the module. Each test runs in a savepoint inside it, so its own changes vanish."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = _build_world()
        yield {name: obj.pk for name, obj in vars(built).items()}
        transaction.set_rollback(True)


@pytest.fixture
def world(_world_rows, db) -> World:
    """Fresh instances of the world's rows for this test."""
    conversation = Conversation.objects.select_related("employee", "leader").get(
        pk=_world_rows["conversation"]
    )
    people = User.objects.in_bulk([pk for name, pk in _world_rows.items() if name != "conversation"])
    return World(
        **{name: people[pk] for name, pk in _world_rows.items() if name != "conversation"},
        conversation=conversation,
    )


@pytest.fixture
def client_for():
    """client_for(user) -> an APIClient authenticated as `user` (None: anonymous)."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
