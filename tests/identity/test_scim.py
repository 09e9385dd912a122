"""SCIM provisioning driven as Entra ID's provisioning service drives it: look a person up by userName,
create them, PATCH manager and department (Entra's op names and string booleans), deactivate, delete.
Every change under the import's rules: a reporting cycle or an unknown manager is refused with a SCIM
error and nothing changes; a manager change moves access at once; deactivation marks as left."""

import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from organization.models import OrgUnit, User
from tests import factories

pytestmark = pytest.mark.django_db

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SCIM_JSON = "application/scim+json"


class Scim:
    """A provisioning client holding the bearer token `create_scim_token` printed."""

    def __init__(self, token: str):
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def get(self, path, **params):
        return self.client.get(f"/scim/v2/{path}", params)

    def post(self, path, body):
        return self.client.post(f"/scim/v2/{path}", json.dumps(body), content_type=SCIM_JSON)

    def patch(self, path, *operations):
        body = {"schemas": [PATCH], "Operations": list(operations)}
        return self.client.patch(f"/scim/v2/{path}", json.dumps(body), content_type=SCIM_JSON)

    def delete(self, path):
        return self.client.delete(f"/scim/v2/{path}")


@pytest.fixture
def scim(capsys):
    call_command("create_scim_token", "entra-id")
    return Scim(capsys.readouterr().out.strip())


@pytest.fixture
def top():
    unit = factories.OrgUnitFactory(name="Kommune", path="Kommune")
    return factories.LeaderFactory(employee_id="1000", full_name="Toppleder", unit=unit)


def new_user(employee_id: str, manager: str | None, department: str = "Kommune/Skole") -> dict:
    return {
        "schemas": [USER, ENTERPRISE],
        "userName": employee_id,
        "active": True,
        "displayName": f"Person {employee_id}",
        "emails": [{"primary": True, "type": "work", "value": f"p{employee_id}@kommune.example"}],
        ENTERPRISE: {"employeeNumber": employee_id, "department": department, "manager": {"value": manager}},
    }


def snapshot():
    return sorted(
        User.objects.values_list(
            "employee_id", "manager__employee_id", "unit__path", "is_active", "is_leader"
        )
    )


def test_only_the_provisioning_client_gets_in(scim, top):
    assert Client().get("/scim/v2/Users").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer not-the-token").get("/scim/v2/Users").status_code == 401
    token = Token.objects.create(user=top).key  # a person's API token is not a provisioning token
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/scim/v2/Users").status_code == 401
    assert scim.get("Users").status_code == 200


def test_the_token_is_stored_only_hashed(scim):
    client = apps.get_model("identity", "ProvisioningClient").objects.get(name="entra-id")
    assert len(client.token_hash) == 64
    token = scim.client.defaults["HTTP_AUTHORIZATION"].split()[1]
    assert token not in client.token_hash


