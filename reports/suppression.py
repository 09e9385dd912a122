"""Small-cell suppression for counts over the organisation tree: the anonymity rules of the HR statistics.

The model
---------
A *table* counts one population (people, goals, follow-up entries) over the organisation tree. The
direct members of one unit split into disjoint *categories* (the smallest groups, "atoms"): for people
in a cycle e.g. "held, not submitted", "confirmed, no change request, followed up", ... A *column* is a
published count and sums a fixed set of categories (held = every category but "not held"); the figure
of a unit in a column sums the unit's whole subtree. So every figure is a sum of atoms, and a unit's
figure equals its children's figures plus its direct members' atoms, which are never published: the
direct members act as a hidden extra child of every unit.

The rules, with k = min_group_size
----------------------------------
1. Primary: a figure below k, zero included, is hidden.
2. Row: the visible figures of one unit must not let anyone compute the size of a group of 1..k-1
   (e.g. held 12 and confirmed 9 give "held but not confirmed: 3") nor a hidden figure other than 0.
3. Zone: for a visible figure, subtracting the visible figures below it leaves the "zone": the direct
   members of the unit and of every hidden unit between it and the visible ones. The same two
   conditions hold for the zone, column by column and over every set of columns whose zones coincide
   (e.g. parent 20 - visible child 16 = 4 pins the other children and direct members; a hidden child
   is recovered when it is the only non-empty part of its zone, so a sibling is hidden with it).
   Known sums travel: a unit without direct members whose children all show a sum shows it too; a
   hidden unit that is the only non-empty part of a zone has its sum learnt; and a zone of a unit
   without direct members may not be split by parts (v of w) that its topmost non-empty units show.
A rule that fails hides one more figure (the smallest that helps, a visible one below before the unit
itself), and the rules are applied again until all hold. Figures can be *fixed* (visible or hidden
whatever happens): the statistics fix "employees in scope" to the pattern it gets on its own, because
that figure is shared by every cycle (see below).

Units are settled deepest first, and a change puts the unit and everything above it back in the
queue, so each unit is finally judged with everything below it settled. Columns that count separate
populations (entries per month) can be declared `independent`: each is then protected on its own.

The rules are local, and a sum learnt from a zone is not withdrawn when a later repair hides the
figures it came from; nor can a row whose figures are each the sum of the others lose a single one.
So the rules alone leave rare leaks (about 1 in 700 random organisations, and a parent minus one
shown child in goal statuses). Hence the last step, which makes the guarantee hold by construction:
when the rules hold, the table is checked against the attacker himself (`_Attacker`: what every
visible figure together determines, computed exactly in one pass up and one down the tree), a
figure is hidden against each thing he pins (`_Attacker.repair`), the rules are applied again, and
so on until he pins nothing. Every round hides at least one more figure, so it ends.

Speed
-----
A table of 5,000 units takes a few tenths of a second (it took seconds when every repair meant
another pass over all units). How:
- Units are numbered once in top-down order (`Tree`, shared by the tables of one organisation): a
  subtree is a range of numbers, per-unit state lives in lists, a unit's hidden columns are the bits
  of one int. A change re-queues only the unit it touches and those above it; a unit's cached
  knowledge is keyed by a stamp that changes with anything below it.
- A set of unions (each a 0/1 vector over the categories, an int) is one int with bit w for union w:
  "the unions a unit gives away" and "the unions below k" meet in one `&`. The unions in the span of
  some columns are enumerated from the echelon form (2**rank sums, not a test per union).
- Rule 2 depends only on a row's own state (counts capped at k, which columns are hidden or fixed,
  whether it learnt anything), so its outcome is remembered per state: most units share a few.
- Rule 3 walks a unit's zones for every w at once; the w with the same frontier share one zone.
- `suppress` remembers its last results by their complete inputs (compared in full), so the same
  table asked for again costs nothing and a changed input is always computed afresh.
These change how the rules are computed, never what they decide: the hidden cells are exactly those
the straightforward implementation hid (checked against it on the 50,000-employee benchmark and on
thousands of random organisations), and the property tests below hold unchanged.
The check against the attacker costs about as much again as the rules (a pass over the units per
round, usually one or two rounds; spaces of at most 8 dimensions, remembered by their echelon form).

The guarantee
-------------
Against someone who sees every visible figure of a table, for every unit at once (so every answer the
API gives for one cycle), and who moreover knows which atoms are empty: no linear combination of those
figures determines a hidden figure that is not 0, or the size of any group (union of atoms) of 1..k-1.
`_Attacker` computes exactly this for the whole table and `suppress` repairs until it finds nothing;
`tests/reports/test_suppression.py` checks it independently with exact linear algebra over random
trees, also for two cycles that share "employees in scope" (the previous-cycle comparison), and
`test_suppression_internals.py` checks `_Attacker` against the plain definition.
"Group" means units x categories (the people of some units in some outcomes).
Not covered: bounds that need inequalities (an attacker may learn that a hidden figure lies in a range
such as 0..7, never that it is exactly some 1..k-1), and hidden zeros, which may be recoverable as zero.
"""

