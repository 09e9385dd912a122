"""The security tests play in the `handover` scene of `tests/organisation.py` (its docstring describes
it): every role of the permission matrix is present, built once per module."""

import pytest

from tests.organisation import handover

ROLES = (
    "leader",
    "employee",
    "other_employee",
    "other_leader",
    "hr",
    "deputy",
    "deputy_expired",
    "former_leader",
    "anonymous",
)
PEOPLE = [role for role in ROLES if role != "anonymous"]
PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>"
ESCAPED_PAYLOAD = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"


@pytest.fixture(scope="module")
def world_scene():
    return handover
