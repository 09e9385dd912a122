"""The ORM's reading of `conversations.notify.waiting` (its code before it became one SQL statement), kept as
the oracle that tests/test_scale.py compares the SQL with: the same things, in the same order, for every
employee, leader and deputy of the `seed_scale` organisation with every kind added.

Read in up to three queries: the conversations with their latest version, change request, follow-up by
each side and proposals (`Subquery` annotations), then the open questions and items at risk, then the
unread statements.
"""

import datetime
import functools

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from conversations.dialogue.rules import EMPLOYEE_SIDE, LEADER_SIDE
from conversations.models import (
    OPEN_STATUSES,
    AccessLogEntry,
    Comment,
    ContractVersion,
    Conversation,
    FollowUp,
    Status,
)
from conversations.notify.waiting import (
    AT_RISK,
    CHANGE_REQUEST,
    CHECK_IN,
    CONFIRM,
    DEFAULT_CHECK_IN_DAYS,
    DRAFT,
    ITEM_KINDS,
    KINDS,
    PROPOSAL,
    PROPOSAL_DECLINED,
    QUESTION,
    STATEMENT,
    ConversationSummary,
    Person,
    Waiting,
    _waits_on,
)
from goals.models import Proposal

AT_RISK_STATUSES = (FollowUp.ItemStatus.AT_RISK, FollowUp.ItemStatus.OFF_TRACK)