def test_entra_creates_looks_up_and_patches_a_person(scim, top):
    # Entra first asks whether the person exists.
    found = scim.get("Users", filter='userName eq "2001"')
    assert found.status_code == 200
    assert found.json()["totalResults"] == 0

    created = scim.post("Users", new_user("2001", "1000"))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["id"] == "2001"
    assert body[ENTERPRISE]["manager"]["value"] == "1000"
    assert body[ENTERPRISE]["department"] == "Kommune/Skole"
    person = User.objects.get(employee_id="2001")
    assert person.manager == top
    assert person.unit.path == "Kommune/Skole"
    assert not person.has_usable_password()  # they sign in through the identity provider

    found = scim.get("Users", filter='userName eq "2001"').json()
    assert found["totalResults"] == 1
    assert found["Resources"][0]["userName"] == "2001"

    scim.post("Users", new_user("2002", "1000"))
    moved = scim.patch(
        "Users/2001",
        {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Kommune/Helse"},
        {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": "2002"},
        {"op": "Replace", "path": "displayName", "value": "Person Ny"},
    )
    assert moved.status_code == 200, moved.content
    person.refresh_from_db()
    assert (person.manager.employee_id, person.unit.path, person.full_name) == (
        "2002",
        "Kommune/Helse",
        "Person Ny",
    )
    assert User.objects.get(employee_id="2002").is_leader  # whoever manages someone leads, as in the import
    assert OrgUnit.objects.filter(path="Kommune/Helse").exists()


def test_a_reporting_cycle_is_refused_and_nothing_changes(scim, top):
    scim.post("Users", new_user("2001", "1000"))
    scim.post("Users", new_user("2002", "2001"))
    before = snapshot()

    refused = scim.patch(
        "Users/2001",
        {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Kommune/Nytt"},
        {"op": "Replace", "path": f"{ENTERPRISE}:manager", "value": "2002"},
    )

    assert refused.status_code == 400
    error = refused.json()
    assert error["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert error["scimType"] == "invalidValue"
    assert "2001" in error["detail"] and "2002" in error["detail"]
    assert snapshot() == before
    assert not OrgUnit.objects.filter(path="Kommune/Nytt").exists()


def test_an_unknown_or_departed_manager_is_refused(scim, top):
    scim.post("Users", new_user("2001", "1000"))
    factories.UserFactory(employee_id="3000", is_active=False)
    before = snapshot()
    unknown = scim.patch("Users/2001", {"op": "Replace", "path": f"{ENTERPRISE}:manager", "value": "9999"})
    assert unknown.status_code == 400
    assert "9999" in unknown.json()["detail"]
    gone = scim.patch("Users/2001", {"op": "Replace", "path": f"{ENTERPRISE}:manager", "value": "3000"})
    assert gone.status_code == 400
    assert scim.post("Users", new_user("2005", "9999")).status_code == 400
    assert scim.post("Users", new_user("2006", "2006")).status_code == 400  # their own manager
    assert snapshot() == before


def test_a_manager_change_moves_access_at_once(scim):
    conversation = factories.make_conversation()
    former, employee = conversation.leader, conversation.employee
    successor = factories.LeaderFactory(employee_id="4000", unit=former.unit)
    path = f"/api/v1/conversations/{conversation.pk}/"
    former_client, successor_client = Client(), Client()
    former_client.force_login(former)
    successor_client.force_login(successor)
    assert former_client.get(path).status_code == 200
    assert successor_client.get(path).status_code == 404

    moved = scim.patch(
        f"Users/{employee.employee_id}", {"op": "Replace", "path": f"{ENTERPRISE}:manager", "value": "4000"}
    )

    assert moved.status_code == 200, moved.content
    assert former_client.get(path).status_code == 404
    assert successor_client.get(path).status_code == 200


def test_deactivation_and_deletion_mark_as_left_and_keep_the_data(scim, top):
    conversation = factories.make_conversation()
    employee = conversation.employee
    token = Token.objects.create(user=employee)
    signed_in = Client()
    signed_in.force_login(employee)  # a session begun with the login page, see test_tokens for SSO

    deactivated = scim.patch(
        f"Users/{employee.employee_id}", {"op": "Replace", "path": "active", "value": "False"}
    )

    assert deactivated.status_code == 200, deactivated.content
    assert deactivated.json()["active"] is False
    employee.refresh_from_db()
    assert not employee.is_active and employee.left_on is not None
    assert not Token.objects.filter(pk=token.pk).exists()
    assert conversation.__class__.objects.filter(pk=conversation.pk).exists()

    leader = conversation.leader
    assert scim.delete(f"Users/{leader.employee_id}").status_code == 204
    leader.refresh_from_db()
    assert not leader.is_active and leader.left_on is not None  # marked as left, never deleted

    back = scim.patch(f"Users/{employee.employee_id}", {"op": "Replace", "value": {"active": True}})
    assert back.status_code == 400  # their manager has left: the import's rule, a manager must be active
    back = scim.patch(
        f"Users/{employee.employee_id}",
        {"op": "Replace", "value": {"active": True, f"{ENTERPRISE}:manager": "1000"}},
    )
    assert back.status_code == 200, back.content
    employee.refresh_from_db()
    assert employee.is_active and employee.left_on is None


def test_superusers_are_not_provisioned(scim, admin_user):
    assert scim.get(f"Users/{admin_user.employee_id}").status_code == 404
    assert scim.get("Users").json()["totalResults"] == 0


def test_scim_writes_are_audited_under_the_client(scim, top):
    scim.post("Users", new_user("2001", "1000"))
    event_model = apps.get_model("organization", "UserEvent")
    event = event_model.objects.filter(employee_id="2001").latest("pgh_id")
    assert event.pgh_context.metadata["provisioning_client"] == "entra-id"
    assert event.pgh_context.metadata["url"] == "/scim/v2/Users"
