"""Who may see and do what on a conversation: the only place that grants, revokes or checks rights.

Rights are held by django-guardian in a direct foreign-key table (ConversationUserObjectPermission).
They are derived from facts (who the employee and leader are, who the employee's manager is, whether
the employee shares history, which deputy grants are active) and brought in line by
`sync_conversation_permissions`, which the services call whenever one of those facts changes.
Deputy rights also need an active grant at the moment of the check, so an expired grant stops working
at once even before `expire_grants` removes its rows.

The same rule as a filter for lists is on the QuerySet (`Conversation.objects.visible_to`,
`models.visible_conditions`), beside the rights' codenames (`models.VIEW`, ...), so the models never
import this module; tests/conversations/test_permissions.py checks that the two agree.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversations.models import (
    COMMENT,
    FINISHED_STATUSES,
    MANAGE,
    RESPOND,
    VIEW,
    Conversation,
    ConversationUserObjectPermission,
    DeputyGrant,
)
from core.errors import NotAllowed
from core.ids import id_or_404, is_id
from organization.models import User

LEADER_PERMS = frozenset({VIEW, MANAGE, COMMENT})
EMPLOYEE_PERMS = frozenset({VIEW, RESPOND, COMMENT})
DEPUTY_PERMS = frozenset({VIEW, COMMENT})
SHARED_HISTORY_PERMS = frozenset({VIEW})
ALL_PERMS = (VIEW, MANAGE, RESPOND, COMMENT)
# Employee proposals (goals.proposals, checked through `goals.permissions.access_proposal`): the
# employee proposes items for the draft, the leader of record decides; deputies neither propose nor
# decide.
PROPOSE = RESPOND
DECIDE_PROPOSAL = MANAGE


# --- checks -------------------------------------------------------------------------------------------


def _is_party(user, conversation: Conversation) -> bool:
    return user.pk in (conversation.employee_id, conversation.leader_id) or (
        conversation.employee.manager_id == user.pk
    )


def _has_active_grant(user, conversation: Conversation) -> bool:
    return (
        DeputyGrant.objects.active()
        .filter(deputy=user)
        .filter(Q(conversation=conversation) | Q(conversation__isnull=True, leader_id=conversation.leader_id))
        .exists()
    )


def rights_holders(conversation: Conversation) -> dict[int, frozenset[str]]:
    """Every right held on `conversation`, by user id, in one query (the rows, before the checks of
    `conversation_perms`)."""
    held = defaultdict(set)
    rows = ConversationUserObjectPermission.objects.filter(content_object_id=conversation.pk).values_list(
        "user_id", "permission__codename"
    )
    for user_id, codename in rows:
        held[user_id].add(codename)
    return {user_id: frozenset(codenames) for user_id, codenames in held.items()}


def conversation_perms(user, conversation: Conversation, holders: dict | None = None) -> frozenset[str]:
    """The rights `user` holds on `conversation` right now. `holders`: `rights_holders(conversation)`,
    when the caller has just read it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if holders is not None:
        codenames = holders.get(user.pk, frozenset())
    else:
        codenames = frozenset(
            ConversationUserObjectPermission.objects.filter(
                user=user, content_object=conversation
            ).values_list("permission__codename", flat=True)
        )
    if codenames and not _is_party(user, conversation) and not _has_active_grant(user, conversation):
        return frozenset()
    return codenames


def require(user, conversation: Conversation, perm: str, holders: dict | None = None) -> frozenset[str]:
    """Raise 404 when `user` may not see the conversation, NotAllowed (403) when it may not act.
    Returns the rights `user` holds, so a caller that needs them again need not ask the database."""
    perms = conversation_perms(user, conversation, holders)
    if VIEW not in perms:
        raise Http404
    if perm not in perms:
        raise NotAllowed()
    return perms


def access_conversation(user, pk, perm: str = VIEW) -> Conversation:
    """The conversation `pk` if `user` may see it (and hold `perm`); the same 404 when missing or hidden."""
    return conversation_access(user, pk, perm).conversation


@dataclass(frozen=True)
class Access:
    """What `conversation_access` read: valid for one request (anything that changes rights afterwards
    must read them again)."""

    conversation: Conversation
    perms: frozenset[str]  # the caller's rights
    holders: dict[int, frozenset[str]]  # every right held on the conversation, by user id


ACCESS_RELATED = ("employee", "leader", "cycle", "unit", "confirmed_version")


def _conversation_with(related: tuple[str, ...], pk) -> Conversation:
    """The conversation `pk` with `related` joined; 404 when there is none (also for an id no row can
    have)."""
    pk = id_or_404(pk)
    rows = list(Conversation.objects.select_related(*related).filter(pk=pk))
    if not rows:
        raise Http404
    return rows[0]


def conversation_access(user, pk, perm: str = VIEW, related: tuple[str, ...] = ACCESS_RELATED) -> Access:
    """`access_conversation`, keeping the rights it read so the response need not read them again.
    `related`: the relations to load with the row; the checks need only the employee."""
    conversation = _conversation_with(related, pk)
    holders = rights_holders(conversation)
    return Access(conversation, require(user, conversation, perm, holders), holders)


