"""The suppression rules on hand-made tables, and the guarantee checked on random ones.

The property tests play the attacker described in `reports.suppression`: every visible figure of every
unit (all that the API can return for a cycle, or for a cycle and the previous one, which share
"employees in scope"), plus which units have no direct members. With exact linear algebra over the
atoms (category counts of each unit's direct members) they check that no hidden figure other than 0 is
determined and that no group of people "these units x these outcomes" has a determined size of 1..k-1.
"""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports import statistics
from reports.suppression import Lattice, suppress
from tests.reports.statistics_helpers import PRIME, kernel_weights

K = 5
ONE = Lattice(("n",), (("n", frozenset({"n"})),))
YES_NO = Lattice(("yes", "no"), (("all", frozenset({"yes", "no"})), ("yes", frozenset({"yes"}))))


def hidden_units(table, column="n"):
    return sorted(u for u, c in table.hidden if c == column)


# --- hand-made tables -------------------------------------------------------------------------------


def test_a_group_below_k_and_zero_are_hidden():
    table = suppress(parents={"P": None, "A": "P", "B": "P"}, lattice=ONE, own={"A": (4,), "B": (12,)}, k=K)
    assert table.figure("A", "n") is None
    zero = suppress(parents={"Z": None}, lattice=ONE, own={"Z": (0,)}, k=K)
    assert zero.figure("Z", "n") is None


def test_a_parent_without_members_and_one_hidden_child_hides_the_smaller_sibling():
    parents = {"P": None, "A": "P", "B": "P", "C": "P"}
    table = suppress(parents=parents, lattice=ONE, own={"A": (4,), "B": (10,), "C": (12,)}, k=K)
    # P - B - C would be A's 4; hiding B (10 < 12) leaves P - C = 14 for A and B together.
    assert hidden_units(table) == ["A", "B"]
    assert table.figure("P", "n") == 26
    assert table.figure("C", "n") == 12


def test_direct_members_of_the_parent_protect_a_hidden_child():
    parents = {"P": None, "A": "P", "B": "P"}
    table = suppress(parents=parents, lattice=ONE, own={"P": (6,), "A": (4,), "B": (10,)}, k=K)
    # P - B = 10 is A and P's own 6 together: neither is pinned.
    assert hidden_units(table) == ["A"]


def test_a_small_remainder_of_direct_members_hides_a_child():
    parents = {"P": None, "A": "P", "B": "P"}
    table = suppress(parents=parents, lattice=ONE, own={"P": (2,), "A": (10,), "B": (12,)}, k=K)
    # P - A - B = 2 would pin P's direct members: A goes, leaving 12.
    assert hidden_units(table) == ["A"]
    assert table.figure("P", "n") == 24


def test_a_hidden_unit_in_the_middle_still_protects_below_and_above():
    parents = {"G": None, "P": "G", "Q": "G", "A": "P", "B": "P"}
    own = {"Q": (20,), "A": (3,), "B": (8,)}
    table = suppress(parents=parents, lattice=ONE, own=own, k=K)
    # A (3) is hidden; B (8) would reveal it through P (11), so one of them goes with A. Whatever is
    # chosen, A must not be computable: G - Q - B or P - B.
    assert table.figure("A", "n") is None
    assert table.figure("B", "n") is None or table.figure("P", "n") is None


def test_nested_columns_do_not_reveal_a_small_difference():
    table = suppress(parents={"U": None}, lattice=YES_NO, own={"U": (9, 3)}, k=K)
    # all 12, yes 9 would give no = 3: the less valuable "yes" goes.
    assert table.figure("U", "all") == 12
    assert table.figure("U", "yes") is None


def test_fixed_figures_stay_and_others_give_way():
    parents = {"P": None, "A": "P", "B": "P", "C": "P"}
    fixed = {("B", "n"): False}
    table = suppress(parents=parents, lattice=ONE, own={"A": (4,), "B": (10,), "C": (12,)}, k=K, fixed=fixed)
    assert hidden_units(table) == ["A", "C"]


