"""Issue 16 A in a real browser: the typical agreement (3 goals, 2 tasks, 2 expectations each way)
recorded without a page reload and in few clicks, the same without scripts, every item answered in one
pass, and the confirmations (a <dialog> with scripts, a page of its own without), at 375 and 1280 px.

Clicks are counted by `Clicks`: every mouse click a person makes (fields, radio buttons, buttons);
typing is not a click. The recording must take fewer than 20."""

import datetime
import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips locally and fails in CI
    expect = None

from django.utils import timezone

from conversations import services, workflow
from conversations.models import DeputyGrant, ItemResponse, Status
from goals import services as goal_services
from tests import factories
from tests.browser.conftest import WIDTHS

pytestmark = pytest.mark.browser

CLICK_BUDGET = 20
TASKS = ("Lede arbeidet med sykkelplanen", "Svare på innbyggerhenvendelser")
GOALS = (
    ("Resultatmål", "Sykkelplanen vedtatt innen juni"),
    ("Utviklingsmål", "Lære prosjektledelse"),
    ("Relasjonsmål", "Bli kjent med driftsseksjonen"),
)
EXPECTATIONS = (
    ("Mine forventninger til medarbeideren", "Si fra tidlig når noe stopper opp"),
    ("Mine forventninger til medarbeideren", "Dele det du lærer med teamet"),
    ("Medarbeiderens forventninger til meg", "Ukentlig avklaring på mandager"),
    ("Medarbeiderens forventninger til meg", "Rask tilbakemelding på utkast"),
)


class Clicks:
    """Clicks through one counter, so the test states how many a person needs."""

    def __init__(self):
        self.count = 0

    def __call__(self, locator):
        locator.click()
        self.count += 1


@pytest.fixture
def pair(transactional_db):
    unit = factories.OrgUnitFactory(name="Bymiljøetaten")
    leader = factories.LeaderFactory(unit=unit, full_name="Lise Leder")
    employee = factories.UserFactory(unit=unit, manager=leader, full_name="Marius Medarbeider")
    return leader, employee


def _watch_navigations(page) -> list:
    """Every full page load of the main frame from now on (an htmx swap is none)."""
    loads = []
    page.on("framenavigated", lambda frame: loads.append(frame.url) if frame == page.main_frame else None)
    return loads


def _add(page, click, *, form_id, field, button, text, first, choice=None):
    """One item through its add form: the first needs a click into the field, the next ones find the
    cursor there already; a radio choice is clicked only when it differs from what stayed chosen."""
    form = page.locator(form_id)
    if first:
        click(form.get_by_label(field, exact=True))
    expect(form.get_by_label(field, exact=True)).to_be_focused()
    page.keyboard.type(text)
    if choice and not form.get_by_label(choice).is_checked():
        click(form.get_by_label(choice))
    click(form.get_by_role("button", name=button))
    expect(page.locator("#contract")).to_contain_text(text)
    if choice:
        expect(page.locator(form_id).get_by_label(choice)).to_be_checked()  # it stays chosen


def _record(visitor_, conversation) -> int:
    """The leader records the typical agreement; returns the clicks it took."""
    page, click = visitor_.page, Clicks()
    for index, title in enumerate(TASKS):
        _add(
            page,
            click,
            form_id="#add-task",
            field="Oppgave",
            button="Legg til oppgave",
            text=title,
            first=index == 0,
        )
    for index, (kind, title) in enumerate(GOALS):
        _add(
            page,
            click,
            form_id="#add-goal",
            field="Mål",
            button="Legg til mål",
            text=title,
            first=index == 0,
            choice=kind,
        )
    for index, (direction, text) in enumerate(EXPECTATIONS):
        _add(
            page,
            click,
            form_id="#add-expectation",
            field="Forventning",
            button="Legg til forventning",
            text=text,
            first=index == 0,
            choice=direction,
        )
    expect(page.locator("#add-task").get_by_label("Oppgave", exact=True)).to_have_value("")
    assert sorted(conversation.tasks.values_list("title", flat=True)) == sorted(TASKS)
    assert sorted(conversation.goals.values_list("kind", "title")) == sorted(
        zip(("result", "development", "relational"), (g[1] for g in GOALS), strict=True)
    )
    assert sorted(conversation.expectations.values_list("direction", "text")) == sorted(
        ("leader_to_employee" if d.startswith("Mine") else "employee_to_leader", t) for d, t in EXPECTATIONS
    )
    return click.count