import heapq
import operator
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Hashable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass
from functools import lru_cache, reduce

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


# --- exact linear algebra on 0/1 vectors of at most a few dozen coordinates ------------------------


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


# --- sets of unions, as the bits of one integer ------------------------------------------------------
# A union of categories is an int below 2**width; a *set* of unions is one int with bit w set for each
# union w in it, so intersections and differences of such sets are single integer operations.


@lru_cache(maxsize=65536)
def _span_bits(generators: tuple[int, ...], nonzero: int, width: int) -> int:
    """The unions over `nonzero` that the generators determine, 0 included (a set of unions)."""
    reduced = tuple(sorted({g & nonzero for g in generators} - {0}))
    return _as_bits((0, *_determined_unions(reduced, nonzero, width)))


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


# --- the algorithm ----------------------------------------------------------------------------------
# Units are numbered in top-down (depth-first) order, so a unit's subtree is the range of numbers from
# its own to `end`; a unit's hidden columns are the bits of one integer; a cell is (unit, column).


class _Engine:
    def __init__(self, tree: Tree, lattice: Lattice, own, k: int, fixed):
        self.k = k
        self.width = len(lattice.categories)
        self.full = (1 << self.width) - 1
        self.masks = lattice.masks
        self.all_columns = (1 << len(self.masks)) - 1
        self.names = lattice.column_names
        self.sacrifice = lattice.sacrifice_order
        self.independent = lattice.independent
        self.single_categories = all(m & (m - 1) == 0 for m in self.masks)
        self.tree, self.parent, self.children = tree, tree.parent, tree.children
        self._count(own)
        self._fix(fixed or {})
        n = len(tree.order)
        self.aug = [()] * n  # unions whose sums a unit's figures do not show but an outsider learnt
        self.sources = {}  # unit -> [(g, w, frontier)]: the zones it learnt them from
        # A unit's stamp changes whenever a figure in its subtree is hidden or it learns a sum from
        # outside, so results computed for an unchanged stamp stay valid.
        self.stamp = [0] * n
        self._known = [(-1, None)] * n
        self._memo = {
            "row": {},
            "breakers": {},
            "visible": {},
            "span": {},
            "spans": {},
            "small": {},
            "within": {},
        }
        self._by_sacrifice = sorted(range(len(self.masks)), key=lambda c: (self.sacrifice[c], c))
        deepest = max(tree.depth)
        self._priority = [(deepest - d) * n + u for u, d in enumerate(tree.depth)]  # deepest first
        self._queue = list(self._priority)
        heapq.heapify(self._queue)
        self._queued = [True] * n

    def _count(self, own) -> None:
        zero = (0,) * self.width
        self.own = [tuple(own.get(key, zero)) for key in self.tree.order]
        # What an outsider may know: which units have no direct members at all (an organisation chart
        # shows it). Which categories of a non-empty unit are empty is what the figures must not tell.
        # For separate populations (`independent`), each column's own emptiness is that knowledge.
        if self.independent:
            self.own_nz = [_nonzero_mask(v) for v in self.own]
        else:
            self.own_nz = [self.full if any(v) else 0 for v in self.own]
        agg, nonzero = list(self.own), list(self.own_nz)
        for unit in reversed(range(len(agg))):
            parent = self.parent[unit]
            if parent >= 0 and nonzero[unit]:
                agg[parent] = tuple(map(operator.add, agg[parent], agg[unit]))
                nonzero[parent] |= nonzero[unit]
        self.agg, self.agg_nz = agg, nonzero
        rows = {}  # many units have the same counts
        for counts in agg:
            if counts not in rows:
                rows[counts] = self._row_facts(counts)
        self.values, self.row_key, self.hidden, self.zero = (
            list(x) for x in zip(*map(rows.__getitem__, agg), strict=True)
        )

    def _row_facts(self, counts) -> tuple:
        """A row's figures, its counts as rule 2 sees them, its columns below k and its zero columns."""
        k = self.k
        values = tuple([sum(map(counts.__getitem__, _bits(m))) for m in self.masks])
        # Rule 2 only asks whether sums are 0, below k or neither: counts capped at k tell the same.
        capped = counts if min(counts, default=0) < 0 else tuple([min(x, k) for x in counts])
        below = sum(1 << c for c, v in enumerate(values) if v < k)
        zero = sum(1 << c for c, v in enumerate(values) if not v)
        return values, capped, below, zero

    def _fix(self, fixed) -> None:
        self.fixed = [0] * len(self.tree.order)
        columns = {name: c for c, name in enumerate(self.names)}
        for (key, column), hide in fixed.items():
            unit, bit = self.tree.index[key], 1 << columns[column]
            self.fixed[unit] |= bit
            if hide:
                self.hidden[unit] |= bit

    def _hide(self, cells) -> None:
        for unit, column in cells:
            if not self.hidden[unit] >> column & 1:
                self.hidden[unit] |= 1 << column
                self._touch(unit)

    def _touch(self, unit) -> None:
        """Something changed in the unit: it and every unit above it must be looked at again."""
        while unit >= 0:
            self.stamp[unit] += 1
            if not self._queued[unit]:
                self._queued[unit] = True
                heapq.heappush(self._queue, self._priority[unit])
            unit = self.parent[unit]

    def _learn(self, unit, w, source) -> None:
        self.aug[unit] = (*self.aug[unit], w)
        self._touch(unit)
        self.sources.setdefault(unit, []).append(source)

    def _remembered(self, kind, key, compute):
        memo = self._memo[kind]
        found = memo.get(key)
        if found is None:
            found = memo[key] = compute()
        return found

    def _masks_of(self, columns) -> tuple:
        return self._remembered(
            "visible", columns, lambda: tuple(m for c, m in enumerate(self.masks) if columns >> c & 1)
        )

    def _span(self, unit) -> tuple:
        """What the unit gives away: its visible columns and the sums it learnt."""
        return self._masks_of(self.all_columns & ~self.hidden[unit]) + self.aug[unit]

    def _span_of(self, columns, nonzero) -> int:
        """The unions over `nonzero` that the figures in `columns` determine (a set of unions)."""
        return self._remembered(
            "span", (columns, nonzero), lambda: _span_bits(self._masks_of(columns), nonzero, self.width)
        )

    def _gives(self, columns, nonzero, w) -> bool:
        """Whether the figures in `columns` of a unit with categories `nonzero` determine its w-sum."""
        if self.independent:  # many categories, and only single ones asked: no need for whole spans
            return in_span(w & nonzero, self._masks_of(columns), ~nonzero & self.full, self.width)
        return bool(self._span_of(columns, nonzero) >> (w & nonzero) & 1)

    def _determined(self, unit, own_only=False) -> int:
        """The unions whose sums the unit's figures (and, unless `own_only`, what it learnt) give."""
        nonzero = self.agg_nz[unit]
        if own_only or not self.aug[unit]:
            return self._span_of(self.all_columns & ~self.hidden[unit], nonzero)
        return _span_bits(self._span(unit), nonzero, self.width)

    def run(self) -> list:
        """Settle units deepest first; a change re-queues the unit it touches and all above it, so
        every unit is finally judged with everything below it settled."""
        queue, n = self._queue, len(self.tree.order)
        while queue:
            unit = heapq.heappop(queue) % n
            self._queued[unit] = False
            self._settle(unit)
        return self.hidden

    def protect(self) -> list:
        """Apply the rules, then check the result against the attacker himself and repair what he
        pins, applying the rules again, until he pins nothing. Every round hides at least one more
        figure, so it ends."""
        self.run()
        while leaks := (attacker := _Attacker(self)).leaks():
            cells = {attacker.repair(leak) for leak in leaks} - {None}
            if not cells:
                cells = {cell for _, unit, _ in leaks for cell in self._cells_around(unit)}
                if not cells:
                    break  # only fixed figures are left to give anything away
            self._hide(cells)
            self.run()
        return self.hidden

    def _cells_around(self, unit) -> list:
        """The last resort: every figure that is neither hidden nor fixed in the subtree of the unit
        or, if there is none, of the nearest unit above it that has one."""
        while unit >= 0:
            cells = [
                (u, c)
                for u in self._subtree(unit)
                for c in _bits(self.all_columns & ~self.hidden[u] & ~self.fixed[u])
            ]
            if cells:
                return cells
            unit = self.parent[unit]
        return []

    def _settle(self, unit) -> None:
        self._settle_row(unit)
        if not self.agg_nz[unit] or (not self.children[unit] and not self.aug[unit]):
            return  # a leaf that learnt nothing from outside is settled by its row
        for _ in range(len(self.masks) * (len(self.tree.order) + 1)):
            found, grew = self._zones_of(unit)
            if not found and not grew:
                found = self._recovered_repairs(unit)
            found = {(u, c) for u, c in found if not self.hidden[u] >> c & 1}
            if not found and not grew:
                return
            self._hide(found)
            self._settle_row(unit)

    # rule 2 ------------------------------------------------------------------------------------------
    def _settle_row(self, unit) -> None:
        """Rule 2 on the unit's row. The outcome depends only on the row's own state (counts capped
        at k, which columns are hidden or fixed, whether it learnt anything), so it is remembered by
        that state: most units share the few states their small counts allow."""
        hidden = self.hidden[unit]
        state = (self.row_key[unit], self.agg_nz[unit], hidden, self.fixed[unit], bool(self.aug[unit]))
        settled = self._remembered("row", state, lambda: self._settled_row(unit, hidden))
        if settled != hidden:
            self.hidden[unit] = settled
            self._touch(unit)

    def _settled_row(self, unit, hidden) -> int:
        visible = self.all_columns & ~hidden
        if not visible & (visible - 1) and not self.aug[unit]:
            return hidden  # one figure (at least k) or none: nothing to combine
        if not self.independent:
            return self._settled_counts_row(unit, hidden)
        problem = self._row_problem(unit, self._masks_of(visible), hidden)
        while problem is not None:
            column = self._row_repair(unit, visible, hidden, problem)
            if column is None:
                return hidden
            hidden, visible = hidden | 1 << column, visible & ~(1 << column)
            problem = self._row_problem(unit, self._masks_of(visible), hidden)
        return hidden

    def _settled_counts_row(self, unit, hidden) -> int:
        """`_settled_row` for columns that sum categories, over sets of unions: `spans(columns)` is
        what the figures in those columns give away."""
        spans = self._spans_table(self.agg_nz[unit])
        visible = self.all_columns & ~hidden
        while (problem := self._counts_row_problem(unit, spans(visible), hidden)) is not None:
            column = self._counts_row_repair(unit, spans, visible, problem)
            if column is None:
                return hidden
            hidden, visible = hidden | 1 << column, visible & ~(1 << column)
        return hidden

    def _counts_row_problem(self, unit, determined, hidden) -> int | None:
        """The largest union of 1..k-1 that `determined` contains, else the first hidden non-zero
        figure it contains."""
        small = self._remembered("small", self.row_key[unit], lambda: self._small(unit))
        if determined & small:
            return (determined & small).bit_length() - 1
        nonzero = self.agg_nz[unit]
        for c in _bits(hidden & ~self.zero[unit]):
            target = self.masks[c] & nonzero
            if determined >> target & 1:
                return target
        return None

    def _counts_row_repair(self, unit, spans, visible, target) -> int | None:
        """The least valuable movable column whose hiding stops `target` being given away, else the
        least valuable movable one; movable: not fixed, and not computable from the rest of its row."""
        nonzero, fixed, zero = self.agg_nz[unit], self.fixed[unit], self.zero[unit]
        first = None
        for c in self._by_sacrifice:
            bit = 1 << c
            if not visible & bit or fixed & bit:
                continue
            without = spans(visible & ~bit)
            if not zero & bit and without >> (self.masks[c] & nonzero) & 1:
                continue
            if not without >> target & 1:
                return c
            first = c if first is None else first
        return first

    def _spans_table(self, nonzero):
        """columns -> the unions over `nonzero` their figures give away, as a list lookup."""
        table = self._memo["spans"].get(nonzero)
        if table is None:
            table = [
                _span_bits(self._masks_of(columns), nonzero, self.width)
                for columns in range(self.all_columns + 1)
            ]
            self._memo["spans"][nonzero] = table
        return table.__getitem__

    def _row_problem(self, unit, gens, hidden) -> int | None:
        """A union whose small size, or a hidden figure's union that, the figures `gens` give away."""
        if self.independent:
            return self._independent_row_problem(unit, gens, hidden)
        return self._counts_row_problem(unit, _span_bits(gens, self.agg_nz[unit], self.width), hidden)

    def _small(self, unit) -> int:
        return _small_unions(self.row_key[unit], self.k)

    def _independent_row_problem(self, unit, gens, hidden) -> int | None:
        """Columns of separate populations: a figure is known only when it is shown or learnt."""
        agg, values = self.agg[unit], self.values[unit]
        for w in gens:
            if 0 < _sum(agg, w) < self.k:
                return w
        for c in _bits(hidden):
            if values[c] and self.masks[c] in gens:
                return self.masks[c]
        return None

    def _row_repair(self, unit, visible, hidden, target) -> int | None:
        """The least valuable visible column whose hiding stops `target` being known (else the least
        valuable that may go at all)."""
        candidates = sorted((self.sacrifice[c], c) for c in _bits(visible) if self._movable(unit, c, hidden))
        nonzero = self.agg_nz[unit]
        for _, c in candidates:
            if not self._gives(visible & ~(1 << c), nonzero, target):
                return c
        return candidates[0][1] if candidates else None

    def _movable(self, unit, column, hidden) -> bool:
        """Whether hiding the cell is allowed and does not leave it computable from its own row."""
        if (self.fixed[unit] | hidden) >> column & 1:
            return False
        if self.independent or self.zero[unit] >> column & 1:
            return True
        others = self.all_columns & ~hidden & ~(1 << column)
        return not self._gives(others, self.agg_nz[unit], self.masks[column])

    # rule 3 ------------------------------------------------------------------------------------------
    # A unit g whose visible figures determine the sums over its subtree for the categories in w (a 0/1
    # vector in the span of its visible columns) gives away, after subtracting every descendant d whose
    # own figures determine w as well, the w-sum over its "zone": its own direct members and those of
    # the descendants in between. That sum must be 0 or at least k; and if all the non-empty units of
    # the zone lie below one unit x of it, x's w-sum is known too, so x's row is checked with w added.
    def _zones_of(self, g):
        found, grew = set(), False
        if not self.children[g]:
            # A leaf's zone is the leaf: its row rule (with anything learnt) already covers it.
            return found, grew
        ws = self._unions_to_check(g)
        walk = self._zone_walk(g, ws)
        for w in ws:
            zone = walk.zone(w)
            problem, pinned = self._zone_check(g, w, zone, zone.sum(w) + _sum(self.own[g], w))
            if problem and g in self.sources and not self._spans_determine(g, w, own_only=True):
                source, source_w, source_frontier = self.sources[g][0]
                problem = self._zone_repair(source, source_w, source_frontier, self._subtree(g))
            found |= problem
            for x in pinned:
                if not self._determines(x, w):
                    self._learn(x, w, (g, w, zone.frontier))
                    grew = True
        return found, grew

    def _unions_to_check(self, g) -> tuple:
        if self.independent:  # separate populations: no sums across columns mean anything
            return tuple(m for m in self._span(g) if m & self.agg_nz[g])
        return determined_unions(self._span(g), self.agg_nz[g], self.width)

    def _zone_walk(self, g, ws) -> "_Walk":
        """For every w at once, in one walk down from g: each unit reached with the unions whose
        zone it is in (inside) and those whose frontier it is on (edge)."""
        visited, everything = [], _as_bits(ws)
        stack = [(child, everything) for child in self.children[g]]
        while stack:
            unit, open_ws = stack.pop()
            inside = self._inside(unit, open_ws)
            visited.append((unit, inside, open_ws & ~inside))
            if inside:
                stack.extend((child, inside) for child in self.children[unit])
        return _Walk(self, g, ws, visited)

    def _inside(self, unit, open_ws) -> int:
        """The unions of `open_ws` whose sums over the unit's subtree are not known."""
        known, nonzero = self._known_set(unit), self.agg_nz[unit]
        if known is None:
            return 0
        if nonzero == self.full:
            return open_ws & ~known
        if self.single_categories:  # w & nonzero is w or 0, and 0 is always known
            within = self._remembered("within", nonzero, lambda: _as_bits(1 << i for i in _bits(nonzero)))
            return open_ws & ~known & within
        return _as_bits(w for w in _descending(open_ws) if not known >> (w & nonzero) & 1)

    def _zone_check(self, g, w, zone, value):
        if 0 < value < self.k:
            return self._zone_repair(g, w, zone.frontier), ()
        nonempty = zone.nonempty(w)
        if self.own_nz[g] & w or not nonempty:
            return set(), ()
        split = set() if self.independent else self._split_problem(g, w, zone)
        if split:
            return split, ()
        return set(), zone.common_above(nonempty)

    def _split_problem(self, g, w, zone) -> set:
        """g has no direct members, so its zone's w-sum is shared by the zone's non-empty units. If each
        of the topmost of them also gives away a part v of w (its v-sum, with the visible units below
        it knowing v as well), the zone's v and w - v sums are known too: both must be 0 or >= k.
        Returns the repairs for the first split that fails (largest v first), else an empty set."""
        tops, known = zone.knowledge()
        parts = _subsets(w) if known is None else known & _subsets(w)
        for v in _descending(parts & ~(1 | 1 << w)):
            if 0 < zone.sum(v) < self.k or 0 < zone.sum(w & ~v) < self.k:
                options = [b for top in tops for b in self._breakers(top, v)]
                return {min(options)[1:]} if options else self._zone_repair(g, w, zone.frontier)
        return set()

    def _split_knowledge(self, g, zone, frontier, nonempty):
        """The topmost non-empty units of a zone, and the parts every one of them gives away."""
        if all(self.parent[d] == g for d in zone) and all(self.parent[f] == g for f in frontier):
            return nonempty, self._known_by_all(nonempty)  # each is topmost, no frontier below one
        top_above = self._topmost_above(g, set(zone))
        tops = [d for d in nonempty if top_above(d) is None]
        known_of = {top: self._known_set(top) for top in tops}
        for f in frontier:  # a top gives a part away only if the visible units below it do too
            top = top_above(f)
            if known_of.get(top) is not None:
                f_known = self._known_set(f)
                if f_known is not None:
                    known_of[top] &= f_known
        return tops, _common(known_of.values())

    def _topmost_above(self, g, members):
        """unit -> the highest non-empty zone unit strictly above it and below g, or None."""
        highest = {}

        def top_above(unit):
            parent = self.parent[unit]
            if parent < 0 or parent == g:
                return None
            if parent not in highest:
                above = top_above(parent)
                if above is None and parent in members and self.own_nz[parent]:
                    above = parent
                highest[parent] = above
            return highest[parent]

        return top_above

    def _common_above(self, g, units) -> list:
        """The units below g that are `units` or above each of them, top-down."""
        common = None
        for unit in units:
            above = set()
            while unit != g:
                above.add(unit)
                unit = self.parent[unit]
            common = above if common is None else common & above
            if not common:
                return []
        return sorted(common)

    def _recovered_repairs(self, x) -> set:
        """Repairs for a unit whose hidden figures (or small groups) became known from outside it."""
        if self.aug[x] and self._row_problem(x, self._span(x), self.hidden[x]) is not None:
            for g, w, frontier in self.sources[x]:
                found = self._zone_repair(g, w, frontier, self._subtree(x))
                if any(not self.hidden[u] >> c & 1 for u, c in found):
                    return found
        for c in _bits(self.hidden[x]):
            if self.values[x][c] and self._determines(x, self.masks[c]):
                found = self._break_below(x, self.masks[c])
                if found:
                    return found
        return set()

    def _break_below(self, unit, w) -> set:
        """Hide a figure below `unit`, which has no direct members, so that its children no longer
        add up to its hidden w-sum."""
        candidates = []
        for child in self.children[unit]:
            if self._spans_determine(child, w):
                candidates += self._breakers(child, w)
        if candidates:
            return {min(candidates)[1:]}
        for child in self.children[unit]:
            found = self._break_below(child, w)
            if found:
                return found
        return set()

    def _spans_determine(self, unit, w, own_only=False) -> bool:
        nonzero = self.agg_nz[unit]
        if self.independent:
            spans = self._masks_of(self.all_columns & ~self.hidden[unit]) if own_only else self._span(unit)
            return not w & nonzero or w & nonzero in spans
        return bool(self._determined(unit, own_only) >> (w & nonzero) & 1)

    def _determines(self, unit, w) -> bool:
        known = self._known_set(unit)
        return known is None or bool(known >> (w & self.agg_nz[unit]) & 1)

    def _known_set(self, unit):
        """The w whose sums over the unit's subtree are known (None: all, the subtree being empty):
        from its own or learnt figures, or, for a unit without direct members, from its children."""
        stamp, known = self._known[unit]
        if stamp == self.stamp[unit]:
            return known
        nonzero = self.agg_nz[unit]
        if not nonzero:
            known = None
        elif self.independent:
            known = _as_bits((0, *self._span(unit)))
        else:
            known = self._determined(unit)
            if self.children[unit] and not self.own_nz[unit]:
                known |= self._known_by_all_children(unit, nonzero)
        self._known[unit] = (self.stamp[unit], known)
        return known

    def _known_by_all_children(self, unit, nonzero) -> int:
        common = self._known_by_all(self.children[unit])
        return _subsets(nonzero) if common is None else common

    def _known_by_all(self, units):
        """The w whose sums every one of `units` gives (None: no unit has members)."""
        return _common(self._known_set(unit) for unit in units)

    def _zone_repair(self, g, w, frontier, exclude=range(0)) -> set:
        candidates = []
        for d in frontier:
            if d not in exclude:
                candidates += self._breakers(d, w)
        return {min(candidates)[1:]} if candidates else self._break(g, w)

    def _breakers(self, unit, w) -> list:
        """Cells of `unit` whose hiding stops its visible figures from determining w, as
        (figure, unit, column): a minimum is the smallest figure, then the unit highest up."""
        hidden = self.hidden[unit]
        state = (self.agg_nz[unit], hidden, self.fixed[unit], self.zero[unit], w)
        columns = self._remembered("breakers", state, lambda: self._breaker_columns(unit, hidden, w))
        values = self.values[unit]
        return [(values[c], unit, c) for c in columns]

    def _breaker_columns(self, unit, hidden, w) -> tuple:
        visible, nonzero = self.all_columns & ~hidden, self.agg_nz[unit]
        return tuple(
            c
            for c in _bits(visible)
            if self._movable(unit, c, hidden) and not self._gives(visible & ~(1 << c), nonzero, w)
        )

    def _break(self, unit, w) -> set:
        candidates = [(self.sacrifice[c], value, u, c) for value, u, c in self._breakers(unit, w)]
        return {min(candidates)[2:]} if candidates else set()

    def _subtree(self, unit) -> range:
        return range(unit, self.tree.end[unit])


