"""Reads for the API and pages: list querysets with their joins, the loaded detail, the personal export.

Every function here returns querysets or loaded objects and never writes. Lists are built so that
their query count does not grow with their length.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from conversations.models import (
    FINISHED_STATUSES,
    AccessLogEntry,
    AgendaPoint,
    Comment,
    ContractVersion,
    Conversation,
    Cycle,
    DeputyGrant,
    FollowUp,
    HistoryEntry,
    ItemResponse,
    Status,
)
from conversations.permissions import (
    COMMENT,
    MANAGE,
    RESPOND,
    Access,
    conversation_perms,
)
from conversations.workflow import TRANSITIONS, allowed_transitions
from goals.models import Expectation, Goal, Proposal, Task
from organization import selectors as people

PERSON_FIELDS = ("employee", "leader", "cycle", "unit")

# Transitions the API exposes; `revise` happens by itself when the leader edits after a change request.
API_TRANSITIONS = ("submit", "confirm", "request_changes", "amend", "close", "cancel")


# --- conversations --------------------------------------------------------------------------------------


def conversation_list(
    *, user, status: str | None = None, cycle: int | None = None, employee: int | None = None
):
    """The conversations `user` may see, newest first, optionally filtered."""
    queryset = Conversation.objects.visible_to(user).select_related(*PERSON_FIELDS)
    if status:
        queryset = queryset.filter(status=status)
    if cycle is not None:
        queryset = queryset.filter(cycle_id=cycle)
    if employee is not None:
        queryset = queryset.filter(employee_id=employee)
    return queryset.order_by("-created_at", "-id")


def visible_conversation_ids(
    *, user, status: str | None = None, cycle: int | None = None, employee: int | None = None
) -> list[int]:
    """The ids of `conversation_list(...)` with the same arguments, in its order.

    With `conversations_in_order`, the API's list in two short queries rather than one long one:
    PostgreSQL plans the visibility conditions together with the joins of the page in several times
    the time it plans them apart, and the number of ids is the count the page needs."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    given = {"status": status or None, "cycle_id": cycle, "employee_id": employee}
    given = {name: value for name, value in given.items() if value is not None}
    visible = Conversation.objects.visible_ids(user.pk, timezone.localdate())
    queryset = Conversation.objects.filter(pk__in=visible)
    return list(queryset.filter(**given).order_by("-created_at", "-id").values_list("pk", flat=True))


# What a list shows of each conversation (`ConversationSerializer`): only these columns are read, which
# halves the cost of turning a page of rows into objects.
LIST_FIELDS = (
    *("status", "scheduled_at", "held_on", "first_submitted_at", "confirmed_at", "closed_at", "revision"),
    *("created_at", "updated_at", *PERSON_FIELDS, "cycle__name", "cycle__starts_on", "cycle__deadline"),
    "cycle__check_in_days",
    *("cycle__template", "unit__name", "unit__path"),
    *(f"{person}__{field}" for person in ("employee", "leader") for field in ("employee_id", "full_name")),
)


def conversations_in_order(ids: list[int]) -> list[Conversation]:
    """The conversations `ids`, with the rows a list shows joined, in the order of `ids`."""
    by_pk = Conversation.objects.select_related(*PERSON_FIELDS).only(*LIST_FIELDS).in_bulk(ids)
    return [by_pk[pk] for pk in ids if pk in by_pk]


def load_conversation(pk: int) -> Conversation:
    """One conversation with the rows its detail shows joined; for re-reading after a write."""
    return Conversation.objects.select_related(*PERSON_FIELDS, "confirmed_version").get(pk=pk)


def _latest_follow_up(item_field: str, value_field: str, *, skip_blank: bool) -> Subquery:
    entries = FollowUp.objects.filter(**{item_field: OuterRef("pk")})
    entries = entries.exclude(**{value_field: ""}) if skip_blank else entries.exclude(**{value_field: None})
    return Subquery(entries.order_by("-created_at", "-id").values(value_field)[:1])


def goals_with_status(queryset: QuerySet | None = None) -> QuerySet:
    """Goals annotated with the item status and progress of their latest follow-up entry."""
    queryset = Goal.objects.all() if queryset is None else queryset
    return queryset.annotate(
        latest_status=_latest_follow_up("goal", "item_status", skip_blank=True),
        latest_progress=_latest_follow_up("goal", "progress", skip_blank=False),
    ).order_by("order", "id")


def version_summaries() -> QuerySet:
    """Versions without their (large) content, with the time of their confirmation (or None)."""
    return (
        ContractVersion.objects.defer("canonical_json")
        .annotate(confirmed_at=F("confirmation__confirmed_at"))
        .order_by("number")
    )


