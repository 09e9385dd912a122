"""The Django admin: every model opens, signed records stay read-only, reads of content are logged."""

import datetime
from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.authtoken.models import Token

from conversations import admin as conversation_admin
from conversations.access.permissions import VIEW, access_conversation
from conversations.models import (
    AccessLogEntry,
    Confirmation,
    ContractVersion,
    Conversation,
    ConversationGroupObjectPermission,
    HistoryEntry,
    Status,
)
from conversations.notify.reminders import send_reminders
from conversations.services import access_log_record
from demo import demo_data
from organization.models import OrgUnit, User

pytestmark = pytest.mark.django_db

OUR_APPS = {"organization", "conversations", "goals", "reports", "core"}
# Our own models; third-party admins (axes, authtoken, auth groups) are theirs to test.
REGISTERED = sorted(
    (
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in OUR_APPS
    ),
    key=lambda pair: pair[0]._meta.label,
)
SIGNED = [ContractVersion, Confirmation]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo organisation plus one row of each model it does not create; rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        with translation.override("en"):
            call_command("seed_demo", stdout=StringIO())
        _add_rows_the_demo_lacks()
        yield
        transaction.set_rollback(True)


def _add_rows_the_demo_lacks():
    admin_user = User.objects.get(employee_id=demo_data.ADMIN_ID)
    conversation = Conversation.objects.first()
    group = Group.objects.create(name="Demo")
    Token.objects.create(user=admin_user)
    access_log_record(conversation=conversation, user=conversation.employee, channel="api")
    send_reminders(now=timezone.now() + datetime.timedelta(days=400))
    ConversationGroupObjectPermission.objects.create(
        group=group, content_object=conversation, permission=Permission.objects.get(codename=VIEW)
    )


@pytest.fixture
def admin_client(demo, client):
    client.force_login(User.objects.get(employee_id=demo_data.ADMIN_ID))
    return client


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def an_object(model):
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"no {model._meta.label} to open"
    return obj


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=[m._meta.label for m, _ in REGISTERED])
def test_changelist_opens_and_searches(admin_client, model, model_admin):
    assert admin_client.get(url(model, "changelist")).status_code == 200
    if model_admin.search_fields:
        assert admin_client.get(url(model, "changelist"), {"q": "10101 Ola"}).status_code == 200


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=[m._meta.label for m, _ in REGISTERED])
def test_change_page_opens(admin_client, model, model_admin):
    response = admin_client.get(url(model, "change", an_object(model).pk))
    assert response.status_code == 200


@pytest.mark.parametrize("model", SIGNED, ids=[m._meta.label for m in SIGNED])
def test_signed_records_cannot_be_changed(admin_client, model):
    obj = an_object(model)
    page = admin_client.get(url(model, "change", obj.pk))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert admin_client.post(url(model, "change", obj.pk), {"sha256": "0" * 64}).status_code == 403
    assert admin_client.get(url(model, "add")).status_code == 403
    assert admin_client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk, sha256=obj.sha256).exists()


def test_read_only_admins_offer_no_writes(admin_client):
    request = admin_client.get("/").wsgi_request
    read_only = [m for m, a in REGISTERED if isinstance(a, conversation_admin.ReadOnlyAdmin)]
    assert set(SIGNED) <= set(read_only)
    assert {HistoryEntry, AccessLogEntry} <= set(read_only)
    for model in read_only:
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
        assert set(model_admin.get_readonly_fields(request)) >= {f.name for f in model._meta.fields}


def test_opening_a_conversation_is_logged(admin_client):
    conversation = an_object(Conversation)
    admin_user = User.objects.get(employee_id=demo_data.ADMIN_ID)
    entries = AccessLogEntry.objects.filter(conversation=conversation, user=admin_user, channel="admin")
    assert not entries.exists()
    assert admin_client.get(url(Conversation, "change", conversation.pk)).status_code == 200
    assert entries.count() == 1
    admin_client.get(url(Conversation, "changelist"))
    assert entries.count() == 1


def test_opening_a_goal_is_logged_on_its_conversation(admin_client):
    from goals.models import Goal

    goal = an_object(Goal)
    admin_client.get(url(Goal, "change", goal.pk))
    assert AccessLogEntry.objects.filter(conversation=goal.conversation_id, channel="admin").exists()


