"""The attacker of the statistics, by integer linear programming (HiGHS through scipy), independent of
`reports.suppression`: it reads only what an answer publishes and what HR knows anyway.

Model (DESIGN, "Anonymized statistics for HR"), for one cycle: unknowns are the counts of each unit's
direct members: people held, submitted, confirmed, followed up; goals per kind; goals per status;
follow-up entries per month. Known: every figure shown for every unit (counts exactly; goals per
contract as the goals of the kind within the rate's rounding, times the confirmed shown); each unit's
direct head count (so which units have direct members); 0 <= followed up <= confirmed <= submitted <=
held <= head count; goals, statuses and entries only where somebody confirmed (at most M per
confirmed person); goals with a status <= goals; non-negativity; integrality. Cycles share only the
head counts, which the attacker knows exactly, so each cycle is a problem of its own.

The line of sight (`reports.alignment`): unknowns are, per unit, the people with a supported goal
(`aligned`) and, per unit goal G of the cycle, the people supporting it (`supp:G`). The unit goals and
their `supports` links are public. What holds by construction: aligned <= confirmed; supp:G <=
supp:P when G supports P (whoever supports G supports P), else supp:G <= aligned; aligned <= the sum
of supp:T over the goals T that support none (each aligned person supports the top of the chain of a
goal they name). Not assumed: that nobody supports a goal outside their unit's line of sight (people
count where they are now; a link made before a move stays). Published: the aligned count and each
goal's count where shown (the share is their quotient, no more).

`leaks()` bounds every hidden figure (the total of goals with a status too) and a family of groups (each
unit's direct members and each subtree, and each subtree minus one child's, by every run of adjacent
outcomes of the chain, such as held but not confirmed, every kind and month, and every set of
statuses) and reports:
- a hidden figure narrowed to one value, or to an interval inside [1, k-1];
- a group pinned to a value below k (0 included: "nobody here did it"), or bounded inside [1, k-1].
Most bounds are settled without a solve: integer points the solver already found (and the true data)
prove an interval wide enough when they show two values of which one is 0 or at least k.
"""

import itertools
import random
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

PEOPLE = ("held", "submitted", "confirmed", "followed")
COLUMN_OF = {
    "conversations_held": "held",
    "submitted": "submitted",
    "confirmed": "confirmed",
    "followed_up_last_90_days": "followed",
}
# HiGHS's MIP presolve once reported 1 as the minimum of a count that 0 satisfies (the
# "highs-presolve" case of test_statistics_lp.py). Every optimum is a point the model is checked to
# admit, so a bound found is never wider than the truth, and a leak never missed; a leak found is
# confirmed without presolve (six times slower, exact) before it is reported.
FAST = {"mip_rel_gap": 0}
EXACT = {"presolve": False, "mip_rel_gap": 0}
RANDOM_POINTS = 4  # integer points found for random objectives before any bound is asked for
M = 1000  # goals, statuses or entries per confirmed person at most


@dataclass
class Problem:
    """The integer program of one cycle: variables (unit, name), rows of a <= A x <= b."""

    units: list
    heads: dict
    kinds: tuple
    statuses: tuple
    months: int
    unit_goals: dict = field(default_factory=dict)  # goal id -> the goal it supports (None: none)
    index: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)  # (coefficients {var: c}, low, high)

    def __post_init__(self):
        names = [*PEOPLE, *(f"goal:{g}" for g in self.kinds), *(f"status:{s}" for s in self.statuses)]
        names += [f"month:{m}" for m in range(self.months)]
        if self.unit_goals:  # without unit goals nobody supports one: nothing to find
            names += ["aligned", *(f"supp:{g}" for g in self.unit_goals)]
        self.names = names
        for unit in self.units:
            for name in names:
                self.index[(unit, name)] = len(self.index)

    def var(self, unit, name) -> int:
        return self.index[(unit, name)]

    def add(self, coefficients: dict, low: float, high: float) -> None:
        self.rows.append((coefficients, low, high))


