"""Nested tables (see the package's docstring): the chain's columns chosen and refined, a population's
categories split off its total one at a time; each level drawn by the zone rule (`zones`)."""

import itertools
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass

import numpy as np

from reports.suppression.zones import could_show, shown_units
from reports.unit_tree import Key, Tree


@dataclass(frozen=True)
class ChainChoice:
    """The columns of a chain table that a cycle shows, and the units that show them."""

    columns: tuple[str, ...]
    shown: frozenset


def choose_columns(
    tree: Tree,
    levels: Mapping[Key, Sequence[int]],
    k: int,
    *,
    columns: Sequence[str],
    weights: Mapping[str, int],
    present_from: int | None = None,
) -> ChainChoice:
    """The columns of a chain (column i counts the people at level i+1 or higher; `levels` gives each
    unit's direct members per level 0..len(columns)) that show the most: every subset is tried, its
    categories being the levels merged between the chosen thresholds, and the one that shows the
    largest weight (the weights of its columns times the units that show them) wins, the one with
    more columns on a tie. Heads are the levels' sums. Subsets are tried in the order of what they
    could show at most (the units that pass alone or have no direct members, see `_candidates` and
    `_settled`), and the search stops when that bound cannot beat the best found: the same score as
    trying them all. `present_from`: the first level other tables can tell is somewhere (see
    `shown_units`)."""
    levels = tree.array(levels)
    heads = levels.sum(axis=1)
    subtrees, everyone = tree.subtree_sums(levels), tree.subtree_sums(heads)
    choices = []
    for size in range(1, len(columns) + 1):
        for chosen in itertools.combinations(range(len(columns)), size):
            weight = sum(weights[columns[i]] for i in chosen)
            # at most the units whose subtree passes on its own (see `_candidates`) and those without
            # direct members (shown when their part is left empty, see `_settled`) can show
            passing = _merged(subtrees, chosen).min(axis=1) >= k
            could = int(((everyone > 0) & (passing | (heads == 0))).sum())
            choices.append(((weight * could, size), weight, chosen))
    best, best_score = ChainChoice((), frozenset()), (0, 0)
    for bound, weight, chosen in sorted(choices, reverse=True):
        if bound <= best_score:
            break  # neither this choice nor any after it can show more
        present = _present_category(chosen, present_from)
        shown = shown_units(tree, _merged(levels, chosen), heads, k, people=True, present_from=present)
        score = (weight * len(shown), len(chosen))
        if score > best_score:
            best, best_score = ChainChoice(tuple(columns[i] for i in chosen), shown), score
    return best


def refine_columns(
    tree: Tree,
    levels: Mapping[Key, Sequence[int]],
    k: int,
    *,
    columns: Sequence[str],
    weights: Mapping[str, int],
    present_from: int | None = None,
) -> dict[str, frozenset]:
    """Per column of a chain, the units that show it: the columns `choose_columns` picks, shown where
    it says; then, one at a time, another column, within the units that show the columns before it
    (nested tables, as in `refine`: its categories split one of theirs), the one that shows the largest
    weight, until none shows anything. `present_from` as for `choose_columns`."""
    choice = choose_columns(tree, levels, k, columns=columns, weights=weights, present_from=present_from)
    shown = {column: choice.shown if column in choice.columns else frozenset() for column in columns}
    levels = tree.array(levels)
    heads = levels.sum(axis=1)
    chosen, units = [columns.index(column) for column in choice.columns], choice.shown
    while units:
        options = [
            (weights[columns[i]], _merged(levels, thresholds), i, _present_category(thresholds, present_from))
            for i in range(len(columns))
            if i not in chosen
            for thresholds in [sorted([*chosen, i])]
        ]
        best = _best(tree, options, heads, k, people=True, eligible=units)
        if best is None:
            break
        i, units = best
        chosen.append(i)
        shown[columns[i]] = units
    return shown


