"""The audit trail (`core.audit`, django-pghistory): every write recorded with who, when and what.

Database triggers record each insert, update and delete of the tracked tables in their event
tables, with the context (user and request, or command) that caused it; bulk updates and raw SQL
included. The event tables refuse changes; retention removes the rows of what it deletes.

The triggers are pghistory's on PostgreSQL and `core.audit_sqlite`'s on SQLite, into the same tables,
so every test but the difference view (a PostgreSQL query of pghistory's) runs on both.
"""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone
from pghistory.models import Events
from rest_framework.test import APIClient

from conversations import services
from conversations.contract import workflow
from conversations.models import Conversation, ConversationUserObjectPermission, Status
from conversations.privacy.retention import apply_retention
from core import audit
from goals.models import Goal
from tests import factories
from tests.workflow import confirm

API = "/api/v1/"
pytestmark = pytest.mark.django_db


def events(model_label: str, **filters):
    """The audit rows of one tracked model (e.g. "goals.Goal"), oldest first."""
    app_label, name = model_label.split(".")
    event_model = apps.get_model(app_label, f"{name}Event")
    return list(event_model.objects.filter(**filters).select_related("pgh_context").order_by("pgh_id"))


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_api_change_is_recorded_with_user_request_and_new_values():
    conversation = factories.make_conversation()
    goal = Goal.objects.get(conversation=conversation)

    response = api_client(conversation.leader).patch(
        f"{API}goals/{goal.pk}/", {"title": "Ny tittel"}, format="json", HTTP_IF_MATCH=goal.etag
    )

    assert response.status_code == 200
    update = events("goals.Goal", pgh_obj_id=goal.pk, pgh_label="update")[-1]
    assert update.title == "Ny tittel"
    assert update.pgh_created_at is not None
    assert update.pgh_context.metadata["user"] == conversation.leader.pk
    assert update.pgh_context.metadata["url"] == f"/api/v1/goals/{goal.pk}/"
    assert update.pgh_context.metadata["method"] == "PATCH"
    before = events("goals.Goal", pgh_obj_id=goal.pk)[-2]
    assert before.title == "Ferdigstille plan"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pghistory's Events view is PostgreSQL SQL")
def test_what_changed_is_shown_as_a_difference_between_events():
    conversation = factories.make_conversation()
    goal = Goal.objects.get(conversation=conversation)
    api_client(conversation.leader).patch(
        f"{API}goals/{goal.pk}/", {"title": "Ny tittel"}, format="json", HTTP_IF_MATCH=goal.etag
    )
    diff = Events.objects.tracks(goal).filter(pgh_label="update").order_by("-pgh_created_at")[0].pgh_diff
    assert diff["title"] == ["Ferdigstille plan", "Ny tittel"]


def test_a_transition_is_recorded_with_the_acting_party():
    conversation = factories.make_conversation()

    response = api_client(conversation.leader).post(f"{API}conversations/{conversation.pk}/submit/")

    assert response.status_code == 201, response.content
    statuses = [event.status for event in events("conversations.Conversation", pgh_obj_id=conversation.pk)]
    assert statuses[0] == Status.DRAFT
    assert statuses[-1] == Status.AWAITING_CONFIRMATION
    submitted = events("conversations.Conversation", pgh_obj_id=conversation.pk)[-1]
    assert submitted.pgh_context.metadata["user"] == conversation.leader.pk
    version = events("conversations.ContractVersion", conversation_id=conversation.pk)
    assert [event.pgh_label for event in version] == ["insert"]
    assert version[0].pgh_context.metadata["user"] == conversation.leader.pk


def test_a_page_form_post_is_recorded_with_the_signed_in_user():
    conversation = factories.make_conversation()
    client = Client()
    client.force_login(conversation.employee)

    response = client.post("/samtaler/del-historikk/", {"shared": "on"})

    assert response.status_code in (200, 302), response.status_code
    employee_events = events("organization.User", pgh_obj_id=conversation.employee.pk, pgh_label="update")
    assert employee_events[-1].shares_history is True
    assert employee_events[-1].pgh_context.metadata["user"] == conversation.employee.pk


