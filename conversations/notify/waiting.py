"""What waits on whom: the things in a person's conversations that the next step belongs to them for.

Read in one query whatever the number of conversations (`THINGS_SQL`): a row per thing, with the
people and the cycle of its conversation; only a check-in's due date is worked out here (the cycle's
interval after the latest follow-up or confirmation), as date arithmetic differs between SQLite and
PostgreSQL.

Each thing waits on a side: the employee, or the leader's side (the leader and the deputies); drafts,
change requests, check-ins and proposals wait on the leader of record only, never a deputy.
"""

import datetime
import functools
from dataclasses import dataclass

from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from conversations.dialogue.rules import EMPLOYEE_SIDE, LEADER_SIDE
from conversations.fast_reads import VISIBLE_IDS_SQL
from conversations.models import VIEW, Comment, FollowUp, Status

DRAFT = "draft"
CONFIRM = "confirm"
CHANGE_REQUEST = "change_request"
QUESTION = "question"
AT_RISK = "at_risk"
STATEMENT = "statement"
CHECK_IN = "check_in"
PROPOSAL = "proposal"
PROPOSAL_DECLINED = "proposal_declined"
KINDS = (DRAFT, CONFIRM, CHANGE_REQUEST, QUESTION, AT_RISK, STATEMENT, CHECK_IN, PROPOSAL, PROPOSAL_DECLINED)
ITEM_KINDS = ("goal", "task", "expectation")
PARTIES_ONLY = (DRAFT, CHANGE_REQUEST, CHECK_IN, PROPOSAL)
DEFAULT_CHECK_IN_DAYS = 90
# Where on the conversation page each thing is done.
ANCHORS = {
    DRAFT: "contract",
    CONFIRM: "respond",
    CHANGE_REQUEST: "contract",
    STATEMENT: "statements",
    CHECK_IN: "follow-up",
    PROPOSAL: "proposals",
    PROPOSAL_DECLINED: "proposals",
}


@dataclass(frozen=True)
class Person:
    id: int
    employee_id: str
    full_name: str


@dataclass(frozen=True)
class ConversationSummary:
    """What the list shows of a conversation (read with `values()`, not a model object)."""

    pk: int
    employee_id: int
    leader_id: int
    employee: Person
    leader: Person
    cycle_name: str | None


@dataclass(frozen=True)
class Waiting:
    kind: str
    side: str  # EMPLOYEE_SIDE or LEADER_SIDE
    conversation: ConversationSummary
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

    def as_json(self) -> dict:
        """The API's form (`WaitingSerializer` documents it)."""
        conversation = self.conversation
        return {
            "kind": self.kind,
            "conversation": conversation.pk,
            "employee": conversation.employee.__dict__,
            "leader": conversation.leader.__dict__,
            "item": self.item,
            "since": _iso(self.since),
            "url": self.url,
        }


