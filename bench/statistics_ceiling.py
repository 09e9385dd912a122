"""Measurement (not a test): the most figures an exact publication could show for the units without
children (depth 4 of the reference organisation), whatever the suppression.

For each such unit and both cycles of the newest cycle's snapshot, counts the figures that the unit's
own counts allow, each a condition any publication that keeps the guarantee must meet (a unit
without children is its own smallest zone): employees in scope at least k; chain columns whose
categories (the levels between them, the people below the first and at or above the last) all count
at least k, with their rates, the median and goals per contract (kinds of at least k) where confirmed
is one of them, the best choice of columns; goals by status grouped so that every group counts at
least k, the total and every status alone, or the statuses of at least k without the total, the
better; every month with at least k entries; goals and entries only where the unit has k people.
Prints the share of the figures (29 per unit and cycle, as `statistics_shares.py` counts them).

    DATABASE_URL=postgres://… python bench/statistics_ceiling.py
"""

import itertools
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from conversations.models import Cycle  # noqa: E402
from organization.models import OrgUnit  # noqa: E402
from reports import statistics, statistics_queries  # noqa: E402

FIGURES = 29  # per unit and cycle: 5 people counts, 3 rates, a median, 3 kinds, 5 statuses, 12 months


def people_figures(levels: list, kinds: list, heads: int, k: int) -> int:
    """The most figures of the people's chain (columns, rates, median, goals per contract)."""
    best = 0
    for size in range(1, 5):
        for chosen in itertools.combinations(range(4), size):
            bounds = [0, *(t + 1 for t in chosen), 5]
            if min(sum(levels[a:b]) for a, b in itertools.pairwise(bounds)) < k:
                continue
            figures = len(chosen) + (0 in chosen)  # held share
            if 2 in chosen:  # confirmed: its share, the median, goals per contract, follow-up share
                figures += 2 + sum(n >= k for n in kinds) * (heads >= k) + (3 in chosen)
            best = max(best, figures)
    return best


def status_figures(statuses: list, k: int) -> int:
    """The most status figures: statuses of at least k alone, or the total with the statuses of a
    grouping whose every group counts at least k."""
    best = sum(n >= k for n in statuses)
    for grouping in _groupings(list(range(len(statuses)))):
        if min(sum(statuses[i] for i in group) for group in grouping) >= k:
            best = max(best, 1 + sum(len(group) == 1 for group in grouping))
    return best


def _groupings(items: list):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for grouping in _groupings(rest):
        yield [[first], *grouping]
        for i in range(len(grouping)):
            yield [*grouping[:i], [first, *grouping[i]], *grouping[i + 1 :]]


def main():
    k = statistics.min_group_size()
    cycle = Cycle.objects.order_by("-starts_on", "-pk").first()
    earlier = statistics._previous(statistics._load_cycles(), cycle)
    cycle_ids = [c.pk for c in (cycle, earlier) if c]
    with statistics_queries.consistent_reads():
        heads = statistics_queries.employees_by_unit()
        counts = statistics_queries.counts(cycle_ids, timezone.localdate())
    leaves = list(OrgUnit.objects.filter(children__isnull=True).values_list("pk", flat=True))
    shown = 0
    for cycle_id in cycle_ids:
        for unit in leaves:
            n = heads.get(unit, 0)
            levels = list(counts.levels[cycle_id].get(unit, [0] * 5))
            levels[0] = n - sum(levels[1:])
            kinds = counts.goal_kinds[cycle_id].get(unit, [0] * 3)
            shown += (n >= k) + people_figures(levels, kinds, n, k)
            if n >= k:
                shown += status_figures(list(counts.statuses[cycle_id].get(unit, [0] * 4)), k)
                shown += sum(e >= k for e in counts.activity[cycle_id].get(unit, [0] * 12))
    total = FIGURES * len(leaves) * len(cycle_ids)
    print(f"units without children: {len(leaves)}; at most {100 * shown / total:.1f}% of their figures")


if __name__ == "__main__":
    main()