def contract_prefetches() -> list[Prefetch]:
    """What a conversation detail shows besides the row itself, for many conversations at once: items
    and version summaries, in the attributes `load_contract` fills for one."""
    return [
        Prefetch("tasks", queryset=Task.objects.order_by("order", "id"), to_attr="task_list"),
        Prefetch("goals", queryset=goals_with_status(), to_attr="goal_list"),
        Prefetch(
            "expectations", queryset=Expectation.objects.order_by("order", "id"), to_attr="expectation_list"
        ),
        Prefetch("versions", queryset=version_summaries(), to_attr="version_list"),
    ]


def _tasks_of(conversation_id):
    return Task.objects.filter(conversation_id=conversation_id).order_by("order", "id")


def _goals_of(conversation_id):
    return goals_with_status(Goal.objects.filter(conversation_id=conversation_id))


def _expectations_of(conversation_id):
    return Expectation.objects.filter(conversation_id=conversation_id).order_by("order", "id")


def _versions_of(conversation_id):
    return version_summaries().filter(conversation_id=conversation_id)


def load_contract(conversation: Conversation) -> None:
    """`contract_prefetches` for one conversation (a detail request): the same four queries."""
    pk = conversation.pk
    conversation.task_list = list(_tasks_of(pk))
    conversation.goal_list = list(_goals_of(pk))
    conversation.expectation_list = list(_expectations_of(pk))
    conversation.version_list = list(_versions_of(pk))


def allowed_actions(user, conversation: Conversation, perms: frozenset[str] | None = None) -> list[str]:
    """What `user` may do on `conversation` now, as the names the API uses for them. `perms`: the rights
    `user` holds, when the caller has just read them (`permissions.conversation_access`)."""
    perms = conversation_perms(user, conversation) if perms is None else perms
    actions = [
        name
        for name in allowed_transitions(conversation)
        if name in API_TRANSITIONS and TRANSITIONS[name].permission in perms
    ]
    finished = conversation.status in FINISHED_STATUSES
    confirmed_once = conversation.confirmed_version_id is not None
    extra = {
        "update": MANAGE in perms and not finished,
        "edit_items": MANAGE in perms and conversation.is_editable,
        "respond": RESPOND in perms and conversation.status == Status.AWAITING_CONFIRMATION,
        "statement": RESPOND in perms and confirmed_once,
        "comment": COMMENT in perms and not finished,
        "add_agenda_point": COMMENT in perms and not finished,
        "follow_up": COMMENT in perms and confirmed_once and not finished,
    }
    return actions + [name for name, allowed in extra.items() if allowed]


def conversation_detail(
    *, conversation: Conversation, user, access: Access | None = None, load=load_contract
) -> Conversation:
    """`conversation` with its items, version summaries and the caller's allowed actions loaded.
    `access`: what `permissions.conversation_access` read for this request, to use instead of reading
    the rights again; `load`: what loads the items and versions (`fast_reads.load_contract` for the
    API's detail)."""
    load(conversation)
    conversation.allowed_actions = allowed_actions(user, conversation, access.perms if access else None)
    conversation.active_deputies = active_deputy_grants(conversation, access.holders if access else None)
    return conversation


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


def item_detail(model, item):
    """A goal with its latest follow-up status; tasks and expectations need nothing more."""
    if model is Goal:
        return goals_with_status(Goal.objects.filter(pk=item.pk)).get()
    return item


# --- the dialogue around a conversation -----------------------------------------------------------------

_AUTHOR = ("author",)


def versions(conversation: Conversation) -> QuerySet:
    return (
        ContractVersion.objects.filter(conversation=conversation)
        .select_related("confirmation", "submitted_by")
        .order_by("number")
    )


def comments(conversation: Conversation) -> QuerySet:
    return (
        Comment.objects.filter(conversation=conversation)
        .select_related(*_AUTHOR)
        .order_by("created_at", "id")
    )


def agenda_points(conversation: Conversation, user) -> QuerySet:
    """Shared points and the caller's own private ones; nobody sees another person's preparation."""
    return (
        AgendaPoint.objects.filter(conversation=conversation)
        .filter(Q(shared=True) | Q(author=user))
        .select_related(*_AUTHOR)
        .order_by("order", "created_at", "id")
    )


def responses(conversation: Conversation) -> QuerySet:
    return (
        ItemResponse.objects.filter(conversation=conversation)
        .select_related("version", *_AUTHOR)
        .order_by("created_at", "id")
    )


def follow_ups(conversation: Conversation) -> QuerySet:
    return (
        FollowUp.objects.filter(conversation=conversation)
        .select_related(*_AUTHOR, "answered_by")
        .order_by("created_at", "id")
    )


