"""Exact linear algebra on 0/1 vectors of at most a few dozen coordinates: which vectors, and which
unions of categories, the figures of some columns determine."""

from functools import lru_cache

from reports.suppression.bitsets import _as_bits, _nonzero_mask

_P = 1_000_003  # larger than any minor of a 0/1 matrix this small, so ranks mod _P are the true ranks


@lru_cache(maxsize=65536)
def _reduced_basis(generators: tuple[int, ...], width: int) -> tuple:
    """Row-reduced basis (mod _P) of the generators: ((pivot column, row), ...), pivots scaled to 1."""
    basis = []
    for g in generators:
        row = _reduce([g >> i & 1 for i in range(width)], basis)
        pivot = next((i for i, x in enumerate(row) if x), None)
        if pivot is not None:
            inverse = pow(row[pivot], _P - 2, _P)
            basis.append((pivot, [x * inverse % _P for x in row]))
    return tuple(basis)


def _reduce(vector: list[int], basis) -> list[int]:
    for pivot, row in basis:
        factor = vector[pivot]
        if factor:
            vector = [(a - factor * b) % _P for a, b in zip(vector, row, strict=True)]
    return vector


def in_span(target: int, generators: tuple[int, ...], free: int, width: int) -> bool:
    """Whether the 0/1 vector `target` lies in span(generators) + span(unit vectors of `free`)."""
    return _in_span(target & ~free, tuple(sorted({g & ~free for g in generators} - {0})), width)


@lru_cache(maxsize=262144)
def _in_span(target: int, generators: tuple[int, ...], width: int) -> bool:
    if not target:
        return True
    vector = _reduce([target >> i & 1 for i in range(width)], _reduced_basis(generators, width))
    return not any(vector)


def determined_unions(generators: tuple[int, ...], nonzero: int, width: int) -> tuple[int, ...]:
    """Every non-empty union of non-empty categories whose size the generators determine."""
    return _determined_unions(tuple(sorted({g & nonzero for g in generators} - {0})), nonzero, width)


@lru_cache(maxsize=65536)
def _determined_unions(generators: tuple[int, ...], nonzero: int, width: int) -> tuple[int, ...]:
    # A 0/1 vector in the span is the sum of the echelon rows at its pivots (each row is 1 at its own
    # pivot and 0 at the others), so trying every subset of the rows finds them all: 2**rank sums
    # instead of a membership test for each of the 2**width unions.
    combinations = [[0] * width]
    for row in _echelon(generators, width):
        combinations += [[(a + b) % _P for a, b in zip(c, row, strict=True)] for c in combinations]
    found = [_nonzero_mask(c) for c in combinations[1:] if all(x in (0, 1) for x in c)]
    return tuple(sorted(found, reverse=True))


def _echelon(generators: tuple[int, ...], width: int) -> list[list[int]]:
    """The reduced echelon form (mod _P) of the generators: each row is 1 at its pivot, 0 at the
    other rows' pivots."""
    basis = _reduced_basis(generators, width)
    rows = [list(row) for _, row in basis]
    for j, (pivot, _) in enumerate(basis):
        for i in range(j):  # later rows are already 0 at the earlier pivots
            factor = rows[i][pivot]
            if factor:
                rows[i] = [(a - factor * b) % _P for a, b in zip(rows[i], rows[j], strict=True)]
    return rows


@lru_cache(maxsize=65536)
def _span_bits(generators: tuple[int, ...], nonzero: int, width: int) -> int:
    """The unions over `nonzero` that the generators determine, 0 included (a set of unions)."""
    reduced = tuple(sorted({g & nonzero for g in generators} - {0}))
    return _as_bits((0, *_determined_unions(reduced, nonzero, width)))
