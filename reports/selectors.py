"""What a conversation's PDF summary says: its rows shaped from the conversation's own reads
(`conversations.selectors`), in a constant number of queries.

The items come from the binding (confirmed) version's frozen content, so an amendment in progress never
changes what the PDF calls binding. Without a confirmed version the current items are shown, and the
PDF marks them as not confirmed. Labels are msgids translated at render time (`gettext_lazy`); where a
model names the thing, its own label (one bokmål msgid for one thing).
"""

import datetime
from dataclasses import dataclass
from itertools import zip_longest

from django.utils.translation import gettext_lazy as _

from conversations import selectors
from conversations.contract.canonical import contract_content
from conversations.models import Comment, ContractVersion, Conversation, FollowUp, ItemResponse, Status

GOAL_KIND_LABELS = {
    "result": _("Result goals"),
    "development": _("Development goals"),
    "relational": _("Relational goals"),
}
GOAL_KIND_ORDER = tuple(GOAL_KIND_LABELS)
# The model's own labels (Norwegian msgids, translated), so the PDF says what the pages say.
STANCE_LABELS = dict(ItemResponse.Stance.choices)
ITEM_STATUS_LABELS = dict(FollowUp.ItemStatus.choices)
STATUS_LABELS = dict(Status.choices)
COMMENT_KIND_LABELS = {kind.value: kind.label for kind in (Comment.Kind.COMMENT, Comment.Kind.CHANGE_REQUEST)}
ITEM_KIND_LABELS = {"goal": _("Mål"), "task": _("Oppgave"), "expectation": _("Forventning")}
LEADER_TO_EMPLOYEE = "leader_to_employee"
EMPLOYEE_TO_LEADER = "employee_to_leader"


@dataclass(frozen=True)
class Person:
    employee_id: str
    full_name: str


@dataclass(frozen=True)
class Answer:
    """The employee's answer (svar) on one item."""

    stance: str
    comment: str
    created_at: datetime.datetime

    @property
    def stance_label(self) -> str:
        return str(STANCE_LABELS.get(self.stance, self.stance))


@dataclass(frozen=True)
class TaskRow:
    id: int
    title: str
    description: str
    due_date: datetime.date | None
    response: Answer | None


@dataclass(frozen=True)
class GoalStatus:
    item_status: str
    progress: int | None
    recorded_at: datetime.datetime

    @property
    def label(self) -> str:
        return str(ITEM_STATUS_LABELS.get(self.item_status, "")) if self.item_status else ""


@dataclass(frozen=True)
class GoalRow:
    id: int
    kind: str
    title: str
    description: str
    measure: str
    due_date: datetime.date | None
    latest_status: GoalStatus | None
    response: Answer | None
    supports: str = ""  # "title (unit)" of the unit goal it supports, as agreed


@dataclass(frozen=True)
class GoalGroup:
    kind: str
    goals: tuple[GoalRow, ...]

    @property
    def label(self) -> str:
        return str(GOAL_KIND_LABELS[self.kind])


@dataclass(frozen=True)
class ExpectationRow:
    id: int
    direction: str
    text: str
    response: Answer | None


@dataclass(frozen=True)
class BindingVersion:
    number: int
    sha256: str
    submitted_at: datetime.datetime
    confirmed_at: datetime.datetime
    confirmed_by: str


@dataclass(frozen=True)
class ItemRef:
    kind: str  # "goal", "task", "expectation" or "" for the conversation as a whole
    title: str

    @property
    def label(self) -> str:
        if not self.kind:
            return ""
        return f"{ITEM_KIND_LABELS[self.kind]}: {self.title}"


@dataclass(frozen=True)
class CommentRow:
    kind: str
    author: str
    created_at: datetime.datetime
    text: str
    about: ItemRef

    @property
    def kind_label(self) -> str:
        return str(COMMENT_KIND_LABELS.get(self.kind, ""))


@dataclass(frozen=True)
class FollowUpRow:
    author: str
    created_at: datetime.datetime
    text: str
    about: ItemRef
    item_status: str
    progress: int | None
    kind: str = "note"
    answer: str = ""
    is_open: bool = False

    @property
    def status_label(self) -> str:
        return str(ITEM_STATUS_LABELS.get(self.item_status, "")) if self.item_status else ""

    @property
    def dialogue_label(self) -> str:
        """What the entry is in the dialogue: "Spørsmål (not answered yet)", "Svar: Juster kursen",
        "Ikke holdt"; empty for a plain note."""
        if self.kind == FollowUp.Kind.NOTE:
            return ""
        label = str(FollowUp.Kind(self.kind).label)
        if self.kind == FollowUp.Kind.ANSWER:
            return f"{label}: {FollowUp.Answer(self.answer).label}"
        if self.is_open:
            return f"{label} ({_('not answered yet')})"
        return label


@dataclass(frozen=True)
class ConversationPdfData:
    conversation_id: int
    status: str
    employee: Person
    leader: Person
    unit: str
    cycle: str
    held_on: datetime.date | None
    scheduled_at: datetime.datetime | None
    binding: BindingVersion | None
    tasks: tuple[TaskRow, ...]
    goals: tuple[GoalRow, ...]
    expectations: tuple[ExpectationRow, ...]
    comments: tuple[CommentRow, ...]
    statements: tuple[CommentRow, ...]
    follow_ups: tuple[FollowUpRow, ...]

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def goal_groups(self) -> tuple[GoalGroup, ...]:
        """Goals grouped by kind in the fixed order result, development, relational; empty kinds left out."""
        groups = (GoalGroup(kind, tuple(g for g in self.goals if g.kind == kind)) for kind in GOAL_KIND_ORDER)
        return tuple(group for group in groups if group.goals)

    @property
    def expectation_pairs(self) -> tuple[tuple[ExpectationRow | None, ExpectationRow | None], ...]:
        """(leader's expectation, employee's expectation) rows, side by side; the shorter side padded."""
        to_employee = [e for e in self.expectations if e.direction == LEADER_TO_EMPLOYEE]
        to_leader = [e for e in self.expectations if e.direction == EMPLOYEE_TO_LEADER]
        return tuple(zip_longest(to_employee, to_leader))


