"""axe-core on every main page, in bokmål and English, on a phone (375 px) and a desktop (1280 px).

Zero serious or critical violations are allowed (the check is in conftest's `Visitor.check`), and a
page with a form error is checked too, since error summaries and invalid fields add markup."""

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips locally and fails in CI
    expect = None

from tests.browser.conftest import WIDTHS
from tests.browser.scenario import build_scenario

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_page_passes_axe_on_phone_and_desktop(visitor, transactional_db, language):
    scenario = build_scenario()
    for width in WIDTHS.values():
        visitor(language, width).go("/accounts/login/", "login")
        sessions = {}
        for name, user, path in scenario.pages():
            if user.pk not in sessions:
                sessions[user.pk] = visitor(language, width).log_in_as(user)
            sessions[user.pk].go(path, name)
        leader = sessions[scenario.leader.pk]
        leader.go(f"/samtaler/{scenario.amended.pk}/")
        leader.page.locator("#add-task").get_by_role("button").click()
        expect(leader.page.locator("#add-task .error-summary")).to_be_visible()
        leader.check("form with errors")