def test_bulk_updates_and_raw_sql_are_recorded_row_by_row():
    conversation = factories.make_conversation()
    extra = factories.make_conversation(leader=conversation.leader, employee=conversation.employee)
    goals = Goal.objects.filter(conversation__in=[conversation, extra])
    assert goals.count() == 2

    with connection.cursor() as cursor:  # first: later in the same transaction it would share the context
        cursor.execute("UPDATE goals_goal SET title = %s WHERE conversation_id = %s", ["Rå SQL", extra.pk])
    with audit.context(operation="cleanup"):
        goals.update(measure="Samlet oppdatert")

    bulk = events("goals.Goal", measure="Samlet oppdatert", pgh_label="update")
    assert sorted(event.pgh_obj_id for event in bulk) == sorted(goals.values_list("pk", flat=True))
    assert all(event.pgh_context.metadata == {"operation": "cleanup"} for event in bulk)
    raw = [event for event in events("goals.Goal", title="Rå SQL") if event.measure != "Samlet oppdatert"]
    assert [event.pgh_obj_id for event in raw] == [Goal.objects.get(conversation=extra).pk]
    assert raw[0].pgh_context is None  # no one claimed it: visible as such


def test_deletions_are_recorded_with_the_deleted_content():
    conversation = factories.make_conversation()
    goal = Goal.objects.get(conversation=conversation)

    response = api_client(conversation.leader).delete(f"{API}goals/{goal.pk}/", HTTP_IF_MATCH=goal.etag)

    assert response.status_code == 204, response.content
    deleted = events("goals.Goal", pgh_obj_id=goal.pk, pgh_label="delete")
    assert [event.title for event in deleted] == ["Ferdigstille plan"]
    assert deleted[0].pgh_context.metadata["user"] == conversation.leader.pk


def test_permission_changes_of_a_handover_are_recorded():
    conversation = factories.make_conversation()
    old_leader, employee = conversation.leader, conversation.employee
    new_leader = factories.LeaderFactory(unit=employee.unit)

    with audit.context(operation="handover-test"):
        employee.manager = new_leader
        employee.save()
        services.employee_manager_changed(employee=employee)

    permission_events = events(
        "conversations.ConversationUserObjectPermission", content_object_id=conversation.pk
    )
    removed = {event.user_id for event in permission_events if event.pgh_label == "delete"}
    added = {event.user_id for event in permission_events if event.pgh_label == "insert"}
    assert old_leader.pk in removed
    assert new_leader.pk in added
    assert not ConversationUserObjectPermission.objects.filter(
        content_object=conversation, user=old_leader
    ).exists()
    manager_change = events("organization.User", pgh_obj_id=employee.pk, pgh_label="update")[-1]
    assert manager_change.manager_id == new_leader.pk
    assert manager_change.pgh_context.metadata["operation"] == "handover-test"


def test_an_import_is_recorded_under_the_command(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text(
        "employee_id,full_name,email,unit,manager_id,roles\n"
        "A1,Kari Nordmann,,Kommune,,\n"
        "A2,Ola Hansen,,Kommune/Etat,A1,hr\n",
        encoding="utf-8",
    )

    call_command("import_org", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115

    created = events("organization.User", employee_id__in=["A1", "A2"], pgh_label="insert")
    assert sorted(event.employee_id for event in created) == ["A1", "A2"]
    for event in created:
        assert event.pgh_context.metadata["command"] == "import_org"
        assert event.pgh_context.metadata["options"]["file"] == str(path)
    assert "password" not in {field.name for field in type(created[0])._meta.fields}
    units = events("organization.OrgUnit", pgh_label="insert", name__in=["Kommune", "Etat"])
    assert len(units) == 2


def test_admin_changes_are_recorded_with_the_administrator():
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)

    response = client.post("/admin/organization/orgunit/add/", {"name": "Ny etat", "parent": ""})

    assert response.status_code == 302, response.content.decode()[:2000]
    [added] = events("organization.OrgUnit", name="Ny etat")
    assert added.pgh_label == "insert"
    assert added.pgh_context.metadata["user"] == admin.pk
    assert added.pgh_context.metadata["url"] == "/admin/organization/orgunit/add/"


def test_group_and_permission_grants_in_the_admin_are_recorded():
    person = factories.UserFactory()
    group = Group.objects.create(name="Støtte")
    permission = Permission.objects.get(codename="view_orgunit")

    with audit.context(operation="grant"):
        person.groups.add(group)
        person.user_permissions.add(permission)
        person.groups.remove(group)

    memberships = events("organization.UserGroups", user_id=person.pk)
    assert [(event.pgh_label, event.group_id) for event in memberships] == [
        ("insert", group.pk),
        ("delete", group.pk),
    ]
    grants = events("organization.UserUserPermissions", user_id=person.pk)
    assert [(event.pgh_label, event.permission_id) for event in grants] == [("insert", permission.pk)]


@pytest.mark.parametrize(
    "statement", ["UPDATE goals_goalevent SET title = 'x'", "DELETE FROM goals_goalevent"]
)
def test_the_trail_cannot_be_rewritten_even_by_raw_sql(statement):
    factories.make_conversation()
    assert events("goals.Goal")

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)

    assert events("goals.Goal")


