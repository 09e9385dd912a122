"""HR's workspace in real Chromium, on a phone (375 px) and a desktop (1280 px), in bokmål, nynorsk and
English:
HR signs in and lands on the HR start page, reaches each part from it, edits a conversation template in
the pages; no HR page is wider than the screen, headings and table cells never break inside a word,
and every page passes axe-core (conftest's `Visitor.check`)."""

import datetime

import pytest
from django.utils import timezone

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips locally and fails in CI
    expect = None

from tests import factories
from tests.browser.conftest import WIDTHS
from tests.browser.i18n import t
from tests.reports.statistics_helpers import build_kommune

pytestmark = pytest.mark.browser

NO_WIDER_THAN_THE_SCREEN = "document.documentElement.scrollWidth <= window.innerWidth"
# Elements in the HR pages whose words would break anywhere if the body's `overflow-wrap: anywhere`
# reached them (table columns squeezed to their narrowest).
WORD_BREAKS = """() => [...document.querySelectorAll('.hr h1, .hr h2, .hr th, .hr td, .hr caption')]
  .filter(e => getComputedStyle(e).overflowWrap === 'anywhere'
    || getComputedStyle(e).wordBreak === 'break-all')
  .map(e => e.textContent.trim()).slice(0, 5)"""


def hr_organisation():
    """HR, a cycle that started a month ago with a template, and a unit with statistics worth showing."""
    hr = factories.HRFactory(full_name="Camilla Hovland")
    template = factories.TemplateFactory(name="Standardmal 2027")
    for order, text in enumerate(("Hvordan har du det på jobb?", "Mål for neste periode")):
        factories.TemplatePointFactory(template=template, text=text, hint="Hjelpetekst", order=order)
    today = timezone.localdate()
    cycle = factories.CycleFactory(
        name="Medarbeidersamtaler 2027",
        starts_on=today - datetime.timedelta(days=30),
        deadline=today + datetime.timedelta(days=60),
        template=template,
    )
    build_kommune(cycle, follow_up_in_a=True)
    return hr, template


def sign_in(person, user) -> None:
    person.go("/accounts/login/")
    person.page.locator("input[name=username]").fill(user.employee_id)
    person.page.locator("input[name=password]").fill(factories.PASSWORD)
    person.page.locator("main button[type=submit]").click()


def check_layout(person, name: str) -> None:
    person.check(name)
    assert person.page.evaluate(NO_WIDER_THAN_THE_SCREEN), f"{name} is wider than {person.width} px"
    assert person.page.evaluate(WORD_BREAKS) == [], f"{name} breaks words"


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_hr_lands_on_the_start_page_and_every_hr_page_fits(visitor, transactional_db, language):
    hr, template = hr_organisation()
    for width in WIDTHS.values():
        person = visitor(language, width)
        sign_in(person, hr)
        person.page.wait_for_url("**/hr/")
        check_layout(person, "hr start page")
        for link, name in (
            ("/hr/cycles/", "hr cycles"),
            ("/hr/statistics/", "hr statistics"),
            ("/hr/maler/", "hr templates"),
            (f"/hr/maler/{template.pk}/", "hr template"),
            ("/enhetsmal/", "hr unit goals"),
        ):
            person.page.locator(f"main a[href^='{link}']").first.click()
            person.page.wait_for_url(f"**{link}*")
            check_layout(person, name)
            person.go("/hr/")
        person.go("/hr/statistics/")
        whole = person.page.locator(".table-scroll table.statistics").first.locator("tbody tr").first
        expect(whole).to_be_visible()
        figures = [cell.strip() for cell in whole.locator("td").all_inner_texts()]
        shown = [cell for cell in figures if any(ch.isdigit() for ch in cell)]
        assert len(shown) >= 3, figures  # real figures, not only "skjult"


@pytest.mark.parametrize(
    ("language", "width"),
    [("nb", WIDTHS["phone"]), ("nn", WIDTHS["desktop"]), ("en", WIDTHS["phone"])],
    ids=["nb-375", "nn-1280", "en-375"],
)
def test_hr_edits_a_template_in_the_pages(visitor, transactional_db, language, width):
    hr, template = hr_organisation()
    person = visitor(language, width).log_in_as(hr)
    person.go(f"/hr/maler/{template.pk}/")
    add = person.page.locator("form.add-form")
    add.get_by_label(t(language, "Tema")).fill("Kompetanse og utvikling")
    add.get_by_label(t(language, "Hjelpetekst")).fill("Hva trenger du å lære?")
    add.get_by_role("button", name=t(language, "Legg til temaet")).click()
    person.expect_message(t(language, "Temaet er lagt til."))
    expect(person.page.locator(".template-point h3")).to_have_text(
        ["Hvordan har du det på jobb?", "Mål for neste periode", "Kompetanse og utvikling"]
    )
    last = person.page.locator(".template-point").last
    last.get_by_role("button", name=t(language, "Flytt opp")).click()
    expect(person.page.locator(".template-point h3")).to_have_text(
        ["Hvordan har du det på jobb?", "Kompetanse og utvikling", "Mål for neste periode"]
    )
    first = person.page.locator(".template-point").first
    first.locator("summary").click()
    first.get_by_label(t(language, "Tema")).fill("Trivsel og arbeidsmiljø")
    first.get_by_role("button", name=t(language, "Lagre temaet")).click()
    person.expect_message(t(language, "Temaet er lagret."))
    add = person.page.locator("form.add-form")
    add.get_by_role(
        "button", name=t(language, "Legg til temaet")
    ).click()  # empty: refused, the form says why
    expect(person.page.locator("form.add-form .error-summary")).to_be_visible()
    check_layout(person, "hr template with errors")
    assert list(template.points.order_by("order").values_list("text", flat=True)) == [
        "Trivsel og arbeidsmiljø",
        "Kompetanse og utvikling",
        "Mål for neste periode",
    ]
