"""The line of sight in HR's statistics: per unit, the people whose confirmed contract has a goal
supporting a unit goal, and per unit goal, those supporting it; under the zone rule like every other
figure (`reports.suppression`).

Definitions, for one cycle (the people are those of `reports.statistics`: each person in scope once,
under the unit they are in now):
- A person *supports* a unit goal G when a goal of one of their confirmed conversations of the cycle
  names G, or names a unit goal whose `supports` chain leads up to G (as on the leader's *Retning*).
- confirmed with a supported goal (`confirmed_with_supported_goal`, per unit over its subtree): the
  people with a confirmed conversation one of whose goals names a unit goal; its share of the
  confirmed (`supported_goal_share`) is shown only where both counts are.
- per unit goal G of unit V, for V and every unit below it, over the unit's subtree: the people
  supporting G (`unit_goals[].confirmed_supporting`).

These are nested populations: people in scope >= confirmed >= confirmed with a supported goal
(*aligned*) >= supporting G >= supporting a unit goal G' that supports G (everyone who supports G'
supports G, by the chain). Each is a people table of the zone rule over the population just above it
(its *parent*): the categories "in the parent, not in it" and "in it", the parent's counts per unit as
the heads, and only the units that show the parent's figure (and, for a unit goal, lie in its unit's
subtree) may show it. So in every zone both the figure and what it leaves of the parent count at least
k, and the parts rule holds for the parent's people. The attacker does not know the parent's counts in
units that hide them: knowing less only widens what it can tell. And for any counts of the parent that
fit what is published of it, the table's figures fit as well (a zone's figure is at most its parent's,
which is shown there), so they tell nothing more about the parent. `tests/reports/lp_attacker.py`
checks all the tables of a cycle together.

Cost: one zone table per unit goal, over its unit's subtree only, and only when that subtree holds at
least k people supporting it and k who do not (else nothing of it can show).
"""

import bisect
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from reports.suppression import suppress
from reports.unit_tree import Tree

ALIGNED = "confirmed_with_supported_goal"


class Goal(NamedTuple):
    id: int
    unit: int
    supports: int | None  # the unit goal whose table it splits (None: the aligned people's)
    title: str


@dataclass(frozen=True)
class AlignmentTables:
    """The shown figures of the line of sight in one cycle."""

    aligned: dict  # unit -> confirmed with a supported goal, where shown
    goals_of_unit: dict  # unit -> ((goal id, title), ...) in the order they are listed (compact: a
    # snapshot holds every unit goal of two cycles)
    supporting: dict  # goal id -> {unit -> people supporting it, where shown}

    def aligned_figure(self, unit):
        return self.aligned.get(unit)


EMPTY = AlignmentTables(aligned={}, goals_of_unit={}, supporting={})


