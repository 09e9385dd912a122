"""Random and adversarial organisations for the LP attacker: people with their outcome in two cycles,
their goals, goal statuses and follow-up entries, counted the way the statistics count them (each
person in scope once, under the unit they are in now; people who left count nowhere)."""

import datetime
from collections import defaultdict
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


@dataclass(frozen=True)
class Organisation:
    parents: dict
    people: tuple

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
        return Counts(
            levels=levels, goal_kinds=kinds, statuses=statuses, activity=activity, months=MONTHS, medians={}
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
        return attacker.point_of(own)

    def leaks(self) -> list:
        found = []
        for c, cycle in enumerate(CYCLES):
            figures = self.figures(cycle)
            attacker = Attacker(parents=self.parents, heads=self.heads(), figures=figures, k=K)
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


@st.composite
def organisations(draw) -> Organisation:
    """Units of 0-6 people (some larger, some without direct members), people without a unit, movers
    and leavers between the cycles."""
    parents = draw(trees())
    units = list(parents)
    skew = draw(st.booleans())
    people = []
    for unit in units:
        size = draw(st.sampled_from((0, 0, 1, 2, 3, 4, 5, 6, 8, 12, 20)))
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
                )
            )
    return Organisation(parents=parents, people=tuple(people))
