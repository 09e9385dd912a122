"""The fast paths of `reports.suppression` against their plain definitions, and the remembered results.

The guarantee itself is checked by the property tests in test_suppression.py; these tests pin the
pieces that make it fast: each computes exactly what the slower, obvious version computes.
"""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports import statistics, suppression
from reports.suppression import Lattice, Tree, suppress

K = 5
YES_NO = Lattice(("yes", "no"), (("all", frozenset({"yes", "no"})), ("yes", frozenset({"yes"}))))


def brute_force_unions(generators, nonzero, width):
    """Every non-empty union inside `nonzero` that lies in the span of the generators (largest first)."""
    free = ~nonzero & ((1 << width) - 1)
    found = []
    for union in range(nonzero, 0, -1):
        if union & ~nonzero == 0 and suppression.in_span(union, generators, free, width):
            found.append(union)
    return tuple(found)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 8).flatmap(
        lambda width: st.tuples(
            st.just(width),
            st.lists(st.integers(1, (1 << width) - 1), max_size=6),
            st.integers(0, (1 << width) - 1),
        )
    )
)
def test_determined_unions_from_the_echelon_form_are_all_unions_in_the_span(case):
    width, generators, nonzero = case
    assert suppression.determined_unions(tuple(generators), nonzero, width) == brute_force_unions(
        generators, nonzero, width
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-3, 9), min_size=1, max_size=8), st.sampled_from([5, 8]))
def test_small_unions_are_the_unions_adding_up_to_1_to_k_minus_1(counts, k):
    small = suppression._small_unions(tuple(counts), k)
    for union in range(1 << len(counts)):
        total = sum(counts[i] for i in range(len(counts)) if union >> i & 1)
        assert bool(small >> union & 1) == (0 < total < k), (union, total)


def test_tree_numbers_units_top_down_with_subtrees_as_ranges():
    tree = Tree({"R": None, "A": "R", "B": "R", "A1": "A", "A2": "A", "B1": "B"})
    assert tree.order == ["R", "A", "A1", "A2", "B", "B1"]
    a, b = tree.index["A"], tree.index["B"]
    assert [tree.order[u] for u in range(a, tree.end[a])] == ["A", "A1", "A2"]
    assert [tree.order[u] for u in range(b, tree.end[b])] == ["B", "B1"]
    assert dict(tree) == {"R": None, "A": "R", "B": "R", "A1": "A", "A2": "A", "B1": "B"}
    with pytest.raises(ValueError, match="forest"):
        Tree({"A": "B", "B": "A"})


def test_a_tree_and_a_dict_give_the_same_table():
    parents = {"P": None, "A": "P", "B": "P", "C": "P"}
    own = {"A": (4, 1), "B": (10, 2), "C": (12, 0)}
    from_dict = suppress(parents=parents, lattice=YES_NO, own=own, k=K)
    from_tree = suppress(parents=Tree(parents), lattice=YES_NO, own=own, k=K)
    assert from_dict == from_tree


def test_the_result_reads_like_a_dict_and_a_frozenset():
    parents = {"P": None, "A": "P", "B": "P", "C": "P"}
    table = suppress(parents=parents, lattice=YES_NO, own={"A": (4, 0), "B": (10, 0), "C": (12, 0)}, k=K)
    assert dict(table.values) == {
        ("P", "all"): 26,
        ("P", "yes"): 26,
        ("A", "all"): 4,
        ("A", "yes"): 4,
        ("B", "all"): 10,
        ("B", "yes"): 10,
        ("C", "all"): 12,
        ("C", "yes"): 12,
    }
    assert len(table.values) == 8
    hidden = frozenset(table.hidden)
    assert hidden == table.hidden
    assert len(table.hidden) == len(hidden)
    assert ("A", "all") in table.hidden
    assert ("nobody", "all") not in table.hidden
    assert ("A", "no such column") not in table.hidden
    assert table.hidden | {("x", "y")} == hidden | {("x", "y")}
    with pytest.raises(KeyError):
        table.values[("nobody", "all")]


