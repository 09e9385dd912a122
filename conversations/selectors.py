"""The conversation's reads, for the API, the pages and the PDF: its lists, the row with its contract,
its versions, comments, follow-ups, history and access log, and what the caller may do on it.

Every function here returns querysets, loaded objects or frozen dataclasses and never writes. Lists are
built so that their query count does not grow with their length. The API's busiest list and detail go
through `conversations.fast_reads` (the one hand-written fast path, tested against the ORM twins here).
The PDF's rows (`reports.selectors`) and the conversation page (`conversation_page`) are shaped on top
of these same loads.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.text import capfirst

from conversations import fast_reads
from conversations.access.deputy_selectors import active_deputy_grants
from conversations.access.permissions import (
    COMMENT,
    DECIDE_PROPOSAL,
    MANAGE,
    PROPOSE,
    RESPOND,
    Access,
    conversation_perms,
)
from conversations.contract.canonical import expectations_of, goals_of, tasks_of
from conversations.contract.workflow import TRANSITIONS, allowed_transitions
from conversations.dialogue.rules import MARK_KINDS
from conversations.models import (
    FINISHED_STATUSES,
    AccessLogEntry,
    AgendaPoint,
    Comment,
    Confirmation,
    ContractVersion,
    Conversation,
    Cycle,
    FollowUp,
    HistoryEntry,
    ItemResponse,
    Status,
)
from conversations.notify import waiting
from core.ids import is_id
from goals.models import Expectation, Goal, Task
from goals.selectors import support_chains

PERSON_FIELDS = ("employee", "leader", "cycle", "unit")
ITEM_FIELDS = ("goal", "task", "expectation")  # what a comment, answer or follow-up may be about

# Transitions the API exposes; `revise` happens by itself when the leader edits after a change request.
API_TRANSITIONS = ("submit", "confirm", "request_changes", "amend", "close", "cancel")
# What `allowed_actions` names besides these that the API's `allowed_actions` leaves out: the employee's
# proposals have their own endpoints (`goals`), and the pages show their forms by these.
PAGE_ONLY_ACTIONS = ("propose", "decide_proposals")

LEADER = "leader"
EMPLOYEE = "employee"


# --- lists --------------------------------------------------------------------------------------------


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
    the time it plans them apart, and the number of ids is the count the page needs. The API runs
    its fast twin, `list_ids`."""
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


def list_ids(*, user, status: str | None = None, cycle: int | None = None, employee: int | None = None):
    """The API's list: `visible_conversation_ids`, through the fast path."""
    return fast_reads.visible_conversation_ids(user=user, status=status, cycle=cycle, employee=employee)


def list_page(ids: list[int]) -> list[dict]:
    """One page of the API's list as its JSON (`output.conversation_list(conversations_in_order(ids))`),
    through the fast path."""
    return fast_reads.conversation_page(ids)


def conversations_of_employee(user) -> QuerySet:
    """The employee's own conversations, newest first (Mine samtaler)."""
    return (
        Conversation.objects.filter(employee=user)
        .select_related("leader", "cycle", "confirmed_version")
        .order_by("-created_at")
    )


def other_visible_conversations(user) -> QuerySet:
    """Conversations the user sees as a deputy or through shared history, not as a party."""
    return (
        Conversation.objects.visible_to(user)
        .exclude(employee=user)
        .exclude(leader=user)
        .select_related("employee", "leader", "cycle")
        .order_by("-created_at")
    )


def leader_open_conversations(leader) -> QuerySet:
    return (
        Conversation.objects.filter(leader=leader)
        .open()
        .select_related("employee", "cycle")
        .order_by("employee__full_name")
    )


def cycle_conversations_for_leader(*, leader, cycle_id: int) -> QuerySet:
    """The conversations of a cycle that `leader` holds as leader and may still see, with the rows the
    PDF prints joined (`reports.selectors.conversation_pdf_data`)."""
    return (
        Conversation.objects.visible_to(leader)
        .filter(cycle_id=cycle_id, leader=leader)
        .select_related(*PERSON_FIELDS, "confirmed_version")
        .order_by("employee__full_name", "pk")
    )


def has_previous_confirmed(employee) -> bool:
    return Conversation.objects.filter(employee=employee, confirmed_version__isnull=False).exists()


# --- the leader's reports -------------------------------------------------------------------------------


