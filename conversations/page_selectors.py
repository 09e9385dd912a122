"""Reads for the HTML pages. They return querysets or frozen dataclasses and never write."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst

from conversations import waiting
from conversations.models import (
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
from core.ids import is_id
from goals.models import Expectation, Goal, Task
from goals.selectors import support_chains

LEADER = "leader"
EMPLOYEE = "employee"
ITEM_KINDS = ("task", "goal", "expectation")
ITEM_MODELS = {"task": Task, "goal": Goal, "expectation": Expectation}
MARK_KINDS = (FollowUp.Kind.KEPT, FollowUp.Kind.NOT_KEPT)


# --- Mine medarbeidere ------------------------------------------------------------------------------


def current_cycle() -> Cycle | None:
    """The latest cycle (by start) that has started."""
    return Cycle.objects.filter(starts_on__lte=timezone.localdate()).order_by("-starts_on", "-pk").first()


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
    things = waiting.waiting_in([c.pk for c in latest.values()], reader_id=leader.pk)
    kinds = defaultdict(list)
    for thing in sorted(things, key=lambda t: t.since):
        if thing.kinds_key not in kinds[thing.conversation.pk]:
            kinds[thing.conversation.pk].append(thing.kinds_key)
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


def started_cycles():
    return Cycle.objects.filter(starts_on__lte=timezone.localdate()).order_by("-starts_on", "-pk")


def has_previous_confirmed(employee) -> bool:
    return Conversation.objects.filter(employee=employee, confirmed_version__isnull=False).exists()


# --- Mine samtaler -----------------------------------------------------------------------------------


def conversations_of_employee(user):
    return (
        Conversation.objects.filter(employee=user)
        .select_related("leader", "cycle", "confirmed_version")
        .order_by("-created_at")
    )


def other_visible_conversations(user):
    """Conversations the user sees as a deputy or through shared history, not as a party."""
    return (
        Conversation.objects.visible_to(user)
        .exclude(employee=user)
        .exclude(leader=user)
        .select_related("employee", "leader", "cycle")
        .order_by("-created_at")
    )


# --- the conversation page ---------------------------------------------------------------------------


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
    for kind in ITEM_KINDS:
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


def conversation_page(conversation: Conversation, user) -> ConversationPage:
    """Everything the conversation page shows, in a constant number of queries."""
    comments = list(conversation.comments.select_related("author").order_by("created_at", "pk"))
    versions = list(conversation.versions.select_related("submitted_by", "confirmation").order_by("number"))
    latest = versions[-1] if versions else None
    responses = list(latest.responses.all()) if latest else []
    follow_ups = list(
        conversation.follow_ups.select_related(
            "author", "goal", "task", "expectation", "answered_by"
        ).order_by("created_at", "pk")
    )
    by_item_comments = _grouped(c for c in comments if c.kind == Comment.Kind.COMMENT)
    by_item_response = {_item_key(r): r for r in responses}
    by_item_follow_up = {
        key: [f for f in entries if f.item_status or f.progress is not None]
        for key, entries in _grouped(follow_ups).items()
    }

    goal_items = list(conversation.goals.order_by("order", "pk"))
    chains = support_chains(goal_items)
    latest_mark = {_item_key(f): f for f in follow_ups if f.kind in MARK_KINDS}  # oldest first: latest wins

    def view(kind, item):
        key = f"{kind}-{item.pk}"
        status_entries = by_item_follow_up.get(key) or []
        return ItemView(
            kind=kind,
            item=item,
            comments=tuple(by_item_comments.get(key, ())),
            response=by_item_response.get(key),
            latest_follow_up=status_entries[-1] if status_entries else None,
            chain=tuple(chains.get(item.pk, ())) if kind == "goal" else (),
            latest_mark=latest_mark.get(key),
        )

    tasks = [view("task", t) for t in conversation.tasks.order_by("order", "pk")]
    goals = [view("goal", g) for g in goal_items]
    expectations = [view("expectation", e) for e in conversation.expectations.order_by("order", "pk")]
    goals_by_kind = [
        (value, label, [g for g in goals if g.item.kind == value]) for value, label in Goal.Kind.choices
    ]
    return ConversationPage(
        conversation=conversation,
        tasks=tasks,
        goals_by_kind=goals_by_kind,
        expectations_from_leader=[
            e for e in expectations if e.item.direction == Expectation.Direction.LEADER_TO_EMPLOYEE
        ],
        expectations_from_employee=[
            e for e in expectations if e.item.direction == Expectation.Direction.EMPLOYEE_TO_LEADER
        ],
        agenda=list(visible_agenda(conversation, user)),
        general_comments=[c for c in comments if c.kind != Comment.Kind.STATEMENT and not _item_key(c)],
        statements=[c for c in comments if c.kind == Comment.Kind.STATEMENT],
        follow_ups=follow_ups,
        versions=versions,
        latest_version=latest,
    )


def item_choices(conversation: Conversation) -> list[tuple[str, str]]:
    """(key, label) for every item of the agreement, for "which item is this about?" choices."""
    choices = []
    for kind in ITEM_KINDS:
        model = ITEM_MODELS[kind]
        name = capfirst(model._meta.verbose_name)
        for item in model.objects.filter(conversation=conversation).order_by("order", "pk"):
            choices.append((f"{kind}-{item.pk}", f"{name}: {item}"))
    return choices


def visible_agenda(conversation: Conversation, user):
    """Shared points and the user's own private ones; nobody else's preparation."""
    return (
        AgendaPoint.objects.filter(conversation=conversation)
        .filter(Q(shared=True) | Q(author=user))
        .select_related("author")
        .order_by("order", "created_at", "pk")
    )


def version_by_number(conversation: Conversation, number) -> ContractVersion | None:
    try:
        number = int(number)
    except (TypeError, ValueError):
        return None
    if not is_id(number):  # version numbers start at 1; a larger one than an id could not be stored
        return None
    return conversation.versions.filter(number=number).first()


def history_entries(conversation: Conversation):
    return (
        HistoryEntry.objects.filter(conversation=conversation)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


def access_log(conversation: Conversation):
    return (
        AccessLogEntry.objects.filter(conversation=conversation)
        .select_related("user")
        .order_by("-accessed_at", "-pk")
    )


# --- deputies ----------------------------------------------------------------------------------------


def grants_given(leader):
    return (
        DeputyGrant.objects.filter(leader=leader)
        .select_related("deputy", "conversation__employee")
        .order_by("ended_at", "-created_at")
    )


def grants_received(user):
    return (
        DeputyGrant.objects.active()
        .filter(deputy=user)
        .select_related("leader", "conversation__employee")
        .order_by("until")
    )


def leader_open_conversations(leader):
    return (
        Conversation.objects.filter(leader=leader)
        .open()
        .select_related("employee", "cycle")
        .order_by("employee__full_name")
    )
