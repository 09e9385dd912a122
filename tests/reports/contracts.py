"""Contracts for the PDF tests and the PDF benchmark (`bench/pdf_bench.py`), built through the services as
in production."""

import datetime

from django.utils import timezone

from conversations import services as conversation_services
from goals import services as goal_services
from tests import factories
from tests.workflow import confirm_latest, submit

GOAL_KINDS = ("result", "development", "relational")
STANCES = ("agree", "agree_with_comment", "disagree")
ITEM_STATUSES = ("on_track", "at_risk", "off_track", "achieved")

MALICIOUS_TEXTS = (
    '<img src="http://169.254.169.254/latest">',
    "<script>alert(1)</script>",
    '<img src="file:///etc/passwd">',
    '<link rel="stylesheet" href="file:///etc/passwd">',
    '<img src="https://example.com/tracker.png">',
    "file:///etc/passwd",
)


def _add_items(conversation, leader, *, tasks, goals, expectations, extra_goal_title=""):
    due = timezone.localdate() + datetime.timedelta(days=120)
    for n in range(1, tasks + 1):
        goal_services.task_create(
            conversation=conversation,
            actor=leader,
            title=f"Oppgave {n}",
            description=f"Beskrivelse av oppgave {n}",
            due_date=due,
        )
    for n in range(1, goals + 1):
        goal_services.goal_create(
            conversation=conversation,
            actor=leader,
            kind=GOAL_KINDS[(n - 1) % 3],
            title=f"Mål {n}{extra_goal_title if n == 1 else ''}",
            description=f"Hvorfor mål {n} betyr noe",
            measure=f"Måltall {n}",
            due_date=due + datetime.timedelta(days=n),
        )
    for n in range(1, expectations + 1):
        direction = "leader_to_employee" if n % 2 else "employee_to_leader"
        goal_services.expectation_create(
            conversation=conversation, actor=leader, direction=direction, text=f"Forventning {n}"
        )


def _answer_all(conversation, employee):
    for index, item in enumerate(
        [*conversation.tasks.all(), *conversation.goals.all(), *conversation.expectations.all()]
    ):
        stance = STANCES[index % 3]
        kind = type(item)._meta.model_name
        conversation_services.item_response_record(
            conversation=conversation,
            actor=employee,
            stance=stance,
            comment="" if stance == "agree" else f"Svarkommentar {index}",
            **{kind: item},
        )


def _follow_up(conversation, leader, employee, *, count, extra_text=""):
    goals = list(conversation.goals.order_by("order", "id"))
    for n in range(1, count + 1):
        goal = goals[n % len(goals)] if goals and n % 2 else None
        conversation_services.follow_up_create(
            conversation=conversation,
            actor=leader if n % 3 else employee,
            text=f"Oppfølging nr {n}{extra_text if n == 1 else ''}",
            goal=goal,
            progress=min(100, n * 5) if goal else None,
            item_status=ITEM_STATUSES[n % 4] if goal else "",
        )


def build_contract(
    *,
    tasks=5,
    goals=10,
    expectations=6,
    follow_ups=20,
    confirm=True,
    leader=None,
    employee=None,
    cycle=None,
    text_suffix="",
):
    """A conversation with the given numbers of items, answered, confirmed (when `confirm`), commented on,
    with a supplementary statement and `follow_ups` follow-up entries. `text_suffix` is appended to one
    goal title, comment, statement and follow-up (used for hostile input)."""
    if leader is None or employee is None:
        unit = factories.OrgUnitFactory(
            name="Seksjon for drift", path="Oslo kommune/Bymiljøetaten/Seksjon for drift"
        )
        leader = factories.LeaderFactory(unit=unit, full_name="Lise Leder")
        employee = factories.UserFactory(unit=unit, manager=leader, full_name="Mona Medarbeider")
    cycle = cycle or factories.CycleFactory(name="Medarbeidersamtaler 2027")
    conversation = conversation_services.conversation_create(actor=leader, employee=employee, cycle=cycle)
    conversation_services.conversation_update(
        conversation=conversation, actor=leader, held_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    _add_items(
        conversation,
        leader,
        tasks=tasks,
        goals=goals,
        expectations=expectations,
        extra_goal_title=text_suffix,
    )
    conversation_services.comment_create(
        conversation=conversation, actor=employee, text=f"En kommentar før innsending{text_suffix}"
    )
    submit(conversation)
    _answer_all(conversation, employee)
    if confirm:
        confirm_latest(conversation)
        conversation_services.statement_create(
            conversation=conversation, actor=employee, text=f"Min tilleggsmerknad{text_suffix}"
        )
        _follow_up(conversation, leader, employee, count=follow_ups, extra_text=text_suffix)
    conversation.refresh_from_db()
    return conversation
