"""The zone rule (see the package's docstring): which units of one table are shown, deepest first."""

import itertools
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass

from reports.suppression.tables import Key, Tree


def shown_units(
    tree: Tree,
    own: Mapping[Key, Sequence[int]],
    heads: Mapping[Key, int],
    k: int,
    *,
    people: bool,
    eligible: Set[Key] | None = None,
) -> frozenset:
    """The units whose figures one table shows.

    `own`: per unit, its direct members' count in each category (missing: none); `heads`: per unit,
    its direct people in scope, which the attacker knows; `people`: whether the categories partition
    those people (else they count a population the attacker cannot count, such as goals); `eligible`:
    the only units that may be shown (None: all).

    Units are tried top-down, level by level (the whole organisation first: higher units are worth
    more to HR): a unit is shown when its zone and what it leaves of the zone of the shown unit above
    it both pass `_zone_passes`. Units of one level that pass but leave too little of the zone above
    on their own are then tried together (siblings that share a hollow parent: alone each would leave
    the other as the whole rest; together they leave nobody). Then `_settled` makes sure every zone
    passes as finally drawn."""
    if sum(sum(v) for v in own.values()) < k:
        return frozenset()  # no zone can pass
    zones = _Zones(tree, own, heads, k, people)
    for level in _levels(tree):
        waiting = {}  # zone above -> units that pass but leave too little of it on their own
        for unit in level:
            if eligible is None or tree.order[unit] in eligible:
                above = zones.try_to_show(unit)
                if above is not False:
                    waiting.setdefault(above, []).append(unit)
        for units in waiting.values():
            zones.try_to_show_together(units)
    shown = _settled(zones, eligible)
    return frozenset(tree.order[u] for u in range(len(tree.order)) if shown[u])


class _Zones:
    """The zones of one table as units are shown: `pending[u]` (counts and people) is the unit's
    direct members and the pending of its hidden children: a shown unit's zone, a hidden unit's part
    of the zone above it."""

    def __init__(self, tree: Tree, own, heads, k: int, people: bool):
        self.tree, self.k, self.people = tree, k, people
        width = max((len(v) for v in own.values()), default=1)
        self.own = [list(own.get(key, ())) or [0] * width for key in tree.order]
        self.heads = [heads.get(key, 0) for key in tree.order]
        self.shown = [False] * len(tree.order)
        self.recount()

    def recount(self) -> None:
        tree = self.tree
        self.counts = [list(v) for v in self.own]
        self.size = list(self.heads)
        self.everyone = list(self.heads)  # people in the whole subtree
        for unit in reversed(range(len(tree.order))):
            parent = tree.parent[unit]
            if parent >= 0:
                self.everyone[parent] += self.everyone[unit]
                if not self.shown[unit]:
                    self.counts[parent] = [
                        a + b for a, b in zip(self.counts[parent], self.counts[unit], strict=True)
                    ]
                    self.size[parent] += self.size[unit]

    def passes(self, unit, counts=None, size=None) -> bool:
        counts = self.counts[unit] if counts is None else counts
        size = self.size[unit] if size is None else size
        if size == 0:
            return True  # the sums of shown figures below (or of nobody)
        if min(counts) < self.k:
            return False
        parts = [self.size[c] for c in self.tree.children[unit] if not self.shown[c]]
        return _zone_passes(counts, size, parts, self.k, self.people)

    def shown_above(self, unit):
        """The nearest shown unit above, and the hidden units on the way (None: none shown)."""
        between, parent = [], self.tree.parent[unit]
        while parent >= 0 and not self.shown[parent]:
            between.append(parent)
            parent = self.tree.parent[parent]
        return (parent if parent >= 0 else None), between

    def try_to_show(self, unit):
        """Show `unit` if its zone and what it leaves above pass. False if shown or if its own zone
        fails; else the shown unit above (None: none) whose zone it would leave too little of."""
        if self.everyone[unit] == 0 or not self.passes(unit):
            return False
        above = self.shown_above(unit)[0]
        self._move(unit, +1)
        if above is None or self.passes(above):
            return False
        self._move(unit, -1)
        return above

    def try_to_show_together(self, units) -> None:
        """Show `units` (each passing alone, none inside another) at once if what they leave of the
        zone above passes; else none of them."""
        if len(units) < 2:
            return
        above = self.shown_above(units[0])[0]
        for unit in units:
            self._move(unit, +1)
        if above is not None and not self.passes(above):
            for unit in units:
                self._move(unit, -1)

    def _move(self, unit, sign: int) -> None:
        """Show (+1) or hide again (-1) `unit`: its zone leaves (or rejoins) the parts of the hidden
        units above it and the zone of the shown unit above."""
        self.shown[unit] = sign > 0
        counts, size = self.counts[unit], self.size[unit]
        parent = self.tree.parent[unit]
        while parent >= 0:
            self.counts[parent] = [a - sign * b for a, b in zip(self.counts[parent], counts, strict=True)]
            self.size[parent] -= sign * size
            if self.shown[parent]:
                break
            parent = self.tree.parent[parent]


