"""Helpers for the organisation import tests: CSV files in tmp_path, running the command, snapshots."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from conversations.models import ConversationUserObjectPermission
from organization.models import OrgUnit, User

HEADER = "employee_id,full_name,email,unit,manager_id,roles"

# A small organisation: E1 at the top, E2 (HR) under E1, E3 and E4 under E2.
ORG = [
    HEADER,
    "E1,Kari Nordmann,kari@oslo.kommune.no,Oslo kommune,,",
    "E2,Ola Hansen,ola@oslo.kommune.no,Oslo kommune/Bymiljøetaten,E1,employee;hr",
    "E3,Per Berg,per@oslo.kommune.no,Oslo kommune/Bymiljøetaten/Seksjon for drift,E2,employee",
    "E4,Åse Dahl,ase@oslo.kommune.no,Oslo kommune/Bymiljøetaten/Seksjon for drift,E2,",
]


@pytest.fixture
def write_csv(tmp_path):
    """write_csv(lines, encoding="utf-8", name="org.csv") -> path of the written file."""

    def write(lines, encoding="utf-8", name="org.csv"):
        path = tmp_path / name
        path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
        return path

    return write


@pytest.fixture
def run_import():
    """run_import(path, *args) -> (stdout, stderr) of `import_org`, in English."""

    def run(path, *args):
        out, err = io.StringIO(), io.StringIO()
        with translation.override("en"):
            call_command("import_org", str(path), *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    return run


@pytest.fixture
def imported(db, write_csv, run_import):
    """The small organisation `ORG`, imported."""
    run_import(write_csv(ORG, name="initial.csv"))
    return {user.employee_id: user for user in User.objects.all()}


def snapshot():
    """Everything the import may change, to compare before and after a refused file."""
    users = sorted(
        User.objects.values_list(
            "employee_id",
            "full_name",
            "email",
            "unit_id",
            "manager_id",
            "is_leader",
            "is_hr",
            "is_active",
            "left_on",
            "password",
        )
    )
    units = sorted(OrgUnit.objects.values_list("pk", "name", "parent_id", "path", "depth"))
    grants = ConversationUserObjectPermission.objects.count()
    return users, units, grants


def generated_org(size: int, span: int = 10, prefix: str = "G") -> list[str]:
    """A valid file of `size` people: a tree where everyone but the first has a manager with at most
    `span` reports, spread over 221 units three levels deep."""
    lines = [HEADER]
    for i in range(size):
        manager = f"{prefix}{(i - 1) // span:06d}" if i else ""
        unit = f"Oslo kommune/Etat {i % 20}/Seksjon {i % 200}"
        lines.append(f"{prefix}{i:06d},Person {i},p{i}@oslo.kommune.no,{unit},{manager},")
    return lines
