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

The guarantee
-------------
Against someone who sees every visible figure of a table, for every unit at once (so every answer the
API gives for one cycle), and who moreover knows which atoms are empty: no linear combination of those
figures determines a hidden figure that is not 0, or the size of any group (union of atoms) of 1..k-1.
`tests/reports/test_suppression.py` checks exactly this with exact linear algebra over random trees,
also for two cycles that share "employees in scope" (the previous-cycle comparison).
Not covered: bounds that need inequalities (an attacker may learn that a hidden figure lies in a range
such as 0..7, never that it is exactly some 1..k-1), and hidden zeros, which may be recoverable as zero.
"""

import heapq
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

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
    hidden: frozenset[tuple[Key, str]]

    def figure(self, unit: Key, column: str) -> int | None:
        """The published figure: the count, or None when it is suppressed."""
        if (unit, column) in self.hidden:
            return None
        return self.values[(unit, column)]


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
    found = []
    sub = nonzero
    while sub:
        if in_span(sub, generators, ~nonzero & ((1 << width) - 1), width):
            found.append(sub)
        sub = (sub - 1) & nonzero
    return tuple(found)


# --- the algorithm ----------------------------------------------------------------------------------


class _Engine:
    def __init__(self, parents, lattice: Lattice, own, k: int, fixed):
        self.k = k
        self.width = len(lattice.categories)
        self.masks = lattice.masks
        self.names = lattice.column_names
        self.sacrifice = lattice.sacrifice_order
        self.full = (1 << self.width) - 1
        self.independent = lattice.independent
        self.parents = dict(parents)
        self.order = _top_down(self.parents)
        self.children = defaultdict(list)
        for unit in self.order:
            if self.parents[unit] is not None:
                self.children[self.parents[unit]].append(unit)
        zero = (0,) * self.width
        self.own = {u: tuple(own.get(u, zero)) for u in self.order}
        # What an outsider may know: which units have no direct members at all (an organisation chart
        # shows it). Which categories of a non-empty unit are empty is what the figures must not tell.
        # For separate populations (`independent`), each column's own emptiness is that knowledge.
        full = (1 << self.width) - 1
        if lattice.independent:
            self.own_nz = {u: _nonzero_mask(self.own[u]) for u in self.order}
        else:
            self.own_nz = {u: full if any(self.own[u]) else 0 for u in self.order}
        self.agg, self.agg_nz = self._roll_up()
        self.values = {
            (u, c): self._sum(self.agg[u], m) for u in self.order for c, m in enumerate(self.masks)
        }
        self.fixed = {(u, self.names.index(col)): hide for (u, col), hide in (fixed or {}).items()}
        self.hidden = {cell for cell, value in self.values.items() if value < k}
        self.hidden |= {cell for cell, hide in self.fixed.items() if hide}
        # Incremental bookkeeping: a unit's stamp changes whenever a figure in its subtree is hidden or
        # it learns a sum from outside, so results computed for an unchanged stamp stay valid.
        self._stamp = defaultdict(int)
        self._aug = defaultdict(tuple)
        self._sources = {}
        self._known = {}
        self._visible_cache = {}
        self._own_sums = {}
        self._splits = {}
        self._depth = {}
        for unit in self.order:
            parent = self.parents[unit]
            self._depth[unit] = 0 if parent is None else self._depth[parent] + 1
        self._ranks = {u: i for i, u in enumerate(self.order)}
        self._queue = [(-self._depth[u], self._ranks[u], u) for u in self.order]
        heapq.heapify(self._queue)
        self._queued = set(self.order)

    def _hide(self, cells) -> None:
        for cell in cells:
            if cell not in self.hidden:
                self.hidden.add(cell)
                self._touch(cell[0])

    def _touch(self, unit) -> None:
        """Something changed in the unit: it and every unit above it must be looked at again."""
        while unit is not None:
            self._stamp[unit] += 1
            if unit not in self._queued:
                self._queued.add(unit)
                heapq.heappush(self._queue, (-self._depth[unit], self._ranks[unit], unit))
            unit = self.parents[unit]

    def _span(self, unit) -> tuple:
        return self._visible_masks(unit) + self._aug[unit]

    def _roll_up(self):
        agg = {u: list(self.own[u]) for u in self.order}
        nz = dict(self.own_nz)
        for unit in reversed(self.order):
            parent = self.parents[unit]
            if parent is not None:
                agg[parent] = [a + b for a, b in zip(agg[parent], agg[unit], strict=True)]
                nz[parent] |= nz[unit]
        return {u: tuple(v) for u, v in agg.items()}, nz

    def run(self) -> set:
        """Settle units deepest first; a change re-queues the unit it touches and all above it, so
        every unit is finally judged with everything below it settled."""
        while self._queue:
            _, _, unit = heapq.heappop(self._queue)
            self._queued.discard(unit)
            self._settle(unit)
        return self.hidden

    def _settle(self, unit) -> None:
        self._settle_row(unit)
        if not self.agg_nz[unit] or (not self.children[unit] and not self._aug[unit]):
            return  # a leaf that learnt nothing from outside is settled by its row
        for _ in range(len(self.masks) * (len(self.order) + 1)):
            found, grew = self._zones_of(unit)
            if not found and not grew:
                found = self._recovered_repairs(unit)
            found -= self.hidden
            if not found and not grew:
                return
            self._hide(found)
            self._settle_row(unit)

    def _movable(self, cell) -> bool:
        """Whether hiding `cell` is allowed and does not leave it computable from its own row."""
        if cell in self.fixed or cell in self.hidden:
            return False
        if self.independent:
            return True
        unit, column = cell
        if self.values[cell] == 0:
            return True
        others = tuple(
            self.masks[c] for c in range(len(self.masks)) if c != column and (unit, c) not in self.hidden
        )
        nonzero = self.agg_nz[unit]
        free = ~nonzero & ((1 << self.width) - 1)
        return not in_span(self.masks[column] & nonzero, others, free, self.width)

    # rule 2 ------------------------------------------------------------------------------------------
    def _settle_row(self, unit) -> None:
        visible = tuple(c for c in range(len(self.masks)) if (unit, c) not in self.hidden)
        if len(visible) <= 1 and not self._aug[unit]:
            return  # one figure (at least k) or none: nothing to combine
        problem = self._row_problem(unit, visible)
        while problem is not None:
            found = self._row_repair(unit, visible, problem) - self.hidden
            if not found:
                return
            self._hide(found)
            visible = tuple(c for c in visible if (unit, c) not in found)
            problem = self._row_problem(unit, visible)

    def _row_problem(self, unit, visible, spans=None) -> int | None:
        nonzero = self.agg_nz[unit]
        gens = spans if spans is not None else tuple(self.masks[c] for c in visible)
        if self.independent:
            return self._independent_row_problem(unit, gens)
        for w in determined_unions(gens, nonzero, self.width):
            if 0 < self._sum(self.agg[unit], w) < self.k:
                return w
        for c in range(len(self.masks)):
            if (unit, c) in self.hidden and self.values[(unit, c)] != 0:
                target = self.masks[c] & nonzero
                if in_span(target, gens, ~nonzero & ((1 << self.width) - 1), self.width):
                    return target
        return None

    def _independent_row_problem(self, unit, gens) -> int | None:
        """Columns of separate populations: a figure is known only when it is shown or learnt."""
        for w in gens:
            if 0 < self._sum(self.agg[unit], w) < self.k:
                return w
        for c, mask in enumerate(self.masks):
            if (unit, c) in self.hidden and self.values[(unit, c)] and mask in gens:
                return mask
        return None

    def _row_repair(self, unit, visible, target) -> set:
        candidates = sorted(
            (self.sacrifice[c], self.values[(unit, c)], c) for c in visible if self._movable((unit, c))
        )
        free = ~self.agg_nz[unit] & ((1 << self.width) - 1)
        for *_, c in candidates:
            gens = tuple(self.masks[o] for o in visible if o != c)
            if not in_span(target, gens, free, self.width):
                return {(unit, c)}
        return {(unit, candidates[0][-1])} if candidates else set()

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
            problem, pinned = self._zone_check(g, w, *walk[w])
            if problem and g in self._sources and not self._spans_determine(g, w, own_only=True):
                source, source_w, frontier = self._sources[g][0]
                problem = self._zone_repair(source, source_w, frontier, self._subtree(g))
            found |= problem
            for x, frontier in pinned:
                if not self._determines(x, w):
                    self._aug[x] = (*self._aug[x], w)
                    self._touch(x)
                    self._sources.setdefault(x, []).append((g, w, frontier))
                    grew = True
        return found, grew

    def _recovered_repairs(self, x) -> set:
        """Repairs for a unit whose hidden figures (or small groups) became known from outside it."""
        if self._aug[x] and self._row_problem(x, None, spans=self._span(x)) is not None:
            for g, w, frontier in self._sources[x]:
                found = self._zone_repair(g, w, frontier, self._subtree(x))
                if found - self.hidden:
                    return found
        for c in range(len(self.masks)):
            cell = (x, c)
            if cell in self.hidden and self.values[cell] and self._determines(x, self.masks[c]):
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
            return {min(candidates)[2:]}
        for child in self.children[unit]:
            found = self._break_below(child, w)
            if found:
                return found
        return set()

    def _visible_masks(self, unit) -> tuple:
        cached = self._visible_cache.get(unit)
        stamp = self._stamp[unit]
        if cached is None or cached[0] != stamp:
            masks = tuple(self.masks[c] for c in range(len(self.masks)) if (unit, c) not in self.hidden)
            cached = self._visible_cache[unit] = (stamp, masks)
        return cached[1]

    def _spans_determine(self, unit, w, own_only=False) -> bool:
        nonzero = self.agg_nz[unit]
        spans = self._visible_masks(unit) if own_only else self._span(unit)
        if self.independent:
            return not w & nonzero or w & nonzero in spans
        return w & nonzero in _span_set(spans, nonzero, self.width)

    def _determines(self, unit, w) -> bool:
        known = self._known_set(unit)
        return known is None or w & self.agg_nz[unit] in known

    def _known_set(self, unit):
        """The w whose sums over the unit's subtree are known (None: all, the subtree being empty):
        from its own or learnt figures, or, for a unit without direct members, from its children."""
        stamp = self._stamp[unit]
        cached = self._known.get(unit)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        nonzero = self.agg_nz[unit]
        if not nonzero:
            known = None
        elif self.independent:
            known = frozenset((0, *self._span(unit)))
        else:
            known = _span_set(self._span(unit), nonzero, self.width)
            own = self.own_nz[unit]
            if self.children[unit] and (not own or self.independent):
                common = None
                for child in self.children[unit]:
                    child_known = self._known_set(child)
                    if child_known is not None:
                        common = child_known if common is None else common & child_known
                common = frozenset(_all_unions(nonzero)) if common is None else common
                known = known | frozenset(w for w in common if not w & own)
        self._known[unit] = (stamp, known)
        return known

    def _unions_to_check(self, g) -> tuple:
        if self.independent:  # separate populations: no sums across columns mean anything
            return tuple(m for m in self._span(g) if m & self.agg_nz[g])
        return determined_unions(self._span(g), self.agg_nz[g], self.width)

    def _zone_walk(self, g, ws) -> dict:
        """For every w at once, in one walk down from g: the zone members, the frontier and the sum."""
        zone = {w: [] for w in ws}
        frontier = {w: [] for w in ws}
        sums = defaultdict(lambda: [0] * self.width)  # per set of w a unit is inside of: own totals
        stack = [(child, frozenset(ws)) for child in self.children[g]]
        while stack:
            unit, open_ws = stack.pop()
            known, nonzero = self._known_set(unit), self.agg_nz[unit]
            if known is None:
                inside = frozenset()
            elif nonzero == self.full:
                inside = open_ws - known
            else:
                inside = frozenset(w for w in open_ws if w & nonzero not in known)
            for w in open_ws - inside:
                frontier[w].append(unit)
            if inside:
                for w in inside:
                    zone[w].append(unit)
                total = sums[inside]
                for i, x in enumerate(self.own[unit]):
                    total[i] += x
                stack.extend((child, inside) for child in self.children[unit])
        value = {w: self._own_sum(g, w) for w in ws}
        for inside, total in sums.items():
            for w in inside:
                value[w] += self._sum(total, w)
        return {w: (zone[w], frontier[w], value[w]) for w in ws}

    def _zone_check(self, g, w, zone, frontier, value):
        if 0 < value < self.k:
            return self._zone_repair(g, w, frontier, set()), []
        nonempty = [d for d in zone if self.own_nz[d] & w]
        if self.own_nz[g] & w or not nonempty:
            return set(), []
        split = set() if self.independent else self._split_problem(g, w, zone, frontier, nonempty)
        if split:
            return split, []
        common = None
        for unit in nonempty:
            above = set()
            while unit != g:
                above.add(unit)
                unit = self.parents[unit]
            common = above if common is None else common & above
        return set(), [(x, frontier) for x in sorted(common, key=self._rank)]

    def _split_problem(self, g, w, zone, frontier, nonempty) -> set:
        """g has no direct members, so its zone's w-sum is shared by the zone's non-empty units. If each
        of the topmost of them also gives away a part v of w (its v-sum, with the visible units below
        it knowing v as well), the zone's v and w - v sums are known too: both must be 0 or >= k.
        Returns the repairs for the first split that fails, else an empty set."""
        key = (g, self._stamp[g], tuple(zone), tuple(frontier))
        cached = self._splits.get(key)
        if cached is None:
            cached = self._splits[key] = self._split_knowledge(g, zone, frontier, nonempty)
        tops, known, totals = cached
        candidates = _all_unions(w) if known is None else [v for v in known if v & w == v]
        for v in candidates:
            if not v or v == w:
                continue
            for part in (v, w & ~v):
                if 0 < self._sum(totals, part) < self.k:
                    options = [b for top in tops for b in self._breakers(top, v)]
                    return {min(options)[2:]} if options else self._zone_repair(g, w, frontier, set())
        return set()

    def _split_knowledge(self, g, zone, frontier, nonempty):
        """The topmost non-empty units of a zone, the parts every one of them gives away, and the
        zone's own-member totals per category."""
        members, highest = set(zone), {}

        def top_above(unit):  # the highest non-empty zone unit strictly above `unit`, below g
            parent = self.parents[unit]
            if parent is None or parent == g:
                return None
            if parent not in highest:
                above = top_above(parent)
                highest[parent] = above or (parent if parent in members and self.own_nz[parent] else None)
            return highest[parent]

        tops = [d for d in nonempty if top_above(d) is None]
        known_of = {top: self._known_set(top) for top in tops}
        for f in frontier:
            top = top_above(f)
            if known_of.get(top) is not None:
                f_known = self._known_set(f)
                if f_known is not None:
                    known_of[top] = known_of[top] & f_known
        known = None
        for top_known in known_of.values():
            if top_known is not None:
                known = top_known if known is None else known & top_known
        totals = [0] * self.width
        for d in zone:
            totals = [a + b for a, b in zip(totals, self.own[d], strict=True)]
        return tops, known, totals

    def _above(self, unit, stop) -> list:
        """The units strictly between `unit` and `stop`, going up, `unit` excluded."""
        found, unit = [], self.parents[unit]
        while unit is not None and unit != stop:
            found.append(unit)
            unit = self.parents[unit]
        return found

    def _zone_repair(self, g, w, frontier, exclude) -> set:
        candidates = []
        for d in frontier:
            if d not in exclude:
                candidates += self._breakers(d, w)
        return {min(candidates)[2:]} if candidates else self._break(g, w)

    def _breakers(self, unit, w) -> list:
        """Cells of `unit` whose hiding stops its visible figures from determining w."""
        visible = [c for c in range(len(self.masks)) if (unit, c) not in self.hidden]
        nonzero = self.agg_nz[unit]
        free = ~nonzero & ((1 << self.width) - 1)
        found = []
        for c in visible:
            gens = tuple(self.masks[o] for o in visible if o != c)
            if self._movable((unit, c)) and not in_span(w & nonzero, gens, free, self.width):
                found.append((self.values[(unit, c)], self._rank(unit), unit, c))
        return found

    def _break(self, unit, w) -> set:
        candidates = [(self.sacrifice[c], value, u, c) for value, _, u, c in self._breakers(unit, w)]
        return {min(candidates)[2:]} if candidates else set()

    def _subtree(self, unit) -> set:
        found, stack = set(), [unit]
        while stack:
            current = stack.pop()
            found.add(current)
            stack.extend(self.children[current])
        return found

    def _rank(self, unit) -> int:
        return self._ranks[unit]

    def _own_sum(self, unit, w) -> int:
        key = (unit, w)
        value = self._own_sums.get(key)
        if value is None:
            value = self._own_sums[key] = self._sum(self.own[unit], w)
        return value

    @staticmethod
    def _sum(vector, mask) -> int:
        return sum(vector[i] for i in _bits(mask))