@pytest.mark.parametrize("width", WIDTHS.values())
def test_the_typical_agreement_is_recorded_without_a_reload(visitor, pair, width):
    leader, employee = pair
    conversation = services.conversation_create(actor=leader, employee=employee)
    boss = visitor("nb", width).log_in_as(leader)
    console_errors = []
    boss.page.on(
        "console", lambda message: console_errors.append(message.text) if message.type == "error" else None
    )
    boss.go(f"/samtaler/{conversation.pk}/")
    assert boss.page.evaluate("typeof htmx") == "object"  # served from our static files, CSP allowing it
    loads = _watch_navigations(boss.page)
    boss.page.evaluate("window.samtaleStillHere = true")
    clicks = _record(boss, conversation)
    assert loads == [], f"full page loads while recording: {loads}"
    assert boss.page.evaluate("window.samtaleStillHere") is True
    assert console_errors == [], console_errors  # no CSP refusals (htmx adds no inline style or script)
    boss.check(f"agreement recorded in place {width}")
    height = boss.page.evaluate("document.documentElement.scrollHeight")
    # "Neste steg" follows: the agreement can be sent.
    boss.page.get_by_role("button", name="Send til bekreftelse").click()
    clicks += 1
    boss.expect_message("Avtalen ble sendt til bekreftelse.")
    conversation.refresh_from_db()
    assert conversation.status == Status.AWAITING_CONFIRMATION
    print(
        f"\nclicks to record and send the typical agreement at {width} px: {clicks}; page height {height} px"
    )
    assert clicks < CLICK_BUDGET


@pytest.mark.parametrize("width", WIDTHS.values())
def test_the_typical_agreement_without_javascript(visitor, pair, width):
    leader, employee = pair
    conversation = services.conversation_create(actor=leader, employee=employee)
    boss = visitor("nb", width, javascript=False).log_in_as(leader)
    boss.go(f"/samtaler/{conversation.pk}/")
    loads = _watch_navigations(boss.page)
    clicks = _record(boss, conversation)
    assert len(loads) >= 9  # one post/redirect/get per item: the pages work, by reloading
    boss.page.get_by_role("button", name="Send til bekreftelse").click()
    clicks += 1
    boss.expect_message("Avtalen ble sendt til bekreftelse.")
    print(f"\nclicks without JavaScript at {width} px: {clicks}, page loads: {len(loads) + 1}")
    assert clicks < CLICK_BUDGET


def _awaiting(leader, employee):
    conversation = services.conversation_create(actor=leader, employee=employee)
    for title in TASKS:
        goal_services.task_create(conversation=conversation, actor=leader, title=title)
    for kind, (_label, title) in zip(("result", "development", "relational"), GOALS, strict=True):
        goal_services.goal_create(conversation=conversation, actor=leader, title=title, kind=kind)
    for direction, text in EXPECTATIONS:
        value = "leader_to_employee" if direction.startswith("Mine") else "employee_to_leader"
        goal_services.expectation_create(conversation=conversation, actor=leader, direction=value, text=text)
    workflow.conversation_submit(conversation_id=conversation.pk, actor=leader)
    return conversation


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", WIDTHS.values())
def test_every_item_answered_in_one_pass(visitor, pair, width, javascript):
    leader, employee = pair
    conversation = _awaiting(leader, employee)
    phone = visitor("nb", width, javascript=javascript).log_in_as(employee)
    page = phone.page
    phone.go(f"/samtaler/{conversation.pk}/")
    loads = _watch_navigations(page)
    expect(page.locator("#answered-count-all")).to_contain_text("0 av 9")
    goal = conversation.goals.get(kind="development")
    item = page.locator(f"#goal-{goal.pk}")
    item.get_by_label("Uenig").check()
    item.get_by_label(re.compile("Kommentar til svaret ditt")).fill("Heller økonomistyring")
    page.locator("#respond-all").get_by_role("button", name="Enig i alt som ikke er besvart").click()
    phone.expect_message("9 svar er lagret.")
    expect(page.locator("#answered-count-all")).to_contain_text("9 av 9")
    expect(page.locator("#answered-count")).to_contain_text("9 av 9")
    assert ItemResponse.objects.filter(conversation=conversation).count() == 9
    assert ItemResponse.objects.get(conversation=conversation, goal=goal).stance == "disagree"
    if javascript:
        assert loads == []
    phone.check(f"all answered in one pass {width} {'js' if javascript else 'no-js'}")


def _open_dialog_and(page, form_button, answer: str):
    form_button.click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name=answer).click()
    expect(dialog).to_be_hidden()


