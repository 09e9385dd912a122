"""The permission matrix from DESIGN.md "Roles and who may do what": every role against every action.

Invisible means Http404 (exactly as if the conversation did not exist); visible but not allowed means
NotAllowed (403).
"""

import datetime
from dataclasses import dataclass

import pytest
from django.http import Http404
from django.utils import timezone

from conversations.access.permissions import (
    COMMENT,
    MANAGE,
    RESPOND,
    VIEW,
    access_conversation,
    access_item,
    can,
)
from conversations.contract import workflow
from conversations.models import Conversation, ConversationUserObjectPermission, DeputyGrant, Status
from conversations.services import (
    comment_create,
    conversation_create,
    deputy_grant_end,
    expire_grants,
    follow_up_create,
    history_share_set,
)
from core.errors import InvalidInput, NotAllowed
from goals.models import Goal
from goals.services import goal_create, item_update
from tests import factories
from tests.factories import conversation_in, grant_deputy
from tests.workflow import change_manager, confirm_latest, expire_grants_of, snapshot

pytestmark = pytest.mark.django_db

OK, DENY, HIDE = "ok", "403 NotAllowed", "404 Http404"


@dataclass
class World:
    leader: object
    employee: object
    conversation: Conversation


# --- roles: each sets itself up in the world and returns the acting user --------------------------


def _other_leader(world):
    leader, _employee = factories.make_pair()
    return leader


def _former_leader(world):
    return change_manager(world.employee, factories.LeaderFactory())


def _new_leader(world):
    new = factories.LeaderFactory()
    change_manager(world.employee, new)
    return new


def _expired_deputy(world):
    deputy = grant_deputy(world.leader)
    expire_grants_of(deputy)
    return deputy


ROLES = {
    "leader": lambda w: w.leader,
    "employee": lambda w: w.employee,
    "other_employee": lambda w: factories.UserFactory(),
    "other_leader": _other_leader,
    "hr": lambda w: factories.HRFactory(),
    "deputy": lambda w: grant_deputy(w.leader),
    "deputy_for_this_one": lambda w: grant_deputy(w.leader, conversation=w.conversation),
    "expired_deputy": _expired_deputy,
    "former_leader": _former_leader,
    "new_leader": _new_leader,
}


# --- actions: (status the conversation needs, what the actor does) --------------------------------


ACTIONS = {
    "view": (Status.DRAFT, lambda w, a: access_conversation(a, w.conversation.pk)),
    "view_item": (Status.DRAFT, lambda w, a: access_item(a, Goal, w.conversation.goals.get().pk)),
    "create": (
        Status.DRAFT,
        lambda w, a: conversation_create(actor=a, employee=w.employee),
    ),
    "edit_add": (
        Status.DRAFT,
        lambda w, a: goal_create(conversation=w.conversation, actor=a, title="Nytt", kind="relational"),
    ),
    "edit_update": (
        Status.DRAFT,
        lambda w, a: item_update(item=w.conversation.goals.get(), actor=a, title="Endret"),
    ),
    "submit": (
        Status.DRAFT,
        lambda w, a: workflow.conversation_submit(conversation_id=w.conversation.pk, actor=a),
    ),
    "confirm": (Status.AWAITING_CONFIRMATION, lambda w, a: confirm_latest(w.conversation, a)),
    "request_changes": (
        Status.AWAITING_CONFIRMATION,
        lambda w, a: workflow.conversation_request_changes(
            conversation_id=w.conversation.pk, actor=a, comment="Uklart"
        ),
    ),
    "comment": (
        Status.DRAFT,
        lambda w, a: comment_create(conversation=w.conversation, actor=a, text="En kommentar"),
    ),
    "follow_up": (
        Status.CONFIRMED,
        lambda w, a: follow_up_create(conversation=w.conversation, actor=a, text="Er vi på rett vei?"),
    ),
    "amend": (
        Status.CONFIRMED,
        lambda w, a: workflow.conversation_amend(conversation_id=w.conversation.pk, actor=a),
    ),
}

# One row per role, one column per action, exactly as DESIGN.md's table. `create` makes a new conversation
# for the employee, so there is no object to hide: everyone but the manager gets 403.
# "former_leader" is the employee's manager before an org import moved them; "new_leader" the one after.
COLUMNS = ("view", "view_item", "create", "edit_add", "edit_update", "submit", "confirm", "request_changes",
           "comment", "follow_up", "amend")  # fmt: skip
