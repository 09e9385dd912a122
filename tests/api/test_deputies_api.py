"""Deputy grants: given by a leader, seen by both parties, ended by the leader."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from conversations.models import Conversation, ConversationUserObjectPermission, DeputyGrant, HistoryEntry
from organization.models import User
from tests import factories
from tests.api.helpers import count_queries, url

pytestmark = pytest.mark.django_db


def in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_leader_grants_by_user_id_or_employee_id(world, api_as):
    client = api_as(world.leader)
    stand_in = factories.LeaderFactory()
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
    assert api_as(stand_in).get(url(f"conversations/{world.conversation.pk}/")).status_code == 200


def test_non_leaders_cannot_grant(world, api_as):
    body = {"deputy": world.colleague.pk, "until": in_days(7)}
    assert api_as(world.employee).post(url("deputies/"), body, format="json").status_code == 403
    assert api_as(world.hr).post(url("deputies/"), body, format="json").status_code == 403


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
def test_grant_bad_input_is_400(world, api_as, body):
    other = factories.make_conversation(leader=world.other_leader, employee=world.other_employee, items=False)
    replacements = {"SELF": world.leader.pk, "OTHER": world.colleague.pk, "FOREIGN": other.pk}
    body = {
        key: replacements.get(value, value) if isinstance(value, str) else value
        for key, value in body.items()
    }
    if isinstance(body.get("until"), int):
        body["until"] = in_days(body["until"])
    assert api_as(world.leader).post(url("deputies/"), body, format="json").status_code == 400


def test_inactive_deputy_is_400(world, api_as):
    gone = factories.UserFactory(is_active=False)
    body = {"deputy": gone.pk, "until": in_days(7)}
    assert api_as(world.leader).post(url("deputies/"), body, format="json").status_code == 400


def test_both_parties_see_the_grant(world, api_as):
    grant = DeputyGrant.objects.get(leader=world.leader)
    for user in (world.leader, world.deputy):
        assert [g["id"] for g in api_as(user).get(url("deputies/")).json()["results"]] == [grant.pk]
    assert api_as(world.employee).get(url("deputies/")).json()["results"] == []


def test_leader_ends_a_grant_and_access_ends_at_once(world, api_as):
    grant = DeputyGrant.objects.get(leader=world.leader)
    address = url(f"conversations/{world.conversation.pk}/")
    assert api_as(world.deputy).get(address).status_code == 200
    assert api_as(world.deputy).delete(url(f"deputies/{grant.pk}/")).status_code == 403
    assert api_as(world.employee).delete(url(f"deputies/{grant.pk}/")).status_code == 404
    assert api_as(world.leader).delete(url(f"deputies/{grant.pk}/")).status_code == 204
    grant.refresh_from_db()
    assert grant.ended_at is not None
    assert api_as(world.deputy).get(address).status_code == 404
    assert api_as(world.leader).delete(url(f"deputies/{grant.pk}/")).status_code == 204
    assert api_as(world.leader).delete(url(f"deputies/{2**64}/")).status_code == 404


def test_an_expired_grant_stops_working(world, api_as):
    DeputyGrant.objects.filter(leader=world.leader).update(
        until=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert api_as(world.deputy).get(url(f"conversations/{world.conversation.pk}/")).status_code == 404
    listed = api_as(world.deputy).get(url("deputies/")).json()["results"]
    assert listed[0]["active"] is False


def test_deputies_query_count(world, api_as, django_assert_max_num_queries):
    client = api_as(world.leader)
    few = count_queries(lambda: client.get(url("deputies/")))
    people = [factories.UserFactory() for _ in range(30)]
    DeputyGrant.objects.bulk_create(
        DeputyGrant(leader=world.leader, deputy=p, until=timezone.localdate()) for p in people
    )
    with django_assert_max_num_queries(few):
        assert client.get(url("deputies/")).json()["count"] == 31


# --- who may be a deputy (DESIGN.md: another leader, never the employee, never someone only in HR) -----

NOT_A_LEADER = "The deputy must be a leader: an active person who manages employees."


def grant(client, deputy, conversation=None):
    body = {"deputy": deputy, "until": in_days(7)}
    if conversation is not None:
        body["conversation"] = conversation.pk
    return client.post(url("deputies/"), body, format="json")


@pytest.mark.parametrize(
    ("who", "one_conversation", "message"),
    [
        ("hr", False, NOT_A_LEADER),
        ("hr", True, NOT_A_LEADER),
        ("other_employee", False, NOT_A_LEADER),  # someone else's team member
        ("former leader", False, NOT_A_LEADER),  # the leader role gone and nobody reporting any more
        ("employee", True, "The employee in the conversation cannot be the deputy."),
        ("employee", False, "One of your own employees cannot be the deputy for all your conversations."),
        ("colleague", False, "One of your own employees cannot be the deputy for all your conversations."),
        ("leader", False, "You cannot be your own deputy."),
    ],
)
def test_only_another_leader_can_be_deputy(world, api_as, who, one_conversation, message):
    """Issue 13: a leader could name an HR-only user or a team member as deputy, who then read content."""
    if who == "former leader":
        deputy = factories.UserFactory()
        factories.UserFactory(manager=deputy, is_active=False)  # managed someone who has left
    else:
        deputy = world.role(who)
    before = DeputyGrant.objects.count()
    response = grant(api_as(world.leader), deputy.pk, world.conversation if one_conversation else None)
    with translation.override("nb"):  # the leader's language
        assert (response.status_code, response.json()["detail"]) == (400, translation.gettext(message))
    assert DeputyGrant.objects.count() == before
    if who in ("hr", "other_employee"):
        assert api_as(deputy).get(url(f"conversations/{world.conversation.pk}/")).status_code == 404


def test_the_refusal_is_in_bokmal_by_default(world, api_as):
    response = grant(api_as(world.leader), world.hr.pk)
    assert (
        response.json()["detail"] == "Stedfortrederen må være en leder: en aktiv person som har medarbeidere."
    )


def test_someone_who_manages_people_is_a_leader_without_the_role(world, api_as):
    manager = factories.UserFactory()
    factories.UserFactory(manager=manager)
    assert not manager.is_leader
    assert grant(api_as(world.leader), manager.employee_id).status_code == 201
    assert api_as(manager).get(url(f"conversations/{world.conversation.pk}/")).status_code == 200


def test_a_report_who_leads_a_team_can_stand_in_for_a_colleagues_conversation(world, api_as):
    """Never the employee of a conversation the grant covers: one conversation covers only its own."""
    team_leader = factories.LeaderFactory(manager=world.leader)
    response = grant(api_as(world.leader), team_leader.pk, world.conversation)
    assert response.status_code == 201
    for_all = grant(api_as(world.leader), team_leader.pk)
    assert for_all.status_code == 400
    assert "egne medarbeidere" in for_all.json()["detail"]


def test_the_answer_never_tells_whether_a_deputy_id_exists(world, api_as):
    """Nobody, someone who has left and someone who is no leader: the same status and body."""
    client = api_as(world.leader)
    gone = factories.LeaderFactory(is_active=False)
    answers = {
        str(reference): grant(client, reference)
        for reference in (
            world.hr.pk,
            world.other_employee.employee_id,
            gone.pk,
            gone.employee_id,
            10**9,
            2**70,
            0,
            -5,
            "NOBODY-42",
            "x" * 65,
        )
    }
    bodies = {reference: (r.status_code, r.content) for reference, r in answers.items()}
    assert len(set(bodies.values())) == 1, bodies
    assert next(iter(answers.values())).status_code == 400


def test_the_page_refuses_a_deputy_who_is_no_leader_and_never_tells_whether_the_id_exists(world):
    client = Client()
    client.force_login(world.leader)
    texts = []
    for employee_id in (world.hr.employee_id, world.other_employee.employee_id, "NOBODY-42"):
        response = client.post(reverse("web:deputies"), {"deputy": employee_id, "until": in_days(3)})
        assert response.status_code == 400
        page = response.content.decode().replace(employee_id, "ID")
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
        texts.append(page)
        assert "Stedfortrederen må være en leder" in page
    assert not DeputyGrant.objects.filter(deputy__in=[world.hr, world.other_employee]).exists()
    assert texts[0] == texts[1] == texts[2]


# --- grants from before deputies had to be leaders ------------------------------------------------------


def legacy_grant(leader, deputy):
    """A grant for all of `leader`'s conversations as the service made it before it required a leader:
    the row, and the rights rows the sync of that time wrote for the deputy."""
    grant = DeputyGrant.objects.create(leader=leader, deputy=deputy, until=in_days(30))
    permissions = Permission.objects.filter(codename__in=("view_conversation", "comment_conversation"))
    ConversationUserObjectPermission.objects.bulk_create(
        ConversationUserObjectPermission(user=deputy, content_object=target, permission=permission)
        for target in Conversation.objects.filter(leader=leader)
        for permission in permissions
    )
    return grant


@pytest.mark.parametrize("who", ["hr", "colleague", "other_employee"])
def test_a_grant_made_before_the_rule_to_someone_who_is_no_leader_gives_no_access(world, api_as, who):
    deputy = world.role(who)
    grant = legacy_grant(world.leader, deputy)
    conversation = world.conversation
    client = api_as(deputy)
    for path in ("", "pdf/", "history/", "comments/", "follow-ups/"):
        assert client.get(url(f"conversations/{conversation.pk}/{path}")).status_code == 404, path
    assert client.post(url(f"conversations/{conversation.pk}/comments/"), {"text": "Hei"}).status_code == 404
    assert conversation.pk not in [c["id"] for c in client.get(url("conversations/")).json()["results"]]
    # Both parties see the grant, and that it gives no access.
    for user in (world.leader, deputy):
        listed = {g["id"]: g for g in api_as(user).get(url("deputies/")).json()["results"]}
        assert listed[grant.pk]["active"] is False
    # The conversation does not name them among its active deputies; the leader's real deputy still works.
    detail = api_as(world.leader).get(url(f"conversations/{conversation.pk}/")).json()
    named = [entry["deputy"]["id"] for entry in detail["deputies"]]
    assert world.deputy.pk in named and deputy.pk not in named
    assert api_as(world.deputy).get(url(f"conversations/{conversation.pk}/")).status_code == 200


def test_a_deputy_who_stops_leading_loses_access_at_once(world, api_as):
    address = url(f"conversations/{world.conversation.pk}/")
    assert api_as(world.deputy).get(address).status_code == 200
    User.objects.filter(pk=world.deputy.pk).update(is_leader=False)  # e.g. by the org import
    assert api_as(world.deputy).get(address).status_code == 404
    listed = api_as(world.deputy).get(url("conversations/")).json()["results"]
    assert world.conversation.pk not in [c["id"] for c in listed]
    User.objects.filter(pk=world.deputy.pk).update(is_leader=True)
    assert api_as(world.deputy).get(address).status_code == 200


def test_expire_grants_ends_grants_to_non_leaders_with_a_trail_both_parties_see(world, api_as):
    grant = legacy_grant(world.leader, world.hr)
    call_command("expire_grants", stdout=io.StringIO())
    grant.refresh_from_db()
    assert grant.ended_at is not None
    assert not ConversationUserObjectPermission.objects.filter(user=world.hr).exists()
    # One entry in the history of each conversation the grant covered, which both parties read.
    entries = HistoryEntry.objects.filter(action="deputy_ended", changes__deputy=world.hr.employee_id)
    assert entries.count() == Conversation.objects.filter(leader=world.leader).count()
    assert entries.get(conversation=world.conversation).changes["reason"] == "not_a_leader"
    for party in (world.leader, world.employee):
        rows = api_as(party).get(url(f"conversations/{world.conversation.pk}/history/")).json()["results"]
        assert [row["action"] for row in rows].count("deputy_ended") == 1
    # The grant to a real leader is untouched.
    assert DeputyGrant.objects.get(leader=world.leader, deputy=world.deputy).ended_at is None
    assert api_as(world.deputy).get(url(f"conversations/{world.conversation.pk}/")).status_code == 200