class _Walk:
    """One walk down from g for all the unions ws. A w's frontier (the units reached that know their
    w-sum) decides which units are reached for it and so its zone: every w with the same frontier
    shares one `_Zone`. Frontiers are few units where zones are many, so they are collected."""

    def __init__(self, engine: _Engine, g, ws, visited: list):
        self.engine, self.g, self.visited = engine, g, visited
        self.frontiers = {w: [] for w in ws}
        for unit, _, edge in visited:
            for w in _descending(edge):
                self.frontiers[w].append(unit)
        self.zones = {}

    def zone(self, w) -> "_Zone":
        frontier = self.frontiers[w]
        key = tuple(frontier)
        zone = self.zones.get(key)
        if zone is None:
            units = [u for u, inside, _ in self.visited if inside >> w & 1]
            zone = self.zones[key] = _Zone(self.engine, self.g, units, frontier)
        return zone


class _Zone:
    """The units of one zone below g and its frontier, with what follows from them alone (the
    knowledge of its topmost units is recomputed whenever something below g changes)."""

    def __init__(self, engine: _Engine, g, units: list, frontier: list):
        self.engine, self.g, self.units, self.frontier = engine, g, units, frontier
        own = engine.own
        self.totals = _add(own[u] for u in units) if units else [0] * engine.width  # own counts
        self._nonempty, self._common, self._knowledge = None, None, (-1, None)

    def sum(self, w) -> int:
        """The w-sum over the zone's units' direct members."""
        return _sum(self.totals, w)

    def nonempty(self, w) -> list:
        """The zone's units with direct members in w."""
        own_nz = self.engine.own_nz
        if self.engine.independent:
            return [d for d in self.units if own_nz[d] & w]
        if self._nonempty is None:  # a unit's members are in all categories or none
            self._nonempty = [d for d in self.units if own_nz[d]]
        return self._nonempty

    def common_above(self, nonempty) -> list:
        if self.engine.independent:
            return self.engine._common_above(self.g, nonempty)
        if self._common is None:
            self._common = self.engine._common_above(self.g, nonempty)
        return self._common

    def knowledge(self):
        stamp, found = self._knowledge
        if stamp != self.engine.stamp[self.g]:
            nonempty = self.nonempty(self.engine.full)
            found = self.engine._split_knowledge(self.g, self.units, self.frontier, nonempty)
            self._knowledge = (self.engine.stamp[self.g], found)
        return found


