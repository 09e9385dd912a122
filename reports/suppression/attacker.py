"""The attacker, exactly.

The rules (`engine`) are local: they judge a unit by its row, its zones and what it learnt, and a repair
made later can leave an earlier judgement resting on figures that are hidden by then. So once they
all hold, the table is checked against the attacker of the guarantee himself, computed exactly, and
whatever he can pin is repaired (the rules are then applied again) until he pins nothing.

What he knows about a subtree is a linear space. The figures that keep a unit's w-sum secret are
those with a kernel element z (all visible figures of z are 0) whose w-sum over the unit's subtree
is not 0; so the unit's known space is the annihilator of the values Z(u) (z summed over the
subtree) that the kernel allows. Z(u) = z(own members of u) + sum of Z(children), and Z(u) must be
orthogonal to the unit's visible columns V(u). One pass up gives B(u), the Z(u) its subtree allows,
and one pass down L(u), those the whole tree allows (the parent's L, its own members and the
siblings' B make room for it). Over annihilators, with E(u) the categories known to be empty in u:
    below(u) = V(u) + (E(u) & below(child 1) & below(child 2) ...)
    known(c) = below(c) + (known(parent) & E(parent) & below(every sibling of c))
For one union w, the units knowing their w-sum split the tree into zones (a known unit minus the
nearest known units below it); every group of people in w the attacker pins is a union of zones, so
it suffices that every zone's w-sum is 0 or at least k and that no hidden figure other than 0 is
known. Columns of separate populations need only coordinate spaces (a mask of categories).
"""

import operator
from functools import lru_cache
from typing import TYPE_CHECKING

from reports.suppression.bitsets import _as_bits, _bits, _descending, _small_unions, _sum
from reports.suppression.spaces import _CoordinateSpaces, _LinearSpaces

if TYPE_CHECKING:
    from reports.suppression.engine import _Engine


def _merged(pieces) -> tuple:
    """Pieces (unions, counts) with the same unions added up; pieces without unions dropped."""
    by_unions = {}
    for ws, counts in pieces:
        if ws:
            found = by_unions.get(ws)
            by_unions[ws] = counts if found is None else tuple(map(operator.add, found, counts))
    return tuple(by_unions.items())


def _refined(ws: int, counts, pieces) -> list:
    """Splits the unions `ws` by the pieces that contain them: (unions, counts plus their pieces')."""
    parts = [(ws, counts)]
    for piece_ws, piece_counts in pieces:
        split = []
        for part_ws, part_counts in parts:
            if part_ws & piece_ws:
                split.append((part_ws & piece_ws, tuple(map(operator.add, part_counts, piece_counts))))
            if part_ws & ~piece_ws:
                split.append((part_ws & ~piece_ws, part_counts))
        parts = split
    return parts


@lru_cache(maxsize=65536)
def _small_sums(counts: tuple, k: int, single: bool) -> int:
    """The unions (only single categories if `single`) whose counts add up to 1..k-1."""
    if single:
        return _as_bits(1 << i for i, x in enumerate(counts) if 0 < x < k)
    return _small_unions(counts, k)


