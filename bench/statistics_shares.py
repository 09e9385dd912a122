"""Measurement (not a test): the share of statistics figures shown, per depth of the organisation tree.

For every unit of the organisation (depth 0: the whole organisation, 1: top units, ...) and both
cycles of the snapshot, reads the figures HR gets (`cycle_statistics`) and counts, per depth and per
figure, how many are shown (not suppressed, not null). Run it on the reference organisation:

    env=$(scripts/pg_throwaway.sh start) && eval "$env"
    make seed-scale
    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/statistics_shares.py

Prints a Markdown table: one row per figure, one column per depth and one for every unit at once (the
share shown).
"""

import os
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from conversations.models import Cycle  # noqa: E402
from organization.models import OrgUnit  # noqa: E402
from reports import statistics  # noqa: E402


def _shown(value) -> bool:
    if isinstance(value, dict) and "suppressed" in value:
        return not value["suppressed"]
    return value is not None


def _figures(figures: dict):
    """(name, shown) for every figure of one group's cycle."""
    for name, value in figures.items():
        if name == "goals_per_contract" or name == "goal_status":
            for sub, sub_value in value.items():
                yield f"{name}.{sub}", _shown(sub_value)
        elif name == "follow_up_activity":
            for entry in value:
                yield "follow_up_activity (per month)", _shown(entry["entries"])
        else:
            yield name, _shown(value)


def measure(cycle) -> dict:
    """depth -> figure -> [shown, total] over every unit and both cycles."""
    depths = dict(OrgUnit.objects.values_list("pk", "depth"))
    table = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    units = [None, *OrgUnit.objects.order_by("pk")]
    for unit in units:
        result = statistics.cycle_statistics(cycle=cycle, unit=unit)
        total = next(g for g in result["groups"] if g["is_total"])
        depth = 0 if unit is None else depths[unit.pk] + 1
        for which in ("current", "previous"):
            if total[which] is None:
                continue
            for name, shown in _figures(total[which]):
                cell = table[name][depth]
                cell[0] += shown
                cell[1] += 1
    return table


def report(table: dict) -> str:
    depths = sorted({d for row in table.values() for d in row})
    for row in table.values():  # every unit at once
        row["all"] = [sum(row[d][0] for d in depths), sum(row[d][1] for d in depths)]
    depths.append("all")
    lines = [
        "| figure | " + " | ".join(f"depth {d}" if d != "all" else "all units" for d in depths) + " |",
        "|---|" + "---|" * len(depths),
    ]
    for name, row in table.items():
        cells = [f"{100 * row[d][0] / row[d][1]:.0f}%" if row[d][1] else "-" for d in depths]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    counts = {d: [0, 0] for d in depths}
    for row in table.values():
        for d, (shown, total) in row.items():
            counts[d][0] += shown
            counts[d][1] += total
    cells = [f"{100 * counts[d][0] / counts[d][1]:.1f}%" for d in depths]
    lines.append("| **all figures** | " + " | ".join(cells) + " |")
    units = table["employees_in_scope"]
    lines.append("| units | " + " | ".join(str(units[d][1] // 2) for d in depths) + " |")
    return "\n".join(lines)


def main():
    cycle = Cycle.objects.order_by("-starts_on", "-pk").first()
    print(report(measure(cycle)))


if __name__ == "__main__":
    main()