def build(
    *, tree: Tree, confirmed_own, confirmed_shown, goals: list, aligned: dict, supporting: list, k: int
):
    """The tables of one cycle. `confirmed_own`: the people at the confirmed level or above, per unit
    (an array in the tree's numbering); `confirmed_shown`: the units that show confirmed; `goals`:
    [(id, unit, supports, title)]; `aligned`: unit -> people with a supported goal; `supporting`:
    [(unit, goal id, people supporting it)] (`statistics_queries.supported_counts`)."""
    goals = _goals_in(tree, goals)
    support = _Support.of(tree, aligned, supporting, goals)
    population = np.column_stack([confirmed_own - support.aligned, support.aligned])
    aligned_shown = suppress(
        tree, population, k, layout="people", columns=("others", ALIGNED), eligible=confirmed_shown
    )[ALIGNED]
    aligned_totals = tree.subtree_sums(support.aligned)
    everyone = _Population.of(tree, _nonzero(support.aligned), _nonzero(aligned_totals), aligned_shown)
    populations = {None: everyone}  # the aligned people, in whom every goal's supporters are
    single_top = sum(goal.supports is None for goal in goals.values()) == 1
    pruned = {}  # (unit number, population) -> the table's tree: shared by the goals split off it
    supporting = {}
    for goal in support.candidates(tree, goals, aligned_totals, k, single_top):
        top = tree.index[goal.unit]
        if single_top and goal.supports is None:
            # every supported goal leads up to this one: its supporters are the aligned people
            found = _Population.of(tree, everyone.own, everyone.totals, _inside(tree, everyone, top))
        else:
            parent = populations.get(goal.supports, _NOTHING)
            found = _goal_population(tree, support.own(goal.id), parent, top, k, pruned, goal.supports)
        populations[goal.id] = found
        if found.shown:
            supporting[goal.id] = {unit: found.totals[tree.index[unit]] for unit in found.shown}
    goals_of_unit = defaultdict(list)
    for goal in goals.values():
        goals_of_unit[goal.unit].append((goal.id, goal.title))
    return AlignmentTables(
        aligned={unit: int(aligned_totals[tree.index[unit]]) for unit in aligned_shown},
        goals_of_unit={unit: tuple(found) for unit, found in goals_of_unit.items()},
        supporting=supporting,
    )


@dataclass(frozen=True)
class _Support:
    """Who supports what: the aligned people per unit (an array in the tree's numbering) and, per goal,
    its supporters per unit (entries sorted by goal: goal positions, unit numbers, people)."""

    aligned: np.ndarray
    ids: np.ndarray  # the goals' ids, sorted
    goal: np.ndarray
    unit: np.ndarray
    people: np.ndarray

    @classmethod
    def of(cls, tree: Tree, aligned: dict, supporting: list, goals: dict) -> "_Support":
        ids = np.array(sorted(goals), dtype=np.int64)
        entries = np.array(supporting, dtype=np.int64).reshape(-1, 3)
        keys = np.array(tree.order, dtype=np.int64)  # unit ids (ROOT is 0), in the tree's numbering
        entries = entries[np.isin(entries[:, 0], keys) & np.isin(entries[:, 1], ids)]
        by_id = np.argsort(keys)
        entries[:, 0] = by_id[np.searchsorted(keys, entries[:, 0], sorter=by_id)]
        position = np.searchsorted(ids, entries[:, 1])
        order = np.lexsort((entries[:, 0], position))  # by goal, then unit
        return cls(
            aligned=tree.array({unit: n for unit, n in aligned.items() if unit in tree.index})
            if aligned
            else np.zeros(len(tree.order), dtype=np.int64),
            ids=ids,
            goal=position[order],
            unit=entries[order, 0],
            people=entries[order, 2],
        )

    def own(self, goal_id) -> dict:
        """unit number -> the goal's supporters there."""
        position = np.searchsorted(self.ids, goal_id)
        first, last = np.searchsorted(self.goal, [position, position + 1])
        return dict(zip(self.unit[first:last].tolist(), self.people[first:last].tolist(), strict=True))

    def candidates(self, tree: Tree, goals: dict, aligned_totals: np.ndarray, k: int, single_top: bool):
        """The goals whose table could show something, top down: their unit's subtree holds at least k
        supporters and k aligned people who are not (checked for all goals at once; nobody of a
        parent population supports a goal outside it, and every parent population is within the
        aligned people). The sole goal supporting none, if so, always."""
        goal_units = np.array([tree.index[goals[g].unit] for g in self.ids.tolist()], dtype=np.int64)
        ends = np.array(tree.end, dtype=np.int64)[goal_units]
        tops = goal_units[self.goal]
        inside = (self.unit >= tops) & (self.unit < ends[self.goal])
        counted = np.bincount(self.goal[inside], weights=self.people[inside], minlength=len(self.ids))
        possible = (counted >= k) & (aligned_totals[goal_units] - counted >= k)
        found = [goals[g] for g in self.ids[possible].tolist()]
        if single_top:
            found += [goal for goal in goals.values() if goal.supports is None and goal not in found]
        return sorted(found, key=lambda g: (tree.depth[tree.index[g.unit]], g.id))


