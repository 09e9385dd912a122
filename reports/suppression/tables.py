"""What a table is made of: the lattice of its categories and columns, the organisation tree it
counts over, and the published result."""

from collections import defaultdict
from collections.abc import Hashable, Iterator, Mapping, Set
from dataclasses import dataclass

Key = Hashable


@dataclass(frozen=True)
class Lattice:
    """The categories of one table and, for each column, the categories it sums."""

    categories: tuple[str, ...]
    columns: tuple[tuple[str, frozenset[str]], ...]
    # Column names from the most to the least worth keeping; when a unit must give up one of its
    # figures, the least valuable that helps goes first. Default: the order of `columns`.
    priority: tuple[str, ...] = ()
    # Columns that count separate populations (one category each, e.g. entries per month): no sum or
    # difference across them is a group, so only each column on its own is checked.
    independent: bool = False

    @property
    def sacrifice_order(self) -> tuple[int, ...]:
        """Per column index: a sort key, lower for columns to hide first."""
        names = self.column_names
        ranked = [n for n in self.priority if n in names] + [n for n in names if n not in self.priority]
        return tuple(-ranked.index(name) for name in names)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    @property
    def masks(self) -> tuple[int, ...]:
        index = {name: i for i, name in enumerate(self.categories)}
        return tuple(sum(1 << index[c] for c in cats) for _, cats in self.columns)


@dataclass(frozen=True)
class SuppressedTable:
    columns: tuple[str, ...]
    values: Mapping[tuple[Key, str], int]
    hidden: Set[tuple[Key, str]]

    def figure(self, unit: Key, column: str) -> int | None:
        """The published figure: the count, or None when it is suppressed."""
        if (unit, column) in self.hidden:
            return None
        return self.values[(unit, column)]


class Tree(Mapping):
    """An organisation as `suppress` reads it: unit -> parent (None for a root), numbered once in
    top-down order so that a unit's subtree is the range of numbers from its own to `end`. Build it
    once when several tables share one organisation."""

    def __init__(self, parents: Mapping[Key, Key | None]):
        self._parents = dict(parents)
        self.shape = tuple(self._parents.items())  # the tree and its numbering, comparable as a whole
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