def test_the_priority_decides_which_figure_of_a_unit_goes():
    keep_yes = Lattice(YES_NO.categories, YES_NO.columns, priority=("yes", "all"))
    table = suppress(parents={"U": None}, lattice=keep_yes, own={"U": (9, 3)}, k=K)
    assert table.figure("U", "yes") == 9
    assert table.figure("U", "all") is None


# --- the guarantee, on random organisations ----------------------------------------------------------

CATEGORIES = statistics.PEOPLE.categories
COLUMNS = statistics.PEOPLE.columns


@st.composite
def organisations(draw, max_units=6):
    n = draw(st.integers(min_value=1, max_value=max_units))
    parents = {0: None}
    for unit in range(1, n):
        parents[unit] = draw(st.integers(min_value=0, max_value=unit - 1))
    count = st.one_of(st.just(0), st.integers(1, 4), st.integers(5, 15))
    empty = st.booleans()
    own = {}
    for unit in parents:
        own[unit] = (
            (0,) * len(CATEGORIES) if draw(empty) and draw(empty) else tuple(draw(count) for _ in CATEGORIES)
        )
    return parents, own


@st.composite
def second_cycles(draw, own):
    """The same people per unit (employees in scope is shared), split differently."""
    other = {}
    for unit, atoms in own.items():
        split = [0] * len(CATEGORIES)
        for _ in range(sum(atoms)):
            split[draw(st.integers(0, len(CATEGORIES) - 1))] += 1
        other[unit] = tuple(split)
    return other


def protect(parents, owns):
    employees = {u: sum(atoms) for u, atoms in owns[0].items()}
    fixed = statistics.employee_pattern(parents, employees, K)
    return [suppress(parents=parents, lattice=statistics.PEOPLE, own=own, k=K, fixed=fixed) for own in owns]


def subtree(parents, unit):
    found = [unit]
    for child, parent in parents.items():
        if parent == unit:
            found += subtree(parents, child)
    return found


def disclosures(parents, owns, tables, lattice=statistics.PEOPLE):
    """What the attacker can pin: hidden non-zero figures and groups of 1..K-1, as readable strings."""
    categories = lattice.categories
    nonempty = [u for u in parents if any(owns[0][u])]
    atoms = {
        (t, u, c): owns[t][u][i] for t in range(len(owns)) for u in nonempty for i, c in enumerate(categories)
    }
    rows, cells = [], []
    for t, table in enumerate(tables):
        for u, (column, cats) in itertools.product(parents, lattice.columns):
            members = [(t, v, c) for v in subtree(parents, u) for c in cats if (t, v, c) in atoms]
            if (u, column) in table.hidden:
                cells.append(((t, u, column), members, table.values[(u, column)]))
            else:
                rows.append(dict.fromkeys(members, 1))
    if len(owns) == 2:  # both cycles split the same employees of each unit
        for u in nonempty:
            rows.append({**{(0, u, c): 1 for c in categories}, **{(1, u, c): -1 for c in categories}})
    weights = kernel_weights(rows, list(atoms))
    found = [
        f"hidden {key} = {value}" for key, members, value in cells if value and _pinned(members, weights)
    ]
    for t in range(len(owns)):
        for units in _subsets(nonempty):
            for mask in range(1, 1 << len(categories)):
                members = [(t, u, c) for u in units for i, c in enumerate(categories) if mask >> i & 1]
                size = sum(atoms[a] for a in members)
                if 0 < size < K and _pinned(members, weights):
                    found.append(f"cycle {t}: units {units} categories {mask:08b} = {size}")
    return found


def _pinned(members, weights) -> bool:
    return sum(weights[a] for a in members) % PRIME == 0


def _subsets(items):
    for r in range(1, len(items) + 1):
        yield from itertools.combinations(items, r)


# Derandomized so CI is reproducible. The search for leaks is done with many more, random examples
# when the engine changes (each leak found so far is a regression test in test_suppression_internals.py).
PROPERTY = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPERTY
@given(organisations())
def test_no_combination_of_one_cycles_figures_pins_a_small_group(organisation):
    parents, own = organisation
    tables = protect(parents, [own])
    assert disclosures(parents, [own], tables) == []
    for table in tables:
        for cell, value in table.values.items():
            assert cell in table.hidden or value >= K