class _Attacker:
    """What every visible figure of the table tells, computed exactly (see above)."""

    def __init__(self, engine: "_Engine"):
        self.engine = engine
        self.spaces = (_CoordinateSpaces if engine.independent else _LinearSpaces)(engine.width)
        self._visible, self._union_sets = {}, {}
        self.below, self.known = self._below(), None
        self.known = self._known()

    def visible_space(self, unit):
        hidden = self.engine.hidden[unit]
        space = self._visible.get(hidden)
        if space is None:
            space = self._visible[hidden] = self.spaces.of_masks(
                self.engine._masks_of(self.engine.all_columns & ~hidden)
            )
        return space

    def empty_space(self, unit):
        """The categories known to be empty among the unit's direct members."""
        e = self.engine
        return self.spaces.of_categories(e.full & ~e.own_nz[unit])

    def _below(self) -> list:
        e, spaces = self.engine, self.spaces
        below = [spaces.everything] * len(e.own)
        for unit in reversed(range(len(e.own))):
            if not e.agg_nz[unit]:
                continue
            empty = self.empty_space(unit)
            for child in e.children[unit]:
                if empty == spaces.nothing:
                    break
                empty = spaces.meet(empty, below[child])
            below[unit] = spaces.add(self.visible_space(unit), empty)
        return below

    def _known(self) -> list:
        e, spaces, below = self.engine, self.spaces, self.below
        known = list(below)
        for parent in range(len(e.own)):
            children = e.children[parent]
            if not children or not e.agg_nz[parent]:
                continue
            above = spaces.meet(known[parent], self.empty_space(parent))
            if above == spaces.nothing:
                continue
            # below every sibling: prefix and suffix meets over the children
            after = [spaces.everything] * (len(children) + 1)
            for i in reversed(range(len(children))):
                after[i] = spaces.meet(after[i + 1], below[children[i]])
            before = above
            for i, child in enumerate(children):
                others = spaces.meet(before, after[i + 1])
                known[child] = spaces.add(below[child], others)
                before = spaces.meet(before, below[child])
        return known

    def knows(self, space, w) -> bool:
        return bool(self._unions(space) >> w & 1)

    def _unions(self, space) -> int:
        """The unions whose sums a known space gives (a set of unions); for separate populations
        only the single categories."""
        found = self._union_sets.get(space)
        if found is None:
            if self.engine.independent:
                found = _as_bits(1 << i for i in _bits(space))
            else:
                found = self.spaces.unions(space)
            self._union_sets[space] = found
        return found

    def _small(self, counts) -> int:
        """The unions (single categories for separate populations) whose counts add up to 1..k-1."""
        k = self.engine.k
        return _small_sums(tuple([min(x, k) for x in counts]), k, self.engine.independent)

    def leaks(self) -> list:
        """What the attacker pins: ("figure", unit, w) for a hidden figure other than 0 he knows, and
        ("zone", unit, w) for a zone whose w-sum is 1..k-1 (the unit topmost in it)."""
        e = self.engine
        known = [self._unions(space) for space in self.known]
        found = [
            ("figure", unit, e.masks[c])
            for unit, hidden in enumerate(e.hidden)
            for c in _bits(hidden)
            if e.values[unit][c] and known[unit] >> e.masks[c] & 1
        ]
        return found + self._small_zones(known)

    def _small_zones(self, known) -> list:
        """Every (unit, w) whose zone holds 1..k-1: the unit knows its w-sum, and its zone is its own
        members and the parts of its children's subtrees that do not know theirs.
        Bottom-up, each unit hands its parent those parts as pieces (unions, counts): for every w
        among the unions, the counts are what the unit's subtree adds to a zone above it."""
        e = self.engine
        everything = self._unions(self.spaces.everything) & ~1
        pieces, found = [()] * len(e.own), []
        for unit in reversed(range(len(e.own))):
            if not e.agg_nz[unit]:
                continue
            below = _merged(piece for child in e.children[unit] for piece in pieces[child])
            if known[unit] & ~1:
                for ws, counts in _refined(known[unit] & ~1, e.own[unit], below):
                    found += [("zone", unit, w) for w in _descending(ws & self._small(counts))]
            unknown = everything & ~known[unit]
            if unknown:
                own = [(unknown, e.own[unit])] if any(e.own[unit]) else []
                pieces[unit] = _merged([*own, *((ws & unknown, counts) for ws, counts in below)])
        return found

    def frontier(self, g, w) -> list:
        """The nearest units below g that know their w-sum."""
        e, found, stack = self.engine, [], list(self.engine.children[g])
        while stack:
            unit = stack.pop()
            if not e.agg_nz[unit]:
                continue
            if self.knows(self.known[unit], w):
                found.append(unit)
            else:
                stack.extend(e.children[unit])
        return found

    # repairs ------------------------------------------------------------------------------------------
    def repair(self, leak):
        """A figure to hide against one leak (None if none can go): for a zone, a visible unit below
        it that gives its w-sum away (the smallest figure that helps), else whatever makes its top
        unit (or the hidden figure's unit) know w."""
        kind, unit, w = leak
        if kind == "zone":
            candidates = [b for d in self.frontier(unit, w) for b in self._own_breakers(d, w)]
            if candidates:
                return min(candidates)[1:]
        return self._cause(unit, w, set())

    def _own_breakers(self, unit, w) -> list:
        e = self.engine
        if not e._gives(e.all_columns & ~e.hidden[unit], e.agg_nz[unit], w):
            return []
        return e._breakers(unit, w)

    def _cause(self, unit, w, seen, below_only=False):
        """A figure to hide so that `unit` may stop knowing its w-sum: one of its own that gives it,
        else one of the units it is learnt from (below: the children; above: the parent and the
        siblings), else its least valuable one."""
        if unit < 0 or unit in seen:
            return None
        seen.add(unit)
        e = self.engine
        if self.knows(self.below[unit], w):
            if e._gives(e.all_columns & ~e.hidden[unit], e.agg_nz[unit], w):
                # no single figure may be enough (each is the others' sum): the rule on rows then
                # hides what else must go
                breakers = e._breakers(unit, w)
                return min(breakers)[1:] if breakers else self._least_valuable(unit)
            for child in self._by_size(e.children[unit], w):
                found = self._cause(child, w, seen, below_only=True)
                if found:
                    return found
        elif not below_only and e.parent[unit] >= 0:
            parent = e.parent[unit]
            for sibling in self._by_size([c for c in e.children[parent] if c != unit], w):
                found = self._cause(sibling, w, seen, below_only=True)
                if found:
                    return found
            found = self._cause(parent, w, seen)
            if found:
                return found
        return self._least_valuable(unit)

    def _by_size(self, units, w) -> list:
        e = self.engine
        return sorted((u for u in units if e.agg_nz[u]), key=lambda u: (_sum(e.agg[u], w), u))

    def _least_valuable(self, unit):
        """The unit's least valuable figure that may be hidden, preferring one that its other
        figures do not give away."""
        e, hidden = self.engine, self.engine.hidden[unit]
        free = [c for c in e._by_sacrifice if not (hidden | e.fixed[unit]) >> c & 1]
        movable = [c for c in free if e._movable(unit, c, hidden)]
        return (unit, (movable or free)[0]) if free else None
