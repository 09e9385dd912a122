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

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from reports import suppression
from reports.suppression import Tree

ALIGNED = "confirmed_with_supported_goal"


@dataclass(frozen=True)
class Goal:
    id: int
    unit: int
    supports: int | None  # the unit goal whose table it splits (None: the aligned people's)
    title: str


@dataclass(frozen=True)
class AlignmentTables:
    """The shown figures of the line of sight in one cycle."""

    aligned: dict  # unit -> confirmed with a supported goal, where shown
    goals: dict  # goal id -> Goal, in the order they are listed
    goals_of_unit: dict  # unit -> [goal ids]
    supporting: dict  # goal id -> {unit -> people supporting it, where shown}

    def aligned_figure(self, unit):
        return self.aligned.get(unit)


EMPTY = AlignmentTables(aligned={}, goals={}, goals_of_unit={}, supporting={})


def build(*, tree: Tree, confirmed_own, confirmed_shown, goals: list, supported: dict, k: int):
    """The tables of one cycle. `confirmed_own`: the people at the confirmed level or above, per unit
    (an array in the tree's numbering); `confirmed_shown`: the units that show confirmed; `goals`:
    [(id, unit, supports, title)]; `supported`: unit -> Counter(frozenset of goals supported ->
    people)."""
    goals = _goals_in(tree, goals)
    aligned_own, own_of_goal = _own_counts(tree, supported, goals)
    population = np.column_stack([confirmed_own - aligned_own, aligned_own])
    aligned_shown = suppression.shown_units(
        tree, population, confirmed_own, k, people=True, eligible=confirmed_shown
    )
    aligned_totals = tree.subtree_sums(aligned_own)
    shown_of = {None: aligned_shown}
    parent_own = {None: aligned_own}
    supporting = {}
    for goal in sorted(goals.values(), key=lambda g: (tree.depth[tree.index[g.unit]], g.id)):
        own = own_of_goal.get(goal.id, np.zeros(len(tree.order), dtype=np.int64))
        parent = goal.supports if goal.supports in shown_of else None
        shown = _goal_shown(tree, goal, own, parent_own[parent], shown_of[parent], k)
        shown_of[goal.id], parent_own[goal.id] = shown, own
        if shown:
            totals = tree.subtree_sums(own)
            supporting[goal.id] = {unit: int(totals[tree.index[unit]]) for unit in shown}
    goals_of_unit = defaultdict(list)
    for goal in goals.values():
        goals_of_unit[goal.unit].append(goal.id)
    return AlignmentTables(
        aligned={unit: int(aligned_totals[tree.index[unit]]) for unit in aligned_shown},
        goals=goals,
        goals_of_unit=dict(goals_of_unit),
        supporting=supporting,
    )


def _goals_in(tree: Tree, goals: list) -> dict:
    """The goals of units in the tree, by id in the given order; a goal supporting one that is not
    among them (another cycle's, in bad data) counts as supporting none."""
    found = {g[0]: Goal(*g) for g in goals if g[1] in tree.index}
    for goal_id, goal in found.items():
        if goal.supports is not None and goal.supports not in found:
            found[goal_id] = Goal(goal.id, goal.unit, None, goal.title)
    return found


def _own_counts(tree: Tree, supported: dict, goals: dict) -> tuple:
    """The aligned people per unit and, per goal, its supporters per unit (arrays in the tree's
    numbering; a goal nobody supports has none)."""
    n = len(tree.order)
    aligned = np.zeros(n, dtype=np.int64)
    per_goal = {}
    for unit, sets in supported.items():
        u = tree.index.get(unit)
        if u is None:
            continue
        for goal_ids, people in sets.items():
            aligned[u] += people
            for goal_id in goal_ids:
                if goal_id in goals:
                    if goal_id not in per_goal:
                        per_goal[goal_id] = np.zeros(n, dtype=np.int64)
                    per_goal[goal_id][u] += people
    return aligned, per_goal


def _goal_shown(tree: Tree, goal: Goal, own, parent_own, parent_shown, k: int) -> frozenset:
    """The units of the goal's unit's subtree that show its figure: a zone table over that subtree
    whose people are the parent population's."""
    top = tree.index[goal.unit]
    end = tree.end[top]
    inside, parent_inside = own[top:end], parent_own[top:end]
    if inside.sum() < k or (parent_inside - inside).sum() < k:
        return frozenset()  # no zone of the subtree can pass
    eligible = {unit for unit in parent_shown if top <= tree.index[unit] < end}
    if not eligible:
        return frozenset()
    subtree = _subtree(tree, goal.unit)
    categories = np.column_stack([parent_inside - inside, inside])
    return suppression.shown_units(subtree, categories, parent_inside, k, people=True, eligible=eligible)


_SUBTREES: dict = {}


def _subtree(tree: Tree, unit) -> Tree:
    """The subtree of `unit` as a tree of its own, numbered as in `tree` (remembered for the tree)."""
    key = (tree.fingerprint, unit)
    if key not in _SUBTREES:
        if len(_SUBTREES) > 4096:
            _SUBTREES.clear()
        top = tree.index[unit]
        keys = tree.order[top : tree.end[top]]
        _SUBTREES[key] = Tree({key_: (None if key_ == unit else tree[key_]) for key_ in keys})
    return _SUBTREES[key]


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
        for goal_id in tables.goals_of_unit.get(owner, ()):
            value = tables.supporting.get(goal_id, {}).get(unit)
            found.append(
                {
                    "id": goal_id,
                    "title": tables.goals[goal_id].title,
                    "unit": unit_info(owner),
                    "confirmed_supporting": {"value": value, "suppressed": value is None},
                }
            )
    return found