def _iso(moment: datetime.datetime) -> str:
    """As DRF's DateTimeField writes it: in the current time zone, UTC as "Z"."""
    text = timezone.localtime(moment).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def waiting_on(user) -> list[Waiting]:
    """Everything that waits on `user`, oldest first, across the open conversations they may see
    (as employee, leader or deputy): one query."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    scope = {"user": user.pk, "view": VIEW, "today": timezone.localdate()}
    things = _read(_sql(VISIBLE_IDS_SQL), scope, reader_id=user.pk)
    mine = [thing for thing in things if _waits_on(thing, user.pk)]
    return sorted(mine, key=_oldest_first)


def _oldest_first(thing: Waiting) -> tuple:
    return (thing.since, thing.conversation.pk, KINDS.index(thing.kind), thing.entry_id or 0)


def _side_of(user_id: int, conversation: ConversationSummary) -> str:
    return EMPLOYEE_SIDE if user_id == conversation.employee_id else LEADER_SIDE


def _waits_on(thing: Waiting, user_id: int) -> bool:
    conversation = thing.conversation
    if thing.side != _side_of(user_id, conversation):
        return False
    return thing.kind not in PARTIES_ONLY or user_id in (conversation.leader_id, conversation.employee_id)


def waiting_in(conversation_ids, *, reader_id: int) -> list[Waiting]:
    """What waits on either side in the open ones of the conversations `conversation_ids` (one query;
    none for no ids). A statement waits until `reader_id` has opened the conversation after it was
    added (the access log is the receipt); a declined proposal until the employee has."""
    ids = list(conversation_ids)
    if not ids:
        return []
    names = [f"id{i}" for i in range(len(ids))]
    scope = ", ".join(f"%({name})s" for name in names)
    return _read(_sql(scope), dict(zip(names, ids, strict=True)), reader_id=reader_id)


# --- the query --------------------------------------------------------------------------------------------
#
# One statement for every kind: `v` holds the open conversations in scope, `t` one row per thing (or per
# candidate: a confirmed conversation's latest follow-up or confirmation, from which its check-in is
# due), and the outer query adds the people and the cycle. Building it with the ORM (a queryset with
# seven subqueries, or a union of one per kind) cost Django several times the CPU PostgreSQL needs to
# run it on every request, so it is plain SQL run through Django's cursor, as `fast_reads` does for the
# list and the detail, and written once per process. The same SQL runs on SQLite and PostgreSQL.
# `tests/test_scale.py` compares it with the ORM's reading of the same rules (tests/conversations/
# waiting_orm.py) on the `seed_scale` organisation with every kind added.

# The entry's columns (a follow-up's id, its item, its author), none for a thing about the conversation.
ENTRY_COLUMNS = ("entry_id", "goal_id", "task_id", "expectation_id", "author_id")
_ENTRY = 'f."id", f."goal_id", f."task_id", f."expectation_id", f."author_id"'
_NO_ENTRY = ", ".join(["CAST(NULL AS bigint)"] * len(ENTRY_COLUMNS))
# The first branch of the union names the columns (the others follow by position).
_NAMED_NO_ENTRY = ", ".join(f'CAST(NULL AS bigint) AS "{name}"' for name in ENTRY_COLUMNS)

THINGS_SQL = """
WITH v AS (
    SELECT c."id", c."status", c."created_at", c."updated_at", c."confirmed_at", c."employee_id",
        c."leader_id"
    FROM "conversations_conversation" c
    WHERE c."id" IN ({scope})
        AND c."status" IN (%(s_draft)s, %(s_awaiting)s, %(s_changes)s, %(s_confirmed)s)
), t AS (
    SELECT v."id" AS "conversation_id", %(draft)s AS "kind", v."created_at" AS "since", {named_no_entry}
    FROM v WHERE v."status" = %(s_draft)s
    UNION ALL
    SELECT v."id", %(change_request)s, COALESCE((
        SELECT MAX(m."created_at") FROM "conversations_comment" m
        WHERE m."conversation_id" = v."id" AND m."kind" = %(k_change_request)s
    ), v."updated_at"), {no_entry}
    FROM v WHERE v."status" = %(s_changes)s
    UNION ALL
    SELECT v."id", %(confirm)s, COALESCE((
        SELECT MAX(s."submitted_at") FROM "conversations_contractversion" s WHERE s."conversation_id" = v."id"
    ), v."updated_at"), {no_entry}
    FROM v WHERE v."status" = %(s_awaiting)s
    UNION ALL
    SELECT v."id", %(check_in)s, CASE
        WHEN f."last" IS NULL OR f."last" < v."confirmed_at" THEN v."confirmed_at" ELSE f."last" END,
        {no_entry}
    FROM v LEFT OUTER JOIN (
        SELECT f."conversation_id", MAX(f."created_at") AS "last"
        FROM "conversations_followup" f INNER JOIN v ON v."id" = f."conversation_id"
        WHERE v."status" = %(s_confirmed)s
        GROUP BY f."conversation_id"
    ) f ON f."conversation_id" = v."id"
    WHERE v."status" = %(s_confirmed)s
    UNION ALL
    SELECT p."conversation_id", %(proposal)s, MIN(p."created_at"), {no_entry}
    FROM "goals_proposal" p INNER JOIN v ON v."id" = p."conversation_id"
    WHERE p."state" = %(p_pending)s
    GROUP BY p."conversation_id"
    UNION ALL
    SELECT p."conversation_id", %(proposal_declined)s, MAX(p."decided_at"), {no_entry}
    FROM "goals_proposal" p INNER JOIN v ON v."id" = p."conversation_id"
    WHERE p."state" = %(p_declined)s AND NOT EXISTS (
        SELECT 1 FROM "conversations_accesslogentry" a
        WHERE a."conversation_id" = p."conversation_id" AND a."user_id" = v."employee_id"
            AND a."accessed_at" >= p."decided_at"
    )
    GROUP BY p."conversation_id"
    UNION ALL
    SELECT f."conversation_id", %(question)s, f."created_at", {entry}
    FROM "conversations_followup" f INNER JOIN v ON v."id" = f."conversation_id"
    WHERE f."kind" = %(f_question)s
        AND NOT EXISTS (SELECT 1 FROM "conversations_followup" a WHERE a."answers_id" = f."id")
    UNION ALL
    SELECT f."conversation_id", %(at_risk)s, f."created_at", {entry}
    FROM "conversations_followup" f INNER JOIN v ON v."id" = f."conversation_id"
    WHERE f."item_status" IN (%(f_at_risk)s, %(f_off_track)s) AND NOT EXISTS (
        SELECT 1 FROM "conversations_followup" r
        WHERE r."conversation_id" = f."conversation_id" AND r."created_at" > f."created_at"
            AND (r."author_id" = v."employee_id") <> (f."author_id" = v."employee_id")
    )
    UNION ALL
    SELECT m."conversation_id", %(statement)s, m."created_at", {no_entry}
    FROM "conversations_comment" m INNER JOIN v ON v."id" = m."conversation_id"
    WHERE m."kind" = %(k_statement)s AND m."author_id" = v."employee_id" AND v."employee_id" <> %(reader)s
        AND NOT EXISTS (
            SELECT 1 FROM "conversations_accesslogentry" a
            WHERE a."conversation_id" = m."conversation_id" AND a."user_id" = %(reader)s
                AND a."accessed_at" >= m."created_at"
        )
)
SELECT t."conversation_id", t."kind", t."since", t."entry_id", t."goal_id", t."task_id", t."expectation_id",
    t."author_id", e."id", e."employee_id", e."full_name", l."id", l."employee_id", l."full_name",
    cy."name", cy."check_in_days"
