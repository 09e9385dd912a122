"""`suppress`: the units that show each column of a table, by how its columns relate (its layout)."""

from collections.abc import Mapping, Sequence, Set
from typing import Literal

import numpy as np

from reports.suppression.nested import refine, refine_columns
from reports.suppression.zones import could_show, forget, shown_units
from reports.unit_tree import Key, Tree

Layout = Literal["people", "chain", "each", "partition"]


def suppress(
    tree: Tree,
    own: Mapping[Key, Sequence[int]] | np.ndarray,
    k: int,
    *,
    layout: Layout,
    columns: Sequence[str],
    heads: Mapping[Key, int] | np.ndarray | None = None,
    eligible: Set[Key] | None = None,
    weights: Mapping[str, int] | None = None,
    present_from: int | None = None,
) -> dict[str, frozenset]:
    """Per column of a table, the units that show it (the zone rule, see the package's docstring).

    `own`: per unit, its direct members' counts (a mapping, missing units none, or an array in the
    tree's numbering, `Tree.array`); `eligible`: the only units that may show anything (None: all).
    The layouts:
    - "people": one table over people, `own` their count in each category (the `columns`, which
      partition them; the heads are their sums); every column is shown in the same units.
    - "chain": people by level, `own` per level 0..len(columns) (column i counts level > i); the columns
      that show the most by `weights` are chosen, then the others added as nested tables where they
      can be. `present_from`: the first level other tables can tell is somewhere.
    - "each": every column counts a population of its own (goals of a kind, entries of a month) that
      the attacker cannot count; `heads`: the people in scope per unit.
    - "partition": the categories (`columns[1:]`) partition one such population whose total is
      `columns[0]`; nested tables (the total, then categories split off it) or one table per
      category, whichever shows more figures; `heads` as for "each".

    What the zone tables computed is remembered in this process by their counts (`suppress.forget`
    drops it, for benchmarks that time the work)."""
    if layout == "people":
        counts = tree.array(own)
        shown = shown_units(
            tree, counts, counts.sum(axis=1), k, people=True, eligible=eligible, present_from=present_from
        )
        return dict.fromkeys(columns, shown)
    if layout == "chain":
        return refine_columns(tree, own, k, columns=columns, weights=weights, present_from=present_from)
    if layout == "each":
        return _each(tree, own, heads, k, columns, eligible)
    if layout == "partition":
        return _partition(tree, own, heads, k, columns)
    raise ValueError(f"unknown layout: {layout}")


suppress.forget = forget  # as `functools.lru_cache` offers `cache_clear`


def _each(tree: Tree, own, heads, k: int, columns: Sequence[str], eligible) -> dict[str, frozenset]:
    values, heads = _arrays(tree, own, heads, len(columns))
    return {
        column: shown_units(tree, values[:, i], heads, k, people=False, eligible=eligible)
        for i, column in enumerate(columns)
    }


def _partition(tree: Tree, own, heads, k: int, columns: Sequence[str]) -> dict[str, frozenset]:
    """Nested tables (`nested.refine`), or one table per category with the total shown where all of
    them are (their sum, which then tells nothing more), whichever shows more figures (units times
    columns; the nested tables on a tie). The tables per category are not drawn when what they could
    show at most (`zones.could_show`) cannot beat the nested ones."""
    total, categories = columns[0], columns[1:]
    values, heads = _arrays(tree, own, heads, len(categories))
    refinement = refine(tree, values, heads, k, people=False)
    shown = {total: refinement.whole, **{c: refinement.alone(i) for i, c in enumerate(categories)}}
    could = [could_show(tree, values[:, i], heads, k, people=False) for i in range(values.shape[1])]
    if sum(could) + min(could) >= sum(map(len, shown.values())):
        single = _each(tree, values, heads, k, categories, None)
        single = {total: frozenset.intersection(*single.values()), **single}
        if sum(map(len, single.values())) >= sum(map(len, shown.values())):
            shown = single
    return shown


def _arrays(tree: Tree, own, heads, width: int) -> tuple[np.ndarray, np.ndarray]:
    """`own` as one row per unit and `width` columns (none given: zeros), `heads` as an array."""
    values = tree.array(own) if len(own) else np.zeros((len(tree), width), dtype=np.int64)
    return values.reshape(len(tree), -1), tree.array(heads)
