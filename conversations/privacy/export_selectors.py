"""The personal export's read (`me/export/`): everything stored about one person, loaded through the
conversation's own reads (`selectors`) as prefetches. It never writes."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from conversations import selectors
from conversations.access.deputy_selectors import deputy_grants
from conversations.models import Conversation
from goals.models import Proposal


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
    """The conversation's contract and dialogue (`selectors`), for all of `user`'s own conversations."""
    return [
        *selectors.contract_prefetches(),
        Prefetch("versions", queryset=selectors.version_rows(), to_attr="full_versions"),
        Prefetch("comments", queryset=selectors.comment_rows(), to_attr="comment_list"),
        # In the order they were stored, as the export has always listed them.
        Prefetch("responses", queryset=selectors.response_rows().order_by("id"), to_attr="response_list"),
        Prefetch("follow_ups", queryset=selectors.follow_up_rows(), to_attr="follow_up_list"),
        Prefetch("agenda_points", queryset=selectors.agenda_rows(user), to_attr="agenda_list"),
        Prefetch("history", queryset=selectors.history_rows(), to_attr="history_list"),
        Prefetch("access_log", queryset=selectors.access_log_rows(), to_attr="access_list"),
    ]


def personal_export(user) -> PersonalExport:
    """Everything stored about `user`: their own conversations in full (with their private agenda
    points, never another person's), the conversations they lead (the fact, not the content),
    what they wrote in other conversations, their deputy grants and their own reads."""
    own = list(
        Conversation.objects.filter(employee=user)
        .select_related(*selectors.PERSON_FIELDS)
        .prefetch_related(*_own_conversation_prefetches(user))
        .order_by("created_at", "id")
    )
    elsewhere = ~Q(conversation__employee=user)
    return PersonalExport(
        profile=user,
        conversations=own,
        led_conversations=list(
            Conversation.objects.filter(leader=user)
            .select_related(*selectors.PERSON_FIELDS)
            .order_by("created_at", "id")
        ),
        comments_elsewhere=list(selectors.comment_rows().filter(elsewhere, author=user)),
        follow_ups_elsewhere=list(selectors.follow_up_rows().filter(elsewhere, author=user)),
        agenda_points_elsewhere=list(selectors.agenda_rows(user).filter(elsewhere, author=user)),
        deputy_grants=list(deputy_grants(user)),
        access_log_entries_by_me=list(selectors.access_log_rows().filter(user=user)),
        proposals=list(Proposal.objects.filter(author=user).select_related("author", "decided_by")),
        generated_at=timezone.now(),
    )
