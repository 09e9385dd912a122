"""The most expensive conversation PDF a party can cause: every printed field at its maximum length, in
the text shapes that cost WeasyPrint most, built through the project's own import and services.

Used by `bench/pdf_bench.py --worst` and by `tests/reports/test_pdf_cost.py`. It needs a database (the
benchmark's throwaway test database, or the test's).

Fields (limits from the models): names 200, employee ids 64, the unit's path 1,000 (five levels of 199),
the cycle's name 200, item titles 300, every free text at the limit a party may write
(`SAMTALE_TEXT_MAX_LENGTH`, 3,000 by default: descriptions, measures, expectations, the employee's answers,
a comment on an item, a change request, the supplementary statement, a follow-up).
By default the contract holds one task, one goal and one expectation, so every field is there once;
`ALL_KINDS` adds a goal of each kind and an expectation in each direction (19 free texts instead of 11).
Item counts have no limit in the model; more items cost time in proportion, as more pages do.
"""

import datetime
import itertools
from collections.abc import Callable, Sequence

from django.utils import timezone

from conversations import services as conversation_services
from conversations.contract import workflow
from conversations.cycles import services as cycle_services
from conversations.models import Conversation
from core import free_text
from goals import services as goal_services
from organization.importer import read_org_file
from organization.models import User
from organization.services import org_import_apply

TEXT_MAX = free_text.max_length()  # SAMTALE_TEXT_MAX_LENGTH: what a party may write
TITLE_MAX = 300
NAME_MAX = 200
EMPLOYEE_ID_MAX = 64
UNIT_LEVELS, UNIT_NAME = 5, 199  # 5 * 199 + 4 separators = 999 of the path's 1,000


