"""The known spaces of the attacker (see `attacker`): spans as reduced echelon forms (mod _P), one
tuple per space so that spaces compare, with their sums and meets; for separate populations, masks
of categories."""

import operator
from functools import lru_cache, reduce

from reports.suppression.bitsets import _as_bits, _bits, _nonzero_mask
from reports.suppression.span import _P


@lru_cache(maxsize=65536)
def _space(vectors: tuple, width: int) -> tuple:
    """The reduced row echelon form (mod _P) of the vectors: one tuple per space, so spaces compare."""
    rows = []  # (pivot, row), each row 1 at its pivot and 0 at the other rows' pivots
    for vector in vectors:
        row = list(vector)
        for pivot, other in rows:
            factor = row[pivot]
            if factor:
                row = [(a - factor * b) % _P for a, b in zip(row, other, strict=True)]
        pivot = next((i for i, x in enumerate(row) if x), None)
        if pivot is None:
            continue
        inverse = pow(row[pivot], _P - 2, _P)
        row = [x * inverse % _P for x in row]
        for i, (p, other) in enumerate(rows):
            factor = other[pivot]
            if factor:
                rows[i] = (p, [(a - factor * b) % _P for a, b in zip(other, row, strict=True)])
        rows.append((pivot, row))
    return tuple(tuple(row) for _, row in sorted(rows))


def _unit_vectors(mask: int, width: int) -> tuple:
    return tuple(tuple(int(i == j) for j in range(width)) for i in _bits(mask))


@lru_cache(maxsize=65536)
def _space_sum(a: tuple, b: tuple, width: int) -> tuple:
    if not a or a == b:
        return b
    if not b:
        return a
    return _space(a + b, width)


@lru_cache(maxsize=65536)
def _annihilator(a: tuple, width: int) -> tuple:
    pivots = [next(i for i, x in enumerate(row) if x) for row in a]
    free = [j for j in range(width) if j not in pivots]
    vectors = []
    for j in free:
        vector = [0] * width
        vector[j] = 1
        for pivot, row in zip(pivots, a, strict=True):
            vector[pivot] = -row[j] % _P
        vectors.append(tuple(vector))
    return _space(tuple(vectors), width)


@lru_cache(maxsize=65536)
def _space_meet(a: tuple, b: tuple, width: int) -> tuple:
    if not a or not b:
        return ()
    if a == b or len(b) == width:
        return a
    if len(a) == width:
        return b
    return _annihilator(_space_sum(_annihilator(a, width), _annihilator(b, width), width), width)


@lru_cache(maxsize=65536)
def _space_unions(a: tuple, width: int) -> int:
    """The 0/1 vectors of the space (a set of unions, 0 included): each is the sum of the echelon
    rows at the pivots where it is 1."""
    combinations = [(0,) * width]
    for row in a:
        combinations += [tuple((x + y) % _P for x, y in zip(c, row, strict=True)) for c in combinations]
    return _as_bits(_nonzero_mask(c) for c in combinations if all(x in (0, 1) for x in c))


class _LinearSpaces:
    """Known spaces of a lattice whose columns sum categories: echelon forms, with their unions."""

    def __init__(self, width: int):
        self.width = width
        self.nothing, self.everything = (), _unit_vectors((1 << width) - 1, width)

    def of_masks(self, masks) -> tuple:
        return _space(tuple(tuple(m >> i & 1 for i in range(self.width)) for m in masks), self.width)

    def of_categories(self, mask: int) -> tuple:
        return _space(_unit_vectors(mask, self.width), self.width)

    def add(self, a, b):
        return _space_sum(a, b, self.width)

    def meet(self, a, b):
        return _space_meet(a, b, self.width)

    def unions(self, a) -> int:
        return _space_unions(a, self.width)


class _CoordinateSpaces:
    """Known spaces of separate populations: spans of single categories, i.e. masks of categories."""

    def __init__(self, width: int):
        self.nothing, self.everything = 0, (1 << width) - 1

    def of_masks(self, masks) -> int:
        return reduce(operator.or_, masks, 0)

    def of_categories(self, mask: int) -> int:
        return mask

    def add(self, a, b):
        return a | b

    def meet(self, a, b):
        return a & b