def _best(tree: Tree, options: list, heads: np.ndarray, k: int, *, people: bool, eligible: frozenset):
    """Of nested tables (weight, counts, what it is, `present_from`) within the units `eligible`, the
    one that shows the largest weight times units, as (what it is, units); None if none shows any.
    Tried in the order of what each could show at most (as in `choose_columns`) until that cannot beat
    the best found."""
    bounds = []
    for n, (weight, counts, what, present) in enumerate(options):
        could = could_show(tree, counts, heads, k, people=people, eligible=eligible)
        bounds.append((weight * could, -n, weight, counts, what, present))
    best, best_score = None, 0
    for bound, _, weight, counts, what, present in sorted(bounds, key=lambda b: b[:2], reverse=True):
        if bound <= best_score:
            break
        shown = shown_units(tree, counts, heads, k, people=people, eligible=eligible, present_from=present)
        if weight * len(shown) > best_score:
            best, best_score = (what, shown), weight * len(shown)
    return best


def _present_category(thresholds: Sequence[int], present_from: int | None) -> int | None:
    """The first of the merged categories (see `_merged`) that holds every level from `present_from`
    on, if a column does (None: no column counts them all)."""
    if present_from is None:
        return None
    below = sum(1 for t in thresholds if t < present_from)
    return below or None


def _merged(levels: np.ndarray, thresholds: Sequence[int]) -> np.ndarray:
    """Counts per level (one row per unit) merged into the categories between thresholds (column i:
    level > i)."""
    return np.add.reduceat(levels, [0, *(t + 1 for t in thresholds)], axis=1)


@dataclass(frozen=True)
class Refinement:
    """Nested tables over one population (see `refine`): `partitions[i]` groups the categories (tuples
    of category numbers), each partition splitting groups of the one before; `shown[i]`, the units
    that show level i's groups, lies within `shown[i - 1]`."""

    partitions: tuple[tuple[tuple[int, ...], ...], ...]
    shown: tuple[frozenset, ...]

    @property
    def whole(self) -> frozenset:
        """The units that show the population's total (level 0: all categories as one group)."""
        return self.shown[0] if self.shown else frozenset()

    def alone(self, category: int) -> frozenset:
        """The units that show `category` on its own: the first level where it is a group alone."""
        for partition, shown in zip(self.partitions, self.shown, strict=True):
            if (category,) in partition:
                return shown
        return frozenset()


def refine(
    tree: Tree,
    own: Mapping[Key, Sequence[int]] | np.ndarray,
    heads: Mapping[Key, int] | np.ndarray,
    k: int,
    *,
    people: bool,
    eligible: Set[Key] | None = None,
) -> Refinement:
    """Nested tables over one population whose categories partition it (goals by status): first the
    total as one table; then, level by level, a table whose groups split one group of the level
    before in two, shown only within the units that show the level before (`eligible`), so each of
    its zones is a union of the zones before it (see the package's docstring). Each split leaves one
    category alone, and the split chosen shows it (the new categories alone, times the units) in the
    most units; it stops when no split shows anything. A unit shows the total where level 0 does and
    a category where the first level that has it alone does."""
    own, heads = tree.array(own), tree.array(heads)
    own = own if own.ndim == 2 else own.reshape(-1, 1)
    partition = (tuple(range(own.shape[1])),)
    shown = shown_units(tree, own.sum(axis=1), heads, k, people=people, eligible=eligible)
    partitions, levels = [partition], [shown]
    while shown:
        options = [
            (len(_alone(candidate) - _alone(partition)), _grouped(own, candidate), candidate, None)
            for candidate in _splits(partition)
        ]
        best = _best(tree, options, heads, k, people=people, eligible=shown)
        if best is None:
            break
        partition, shown = best
        partitions.append(partition)
        levels.append(shown)
    return Refinement(tuple(partitions), tuple(levels))


def _splits(partition: tuple) -> list[tuple]:
    """The partitions that split one group of `partition` into one category and the rest."""
    found = []
    for i, group in enumerate(partition):
        if len(group) < 2:
            continue
        for category in group:
            rest = tuple(c for c in group if c != category)
            if len(group) == 2 and category != group[0]:
                continue  # the same split as the first category's
            found.append((*partition[:i], (category,), rest, *partition[i + 1 :]))
    return found


def _alone(partition: tuple) -> set:
    return {group[0] for group in partition if len(group) == 1}


def _grouped(own: np.ndarray, partition: tuple) -> np.ndarray:
    """Counts per category (one row per unit) summed into the partition's groups."""
    return np.column_stack([own[:, list(group)].sum(axis=1) for group in partition])
