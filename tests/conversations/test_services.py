"""Services around the workflow: creation, agenda, responses, statements, comments, carry-over, e-mail."""

import datetime
import smtplib

import pytest
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.http import Http404
from django.utils import timezone, translation

from conversations.contract import workflow
from conversations.models import (
    AgendaPoint,
    Comment,
    Conversation,
    DeputyGrant,
    HistoryEntry,
    ItemResponse,
    Status,
)
from conversations.notify import notifications
from conversations.services import (
    agenda_point_create,
    agenda_point_share,
    comment_create,
    conversation_create,
    conversation_update,
    deputy_grant_create,
    follow_up_create,
    item_response_record,
    statement_create,
)
from core.errors import InvalidInput, InvalidTransition, NotAllowed, PreconditionFailed
from goals.models import Goal
from goals.services import goal_create, task_create
from tests import factories
from tests.factories import conversation_in
from tests.workflow import latest_version, run_transition, snapshot

pytestmark = pytest.mark.django_db


# --- creating a conversation ----------------------------------------------------------------------


def test_leader_creates_a_draft_for_a_direct_report(pair):
    leader, employee = pair
    scheduled = timezone.now() + datetime.timedelta(days=3)
    conversation = conversation_create(actor=leader, employee=employee, scheduled_at=scheduled)
    assert (conversation.status, conversation.leader, conversation.employee) == (
        Status.DRAFT,
        leader,
        employee,
    )
    assert conversation.unit == employee.unit
    assert conversation.scheduled_at == scheduled
    assert HistoryEntry.objects.filter(conversation=conversation, action="create", actor=leader).exists()


@pytest.mark.parametrize("who", ["other_leader", "employee", "hr", "manager_of_manager"])
def test_only_the_manager_can_create(pair, who):
    leader, employee = pair
    actor = {
        "other_leader": lambda: factories.make_pair()[0],
        "employee": lambda: employee,
        "hr": lambda: factories.HRFactory(is_leader=True),
        "manager_of_manager": lambda: _promote(leader),
    }[who]()
    with pytest.raises(NotAllowed):
        conversation_create(actor=actor, employee=employee)
    assert not Conversation.objects.exists()


def _promote(leader):
    boss = factories.LeaderFactory()
    leader.manager = boss
    leader.save()
    return boss


def test_no_conversation_with_someone_who_left(pair):
    leader, employee = pair
    employee.is_active = False
    employee.save()
    with pytest.raises(NotAllowed):
        conversation_create(actor=leader, employee=employee)


def test_template_points_are_copied_into_the_agenda(pair):
    leader, employee = pair
    template = factories.TemplateFactory()
    factories.TemplatePointFactory(
        template=template, text="Arbeidsmiljø", hint="Hvordan har du det?", order=2
    )
    factories.TemplatePointFactory(template=template, text="Kompetanse", hint="", order=1)
    cycle = factories.CycleFactory(template=template)

    conversation = conversation_create(actor=leader, employee=employee, cycle=cycle)

    points = list(conversation.agenda_points.order_by("order"))
    assert [(p.text, p.hint, p.order) for p in points] == [
        ("Kompetanse", "", 1),
        ("Arbeidsmiljø", "Hvordan har du det?", 2),
    ]
    assert all(p.from_template and p.shared and p.author is None for p in points)
    template.points.update(text="Endret i malen")
    assert conversation.agenda_points.filter(text="Arbeidsmiljø").exists()  # a copy, not a link


def test_no_template_no_agenda(pair):
    leader, employee = pair
    conversation = conversation_create(actor=leader, employee=employee, cycle=factories.CycleFactory())
    assert not conversation.agenda_points.exists()


def test_conversation_update_needs_the_current_revision(conversation):
    leader = conversation.leader
    new_time = timezone.now() + datetime.timedelta(days=1)
    before = snapshot(conversation)
    with pytest.raises(PreconditionFailed):
        conversation_update(
            conversation=conversation,
            actor=leader,
            expected_revision=conversation.revision - 1,
            scheduled_at=new_time,
        )
    with pytest.raises(NotAllowed):
        conversation_update(conversation=conversation, actor=conversation.employee, scheduled_at=new_time)
    assert snapshot(conversation) == before
    updated = conversation_update(
        conversation=conversation,
        actor=leader,
        expected_revision=conversation.revision,
        scheduled_at=new_time,
    )
    assert updated.revision == conversation.revision + 1
    assert Conversation.objects.get(pk=conversation.pk).scheduled_at == new_time


