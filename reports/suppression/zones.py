"""The zones of rule 3 (see `zone_rule`): one walk down from a unit for all its unions at once, and
the zones that walk finds."""

from typing import TYPE_CHECKING

from reports.suppression.bitsets import _add, _descending, _sum

if TYPE_CHECKING:
    from reports.suppression.engine import _Engine


class _Walk:
    """One walk down from g for all the unions ws. A w's frontier (the units reached that know their
    w-sum) decides which units are reached for it and so its zone: every w with the same frontier
    shares one `_Zone`. Frontiers are few units where zones are many, so they are collected."""

    def __init__(self, engine: "_Engine", g, ws, visited: list):
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

    def __init__(self, engine: "_Engine", g, units: list, frontier: list):
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
