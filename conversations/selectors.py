"""Reads for the API and pages: list querysets with their joins, the loaded detail, the personal export.

Every function here returns querysets or loaded objects and never writes. Lists are built so that
their query count does not grow with their length.
"""

from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery, prefetch_related_objects
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
from conversations.permissions import COMMENT, MANAGE, RESPOND, conversation_perms
from conversations.workflow import TRANSITIONS, allowed_transitions
from goals.models import Expectation, Goal, Task

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
    """Versions without their (large) content, with their confirmation joined."""
    return ContractVersion.objects.defer("canonical_json").select_related("confirmation").order_by("number")


def contract_prefetches() -> list[Prefetch]:
    """What a conversation detail shows besides the row itself: items and version summaries."""
    return [
        Prefetch("tasks", queryset=Task.objects.order_by("order", "id")),
        Prefetch("goals", queryset=goals_with_status()),
        Prefetch("expectations", queryset=Expectation.objects.order_by("order", "id")),
        Prefetch("versions", queryset=version_summaries(), to_attr="version_list"),
    ]


def allowed_actions(user, conversation: Conversation) -> list[str]:
    """What `user` may do on `conversation` now, as the names the API uses for them."""
    perms = conversation_perms(user, conversation)
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


def conversation_detail(*, conversation: Conversation, user) -> Conversation:
    """`conversation` with its items, version summaries and the caller's allowed actions loaded."""
    prefetch_related_objects([conversation], *contract_prefetches())
    conversation.allowed_actions = allowed_actions(user, conversation)
    return conversation


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
        .select_related(*_AUTHOR)
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
            queryset=FollowUp.objects.select_related(*_AUTHOR).order_by("created_at", "id"),
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
        follow_ups_elsewhere=list(FollowUp.objects.filter(elsewhere, author=user).select_related(*_AUTHOR)),
        agenda_points_elsewhere=list(
            AgendaPoint.objects.filter(elsewhere, author=user).select_related(*_AUTHOR)
        ),
        deputy_grants=list(deputy_grants(user)),
        access_log_entries_by_me=list(AccessLogEntry.objects.filter(user=user).select_related("user")),
        generated_at=timezone.now(),
    )
