"""The organisation tree the statistics' tables count over, numbered once for all of them (the zone rule
of `reports.suppression`, the line of sight of `reports.alignment`)."""

import hashlib
from collections import defaultdict
from collections.abc import Hashable, Iterator, Mapping

import numpy as np

Key = Hashable


class Tree(Mapping):
    """An organisation as the tables read it: unit -> parent (None for a root), numbered once in
    top-down order so that a unit's subtree is the range of numbers from its own to `end`. Build it
    once when several tables share one organisation."""

    def __init__(self, parents: Mapping[Key, Key | None]):
        self._parents = dict(parents)
        self.shape = tuple(self._parents.items())  # the tree and its numbering, comparable as a whole
        self.fingerprint = hashlib.blake2b(repr(self.shape).encode(), digest_size=16).digest()
        self.order = _top_down(self._parents)  # number -> unit
        self.index = {key: u for u, key in enumerate(self.order)}
        self.parent = [
            -1 if self._parents[key] is None else self.index[self._parents[key]] for key in self.order
        ]
        self.children = [[] for _ in self.order]
        self.depth = [0] * len(self.order)
        for unit, parent in enumerate(self.parent):
            if parent >= 0:
                self.children[parent].append(unit)
                self.depth[unit] = self.depth[parent] + 1
        self.end = list(range(1, len(self.order) + 1))
        for unit in reversed(range(len(self.order))):
            parent = self.parent[unit]
            if parent >= 0 and self.end[unit] > self.end[parent]:
                self.end[parent] = self.end[unit]

        self.parents = np.array(self.parent, dtype=np.int64)
        self.levels = []  # per depth, the units' numbers (arrays)
        for unit, depth in enumerate(self.depth):
            while len(self.levels) <= depth:
                self.levels.append([])
            self.levels[depth].append(unit)
        self.levels = [np.array(units, dtype=np.int64) for units in self.levels]

    def array(self, values) -> np.ndarray:
        """Per-unit values (a mapping unit -> number or sequence of numbers; missing units: zeros) as an
        array in this numbering; an array is taken as it is."""
        if isinstance(values, np.ndarray):
            return values
        scalar = np.ndim(next(iter(values.values()), 0)) == 0
        if scalar:
            return np.array([values.get(key, 0) for key in self.order], dtype=np.int64)
        width = max((len(v) for v in values.values()), default=1)
        rows = [values.get(key, ()) for key in self.order]
        return np.array([row if len(row) else (0,) * width for row in rows], dtype=np.int64)

    def subtree_sums(self, values: np.ndarray) -> np.ndarray:
        """Per unit, the sum of `values` (an array in this numbering) over its subtree."""
        totals = values.copy()
        for units in reversed(self.levels[1:]):
            np.add.at(totals, self.parents[units], totals[units])
        return totals

    def __getitem__(self, unit: Key) -> Key | None:
        return self._parents[unit]

    def __iter__(self) -> Iterator[Key]:
        return iter(self._parents)

    def __len__(self) -> int:
        return len(self._parents)


def _top_down(parents: Mapping[Key, Key | None]) -> list:
    children = defaultdict(list)
    roots = []
    for unit, parent in parents.items():
        if parent is None:
            roots.append(unit)
        else:
            children[parent].append(unit)
    order, stack = [], list(reversed(roots))
    while stack:
        unit = stack.pop()
        order.append(unit)
        stack.extend(reversed(children[unit]))
    if len(order) != len(parents):
        raise ValueError("the parents do not form a forest")
    return order
