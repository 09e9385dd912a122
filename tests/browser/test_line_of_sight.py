"""The line of sight walked in a real browser: HR publishes the organisation's goal, a leader publishes a
unit goal supporting it, links a contract goal to it while recording, and the employee sees the chain
and confirms. Checked with axe-core on each page, in bokmål; the Retning page last."""

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips locally and fails in CI
    expect = None

from conversations.models import Conversation, Status
from goals.models import UnitGoal
from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db):
    top = factories.OrgUnitFactory(name="Oslo kommune")
    unit = factories.OrgUnitFactory(name="Bymiljøetaten", parent=top)
    top_leader = factories.LeaderFactory(unit=top, full_name="Tone Toppleder")
    hr = factories.HRFactory(unit=top, manager=top_leader, full_name="Hanna HR")
    leader = factories.LeaderFactory(unit=unit, manager=top_leader, full_name="Lise Leder")
    employee = factories.UserFactory(unit=unit, manager=leader, full_name="Marius Medarbeider")
    factories.CycleFactory(name="Medarbeidersamtaler 2027")
    return hr, leader, employee, top


def test_the_line_of_sight_from_the_organisation_to_one_contract(visitor, people):
    hr, leader, employee, top = people
    office = visitor("nb", 1280).log_in_as(hr)
    page = office.page
    office.go(f"/enhetsmal/?unit={top.pk}", "unit goals (hr)")
    page.get_by_label("Mål", exact=True).fill("En trygg og ren by")
    page.get_by_role("button", name="Publiser målet").click()
    office.expect_message("Målet er publisert.")

    boss = visitor("nb", 1280).log_in_as(leader)
    page = boss.page
    boss.go("/enhetsmal/", "unit goals (leader)")
    expect(page.locator("#above-heading + .cards")).to_contain_text("En trygg og ren by")
    page.get_by_label("Mål", exact=True).fill("Rene gater hele året")
    page.get_by_label("Støtter").select_option(label="Oslo kommune: En trygg og ren by")
    page.get_by_role("button", name="Publiser målet").click()
    boss.expect_message("Målet er publisert.")
    assert UnitGoal.objects.get(title="Rene gater hele året").supports.title == "En trygg og ren by"

    boss.go("/medarbeidere/")
    page.get_by_role("link", name="Opprett samtale").click()
    page.get_by_role("button", name="Opprett samtale").click()
    boss.expect_message("ble opprettet")
    conversation = Conversation.objects.get(employee=employee)
    add_goal = page.locator("#add-goal")
    add_goal.get_by_label("Mål", exact=True).fill("Feie alle sykkelveier innen 1. mai")
    add_goal.get_by_label("Støtter").select_option(label="Bymiljøetaten: Rene gater hele året")
    boss.check("goal form with the line of sight")
    add_goal.get_by_role("button", name="Legg til mål").click()
    boss.expect_message("Målet ble lagt til.")
    page.get_by_role("button", name="Send til bekreftelse").click()
    boss.expect_message("Avtalen ble sendt til bekreftelse.")

    phone = visitor("nb", 375).log_in_as(employee)
    page = phone.page
    phone.go(f"/samtaler/{conversation.pk}/")
    chain = page.locator(".chain")
    expect(chain).to_contain_text("En trygg og ren by")
    expect(chain).to_contain_text("Rene gater hele året")
    phone.check("the chain (employee)")
    page.get_by_role("button", name="Bekreft avtalen").click()
    phone.expect_message("Du bekreftet versjon 1 av avtalen.")
    conversation.refresh_from_db()
    assert conversation.status == Status.CONFIRMED
    assert conversation.confirmed_version.content["goals"][0]["supports"]["title"] == "Rene gater hele året"

    boss.go("/retning/", "direction (leader)")
    expect(boss.page.locator("table")).to_contain_text("1 av 1")