@pytest.mark.parametrize(
    "field", ["status", "leader", "employee", "confirmed_version", "confirmed_at", "closed_at", "revision"]
)
def test_conversation_update_cannot_touch_workflow_fields(conversation, field):
    before = snapshot(conversation)
    with pytest.raises(TypeError):
        conversation_update(conversation=conversation, actor=conversation.leader, **{field: None})
    assert snapshot(conversation) == before


@pytest.mark.parametrize("status", [Status.CLOSED, Status.CANCELLED])
def test_finished_conversation_cannot_be_updated(status):
    conversation = conversation_in(status)
    with pytest.raises(InvalidTransition):
        conversation_update(
            conversation=conversation, actor=conversation.leader, held_on=timezone.localdate()
        )


# --- carry-over -----------------------------------------------------------------------------------


def test_carry_over_copies_open_goals_and_tasks_only(pair):
    leader, employee = pair
    previous = factories.make_conversation(leader=leader, employee=employee, items=False)
    achieved_goal = goal_create(conversation=previous, actor=leader, title="Nådd", kind="result")
    reopened_goal = goal_create(conversation=previous, actor=leader, title="Gjenåpnet", kind="development")
    open_goal = goal_create(
        conversation=previous, actor=leader, title="Åpent", kind="relational", measure="M"
    )
    achieved_task = task_create(conversation=previous, actor=leader, title="Ferdig oppgave")
    open_task = task_create(
        conversation=previous, actor=leader, title="Åpen oppgave", due_date=datetime.date(2031, 1, 1)
    )
    run_transition(previous, "submit")
    run_transition(previous, "confirm")

    def status(item_status, **item):
        follow_up_create(
            conversation=previous, actor=employee, text="Status", item_status=item_status, **item
        )

    status("on_track", goal=achieved_goal)
    status("achieved", goal=achieved_goal)
    status("achieved", goal=reopened_goal)
    status("at_risk", goal=reopened_goal)
    status("on_track", goal=open_goal)
    follow_up_create(conversation=previous, actor=leader, text="Bare en kommentar", goal=open_goal)
    status("achieved", task=achieved_task)
    run_transition(previous, "close")

    conversation = conversation_create(actor=leader, employee=employee, carry_over=True)

    goals = list(conversation.goals.order_by("order"))
    assert [(g.title, g.carried_over_from_id) for g in goals] == [
        ("Gjenåpnet", reopened_goal.pk),
        ("Åpent", open_goal.pk),
    ]
    assert (goals[1].kind, goals[1].measure) == ("relational", "M")
    tasks = list(conversation.tasks.all())
    assert [(t.title, t.due_date, t.carried_over_from_id) for t in tasks] == [
        ("Åpen oppgave", datetime.date(2031, 1, 1), open_task.pk)
    ]
    assert not conversation.expectations.exists()
    created = HistoryEntry.objects.get(conversation=conversation, action="create")
    assert created.changes["carried_over"] == {
        "from": previous.pk,
        "goals": [reopened_goal.pk, open_goal.pk],
        "tasks": [open_task.pk],
    }
    assert Goal.objects.filter(conversation=previous).count() == 3  # the old contract is untouched


def test_no_carry_over_unless_asked_or_without_a_confirmed_contract(pair):
    leader, employee = pair
    conversation_in(Status.AWAITING_CONFIRMATION, leader=leader, employee=employee)  # never confirmed
    fresh = conversation_create(actor=leader, employee=employee, carry_over=True)
    assert not fresh.goals.exists() and not fresh.tasks.exists()

    conversation_in(Status.CLOSED, leader=leader, employee=employee)
    not_asked = conversation_create(actor=leader, employee=employee)
    assert not not_asked.goals.exists() and not not_asked.tasks.exists()


def test_carry_over_takes_only_the_employees_own_contract(pair):
    leader, employee = pair
    other = factories.UserFactory(manager=leader)
    conversation_in(Status.CLOSED, leader=leader, employee=other)
    conversation = conversation_create(actor=leader, employee=employee, carry_over=True)
    assert not conversation.goals.exists()


def test_carry_over_takes_the_binding_version_not_an_amendment_draft(pair):
    leader, employee = pair
    previous = conversation_in(Status.CONFIRMED, leader=leader, employee=employee)
    run_transition(previous, "amend")
    goal_create(conversation=previous, actor=leader, title="Aldri bekreftet", kind="result")
    conversation = conversation_create(actor=leader, employee=employee, carry_over=True)
    assert list(conversation.goals.values_list("title", flat=True)) == ["Ferdigstille plan"]