MATRIX = {
    #                       view  item  create add   update submit confirm req_ch comment follow amend
    "leader":              (OK,   OK,   OK,    OK,   OK,    OK,    DENY,   DENY,  OK,     OK,    OK),
    "employee":            (OK,   OK,   DENY,  DENY, DENY,  DENY,  OK,     OK,    OK,     OK,    DENY),
    "other_employee":      (HIDE, HIDE, DENY,  HIDE, HIDE,  HIDE,  HIDE,   HIDE,  HIDE,   HIDE,  HIDE),
    "other_leader":        (HIDE, HIDE, DENY,  HIDE, HIDE,  HIDE,  HIDE,   HIDE,  HIDE,   HIDE,  HIDE),
    "hr":                  (HIDE, HIDE, DENY,  HIDE, HIDE,  HIDE,  HIDE,   HIDE,  HIDE,   HIDE,  HIDE),
    "deputy":              (OK,   OK,   DENY,  DENY, DENY,  DENY,  DENY,   DENY,  OK,     OK,    DENY),
    "deputy_for_this_one": (OK,   OK,   DENY,  DENY, DENY,  DENY,  DENY,   DENY,  OK,     OK,    DENY),
    "expired_deputy":      (HIDE, HIDE, DENY,  HIDE, HIDE,  HIDE,  HIDE,   HIDE,  HIDE,   HIDE,  HIDE),
    "former_leader":       (HIDE, HIDE, DENY,  HIDE, HIDE,  HIDE,  HIDE,   HIDE,  HIDE,   HIDE,  HIDE),
    "new_leader":          (OK,   OK,   OK,    OK,   OK,    OK,    DENY,   DENY,  OK,     OK,    OK),
}  # fmt: skip

CASES = [
    pytest.param(role, action, expected, id=f"{role}-{action}")
    for role, row in MATRIX.items()
    for action, expected in zip(COLUMNS, row, strict=True)
]


def outcome(call) -> str:
    try:
        call()
    except Http404:
        return HIDE
    except NotAllowed:
        return DENY
    return OK


def test_matrix_is_complete():
    assert set(MATRIX) == set(ROLES)
    assert set(COLUMNS) == set(ACTIONS)


@pytest.mark.parametrize(("role", "action", "expected"), CASES)
def test_permission_matrix(role, action, expected):
    status, act = ACTIONS[action]
    conversation = conversation_in(status)
    world = World(conversation.leader, conversation.employee, conversation)
    actor = ROLES[role](world)
    conversation.refresh_from_db()
    before = snapshot(conversation)
    conversations_before = Conversation.objects.count()

    assert outcome(lambda: act(world, actor)) == expected

    if expected != OK:
        assert snapshot(conversation) == before
        assert Conversation.objects.count() == conversations_before


# --- visible_to agrees with the checks ------------------------------------------------------------


@pytest.fixture
def org(db):
    """Leader L with employees E (conversation a) and E2 (conversation b); leader OL with E3 (c)."""
    leader, employee = factories.make_pair()
    employee2 = factories.UserFactory(unit=leader.unit, manager=leader)
    other_leader, employee3 = factories.make_pair()
    conversations = {
        "a": conversation_in(Status.CONFIRMED, leader=leader, employee=employee),
        "b": conversation_in(Status.DRAFT, leader=leader, employee=employee2),
        "c": conversation_in(Status.AWAITING_CONFIRMATION, leader=other_leader, employee=employee3),
    }
    return {"L": leader, "E": employee, "E2": employee2, "OL": other_leader, "E3": employee3, **conversations}


def _visible_setup(org, role):
    world = World(org["L"], org["E"], org["a"])
    if role in ("L", "E", "E2", "OL", "E3"):
        return org[role]
    return ROLES[role](world)


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("L", "ab"),
        ("E", "a"),
        ("E2", "b"),
        ("OL", "c"),
        ("E3", "c"),
        ("other_employee", ""),
        ("hr", ""),
        ("deputy", "ab"),
        ("deputy_for_this_one", "a"),
        ("expired_deputy", ""),
        ("former_leader", "b"),
        ("new_leader", "a"),
    ],
)
def test_visible_to(org, role, visible):
    user = _visible_setup(org, role)
    expected = {org[name].pk for name in visible}
    assert set(Conversation.objects.visible_to(user).values_list("pk", flat=True)) == expected
    for name in "abc":
        assert can(user, org[name], VIEW) == (org[name].pk in expected)


def test_visible_to_anonymous_is_empty(org):
    from django.contrib.auth.models import AnonymousUser

    assert not Conversation.objects.visible_to(AnonymousUser()).exists()
    with pytest.raises(Http404):
        access_conversation(AnonymousUser(), org["a"].pk)


@pytest.mark.parametrize("pk", [0, 999_999, "abc", None, 2**70])
def test_missing_conversation_is_the_same_404(org, pk):
    with pytest.raises(Http404):
        access_conversation(org["L"], pk)


# --- deputies -------------------------------------------------------------------------------------


def _deputy_rows(deputy):
    return ConversationUserObjectPermission.objects.filter(user=deputy)


def test_expired_grant_is_refused_at_once_and_expire_grants_removes_the_rows(org):
    deputy = grant_deputy(org["L"])
    assert set(_deputy_rows(deputy).values_list("permission__codename", flat=True)) == {VIEW, COMMENT}
    assert access_conversation(deputy, org["a"].pk) == org["a"]

    expire_grants_of(deputy)
    with pytest.raises(Http404):
        access_conversation(deputy, org["a"].pk)
    assert not Conversation.objects.visible_to(deputy).exists()
    assert _deputy_rows(deputy).exists()  # the rows linger until the job runs, but they no longer count

    assert expire_grants() == 1
    assert not _deputy_rows(deputy).exists()
    assert DeputyGrant.objects.get(deputy=deputy).ended_at is not None
    assert expire_grants() == 0