def test_retention_removes_the_trail_of_what_it_deletes_and_nothing_else():
    old = factories.make_conversation()
    kept = factories.make_conversation()
    confirm(old)
    workflow.conversation_close(conversation_id=old.pk, actor=old.leader)
    long_ago = timezone.now() - datetime.timedelta(days=365 * 10)
    Conversation.objects.filter(pk=old.pk).update(closed_at=long_ago)
    old_goal = Goal.objects.get(conversation=old)
    assert events("goals.Goal", pgh_obj_id=old_goal.pk)
    assert events("conversations.Conversation", pgh_obj_id=old.pk)

    result = apply_retention()

    assert result.conversations == [old.pk]
    assert result.deleted["audit events"] > 0
    assert not events("goals.Goal", conversation_id=old.pk)
    assert not events("conversations.Conversation", pgh_obj_id=old.pk)
    assert not events("conversations.ContractVersion", conversation_id=old.pk)
    assert not events("conversations.ConversationUserObjectPermission", content_object_id=old.pk)
    assert events("goals.Goal", conversation_id=kept.pk)
    assert events("conversations.Conversation", pgh_obj_id=kept.pk)


@pytest.mark.django_db(transaction=True)
def test_a_flush_empties_the_trail_with_everything_else():
    conversation = factories.make_conversation()
    assert events("goals.Goal", conversation_id=conversation.pk)

    call_command("flush", interactive=False, verbosity=0)

    assert events("goals.Goal") == []
    assert events("conversations.Conversation") == []


def test_the_trail_of_a_conversation_and_of_a_person_can_be_read(capsys):
    conversation = factories.make_conversation()
    goal = Goal.objects.get(conversation=conversation)
    api_client(conversation.leader).patch(
        f"{API}goals/{goal.pk}/", {"title": "Ny tittel"}, format="json", HTTP_IF_MATCH=goal.etag
    )

    call_command("audit_trail", conversation=conversation.pk)
    by_conversation = capsys.readouterr().out
    call_command("audit_trail", actor=conversation.leader.employee_id)
    by_leader = capsys.readouterr().out

    title_change = (
        f"update  goals.Goal #{goal.pk}  by user {conversation.leader.pk} PATCH /api/v1/goals/{goal.pk}/"
    )
    assert title_change in by_conversation
    assert "title: 'Ferdigstille plan' -> 'Ny tittel'" in by_conversation
    assert f"insert  conversations.Conversation #{conversation.pk}" in by_conversation
    assert "title: 'Ferdigstille plan' -> 'Ny tittel'" in by_leader
    assert (
        f"update  conversations.Conversation #{conversation.pk}  by user {conversation.leader.pk}"
        in by_leader
    )
    assert "2 event(s)." in by_leader  # the item, and the conversation's revision it bumps


def test_the_trail_command_names_an_unknown_person():
    with pytest.raises(CommandError, match="No person with employee id 'nobody'"):
        call_command("audit_trail", actor="nobody")
