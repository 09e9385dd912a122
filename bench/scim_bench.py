"""Benchmark (not a test): SCIM provisioning requests on a seeded organisation.

    env=$(bash scripts/pg_throwaway.sh start) && eval "$env"
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_scale --employees 50000 --cycles 2
    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/scim_bench.py

WRITES to that database (managers change back and forth, a provisioning client is created). In one
process with Django's test client: Entra ID's lookup `GET Users?filter=userName eq "..."`, a PATCH that
moves an employee to another section leader and back (the import's checks across every active person's
reporting line, then the hand-over of their conversations), and a PATCH of the department alone. Prints
the median wall time, the query count of one request and the load average.
"""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from bench.timing import timed  # noqa: E402
from identity import services  # noqa: E402
from organization.models import User  # noqa: E402

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    _, token = services.provisioning_client_create(name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    employee = (
        User.objects.filter(is_active=True, is_leader=False, manager__isnull=False)
        .filter(conversations__isnull=False)
        .select_related("manager__unit", "unit")
        .first()
    )
    first = employee.manager
    # Another leader on the same level, so that no reporting cycle can arise.
    leaders = User.objects.filter(is_active=True, is_leader=True, unit__depth=first.unit.depth)
    second = leaders.exclude(pk=first.pk).first()
    managers = [second.employee_id, first.employee_id]
    state = {"turn": 0}

    def patch(operations):
        body = json.dumps({"schemas": [PATCH], "Operations": operations})
        path = f"/scim/v2/Users/{employee.employee_id}"
        response = client.patch(path, body, content_type="application/scim+json")
        if response.status_code != 200:
            raise SystemExit(f"PATCH refused: {response.content!r}")

    def move():
        state["turn"] += 1
        patch([{"op": "Replace", "path": f"{ENTERPRISE}:manager", "value": managers[state["turn"] % 2]}])

    def department():
        patch([{"op": "Replace", "path": f"{ENTERPRISE}:department", "value": employee.unit.path}])

    def lookup():
        response = client.get("/scim/v2/Users", {"filter": f'userName eq "{employee.employee_id}"'})
        if response.json()["totalResults"] != 1:
            raise SystemExit(f"lookup found {response.json()['totalResults']}")

    people = User.objects.filter(is_active=True).count()
    print(f"{people} active people, {connection.vendor}, load {os.getloadavg()[0]:.2f}")
    calls = (("lookup by userName", lookup), ("PATCH department", department), ("PATCH manager", move))
    for name, call in calls:
        wall, queries = timed(call, args.repeat)
        print(f"{name:22} median {wall * 1000:8.1f} ms  {queries:3d} queries")
    print(f"load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        main()
