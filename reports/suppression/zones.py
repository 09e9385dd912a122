"""The zone rule for one table (see the package's docstring): which units are shown, top-down, and
how many could be at most."""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence, Set

import numpy as np

from reports.unit_tree import Key, Tree


def shown_units(
    tree: Tree,
    own: Mapping[Key, Sequence[int]] | np.ndarray,
    heads: Mapping[Key, int] | np.ndarray,
    k: int,
    *,
    people: bool,
    eligible: Set[Key] | None = None,
    present_from: int | None = None,
) -> frozenset:
    """The units whose figures one table shows.

    `own`: per unit, its direct members' count in each category (missing: none); `heads`: per unit,
    its direct people in scope, which the attacker knows; `people`: whether the categories partition
    those people (else they count a population the attacker cannot count, such as goals); `eligible`:
    the only units that may be shown (None: all); `present_from`: for people, the first category
    whose members other tables can tell are somewhere (goals and follow-up entries exist only in
    confirmed conversations: any set of units that shows some says somebody there confirmed), so
    each zone keeps those categories (from it on) at least k - 1 + the number of disjoint such sets
    it could hold (see `_Zones.present_enough`). `own` and `heads` may also be arrays in the tree's
    numbering (`Tree.array`), which is faster when many tables share one organisation.

    Units are tried top-down, level by level (the whole organisation first: higher units are worth
    more to HR): a unit is shown when its zone and what it leaves of the zone of the shown unit above
    it both pass (`_Zones.passes`). Units of one level that pass but leave too little of the zone above
    on their own are then tried together (siblings that share a hollow parent: alone each would leave
    the other as the whole rest; together they leave nobody). Then `_settled` makes sure every zone
    passes as finally drawn. The result is remembered (in this process) for the same counts."""
    own, heads = tree.array(own), tree.array(heads)
    if own.sum() < k:
        return frozenset()  # no zone can pass
    eligible = None if eligible is None else frozenset(eligible)
    digest = hashlib.blake2b(digest_size=16)
    for part in (tree.fingerprint, repr(own.shape).encode(), own.tobytes(), heads.tobytes()):
        digest.update(part)
    key = (digest.digest(), k, people, eligible, present_from)
    with _LOCK:
        if key in _REMEMBERED:
            _REMEMBERED.move_to_end(key)
            return _REMEMBERED[key]
    shown = _shown_units(tree, own, heads, k, people, eligible, present_from)
    with _LOCK:
        _REMEMBERED[key] = shown
        while len(_REMEMBERED) > _REMEMBER:
            _REMEMBERED.popitem(last=False)
    return shown


# The tables computed last in this process, by everything they depend on: after a write only the tables
# whose counts changed are computed again (one conversation changes one cycle's people table, perhaps
# a goal or month table). Keyed by a digest of the counts, so an entry is about the size of its result.
_REMEMBER = 256
_REMEMBERED: OrderedDict = OrderedDict()
_LOCK = threading.Lock()


def forget() -> None:
    """Drop the remembered tables (for benchmarks and tests that time or count the work)."""
    with _LOCK:
        _REMEMBERED.clear()


def _shown_units(
    tree: Tree, own: np.ndarray, heads: np.ndarray, k: int, people: bool, eligible, present_from
) -> frozenset:
    zones = _Zones(tree, own, heads, k, people, present_from)
    allowed = None if eligible is None else np.fromiter((key in eligible for key in tree.order), bool)
    for level in _candidates(zones, allowed):
        waiting = {}  # zone above -> units that pass but leave too little of it on their own
        for unit in level:
            above = zones.try_to_show(unit)
            if above is not False:
                waiting.setdefault(above, []).append(unit)
        for units in waiting.values():
            zones.try_to_show_together(units)
    shown = _settled(zones, allowed)
    return frozenset(tree.order[u] for u in np.flatnonzero(shown))


