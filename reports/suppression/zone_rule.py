"""Rule 3, the zones.

A unit g whose visible figures determine the sums over its subtree for the categories in w (a 0/1
vector in the span of its visible columns) gives away, after subtracting every descendant d whose
own figures determine w as well, the w-sum over its "zone": its own direct members and those of
the descendants in between. That sum must be 0 or at least k; and if all the non-empty units of
the zone lie below one unit x of it, x's w-sum is known too, so x's row is checked with w added.
"""

from reports.suppression.bitsets import _as_bits, _bits, _common, _descending, _subsets, _sum
from reports.suppression.span import determined_unions
from reports.suppression.zones import _Walk


class _ZoneRule:
    """Rule 3 for `_Engine`, whose state (rows, hidden columns, what units learnt) it reads and
    changes."""

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