@dataclass(frozen=True)
class _Population:
    """One nested population: its people per unit and over each subtree (unit number -> people, the
    units with none left out) and where its figure is shown (the units, and their numbers sorted)."""

    own: dict
    totals: dict
    shown: frozenset
    rows: list

    @classmethod
    def of(cls, tree: Tree, own: dict, totals: dict, shown) -> "_Population":
        return cls(own, totals, frozenset(shown), sorted(tree.index[unit] for unit in shown))


_NOTHING = _Population({}, {}, frozenset(), [])


def _nonzero(values: np.ndarray) -> dict:
    rows = np.flatnonzero(values)
    return dict(zip(rows.tolist(), values[rows].tolist(), strict=True))


def _goals_in(tree: Tree, goals: list) -> dict:
    """The goals of units in the tree, by id in the given order; a goal supporting one that is not
    among them (another cycle's, in bad data) or not of a unit above it counts as supporting none."""
    found = {g[0]: Goal(*g) for g in goals if g[1] in tree.index}
    for goal_id, goal in found.items():
        if goal.supports is None:
            continue
        above = found.get(goal.supports)
        if above is None or not _strictly_above(tree, above.unit, goal.unit):
            found[goal_id] = goal._replace(supports=None)
    return found


def _strictly_above(tree: Tree, upper, lower) -> bool:
    top, unit = tree.index[upper], tree.index[lower]
    return top < unit < tree.end[top]


def _inside(tree: Tree, population: _Population, top: int) -> list:
    """The units of the subtree numbered from `top` that show the population's figure."""
    rows = population.rows
    first, last = bisect.bisect_left(rows, top), bisect.bisect_left(rows, tree.end[top])
    return [tree.order[u] for u in rows[first:last]]


def _goal_population(tree: Tree, own: dict, parent: _Population, top: int, k: int, pruned: dict, key):
    """A unit goal's supporters, split off the parent population over its unit's subtree (numbered
    from `top`): a zone table whose people are the parent's, shown only where the parent is."""
    end = tree.end[top]
    own = {u: n for u, n in own.items() if top <= u < end}
    inside = sum(own.values())
    if inside < k or parent.totals.get(top, 0) - inside < k:
        return _NOTHING  # no zone of the subtree can pass
    eligible = _inside(tree, parent, top)
    if not eligible:
        return _NOTHING
    totals = defaultdict(int)
    for u, n in own.items():
        while u != -1 and u >= top:  # the unit and those above it, up to the goal's unit
            totals[u] += n
            u = tree.parent[u] if u != top else -1
    passing = [
        unit
        for unit in eligible
        if totals.get(tree.index[unit], 0) >= k
        and parent.totals.get(tree.index[unit], 0) - totals.get(tree.index[unit], 0) >= k
    ]
    if not passing:  # no eligible unit's subtree passes on its own (see `_candidates`)
        return _Population(own, totals, frozenset(), [])
    if (top, key) not in pruned:
        pruned[(top, key)] = _pruned(tree, parent, eligible, top)
    table, rows = pruned[(top, key)]
    heads = np.array([_count(parent.totals, part) for part in rows], dtype=np.int64)
    mine = np.array([_count(totals, part) for part in rows], dtype=np.int64)
    categories = np.column_stack([heads - mine, mine])
    return _Population.of(tree, own, totals, _shown_units(table, categories, heads, k, frozenset(eligible)))


# The goal tables computed last in this process, by everything they depend on (as
# `suppress` remembers its zone tables, but for the many small tables of the unit goals: a
# snapshot has about a thousand of them, which would crowd the people's and goals' tables out of that
# memory): after a write, only the tables whose counts changed are computed again.
_REMEMBER = 8192
_REMEMBERED: OrderedDict = OrderedDict()
_TREES: OrderedDict = OrderedDict()  # the tables' trees, by their shape
_LOCK = threading.Lock()