def _candidates(zones: "_Zones", allowed) -> list[list[int]]:
    """Per level, top-down, the units whose own zone passes when they are tried (checked for all
    units at once; most units fail). Nothing below a unit is shown yet then, so its zone is its
    subtree and its parts are its children's subtrees."""
    tree, everyone = zones.tree, zones.everyone
    largest_child = np.zeros_like(everyone)
    np.maximum.at(largest_child, tree.parents[tree.parents >= 0], everyone[tree.parents >= 0])
    possible = (everyone > 0) & (zones.counts.min(axis=1) >= zones.k) & (largest_child < everyone)
    possible &= zones.present_enough(zones.counts, everyone, tree.subtree_sums(zones.own_sets))
    if not zones.people:
        possible &= everyone >= zones.k
    if allowed is not None:
        possible &= allowed
    return [[int(u) for u in units[possible[units]]] for units in tree.levels]


class _Zones:
    """The zones of one table as units are shown: `counts[u]` and `size[u]` (its people) are the
    unit's direct members plus those of its hidden children's parts: a shown unit's zone, a hidden
    unit's part of the zone above it. Rows in the tree's numbering."""

    def __init__(self, tree: Tree, own: np.ndarray, heads: np.ndarray, k: int, people: bool, present_from):
        self.tree, self.k, self.people, self.present_from = tree, k, people, present_from
        self.own = own if own.ndim == 2 else own.reshape(-1, 1)
        self.heads = heads
        # per unit, for `present_from`: 1 if it has k people or more, else its people (see `sets`)
        self.own_sets = np.column_stack([heads >= k, np.where(heads < k, heads, 0)]).astype(np.int64)
        self.shown = np.zeros(len(tree.order), dtype=bool)
        self.everyone = tree.subtree_sums(heads)  # people in the whole subtree
        self.recount()

    def recount(self) -> None:
        """The zones and parts from scratch, for the units shown now: level by level from the
        deepest, each hidden unit's part is added to its parent's."""
        tree = self.tree
        self.counts = self.own.copy()
        self.size = self.heads.copy()
        self.sets = self.own_sets.copy()
        for units in reversed(tree.levels[1:]):
            hidden = units[~self.shown[units]]
            np.add.at(self.counts, tree.parents[hidden], self.counts[hidden])
            np.add.at(self.size, tree.parents[hidden], self.size[hidden])
            if self.present_from is not None:
                np.add.at(self.sets, tree.parents[hidden], self.sets[hidden])

    def present_enough(self, counts: np.ndarray, size: np.ndarray, sets: np.ndarray) -> np.ndarray:
        """Per zone (rows of `counts`; its people `size`; `sets`: its units of k people or more and
        the people of its smaller units), whether the people from category `present_from` on count at
        least k - 1 + m, m the most disjoint sets of units of the zone that other tables can say
        somebody of them is in (each holds k people or more: a zone or subtree of a table of goals or
        entries; so m is at most the large units plus the small ones' people over k, and the zone's
        people over k): each such set then still holds up to k of them or all its people, whatever
        the others must hold (one each)."""
        if self.present_from is None:
            return np.ones(len(size), dtype=bool)
        most = np.minimum(sets[:, 0] + sets[:, 1] // self.k, size // self.k)
        return counts[:, self.present_from :].sum(axis=1) >= self.k - 1 + most

    def all_passing(self) -> np.ndarray:
        """`passes` for every unit at once."""
        tree = self.tree
        hidden = ~self.shown
        largest_part = np.zeros(len(tree.order), dtype=self.size.dtype)
        children = np.flatnonzero(hidden & (tree.parents >= 0))
        np.maximum.at(largest_part, tree.parents[children], self.size[children])
        passing = (self.counts.min(axis=1) >= self.k) & (largest_part < self.size)
        passing &= self.present_enough(self.counts, self.size, self.sets)
        if not self.people:
            passing &= self.size >= self.k
        return passing | (self.size == 0)

    def passes(self, unit) -> bool:
        size = self.size[unit]
        if size == 0:
            return True  # the sums of shown figures below (or of nobody)
        if self.counts[unit].min() < self.k:
            return False
        if self.present_from is not None and not self._present_enough(unit):
            return False
        if self.heads[unit] > 0:  # its direct members are a part no hidden unit holds
            return self.people or size >= self.k
        shown = self.shown
        largest_part = max((self.size[c] for c in self.tree.children[unit] if not shown[c]), default=0)
        return largest_part < size and (self.people or size >= self.k)

    def _present_enough(self, unit) -> bool:
        """`present_enough` for one unit (with plain numbers: it is asked for one unit at a time)."""
        large, small = self.sets[unit]
        most = min(int(large) + int(small) // self.k, int(self.size[unit]) // self.k)
        return int(self.counts[unit, self.present_from :].sum()) >= self.k - 1 + most

    def shown_above(self, unit):
        """The nearest shown unit above (None: none shown)."""
        parent = self.tree.parent[unit]
        while parent >= 0 and not self.shown[parent]:
            parent = self.tree.parent[parent]
        return parent if parent >= 0 else None

    def try_to_show(self, unit):
        """Show `unit` if its zone and what it leaves above pass. False if shown or if its own zone
        fails; else the shown unit above (None: none) whose zone it would leave too little of. Only
        for `_candidates`, whose own zones pass."""
        above = self.shown_above(unit)
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
        above = self.shown_above(units[0])
        for unit in units:
            self._move(unit, +1)
        if above is not None and not self.passes(above):
            for unit in units:
                self._move(unit, -1)

    def _move(self, unit, sign: int) -> None:
        """Show (+1) or hide again (-1) `unit`: its zone leaves (or rejoins) the parts of the hidden
        units above it and the zone of the shown unit above."""
        self.shown[unit] = sign > 0
        counts, size, sets = self.counts[unit] * sign, self.size[unit] * sign, self.sets[unit] * sign
        parent = self.tree.parent[unit]
        while parent >= 0:
            self.counts[parent] -= counts
            self.size[parent] -= size
            self.sets[parent] -= sets
            if self.shown[parent]:
                break
            parent = self.tree.parent[parent]


def _settled(zones: _Zones, allowed) -> np.ndarray:
    """The shown units once every zone passes: shown units whose zones fail are hidden, and a hidden
    unit left with nobody in its part (its figures the sums of shown ones) is shown, or, if it may not
    be, its shown children are hidden; all that fail at once, until nothing changes."""
    tree = zones.tree
    while True:
        zones.recount()
        failing = zones.shown & ~zones.all_passing()
        determined = ~zones.shown & (zones.size == 0) & (zones.everyone > 0)
        if not failing.any() and not determined.any():
            return zones.shown
        zones.shown[failing] = False
        for unit in np.flatnonzero(determined):
            if allowed is None or allowed[unit]:
                zones.shown[unit] = True
            else:
                zones.shown[tree.children[unit]] = False


def could_show(
    tree: Tree, own: np.ndarray, heads: np.ndarray, k: int, *, people: bool, eligible: Set[Key] | None = None
) -> int:
    """How many units one table (arrays in the tree's numbering) could show at most: those whose
    subtree passes on its own (see `_candidates`) and those without direct members (shown when their
    part is left empty, see `_settled`), among the `eligible`. Cheap: no zone is drawn."""
    everyone = tree.subtree_sums(heads)
    own = own if own.ndim == 2 else own.reshape(-1, 1)
    passing = tree.subtree_sums(own).min(axis=1) >= k
    if not people:
        passing &= everyone >= k
    could = (everyone > 0) & (passing | (heads == 0))
    if eligible is not None:
        could &= np.fromiter((key in eligible for key in tree.order), bool, count=len(tree.order))
    return int(could.sum())
