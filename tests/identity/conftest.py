"""A real OpenID Connect provider (django-oauth-toolkit, a process of its own) for the sign-in tests,
and Samtale's settings pointing at it."""

import copy

import pytest
from django.conf import settings as django_settings

from tests.identity.oidc_provider import start_provider

PEOPLE_AT_PROVIDER = ["10100", "10101", "10199", "99999"]


def point_samtale_at(settings, provider) -> None:
    """What the README's SAMTALE_OIDC_* variables set, for `provider`."""
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [*django_settings.AUTHENTICATION_BACKENDS, "identity.oidc.OIDCBackend"]
    csp = copy.deepcopy(django_settings.CONTENT_SECURITY_POLICY)
    csp["DIRECTIVES"]["form-action"].append(provider.url)
    settings.CONTENT_SECURITY_POLICY = csp


@pytest.fixture(scope="session")
def oidc_provider_process(tmp_path_factory, live_server):
    """The provider, with Samtale (the live server) registered as its client; one for the session.
    In CI a provider that cannot start fails the tests (it is installed with the test dependencies)."""
    provider = start_provider(
        tmp_path_factory.mktemp("oidc"), samtale_url=live_server.url, people=PEOPLE_AT_PROVIDER
    )
    yield provider
    provider.stop()


@pytest.fixture
def oidc_provider(oidc_provider_process, settings):
    """The provider, and Samtale set up to sign in there for this test."""
    point_samtale_at(settings, oidc_provider_process)
    return oidc_provider_process