def direct_reports(user) -> QuerySet:
    return user.reports.filter(is_active=True).select_related("unit").order_by("full_name", "id")


def waits_on(conversation: Conversation | None) -> str:
    """Who the next step belongs to: the leader, the employee or nobody ("")."""
    if conversation is None or conversation.status in (Status.DRAFT, Status.CHANGES_REQUESTED):
        return LEADER
    if conversation.status == Status.AWAITING_CONFIRMATION:
        return EMPLOYEE
    return ""


@dataclass(frozen=True)
class ReportRow:
    employee: object
    conversation: Conversation | None
    waits_on: str
    waiting_on_leader: tuple[str, ...] = ()  # the kinds of `waiting` that wait on the leader's side
    waiting_on_employee: tuple[str, ...] = ()


def _waiting_kinds(conversation_ids: list[int], reader_id: int) -> dict[int, list[tuple[str, str]]]:
    """{conversation id: the (side, kind) of what waits in it, oldest first, each once}."""
    kinds = defaultdict(list)
    for thing in sorted(waiting.waiting_in(conversation_ids, reader_id=reader_id), key=lambda t: t.since):
        if thing.kinds_key not in kinds[thing.conversation.pk]:
            kinds[thing.conversation.pk].append(thing.kinds_key)
    return kinds


def reports_overview(leader, cycle: Cycle | None) -> list[ReportRow]:
    """Each active direct report with their latest conversation in `cycle` (any, when there is none)."""
    reports = list(leader.reports.filter(is_active=True).select_related("unit").order_by("full_name"))
    conversations = Conversation.objects.filter(leader=leader, employee__in=[r.pk for r in reports]).exclude(
        status=Status.CANCELLED
    )
    if cycle is not None:
        conversations = conversations.filter(cycle=cycle)
    latest: dict[int, Conversation] = {}
    for conversation in conversations.select_related("cycle").order_by("created_at", "pk"):
        latest[conversation.employee_id] = conversation
    kinds = _waiting_kinds([c.pk for c in latest.values()], leader.pk)
    rows = []
    for employee in reports:
        conversation = latest.get(employee.pk)
        found = kinds.get(conversation.pk, []) if conversation else []
        rows.append(
            ReportRow(
                employee=employee,
                conversation=conversation,
                waits_on=waits_on(conversation),
                waiting_on_leader=tuple(kind for side, kind in found if side == LEADER),
                waiting_on_employee=tuple(kind for side, kind in found if side == EMPLOYEE),
            )
        )
    return rows


# --- one conversation: the row and its contract ---------------------------------------------------------


def load_conversation(pk: int) -> Conversation:
    """One conversation with the rows its detail shows joined; for re-reading after a write."""
    return Conversation.objects.select_related(*PERSON_FIELDS, "confirmed_version").get(pk=pk)


def detail_access(user, pk) -> Access:
    """The API's detail: `permissions.conversation_access(user, pk, related=PERSON_FIELDS)` through the
    fast path; 404 when missing or hidden. Its contract: `load_contract_fast`."""
    return fast_reads.conversation_access(user, pk)


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


ITEMS_OF = {"task": tasks_of, "goal": goals_of, "expectation": expectations_of}
ITEM_MODELS = {"task": Task, "goal": Goal, "expectation": Expectation}


def load_contract(conversation: Conversation) -> None:
    """`contract_prefetches` for one conversation (a detail request): the same four queries."""
    conversation.task_list = list(tasks_of(conversation))
    conversation.goal_list = list(goals_with_status(goals_of(conversation)))
    conversation.expectation_list = list(expectations_of(conversation))
    conversation.version_list = list(version_summaries().filter(conversation_id=conversation.pk))


def load_contract_fast(conversation: Conversation) -> None:
    """`load_contract` through the fast path (the API's detail)."""
    fast_reads.load_contract(conversation)


def item_detail(model, item):
    """A goal with its latest follow-up status; tasks and expectations need nothing more."""
    if model is Goal:
        return goals_with_status(Goal.objects.filter(pk=item.pk)).get()
    return item


def item_choices(conversation: Conversation) -> list[tuple[str, str]]:
    """(key, label) for every item of the agreement, for "which item is this about?" choices."""
    choices = []
    for kind, items_of in ITEMS_OF.items():
        name = capfirst(ITEM_MODELS[kind]._meta.verbose_name)
        for item in items_of(conversation):
            choices.append((f"{kind}-{item.pk}", f"{name}: {item}"))
    return choices


