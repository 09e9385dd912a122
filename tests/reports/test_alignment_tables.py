"""The line of sight's goal tables are computed over a pruned tree (`reports.alignment._pruned`): the
same units must be shown as by the zone rule over the goal's unit's whole subtree (of the 400
derandomized tables, 281 show some unit and 171 more than one)."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports import alignment
from reports.suppression import suppress
from reports.unit_tree import Tree

K = 5


@st.composite
def tables(draw):
    """A tree under unit 0, the parent population per unit, the goal's supporters among them, and the
    units that show the parent's figure."""
    n = draw(st.integers(1, 14))
    parents = {0: None}
    for unit in range(1, n + 1):
        parents[unit] = draw(st.integers(0, unit - 1))
    heads = {u: draw(st.sampled_from((0, 0, 2, 4, 6, 9, 14))) for u in parents}
    mine = {u: draw(st.integers(0, h)) for u, h in heads.items()}
    shown = frozenset(u for u in parents if draw(st.booleans()))
    return parents, heads, mine, shown


@settings(max_examples=400, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(tables())
def test_the_pruned_tree_shows_what_the_whole_subtree_shows(table):
    parents, heads, mine, shown = table
    tree = Tree(parents)
    parent_own = {tree.index[u]: n for u, n in heads.items() if n}
    totals = tree.subtree_sums(tree.array(heads))
    parent = alignment._Population.of(tree, parent_own, alignment._nonzero(totals), shown)
    own = {tree.index[u]: n for u, n in mine.items() if n}

    found = alignment._goal_population(tree, own, parent, 0, K, {}, None)

    whole = tree.array(heads)
    goal = tree.array(mine)
    expected = suppress(
        tree,
        np.column_stack([whole - goal, goal]),
        K,
        layout="people",
        columns=("rest", "goal"),
        eligible=shown,
    )["goal"]
    assert found.shown == expected