def forget() -> None:
    """Drop the remembered goal tables (for benchmarks and tests that time or count the work)."""
    with _LOCK:
        _REMEMBERED.clear()
        _TREES.clear()


def _remembered(memory: OrderedDict, key, compute):
    with _LOCK:
        if key in memory:
            memory.move_to_end(key)
            return memory[key]
    value = compute()
    with _LOCK:
        memory[key] = value
        while len(memory) > _REMEMBER:
            memory.popitem(last=False)
    return value


def _shown_units(table: Tree, categories, heads, k: int, eligible: frozenset) -> frozenset:
    key = (table.fingerprint, categories.tobytes(), heads.tobytes(), k, eligible)
    return _remembered(
        _REMEMBERED,
        key,
        lambda: suppress(
            table, categories, k, layout="people", columns=("others", "supporting"), eligible=eligible
        )["supporting"],
    )


def _count(totals: dict, part: tuple) -> int:
    """A unit's count in the table's tree: its subtree total less those of its children there."""
    unit, children = part
    return totals.get(unit, 0) - sum(totals.get(c, 0) for c in children)


def _pruned(tree: Tree, parent: _Population, eligible: list, top: int) -> tuple:
    """The table's tree, as small as the zone rule allows without changing its answer: the goal's unit
    (number `top`), the eligible units and every unit between them (the *kept* units). Nothing below
    them can be shown, so the zone rule sees each other child's subtree only whole, as a part of the
    zone above (its size for the parts rule, `_Zones.passes`): of those of one kept unit, the largest
    stands for its subtree, the others' people are counted as the kept unit's own (a part no larger
    than the largest changes neither the largest part nor any total), and a subtree without anyone
    of the parent population is left out (nor does it hold any of the goal's). Returns the Tree and,
    in its order, each unit's number and those of its children there: its count is its subtree's
    less theirs (`_count`)."""
    keep = {top}
    for unit in eligible:
        u = tree.index[unit]
        while u not in keep:
            keep.add(u)
            u = tree.parent[u]
    parents, parts = {}, {}
    for u in sorted(keep):
        key = tree.order[u]
        parents[key] = None if u == top else tree.order[tree.parent[u]]
        rest = [c for c in tree.children[u] if c not in keep and parent.totals.get(c, 0)]
        largest = max(rest, key=lambda c: parent.totals[c], default=None)
        below = [c for c in tree.children[u] if c in keep]
        parts[key] = (u, below if largest is None else [*below, largest])
        if largest is not None:
            parents[tree.order[largest]] = key
            parts[tree.order[largest]] = (largest, [])
    shape = tuple(parents.items())
    table = _remembered(_TREES, shape, lambda: Tree(parents))
    return table, [parts[key] for key in table.order]


def line_of_sight(tree: Tree, unit) -> list:
    """The units from the top down to `unit` whose goals it sees (the organisation's root left out)."""
    path = []
    while unit is not None and tree[unit] is not None:
        path.append(unit)
        unit = tree[unit]
    return path[::-1]


def figures(tables: AlignmentTables, tree: Tree, unit, unit_info) -> list:
    """The unit goals in the line of sight of `unit` (of its own unit and those above), each with the
    people supporting it over the subtree of `unit`: a count, or suppressed. None for the whole
    organisation (it has no goals of its own)."""
    found = []
    for owner in line_of_sight(tree, unit):
        for goal_id, title in tables.goals_of_unit.get(owner, ()):
            value = tables.supporting.get(goal_id, {}).get(unit)
            found.append(
                {
                    "id": goal_id,
                    "title": title,
                    "unit": unit_info(owner),
                    "confirmed_supporting": {"value": value, "suppressed": value is None},
                }
            )
    return found
