"""A year of one conversation, walked in a real browser: the leader records and submits, the employee
disagrees with one item and asks for changes, the leader revises, the employee confirms, both follow up,
and someone outside sees only the 404 page. The leader works on a desktop, the employee on a phone."""

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips locally and fails in CI
    expect = None

from conversations.models import Conversation, Status
from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db):
    unit = factories.OrgUnitFactory(name="Bymiljøetaten")
    leader = factories.LeaderFactory(unit=unit, full_name="Lise Leder")
    employee = factories.UserFactory(unit=unit, manager=leader, full_name="Marius Medarbeider")
    outsider = factories.UserFactory(full_name="Olga Utenfor")
    template = factories.TemplateFactory()
    factories.TemplatePointFactory(template=template, text="Hvordan har året vært?")
    factories.CycleFactory(name="Medarbeidersamtaler 2027", template=template)
    return leader, employee, outsider


def test_a_year_of_one_conversation(visitor, people):
    leader, employee, outsider = people
    boss = visitor("nb", 1280)
    conversation = _leader_records_and_submits(boss, leader, employee)
    phone = visitor("nb", 375).log_in_as(employee)
    _employee_disagrees_and_requests_changes(phone, conversation)
    _leader_revises(boss, conversation)
    _employee_confirms_and_follows_up(phone, conversation)
    _leader_follows_up_and_reviews(boss, conversation)
    stranger = visitor("nb", 375).log_in_as(outsider)
    response = stranger.go(f"/samtaler/{conversation.pk}/", "404 for outsider")
    assert response.status == 404
    expect(stranger.page.get_by_role("heading", level=1)).to_have_text("Fant ikke siden")


def _leader_records_and_submits(boss, leader, employee) -> Conversation:
    page = boss.page
    boss.go("/", "login")
    page.get_by_label("Ansattnummer").fill(leader.employee_id)
    page.get_by_label("Passord").fill(factories.PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    # Signing in opens "Venter på deg"; nothing waits on the leader before the first conversation.
    expect(page.get_by_role("heading", level=1)).to_have_text("Venter på deg")
    boss.check("waiting (leader, empty)")
    page.get_by_role("navigation").get_by_role("link", name="Mine medarbeidere").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine medarbeidere")
    boss.check("my employees (before)")

    page.get_by_role("link", name=re.compile("Opprett samtale")).click()
    boss.check("create conversation")
    page.get_by_label("Tidspunkt for samtalen").fill("2030-03-01T10:00")
    page.get_by_role("button", name="Opprett samtale").click()
    boss.expect_message("ble opprettet")
    conversation = Conversation.objects.get(employee=employee)
    expect(page.locator(".agenda")).to_contain_text("Hvordan har året vært?")
    boss.check("conversation draft (leader)")

    add_task = page.locator("#add-task")
    add_task.get_by_label("Oppgave", exact=True).fill("Lede arbeidet med ny sykkelplan")
    add_task.get_by_role("button", name="Legg til oppgave").click()
    boss.expect_message("Oppgaven ble lagt til.")
    expect(page.locator("#add-task").get_by_label("Oppgave", exact=True)).to_be_focused()

    add_goal = page.locator("#add-goal")
    add_goal.get_by_label("Utviklingsmål").check()
    add_goal.get_by_label("Hvordan vet vi at målet er nådd?").fill("Kurs fullført innen juni")
    add_goal.get_by_role("button", name="Legg til mål").click()  # no title: refused, text kept
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#add-goal").get_by_label("Hvordan vet vi at målet er nådd?")).to_have_value(
        "Kurs fullført innen juni"
    )
    boss.check("goal form with error")
    page.locator("#add-goal").get_by_label("Mål", exact=True).fill("Lære prosjektledelse")
    page.locator("#add-goal").get_by_role("button", name="Legg til mål").click()
    boss.expect_message("Målet ble lagt til.")

    for direction, text in (
        ("Mine forventninger til medarbeideren", "Si fra tidlig når noe stopper opp"),
        ("Medarbeiderens forventninger til meg", "Ukentlig avklaring på mandager"),
    ):
        form = page.locator("#add-expectation")
        form.get_by_label(direction).check()
        form.get_by_label("Forventning", exact=True).fill(text)
        form.get_by_role("button", name="Legg til forventning").click()
        boss.expect_message("Forventningen ble lagt til.")
    boss.check("conversation with items (leader)")

    page.get_by_role("button", name="Send til bekreftelse").click()
    boss.expect_message("Avtalen ble sendt til bekreftelse.")
    expect(page.locator(".status-line")).to_contain_text("Venter på bekreftelse")
    boss.check("conversation submitted (leader)")
    return conversation