def access_item(user, model, pk, perm: str = VIEW):
    """A contract item (goal, task, expectation) through its conversation's rights."""
    try:
        item = model.objects.select_related("conversation__employee", "conversation__leader").get(pk=int(pk))
    except (model.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404 from None
    require(user, item.conversation, perm)
    return item


NOT_YOUR_REPORT = _("You can only create conversations with your own direct reports.")


def access_own_report(leader, pk) -> User:
    """One of `leader`'s active direct reports, whom a conversation can be created with. Anyone else
    is refused with the same NotAllowed whether `pk` names someone, someone who has left, or nobody
    (also an id no row can have), so the answer never tells whether an id exists."""
    try:
        pk = int(pk)
    except (TypeError, ValueError, OverflowError):
        raise NotAllowed(NOT_YOUR_REPORT) from None
    report = User.objects.filter(pk=pk, manager=leader, is_active=True).first() if is_id(pk) else None
    if report is None:
        raise NotAllowed(NOT_YOUR_REPORT)
    return report


def can(user, conversation: Conversation, perm: str) -> bool:
    return perm in conversation_perms(user, conversation)


# --- grants (called only from services) -----------------------------------------------------------------


def _permission_ids() -> dict[str, int]:
    content_type = ContentType.objects.get_for_model(Conversation)
    return dict(
        Permission.objects.filter(content_type=content_type, codename__in=ALL_PERMS).values_list(
            "codename", "id"
        )
    )


def _active_grants_by_leader(leader_ids: Iterable[int]) -> dict[int, list[DeputyGrant]]:
    grants = defaultdict(list)
    today = timezone.localdate()
    for grant in DeputyGrant.objects.active(today).filter(leader_id__in=set(leader_ids)):
        grants[grant.leader_id].append(grant)
    return grants


def desired_perms(conversation: Conversation, grants_by_leader) -> dict[int, set[str]]:
    """The rights each user should hold on `conversation`, derived from the facts."""
    employee = conversation.employee
    wanted: dict[int, set[str]] = defaultdict(set)
    wanted[employee.pk] |= EMPLOYEE_PERMS
    holder = None
    # Only the current manager holds the leader's rights: a former one loses them at once, also when the
    # employee is left without a manager (open conversations are moved to the new manager beforehand).
    if conversation.leader_id == employee.manager_id:
        holder = conversation.leader_id
        wanted[holder] |= LEADER_PERMS
    elif conversation.status in FINISHED_STATUSES and employee.manager_id and employee.shares_history:
        wanted[employee.manager_id] |= SHARED_HISTORY_PERMS
    for grant in grants_by_leader.get(holder, ()):
        if grant.conversation_id in (None, conversation.pk) and grant.deputy_id != employee.pk:
            wanted[grant.deputy_id] |= DEPUTY_PERMS
    return wanted


def _locked_for_sync(conversations: list[Conversation]) -> list[Conversation]:
    """The conversations re-read (with their employee) under a row lock held until the transaction
    ends, taken in primary-key order so two syncs over overlapping sets cannot deadlock. Two syncs of one
    conversation then run one after the other, the second reading the facts and rights the first
    committed: it neither inserts a row the first inserted (a unique violation) nor drops the first
    one's rights as stale."""
    return list(
        Conversation.objects.select_for_update(of=("self",))
        .select_related("employee")
        .filter(pk__in={c.pk for c in conversations})
        .order_by("pk")
    )


@transaction.atomic
def sync_conversation_permissions(conversations: Iterable[Conversation]) -> None:
    """Bring the permission rows of `conversations` in line with the facts: add missing, drop the rest.

    Works from the conversations' rows as committed (or written by the caller's transaction), read
    again under a lock held for the rest of that transaction (`_locked_for_sync`), so concurrent syncs
    of one conversation are safe. Runs in a constant number of queries whatever the number of
    conversations.
    """
    conversations = list(conversations)
    if not conversations:
        return
    conversations = _locked_for_sync(conversations)
    ids = _permission_ids()
    grants = _active_grants_by_leader(c.leader_id for c in conversations)
    wanted = {
        (c.pk, user_id, ids[codename])
        for c in conversations
        for user_id, codenames in desired_perms(c, grants).items()
        for codename in codenames
    }
    existing = {
        (row["content_object_id"], row["user_id"], row["permission_id"]): row["id"]
        for row in ConversationUserObjectPermission.objects.filter(
            content_object__in=[c.pk for c in conversations]
        ).values("id", "content_object_id", "user_id", "permission_id")
    }
    stale = [row_id for key, row_id in existing.items() if key not in wanted]
    if stale:
        ConversationUserObjectPermission.objects.filter(id__in=stale).delete()
    ConversationUserObjectPermission.objects.bulk_create(
        [
            ConversationUserObjectPermission(content_object_id=c, user_id=u, permission_id=p)
            for (c, u, p) in wanted - existing.keys()
        ],
        batch_size=1000,
    )
