"""Deputy grants: given by a leader, seen by both parties, ended by the leader."""

import datetime

import pytest
from django.utils import timezone

from conversations.models import DeputyGrant
from tests import factories
from tests.api.helpers import count_queries, url

pytestmark = pytest.mark.django_db


def in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_leader_grants_by_user_id_or_employee_id(world, client_for):
    client = client_for(world.leader)
    stand_in = factories.UserFactory()
    by_id = client.post(url("deputies/"), {"deputy": stand_in.pk, "until": in_days(7)}, format="json")
    assert by_id.status_code == 201, by_id.json()
    assert by_id.json()["deputy"]["id"] == stand_in.pk and by_id.json()["active"] is True
    by_employee_id = client.post(
        url("deputies/"),
        {"deputy": stand_in.employee_id, "until": in_days(7), "conversation": world.conversation.pk},
        format="json",
    )
    assert by_employee_id.status_code == 201
    assert by_employee_id.json()["conversation"] == world.conversation.pk
    assert client_for(stand_in).get(url(f"conversations/{world.conversation.pk}/")).status_code == 200


def test_non_leaders_cannot_grant(world, client_for):
    body = {"deputy": world.colleague.pk, "until": in_days(7)}
    assert client_for(world.employee).post(url("deputies/"), body, format="json").status_code == 403
    assert client_for(world.hr).post(url("deputies/"), body, format="json").status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {"deputy": "NOBODY", "until": 7},
        {"deputy": 10**12, "until": 7},
        {"deputy": 2**70, "until": 7},
        {"deputy": True, "until": 7},
        {"deputy": 1.5, "until": 7},
        {"deputy": ["x"], "until": 7},
        {"deputy": "a\x00b", "until": 7},
        {"deputy": "x" * 65, "until": 7},
        {"deputy": "SELF", "until": 7},
        {"deputy": "OTHER", "until": -1},
        {"deputy": "OTHER", "until": "someday"},
        {"deputy": "OTHER"},
        {"deputy": "OTHER", "until": 7, "conversation": "FOREIGN"},
        {"deputy": "OTHER", "until": 7, "conversation": 10**12},
    ],
)
def test_grant_bad_input_is_400(world, client_for, body):
    other = factories.make_conversation(leader=world.other_leader, employee=world.other_employee, items=False)
    replacements = {"SELF": world.leader.pk, "OTHER": world.colleague.pk, "FOREIGN": other.pk}
    body = {
        key: replacements.get(value, value) if isinstance(value, str) else value
        for key, value in body.items()
    }
    if isinstance(body.get("until"), int):
        body["until"] = in_days(body["until"])
    assert client_for(world.leader).post(url("deputies/"), body, format="json").status_code == 400


def test_inactive_deputy_is_400(world, client_for):
    gone = factories.UserFactory(is_active=False)
    body = {"deputy": gone.pk, "until": in_days(7)}
    assert client_for(world.leader).post(url("deputies/"), body, format="json").status_code == 400


def test_both_parties_see_the_grant(world, client_for):
    grant = DeputyGrant.objects.get(leader=world.leader)
    for user in (world.leader, world.deputy):
        assert [g["id"] for g in client_for(user).get(url("deputies/")).json()["results"]] == [grant.pk]
    assert client_for(world.employee).get(url("deputies/")).json()["results"] == []


def test_leader_ends_a_grant_and_access_ends_at_once(world, client_for):
    grant = DeputyGrant.objects.get(leader=world.leader)
    address = url(f"conversations/{world.conversation.pk}/")
    assert client_for(world.deputy).get(address).status_code == 200
    assert client_for(world.deputy).delete(url(f"deputies/{grant.pk}/")).status_code == 403
    assert client_for(world.employee).delete(url(f"deputies/{grant.pk}/")).status_code == 404
    assert client_for(world.leader).delete(url(f"deputies/{grant.pk}/")).status_code == 204
    grant.refresh_from_db()
    assert grant.ended_at is not None
    assert client_for(world.deputy).get(address).status_code == 404
    assert client_for(world.leader).delete(url(f"deputies/{grant.pk}/")).status_code == 204
    assert client_for(world.leader).delete(url(f"deputies/{2**64}/")).status_code == 404


def test_an_expired_grant_stops_working(world, client_for):
    DeputyGrant.objects.filter(leader=world.leader).update(
        until=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert client_for(world.deputy).get(url(f"conversations/{world.conversation.pk}/")).status_code == 404
    listed = client_for(world.deputy).get(url("deputies/")).json()["results"]
    assert listed[0]["active"] is False


def test_deputies_query_count(world, client_for, django_assert_max_num_queries):
    client = client_for(world.leader)
    few = count_queries(lambda: client.get(url("deputies/")))
    people = [factories.UserFactory() for _ in range(30)]
    DeputyGrant.objects.bulk_create(
        DeputyGrant(leader=world.leader, deputy=p, until=timezone.localdate()) for p in people
    )
    with django_assert_max_num_queries(few):
        assert client.get(url("deputies/")).json()["count"] == 31
