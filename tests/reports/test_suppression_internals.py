"""The fast paths of `reports.suppression` against their plain definitions, and the remembered results.

The guarantee itself is checked by the property tests in test_suppression.py; these tests pin the
pieces that make it fast: each computes exactly what the slower, obvious version computes.
"""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports import statistics, suppression
from reports.suppression import Lattice, Tree, _bits, suppress
from tests.reports.statistics_helpers import PRIME, kernel_weights
from tests.reports.test_suppression import disclosures, protect

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
    real_protect = suppression._Engine.protect

    def counting_protect(engine):
        runs.append(engine)
        return real_protect(engine)

    monkeypatch.setattr(suppression._Engine, "protect", counting_protect)
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


# --- leaks found by the property tests (with many random examples), fixed by checking every table against
# the attacker himself (`_Attacker`) ------------------------------------------------------------------------


def test_a_learnt_sum_does_not_outlive_its_source():
    """The rules learnt unit 2's sums from a zone, and a later repair hid the figures they came from: unit 1
    (no direct members, one child) went on showing what units 2 and 4 hide."""
    parents = {0: None, 1: 0, 2: 1, 3: 0, 4: 2}
    own = {
        0: (0,) * 8,
        1: (0,) * 8,
        2: (0,) * 8,
        3: (0, 0, 0, 5, 0, 0, 0, 0),
        4: (0, 5, 0, 1, 0, 0, 0, 5),
    }
    tables = protect(parents, [own])
    assert disclosures(parents, [own], tables) == []
    table = tables[0]
    for column in table.columns:
        # units 1, 2 and 4 have the same people: each figure is shown for all three or for none
        assert len({table.figure(u, column) for u in (1, 2, 4)}) == 1


def test_a_learnt_sum_below_a_unit_without_members_does_not_outlive_its_source():
    parents = {0: None, 1: 0, 2: 1, 3: 1, 4: 2, 5: 0}
    own = {
        0: (0,) * 8,
        1: (0,) * 8,
        2: (0, 0, 0, 0, 0, 0, 1, 1),
        3: (1, 1, 1, 5, 0, 0, 1, 5),
        4: (0, 0, 0, 1, 0, 1, 1, 1),
        5: (0,) * 8,
    }
    assert disclosures(parents, [own], protect(parents, [own])) == []


def test_a_parent_and_a_shown_child_do_not_give_away_the_hidden_child():
    """Goal statuses: every figure of A is shown and each is the sum of the others, so no single one of
    them could be hidden; the parent minus A gave B's one goal away."""
    parents = {"P": None, "A": "P", "B": "P"}
    own = {"P": (0, 0, 0, 0), "A": (5, 5, 5, 5), "B": (0, 0, 0, 1)}
    table = suppress(parents=parents, lattice=statistics.GOAL_STATUS, own=own, k=K)
    assert disclosures(parents, [own], [table], statistics.GOAL_STATUS) == []
    assert table.figure("P", "goals_with_status") == 21


# --- the attacker against the plain definition ---------------------------------------------------------


@st.composite
def hidden_patterns(draw, lattice):
    """A random tree and counts, and any figures hidden (not only those the rules would hide)."""
    n = draw(st.integers(1, 6))
    parents = {0: None, **{u: draw(st.integers(0, u - 1)) for u in range(1, n)}}
    width = len(lattice.categories)
    count = st.one_of(st.just(0), st.integers(1, 6))
    own = {
        u: tuple(draw(count) for _ in range(width)) if draw(st.booleans()) else (0,) * width for u in parents
    }
    hidden = [draw(st.integers(0, (1 << len(lattice.columns)) - 1)) for _ in parents]
    return parents, own, hidden


def brute_force_determined(parents, own, hidden, lattice):
    """(unit, w) -> whether the visible figures determine the w-sum over the unit's subtree, by exact
    linear algebra over the atoms (a unit's direct members in one category)."""
    tree = Tree(parents)
    width, masks = len(lattice.categories), lattice.masks

    def empty(u, i):
        return own[u][i] == 0 if lattice.independent else not any(own[u])

    atoms = [(u, i) for u in parents for i in range(width) if not empty(u, i)]

    def members(u, mask):
        subtree = tree.order[tree.index[u] : tree.end[tree.index[u]]]
        return [(v, i) for v in subtree for i in _bits(mask) if not empty(v, i)]

    rows = [
        dict.fromkeys(members(u, m), 1)
        for u in parents
        for c, m in enumerate(masks)
        if not hidden[tree.index[u]] >> c & 1
    ]
    weights = kernel_weights(rows, atoms)
    return lambda unit, w: sum(weights[a] for a in members(unit, w)) % PRIME == 0


@pytest.mark.parametrize("lattice", [statistics.PEOPLE, statistics.GOAL_STATUS, statistics.ACTIVITY])
def test_the_attacker_knows_exactly_the_sums_the_visible_figures_determine(lattice):
    @settings(max_examples=25, deadline=None, derandomize=True, database=None)
    @given(hidden_patterns(lattice))
    def check(case):
        parents, own, hidden = case
        tree = Tree(parents)
        engine = suppression._Engine(tree, lattice, own, K, None)
        engine.hidden = list(hidden)
        attacker = suppression._Attacker(engine)
        width = len(lattice.categories)
        unions = [1 << i for i in range(width)] if lattice.independent else range(1, 1 << width)
        determined = brute_force_determined(parents, own, engine.hidden, lattice)
        for unit, w in itertools.product(parents, unions):
            expected = determined(unit, w)
            assert attacker.knows(attacker.known[tree.index[unit]], w) == expected, (unit, w)

    check()
