"""axe-core on every page, for every role, in bokmål, nynorsk and English, on a phone (375 px) and a
desktop (1280 px).

Zero violations of any impact are allowed (the check is in conftest's `Visitor.check`), and a page
with a form error is checked too, since error summaries and invalid fields add markup."""

import pytest
from django.template import loader
from django.utils import translation

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips locally and fails in CI
    expect = None

from conversations.models import Cycle
from tests import factories
from tests.browser.conftest import WIDTHS
from tests.browser.scenario import build_scenario

pytestmark = pytest.mark.browser


def more_pages(scenario, hr):
    """(name, user, path) for the pages beside the scenario's: the front page of each role, the
    account pages, HR's pages and the accessibility statement."""
    cycle = Cycle.objects.order_by("pk").first()
    return [
        ("waiting leader", scenario.leader, "/"),
        ("waiting employee", scenario.employee, "/"),
        ("waiting deputy", scenario.outsider, "/"),
        ("api token", scenario.employee, "/konto/api-nokkel/"),
        ("accessibility statement", scenario.employee, "/tilgjengelighet/"),
        ("statistics", hr, "/hr/statistics/"),
        ("cycles", hr, "/hr/cycles/"),
        ("edit cycle", hr, f"/hr/cycles/{cycle.pk}/"),
        ("hr unit goals", hr, "/enhetsmal/"),
    ]


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_every_page_passes_axe_on_phone_and_desktop(visitor, transactional_db, language):
    scenario = build_scenario()
    hr = factories.UserFactory(is_hr=True, full_name="Gu Eta")
    for width in WIDTHS.values():
        anonymous = visitor(language, width)
        anonymous.go("/accounts/login/", "login")
        anonymous.go("/tilgjengelighet/", "accessibility statement signed out")
        sessions = {}
        for name, user, path in [*scenario.pages(), *more_pages(scenario, hr)]:
            if user.pk not in sessions:
                sessions[user.pk] = visitor(language, width).log_in_as(user)
            sessions[user.pk].go(path, name)
        leader = sessions[scenario.leader.pk]
        leader.go(f"/samtaler/{scenario.amended.pk}/")
        leader.page.locator("#add-task").get_by_role("button").click()
        expect(leader.page.locator("#add-task .error-summary")).to_be_visible()
        leader.check("form with errors")
        for status in (500, 503):  # rendered as the handlers render them: without the request
            with translation.override(language):
                body = loader.get_template(f"{status}.html").render({"minimal": True})
            anonymous.go("/accounts/login/")
            anonymous.page.set_content(body)
            anonymous.check(f"{status} page")
