"""Single sign-on in real Chromium against a real OpenID Connect provider on loopback: sign in, land on
the page asked for, a replayed callback refused, sign out here and at the provider; people who have left
or are not in the organisation refused with a page that says why."""

import re

import pytest
import requests
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import LeaderFactory, OrgUnitFactory, UserFactory
from tests.identity.conftest import oidc_provider, oidc_provider_process  # noqa: F401 - the fixtures
from tests.identity.oidc_provider import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    unit = OrgUnitFactory(name="Skole", path="Kommune/Skole")
    leader = LeaderFactory(employee_id="10100", full_name="Lina Leder", unit=unit)
    employee = UserFactory(employee_id="10101", full_name="Emil Ansatt", unit=unit, manager=leader)
    left_on = timezone.localdate()
    UserFactory(employee_id="10199", full_name="Siri Sluttet", unit=unit, is_active=False, left_on=left_on)
    return leader, employee


def sign_in_at_provider(page, employee_id: str) -> None:
    page.locator("#sso-login").click()
    page.wait_for_url(re.compile(r"http://127\.0\.0\.1:\d+/login/"))
    page.fill("#id_username", employee_id)
    page.fill("#id_password", PASSWORD)
    page.locator("button[type=submit]").click()


def test_sign_in_and_out_at_both_ends(visitor, oidc_provider, people, live_server):  # noqa: F811
    leader, _ = people
    v = visitor()
    callbacks = []
    v.page.on("request", lambda request: "/sso/callback/" in request.url and callbacks.append(request.url))

    v.go("/medarbeidere/")  # a leader's page, before signing in: to the login page, then back here
    expect(v.page.locator("#sso-login")).to_contain_text("Testleverandøren")
    v.check("login-sso")
    sign_in_at_provider(v.page, "10100")
    v.page.wait_for_url(f"{live_server.url}/medarbeidere/")
    expect(v.page.locator(".who")).to_have_text(leader.full_name)
    v.go("/", "home-after-sso")
    expect(v.page.locator("h1")).to_contain_text("Venter på deg")

    # The callback with its state again (a replay): refused, whatever the browser's session holds.
    assert len(callbacks) == 1
    response = v.page.goto(callbacks[0])
    assert response.status == 400
    expect(v.page.locator("#refusal")).to_contain_text("allerede brukt")

    v.go("/")
    v.page.get_by_role("button", name="Logg ut").click()
    v.page.wait_for_url(f"{live_server.url}/accounts/login/")
    # Signed out at the provider too: its own page says so, and Samtale asks to sign in again.
    v.page.goto(oidc_provider.url + "/")
    expect(v.page.locator("h1")).to_have_text("Not signed in at the provider")
    v.page.goto(live_server.url + "/")
    assert v.page.url.startswith(f"{live_server.url}/accounts/login/")


def test_an_employee_lands_on_waiting_for_you(visitor, oidc_provider, people, live_server):  # noqa: F811
    _, employee = people
    v = visitor()
    v.go("/accounts/login/")
    sign_in_at_provider(v.page, "10101")
    v.page.wait_for_url(f"{live_server.url}/")
    expect(v.page.locator(".who")).to_have_text(employee.full_name)
    expect(v.page.locator("h1")).to_contain_text("Venter på deg")


@pytest.mark.parametrize(
    ("employee_id", "says"),
    [("10199", "registrert som sluttet"), ("99999", "ikke registrert i Samtale")],
)
def test_someone_who_left_or_is_unknown_is_refused(
    visitor,
    oidc_provider,  # noqa: F811
    people,
    live_server,
    employee_id,
    says,
):
    v = visitor()
    v.go("/accounts/login/")
    statuses = []
    v.page.on("response", lambda r: "/sso/callback/" in r.url and statuses.append(r.status))
    sign_in_at_provider(v.page, employee_id)
    expect(v.page.locator("#refusal")).to_contain_text(says)
    assert statuses == [403]
    v.check(f"sso-refused-{employee_id}")
    v.page.goto(live_server.url + "/")
    assert v.page.url.startswith(f"{live_server.url}/accounts/login/")


def test_the_provider_is_really_there(oidc_provider):  # noqa: F811
    discovery = requests.get(f"{oidc_provider.issuer}/.well-known/openid-configuration", timeout=5).json()
    assert discovery["issuer"] == oidc_provider.issuer
    assert "S256" in discovery["code_challenge_methods_supported"]