def history(conversation: Conversation) -> QuerySet:
    return (
        HistoryEntry.objects.filter(conversation=conversation)
        .select_related("actor")
        .order_by("created_at", "id")
    )


def access_log(conversation: Conversation) -> QuerySet:
    return AccessLogEntry.objects.filter(conversation=conversation).select_related("user")


# --- people, cycles, deputies ---------------------------------------------------------------------------


def direct_reports(user) -> QuerySet:
    return user.reports.filter(is_active=True).select_related("unit").order_by("full_name", "id")


def cycles() -> QuerySet:
    return Cycle.objects.order_by("-starts_on", "-id")


def deputy_grants(user) -> QuerySet:
    """Grants the user gave as leader or received as deputy: both parties see a grant."""
    return (
        DeputyGrant.objects.filter(Q(leader=user) | Q(deputy=user))
        .annotate(deputy_leads=Exists(people.leaders().filter(pk=OuterRef("deputy"))))
        .select_related("leader", "deputy")
        .order_by("-created_at", "-id")
    )


# --- the personal export --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonalExport:
    """Everything stored about one person, as loaded objects for the export serializer."""

    profile: object
    conversations: list = field(default_factory=list)
    led_conversations: list = field(default_factory=list)
    comments_elsewhere: list = field(default_factory=list)
    follow_ups_elsewhere: list = field(default_factory=list)
    agenda_points_elsewhere: list = field(default_factory=list)
    deputy_grants: list = field(default_factory=list)
    access_log_entries_by_me: list = field(default_factory=list)
    proposals: list = field(default_factory=list)
    generated_at: object = None


def _own_conversation_prefetches(user) -> list[Prefetch]:
    return [
        *contract_prefetches(),
        Prefetch(
            "versions",
            queryset=ContractVersion.objects.select_related("confirmation", "submitted_by").order_by(
                "number"
            ),
            to_attr="full_versions",
        ),
        Prefetch(
            "comments",
            queryset=Comment.objects.select_related(*_AUTHOR).order_by("created_at", "id"),
            to_attr="comment_list",
        ),
        Prefetch(
            "responses",
            queryset=ItemResponse.objects.select_related("version", *_AUTHOR).order_by("id"),
            to_attr="response_list",
        ),
        Prefetch(
            "follow_ups",
            queryset=FollowUp.objects.select_related(*_AUTHOR, "answered_by").order_by("created_at", "id"),
            to_attr="follow_up_list",
        ),
        Prefetch(
            "agenda_points",
            queryset=AgendaPoint.objects.filter(Q(shared=True) | Q(author=user))
            .select_related(*_AUTHOR)
            .order_by("order", "created_at", "id"),
            to_attr="agenda_list",
        ),
        Prefetch(
            "history",
            queryset=HistoryEntry.objects.select_related("actor").order_by("created_at", "id"),
            to_attr="history_list",
        ),
        Prefetch("access_log", queryset=AccessLogEntry.objects.select_related("user"), to_attr="access_list"),
    ]


def personal_export(user) -> PersonalExport:
    """Everything stored about `user`: their own conversations in full (with their private agenda
    points, never another person's), the conversations they lead (the fact, not the content),
    what they wrote in other conversations, their deputy grants and their own reads."""
    own = list(
        Conversation.objects.filter(employee=user)
        .select_related(*PERSON_FIELDS)
        .prefetch_related(*_own_conversation_prefetches(user))
        .order_by("created_at", "id")
    )
    elsewhere = ~Q(conversation__employee=user)
    return PersonalExport(
        profile=user,
        conversations=own,
        led_conversations=list(
            Conversation.objects.filter(leader=user)
            .select_related(*PERSON_FIELDS)
            .order_by("created_at", "id")
        ),
        comments_elsewhere=list(Comment.objects.filter(elsewhere, author=user).select_related(*_AUTHOR)),
        follow_ups_elsewhere=list(
            FollowUp.objects.filter(elsewhere, author=user).select_related(*_AUTHOR, "answered_by")
        ),
        agenda_points_elsewhere=list(
            AgendaPoint.objects.filter(elsewhere, author=user).select_related(*_AUTHOR)
        ),
        deputy_grants=list(deputy_grants(user)),
        access_log_entries_by_me=list(AccessLogEntry.objects.filter(user=user).select_related("user")),
        proposals=list(Proposal.objects.filter(author=user).select_related("author", "decided_by")),
        generated_at=timezone.now(),
    )


DEPUTY_SEARCH_MIN_LENGTH = 2
DEPUTY_SEARCH_LIMIT = 10


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