def _employee_disagrees_and_requests_changes(phone, conversation) -> None:
    page = phone.page
    phone.go("/", "waiting (employee)")
    expect(page.get_by_role("link", name=re.compile("En versjon å bekrefte"))).to_be_visible()
    phone.go("/samtaler/", "my conversations")
    page.get_by_role("link", name="Medarbeidersamtaler 2027").click()
    version = conversation.versions.get()
    expect(page.locator(".version-box")).to_contain_text(version.sha256)
    expect(page.locator(".version-box")).to_contain_text("Versjon 1")
    phone.check("conversation awaiting (employee)")

    goal = conversation.goals.get()
    item = page.locator(f"#goal-{goal.pk}")
    item.get_by_label("Uenig").check()
    page.locator("#respond-all").get_by_role("button", name="Lagre svarene").click()  # needs a comment
    expect(page.locator(f"#goal-{goal.pk} .error-summary")).to_be_visible()
    expect(page.locator("#respond-errors")).to_be_visible()
    phone.check("answer without comment")
    item = page.locator(f"#goal-{goal.pk}")
    item.get_by_label(re.compile("Kommentar til svaret ditt")).fill("Jeg vil heller lære økonomistyring")
    page.locator("#respond-all").get_by_role("button", name="Lagre svarene").click()
    phone.expect_message("1 svar er lagret.")

    respond = page.locator("#respond")
    respond.get_by_role("button", name="Be om endringer").click()  # the comment is required
    expect(page.locator("#respond .error-summary")).to_be_visible()
    page.locator("#respond").get_by_label("Hva ønsker du endret?").fill(
        "Bytt utviklingsmålet, se svaret mitt."
    )
    page.locator("#respond").get_by_role("button", name="Be om endringer").click()
    phone.expect_message("Ønsket ditt om endringer ble sendt")
    expect(page.locator(".status-line")).to_contain_text("Endringer ønsket")
    phone.check("changes requested (employee)")


def _leader_revises(boss, conversation) -> None:
    page = boss.page
    boss.go("/medarbeidere/", "my employees (changes requested)")
    expect(page.locator(".cards")).to_contain_text("Endringer ønsket")
    page.get_by_role("link", name=re.compile("Åpne samtalen")).click()
    goal = conversation.goals.get()
    item = page.locator(f"#goal-{goal.pk}")
    expect(item).to_contain_text("Uenig")
    expect(item).to_contain_text("Jeg vil heller lære økonomistyring")
    boss.check("changes requested (leader)")

    item.get_by_text("Svar på tilbakemeldingen").click()
    item.get_by_label(re.compile("Kommentar til")).fill("Godt forslag, jeg endrer målet.")
    item.get_by_role("button", name="Legg til kommentar").click()
    boss.expect_message("Kommentaren din ble lagt til.")

    page.locator(f"#goal-{goal.pk}").get_by_role("link", name=re.compile("Rediger")).click()
    editing = page.locator(f"#goal-{goal.pk}")  # the item turns into its form, in place
    expect(editing.get_by_label("Mål", exact=True)).to_be_focused()
    boss.check("edit goal")
    editing.get_by_label("Mål", exact=True).fill("Lære økonomistyring")
    editing.get_by_role("button", name="Lagre endringene").click()
    boss.expect_message("Endringen ble lagret.")
    expect(page.locator(f"#goal-{goal.pk}")).to_contain_text("Lære økonomistyring")
    page.get_by_role("button", name="Send til bekreftelse").click()
    boss.expect_message("Avtalen ble sendt til bekreftelse.")
    boss.check("resubmitted (leader)")


def _employee_confirms_and_follows_up(phone, conversation) -> None:
    page = phone.page
    phone.go(f"/samtaler/{conversation.pk}/")
    expect(page.locator(".version-box")).to_contain_text("Versjon 2")
    page.get_by_role("button", name="Bekreft avtalen").click()
    phone.expect_message("Du bekreftet versjon 2 av avtalen.")
    expect(page.locator(".status-line")).to_contain_text("Bekreftet")
    phone.check("confirmed (employee)")

    form = page.locator("#follow-up")
    form.get_by_label("Er vi på rett vei?").fill("Meldt på kurs i økonomistyring.")
    form.get_by_label("Gjelder").select_option(label="Mål: Lære økonomistyring")
    form.get_by_label("Framdrift (%)").fill("20")
    form.get_by_label("Status").select_option(label="På rett vei")
    form.get_by_role("button", name="Legg til oppfølging").click()
    phone.expect_message("Oppfølgingen din ble lagt til.")

    page.locator("#statements").get_by_label("Tilleggsmerknad").fill("Jeg er fornøyd med avtalen.")
    page.get_by_role("button", name="Legg til tilleggsmerknad").click()
    phone.expect_message("Tilleggsmerknaden din ble lagt til.")
    phone.check("follow-up and statement (employee)")
    conversation.refresh_from_db()
    assert conversation.status == Status.CONFIRMED


def _leader_follows_up_and_reviews(boss, conversation) -> None:
    page = boss.page
    boss.go(f"/samtaler/{conversation.pk}/")
    expect(page.locator("#follow-up")).to_contain_text("Meldt på kurs i økonomistyring.")
    page.locator("#follow-up").get_by_label("Er vi på rett vei?").fill("Bra! Vi tar det opp igjen i august.")
    page.get_by_role("button", name="Legg til oppfølging").click()
    boss.expect_message("Oppfølgingen din ble lagt til.")
    boss.check("confirmed with follow-ups (leader)")

    page.get_by_role("link", name="Sammenlign versjoner").click()
    expect(page.locator("main")).to_contain_text("Endret")
    expect(page.locator("main")).to_contain_text("Lære økonomistyring")
    boss.check("compare versions")
    boss.go(f"/samtaler/{conversation.pk}/historikk/", "history")
    expect(page.locator(".timeline")).to_contain_text("Avtalen ble bekreftet")
    boss.go(f"/samtaler/{conversation.pk}/innsynslogg/", "access log")
    expect(page.locator("table")).to_contain_text("Marius Medarbeider")