# --- what the caller may do -----------------------------------------------------------------------------


def allowed_actions(user, conversation: Conversation, perms: frozenset[str] | None = None) -> list[str]:
    """What `user` may do on `conversation` now, as the names the API uses for them (the API leaves out
    `PAGE_ONLY_ACTIONS`). `perms`: the rights `user` holds, when the caller has just read them
    (`permissions.conversation_access`)."""
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
        "propose": PROPOSE in perms and conversation.status == Status.DRAFT,
        "decide_proposals": DECIDE_PROPOSAL in perms and not finished,
    }
    return actions + [name for name, allowed in extra.items() if allowed]


def conversation_detail(
    *, conversation: Conversation, user, access: Access | None = None, load=load_contract
) -> Conversation:
    """`conversation` with its items, version summaries and the caller's allowed actions loaded.
    `access`: what `permissions.conversation_access` read for this request, to use instead of reading
    the rights again; `load`: what loads the items and versions (`load_contract_fast` for the API's
    detail)."""
    load(conversation)
    actions = allowed_actions(user, conversation, access.perms if access else None)
    conversation.allowed_actions = [name for name in actions if name not in PAGE_ONLY_ACTIONS]
    conversation.active_deputies = active_deputy_grants(conversation, access.holders if access else None)
    return conversation


# --- one conversation: the dialogue around it -----------------------------------------------------------

_AUTHOR = ("author",)


def version_rows() -> QuerySet:
    return ContractVersion.objects.select_related("confirmation", "submitted_by").order_by("number")


def comment_rows() -> QuerySet:
    return Comment.objects.select_related(*_AUTHOR, *ITEM_FIELDS).order_by("created_at", "id")


def response_rows() -> QuerySet:
    return ItemResponse.objects.select_related("version", *_AUTHOR).order_by("created_at", "id")


def follow_up_rows() -> QuerySet:
    return FollowUp.objects.select_related(*_AUTHOR, "answered_by", *ITEM_FIELDS).order_by("created_at", "id")


def agenda_rows(user) -> QuerySet:
    """Shared points and `user`'s own private ones; nobody sees another person's preparation."""
    return (
        AgendaPoint.objects.filter(Q(shared=True) | Q(author=user))
        .select_related(*_AUTHOR)
        .order_by("order", "created_at", "id")
    )


def history_rows() -> QuerySet:
    return HistoryEntry.objects.select_related("actor").order_by("created_at", "id")


def access_log_rows() -> QuerySet:
    return AccessLogEntry.objects.select_related("user").order_by("-accessed_at", "-id")


def versions(conversation: Conversation) -> QuerySet:
    return version_rows().filter(conversation=conversation)


def version_by_number(conversation: Conversation, number) -> ContractVersion | None:
    try:
        number = int(number)
    except (TypeError, ValueError):
        return None
    if not is_id(number):  # version numbers start at 1; a larger one than an id could not be stored
        return None
    return conversation.versions.filter(number=number).first()


def confirmation(version: ContractVersion) -> Confirmation:
    """The confirmation of `version` (which has one), with who confirmed it."""
    return Confirmation.objects.select_related("confirmed_by").get(version_id=version.pk)


def comments(conversation: Conversation) -> QuerySet:
    return comment_rows().filter(conversation=conversation)


def agenda_points(conversation: Conversation, user) -> QuerySet:
    return agenda_rows(user).filter(conversation=conversation)


def responses(conversation: Conversation) -> QuerySet:
    return response_rows().filter(conversation=conversation)


def version_responses(version_id: int | None) -> QuerySet:
    """The answers given on one version (none for None)."""
    return response_rows().filter(version_id=version_id) if version_id else response_rows().none()


def follow_ups(conversation: Conversation) -> QuerySet:
    return follow_up_rows().filter(conversation=conversation)


def history(conversation: Conversation) -> QuerySet:
    """Oldest first (the API); the pages show it `.reverse()`d."""
    return history_rows().filter(conversation=conversation)


def access_log(conversation: Conversation) -> QuerySet:
    """Newest first."""
    return access_log_rows().filter(conversation=conversation)