# --- agenda points --------------------------------------------------------------------------------


def test_private_agenda_point_belongs_to_its_author(conversation):
    employee, leader = conversation.employee, conversation.leader
    history_before = HistoryEntry.objects.filter(conversation=conversation).count()
    point = agenda_point_create(conversation=conversation, actor=employee, text="  Lønn  ", shared=False)
    assert (point.author, point.shared, point.text) == (employee, False, "Lønn")
    # The history is shown to both parties, so a private point leaves no trace in it.
    assert HistoryEntry.objects.filter(conversation=conversation).count() == history_before

    with pytest.raises(NotAllowed):
        agenda_point_share(point=point, actor=leader)
    assert not AgendaPoint.objects.get(pk=point.pk).shared

    agenda_point_share(point=point, actor=employee)
    assert AgendaPoint.objects.get(pk=point.pk).shared
    assert HistoryEntry.objects.filter(conversation=conversation, action="agenda_point_shared").count() == 1
    agenda_point_share(point=point, actor=employee)  # sharing again is a no-op
    assert HistoryEntry.objects.filter(conversation=conversation, action="agenda_point_shared").count() == 1


def test_shared_agenda_point_is_recorded(conversation):
    point = agenda_point_create(conversation=conversation, actor=conversation.leader, text="Mål for året")
    assert point.shared
    assert HistoryEntry.objects.filter(conversation=conversation, action="agenda_point").exists()


def test_agenda_point_needs_access(conversation):
    with pytest.raises(Http404):
        agenda_point_create(conversation=conversation, actor=factories.HRFactory(), text="Hei")
    assert not conversation.agenda_points.exists()


# --- request changes ------------------------------------------------------------------------------


@pytest.mark.parametrize("comment", ["", "   ", None])
def test_request_changes_requires_a_comment(comment):
    conversation = conversation_in(Status.AWAITING_CONFIRMATION)
    before = snapshot(conversation)
    with pytest.raises(InvalidInput):
        workflow.conversation_request_changes(
            conversation_id=conversation.pk, actor=conversation.employee, comment=comment
        )
    assert snapshot(conversation) == before


# --- item responses -------------------------------------------------------------------------------


@pytest.fixture
def awaiting(db):
    return conversation_in(Status.AWAITING_CONFIRMATION)


@pytest.mark.parametrize(
    ("stance", "comment", "ok"),
    [
        ("agree", "", True),
        ("agree", "Fint", True),
        ("agree_with_comment", "Men fristen er stram", True),
        ("agree_with_comment", "", False),
        ("agree_with_comment", "   ", False),
        ("disagree", "Urealistisk", True),
        ("disagree", "", False),
    ],
)
def test_item_response_comment_rule(awaiting, stance, comment, ok):
    goal = awaiting.goals.get()
    call = lambda: item_response_record(  # noqa: E731
        conversation=awaiting, actor=awaiting.employee, stance=stance, comment=comment, goal=goal
    )
    if not ok:
        with pytest.raises(InvalidInput):
            call()
        assert not ItemResponse.objects.exists()
        return
    response = call()
    assert (response.stance, response.comment, response.goal) == (stance, comment.strip(), goal)
    assert response.version == latest_version(awaiting)
    assert response.author == awaiting.employee


def test_a_new_answer_replaces_the_old_one(awaiting):
    task = awaiting.tasks.get()
    item_response_record(
        conversation=awaiting, actor=awaiting.employee, stance="disagree", comment="Nei", task=task
    )
    item_response_record(conversation=awaiting, actor=awaiting.employee, stance="agree", task=task)
    assert list(ItemResponse.objects.values_list("stance", flat=True)) == ["agree"]


def test_answers_belong_to_one_version(awaiting):
    expectation = awaiting.expectations.get()
    item_response_record(
        conversation=awaiting, actor=awaiting.employee, stance="agree", expectation=expectation
    )
    run_transition(awaiting, "request_changes")
    run_transition(awaiting, "submit")
    item_response_record(
        conversation=awaiting, actor=awaiting.employee, stance="agree", expectation=expectation
    )
    assert sorted(ItemResponse.objects.values_list("version__number", flat=True)) == [1, 2]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.CHANGES_REQUESTED, Status.CONFIRMED, Status.CLOSED])
