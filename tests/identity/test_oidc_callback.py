"""The callback's checks of the ID token, against the real provider's published keys (JWKS): a token
signed by another key, expired, for another audience or issuer, or with another nonce is refused and
nobody is signed in; the same token made right is accepted (so each refusal is the check's doing). And
the login page without passwords (SAMTALE_PASSWORD_LOGIN=false)."""

import time
from unittest import mock

import jwt
import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.utils import timezone
from jwt.algorithms import RSAAlgorithm

from identity.oidc import OIDCBackend
from tests.factories import UserFactory
from tests.identity.conftest import oidc_provider, oidc_provider_process  # noqa: F401 - the fixtures
from tests.identity.oidc_provider import new_private_key_pem

pytestmark = pytest.mark.django_db(transaction=True)

STATE, NONCE = "state-1234567890", "nonce-1234567890"


def _kid(provider) -> str:
    keys = requests.get(f"{provider.issuer}/.well-known/jwks.json", timeout=5).json()["keys"]
    return keys[0]["kid"]


def id_token(provider, *, key_pem=None, **changes) -> str:
    now = int(time.time())
    claims = {
        "iss": provider.issuer,
        "aud": provider.client_id,
        "sub": "1",
        "iat": now,
        "exp": now + 300,
        "nonce": NONCE,
        "employee_id": "10101",
        **changes,
    }
    claims = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode(
        claims, key_pem or provider.private_key_pem, algorithm="RS256", headers={"kid": _kid(provider)}
    )


def call_back(token: str) -> tuple[Client, object]:
    client = Client()
    session = client.session
    session["oidc_states"] = {STATE: {"nonce": NONCE, "code_verifier": "v" * 64, "added_on": time.time()}}
    session.save()
    with mock.patch.object(OIDCBackend, "get_token", return_value={"id_token": token, "access_token": "at"}):
        response = client.get("/sso/callback/", {"code": "code", "state": STATE})
    return client, response


@pytest.fixture
def employee():
    return UserFactory(employee_id="10101")


def test_a_token_made_right_signs_in(oidc_provider, employee):  # noqa: F811
    client, response = call_back(id_token(oidc_provider))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[SESSION_KEY] == str(employee.pk)


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"key_pem": "forged"}, id="signed-by-another-key"),
        pytest.param({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, id="expired"),
        pytest.param({"aud": "another-client"}, id="wrong-audience"),
        pytest.param({"aud": ["another-client", "samtale-test"]}, id="shared-audience-without-azp"),
        pytest.param({"iss": "http://127.0.0.1:1/o"}, id="wrong-issuer"),
        pytest.param({"nonce": "another-nonce"}, id="wrong-nonce"),
        pytest.param({"exp": None}, id="no-expiry"),
    ],
)
def test_a_bad_id_token_is_refused(oidc_provider, employee, changes):  # noqa: F811
    if changes.get("key_pem") == "forged":
        changes = {"key_pem": new_private_key_pem()}
    client, response = call_back(id_token(oidc_provider, **changes))
    assert response.status_code == 400
    assert "kunne ikke bekreftes" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_replayed_state_is_refused(oidc_provider, employee):  # noqa: F811
    token = id_token(oidc_provider)
    client, first = call_back(token)
    assert first.status_code == 302
    with mock.patch.object(OIDCBackend, "get_token", return_value={"id_token": token, "access_token": "at"}):
        again = Client().get("/sso/callback/", {"code": "code", "state": STATE})
        replay = client.get("/sso/callback/", {"code": "code", "state": STATE})
    assert again.status_code == 400  # another browser: no state at all
    assert replay.status_code == 400  # the same browser: the state was used up


def test_someone_who_left_is_refused_with_a_valid_token(oidc_provider):  # noqa: F811
    UserFactory(employee_id="10101", is_active=False, left_on=timezone.localdate())
    client, response = call_back(id_token(oidc_provider))
    assert response.status_code == 403
    assert "registrert som sluttet" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_token_without_the_employee_claim_is_refused(oidc_provider, employee):  # noqa: F811
    client, response = call_back(id_token(oidc_provider, employee_id=None))
    assert response.status_code == 403
    assert "SAMTALE_OIDC_EMPLOYEE_ID_CLAIM" in response.content.decode()


def test_the_provider_publishes_the_key_the_tests_sign_with(oidc_provider):  # noqa: F811
    jwk = requests.get(f"{oidc_provider.issuer}/.well-known/jwks.json", timeout=5).json()["keys"][0]
    public = RSAAlgorithm.from_jwk(jwk)
    token = id_token(oidc_provider)
    assert jwt.decode(token, public, algorithms=["RS256"], audience=oidc_provider.client_id)["employee_id"]


def test_without_passwords_the_login_page_offers_only_the_provider(oidc_provider, employee, settings):  # noqa: F811
    settings.SAMTALE_PASSWORD_LOGIN = False
    employee.set_password("a-password-123")
    employee.save()
    client = Client()
    page = client.get("/accounts/login/").content.decode()
    assert 'id="sso-login"' in page
    assert 'type="password"' not in page
    refused = client.post("/accounts/login/", {"username": "10101", "password": "a-password-123"})
    assert refused.status_code == 403
    assert SESSION_KEY not in client.session
    token = client.post("/api/v1/auth/token/", {"username": "10101", "password": "a-password-123"})
    assert token.status_code == 403


def test_with_passwords_both_are_offered_provider_first(oidc_provider):  # noqa: F811
    page = Client().get("/accounts/login/").content.decode()
    assert page.index('id="sso-login"') < page.index('type="password"')
