"""A whole year of the dialogue walked in a real browser: while the contract is a draft the employee
proposes a goal and a task on a phone; the leader finds the proposals on Venter på deg, accepts the goal
(it becomes an item of the contract), declines the task with a reason and sends the contract; the
employee sees the decline and confirms. Then the employee asks "Er vi på rett vei?" and marks a promise
of the leader's as not kept; the leader finds both on Venter på deg and on Mine medarbeidere, answers
"Juster kursen"; a quarter without follow-up later the reminder goes out and the check-in waits on both
of them."""

import datetime
import re

import pytest
from django.core import mail

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips locally and fails in CI
    expect = None

from conversations.models import Conversation, FollowUp
from conversations.notify.reminders import send_reminders
from goals import services as goal_services
from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def draft(transactional_db):
    unit = factories.OrgUnitFactory(name="Bymiljøetaten")
    leader = factories.LeaderFactory(unit=unit, full_name="Lise Leder")
    employee = factories.UserFactory(unit=unit, manager=leader, full_name="Marius Medarbeider")
    cycle = factories.CycleFactory(name="Medarbeidersamtaler 2027")
    conversation = factories.make_conversation(leader=leader, employee=employee, cycle=cycle)
    goal_services.expectation_create(
        conversation=conversation, actor=leader, direction="employee_to_leader", text="Ukentlige avklaringer"
    )
    return conversation


def test_a_whole_year_proposals_contract_question_answer_promise_not_kept_and_the_reminder(visitor, draft):
    conversation = draft
    phone = visitor("nb", 375).log_in_as(conversation.employee)
    boss = visitor("nb", 1280).log_in_as(conversation.leader)
    _employee_proposes(phone, conversation)
    _leader_decides_and_submits(boss, conversation)
    _employee_sees_the_decline_and_confirms(phone, conversation)
    _employee_asks_and_marks(phone, conversation)
    _leader_finds_and_answers(boss, conversation)
    phone.go("/", "waiting (employee, answered)")
    expect(phone.page.locator("main")).to_contain_text("Ingenting venter på deg nå.")
    _a_quarter_later(boss, phone, conversation)


def _employee_proposes(phone, conversation) -> None:
    page = phone.page
    phone.go(f"/samtaler/{conversation.pk}/")
    for kind, title, goal_kind in (
        ("Mål", "Ta fagbrev i anleggsteknikk", "Utviklingsmål"),
        ("Oppgave", "Lage ny vaktliste", ""),
    ):
        form = page.locator("#proposals form").last
        form.get_by_label("Hva foreslår du?").select_option(label=kind)
        form.get_by_label("Tittel").fill(title)
        if goal_kind:
            form.get_by_label("Type mål").select_option(label=goal_kind)
        form.get_by_role("button", name="Send forslaget").click()
        phone.expect_message("Forslaget ditt er sendt til lederen.")
    expect(page.locator("#proposals")).to_contain_text("Venter på leder")
    phone.check("proposals sent (employee)")


def _leader_decides_and_submits(boss, conversation) -> None:
    page = boss.page
    boss.go("/", "waiting (leader, proposals)")
    page.get_by_role("link", name=re.compile("Et forslag til avtalen som venter på svar")).click()
    goal, task = conversation.proposals.order_by("pk")
    page.locator(f"#proposal-{goal.pk}").get_by_role(
        "button", name=re.compile("Godta og legg til i avtalen")
    ).click()
    boss.expect_message("Forslaget er godtatt og lagt til i avtalen.")
    expect(page.locator("#contract")).to_contain_text("Ta fagbrev i anleggsteknikk")
    entry = page.locator(f"#proposal-{task.pk}")
    entry.get_by_label("Begrunnelse").fill("Vaktlisten lager vi sammen med hele teamet.")
    entry.get_by_role("button", name="Avslå").click()
    boss.expect_message("Forslaget er avslått.")
    boss.check("proposals decided (leader)")
    page.get_by_role("button", name="Send til bekreftelse").click()
    boss.expect_message("Avtalen ble sendt til bekreftelse.")