def test_item_responses_only_while_awaiting(status):
    conversation = conversation_in(status)
    before = snapshot(conversation)
    with pytest.raises(InvalidTransition):
        item_response_record(
            conversation=conversation,
            actor=conversation.employee,
            stance="agree",
            goal=conversation.goals.get(),
        )
    assert snapshot(conversation) == before


def test_item_response_refuses_an_item_of_another_conversation(awaiting):
    foreign = conversation_in(Status.AWAITING_CONFIRMATION)
    with pytest.raises(InvalidInput):
        item_response_record(
            conversation=awaiting, actor=awaiting.employee, stance="agree", goal=foreign.goals.get()
        )
    assert not ItemResponse.objects.exists()


def test_item_response_needs_exactly_one_item(awaiting):
    with pytest.raises(InvalidInput):
        item_response_record(conversation=awaiting, actor=awaiting.employee, stance="agree")
    with pytest.raises(InvalidInput):
        item_response_record(
            conversation=awaiting,
            actor=awaiting.employee,
            stance="agree",
            goal=awaiting.goals.get(),
            task=awaiting.tasks.get(),
        )
    assert not ItemResponse.objects.exists()


def test_only_the_employee_answers(awaiting):
    with pytest.raises(NotAllowed):
        item_response_record(
            conversation=awaiting, actor=awaiting.leader, stance="agree", goal=awaiting.goals.get()
        )


# --- statements and comments ----------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.DRAFT, Status.AWAITING_CONFIRMATION, Status.CHANGES_REQUESTED])
def test_statement_only_after_confirmation(status):
    conversation = conversation_in(status)
    before = snapshot(conversation)
    with pytest.raises(InvalidTransition):
        statement_create(conversation=conversation, actor=conversation.employee, text="Tillegg")
    assert snapshot(conversation) == before


@pytest.mark.parametrize("status", [Status.CONFIRMED, Status.CLOSED])
def test_employee_adds_a_statement_after_confirmation(status):
    conversation = conversation_in(status)
    statement = statement_create(conversation=conversation, actor=conversation.employee, text=" Min merknad ")
    assert (statement.kind, statement.text, statement.author) == (
        Comment.Kind.STATEMENT,
        "Min merknad",
        conversation.employee,
    )
    assert HistoryEntry.objects.filter(conversation=conversation, action="statement").exists()


def test_statement_only_by_the_employee():
    conversation = conversation_in(Status.CONFIRMED)
    deputy = factories.LeaderFactory()
    deputy_grant_create(
        leader=conversation.leader, deputy=deputy, until=timezone.localdate() + datetime.timedelta(days=1)
    )
    for actor in (conversation.leader, deputy):
        with pytest.raises(NotAllowed):
            statement_create(conversation=conversation, actor=actor, text="Tillegg")
    assert not conversation.comments.exists()


def test_comment_on_an_item(conversation):
    goal = conversation.goals.get()
    comment = comment_create(
        conversation=conversation, actor=conversation.employee, text="Hva betyr dette?", goal=goal
    )
    assert (comment.item, comment.kind) == (goal, Comment.Kind.COMMENT)


def test_comment_refuses_an_item_of_another_conversation(conversation):
    foreign = conversation_in(Status.DRAFT)
    with pytest.raises(InvalidInput):
        comment_create(
            conversation=conversation, actor=conversation.leader, text="Hei", task=foreign.tasks.get()
        )
    assert not Comment.objects.exists()


def test_comment_must_have_text(conversation):
    with pytest.raises(ValidationError):
        comment_create(conversation=conversation, actor=conversation.leader, text="   ")
    assert not Comment.objects.exists()


@pytest.mark.parametrize("status", [Status.CLOSED, Status.CANCELLED])
def test_no_comments_on_a_finished_conversation(status):
    conversation = conversation_in(status)
    with pytest.raises(InvalidTransition):
        comment_create(conversation=conversation, actor=conversation.employee, text="Hei")
    assert not conversation.comments.exists()


def test_follow_up_validates_progress_and_item():
    conversation = conversation_in(Status.CONFIRMED)
    foreign = conversation_in(Status.CONFIRMED)
    with pytest.raises(ValidationError):
        follow_up_create(conversation=conversation, actor=conversation.employee, text="For mye", progress=101)
    with pytest.raises(InvalidInput):
        follow_up_create(
            conversation=conversation, actor=conversation.employee, text="Feil", goal=foreign.goals.get()
        )
    entry = follow_up_create(
        conversation=conversation,
        actor=conversation.employee,
        text="Godt i gang",
        goal=conversation.goals.get(),
        progress=40,
        item_status="on_track",
    )
    assert (entry.progress, entry.item_status) == (40, "on_track")
    assert conversation.follow_ups.count() == 1


