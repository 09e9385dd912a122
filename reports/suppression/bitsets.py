"""Sets of unions, as the bits of one integer.

A union of categories is an int below 2**width; a *set* of unions is one int with bit w set for each
union w in it, so intersections and differences of such sets are single integer operations.
"""

from functools import lru_cache


@lru_cache(maxsize=4096)
def _subsets(mask: int) -> int:
    """Every union inside `mask`, 0 included (a set of unions)."""
    return _as_bits(_all_unions(mask))


def _small_unions(counts: tuple[int, ...], k: int) -> int:
    """The unions of categories whose counts add up to 1..k-1 (a set of unions)."""
    if min(counts, default=0) < 0:  # counts that can cancel out: add up every union
        sums = [0] * (1 << len(counts))
        for w in range(1, len(sums)):
            low = w & -w
            sums[w] = sums[w ^ low] + counts[low.bit_length() - 1]
        return _as_bits(w for w, total in enumerate(sums) if 0 < total < k)
    # A count of k or more is in no small union and empty categories go into any: a small union is a
    # small union of the categories counting 1..k-1 plus any set of empty ones.
    partial = [(0, 0)]  # (union, sum) of the categories counting 1..k-1, sums below k only
    for i, count in enumerate(counts):
        if 0 < count < k:
            partial += [(w | 1 << i, total + count) for w, total in partial if total + count < k]
    small = _as_bits(w for w, _ in partial[1:])
    empty = _nonzero_mask(x == 0 for x in counts)
    return small * _subsets(empty)  # disjoint parts: the product adds bit positions, never carries


def _as_bits(unions) -> int:
    bits = 0
    for w in unions:
        bits |= 1 << w
    return bits


def _descending(bits: int):
    """The members of a set of unions (or the bits of a mask), largest first."""
    while bits:
        w = bits.bit_length() - 1
        yield w
        bits ^= 1 << w


@lru_cache(maxsize=256)
def _all_unions(mask: int) -> tuple[int, ...]:
    found, sub = [0], mask
    while sub:
        found.append(sub)
        sub = (sub - 1) & mask
    return tuple(found)


@lru_cache(maxsize=8192)
def _bits(mask: int) -> tuple[int, ...]:
    return tuple(i for i in range(mask.bit_length()) if mask >> i & 1)


def _sum(vector, mask: int) -> int:
    return sum(map(vector.__getitem__, _bits(mask)))


def _add(vectors) -> list:
    return [sum(column) for column in zip(*vectors, strict=True)]


def _common(known_sets):
    """The intersection of sets of unions, None (everything) skipped; None if all are None."""
    common = None
    for known in known_sets:
        if known is not None:
            common = known if common is None else common & known
    return common


def _nonzero_mask(vector) -> int:
    return sum(1 << i for i, v in enumerate(vector) if v)