@PROPERTY
@given(st.data())
def test_nor_of_a_cycle_and_the_previous_one_together(data):
    parents, own = data.draw(organisations(max_units=5))
    other = data.draw(second_cycles(own))
    tables = protect(parents, [own, other])
    assert disclosures(parents, [own, other], tables) == []


@PROPERTY
@given(organisations())
def test_nor_of_goal_statuses_whose_columns_add_up_to_their_total(organisation):
    """Goals per status and in all: every unit's figures are the total and its parts."""
    parents, own = organisation
    counts = {u: atoms[:4] for u, atoms in own.items()}
    table = suppress(parents=parents, lattice=statistics.GOAL_STATUS, own=counts, k=K)
    assert disclosures(parents, [counts], [table], statistics.GOAL_STATUS) == []


def test_the_checker_finds_what_a_naive_publication_gives_away():
    """Without complementary suppression the attacker gets A from the parent and its sibling."""
    parents = {0: None, 1: 0, 2: 0}
    own = {0: (0,) * 8, 1: (0, 0, 0, 0, 4, 0, 0, 0), 2: (0, 0, 0, 0, 10, 0, 0, 0)}
    naive = suppress(parents=parents, lattice=statistics.PEOPLE, own=own, k=1)
    naive = type(naive)(
        columns=naive.columns,
        values=naive.values,
        hidden=frozenset(
            {(1, c) for c, _ in COLUMNS} | {(u, c) for u, c in naive.values if naive.values[(u, c)] == 0}
        ),
    )
    found = disclosures(parents, [own], [naive])
    assert any(line.startswith("hidden (0, 1, 'confirmed') = 4") for line in found)


@pytest.mark.parametrize("k", [5, 8])
def test_visible_figures_are_never_below_k(k):
    parents = {0: None, 1: 0, 2: 1, 3: 1, 4: 0}
    own = {
        1: (3, 1, 2, 0, 7, 1, 0, 0),
        2: (0, 0, 0, 0, 9, 0, 0, 0),
        3: (1, 0, 0, 0, 6, 2, 0, 0),
        4: (6, 0, 0, 0, 0, 0, 0, 0),
    }
    table = suppress(parents=parents, lattice=statistics.PEOPLE, own=own, k=k)
    assert all(v >= k for cell, v in table.values.items() if cell not in table.hidden)


def single_column_disclosures(parents, own, hidden):
    """The attacker on one column of counts: own[u] per unit, `hidden` the units whose figure is hidden."""
    atoms = {u: n for u, n in own.items() if n}
    rows, found = [], []
    for u in parents:
        members = [v for v in subtree(parents, u) if v in atoms]
        if u in hidden:
            continue
        rows.append(dict.fromkeys(members, 1))
    weights = kernel_weights(rows, list(atoms))
    for u in hidden:
        members = [v for v in subtree(parents, u) if v in atoms]
        value = sum(atoms[v] for v in members)
        if value and _pinned(members, weights):
            found.append(f"hidden {u} = {value}")
    for units in _subsets(list(atoms)):
        size = sum(atoms[v] for v in units)
        if 0 < size < K and _pinned(units, weights):
            found.append(f"units {units} = {size}")
    return found


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(organisations(max_units=7))
def test_independent_columns_each_keep_the_guarantee(organisation):
    """Entries per month: twelve separate populations in one table, each protected on its own."""
    parents, own = organisation
    months = statistics.ACTIVITY
    counts = {u: (*v, *v[:4]) for u, v in own.items()}
    table = suppress(parents=parents, lattice=months, own=counts, k=K)
    for i, column in enumerate(months.column_names):
        hidden = {u for u, c in table.hidden if c == column}
        assert single_column_disclosures(parents, {u: v[i] for u, v in counts.items()}, hidden) == []