FROM t
INNER JOIN "conversations_conversation" c ON c."id" = t."conversation_id"
INNER JOIN "organization_user" e ON e."id" = c."employee_id"
INNER JOIN "organization_user" l ON l."id" = c."leader_id"
LEFT OUTER JOIN "conversations_cycle" cy ON cy."id" = c."cycle_id"
"""
# The query's fixed parameters: the kinds' names and the states they are read from.
CONSTANTS = {
    "s_draft": Status.DRAFT,
    "s_awaiting": Status.AWAITING_CONFIRMATION,
    "s_changes": Status.CHANGES_REQUESTED,
    "s_confirmed": Status.CONFIRMED,
    **{kind: kind for kind in KINDS},
    "k_change_request": Comment.Kind.CHANGE_REQUEST,
    "k_statement": Comment.Kind.STATEMENT,
    "f_question": FollowUp.Kind.QUESTION,
    "f_at_risk": FollowUp.ItemStatus.AT_RISK,
    "f_off_track": FollowUp.ItemStatus.OFF_TRACK,
    "p_pending": "pending",  # goals.models.Proposal.State (`goals` sits above this app)
    "p_declined": "declined",
}


@functools.cache
def _sql(scope: str) -> str:
    """THINGS_SQL over the conversations `scope` (SQL giving their ids), written once per scope's
    text (the visibility subquery, or the placeholders of one to a few hundred ids)."""
    return THINGS_SQL.format(scope=scope, entry=_ENTRY, no_entry=_NO_ENTRY, named_no_entry=_NAMED_NO_ENTRY)


def _read(sql: str, scope: dict, *, reader_id: int) -> list[Waiting]:
    with connection.cursor() as cursor:
        cursor.execute(sql, {**CONSTANTS, **scope, "reader": reader_id})
        rows = cursor.fetchall()
    summaries: dict[int, ConversationSummary] = {}
    things = []
    for row in rows:
        pk = row[0]
        if pk not in summaries:
            summaries[pk] = _summary(row)
        things += _things(row, summaries[pk])
    return things


def _summary(row) -> ConversationSummary:
    (pk, e_id, e_number, e_name, l_id, l_number, l_name, cycle_name) = (row[0], *row[8:15])
    return ConversationSummary(
        pk=pk,
        employee_id=e_id,
        leader_id=l_id,
        employee=Person(e_id, e_number, e_name),
        leader=Person(l_id, l_number, l_name),
        cycle_name=cycle_name,
    )


# Who each kind about a whole conversation waits on (a question or an item at risk waits on the side
# its author is not on; a check-in on both).
SIDES = {
    DRAFT: LEADER_SIDE,
    CHANGE_REQUEST: LEADER_SIDE,
    CONFIRM: EMPLOYEE_SIDE,
    PROPOSAL: LEADER_SIDE,
    PROPOSAL_DECLINED: EMPLOYEE_SIDE,
    STATEMENT: LEADER_SIDE,
}


def _things(row, summary: ConversationSummary) -> list[Waiting]:
    kind, since = row[1], _moment(row[2])
    if since is None:  # a confirmed conversation never confirmed nor followed up; no dated decline
        return []
    if kind == CHECK_IN:
        due = since + datetime.timedelta(days=row[15] or DEFAULT_CHECK_IN_DAYS)
        if due > timezone.now():
            return []
        return [Waiting(CHECK_IN, side, summary, due) for side in (LEADER_SIDE, EMPLOYEE_SIDE)]
    entry_id, goal, task, expectation, author_id = row[3:8]
    if entry_id is None:
        return [Waiting(kind, SIDES[kind], summary, since)]
    side = LEADER_SIDE if author_id == summary.employee_id else EMPLOYEE_SIDE
    return [Waiting(kind, side, summary, since, _item(goal, task, expectation), entry_id)]


def _item(goal: int | None, task: int | None, expectation: int | None) -> dict | None:
    for kind, pk in zip(ITEM_KINDS, (goal, task, expectation), strict=True):
        if pk:
            return {"kind": kind, "id": pk}
    return None


def _moment(value) -> datetime.datetime | None:
    """A date-time as the ORM reads it: aware. SQLite gives computed ones (MAX, CASE) as text, and
    stored ones naive, in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)
    return value
