"""The public `suppress`, the result it returns and the results it remembers.

The result is a pair of views over the engine's rows rather than dicts of every cell: a table has up
to 60,000 cells and a request reads a few dozen of them.
"""

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence, Set

from reports.suppression.bitsets import _bits
from reports.suppression.engine import _Engine
from reports.suppression.tables import Key, Lattice, SuppressedTable, Tree


class _Figures(Mapping):
    """(unit, column) -> the unit's count in that column."""

    def __init__(self, tree: Tree, names: tuple[str, ...], rows: list):
        self._tree, self._names, self._rows = tree, names, rows
        self._columns = {name: c for c, name in enumerate(names)}

    def __getitem__(self, cell):
        unit, column = cell
        return self._rows[self._tree.index[unit]][self._columns[column]]

    def __iter__(self):
        return ((key, name) for key in self._tree.order for name in self._names)

    def __len__(self) -> int:
        return len(self._rows) * len(self._names)


class _Hidden(Set):
    """The set of hidden (unit, column) cells."""

    def __init__(self, tree: Tree, names: tuple[str, ...], masks: list):
        self._tree, self._names, self._masks = tree, names, masks
        self._columns = {name: c for c, name in enumerate(names)}
        self._size = sum(mask.bit_count() for mask in masks)

    @classmethod
    def _from_iterable(cls, cells):
        return frozenset(cells)

    def __contains__(self, cell) -> bool:
        try:
            unit, column = cell
            return bool(self._masks[self._tree.index[unit]] >> self._columns[column] & 1)
        except (KeyError, TypeError, ValueError):
            return False

    def __iter__(self):
        order, names = self._tree.order, self._names
        return ((order[u], names[c]) for u, mask in enumerate(self._masks) for c in _bits(mask))

    def __len__(self) -> int:
        return self._size


class _Results:
    """The last few results of `suppress`, by their complete inputs. A result is reused only for inputs
    equal to the ones it was computed from (compared in full, not by a digest), so it is never stale:
    it only saves computing the same tables again, e.g. when the same statistics are asked for twice."""

    def __init__(self, size: int):
        self._size, self._results, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self._lock:
            found = self._results.get(key)
            if found is not None:
                self._results.move_to_end(key)
            return found

    def put(self, key, result) -> None:
        with self._lock:
            self._results[key] = result
            self._results.move_to_end(key)
            while len(self._results) > self._size:
                self._results.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._results.clear()


class _Inputs:
    """All the inputs of one `suppress` call: equal only to equal inputs, hashed once (a tuple of
    5,000 rows would be hashed again on every dictionary operation)."""

    __slots__ = ("_hash", "parts")

    def __init__(self, parts: tuple):
        self.parts, self._hash = parts, hash(parts)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other) -> bool:
        return isinstance(other, _Inputs) and self._hash == other._hash and self.parts == other.parts


_RESULTS = _Results(size=16)  # a request for statistics makes 7 tables (2 cycles)


def forget_results() -> None:
    """Drop the remembered results (for benchmarks and tests that time or count the work)."""
    _RESULTS.clear()


def suppress(
    *,
    parents: Mapping[Key, Key | None],
    lattice: Lattice,
    own: Mapping[Key, Sequence[int]],
    k: int,
    fixed: Mapping[tuple[Key, str], bool] | None = None,
) -> SuppressedTable:
    """Apply the rules to one table.

    `parents` maps every unit to its parent (None for a root; a `Tree` saves numbering the units
    again for each table), `own` each unit to the counts of its direct members per category
    (missing: all zero), `fixed` cells to True (hidden) or False (visible, must be at least k).
    Returns the figures of every unit in every column and the hidden ones. The result for the same
    inputs is remembered (see `_Results`).
    """
    tree = parents if isinstance(parents, Tree) else Tree(parents)
    own = {unit: tuple(counts) for unit, counts in own.items()}
    key = _Inputs((tree.shape, lattice, k, tuple(own.items()), tuple((fixed or {}).items())))
    result = _RESULTS.get(key)
    if result is None:
        engine = _Engine(tree, lattice, own, k, fixed)
        result = (engine.values, engine.protect())
        _RESULTS.put(key, result)
    values, hidden = result
    names = lattice.column_names
    return SuppressedTable(
        columns=names, values=_Figures(tree, names, values), hidden=_Hidden(tree, names, hidden)
    )