# --- deputies -------------------------------------------------------------------------------------


def test_deputy_grant_rules(pair):
    leader, employee = pair
    conversation = factories.make_conversation(leader=leader, employee=employee)
    foreign = conversation_in(Status.DRAFT)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    deputy = factories.LeaderFactory()
    with pytest.raises(NotAllowed):
        deputy_grant_create(leader=leader, deputy=deputy, until=tomorrow, conversation=foreign)
    with pytest.raises(InvalidInput):
        deputy_grant_create(leader=leader, deputy=leader, until=tomorrow)
    with pytest.raises(InvalidInput):
        deputy_grant_create(
            leader=leader, deputy=deputy, until=timezone.localdate() - datetime.timedelta(days=1)
        )
    assert not DeputyGrant.objects.exists()
    deputy_grant_create(leader=leader, deputy=deputy, until=tomorrow, conversation=conversation)
    entry = HistoryEntry.objects.get(conversation=conversation, action="deputy_granted")
    assert entry.changes == {"deputy": deputy.employee_id, "until": tomorrow.isoformat()}


# --- e-mail notifications -------------------------------------------------------------------------


class BrokenEmailBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_failing_mail_server_does_not_lose_the_transition(
    conversation, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenEmailBackend"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        version = workflow.conversation_submit(conversation_id=conversation.pk, actor=conversation.leader)
    assert len(callbacks) == 1
    conversation.refresh_from_db()
    assert conversation.status == Status.AWAITING_CONFIRMATION
    assert latest_version(conversation) == version
    assert "Could not send e-mail" in caplog.text


@pytest.mark.parametrize(
    ("path", "recipient"),
    [
        (("submit",), "employee"),
        (("submit", "confirm"), "leader"),
        (("submit", "request_changes"), "leader"),
    ],
    ids=["submit", "confirm", "request_changes"],
)
def test_notification_goes_to_the_party_who_must_act(
    conversation, mailoutbox, django_capture_on_commit_callbacks, path, recipient
):
    *before, last = path
    for name in before:
        run_transition(conversation, name)
    with django_capture_on_commit_callbacks(execute=True):
        run_transition(conversation, last)
    assert [m.to for m in mailoutbox] == [[getattr(conversation, recipient).email]]
    assert conversation.employee.full_name in mailoutbox[0].body


@pytest.mark.parametrize("name", ["revise", "amend", "close", "cancel"])
def test_no_notification_for_the_leaders_own_steps(mailoutbox, django_capture_on_commit_callbacks, name):
    source = {"revise": Status.CHANGES_REQUESTED, "amend": Status.CONFIRMED, "close": Status.CONFIRMED}
    conversation = conversation_in(source.get(name, Status.DRAFT))
    with django_capture_on_commit_callbacks(execute=True):
        run_transition(conversation, name)
    assert mailoutbox == []


def test_no_mail_without_an_address(conversation, mailoutbox, django_capture_on_commit_callbacks):
    conversation.employee.email = ""
    conversation.employee.save()
    with django_capture_on_commit_callbacks(execute=True):
        run_transition(conversation, "submit")
    assert mailoutbox == []
    assert Conversation.objects.get(pk=conversation.pk).status == Status.AWAITING_CONFIRMATION


@pytest.mark.parametrize(("language", "active"), [("en", "nb"), ("nb", "en")])
def test_notification_is_in_the_recipients_language(
    conversation, mailoutbox, django_capture_on_commit_callbacks, monkeypatch, language, active
):
    # Until the message catalogues exist, mark every message with the language active when it was translated.
    monkeypatch.setattr(notifications, "_", lambda message: f"[{translation.get_language()}] {message}")
    conversation.employee.language = language
    conversation.employee.save()
    with translation.override(active), django_capture_on_commit_callbacks(execute=True):
        run_transition(conversation, "submit")
    (mail,) = mailoutbox
    assert mail.subject == f"[{language}] An agreement is waiting for your confirmation"
    assert mail.body.startswith(f"[{language}] ")


def test_english_subject_for_an_english_reader(conversation, mailoutbox, django_capture_on_commit_callbacks):
    conversation.employee.language = "en"
    conversation.employee.save()
    with django_capture_on_commit_callbacks(execute=True):
        run_transition(conversation, "submit")
    assert mailoutbox[0].subject == "An agreement is waiting for your confirmation"
