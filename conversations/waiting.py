"""What waits on whom: the things in a person's conversations that the next step belongs to them for.

Read in a constant number of queries (one for the conversations' own states, one each for open
questions, items marked at risk or off track, and unread statements) whatever the number of
conversations. Each thing waits on a side: the employee, or the leader's side (the leader and the
deputies); drafts, change requests and check-ins wait on the leader of record only, never a deputy.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from conversations.compiled_queries import CompiledQuery
from conversations.dialogue import EMPLOYEE_SIDE, LEADER_SIDE, side_of
from conversations.models import (
    OPEN_STATUSES,
    AccessLogEntry,
    Comment,
    ContractVersion,
    Conversation,
    FollowUp,
    Status,
)
from conversations.permissions import visible_ids_subquery

DRAFT = "draft"
CONFIRM = "confirm"
CHANGE_REQUEST = "change_request"
QUESTION = "question"
AT_RISK = "at_risk"
STATEMENT = "statement"
CHECK_IN = "check_in"
KINDS = (DRAFT, CONFIRM, CHANGE_REQUEST, QUESTION, AT_RISK, STATEMENT, CHECK_IN)
ITEM_KINDS = ("goal", "task", "expectation")
PARTIES_ONLY = (DRAFT, CHANGE_REQUEST, CHECK_IN)
DEFAULT_CHECK_IN_DAYS = 90
# Where on the conversation page each thing is done.
ANCHORS = {
    DRAFT: "contract",
    CONFIRM: "respond",
    CHANGE_REQUEST: "contract",
    STATEMENT: "statements",
    CHECK_IN: "follow-up",
}


@dataclass(frozen=True)
class Waiting:
    kind: str
    side: str  # EMPLOYEE_SIDE or LEADER_SIDE
    conversation: Conversation  # with employee and leader loaded
    since: datetime.datetime
    item: dict | None = None  # {"kind": "goal", "id": 12}
    entry_id: int | None = None  # the follow-up entry it is about

    @property
    def kinds_key(self) -> tuple[str, str]:
        return (self.side, self.kind)

    @property
    def url(self) -> str:
        page = reverse("web:conversation", args=[self.conversation.pk])
        anchor = f"follow-up-{self.entry_id}" if self.entry_id else ANCHORS[self.kind]
        return f"{page}#{anchor}"


def waiting_on(user) -> list[Waiting]:
    """Everything that waits on `user`, oldest first, across the open conversations they may see
    (as employee, leader or deputy). Four queries from SQL compiled once per process."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    arguments = (user.pk, timezone.localdate())
    rows, questions, at_risk, statements = (query(*arguments) for query in _COMPILED)
    mine = [t for t in _things(rows, questions, at_risk, statements) if _waits_on_user(t, user.pk)]
    return sorted(mine, key=lambda t: (t.since, t.conversation.pk, KINDS.index(t.kind)))


def _waits_on_user(thing: Waiting, user_id: int) -> bool:
    conversation = thing.conversation
    if thing.side != side_of(user_id, conversation):
        return False
    return thing.kind not in PARTIES_ONLY or user_id in (conversation.leader_id, conversation.employee_id)


def waiting_in(conversations, *, reader_id: int) -> list[Waiting]:
    """What waits on either side in the open ones of `conversations` (a queryset). A statement waits
    until `reader_id` has opened the conversation after it was added (the access log is the receipt)."""
    scope = conversations.filter(status__in=OPEN_STATUSES)
    return _things(
        list(_conversation_rows(scope)),
        list(_open_questions(scope)),
        list(_marked_at_risk(scope)),
        list(_unread_statements(scope, reader_id)),
    )


def _things(rows, questions, at_risk, statements) -> list[Waiting]:
    by_id = {c.pk: c for c in rows}
    things = [thing for c in rows for thing in _conversation_things(c)]
    things += _entry_things(QUESTION, [q for q in questions if q.conversation_id in by_id], by_id)
    things += _entry_things(AT_RISK, [e for e in at_risk if e.conversation_id in by_id], by_id)
    things += [
        Waiting(STATEMENT, LEADER_SIDE, by_id[s.conversation_id], s.created_at)
        for s in statements
        if s.conversation_id in by_id and s.author_id == by_id[s.conversation_id].employee_id
    ]
    return things


def _visible_open(user_id: int, today):
    return Conversation.objects.filter(pk__in=visible_ids_subquery(user_id, today), status__in=OPEN_STATUSES)


def _conversation_rows(scope):
    return scope.select_related("employee", "leader", "cycle").annotate(
        submitted=_latest(ContractVersion.objects, "submitted_at"),
        change_requested=_latest(Comment.objects.filter(kind=Comment.Kind.CHANGE_REQUEST), "created_at"),
        last_follow_up=_latest(FollowUp.objects, "created_at"),
    )