# --- reading ------------------------------------------------------------------------------------------


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _item_key(obj) -> tuple[str, int] | None:
    for kind in ("goal", "task", "expectation"):
        item_id = getattr(obj, f"{kind}_id")
        if item_id is not None:
            return kind, item_id
    return None


def _item_ref(obj) -> ItemRef:
    for kind in ("goal", "task", "expectation"):
        item = getattr(obj, kind)
        if item is not None:
            title = item.text[:80] if kind == "expectation" else item.title
            return ItemRef(kind, title)
    return ItemRef("", "")


def _responses(version_id: int | None) -> dict[tuple[str, int], Answer]:
    responses = {}
    for row in selectors.version_responses(version_id):
        key = _item_key(row)
        if key is not None:
            responses[key] = Answer(row.stance, row.comment, row.created_at)
    return responses


def _latest_goal_statuses(follow_ups: list[FollowUp]) -> dict[int, GoalStatus]:
    """The newest follow-up on each goal that says something about its status or progress."""
    latest: dict[int, GoalStatus] = {}
    for entry in follow_ups:  # oldest first, so later entries win
        if entry.goal_id is not None and (entry.item_status or entry.progress is not None):
            latest[entry.goal_id] = GoalStatus(entry.item_status, entry.progress, entry.created_at)
    return latest


def _supports_label(supports: dict | None) -> str:
    return f"{supports['title']} ({supports['unit']})" if supports else ""


def _items_from_content(content: dict) -> tuple[list[dict], list[dict], list[dict]]:
    return content.get("tasks", []), content.get("goals", []), content.get("expectations", [])


def _binding(conversation: Conversation) -> tuple[BindingVersion | None, ContractVersion | None]:
    version = conversation.confirmed_version
    if version is None:
        return None, None
    confirmation = selectors.confirmation(version)
    binding = BindingVersion(
        number=version.number,
        sha256=version.sha256,
        submitted_at=version.submitted_at,
        confirmed_at=confirmation.confirmed_at,
        confirmed_by=confirmation.confirmed_by.full_name,
    )
    return binding, version


def _comment_rows(conversation: Conversation) -> tuple[list[CommentRow], list[CommentRow]]:
    comments, statements = [], []
    for c in selectors.comments(conversation):
        row = CommentRow(c.kind, c.author.full_name, c.created_at, c.text, _item_ref(c))
        (statements if c.kind == Comment.Kind.STATEMENT else comments).append(row)
    return comments, statements


def conversation_pdf_data(conversation: Conversation) -> ConversationPdfData:
    """Everything the PDF prints about `conversation`, as frozen data.

    `conversation` should come with employee, leader, cycle, unit and confirmed_version loaded
    (as `access_conversation` and `cycle_conversations_for_leader` do). Runs at most 7 queries
    whatever the size of the contract.
    """
    binding, version = _binding(conversation)
    if version is not None:
        tasks, goals, expectations = _items_from_content(version.content)
        response_version_id = version.pk
    else:
        tasks, goals, expectations = _items_from_content(contract_content(conversation))
        response_version_id = selectors.versions(conversation).values_list("id", flat=True).last()
    responses = _responses(response_version_id)
    follow_ups = list(selectors.follow_ups(conversation))
    statuses = _latest_goal_statuses(follow_ups)
    answered = {f.answers_id for f in follow_ups if f.answers_id}
    comments, statements = _comment_rows(conversation)
    return ConversationPdfData(
        conversation_id=conversation.pk,
        status=conversation.status,
        employee=Person(conversation.employee.employee_id, conversation.employee.full_name),
        leader=Person(conversation.leader.employee_id, conversation.leader.full_name),
        unit=conversation.unit.path if conversation.unit_id else "",
        cycle=conversation.cycle.name if conversation.cycle_id else "",
        held_on=conversation.held_on,
        scheduled_at=conversation.scheduled_at,
        binding=binding,
        tasks=tuple(
            TaskRow(
                t["id"], t["title"], t["description"], _date(t["due_date"]), responses.get(("task", t["id"]))
            )
            for t in tasks
        ),
        goals=tuple(
            GoalRow(
                id=g["id"],
                kind=g["kind"],
                title=g["title"],
                description=g["description"],
                measure=g["measure"],
                due_date=_date(g["due_date"]),
                latest_status=statuses.get(g["id"]),
                response=responses.get(("goal", g["id"])),
                supports=_supports_label(g.get("supports")),
            )
            for g in goals
        ),
        expectations=tuple(
            ExpectationRow(e["id"], e["direction"], e["text"], responses.get(("expectation", e["id"])))
            for e in expectations
        ),
        comments=tuple(comments),
        statements=tuple(statements),
        follow_ups=tuple(_follow_up_row(f, answered) for f in follow_ups),
    )


def _follow_up_row(entry: FollowUp, answered: set[int]) -> FollowUpRow:
    return FollowUpRow(
        entry.author.full_name,
        entry.created_at,
        entry.text,
        _item_ref(entry),
        entry.item_status,
        entry.progress,
        kind=entry.kind,
        answer=entry.answer,
        is_open=entry.kind == FollowUp.Kind.QUESTION and entry.pk not in answered,
    )
