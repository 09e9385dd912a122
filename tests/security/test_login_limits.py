"""Password spraying: one password tried at many accounts from one address. django-axes locks an
account at an address after 5 failures; the address itself is locked after
SAMTALE_LOGIN_FAILURES_PER_ADDRESS (20) failures at any accounts, on the login page and the token
endpoint alike, for the cool-off time (15 minutes)."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from core import rate_limits
from tests import factories
from tests.api.helpers import url

pytestmark = pytest.mark.django_db

SPRAYER = "198.51.100.66"
NEIGHBOUR = "198.51.100.67"
COOLOFF_SECONDS = 15 * 60


@pytest.fixture(autouse=True)
def _auth_rate_out_of_the_way(monkeypatch):
    """DRF's per-minute rate on the token endpoint would answer first; these tests are about the lock."""
    rates = {**ScopedRateThrottle.THROTTLE_RATES, "auth": "1000/min"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = rate_limits.now()

    monkeypatch.setattr(rate_limits, "now", lambda: Clock.now)
    return Clock


def page_login(client, username, password="feil-passord", address=SPRAYER):  # noqa: S107
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def token(username, password="feil-passord", address=SPRAYER):  # noqa: S107
    body = {"username": username, "password": password}
    return APIClient().post(url("auth/token/"), body, format="json", REMOTE_ADDR=address)


def test_the_login_page_locks_an_address_that_tries_many_accounts():
    client = Client()
    for number in range(19):
        assert page_login(client, f"E-spray-{number}").status_code == 200
    locked = page_login(client, "E-spray-19")
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(COOLOFF_SECONDS)
    page = locked.content.decode()
    assert "For mange mislykkede innloggingsforsøk" in page
    assert 'class="site-header"' in page  # the site's own layout, not django-axes' bare text

    user = factories.UserFactory()
    assert page_login(client, user.employee_id, factories.PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    assert page_login(Client(), user.employee_id, factories.PASSWORD, address=NEIGHBOUR).status_code == 302


def test_the_token_endpoint_locks_an_address_that_tries_many_accounts():
    for number in range(19):
        assert token(f"E-spray-{number}").status_code == 400
    locked = token("E-spray-19")
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(COOLOFF_SECONDS)
    assert locked.json()["detail"] == "For mange mislykkede forsøk. Prøv igjen senere."

    user = factories.UserFactory()
    refused = token(user.employee_id, factories.PASSWORD)
    assert refused.status_code == 429
    assert refused.json() == locked.json()  # the lock, not the per-minute rate
    assert token(user.employee_id, factories.PASSWORD, address=NEIGHBOUR).status_code == 200


def test_the_page_and_the_token_endpoint_count_together():
    for number in range(10):
        page_login(Client(), f"E-spray-{number}")
    for number in range(10, 19):
        assert token(f"E-spray-{number}").status_code == 400
    assert token("E-spray-19").status_code == 429
    assert page_login(Client(), "E-spray-20").status_code == 429


def test_one_typo_behind_a_shared_address_locks_nobody_out():
    """Colleagues behind one NAT: some typos among them, below the address's limit."""
    colleagues = factories.UserFactory.create_batch(5)
    for colleague in colleagues:
        assert page_login(Client(), colleague.employee_id).status_code == 200
        assert page_login(Client(), colleague.employee_id, factories.PASSWORD).status_code == 302


def test_the_address_is_free_again_after_the_cooloff(clock):
    for number in range(20):
        token(f"E-spray-{number}")
    user = factories.UserFactory()
    clock.now += COOLOFF_SECONDS - 10
    still_locked = token(user.employee_id, factories.PASSWORD)  # a failure too: it keeps the lock
    assert still_locked.status_code == 429
    assert "Prøv igjen senere" in still_locked.json()["detail"]
    clock.now += COOLOFF_SECONDS + 1
    assert token(user.employee_id, factories.PASSWORD).status_code == 200


def test_the_limit_per_address_comes_from_the_settings(settings):
    settings.SAMTALE_LOGIN_FAILURES_PER_ADDRESS = 3
    assert [token(f"E-spray-{number}").status_code for number in range(3)] == [400, 400, 429]
