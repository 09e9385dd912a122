"""The organisation file's columns and limits, the rows read from it, and the problems that refuse it."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from organization.models import OrgUnit, User

COLUMNS = ("employee_id", "full_name", "email", "unit", "manager_id", "roles")
ROLES = ("employee", "leader", "hr")
ROLE_SEPARATOR = ";"


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


MAX_LENGTHS = {
    "employee_id": _max_length(User, "employee_id"),
    "full_name": _max_length(User, "full_name"),
    "email": _max_length(User, "email"),
    "unit": _max_length(OrgUnit, "path"),
}
UNIT_NAME_MAX_LENGTH = _max_length(OrgUnit, "name")


@dataclass(frozen=True)
class ImportProblem:
    """One reason to refuse the file. `code` is stable for programs; `message` is for HR staff."""

    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class OrgFileRefused(Exception):
    """The file cannot be imported; `problems` holds every problem found, in line order."""

    def __init__(self, problems: Iterable[ImportProblem]):
        self.problems = sorted(problems, key=lambda p: p.line)
        super().__init__(f"{len(self.problems)} problem(s)")


@dataclass(frozen=True)
class OrgRow:
    """One person as the file describes them, already cleaned (trimmed, unit path normalised)."""

    line: int
    employee_id: str
    full_name: str
    email: str
    unit: str
    manager_id: str
    roles: frozenset[str]