class Attacker:
    def __init__(self, *, parents: dict, heads: dict, figures: dict, k: int, unit_goals: dict | None = None):
        self.parents, self.k = parents, k
        self.children = {u: [c for c, p in parents.items() if p == u] for u in parents}
        self.subtree = {u: self._subtree(u) for u in parents}
        any_figures = next(iter(figures.values()))
        self.problem = Problem(
            units=list(parents),
            heads=heads,
            kinds=tuple(any_figures["goals_per_contract"]),
            statuses=tuple(s for s in any_figures["goal_status"] if s != "goals_with_status"),
            months=len(any_figures["follow_up_activity"]),
            unit_goals=dict(unit_goals or {}),
        )
        self.figures = figures
        self._constrain()
        self._matrices()
        self.points = []

    def _subtree(self, unit) -> list:
        found, stack = [], [unit]
        while stack:
            u = stack.pop()
            found.append(u)
            stack.extend(self.children[u])
        return found

    # the model ---------------------------------------------------------------------------------------
    def _constrain(self) -> None:
        p = self.problem
        for unit in p.units:
            self._constrain_unit(unit)
        for unit, figures in self.figures.items():
            self._publish(unit, figures)

    def _constrain_unit(self, unit) -> None:
        p, var = self.problem, self.problem.var
        heads = p.heads.get(unit, 0)
        p.add({var(unit, "held"): 1}, 0, heads)
        for upper, lower in itertools.pairwise(PEOPLE):  # lower <= upper
            p.add({var(unit, upper): 1, var(unit, lower): -1}, 0, np.inf)
        confirmed = var(unit, "confirmed")
        for name in p.names[len(PEOPLE) :]:
            if name == "aligned" or name.startswith("supp:"):
                continue  # people, bounded below
            p.add({var(unit, name): 1, confirmed: -M}, -np.inf, 0)  # only where somebody confirmed
        if p.unit_goals:
            self._constrain_line_of_sight(unit)
        statuses = {var(unit, f"status:{s}"): 1 for s in p.statuses}
        goals = {var(unit, f"goal:{g}"): -1 for g in p.kinds}
        p.add({**statuses, **goals}, -np.inf, 0)  # goals with a status <= goals

    def _constrain_line_of_sight(self, unit) -> None:
        p, var = self.problem, self.problem.var
        aligned = var(unit, "aligned")
        p.add({aligned: 1, var(unit, "confirmed"): -1}, -np.inf, 0)
        tops = {}
        for goal, supported in p.unit_goals.items():
            parent = var(unit, f"supp:{supported}") if supported in p.unit_goals else aligned
            p.add({var(unit, f"supp:{goal}"): 1, parent: -1}, -np.inf, 0)
            if supported not in p.unit_goals:
                tops[var(unit, f"supp:{goal}")] = -1
        p.add({aligned: 1, **tops}, -np.inf, 0)

    def parent_name(self, goal) -> str:
        supported = self.problem.unit_goals[goal]
        return f"supp:{supported}" if supported in self.problem.unit_goals else "aligned"

    def _sum(self, unit, name) -> dict:
        return {self.problem.var(u, name): 1 for u in self.subtree[unit]}

    def _counts(self, figures) -> list:
        """(variable name, label, count or None) of every count an answer shows for a unit."""
        p = self.problem
        found = [(name, column, figures[column]["value"]) for column, name in COLUMN_OF.items()]
        found += [(f"status:{s}", s, figures["goal_status"][s]["value"]) for s in p.statuses]
        found += [
            (f"month:{m}", f"month {m}", entry["entries"]["value"])
            for m, entry in enumerate(figures["follow_up_activity"])
        ]
        if p.unit_goals:
            found.append(("aligned", "aligned", figures["confirmed_with_supported_goal"]["value"]))
            found += [
                (f"supp:{g['id']}", f"unit goal {g['id']}", g["confirmed_supporting"]["value"])
                for g in figures["unit_goals"]
            ]
        return found

    def _publish(self, unit, figures) -> None:
        p = self.problem
        for name, _, value in self._counts(figures):
            if value is not None:
                p.add(self._sum(unit, name), value, value)
        total = figures["goal_status"]["goals_with_status"]["value"]
        if total is not None:
            coefficients = {}
            for status in p.statuses:
                coefficients.update(self._sum(unit, f"status:{status}"))
            p.add(coefficients, total, total)
        confirmed = figures["confirmed"]["value"]
        for kind, rate in figures["goals_per_contract"].items():
            if rate is not None:  # goals = rate x confirmed, within the rounding to 2 decimals
                low, high = confirmed * (rate - 0.005), confirmed * (rate + 0.005)
                p.add(self._sum(unit, f"goal:{kind}"), np.ceil(low - 1e-9), np.floor(high + 1e-9))

    def _matrices(self) -> None:
        p = self.problem
        n = len(p.index)
        a = np.zeros((len(p.rows), n))
        low, high = np.zeros(len(p.rows)), np.zeros(len(p.rows))
        for i, (coefficients, lo, hi) in enumerate(p.rows):
            for j, c in coefficients.items():
                a[i, j] = c
            low[i], high[i] = lo, hi
        self.constraints = LinearConstraint(a, low, high)
        upper = np.full(n, np.inf)
        for unit in p.units:
            if not p.heads.get(unit, 0):  # nobody there: nothing there
                for name in p.names:
                    upper[p.var(unit, name)] = 0
        self.bounds = Bounds(np.zeros(n), upper)
        self.n = n

    def solve(self, objective: np.ndarray, options=FAST):
        """The optimum of objective . x over the integer points, and the point (None: infeasible)."""
        result = milp(
            objective,
            constraints=self.constraints,
            integrality=np.ones(self.n),
            bounds=self.bounds,
            options=options,
        )
        if result.status != 0:
            return None
        point = np.round(result.x)
        assert self._feasible(point), "the solver returned a point outside the model"
        self.points.append(point)
        return point

    def _feasible(self, point) -> bool:
        values = self.constraints.A @ point
        lb, ub = self.constraints.lb, self.constraints.ub
        inside = np.all(values >= lb - 1e-6) and np.all(values <= ub + 1e-6)
        return bool(inside and np.all(point >= self.bounds.lb) and np.all(point <= self.bounds.ub))

    # what to bound -----------------------------------------------------------------------------------
    def _vector(self, coefficients: dict) -> np.ndarray:
        v = np.zeros(self.n)
        for j, c in coefficients.items():
            v[j] += c
        return v

    def hidden_figures(self) -> list:
        """(label, vector) of every hidden count of a unit with people in its subtree."""
        found, p = [], self.problem
        for unit, figures in self.figures.items():
            if not any(p.heads.get(u, 0) for u in self.subtree[unit]):
                continue
            for name, label, value in self._counts(figures):
                if value is None:
                    found.append(((unit, label), self._vector(self._sum(unit, name))))
            for kind, rate in figures["goals_per_contract"].items():
                if rate is None:
                    found.append(((unit, f"goals {kind}"), self._vector(self._sum(unit, f"goal:{kind}"))))
            if figures["goal_status"]["goals_with_status"]["value"] is None:
                statuses = {}
                for status in p.statuses:
                    statuses.update(self._sum(unit, f"status:{status}"))
                found.append(((unit, "goals_with_status"), self._vector(statuses)))
        return found

    def groups(self) -> list:
        """(label, vector, heads) of the groups: for each unit's direct members, each subtree and each
        subtree minus one child's, every run of adjacent levels of the chain (not all of them: the head
        count HR knows), every count and every set of statuses."""
        p, found = self.problem, []
        sets = []
        for unit in p.units:
            sets.append((("own", unit), [unit]))
            sets.append((("subtree", unit), self.subtree[unit]))
            for child in self.children[unit]:
                rest = [u for u in self.subtree[unit] if u not in set(self.subtree[child])]
                sets.append((("minus", unit, child), rest))
        for label, units in sets:
            heads = sum(p.heads.get(u, 0) for u in units)
            if not heads:
                continue
            for low, high in itertools.combinations(range(len(PEOPLE) + 2), 2):
                if (low, high) != (0, len(PEOPLE) + 1):  # all of them: the head count
                    found.append(
                        ((*label, f"levels {low}-{high - 1}"), self._levels(units, low, high), heads)
                    )
            for name in p.names:
                found.append(((*label, name), self._vector({p.var(u, name): 1 for u in units}), heads))
            for size in range(2, len(p.statuses) + 1):
                for statuses in itertools.combinations(p.statuses, size):
                    names = [f"status:{s}" for s in statuses]
                    vector = self._vector({p.var(u, n): 1 for u in units for n in names})
                    found.append(((*label, "+".join(statuses)), vector, heads))
            found += self._line_of_sight_groups(label, units, heads)
        return found

    def _line_of_sight_groups(self, label, units, heads) -> list:
        """The people of each population of the line of sight who are not in one nested in it (the
        confirmed without a supported goal, a goal's parent population without it)."""
        p, found = self.problem, []
        if not p.unit_goals:
            return found
        # (with a single goal supporting none, every aligned person supports it: nothing to find)
        tops = [g for g in p.unit_goals if self.parent_name(g) == "aligned"]
        nested = [("confirmed", "aligned")]
        nested += [(self.parent_name(g), f"supp:{g}") for g in p.unit_goals if tops != [g]]
        for outer, inner in nested:
            coefficients = {}
            for u in units:
                coefficients[p.var(u, outer)], coefficients[p.var(u, inner)] = 1, -1
            found.append(((*label, f"{outer} not {inner}"), self._vector(coefficients), heads))
        return found

    def _levels(self, units, low, high) -> "Shifted":
        """People at a level from `low` to `high - 1` among the units' direct members (level 0 not
        held, 1 held, 2 submitted, 3 confirmed, 4 followed up): people at `low` or higher (all of them
        for 0, else a column) minus those at `high` or higher."""
        p, coefficients = self.problem, {}
        for u in units:
            if low > 0:
                coefficients[p.var(u, PEOPLE[low - 1])] = 1
            if high <= len(PEOPLE):
                coefficients[p.var(u, PEOPLE[high - 1])] = -1
        constant = sum(p.heads.get(u, 0) for u in units) if low == 0 else 0
        return Shifted(self._vector(coefficients), constant)

    # bounding ----------------------------------------------------------------------------------------
    def _seen(self, vector) -> set:
        shifted = vector if isinstance(vector, Shifted) else Shifted(vector, 0)
        return {shifted.value(point) for point in self.points}

    def _wide(self, values: set) -> bool:
        return len(values) >= 2 and (min(values) == 0 or max(values) >= self.k)

    def leaks(self, truth: np.ndarray | None = None, seed: int = 0) -> list:
        """Every hidden figure and group the attacker narrows too far: (label, low, high)."""
        if truth is not None:
            self.points.append(truth)
        figures, groups = self.hidden_figures(), self.groups()
        rng = random.Random(seed)  # noqa: S311 - varied objectives, not secrets
        for _ in range(RANDOM_POINTS):
            if self.solve(np.array([rng.choice((-1.0, 1.0)) for _ in range(self.n)])) is None:
                raise AssertionError("the published figures admit no data at all")
        found = []
        for label, vector in figures:
            low, high = self._bounded(vector, lambda seen: self._wide(seen))
            if self._narrow_figure(low, high):
                low, high = self._exact(vector)
                if self._narrow_figure(low, high):
                    found.append((label, low, high))
        for label, vector, _ in groups:  # a group of k or more may be pinned
            low, high = self._bounded(vector, lambda seen: max(seen) >= self.k or self._wide(seen))
            if self._narrow_group(low, high):
                low, high = self._exact(vector)
                if self._narrow_group(low, high):
                    found.append((label, low, high))
        return found

    def _narrow_figure(self, low, high) -> bool:
        return low == high or (low >= 1 and high <= self.k - 1)

    def _narrow_group(self, low, high) -> bool:
        return (low == high and low < self.k) or (low >= 1 and high <= self.k - 1)

    def _exact(self, vector) -> tuple:
        shifted = vector if isinstance(vector, Shifted) else Shifted(vector, 0)
        low = shifted.value(self.solve(shifted.vector, EXACT))
        return low, shifted.value(self.solve(-shifted.vector, EXACT))

    def _bounded(self, vector, safe) -> tuple:
        """The bounds of a function of the unknowns as far as needed: the values at the points found
        so far while they prove it `safe`, else its maximum, and then its minimum, by solving."""
        shifted = vector if isinstance(vector, Shifted) else Shifted(vector, 0)
        seen = self._seen(shifted)
        if safe(seen):
            return min(seen), max(seen)
        high = shifted.value(self.solve(-shifted.vector))
        seen.add(high)
        if safe(seen):
            return min(seen), max(seen)
        return shifted.value(self.solve(shifted.vector)), high

    def point_of(self, own: dict) -> np.ndarray:
        """The vector of true per-unit counts: own[unit][name] -> count."""
        x = np.zeros(self.n)
        for unit, values in own.items():
            for name, value in values.items():
                x[self.problem.var(unit, name)] = value
        return x


@dataclass(frozen=True)
class Shifted:
    """A linear function of the unknowns plus a constant."""

    vector: np.ndarray
    constant: float

    def value(self, point) -> float:
        return round(float(self.vector @ point) + self.constant)
