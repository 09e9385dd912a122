"""Benchmark (not a test): the leader's Retning and the unit goal list on the 50,000-person organisation.

    env=$(bash scripts/pg_throwaway.sh start) && eval "$env"
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_scale --employees 50000 --cycles 2
    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/direction_bench.py

Reads only. For leaders on each of the four levels (the top leader, agency, department and section
leaders, `--leaders` of each below the top), times `goals.selectors.direction` and the whole page
`/retning/` (Django's test client, signed in), and the API list `unit-goals/?cycle=&for_employee=` for
employees; prints the median wall time, the query count and the load average.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from bench.timing import timed  # noqa: E402
from conversations.models import Cycle  # noqa: E402
from goals.selectors import direction  # noqa: E402
from organization.models import User  # noqa: E402


def leaders_by_level(per_level: int) -> dict[int, list]:
    levels = {}
    for depth in range(4):
        leaders = User.objects.filter(is_leader=True, unit__depth=depth, is_active=True).select_related(
            "unit"
        )
        levels[depth] = list(leaders.order_by("pk")[: 1 if depth == 0 else per_level])
    return levels


def row(name, wall, queries, extra=""):
    print(f"| {name} | {wall * 1000:.1f} ms | {queries} | {extra} | {os.getloadavg()[0]:.1f} |")


@override_settings(ALLOWED_HOSTS=["*"])
def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leaders", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cycle = Cycle.objects.order_by("-starts_on").first()
    print("| what | wall median | queries | size | load |\n|---|---|---|---|---|")
    for depth, leaders in leaders_by_level(args.leaders).items():
        for leader in leaders:
            data = direction(leader, cycle)
            size = f"level {depth}, {data.contracts} contracts, {len(data.goals)} unit goals"
            wall, queries = timed(lambda leader=leader: direction(leader, cycle), args.repeat)
            row("direction()", wall, queries, size)
            client = Client()
            client.force_login(leader)
            wall, queries = timed(lambda c=client: c.get(f"/retning/?cycle={cycle.pk}"), args.repeat)
            row("GET /retning/", wall, queries, size)
    api = APIClient()
    for employee in User.objects.filter(is_leader=False, is_active=True, unit__depth=3).order_by("pk")[:3]:
        api.force_authenticate(employee)
        path = f"/api/v1/unit-goals/?cycle={cycle.pk}&for_employee={employee.pk}"
        wall, queries = timed(lambda p=path: api.get(p), args.repeat)
        row("GET unit-goals/?for_employee", wall, queries, "12 goals (4 levels x 3)")


if __name__ == "__main__":
    main()