def _conversation_form(conversation, **changes):
    data = {
        "cycle": conversation.cycle_id,
        "scheduled_at_0": "2027-01-15",
        "scheduled_at_1": "09:30:00",
        "held_on": conversation.held_on.isoformat() if conversation.held_on else "",
        **changes,
    }
    for prefix in ("versions", "comments", "history"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def test_conversation_admin_changes_meeting_details_only_and_records_them(admin_client):
    conversation = Conversation.objects.get(
        status=Status.AWAITING_CONFIRMATION, employee__employee_id="10103"
    )
    data = _conversation_form(conversation, status=Status.CLOSED, leader=conversation.employee_id)
    response = admin_client.post(url(Conversation, "change", conversation.pk), data)
    assert response.status_code == 302
    after = Conversation.objects.get(pk=conversation.pk)
    assert after.status == Status.AWAITING_CONFIRMATION
    assert after.leader_id == conversation.leader_id
    assert after.scheduled_at.date().isoformat() == "2027-01-15"
    assert after.revision == conversation.revision + 1
    entry = HistoryEntry.objects.filter(conversation=conversation, action="admin_update").get()
    assert set(entry.changes["fields"]) == {"scheduled_at"}


def test_conversations_cannot_be_added_or_deleted_in_the_admin(admin_client):
    conversation = an_object(Conversation)
    assert admin_client.get(url(Conversation, "add")).status_code == 403
    assert admin_client.post(url(Conversation, "delete", conversation.pk), {"post": "yes"}).status_code == 403


@pytest.mark.parametrize(
    ("model", "max_queries"), [(Conversation, 7), (User, 6), (AccessLogEntry, 6), (HistoryEntry, 5)]
)
def test_changelists_do_not_grow_with_rows(admin_client, django_assert_max_num_queries, model, max_queries):
    with django_assert_max_num_queries(max_queries):
        assert admin_client.get(url(model, "changelist")).status_code == 200


def test_user_search_and_unit_filter(admin_client):
    response = admin_client.get(url(User, "changelist"), {"q": "10101"})
    assert list(response.context["cl"].result_list) == [User.objects.get(employee_id="10101")]
    agency = OrgUnit.objects.get(path="Oslo kommune/Helseetaten")
    response = admin_client.get(url(Conversation, "changelist"), {"unit_subtree": agency.pk})
    shown = response.context["cl"].result_list
    assert shown and all(c.unit.path.startswith("Oslo kommune/Helseetaten/") for c in shown)


def test_user_admin_adds_a_person(admin_client):
    data = {
        "employee_id": "20001",
        "full_name": "Kari Nordmann",
        "email": "kari.nordmann@example.org",
        "usable_password": "true",
        "password1": "Et-langt-passord-2027",
        "password2": "Et-langt-passord-2027",
    }
    assert admin_client.post(url(User, "add"), data).status_code == 302
    assert User.objects.get(employee_id="20001").check_password("Et-langt-passord-2027")


def test_manager_change_in_the_admin_moves_access(admin_client):
    employee = User.objects.get(employee_id="10103")
    old_leader, new_leader = employee.manager, User.objects.get(employee_id="10200")
    conversation = Conversation.objects.get(employee=employee, status=Status.AWAITING_CONFIRMATION)
    data = {
        "employee_id": employee.employee_id,
        "full_name": employee.full_name,
        "email": employee.email,
        "language": employee.language,
        "unit": employee.unit_id,
        "manager": new_leader.pk,
        "is_active": "on",
        "left_on": "",
    }
    assert admin_client.post(url(User, "change", employee.pk), data).status_code == 302
    with pytest.raises(Http404):
        access_conversation(old_leader, conversation.pk)
    assert access_conversation(new_leader, conversation.pk).leader_id == new_leader.pk


def test_conversation_change_page_queries_do_not_grow_with_its_history(
    admin_client, django_assert_max_num_queries
):
    conversation = Conversation.objects.get(
        employee__employee_id="10101", cycle__name=demo_data.PREVIOUS_CYCLE
    )
    assert conversation.history.count() > 10
    with django_assert_max_num_queries(10):
        assert admin_client.get(url(Conversation, "change", conversation.pk)).status_code == 200