GOAL_KINDS = ("result", "development", "relational")
DIRECTIONS = ("leader_to_employee", "employee_to_leader")
ALL_KINDS = {"goal_kinds": GOAL_KINDS, "directions": DIRECTIONS}


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda length: (unit * (length // len(unit) + 1))[:length]


# Text shapes: each makes a text of exactly `length` characters (code points, as the models count).
SHAPES: dict[str, Callable[[int], str]] = {
    "word": _repeat("a"),  # one unbroken word
    "long_words": _repeat("arbeidsmiljoutvalgsmote "),  # 23-letter words, too wide for a narrow column
    "combining": lambda length: "a" + "\u0301" * (length - 1),  # one letter under all the marks
    "bidi": _repeat("a\u05d0"),  # a direction change after every letter
    "bidi_controls": _repeat("\u202eab\u202c\u2067\u05d0\u2069"),
    "emoji": _repeat("\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466\U0001f600"),
    "newlines": _repeat("a\n"),
    "cjk": _repeat("漢字かな한글"),
    "url": lambda length: ("https://example.com/" + _repeat("abcdefghij")(length))[:length],
    "markup": _repeat("&<>\"'"),
    "nbsp": _repeat("a\u00a0"),
    "soft_hyphens": _repeat("a\u00ad"),  # a hyphenation opportunity after every letter
    "prose": _repeat("Vi avtaler at medarbeideren leder prosjektet og rapporterer hver måned. "),
}


def text(shape: str, length: int, *, one_line: bool = False) -> str:
    """`length` characters of `shape`; `one_line` for names and unit levels (no line breaks, no "/")."""
    value = SHAPES[shape](length)
    if one_line:
        value = value.replace("\n", " ").replace("/", "_")
    # The services strip the ends; keep exactly `length` characters after that.
    return value.strip().ljust(length, "x")


def _people_file(shapes: Callable[[], str]) -> tuple[bytes, list[str]]:
    unit = "/".join(text(shapes(), UNIT_NAME, one_line=True) for _ in range(UNIT_LEVELS))
    ids = [f"{role}-" + "9" * (EMPLOYEE_ID_MAX - len(role) - 1) for role in ("hr", "leader", "employee")]
    rows = [
        (ids[0], "HR " + text(shapes(), NAME_MAX - 3, one_line=True), "", unit, "", "hr"),
        (ids[1], text(shapes(), NAME_MAX, one_line=True), "", unit, "", "leader"),
        (ids[2], text(shapes(), NAME_MAX, one_line=True), "", unit, ids[1], "employee"),
    ]
    lines = ["employee_id,full_name,email,unit,manager_id,roles"]
    lines += [",".join('"' + cell.replace('"', '""') + '"' for cell in row) for row in rows]
    return "\n".join(lines).encode(), ids


def _import_people(shapes: Callable[[], str]) -> tuple[User, User, User]:
    data, ids = _people_file(shapes)
    # The file holds only the worst case's three people: anyone else in the database is marked as left.
    org_import_apply(rows=read_org_file(data), allow_mass_leave=True)
    people = {user.employee_id: user for user in User.objects.filter(employee_id__in=ids)}
    return people[ids[0]], people[ids[1]], people[ids[2]]


def _add_items(
    conversation: Conversation, leader: User, shapes: Callable[[], str], goal_kinds, directions
) -> None:
    due = timezone.localdate() + datetime.timedelta(days=120)
    goal_services.task_create(
        conversation=conversation,
        actor=leader,
        title=text(shapes(), TITLE_MAX),
        description=text(shapes(), TEXT_MAX),
        due_date=due,
    )
    for kind in goal_kinds:
        goal_services.goal_create(
            conversation=conversation,
            actor=leader,
            kind=kind,
            title=text(shapes(), TITLE_MAX),
            description=text(shapes(), TEXT_MAX),
            measure=text(shapes(), TEXT_MAX),
            due_date=due,
        )
    for direction in directions:
        goal_services.expectation_create(
            conversation=conversation, actor=leader, direction=direction, text=text(shapes(), TEXT_MAX)
        )


def _answer_all(conversation: Conversation, employee: User, shapes: Callable[[], str]) -> None:
    items = [*conversation.tasks.all(), *conversation.goals.all(), *conversation.expectations.all()]
    for item in items:
        conversation_services.item_response_record(
            conversation=conversation,
            actor=employee,
            stance="agree_with_comment",
            comment=text(shapes(), TEXT_MAX),
            **{type(item)._meta.model_name: item},
        )


def build_worst_case(
    shapes: Sequence[str] = tuple(SHAPES),
    *,
    goal_kinds: Sequence[str] = ("result",),
    directions: Sequence[str] = ("leader_to_employee",),
) -> Conversation:
    """A confirmed conversation with every printed field at its maximum length; the fields take the
    `shapes` in turn. One task, a goal of each of `goal_kinds`, an expectation in each of `directions`
    (by default one of each: every field once). The change request goes through a revision, so both
    versions exist."""
    turn = itertools.cycle(shapes).__next__
    hr, leader, employee = _import_people(turn)
    today = timezone.localdate()
    cycle = cycle_services.cycle_create(
        actor=hr, name=text(turn(), NAME_MAX), starts_on=today, deadline=today + datetime.timedelta(days=60)
    )
    conversation = conversation_services.conversation_create(actor=leader, employee=employee, cycle=cycle)
    conversation_services.conversation_update(conversation=conversation, actor=leader, held_on=today)
    _add_items(conversation, leader, turn, goal_kinds, directions)
    goal = conversation.goals.order_by("id").first()
    conversation_services.comment_create(
        conversation=conversation, actor=employee, text=text(turn(), TEXT_MAX), goal=goal
    )
    workflow.conversation_submit(conversation_id=conversation.pk, actor=leader)
    workflow.conversation_request_changes(
        conversation_id=conversation.pk, actor=employee, comment=text(turn(), TEXT_MAX)
    )
    workflow.conversation_revise(conversation_id=conversation.pk, actor=leader)
    version = workflow.conversation_submit(conversation_id=conversation.pk, actor=leader)
    _answer_all(conversation, employee, turn)
    workflow.conversation_confirm(
        conversation_id=conversation.pk, actor=employee, version=version.number, sha256=version.sha256
    )
    conversation_services.statement_create(
        conversation=conversation, actor=employee, text=text(turn(), TEXT_MAX)
    )
    conversation_services.follow_up_create(
        conversation=conversation,
        actor=leader,
        text=text(turn(), TEXT_MAX),
        goal=goal,
        progress=50,
        item_status="at_risk",
    )
    conversation.refresh_from_db()
    return conversation
