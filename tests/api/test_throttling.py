"""Throttling: the token endpoint slows down password guessing (429 beyond the rate)."""

import re
import runpy

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import resolve
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle
from rest_framework.views import APIView

from tests import factories
from tests.api.helpers import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth_rate(monkeypatch):
    """auth_rate("3/min"): the `auth` rate for this test, through the settings."""
    overrides = []

    def set_rate(rate: str) -> None:
        rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "auth": rate}
        override = override_settings(
            REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
        )
        override.enable()
        overrides.append(override)
        # DRF copies the rates onto the throttle class when it is imported; read them again.
        monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", api_settings.DEFAULT_THROTTLE_RATES)

    yield set_rate
    for override in reversed(overrides):
        override.disable()


@pytest.fixture
def clock(monkeypatch):
    """clock.now: the time the throttles see, in seconds; the test moves it forward."""

    class Clock:
        now = 1_000_000.0

    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: Clock.now)
    return Clock


def attempt(username: str, password: str = "wrong", address: str = "10.0.0.1", **headers):  # noqa: S107
    return APIClient().post(
        url("auth/token/"),
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=address,
        **headers,
    )


@override_settings(SAMTALE_LOGIN_FAILURES_PER_ADDRESS=100)
def test_the_21st_attempt_within_a_minute_is_429(clock):
    """Twenty guesses from one address at twenty accounts (below django-axes' lockout per account, and
    below the address's lockout, raised here: tests/security/test_login_limits.py), then the right
    password: the throttle refuses it."""
    user = factories.UserFactory()
    for number in range(20):
        assert attempt(f"E-guess-{number}").status_code == 400
        clock.now += 2
    response = attempt(user.employee_id, password=factories.PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 60 - 40  # the first attempt, 40 seconds ago, leaves the window
    assert response.json()["detail"]
    clock.now += 61
    assert attempt(user.employee_id, password=factories.PASSWORD).status_code == 200


def test_the_rate_comes_from_the_settings(auth_rate, clock):
    auth_rate("3/min")
    user = factories.UserFactory()
    assert [attempt(user.employee_id).status_code for _ in range(4)] == [400, 400, 400, 429]
    assert attempt(user.employee_id, address="10.0.0.2").status_code == 400  # counted per address
    clock.now += 61
    assert attempt(user.employee_id, password=factories.PASSWORD).status_code == 200


def test_a_throttled_client_gets_no_token_even_with_the_right_password(auth_rate):
    auth_rate("1/min")
    user = factories.UserFactory()
    assert attempt(user.employee_id, password=factories.PASSWORD).status_code == 200
    response = attempt(user.employee_id, password=factories.PASSWORD)
    assert response.status_code == 429
    assert "token" not in response.json()


def test_other_endpoints_are_not_throttled(auth_rate):
    auth_rate("1/min")
    client = APIClient()
    client.force_authenticate(factories.UserFactory())
    assert {client.get(url("me/")).status_code for _ in range(5)} == {200}


def base_settings_rates() -> dict:
    """The rates config/settings/base.py sets up under the current environment."""
    namespace = runpy.run_path(str(settings.BASE_DIR / "config" / "settings" / "base.py"))
    return namespace["REST_FRAMEWORK"]["DEFAULT_THROTTLE_RATES"]


def test_the_rates_default_and_follow_the_environment(monkeypatch):
    names = ["SAMTALE_THROTTLE_AUTH", "SAMTALE_THROTTLE_PDF", "SAMTALE_THROTTLE_STATISTICS"]
    for name in names:
        monkeypatch.delenv(name, raising=False)
    assert base_settings_rates() == {"auth": "20/min", "pdf": "60/min", "statistics": "60/min"}
    for name, rate in zip(names, ["5/hour", "10/min", "30/min"], strict=True):
        monkeypatch.setenv(name, rate)
    assert base_settings_rates() == {"auth": "5/hour", "pdf": "10/min", "statistics": "30/min"}


def test_the_schema_documents_429_on_the_token_endpoint():
    schema = APIClient().get(url("schema/"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "429" in schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]


def test_a_rotating_forwarded_for_header_does_not_escape_the_rate(auth_rate):
    """No proxy is trusted (the default): X-Forwarded-For is the client's own word and is ignored."""
    auth_rate("3/min")
    user = factories.UserFactory()
    statuses = [
        attempt(user.employee_id, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}").status_code
        for number in range(4)
    ]
    assert statuses == [400, 400, 400, 429]
    assert (
        attempt(user.employee_id, password=factories.PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.9").status_code
        == 429
    )


def test_behind_one_proxy_the_address_it_saw_is_counted(settings, auth_rate):
    """Chain `X-Forwarded-For, REMOTE_ADDR`: the right-most-but-one address is the client; what the client
    wrote before it does not matter."""
    settings.SAMTALE_TRUSTED_PROXY_COUNT = 1  # before auth_rate's override, so the two unwind in order
    auth_rate("3/min")
    user = factories.UserFactory()
    statuses = [
        attempt(user.employee_id, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}, 203.0.113.7").status_code
        for number in range(4)
    ]
    assert statuses == [400, 400, 400, 429]
    other_client = attempt(user.employee_id, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.8")
    assert other_client.status_code == 400


def throttled(view_class) -> bool:
    """Whether a request to the view can be throttled: a scoped throttle counts only views naming a scope."""
    view = view_class()
    return any(
        not isinstance(throttle, ScopedRateThrottle) or getattr(view, "throttle_scope", None)
        for throttle in view.get_throttles()
    )


def api_view_class(path: str):
    """The DRF view class serving a schema path (its parameters filled in with 1), or None."""
    match = resolve(re.sub(r"\{[^}]+\}", "1", path))
    view_class = getattr(match.func, "cls", None)
    return view_class if isinstance(view_class, type) and issubclass(view_class, APIView) else None


def test_every_throttled_operation_documents_429():
    schema = APIClient().get(url("schema/"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    throttled_operations, undocumented = [], []
    for path, operations in schema["paths"].items():
        view_class = api_view_class(path)
        if view_class is None or not throttled(view_class):
            continue
        for method, operation in operations.items():
            throttled_operations.append(f"{method.upper()} {path}")
            if "429" not in operation["responses"]:
                undocumented.append(f"{method.upper()} {path}")
    assert not undocumented, f"throttled, but 429 is not documented: {undocumented}"
    # The walk finds the throttled views themselves (token, PDF, statistics), not a list kept here.
    assert {"POST /api/v1/auth/token/", "GET /api/v1/conversations/{id}/pdf/"} <= set(throttled_operations)
    assert any("/statistics/" in operation for operation in throttled_operations)