def _latest(queryset, field: str) -> Subquery:
    return Subquery(queryset.filter(conversation=OuterRef("pk")).order_by(f"-{field}").values(field)[:1])


def _conversation_things(conversation: Conversation) -> list[Waiting]:
    status = conversation.status
    if status == Status.DRAFT:
        return [Waiting(DRAFT, LEADER_SIDE, conversation, conversation.created_at)]
    if status == Status.CHANGES_REQUESTED:
        since = conversation.change_requested or conversation.updated_at
        return [Waiting(CHANGE_REQUEST, LEADER_SIDE, conversation, since)]
    if status == Status.AWAITING_CONFIRMATION:
        since = conversation.submitted or conversation.updated_at
        return [Waiting(CONFIRM, EMPLOYEE_SIDE, conversation, since)]
    due = check_in_due(conversation)
    if status == Status.CONFIRMED and due is not None and due <= timezone.now():
        return [Waiting(CHECK_IN, side, conversation, due) for side in (LEADER_SIDE, EMPLOYEE_SIDE)]
    return []


def check_in_due(conversation: Conversation) -> datetime.datetime | None:
    """When a confirmed conversation's next follow-up is due: the cycle's check-in interval after
    the latest follow-up entry (or the first confirmation). Needs `last_follow_up` annotated."""
    last = max(filter(None, (conversation.last_follow_up, conversation.confirmed_at)), default=None)
    if last is None:
        return None
    days = conversation.cycle.check_in_days if conversation.cycle_id else DEFAULT_CHECK_IN_DAYS
    return last + datetime.timedelta(days=days)


def _item(entry) -> dict | None:
    for kind in ITEM_KINDS:
        pk = getattr(entry, f"{kind}_id")
        if pk:
            return {"kind": kind, "id": pk}
    return None


def _other_side(author_id: int, conversation: Conversation) -> str:
    return LEADER_SIDE if side_of(author_id, conversation) == EMPLOYEE_SIDE else EMPLOYEE_SIDE


def _entry_things(kind: str, entries, by_id: dict) -> list[Waiting]:
    return [
        Waiting(
            kind,
            _other_side(e.author_id, by_id[e.conversation_id]),
            by_id[e.conversation_id],
            e.created_at,
            _item(e),
            e.pk,
        )
        for e in entries
    ]


_ENTRY_FIELDS = ("id", "conversation_id", "author_id", "created_at", "goal_id", "task_id", "expectation_id")


def _open_questions(scope):
    return FollowUp.objects.filter(
        conversation__in=scope.values("pk"), kind=FollowUp.Kind.QUESTION, answered_by__isnull=True
    ).only(*_ENTRY_FIELDS)


def _marked_at_risk(scope):
    """Items marked at risk or off track by one side with no entry from the other side since."""
    later = FollowUp.objects.filter(
        conversation=OuterRef("conversation"), created_at__gt=OuterRef("created_at")
    )
    by_employee = Q(author=F("conversation__employee"))
    return (
        FollowUp.objects.filter(
            conversation__in=scope.values("pk"),
            item_status__in=[FollowUp.ItemStatus.AT_RISK, FollowUp.ItemStatus.OFF_TRACK],
        )
        .filter(
            (by_employee & ~Exists(later.exclude(author=OuterRef("conversation__employee"))))
            | (~by_employee & ~Exists(later.filter(author=OuterRef("conversation__employee"))))
        )
        .only(*_ENTRY_FIELDS)
    )


def _unread_statements(scope, reader_id: int):
    """The statements in `scope` that `reader_id` has not opened the conversation since."""
    read_after = AccessLogEntry.objects.filter(
        conversation=OuterRef("conversation"), user=reader_id, accessed_at__gte=OuterRef("created_at")
    )
    return (
        Comment.objects.filter(conversation__in=scope.values("pk"), kind=Comment.Kind.STATEMENT)
        .exclude(Exists(read_after))
        .only("id", "conversation_id", "author_id", "created_at")
    )


# What waits on one person (`waiting_on`): building these queries costs Django more than running them.
_COMPILED = (
    CompiledQuery(lambda user_id, today: _conversation_rows(_visible_open(user_id, today))),
    CompiledQuery(lambda user_id, today: _open_questions(_visible_open(user_id, today))),
    CompiledQuery(lambda user_id, today: _marked_at_risk(_visible_open(user_id, today))),
    CompiledQuery(lambda user_id, today: _unread_statements(_visible_open(user_id, today), user_id)),
)
