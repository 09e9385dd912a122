"""Random and adversarial organisations for the LP attacker: people with their outcome in two cycles,
their goals, goal statuses and follow-up entries, and the unit goals their confirmed contracts support,
counted the way the statistics count them (each person in scope once, under the unit they are in now;
people who left count nowhere)."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from reports import statistics
from reports.statistics_queries import ACTIVITY_MONTHS, GOAL_KINDS, ITEM_STATUSES, ROOT, Counts
from tests.reports.lp_attacker import PEOPLE, Attacker

K = 5
CYCLES = (1, 2)
MONTHS = [datetime.date(2026 + (m + 6) // 12, (m + 6) % 12 + 1, 1) for m in range(ACTIVITY_MONTHS)]


@dataclass(frozen=True)
class Person:
    unit: int  # now (ROOT: no unit)
    earlier_unit: int  # where they were in the first cycle: a mover if different (not counted there)
    active: bool
    levels: tuple  # per cycle: 0 not held .. 4 followed up
    goals: tuple  # per cycle, per kind
    statuses: tuple  # per cycle, per status (at most the goals)
    entries: tuple  # per cycle: entries in the last two months
    supports: tuple = (frozenset(), frozenset())  # per cycle: the unit goals their goals name


@dataclass(frozen=True)
class Organisation:
    parents: dict
    people: tuple
    unit_goals: tuple = ((), ())  # per cycle: (id, unit, id of the goal it supports or None)

    def goal_links(self, c: int) -> dict:
        return {goal_id: supported for goal_id, _unit, supported in self.unit_goals[c]}

    def reached(self, person, c: int) -> frozenset:
        """The unit goals a person supports in cycle c: those named and every one up their chains."""
        if person.levels[c] < 3:
            return frozenset()
        links, found = self.goal_links(c), set()
        for goal_id in person.supports[c]:
            while goal_id is not None and goal_id not in found:
                found.add(goal_id)
                goal_id = links.get(goal_id)
        return frozenset(found)

    def in_scope(self):
        return [p for p in self.people if p.active]

    def heads(self) -> dict:
        heads = defaultdict(int)
        for person in self.in_scope():
            heads[person.unit] += 1
        return dict(heads)

    def counts(self) -> Counts:
        levels, kinds, statuses, activity = (defaultdict(dict) for _ in range(4))
        for c, cycle in enumerate(CYCLES):
            for person in self.in_scope():
                unit = person.unit
                levels[cycle].setdefault(unit, [0] * 5)[person.levels[c]] += 1
                _add(kinds[cycle], unit, person.goals[c], len(GOAL_KINDS))
                _add(statuses[cycle], unit, person.statuses[c], len(ITEM_STATUSES))
                _add(activity[cycle], unit, (0,) * (ACTIVITY_MONTHS - 2) + person.entries[c], ACTIVITY_MONTHS)
        for cycle_levels in levels.values():
            for row in cycle_levels.values():
                row[0] = 0  # level 0 is the rest of the unit's people, as the query leaves it
        goals, aligned, supporting = {}, {}, {}
        for c, cycle in enumerate(CYCLES):
            goals[cycle] = [(g, unit, supported, f"Mål {g}") for g, unit, supported in self.unit_goals[c]]
            people, per_goal = Counter(), Counter()
            for person in self.in_scope():
                reached = self.reached(person, c)
                people[person.unit] += bool(reached)
                for goal_id in reached:
                    per_goal[(person.unit, goal_id)] += 1
            aligned[cycle] = dict(people)
            supporting[cycle] = [(unit, goal_id, n) for (unit, goal_id), n in per_goal.items()]
        return Counts(
            levels=levels,
            goal_kinds=kinds,
            statuses=statuses,
            activity=activity,
            months=MONTHS,
            medians={},
            unit_goals=goals,
            aligned=aligned,
            supporting=supporting,
        )

    def figures(self, cycle) -> dict:
        return statistics.figures_by_unit(
            parents=self.parents, heads=self.heads(), counts=self.counts(), cycle_id=cycle, k=K
        )

    def truth(self, attacker: Attacker, c: int) -> np.ndarray:
        own = defaultdict(lambda: defaultdict(int))
        for person in self.in_scope():
            values = own[person.unit]
            for i, column in enumerate(PEOPLE):
                values[column] += person.levels[c] > i
            for kind, n in zip(GOAL_KINDS, person.goals[c], strict=True):
                values[f"goal:{kind}"] += n
            for status, n in zip(ITEM_STATUSES, person.statuses[c], strict=True):
                values[f"status:{status}"] += n
            for m, n in enumerate(person.entries[c]):
                values[f"month:{ACTIVITY_MONTHS - 2 + m}"] += n
            if self.unit_goals[c]:
                reached = self.reached(person, c)
                values["aligned"] += bool(reached)
                for goal_id in reached:
                    values[f"supp:{goal_id}"] += 1
        return attacker.point_of(own)

    def leaks(self) -> list:
        found = []
        for c, cycle in enumerate(CYCLES):
            figures = self.figures(cycle)
            attacker = Attacker(
                parents=self.parents,
                heads=self.heads(),
                figures=figures,
                k=K,
                unit_goals=self.goal_links(c),
            )
            found += [(cycle, *leak) for leak in attacker.leaks(truth=self.truth(attacker, c))]
        return found


def _add(table: dict, unit, values, width: int) -> None:
    row = table.setdefault(unit, [0] * width)
    for i, v in enumerate(values):
        row[i] += v


# --- strategies ----------------------------------------------------------------------------------------


@st.composite
def trees(draw) -> dict:
    """unit -> parent: deep chains, bushy trees or random ones, under ROOT."""
    n = draw(st.integers(1, 7))
    shape = draw(st.sampled_from(("chain", "bushy", "random")))
    parents = {ROOT: None}
    for unit in range(1, n + 1):
        if shape == "chain":
            parents[unit] = unit - 1
        elif shape == "bushy":
            parents[unit] = ROOT if unit <= 3 else draw(st.integers(1, 3))
        else:
            parents[unit] = draw(st.integers(0, unit - 1))
    return parents


@st.composite
def outcomes(draw, skew: float):
    """One person's outcome in one cycle: level, goals, statuses, entries (none unless confirmed)."""
    level = draw(st.sampled_from((0, 1, 2, 3, 3, 3, 4, 4) if skew else (0, 1, 2, 3, 4)))
    if level < 3:
        return level, (0, 0, 0), (0, 0, 0, 0), (0, 0)
    goals = tuple(draw(st.integers(0, 2)) for _ in GOAL_KINDS)
    statuses = [0, 0, 0, 0]
    for _ in range(draw(st.integers(0, sum(goals)))):
        statuses[draw(st.integers(0, 3))] += 1
    entries = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    return level, goals, tuple(statuses), entries


