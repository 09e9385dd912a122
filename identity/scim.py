"""SCIM 2.0 provisioning (`/scim/v2/`) with django-scim2: its views, filter parser, list responses and
errors; here the mapping of Samtale's people and the bearer-token check.

A person's SCIM `id` and `userName` are their employee id (the identity provider is set up to send the
employee id as userName, see the README), the enterprise extension carries `employeeNumber` (the same
id), `department` (the unit path, levels separated by "/") and `manager` (the manager's id), and
`roles` holds "leader" and "hr". Every write goes through the import's services and checks
(`organization.services.person_provision`, `person_mark_left`): a problem is a SCIM error 400 and
nothing is changed; deactivating or deleting someone marks them as having left, nothing is deleted.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django_scim import constants, exceptions
from django_scim.adapters import SCIMUser

from conversations import services as conversation_services
from organization import importer
from organization import services as organization_services
from organization.importer import OrgFileRefused

ENTERPRISE = constants.SchemaURI.ENTERPRISE_USER


# A PATCH's attribute path (without the enterprise extension's prefix or a filter) -> what it sets.
PATCHED_ATTRIBUTES = {
    "active": "active",
    "displayName": "full_name",
    "name.formatted": "full_name",
    "emails": "email",
    "roles": "roles",
    "department": "unit",
    "manager": "manager_id",
    "manager.value": "manager_id",
    "employeeNumber": "employee_id",
    "userName": "employee_id",
    "externalId": "employee_id",
}


def _full_name(name: dict) -> str:
    given_and_family = (_text(name.get("givenName")), _text(name.get("familyName")))
    return _text(name.get("formatted")) or " ".join(part for part in given_and_family if part)


def _text(value) -> str:
    if isinstance(value, dict):
        value = value.get("value")
    if isinstance(value, list):
        value = value[0].get("value") if value and isinstance(value[0], dict) else None
    if value is None:
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise exceptions.BadRequestError("A text value was expected.", scim_type="invalidValue")
    return str(value)


def _boolean(value) -> bool:
    if isinstance(value, dict):
        value = value.get("active", value.get("value"))
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"  # Entra ID sends "True"/"False" in PATCH
    if not isinstance(value, bool):
        raise exceptions.BadRequestError('"active" must be true or false.', scim_type="invalidValue")
    return value


def _primary_email(emails) -> str:
    if isinstance(emails, dict | str):
        return _text(emails)
    if not isinstance(emails, list) or not emails:
        return ""
    chosen = next((e for e in emails if isinstance(e, dict) and e.get("primary")), emails[0])
    return _text(chosen)


def _roles(value) -> str:
    items = value if isinstance(value, list) else [value]
    names = {_text(item).strip().lower() for item in items if item not in (None, "")}
    return importer.ROLE_SEPARATOR.join(sorted(name for name in names if name in ("leader", "hr")))


class PersonAdapter(SCIMUser):
    """One person as a SCIM User."""

    id_field = "employee_id"

    def __init__(self, obj, request=None):
        super().__init__(obj, request)
        self.values = self._current_values() if obj.pk else {}
        self.active = obj.is_active if obj.pk else True

    def _current_values(self) -> dict[str, str]:
        person = self.obj
        roles = [role for role, held in (("leader", person.is_leader), ("hr", person.is_hr)) if held]
        return {
            "employee_id": person.employee_id,
            "full_name": person.full_name,
            "email": person.email,
            "unit": person.unit.path if person.unit_id else "",
            "manager_id": person.manager.employee_id if person.manager_id else "",
            "roles": importer.ROLE_SEPARATOR.join(roles),
        }

    @property
    def meta(self):
        return {
            "resourceType": "User",
            "created": self.obj.date_joined.isoformat(),
            "location": self.location,
        }

    def to_dict(self):
        person = self.obj
        manager = {}
        if person.manager_id:
            manager = {"value": person.manager.employee_id, "displayName": person.manager.full_name}
        return {
            "schemas": [constants.SchemaURI.USER, ENTERPRISE],
            "id": person.employee_id,
            "userName": person.employee_id,
            "displayName": person.full_name,
            "name": {"formatted": person.full_name},
            "emails": [{"value": person.email, "type": "work", "primary": True}] if person.email else [],
            "active": person.is_active,
            "roles": [{"value": role} for role in person.roles if role != "employee"],
            ENTERPRISE: {
                "employeeNumber": person.employee_id,
                "department": person.unit.path if person.unit_id else "",
                "manager": manager,
            },
            "meta": self.meta,
        }

    def validate_dict(self, d):
        if not isinstance(d, dict):
            raise exceptions.BadRequestError("The body must be a SCIM User.", scim_type="invalidSyntax")

    def from_dict(self, d):
        """A whole User (POST, PUT): the values it gives replace the person's."""
        enterprise = d.get(ENTERPRISE) or {}
        employee_id = _text(enterprise.get("employeeNumber")) or _text(d.get("userName"))
        if self.obj.pk and employee_id != self.obj.employee_id:
            raise exceptions.BadRequestError("The employee id cannot change.", scim_type="mutability")
        full_name = _text(d.get("displayName")) or _full_name(d.get("name") or {})
        self.values = {
            "employee_id": employee_id,
            "full_name": full_name,
            "email": _primary_email(d.get("emails")),
            "unit": _text(enterprise.get("department")),
            "manager_id": _text(enterprise.get("manager")),
            "roles": _roles(d.get("roles") or []),
        }
        if d.get("active") is not None:
            self.active = _boolean(d["active"])

    def handle_operations(self, operations):
        """A PATCH as Entra ID sends it: add/replace/remove of active, displayName, name, emails, roles
        and the enterprise extension's department, manager and employeeNumber, with or without a path."""
        for operation in operations:
            op = str(operation.get("op", "")).lower()
            if op not in constants.VALID_PATCH_OPS:
                raise exceptions.BadRequestError(f'Unknown PATCH op "{op}"', scim_type="invalidSyntax")
            path, value = operation.get("path"), operation.get("value")
            if path:
                self._apply(op, path, value)
            elif isinstance(value, dict) and op != "remove":
                for key, item in value.items():
                    self._apply(op, key, item)
            else:
                raise exceptions.BadRequestError("The operation names no attribute.", scim_type="noTarget")
        self.save()

    def _apply(self, op: str, path: str, value) -> None:
        if path == ENTERPRISE and isinstance(value, dict):  # the extension as a whole
            for key, item in value.items():
                self._apply(op, f"{ENTERPRISE}:{key}", item)
            return
        attribute = path.removeprefix(ENTERPRISE + ":").split("[")[0]
        if attribute == "name" and isinstance(value, dict):
            attribute, value = "name.formatted", _full_name(value)
        # Other attributes (title, addresses, phone numbers, ...) are not kept: ignored, as SCIM allows.
        setter = getattr(self, "_set_" + PATCHED_ATTRIBUTES.get(attribute, "nothing"))
        setter(None if op == "remove" else value)

    def _set_active(self, value) -> None:
        self.active = True if value is None else _boolean(value)

    def _set_full_name(self, value) -> None:
        self.values["full_name"] = _text(value)

    def _set_email(self, value) -> None:
        self.values["email"] = _primary_email(value)

    def _set_roles(self, value) -> None:
        self.values["roles"] = _roles(value or [])

    def _set_unit(self, value) -> None:
        self.values["unit"] = _text(value)

    def _set_manager_id(self, value) -> None:
        self.values["manager_id"] = _text(value)

    def _set_employee_id(self, value) -> None:
        if value is not None and _text(value) != self.values.get("employee_id"):
            raise exceptions.BadRequestError("The employee id cannot change.", scim_type="mutability")

    def _set_nothing(self, value) -> None:
        pass

    @transaction.atomic
    def save(self):
        if (
            not self.obj.pk
            and get_user_model().objects.filter(employee_id=self.values.get("employee_id")).exists()
        ):
            raise exceptions.IntegrityError("A person with this employee id exists.", scim_type="uniqueness")
        row, problems = importer.row_from_values(0, self.values)
        if problems:
            raise _scim_error(problems)
        if self.active or not self.obj.pk:
            try:
                provisioned = organization_services.person_provision(row=row)
            except OrgFileRefused as refused:
                raise _scim_error(refused.problems) from None
            self.obj = provisioned.user
            conversation_services.manager_changes_applied(provisioned.manager_changes)
        if not self.active:
            organization_services.person_mark_left(user=self.obj)

    def delete(self):
        """A deleted person is marked as having left: their conversations are kept."""
        organization_services.person_mark_left(user=self.obj)


def _scim_error(problems) -> exceptions.BadRequestError:
    return exceptions.BadRequestError(
        " ".join(problem.message for problem in problems), scim_type="invalidValue"
    )