@pytest.mark.parametrize("width", WIDTHS.values())
def test_deleting_and_cancelling_ask_in_a_dialog(visitor, pair, width):
    leader, employee = pair
    conversation = services.conversation_create(actor=leader, employee=employee)
    task = goal_services.task_create(conversation=conversation, actor=leader, title=TASKS[0])
    boss = visitor("nb", width).log_in_as(leader)
    page = boss.page
    boss.go(f"/samtaler/{conversation.pk}/")
    delete = page.locator(f"#task-{task.pk}").get_by_role("button", name=re.compile("^Slett"))
    delete.click()
    expect(page.locator("#confirm-dialog")).to_be_visible()
    expect(page.locator("#confirm-dialog")).to_contain_text(f"Vil du slette «{TASKS[0]}» fra avtalen?")
    boss.check(f"delete dialog {width}")
    page.locator("#confirm-dialog").get_by_role("button", name="Avbryt").click()
    assert conversation.tasks.exists()
    _open_dialog_and(page, delete, "Slett")
    expect(page.locator(f"#task-{task.pk}")).to_have_count(0)
    boss.expect_message("ble slettet")
    assert not conversation.tasks.exists()

    cancel = page.get_by_role("button", name="Avlys samtalen")
    _open_dialog_and(page, cancel, "Avbryt")
    conversation.refresh_from_db()
    assert conversation.status == Status.DRAFT
    _open_dialog_and(page, cancel, "Avlys samtalen")
    boss.expect_message("Samtalen ble avlyst.")
    conversation.refresh_from_db()
    assert conversation.status == Status.CANCELLED


@pytest.mark.parametrize("width", WIDTHS.values())
def test_without_javascript_a_page_asks_first(visitor, pair, width):
    leader, employee = pair
    conversation = services.conversation_create(actor=leader, employee=employee)
    task = goal_services.task_create(conversation=conversation, actor=leader, title=TASKS[0])
    boss = visitor("nb", width, javascript=False).log_in_as(leader)
    page = boss.page
    boss.go(f"/samtaler/{conversation.pk}/")
    page.locator(f"#task-{task.pk}").get_by_role("button", name=re.compile("^Slett")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Er du sikker?")
    boss.check(f"confirm page {width}")
    page.get_by_role("link", name="Avbryt").click()
    assert conversation.tasks.exists()
    page.locator(f"#task-{task.pk}").get_by_role("button", name=re.compile("^Slett")).click()
    page.get_by_role("button", name="Slett").click()
    boss.expect_message("ble slettet")
    assert not conversation.tasks.exists()
    page.get_by_role("button", name="Avlys samtalen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Er du sikker?")
    page.get_by_role("button", name="Avlys samtalen").click()
    boss.expect_message("Samtalen ble avlyst.")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", WIDTHS.values())
def test_a_deputy_is_chosen_by_name_and_ending_the_grant_asks_first(visitor, pair, width, javascript):
    leader, _employee = pair
    factories.LeaderFactory(full_name="Kari Nordmann")
    chosen = factories.LeaderFactory(full_name="Karin Nordli")
    factories.UserFactory(full_name="Kari Ikkeleder")
    boss = visitor("nb", width, javascript=javascript).log_in_as(leader)
    page = boss.page
    boss.go("/stedfortredere/")
    page.get_by_label("Stedfortreder", exact=True).fill("Kari")
    if not javascript:
        page.get_by_role("button", name="Søk etter navn").click()
    candidates = page.locator("#deputy-candidates")
    expect(candidates.get_by_label(re.compile("Karin Nordli"))).to_be_visible()
    expect(candidates).not_to_contain_text("Kari Ikkeleder")
    boss.check(f"deputy candidates {width} {javascript}")
    candidates.get_by_label(re.compile("Karin Nordli")).check()
    until = timezone.localdate() + datetime.timedelta(days=10)
    page.get_by_label("Til og med").fill(until.isoformat())
    page.get_by_role("button", name="Gi tilgang").click()
    boss.expect_message("Stedfortrederen fikk tilgang.")
    grant = DeputyGrant.objects.get(leader=leader)
    assert grant.deputy == chosen
    page.get_by_role("button", name=re.compile("Avslutt tilgangen")).click()
    if javascript:
        expect(page.locator("#confirm-dialog")).to_be_visible()
        page.locator("#confirm-dialog").get_by_role("button", name="Avslutt tilgangen").click()
    else:
        expect(page.get_by_role("heading", level=1)).to_have_text("Er du sikker?")
        page.get_by_role("button", name="Avslutt tilgangen").click()
    boss.expect_message("Stedfortrederens tilgang er avsluttet.")
    grant.refresh_from_db()
    assert grant.ended_at is not None
