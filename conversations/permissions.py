"""Who may see and do what on a conversation: the only place that grants, revokes or checks rights.

Rights are held by django-guardian in a direct foreign-key table (ConversationUserObjectPermission).
They are derived from facts (who the employee and leader are, who the employee's manager is, whether
the employee shares history, which deputy grants are active) and brought in line by
`sync_conversation_permissions`, which the services call whenever one of those facts changes.
Deputy rights also need an active grant at the moment of the check, so an expired grant stops working
at once even before `expire_grants` removes its rows.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from conversations.models import (
    FINISHED_STATUSES,
    Conversation,
    ConversationUserObjectPermission,
    DeputyGrant,
)
from core.errors import NotAllowed

VIEW = "view_conversation"
MANAGE = "manage_conversation"
RESPOND = "respond_conversation"
COMMENT = "comment_conversation"

LEADER_PERMS = frozenset({VIEW, MANAGE, COMMENT})
EMPLOYEE_PERMS = frozenset({VIEW, RESPOND, COMMENT})
DEPUTY_PERMS = frozenset({VIEW, COMMENT})
SHARED_HISTORY_PERMS = frozenset({VIEW})
ALL_PERMS = (VIEW, MANAGE, RESPOND, COMMENT)


# --- checks -------------------------------------------------------------------------------------------


def _active_grant_filter(user, today, conversation_ref="pk", leader_ref="leader"):
    return DeputyGrant.objects.filter(deputy=user, ended_at__isnull=True, until__gte=today).filter(
        Q(conversation=OuterRef(conversation_ref)) | Q(conversation__isnull=True, leader=OuterRef(leader_ref))
    )


def visible_conversation_filter(user) -> Q:
    """A filter for the conversations `user` may see; used by `Conversation.objects.visible_to`."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    granted = ConversationUserObjectPermission.objects.filter(user=user, permission__codename=VIEW)
    party = Q(employee=user) | Q(leader=user) | Q(employee__manager=user)
    deputy = Exists(_active_grant_filter(user, timezone.localdate()))
    return Q(pk__in=granted.values("content_object_id")) & (party | deputy)


def _is_party(user, conversation: Conversation) -> bool:
    return user.pk in (conversation.employee_id, conversation.leader_id) or (
        conversation.employee.manager_id == user.pk
    )


def _has_active_grant(user, conversation: Conversation) -> bool:
    return (
        DeputyGrant.objects.filter(deputy=user, ended_at__isnull=True, until__gte=timezone.localdate())
        .filter(Q(conversation=conversation) | Q(conversation__isnull=True, leader_id=conversation.leader_id))
        .exists()
    )


def conversation_perms(user, conversation: Conversation) -> frozenset[str]:
    """The rights `user` holds on `conversation` right now."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    codenames = frozenset(
        ConversationUserObjectPermission.objects.filter(user=user, content_object=conversation).values_list(
            "permission__codename", flat=True
        )
    )
    if codenames and not _is_party(user, conversation) and not _has_active_grant(user, conversation):
        return frozenset()
    return codenames


def require(user, conversation: Conversation, perm: str) -> None:
    """Raise 404 when `user` may not see the conversation, NotAllowed (403) when it may not act."""
    perms = conversation_perms(user, conversation)
    if VIEW not in perms:
        raise Http404
    if perm not in perms:
        raise NotAllowed()


def access_conversation(user, pk, perm: str = VIEW) -> Conversation:
    """The conversation `pk` if `user` may see it (and hold `perm`); the same 404 when missing or hidden."""
    try:
        conversation = Conversation.objects.select_related(
            "employee", "leader", "cycle", "unit", "confirmed_version"
        ).get(pk=int(pk))
    except (Conversation.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404 from None
    require(user, conversation, perm)
    return conversation


def access_item(user, model, pk, perm: str = VIEW):
    """A contract item (goal, task, expectation) through its conversation's rights."""
    try:
        item = model.objects.select_related("conversation__employee", "conversation__leader").get(pk=int(pk))
    except (model.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404 from None
    require(user, item.conversation, perm)
    return item


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
    for grant in DeputyGrant.objects.filter(
        leader_id__in=set(leader_ids), ended_at__isnull=True, until__gte=today
    ):
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


def sync_conversation_permissions(conversations: Iterable[Conversation]) -> None:
    """Bring the permission rows of `conversations` in line with the facts: add missing, drop the rest.

    The conversations must have `employee` loaded (select_related). Runs in a constant number of
    queries whatever the number of conversations.
    """
    conversations = list(conversations)
    if not conversations:
        return
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
