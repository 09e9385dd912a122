"""Token and session authentication, and the schema."""

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories
from tests.api.helpers import url

pytestmark = pytest.mark.django_db


def test_token_for_employee_id_and_password():
    user = factories.UserFactory()
    response = APIClient().post(
        url("auth/token/"), {"username": user.employee_id, "password": factories.PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=user).key

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get(url("me/"))
    assert me.status_code == 200
    assert me.json()["employee_id"] == user.employee_id


@pytest.mark.parametrize(
    "body",
    [
        {"username": "E-nobody", "password": "x"},
        {"username": "", "password": ""},
        {"password": "x"},
        {"username": ["a"], "password": "x"},
        {"username": "a\x00b", "password": "x"},
    ],
)
def test_token_refused_for_bad_credentials(body):
    response = APIClient().post(url("auth/token/"), body, format="json")
    assert response.status_code == 400


def test_wrong_password_is_400():
    user = factories.UserFactory()
    response = APIClient().post(
        url("auth/token/"), {"username": user.employee_id, "password": "wrong"}, format="json"
    )
    assert response.status_code == 400


def test_people_who_left_get_no_token_and_lose_the_one_they_had():
    user = factories.UserFactory()
    token = Token.objects.create(user=user)
    user.is_active = False
    user.save()
    response = APIClient().post(
        url("auth/token/"), {"username": user.employee_id, "password": factories.PASSWORD}, format="json"
    )
    assert response.status_code == 400
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(url("me/")).status_code == 401


def test_anonymous_gets_401_with_a_challenge():
    response = APIClient().get(url("conversations/"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_bad_token_is_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get(url("me/")).status_code == 401


def test_session_authentication_with_csrf():
    user = factories.UserFactory()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get(url("me/")).status_code == 200
    # A session is a browser: a write without the CSRF token is refused.
    assert client.post(url("me/share-history/"), {"shared": True}, format="json").status_code == 403


def test_token_endpoint_ignores_a_session_without_csrf():
    user = factories.UserFactory()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(
        url("auth/token/"), {"username": user.employee_id, "password": factories.PASSWORD}, format="json"
    )
    assert response.status_code == 200


def test_schema_and_docs_are_served():
    client = APIClient()
    schema = client.get(url("schema/"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/conversations/{id}/confirm/" in paths
    assert client.get(url("docs/")).status_code == 200


def test_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