def _levels(tree: Tree) -> list[list[int]]:
    levels = []
    for unit in range(len(tree.order)):
        depth = tree.depth[unit]
        while len(levels) <= depth:
            levels.append([])
        levels[depth].append(unit)
    return levels


def _settled(zones: _Zones, eligible) -> list:
    """The shown units once every zone passes: shown units whose zones fail are hidden, and a hidden
    unit left with nobody in its part (its figures the sums of shown ones) is shown, or, if it may not
    be, its shown children are hidden; all that fail at once, until nothing changes."""
    tree = zones.tree
    while True:
        zones.recount()
        failing = [u for u in range(len(tree.order)) if zones.shown[u] and not zones.passes(u)]
        determined = [
            u
            for u in range(len(tree.order))
            if not zones.shown[u] and zones.size[u] == 0 and zones.everyone[u]
        ]
        if not failing and not determined:
            return zones.shown
        for unit in failing:
            zones.shown[unit] = False
        for unit in determined:
            if eligible is None or tree.order[unit] in eligible:
                zones.shown[unit] = True
            else:
                for child in tree.children[unit]:
                    zones.shown[child] = False


def _zone_passes(counts: Sequence[int], size: int, parts: Sequence[int], k: int, people: bool) -> bool:
    """Every category holds at least k; no hidden part holds all the zone's people; a population
    the attacker cannot count lies with at least k people."""
    if any(z < k for z in counts):
        return False
    if any(part >= size for part in parts):
        return False
    return people or size >= k


@dataclass(frozen=True)
class ChainChoice:
    """The columns of a chain table that a cycle shows, and the units that show them."""

    columns: tuple[str, ...]
    shown: frozenset


def choose_columns(
    tree: Tree,
    levels: Mapping[Key, Sequence[int]],
    k: int,
    *,
    columns: Sequence[str],
    weights: Mapping[str, int],
) -> ChainChoice:
    """The columns of a chain (column i counts the people at level i+1 or higher; `levels` gives each
    unit's direct members per level 0..len(columns)) that show the most: every subset is tried, its
    categories being the levels merged between the chosen thresholds, and the one that shows the
    largest weight (the weights of its columns times the units that show them) wins, the one with
    more columns on a tie. Heads are the levels' sums."""
    heads = {key: sum(v) for key, v in levels.items()}
    best, best_score = ChainChoice((), frozenset()), (0, 0)
    for size in range(1, len(columns) + 1):
        for chosen in itertools.combinations(range(len(columns)), size):
            own = {key: _merged(v, chosen) for key, v in levels.items()}
            shown = shown_units(tree, own, heads, k, people=True)
            score = (sum(weights[columns[i]] for i in chosen) * len(shown), size)
            if score > best_score:
                best, best_score = ChainChoice(tuple(columns[i] for i in chosen), shown), score
    return best


def _merged(levels: Sequence[int], thresholds: Sequence[int]) -> list[int]:
    """Counts per level merged into the categories between thresholds (column i: level > i)."""
    bounds = [0, *(t + 1 for t in thresholds), len(levels)]
    return [sum(levels[a:b]) for a, b in itertools.pairwise(bounds)]
