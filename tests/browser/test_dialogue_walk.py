"""The year-round dialogue walked in a real browser: the employee asks "Er vi på rett vei?" and marks a
promise of the leader's as not kept on a phone; the leader finds both on Venter på deg and on Mine
medarbeidere, answers "Juster kursen"; a quarter without follow-up later the reminder goes out and the
check-in waits on both of them."""

import datetime
import re

import pytest
from django.core import mail

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips locally and fails in CI
    expect = None

from conversations import workflow
from conversations.models import Conversation, FollowUp
from conversations.reminders import send_reminders
from goals import services as goal_services
from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def confirmed(transactional_db):
    unit = factories.OrgUnitFactory(name="Bymiljøetaten")
    leader = factories.LeaderFactory(unit=unit, full_name="Lise Leder")
    employee = factories.UserFactory(unit=unit, manager=leader, full_name="Marius Medarbeider")
    cycle = factories.CycleFactory(name="Medarbeidersamtaler 2027")
    conversation = factories.make_conversation(leader=leader, employee=employee, cycle=cycle)
    goal_services.expectation_create(
        conversation=conversation, actor=leader, direction="employee_to_leader", text="Ukentlige avklaringer"
    )
    version = workflow.conversation_submit(conversation_id=conversation.pk, actor=leader)
    workflow.conversation_confirm(
        conversation_id=conversation.pk, actor=employee, version=version.number, sha256=version.sha256
    )
    return conversation


def test_a_question_its_answer_a_promise_not_kept_and_the_reminder(visitor, confirmed):
    conversation = confirmed
    phone = visitor("nb", 375).log_in_as(conversation.employee)
    _employee_asks_and_marks(phone, conversation)
    boss = visitor("nb", 1280).log_in_as(conversation.leader)
    _leader_finds_and_answers(boss, conversation)
    phone.go("/", "waiting (employee, answered)")
    expect(phone.page.locator("main")).to_contain_text("Ingenting venter på deg nå.")
    _a_quarter_later(boss, phone, conversation)


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