def waiting_on(user) -> list[Waiting]:
    """Everything that waits on `user`, oldest first, across the open conversations they may see
    (as employee, leader or deputy)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    visible = Conversation.objects.visible_ids(user.pk, timezone.localdate())
    rows = _rows_base().filter(pk__in=visible, status__in=OPEN_STATUSES)
    mine = [t for t in _things(list(rows), reader_id=user.pk) if _waits_on(t, user.pk)]
    return sorted(mine, key=lambda t: (t.since, t.conversation.pk, KINDS.index(t.kind)))


def waiting_in(conversations, *, reader_id: int) -> list[Waiting]:
    """What waits on either side in the open ones of `conversations` (a queryset). A statement waits
    until `reader_id` has opened the conversation after it was added (the access log is the receipt);
    a declined proposal until the employee has."""
    rows = _rows_base().filter(pk__in=conversations.values("pk"), status__in=OPEN_STATUSES)
    return _things(list(rows), reader_id=reader_id)


def _things(rows: list[dict], *, reader_id: int) -> list[Waiting]:
    summaries = {row["pk"]: _summary(row) for row in rows}
    things = [thing for row in rows for thing in _conversation_things(row, summaries[row["pk"]])]
    things += _entry_things(rows, summaries)
    things += _statement_things(rows, summaries, reader_id)
    return things


@functools.cache
def _rows_base():
    """The conversations' rows with what the list needs to know about each, built once per process:
    building and resolving the subqueries costs Django more than running them, so each request only
    clones this queryset (`filter()`) with its own conditions. Never evaluated itself."""
    return _conversation_rows(Conversation.objects.all())


def _latest(queryset, field: str) -> Subquery:
    return Subquery(queryset.filter(conversation=OuterRef("pk")).order_by(f"-{field}").values(field)[:1])


_ROW_FIELDS = (
    *("pk", "status", "created_at", "updated_at", "confirmed_at", "employee_id", "leader_id"),
    *("employee__employee_id", "employee__full_name", "leader__employee_id", "leader__full_name"),
    *("cycle__name", "cycle__check_in_days"),
)


def _conversation_rows(scope):
    by_employee = FollowUp.objects.filter(author=OuterRef("employee"))
    by_others = FollowUp.objects.exclude(author=OuterRef("employee"))
    seen_by_employee = AccessLogEntry.objects.filter(
        conversation=OuterRef("conversation"),
        user=OuterRef("conversation__employee"),
        accessed_at__gte=OuterRef("decided_at"),
    )
    unseen_declines = Proposal.objects.filter(state=Proposal.State.DECLINED).exclude(Exists(seen_by_employee))
    pending = Proposal.objects.filter(state=Proposal.State.PENDING)
    return scope.annotate(
        submitted=_latest(ContractVersion.objects, "submitted_at"),
        change_requested=_latest(Comment.objects.filter(kind=Comment.Kind.CHANGE_REQUEST), "created_at"),
        last_by_employee=_latest(by_employee, "created_at"),
        last_by_others=_latest(by_others, "created_at"),
        first_proposal=Subquery(
            pending.filter(conversation=OuterRef("pk")).order_by("created_at").values("created_at")[:1]
        ),
        declined=_latest(unseen_declines, "decided_at"),
    ).values(
        *_ROW_FIELDS,
        "submitted",
        "change_requested",
        "last_by_employee",
        "last_by_others",
        "first_proposal",
        "declined",
    )


def _summary(row: dict) -> ConversationSummary:
    return ConversationSummary(
        pk=row["pk"],
        employee_id=row["employee_id"],
        leader_id=row["leader_id"],
        employee=Person(row["employee_id"], row["employee__employee_id"], row["employee__full_name"]),
        leader=Person(row["leader_id"], row["leader__employee_id"], row["leader__full_name"]),
        cycle_name=row["cycle__name"],
    )


def _conversation_things(row: dict, summary: ConversationSummary) -> list[Waiting]:
    things = []
    status = row["status"]
    if status == Status.DRAFT:
        things.append(Waiting(DRAFT, LEADER_SIDE, summary, row["created_at"]))
    elif status == Status.CHANGES_REQUESTED:
        since = row["change_requested"] or row["updated_at"]
        things.append(Waiting(CHANGE_REQUEST, LEADER_SIDE, summary, since))
    elif status == Status.AWAITING_CONFIRMATION:
        things.append(Waiting(CONFIRM, EMPLOYEE_SIDE, summary, row["submitted"] or row["updated_at"]))
    due = check_in_due(row) if status == Status.CONFIRMED else None
    if due is not None and due <= timezone.now():
        things += [Waiting(CHECK_IN, side, summary, due) for side in (LEADER_SIDE, EMPLOYEE_SIDE)]
    if row["first_proposal"]:
        things.append(Waiting(PROPOSAL, LEADER_SIDE, summary, row["first_proposal"]))
    if row["declined"]:
        things.append(Waiting(PROPOSAL_DECLINED, EMPLOYEE_SIDE, summary, row["declined"]))
    return things


def _last_follow_up(row: dict) -> datetime.datetime | None:
    return max(filter(None, (row["last_by_employee"], row["last_by_others"])), default=None)


def check_in_due(row: dict) -> datetime.datetime | None:
    """When a confirmed conversation's next follow-up is due: the cycle's check-in interval after
    the latest follow-up entry (or the first confirmation)."""
    last = max(filter(None, (_last_follow_up(row), row["confirmed_at"])), default=None)
    if last is None:
        return None
    return last + datetime.timedelta(days=row["cycle__check_in_days"] or DEFAULT_CHECK_IN_DAYS)


def _item(entry: dict) -> dict | None:
    for kind in ITEM_KINDS:
        if entry[kind]:
            return {"kind": kind, "id": entry[kind]}
    return None


def _entry_things(rows: list[dict], summaries: dict) -> list[Waiting]:
    """Open questions and items at risk or off track with no entry from the other side since: one
    query, and none when no conversation has follow-ups."""
    by_id = {row["pk"]: row for row in rows if _last_follow_up(row)}
    if not by_id:
        return []
    entries = (
        FollowUp.objects.filter(conversation__in=list(by_id))
        .filter(
            Q(kind=FollowUp.Kind.QUESTION, answered_by__isnull=True) | Q(item_status__in=AT_RISK_STATUSES)
        )
        .values(
            "id",
            "conversation_id",
            "author_id",
            "created_at",
            "kind",
            "item_status",
            "goal",
            "task",
            "expectation",
            answered=F("answered_by"),
        )
    )
    things = []
    for entry in entries:
        row, summary = by_id[entry["conversation_id"]], summaries[entry["conversation_id"]]
        by_employee = entry["author_id"] == row["employee_id"]
        waits_on = LEADER_SIDE if by_employee else EMPLOYEE_SIDE
        if entry["kind"] == FollowUp.Kind.QUESTION and entry["answered"] is None:
            things.append(
                Waiting(QUESTION, waits_on, summary, entry["created_at"], _item(entry), entry["id"])
            )
        reply = row["last_by_others"] if by_employee else row["last_by_employee"]
        if entry["item_status"] in AT_RISK_STATUSES and (reply is None or reply <= entry["created_at"]):
            things.append(Waiting(AT_RISK, waits_on, summary, entry["created_at"], _item(entry), entry["id"]))
    return things


def _statement_things(rows: list[dict], summaries: dict, reader_id: int) -> list[Waiting]:
    """The employee's statements the reader (on the leader's side) has not opened the conversation
    since: one query, none when the reader is the employee of every conversation."""
    with_statements = [row["pk"] for row in rows if row["employee_id"] != reader_id]
    if not with_statements:
        return []
    read_after = AccessLogEntry.objects.filter(
        conversation=OuterRef("conversation"), user=reader_id, accessed_at__gte=OuterRef("created_at")
    )
    statements = (
        Comment.objects.filter(
            conversation__in=with_statements, kind=Comment.Kind.STATEMENT, author=F("conversation__employee")
        )
        .exclude(Exists(read_after))
        .values_list("conversation_id", "created_at")
    )
    return [
        Waiting(STATEMENT, LEADER_SIDE, summaries[conversation_id], created_at)
        for conversation_id, created_at in statements
    ]
