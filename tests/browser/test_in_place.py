"""Issue 16 A in a real browser: the typical agreement (3 goals, 2 tasks, 2 expectations each way)
recorded without a page reload and in few clicks, the same without scripts, every item answered in one
pass, and the confirmations (a <dialog> with scripts, a page of its own without), at 375 and 1280 px,
in bokmål, nynorsk and English. Each test runs in a few (language, width) pairs, not all six: over a
test's variants with and without scripts together, every language and every width comes up once at
least, so the three languages cost no more runs than the two widths did. The labels clicked and read
come from the catalogues (`tests.browser.i18n.t`).

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

from conversations import services
from conversations.contract import workflow
from conversations.models import DeputyGrant, ItemResponse, Status
from goals import services as goal_services
from tests import factories
from tests.browser.conftest import WIDTHS
from tests.browser.i18n import LANGUAGES, t, tn

pytestmark = pytest.mark.browser

CLICK_BUDGET = 20
TYPICAL_CLICKS = 16  # to record the typical agreement and send it, in every language and at every width
MINE, THEIRS = "My expectations of the employee", "The employee's expectations of me"  # msgids
TASKS = ("Lede arbeidet med sykkelplanen", "Svare på innbyggerhenvendelser")
GOALS = (
    ("Resultatmål", "Sykkelplanen vedtatt innen juni"),
    ("Utviklingsmål", "Lære prosjektledelse"),
    ("Relasjonsmål", "Bli kjent med driftsseksjonen"),
)
EXPECTATIONS = (
    (MINE, "Si fra tidlig når noe stopper opp"),
    (MINE, "Dele det du lærer med teamet"),
    (THEIRS, "Ukentlig avklaring på mandager"),
    (THEIRS, "Rask tilbakemelding på utkast"),
)
PHONE, DESKTOP = WIDTHS["phone"], WIDTHS["desktop"]


def _pairs(*pairs):
    """(language, width) parameters with readable ids, e.g. `nn-375`."""
    return pytest.mark.parametrize(
        ("language", "width"), pairs, ids=[f"{language}-{width}" for language, width in pairs]
    )


def _covers_all(*groups) -> bool:
    pairs = [pair for group in groups for pair in group]
    return {language for language, _ in pairs} == set(LANGUAGES) and {w for _, w in pairs} == {
        PHONE,
        DESKTOP,
    }


# A test with scripts and its twin without share the six (language, width) combinations between them.
AGREEMENT_JS = (("nb", PHONE), ("nn", DESKTOP), ("en", DESKTOP))  # no reload in every language
AGREEMENT_NO_JS = (("nn", PHONE), ("nb", DESKTOP))
DIALOG_JS = (("nn", PHONE), ("en", DESKTOP))
DIALOG_NO_JS = (("en", PHONE), ("nb", DESKTOP))
ONE_PASS = ((("en", PHONE), True), (("nb", DESKTOP), True), (("nn", PHONE), False), (("en", DESKTOP), False))
DEPUTY = ((("nn", PHONE), True), (("en", DESKTOP), True), (("nb", PHONE), False), (("nn", DESKTOP), False))
assert _covers_all(AGREEMENT_JS, AGREEMENT_NO_JS) and _covers_all(DIALOG_JS, DIALOG_NO_JS)
assert _covers_all([p for p, _ in ONE_PASS]) and _covers_all([p for p, _ in DEPUTY])


def _with_scripts(cases):
    return pytest.mark.parametrize(
        ("language", "width", "javascript"),
        [(language, width, js) for (language, width), js in cases],
        ids=[f"{language}-{width}-{'js' if js else 'no-js'}" for (language, width), js in cases],
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
    page, click, language = visitor_.page, Clicks(), visitor_.language
    forms = (  # (kind, field, button, [(text, radio choice)]): the msgids of the labels
        ("task", "Task", "Add task", [(title, None) for title in TASKS]),
        ("goal", "Goal", "Add goal", [(title, kind) for kind, title in GOALS]),
        ("expectation", "Expectation", "Add expectation", [(text, d) for d, text in EXPECTATIONS]),
    )
    for kind, field, button, rows in forms:
        for index, (text, choice) in enumerate(rows):
            _add(
                page,
                click,
                form_id=f"#add-{kind}",
                field=t(language, field),
                button=t(language, button),
                text=text,
                first=index == 0,
                choice=t(language, choice) if choice else None,
            )
    expect(page.locator("#add-task").get_by_label(t(language, "Task"), exact=True)).to_have_value("")
    assert sorted(conversation.tasks.values_list("title", flat=True)) == sorted(TASKS)
    assert sorted(conversation.goals.values_list("kind", "title")) == sorted(
        zip(("result", "development", "relational"), (g[1] for g in GOALS), strict=True)
    )
    assert sorted(conversation.expectations.values_list("direction", "text")) == sorted(
        ("leader_to_employee" if d == MINE else "employee_to_leader", text) for d, text in EXPECTATIONS
    )
    return click.count


@_pairs(*AGREEMENT_JS)
def test_the_typical_agreement_is_recorded_without_a_reload(visitor, pair, language, width):
    leader, employee = pair
    conversation = services.conversation_create(actor=leader, employee=employee)
    boss = visitor(language, width).log_in_as(leader)
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
    boss.check("agreement recorded in place")
    height = boss.page.evaluate("document.documentElement.scrollHeight")
    # "Neste steg" follows: the agreement can be sent.
    boss.page.get_by_role("button", name=t(language, "Send for confirmation")).click()
    clicks += 1
    boss.expect_message(t(language, "The agreement was sent for confirmation."))
    conversation.refresh_from_db()
    assert conversation.status == Status.AWAITING_CONFIRMATION
    print(
        f"\nclicks to record and send the typical agreement ({language}, {width} px): {clicks}; "
        f"page height {height} px"
    )
    assert clicks == TYPICAL_CLICKS
    assert clicks < CLICK_BUDGET


@_pairs(*AGREEMENT_NO_JS)
def test_the_typical_agreement_without_javascript(visitor, pair, language, width):
    leader, employee = pair
    conversation = services.conversation_create(actor=leader, employee=employee)
    boss = visitor(language, width, javascript=False).log_in_as(leader)
    boss.go(f"/samtaler/{conversation.pk}/")
    loads = _watch_navigations(boss.page)
    clicks = _record(boss, conversation)
    assert len(loads) >= 9  # one post/redirect/get per item: the pages work, by reloading
    boss.page.get_by_role("button", name=t(language, "Send for confirmation")).click()
    clicks += 1
    boss.expect_message(t(language, "The agreement was sent for confirmation."))
    print(f"\nclicks without JavaScript ({language}, {width} px): {clicks}, page loads: {len(loads) + 1}")
    assert clicks == TYPICAL_CLICKS
    assert clicks < CLICK_BUDGET


def _awaiting(leader, employee):
    conversation = services.conversation_create(actor=leader, employee=employee)
    for title in TASKS:
        goal_services.task_create(conversation=conversation, actor=leader, title=title)
    for kind, (_label, title) in zip(("result", "development", "relational"), GOALS, strict=True):
        goal_services.goal_create(conversation=conversation, actor=leader, title=title, kind=kind)
    for direction, text in EXPECTATIONS:
        value = "leader_to_employee" if direction == MINE else "employee_to_leader"
        goal_services.expectation_create(conversation=conversation, actor=leader, direction=value, text=text)
    workflow.conversation_submit(conversation_id=conversation.pk, actor=leader)
    return conversation


def _answered(language: str, answered: int, total: int) -> str:
    return tn(
        language,
        "You have answered %(answered)s of %(total)s item.",
        "You have answered %(answered)s of %(total)s items.",
        total,
    ) % {"answered": answered, "total": total}


@_with_scripts(ONE_PASS)
def test_every_item_answered_in_one_pass(visitor, pair, language, width, javascript):
    leader, employee = pair
    conversation = _awaiting(leader, employee)
    phone = visitor(language, width, javascript=javascript).log_in_as(employee)
    page = phone.page
    phone.go(f"/samtaler/{conversation.pk}/")
    loads = _watch_navigations(page)
    expect(page.locator("#answered-count-all")).to_have_text(_answered(language, 0, 9))
    goal = conversation.goals.get(kind="development")
    item = page.locator(f"#goal-{goal.pk}")
    item.get_by_label(t(language, "Uenig"), exact=True).check()
    comment = t(language, "Comment on your answer to “%(item)s”") % {"item": goal.title}
    item.get_by_label(comment, exact=True).fill("Heller økonomistyring")
    page.locator("#respond-all").get_by_role(
        "button", name=t(language, "Enig i alt som ikke er besvart")
    ).click()
    phone.expect_message(
        tn(language, "%(count)d svar er lagret.", "%(count)d svar er lagret.", 9) % {"count": 9}
    )
    expect(page.locator("#answered-count-all")).to_have_text(_answered(language, 9, 9))
    expect(page.locator("#answered-count")).to_have_text(_answered(language, 9, 9))
    assert ItemResponse.objects.filter(conversation=conversation).count() == 9
    assert ItemResponse.objects.get(conversation=conversation, goal=goal).stance == "disagree"
    if javascript:
        assert loads == []
    phone.check(f"all answered in one pass {'js' if javascript else 'no-js'}")


def _open_dialog_and(page, form_button, answer: str):
    form_button.click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name=answer, exact=True).click()
    expect(dialog).to_be_hidden()


def _delete_button(language: str, page, task):
    """The task's delete button; its accessible name goes on with the task's title."""
    return page.locator(f"#task-{task.pk}").get_by_role(
        "button", name=re.compile("^" + re.escape(t(language, "Delete")))
    )


@_pairs(*DIALOG_JS)
def test_deleting_and_cancelling_ask_in_a_dialog(visitor, pair, language, width):
    leader, employee = pair
    conversation = services.conversation_create(actor=leader, employee=employee)
    task = goal_services.task_create(conversation=conversation, actor=leader, title=TASKS[0])
    boss = visitor(language, width).log_in_as(leader)
    page = boss.page
    boss.go(f"/samtaler/{conversation.pk}/")
    delete = _delete_button(language, page, task)
    delete.click()
    expect(page.locator("#confirm-dialog")).to_be_visible()
    expect(page.locator("#confirm-dialog")).to_contain_text(
        t(language, "Vil du slette «%(item)s» fra avtalen?") % {"item": TASKS[0]}
    )
    boss.check("delete dialog")
    page.locator("#confirm-dialog").get_by_role("button", name=t(language, "Avbryt"), exact=True).click()
    assert conversation.tasks.exists()
    _open_dialog_and(page, delete, t(language, "Slett"))
    expect(page.locator(f"#task-{task.pk}")).to_have_count(0)
    boss.expect_message(t(language, "“%(item)s” was deleted.") % {"item": TASKS[0]})
    assert not conversation.tasks.exists()

    cancel = page.get_by_role("button", name=t(language, "Cancel the conversation"))
    _open_dialog_and(page, cancel, t(language, "Avbryt"))
    conversation.refresh_from_db()
    assert conversation.status == Status.DRAFT
    _open_dialog_and(page, cancel, t(language, "Avlys samtalen"))
    boss.expect_message(t(language, "The conversation was cancelled."))
    conversation.refresh_from_db()
    assert conversation.status == Status.CANCELLED


@_pairs(*DIALOG_NO_JS)
def test_without_javascript_a_page_asks_first(visitor, pair, language, width):
    leader, employee = pair
    conversation = services.conversation_create(actor=leader, employee=employee)
    task = goal_services.task_create(conversation=conversation, actor=leader, title=TASKS[0])
    boss = visitor(language, width, javascript=False).log_in_as(leader)
    page = boss.page
    boss.go(f"/samtaler/{conversation.pk}/")
    sure = t(language, "Er du sikker?")
    _delete_button(language, page, task).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sure)
    boss.check("confirm page")
    page.get_by_role("link", name=t(language, "Avbryt"), exact=True).click()
    assert conversation.tasks.exists()
    _delete_button(language, page, task).click()
    page.get_by_role("button", name=t(language, "Slett"), exact=True).click()
    boss.expect_message(t(language, "“%(item)s” was deleted.") % {"item": TASKS[0]})
    assert not conversation.tasks.exists()
    page.get_by_role("button", name=t(language, "Cancel the conversation"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sure)
    page.get_by_role("button", name=t(language, "Avlys samtalen"), exact=True).click()
    boss.expect_message(t(language, "The conversation was cancelled."))


@_with_scripts(DEPUTY)
def test_a_deputy_is_chosen_by_name_and_ending_the_grant_asks_first(
    visitor, pair, language, width, javascript
):
    leader, _employee = pair
    factories.LeaderFactory(full_name="Kari Nordmann")
    chosen = factories.LeaderFactory(full_name="Karin Nordli")
    factories.UserFactory(full_name="Kari Ikkeleder")
    boss = visitor(language, width, javascript=javascript).log_in_as(leader)
    page = boss.page
    boss.go("/stedfortredere/")
    page.get_by_label(t(language, "Stedfortreder"), exact=True).fill("Kari")
    if not javascript:
        page.get_by_role("button", name=t(language, "Søk etter navn")).click()
    candidates = page.locator("#deputy-candidates")
    expect(candidates.get_by_label(re.compile("Karin Nordli"))).to_be_visible()
    expect(candidates).not_to_contain_text("Kari Ikkeleder")
    boss.check(f"deputy candidates {'js' if javascript else 'no-js'}")
    candidates.get_by_label(re.compile("Karin Nordli")).check()
    until = timezone.localdate() + datetime.timedelta(days=10)
    page.get_by_label(t(language, "Until (inclusive)")).fill(until.isoformat())
    page.get_by_role("button", name=t(language, "Grant access")).click()
    boss.expect_message(t(language, "The deputy was granted access."))
    grant = DeputyGrant.objects.get(leader=leader)
    assert grant.deputy == chosen
    page.get_by_role("button", name=re.compile("^" + re.escape(t(language, "End access")))).click()
    confirm = t(language, "Avslutt tilgangen")
    if javascript:
        expect(page.locator("#confirm-dialog")).to_be_visible()
        page.locator("#confirm-dialog").get_by_role("button", name=confirm, exact=True).click()
    else:
        expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Er du sikker?"))
        page.get_by_role("button", name=confirm, exact=True).click()
    boss.expect_message(t(language, "The deputy's access has ended."))
    grant.refresh_from_db()
    assert grant.ended_at is not None
