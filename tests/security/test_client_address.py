"""Which address a request comes from: X-Forwarded-For is believed only as far as our own proxies go,
and every limit (DRF's throttles, django-axes, the password reset) reads the same address."""

import runpy

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import RequestFactory, override_settings
from rest_framework.test import APIClient

from core import security
from tests.api.helpers import url

PROXY = "10.0.0.1"


def request_from(forwarded: str | None, remote: str = PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, PROXY),
        (0, "203.0.113.7", PROXY),  # no proxy: the header is the client's own word
        (0, "198.51.100.1, 203.0.113.7", PROXY),
        (1, None, PROXY),
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the client wrote 198.51.100.1 itself
        (2, "198.51.100.1, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (2, "203.0.113.7", "203.0.113.7"),  # fewer entries than proxies: the left-most
        (1, "198.51.100.1, not-an-address", PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_is_the_address_the_outermost_trusted_proxy_saw(proxies, forwarded, expected):
    with override_settings(SAMTALE_TRUSTED_PROXY_COUNT=proxies):
        assert security.client_address(request_from(forwarded)) == expected


def token_attempt(username: str, forwarded: str):
    return APIClient().post(
        url("auth/token/"),
        {"username": username, "password": "wrong"},
        format="json",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
@override_settings(SAMTALE_TRUSTED_PROXY_COUNT=1)
def test_django_axes_records_the_address_behind_one_proxy():
    token_attempt("E-guess", "198.51.100.1, 203.0.113.7")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.7"]


@pytest.mark.django_db
@override_settings(SAMTALE_TRUSTED_PROXY_COUNT=1)
def test_a_forwarded_entry_that_is_no_address_is_not_stored():
    """django-axes stores the address in an inet column on PostgreSQL: never anything but an address."""
    assert token_attempt("E-guess", "198.51.100.1, <script>").status_code == 400
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [PROXY]


@pytest.mark.django_db
def test_django_axes_ignores_the_header_without_proxies():
    token_attempt("E-guess", "198.51.100.1")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [PROXY]


def base_settings() -> dict:
    return runpy.run_path(str(settings.BASE_DIR / "config" / "settings" / "base.py"))


def test_one_setting_tells_every_library_how_many_proxies_to_trust(monkeypatch):
    monkeypatch.delenv("SAMTALE_TRUSTED_PROXY_COUNT", raising=False)
    default = base_settings()
    assert default["SAMTALE_TRUSTED_PROXY_COUNT"] == 0
    assert default["REST_FRAMEWORK"]["NUM_PROXIES"] == 0  # DRF: REMOTE_ADDR, never the header
    assert default["AXES_CLIENT_IP_CALLABLE"] == "core.security.client_address"
    monkeypatch.setenv("SAMTALE_TRUSTED_PROXY_COUNT", "2")
    two = base_settings()
    assert two["SAMTALE_TRUSTED_PROXY_COUNT"] == 2
    assert two["REST_FRAMEWORK"]["NUM_PROXIES"] == 2
    assert two["AXES_IPWARE_PROXY_COUNT"] == 2
