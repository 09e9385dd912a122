"""Rule 2, the row: the visible figures of one unit must not let anyone compute the size of a group
of 1..k-1 nor a hidden figure other than 0. Also which of a unit's cells may go, and which stop it
giving a union away (`_breakers`), as the other rules repair with them."""

from reports.suppression.bitsets import _bits, _small_unions, _sum
from reports.suppression.span import _span_bits


class _RowRule:
    """Rule 2 for `_Engine`, whose state (rows, hidden columns, memo) it reads and changes."""

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