@lru_cache(maxsize=256)
def _all_unions(mask: int) -> tuple[int, ...]:
    found, sub = [0], mask
    while sub:
        found.append(sub)
        sub = (sub - 1) & mask
    return tuple(found)


def _span_set(generators: tuple[int, ...], nonzero: int, width: int) -> frozenset:
    """The 0/1 vectors over `nonzero` that the generators determine, 0 included."""
    return _span_set_cached(tuple(sorted({g & nonzero for g in generators} - {0})), nonzero, width)


@lru_cache(maxsize=65536)
def _span_set_cached(generators: tuple[int, ...], nonzero: int, width: int) -> frozenset:
    return frozenset((0, *_determined_unions(generators, nonzero, width)))


@lru_cache(maxsize=1024)
def _bits(mask: int) -> tuple[int, ...]:
    return tuple(i for i in range(mask.bit_length()) if mask >> i & 1)


def _nonzero_mask(vector) -> int:
    return sum(1 << i for i, v in enumerate(vector) if v)


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


def suppress(
    *,
    parents: Mapping[Key, Key | None],
    lattice: Lattice,
    own: Mapping[Key, Sequence[int]],
    k: int,
    fixed: Mapping[tuple[Key, str], bool] | None = None,
) -> SuppressedTable:
    """Apply the rules to one table.

    `parents` maps every unit to its parent (None for a root), `own` each unit to the counts of its
    direct members per category (missing: all zero), `fixed` cells to True (hidden) or False (visible,
    must be at least k). Returns the figures of every unit in every column and the hidden ones.
    """
    engine = _Engine(parents, lattice, own, k, fixed)
    hidden = engine.run()
    names = engine.names
    values = {(u, names[c]): v for (u, c), v in engine.values.items()}
    return SuppressedTable(columns=names, values=values, hidden=frozenset((u, names[c]) for u, c in hidden))