@pytest.fixture
def engine_runs(monkeypatch):
    """How often the engine really ran (rather than a remembered result being used)."""
    suppression.forget_results()
    runs = []
    real_run = suppression._Engine.run

    def counting_run(engine):
        runs.append(engine)
        return real_run(engine)

    monkeypatch.setattr(suppression._Engine, "run", counting_run)
    yield runs
    suppression.forget_results()


def test_the_same_inputs_reuse_the_result_and_any_change_computes_again(engine_runs):
    parents = {"P": None, "A": "P", "B": "P", "C": "P"}
    own = {"A": [4, 0], "B": [10, 0], "C": [12, 0]}
    first = suppress(parents=parents, lattice=YES_NO, own=own, k=K)
    again = suppress(parents=Tree(parents), lattice=YES_NO, own={u: tuple(v) for u, v in own.items()}, k=K)
    assert len(engine_runs) == 1
    assert again == first

    changed = suppress(parents=parents, lattice=YES_NO, own={**own, "A": [5, 0]}, k=K)
    assert len(engine_runs) == 2
    assert ("A", "all") not in changed.hidden
    for other in (
        {"parents": {**parents, "C": "B"}, "lattice": YES_NO, "own": own, "k": K},
        {"parents": parents, "lattice": YES_NO, "own": own, "k": 8},
        {"parents": parents, "lattice": YES_NO, "own": own, "k": K, "fixed": {("B", "all"): False}},
        {
            "parents": parents,
            "lattice": Lattice(YES_NO.categories, YES_NO.columns, ("yes",)),
            "own": own,
            "k": K,
        },
    ):
        suppress(**other)
    assert len(engine_runs) == 6


def test_remembered_results_are_bounded(engine_runs):
    for n in range(40):
        suppress(parents={"U": None}, lattice=YES_NO, own={"U": (n, 0)}, k=K)
    suppress(parents={"U": None}, lattice=YES_NO, own={"U": (0, 0)}, k=K)
    assert len(engine_runs) == 41  # the first was forgotten long ago
    assert len(suppression._RESULTS._results) == 16


def test_a_larger_organisation_keeps_the_rules_with_every_lattice():
    """A 400-unit organisation in five levels: every shown figure is at least k and the run stays
    well within a second (a test of the incremental bookkeeping, not of speed)."""
    parents, own = {0: None}, {}
    for unit in range(1, 400):
        parents[unit] = (unit - 1) // 4
    for unit, width in itertools.product(parents, [8]):
        own[unit] = tuple((unit * 7 + i * 3) % 6 for i in range(width)) if unit >= 85 else (0,) * width
    employees = {u: sum(v) for u, v in own.items()}
    fixed = statistics.employee_pattern(parents, employees, K)
    for lattice, counts in (
        (statistics.PEOPLE, own),
        (statistics.GOAL_STATUS, {u: v[:4] for u, v in own.items()}),
        (statistics.ACTIVITY, {u: (*v, *v[:4]) for u, v in own.items()}),
    ):
        table = suppress(
            parents=parents,
            lattice=lattice,
            own=counts,
            k=K,
            fixed=fixed if lattice is statistics.PEOPLE else None,
        )
        assert all(v >= K for cell, v in table.values.items() if cell not in table.hidden)
        assert len(table.values) == 400 * len(lattice.columns)


@pytest.mark.xfail(
    strict=True,
    reason="known gap, older than the fast engine (which decides exactly as the old one did): sums an "
    "outsider learnt from a zone are never withdrawn when a repair hides the figures they came from, so "
    "the engine goes on treating them as public and lets unit 1 show the figures units 2 and 4 hide. "
    "Found by test_no_combination_of_one_cycles_figures_pins_a_small_group (about 1 in 700 examples).",
)
def test_known_gap_a_learnt_sum_outlives_its_source():
    from tests.reports.test_suppression import disclosures, protect

    parents = {0: None, 1: 0, 2: 1, 3: 0, 4: 2}
    own = {
        0: (0,) * 8,
        1: (0,) * 8,
        2: (0,) * 8,
        3: (0, 0, 0, 5, 0, 0, 0, 0),
        4: (0, 5, 0, 1, 0, 0, 0, 5),
    }
    assert disclosures(parents, [own], protect(parents, [own])) == []