def test_grant_lasts_through_its_last_day(org):
    deputy = grant_deputy(org["L"], days=0)
    assert expire_grants() == 0
    assert access_conversation(deputy, org["a"].pk) == org["a"]


def test_ending_a_grant_removes_access_at_once(org):
    deputy = grant_deputy(org["L"])
    grant = DeputyGrant.objects.get(deputy=deputy)
    with pytest.raises(NotAllowed):
        deputy_grant_end(grant=grant, actor=org["OL"])
    deputy_grant_end(grant=grant, actor=org["L"])
    assert not _deputy_rows(deputy).exists()
    with pytest.raises(Http404):
        access_conversation(deputy, org["a"].pk)


def test_grant_reaches_conversations_created_later(org):
    deputy = grant_deputy(org["L"])
    new_employee = factories.UserFactory(manager=org["L"])
    conversation = factories.make_conversation(leader=org["L"], employee=new_employee)
    assert access_conversation(deputy, conversation.pk) == conversation


def test_deputy_of_the_former_leader_loses_access_on_manager_change(org):
    deputy = grant_deputy(org["L"])
    change_manager(org["E"], factories.LeaderFactory())
    with pytest.raises(Http404):
        access_conversation(deputy, org["a"].pk)
    assert access_conversation(deputy, org["b"].pk) == org["b"]


def test_an_employee_cannot_be_made_deputy_of_their_own_leader(org):
    """A leader could name one of their own reports deputy of all their conversations, who then read
    the colleagues' ones (issue 13). Deputies are other leaders (DESIGN.md): refused, nothing granted."""
    from conversations.services import deputy_grant_create

    until = timezone.localdate() + datetime.timedelta(days=3)
    for conversation in (None, org["a"]):
        with pytest.raises(InvalidInput):
            deputy_grant_create(leader=org["L"], deputy=org["E"], until=until, conversation=conversation)
    assert not DeputyGrant.objects.exists()
    assert can(org["E"], org["a"], RESPOND)
    assert not can(org["E"], org["a"], MANAGE)
    assert not can(org["E"], org["b"], VIEW)


# --- manager change and shared history ------------------------------------------------------------


def test_manager_change_moves_open_conversations_and_keeps_closed_ones_private():
    leader, employee = factories.make_pair()
    closed = conversation_in(Status.CLOSED, leader=leader, employee=employee)
    open_ = conversation_in(Status.DRAFT, leader=leader, employee=employee)
    new_leader = factories.LeaderFactory()

    change_manager(employee, new_leader)
    closed.refresh_from_db()
    open_.refresh_from_db()
    assert open_.leader == new_leader
    assert closed.leader == leader  # a conversation still records which leader held it
    for conversation in (closed, open_):
        with pytest.raises(Http404):
            access_conversation(leader, conversation.pk)
        assert access_conversation(employee, conversation.pk) == conversation
    assert can(new_leader, open_, MANAGE)
    with pytest.raises(Http404):
        access_conversation(new_leader, closed.pk)

    history_share_set(employee=employee, shared=True)
    assert access_conversation(new_leader, closed.pk) == closed
    with pytest.raises(NotAllowed):
        access_conversation(new_leader, closed.pk, MANAGE)
    with pytest.raises(NotAllowed):
        comment_create(conversation=closed, actor=new_leader, text="Hei")
    assert set(Conversation.objects.visible_to(new_leader)) == {closed, open_}
    with pytest.raises(Http404):
        access_conversation(leader, closed.pk)

    history_share_set(employee=employee, shared=False)
    with pytest.raises(Http404):
        access_conversation(new_leader, closed.pk)
    assert set(Conversation.objects.visible_to(new_leader)) == {open_}


def test_returning_to_the_former_leader_restores_closed_conversations():
    leader, employee = factories.make_pair()
    closed = conversation_in(Status.CLOSED, leader=leader, employee=employee)
    change_manager(employee, factories.LeaderFactory())
    change_manager(employee, leader)
    assert can(leader, closed, VIEW)


def test_employee_left_without_manager_cuts_the_former_leader_off():
    leader, employee = factories.make_pair()
    conversation = conversation_in(Status.CONFIRMED, leader=leader, employee=employee)
    change_manager(employee, None)
    with pytest.raises(Http404):
        access_conversation(leader, conversation.pk)
    assert conversation.pk not in Conversation.objects.visible_to(leader).values_list("pk", flat=True)
    assert access_conversation(employee, conversation.pk) == conversation


def test_inactive_user_sees_nothing(org):
    org["E"].is_active = False
    org["E"].save()
    with pytest.raises(Http404):
        access_conversation(org["E"], org["a"].pk)
    assert not Conversation.objects.visible_to(org["E"]).exists()