def line_of_sight(parents: dict, unit) -> list:
    """The unit and those above it, ROOT left out (it has no goals)."""
    found = []
    while unit is not None and parents[unit] is not None:
        found.append(unit)
        unit = parents[unit]
    return found


@st.composite
def unit_goals(draw, parents: dict, first_id: int) -> tuple:
    """0-2 goals per unit (none for ROOT), each supporting a goal of a unit above it or none."""
    goals, next_id = [], first_id
    for unit in parents:
        if parents[unit] is None:
            continue
        for _ in range(draw(st.sampled_from((0, 1, 1, 2)))):
            above = [g for g, u, _s in goals if u in line_of_sight(parents, unit) and u != unit]
            supported = draw(st.sampled_from([None, *above])) if above else None
            goals.append((next_id, unit, supported))
            next_id += 1
    return tuple(goals)


@st.composite
def named_goals(draw, parents: dict, goals: tuple, unit, dense: bool = False) -> frozenset:
    """The unit goals one confirmed contract's goals name: mostly in the unit's line of sight, now
    and then any (a link made before a move), often none."""
    sight = line_of_sight(parents, unit)
    mine = [g for g, u, _s in goals if u in sight]
    anywhere = [g for g, _u, _s in goals]
    pool = mine if mine and draw(st.integers(0, 9)) else anywhere
    if not pool:
        return frozenset()
    if dense:  # two in three name one or two
        return (
            frozenset(draw(st.lists(st.sampled_from(pool), min_size=1, max_size=2)))
            if draw(st.integers(0, 2))
            else frozenset()
        )
    return frozenset(draw(st.lists(st.sampled_from(pool), max_size=2)))


@st.composite
def organisations(draw, dense: bool | None = None) -> Organisation:
    """Units of 0-6 people (some larger, some without direct members), people without a unit, movers
    and leavers between the cycles; unit goals in both cycles, supported by many."""
    parents = draw(trees())
    units = list(parents)
    # dense: larger units, most people confirmed and supporting a unit goal, so that the line of
    # sight's figures are shown and their tables interact
    dense = draw(st.booleans()) if dense is None else dense
    skew = dense or draw(st.booleans())
    goals = (draw(unit_goals(parents, 1)), draw(unit_goals(parents, 100)))
    people = []
    for unit in units:
        size = draw(
            st.sampled_from((0, 3, 6, 8, 12, 20, 20) if dense else (0, 0, 1, 2, 3, 4, 5, 6, 8, 12, 20))
        )
        for _ in range(size):
            first, second = draw(outcomes(skew)), draw(outcomes(skew))
            mover = draw(st.integers(0, 9)) == 0
            people.append(
                Person(
                    unit=unit,
                    earlier_unit=draw(st.sampled_from(units)) if mover else unit,
                    active=draw(st.integers(0, 9)) > 0,
                    levels=(first[0], second[0]),
                    goals=(first[1], second[1]),
                    statuses=(first[2], second[2]),
                    entries=(first[3], second[3]),
                    supports=tuple(
                        draw(named_goals(parents, goals[c], unit, dense)) for c in range(len(CYCLES))
                    ),
                )
            )
    return Organisation(parents=parents, people=tuple(people), unit_goals=goals)
