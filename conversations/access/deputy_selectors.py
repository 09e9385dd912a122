"""The deputy grants' reads: who stands in for a leader, on which conversations, and whom a leader may
choose. They return querysets or lists and never write."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from conversations.models import Conversation, DeputyGrant
from organization import selectors as people

DEPUTY_SEARCH_MIN_LENGTH = 2
DEPUTY_SEARCH_LIMIT = 10


def active_deputy_grants(conversation: Conversation, holders: dict | None = None) -> list[DeputyGrant]:
    """The deputy grants that give access to `conversation` today, soonest end first.

    Mirrors `permissions.desired_perms`: only the current manager's grants count. Both the leader and
    the employee see who holds one, so nobody reads a conversation unseen. `holders`: the rights held
    on the conversation (`permissions.rights_holders`); an active grant always comes with rights for
    its deputy, so when nobody but the parties holds any, there is nothing to look up."""
    if conversation.leader_id != conversation.employee.manager_id:
        return []
    if holders is not None and not set(holders) - {conversation.employee_id, conversation.leader_id}:
        return []
    return list(
        DeputyGrant.objects.active()
        .filter(leader_id=conversation.leader_id)
        .filter(Q(conversation=conversation) | Q(conversation__isnull=True))
        .exclude(deputy_id=conversation.employee_id)
        .select_related("deputy")
        .order_by("until", "id")
    )


def deputy_grants(user) -> QuerySet:
    """Grants the user gave as leader or received as deputy: both parties see a grant."""
    return (
        DeputyGrant.objects.filter(Q(leader=user) | Q(deputy=user))
        .annotate(deputy_leads=Exists(people.leaders().filter(pk=OuterRef("deputy"))))
        .select_related("leader", "deputy")
        .order_by("-created_at", "-id")
    )


def grants_given(leader) -> QuerySet:
    return (
        DeputyGrant.objects.filter(leader=leader)
        .select_related("deputy", "conversation__employee")
        .order_by("ended_at", "-created_at")
    )


def grants_received(user) -> QuerySet:
    return (
        DeputyGrant.objects.active()
        .filter(deputy=user)
        .select_related("leader", "conversation__employee")
        .order_by("until")
    )


def deputy_choices(leader) -> QuerySet:
    """Everyone `leader` may choose as a deputy: the active leaders but themself (the service decides
    the rest per grant: not the employee of a conversation the grant covers)."""
    return people.leaders().exclude(pk=leader.pk)


def deputy_candidates(leader, query: str) -> list:
    """Up to DEPUTY_SEARCH_LIMIT of `deputy_choices` whose name contains `query`, or whose employee id
    is `query`; nobody for a query shorter than DEPUTY_SEARCH_MIN_LENGTH. One query."""
    query = (query or "").strip()
    if len(query) < DEPUTY_SEARCH_MIN_LENGTH:
        return []
    matches = deputy_choices(leader).filter(Q(full_name__icontains=query) | Q(employee_id__iexact=query))
    return list(matches.select_related("unit").order_by("full_name", "pk")[:DEPUTY_SEARCH_LIMIT])
