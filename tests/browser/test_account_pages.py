"""The password reset pages and the sign-in lockout page in the browser: axe-core on each, in bokmål,
nynorsk and English, on a phone and a desktop, walking the real flow from the form to the new password."""

import re

import pytest
from django.core import mail

from core.security import failed_logins_per_address
from tests import factories
from tests.browser.conftest import WIDTHS

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Et-helt-nytt-passord-42"  # noqa: S105


def reset_link() -> str:
    return re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", mail.outbox[-1].body).group(1)


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_reset_and_lockout_pages_pass_axe(visitor, transactional_db, language):
    user = factories.UserFactory(email="kari@example.org")
    for width in WIDTHS.values():
        person = visitor(language, width)
        person.go("/accounts/password_reset/", "password reset")
        person.page.locator("input[name=email]").fill("not an address")
        person.page.locator("main button[type=submit]").click()
        person.check("password reset with errors")
        person.page.locator("input[name=email]").fill(user.email)
        person.page.locator("main button[type=submit]").click()
        person.page.wait_for_url("**/password_reset/done/")
        person.check("password reset sent")
        person.go(reset_link())
        person.check("new password")
        person.page.locator("input[name=new_password1]").fill(NEW_PASSWORD)
        person.page.locator("input[name=new_password2]").fill(NEW_PASSWORD)
        person.page.locator("main button[type=submit]").click()
        person.page.wait_for_url("**/reset/done/")
        person.check("password changed")

    limit = failed_logins_per_address()
    for _ in range(limit.limit):
        limit.record("127.0.0.1")
    person = visitor(language)
    person.go("/accounts/login/")
    person.page.locator("input[name=username]").fill(user.employee_id)
    person.page.locator("input[name=password]").fill(NEW_PASSWORD)
    person.page.locator("main button[type=submit]").click()
    person.check("sign-in locked")
    assert (
        person.page.locator("h1").inner_text()
        == {
            "nb": "For mange mislykkede innloggingsforsøk",
            "nn": "For mange mislukka innloggingsforsøk",
            "en": "Too many failed sign-in attempts",
        }[language]
    )