# --- the attacker, exactly --------------------------------------------------------------------------
# The rules above are local: they judge a unit by its row, its zones and what it learnt, and a repair
# made later can leave an earlier judgement resting on figures that are hidden by then. So once they
# all hold, the table is checked against the attacker of the guarantee himself, computed exactly, and
# whatever he can pin is repaired (the rules are then applied again) until he pins nothing.
#
# What he knows about a subtree is a linear space. The figures that keep a unit's w-sum secret are
# those with a kernel element z (all visible figures of z are 0) whose w-sum over the unit's subtree
# is not 0; so the unit's known space is the annihilator of the values Z(u) (z summed over the
# subtree) that the kernel allows. Z(u) = z(own members of u) + sum of Z(children), and Z(u) must be
# orthogonal to the unit's visible columns V(u). One pass up gives B(u), the Z(u) its subtree allows,
# and one pass down L(u), those the whole tree allows (the parent's L, its own members and the
# siblings' B make room for it). Over annihilators, with E(u) the categories known to be empty in u:
#     below(u) = V(u) + (E(u) & below(child 1) & below(child 2) ...)
#     known(c) = below(c) + (known(parent) & E(parent) & below(every sibling of c))
# For one union w, the units knowing their w-sum split the tree into zones (a known unit minus the
# nearest known units below it); every group of people in w the attacker pins is a union of zones, so
# it suffices that every zone's w-sum is 0 or at least k and that no hidden figure other than 0 is
# known. Columns of separate populations need only coordinate spaces (a mask of categories).


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


# --- the result --------------------------------------------------------------------------------------
# Views over the engine's rows rather than dicts of every cell: a table has up to 60,000 cells and a
# request reads a few dozen of them.


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
