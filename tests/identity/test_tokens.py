"""API tokens that expire and that their owner withdraws (API and page); a person marked as having
left (by the import, SCIM or the admin) loses every token and every session at once."""

import datetime
import io

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from identity.models import UserSession
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-42"


@pytest.fixture
def conversation():
    conversation = factories.make_conversation()
    conversation.employee.set_password(PASSWORD)
    conversation.employee.save()
    return conversation


def token_for(employee_id: str) -> dict:
    response = APIClient().post("/api/v1/auth/token/", {"username": employee_id, "password": PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()


def api(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_token_works_until_it_expires(conversation, settings):
    settings.SAMTALE_API_TOKEN_LIFETIME_DAYS = 30
    employee = conversation.employee
    issued = token_for(employee.employee_id)
    expires = datetime.datetime.fromisoformat(issued["expires"])
    assert expires - timezone.now() == pytest.approx(
        datetime.timedelta(days=30), abs=datetime.timedelta(minutes=1)
    )
    detail = f"/api/v1/conversations/{conversation.pk}/"
    pdf = f"/api/v1/conversations/{conversation.pk}/pdf/"
    assert api(issued["token"]).get(detail).status_code == 200

    with time_machine.travel(expires - datetime.timedelta(minutes=1)):
        assert api(issued["token"]).get(detail).status_code == 200
        assert token_for(employee.employee_id)["token"] == issued["token"]  # the same while it lasts
    with time_machine.travel(expires + datetime.timedelta(minutes=1)):
        refused = api(issued["token"]).get(detail)
        assert refused.status_code == 401
        assert refused.json()["detail"] == "Nøkkelen er utløpt. Lag en ny."
        assert api(issued["token"]).get(pdf).status_code == 401
        assert api(issued["token"]).get("/api/v1/me/").status_code == 401
        renewed = token_for(employee.employee_id)["token"]
        assert renewed != issued["token"]
        assert api(renewed).get(detail).status_code == 200


def test_the_owner_withdraws_the_token_through_the_api(conversation):
    token = token_for(conversation.employee.employee_id)["token"]
    assert api(token).delete("/api/v1/auth/token/").status_code == 204
    assert api(token).get("/api/v1/me/").status_code == 401
    assert not Token.objects.filter(user=conversation.employee).exists()
    assert APIClient().delete("/api/v1/auth/token/").status_code == 401


def test_the_owner_makes_and_withdraws_a_token_on_the_page(conversation):
    employee = conversation.employee
    browser = Client()
    browser.force_login(employee)
    page = browser.get("/konto/api-nokkel/")
    assert page.status_code == 200
    assert "ingen gyldig nøkkel" in page.content.decode()

    made = browser.post("/konto/api-nokkel/", {"action": "create"})
    key = Token.objects.get(user=employee).key
    assert key in made.content.decode()
    assert api(key).get("/api/v1/me/").status_code == 200

    withdrawn = browser.post("/konto/api-nokkel/", {"action": "revoke"})
    assert "ingen gyldig nøkkel" in withdrawn.content.decode()
    assert api(key).get("/api/v1/me/").status_code == 401


def test_the_page_needs_a_signed_in_person_and_csrf(conversation):
    assert Client().get("/konto/api-nokkel/").status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(conversation.employee)
    assert strict.post("/konto/api-nokkel/", {"action": "create"}).status_code == 403
    assert not Token.objects.filter(user=conversation.employee).exists()


def signed_in_with_password(employee) -> Client:
    browser = Client()
    response = browser.post("/accounts/login/", {"username": employee.employee_id, "password": PASSWORD})
    assert response.status_code == 302
    assert UserSession.objects.filter(user=employee).exists()
    return browser


def assert_everything_ended(employee, browser, token) -> None:
    assert not Token.objects.filter(key=token).exists()
    assert api(token).get("/api/v1/me/").status_code == 401
    assert browser.get("/").status_code == 302  # to the login page
    assert not UserSession.objects.filter(user=employee).exists()
    for session in Session.objects.all():
        assert session.get_decoded().get("_auth_user_id") != str(employee.pk)


def test_leaving_through_the_import_ends_tokens_and_sessions(conversation, tmp_path):
    employee, leader = conversation.employee, conversation.leader
    token = token_for(employee.employee_id)["token"]
    browser = signed_in_with_password(employee)
    assert browser.get("/").status_code == 200
    rows = [
        "employee_id,full_name,email,unit,manager_id,roles",
        f"{leader.employee_id},Leder,,{leader.unit.path},,leader",
    ]
    path = tmp_path / "org.csv"
    path.write_text("\n".join(rows) + "\n")
    call_command("import_org", str(path), "--allow-mass-leave", stdout=io.StringIO(), stderr=io.StringIO())
    employee.refresh_from_db()
    assert not employee.is_active
    assert_everything_ended(employee, browser, token)


def test_leaving_through_the_admin_ends_tokens_and_sessions(conversation, admin_client):
    employee = conversation.employee
    token = token_for(employee.employee_id)["token"]
    browser = signed_in_with_password(employee)
    employee.left_on = timezone.localdate()
    employee.is_active = False
    employee.save()  # what the admin's change form does
    assert_everything_ended(employee, browser, token)


def test_leaving_through_scim_ends_tokens_and_sessions(conversation, capsys):
    employee = conversation.employee
    token = token_for(employee.employee_id)["token"]
    browser = signed_in_with_password(employee)
    call_command("create_scim_token", "entra-id")
    scim = Client(HTTP_AUTHORIZATION=f"Bearer {capsys.readouterr().out.strip()}")
    response = scim.delete(f"/scim/v2/Users/{employee.employee_id}")
    assert response.status_code == 204
    assert_everything_ended(employee, browser, token)


def test_signing_out_forgets_the_session(conversation):
    browser = signed_in_with_password(conversation.employee)
    browser.post("/accounts/logout/")
    assert not UserSession.objects.filter(user=conversation.employee).exists()


def test_an_expired_token_is_refused_by_the_statistics_too(settings):
    settings.SAMTALE_API_TOKEN_LIFETIME_DAYS = 30
    hr = factories.HRFactory()
    hr.set_password(PASSWORD)
    hr.save()
    cycle = factories.CycleFactory()
    issued = token_for(hr.employee_id)
    expires = datetime.datetime.fromisoformat(issued["expires"])
    paths = [f"/api/v1/statistics{suffix}?cycle={cycle.pk}" for suffix in ("/", ".csv")]
    assert [api(issued["token"]).get(path).status_code for path in paths] == [200, 200]
    with time_machine.travel(expires + datetime.timedelta(minutes=1)):
        assert [api(issued["token"]).get(path).status_code for path in paths] == [401, 401]