def _employee_sees_the_decline_and_confirms(phone, conversation) -> None:
    page = phone.page
    phone.go("/", "waiting (employee, proposal declined)")
    expect(page.locator("main")).to_contain_text("Et forslag som ble avslått")
    expect(page.locator("main")).to_contain_text("En versjon å bekrefte")
    page.get_by_role("link", name=re.compile("Et forslag som ble avslått")).click()
    expect(page.locator("#proposals")).to_contain_text("Vaktlisten lager vi sammen med hele teamet.")
    page.get_by_role("button", name="Bekreft avtalen").click()
    phone.expect_message("Du bekreftet versjon 1 av avtalen.")
    phone.go("/")
    expect(page.locator("main")).not_to_contain_text("Et forslag som ble avslått")


def _employee_asks_and_marks(phone, conversation) -> None:
    page = phone.page
    phone.go(f"/samtaler/{conversation.pk}/")
    form = page.locator("#follow-up form").last
    form.get_by_label("Type innlegg").select_option(label="Spørsmål")
    form.get_by_label("Er vi på rett vei?").fill("Er vi på rett vei med planen?")
    form.get_by_role("button", name="Legg til oppfølging").click()
    phone.expect_message("Oppfølgingen din ble lagt til.")
    expect(page.locator("#follow-up .timeline")).to_contain_text("Venter på svar")

    expectation = conversation.expectations.get(direction="employee_to_leader")
    form = page.locator("#follow-up form").last
    form.get_by_label("Type innlegg").select_option(label="Ikke holdt")
    form.get_by_label("Er vi på rett vei?").fill("Avklaringene har uteblitt i tre uker.")
    form.get_by_label("Gjelder").select_option(value=f"expectation-{expectation.pk}")
    form.get_by_role("button", name="Legg til oppfølging").click()
    phone.expect_message("Oppfølgingen din ble lagt til.")
    expect(page.locator(f"#expectation-{expectation.pk}")).to_contain_text("Siste markering: Ikke holdt")
    phone.check("question asked and promise marked (employee)")


def _leader_finds_and_answers(boss, conversation) -> None:
    page = boss.page
    boss.go("/", "waiting (leader)")
    expect(page.get_by_role("heading", level=1)).to_have_text("Venter på deg")
    expect(page.locator("main")).to_contain_text("Et spørsmål som venter på svar fra deg")
    boss.go("/medarbeidere/", "my employees (waiting)")
    expect(page.locator(".cards")).to_contain_text("Et spørsmål som venter på svar fra deg")
    boss.go("/")
    page.get_by_role("link", name=re.compile("Et spørsmål som venter på svar fra deg")).click()
    question = FollowUp.objects.get(conversation=conversation, kind="question")
    entry = page.locator(f"#follow-up-{question.pk}")
    entry.get_by_label("Juster kursen").check()
    entry.get_by_label("Tekst").fill("Bra fart, men ta budsjettet først.")
    entry.get_by_role("button", name="Send svaret").click()
    boss.expect_message("Svaret ditt er lagt til.")
    expect(page.locator(f"#follow-up-{question.pk}")).to_contain_text("Besvart")
    expect(page.locator("#follow-up .timeline")).to_contain_text("Juster kursen")
    boss.check("question answered (leader)")


def _a_quarter_later(boss, phone, conversation) -> None:
    """Move the agreement's activity 100 days back, as if a quarter had passed without follow-up."""
    back = datetime.timedelta(days=100)
    conversation.refresh_from_db()
    for entry in FollowUp.objects.filter(conversation=conversation):
        FollowUp.objects.filter(pk=entry.pk).update(created_at=entry.created_at - back)
    Conversation.objects.filter(pk=conversation.pk).update(confirmed_at=conversation.confirmed_at - back)
    mail.outbox.clear()
    assert send_reminders()["check_in"] == 2
    nudged = sorted(m.to[0] for m in mail.outbox if m.subject == "Tid for oppfølging")
    assert nudged == sorted([conversation.leader.email, conversation.employee.email])
    for person in (boss, phone):
        person.go("/", "waiting (check-in)")
        expect(person.page.locator("main")).to_contain_text("Tid for oppfølging")