# --- one conversation: the page -------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemView:
    """One contract item with what was said about it."""

    kind: str
    item: object
    comments: tuple = ()
    response: ItemResponse | None = None
    latest_follow_up: FollowUp | None = None
    chain: tuple = ()  # a goal's unit goals, from the organisation's down to the one it supports
    latest_mark: FollowUp | None = None  # an expectation's latest "kept" or "not kept"

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.item.pk}"


@dataclass(frozen=True)
class ConversationPage:
    conversation: Conversation
    tasks: list
    goals_by_kind: list  # [(kind value, label, [ItemView])]
    expectations_from_leader: list
    expectations_from_employee: list
    agenda: list
    general_comments: list
    statements: list
    follow_ups: list
    versions: list
    latest_version: ContractVersion | None

    @property
    def item_views(self) -> list[ItemView]:
        goals = [row for _kind, _label, rows in self.goals_by_kind for row in rows]
        return [*self.tasks, *goals, *self.expectations_from_leader, *self.expectations_from_employee]

    @property
    def answered_count(self) -> int:
        return sum(1 for row in self.item_views if row.response is not None)

    @property
    def has_items(self) -> bool:
        return bool(
            self.tasks
            or any(rows for _k, _l, rows in self.goals_by_kind)
            or self.expectations_from_leader
            or self.expectations_from_employee
        )


def _item_key(obj) -> str | None:
    for kind in ITEM_FIELDS:
        pk = getattr(obj, f"{kind}_id", None)
        if pk:
            return f"{kind}-{pk}"
    return None


def _grouped(rows) -> dict[str, list]:
    grouped = defaultdict(list)
    for row in rows:
        key = _item_key(row)
        if key:
            grouped[key].append(row)
    return grouped


class _ItemViews:
    """Makes each item's `ItemView` from what was said in the conversation, grouped by item."""

    def __init__(self, said: list, answers: list, entries: list, chains: dict):
        self.comments = _grouped(c for c in said if c.kind == Comment.Kind.COMMENT)
        self.responses = {_item_key(r): r for r in answers}
        self.statuses = {
            key: [f for f in found if f.item_status or f.progress is not None]
            for key, found in _grouped(entries).items()
        }
        self.marks = {_item_key(f): f for f in entries if f.kind in MARK_KINDS}  # oldest first: latest wins
        self.chains = chains

    def __call__(self, kind: str, item) -> ItemView:
        key = f"{kind}-{item.pk}"
        status_entries = self.statuses.get(key) or []
        return ItemView(
            kind=kind,
            item=item,
            comments=tuple(self.comments.get(key, ())),
            response=self.responses.get(key),
            latest_follow_up=status_entries[-1] if status_entries else None,
            chain=tuple(self.chains.get(item.pk, ())) if kind == "goal" else (),
            latest_mark=self.marks.get(key),
        )


def conversation_page(conversation: Conversation, user) -> ConversationPage:
    """Everything the conversation page shows, in a constant number of queries."""
    said = list(comments(conversation))
    all_versions = list(versions(conversation))
    latest = all_versions[-1] if all_versions else None
    answers = list(version_responses(latest.pk if latest else None))
    entries = list(follow_ups(conversation))
    goal_items = list(goals_of(conversation))
    view = _ItemViews(said, answers, entries, support_chains(goal_items))
    tasks = [view("task", t) for t in tasks_of(conversation)]
    goals = [view("goal", g) for g in goal_items]
    expectations = [view("expectation", e) for e in expectations_of(conversation)]
    return ConversationPage(
        conversation=conversation,
        tasks=tasks,
        goals_by_kind=[
            (value, label, [g for g in goals if g.item.kind == value]) for value, label in Goal.Kind.choices
        ],
        expectations_from_leader=[
            e for e in expectations if e.item.direction == Expectation.Direction.LEADER_TO_EMPLOYEE
        ],
        expectations_from_employee=[
            e for e in expectations if e.item.direction == Expectation.Direction.EMPLOYEE_TO_LEADER
        ],
        agenda=list(agenda_points(conversation, user)),
        general_comments=[c for c in said if c.kind != Comment.Kind.STATEMENT and not _item_key(c)],
        statements=[c for c in said if c.kind == Comment.Kind.STATEMENT],
        follow_ups=entries,
        versions=all_versions,
        latest_version=latest,
    )
