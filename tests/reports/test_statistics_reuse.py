"""Statistics asked for again: the same answer from remembered tables, a fresh one after any change."""

import pytest

from reports import statistics, suppression
from tests import factories
from tests.reports.statistics_helpers import conversation, figures, people, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def engine_runs(monkeypatch):
    suppression.forget_results()
    runs = []
    real_run = suppression._Engine.run

    def counting_run(engine):
        runs.append(engine)
        return real_run(engine)

    monkeypatch.setattr(suppression._Engine, "run", counting_run)
    yield runs
    suppression.forget_results()


def build(cycle):
    """Kommune with A (6 confirmed) and B (7 confirmed, one with a change request and goals)."""
    kommune = unit("Kommune")
    boss = factories.LeaderFactory(unit=unit("Ledelse"))
    for name, size in (("A", 6), ("B", 7)):
        _, staff = people(size, unit(name, kommune), manager=boss)
        for i, person in enumerate(staff):
            conversation(
                cycle,
                boss,
                person,
                "confirmed",
                days_to_confirm=i,
                change_request=name == "B" and i == 0,
                goals=("result", "development"),
                follow_up_days_ago=5,
                statuses=("on_track",),
            )
    return kommune, boss


def test_counts_are_plain_ints(cycle):
    build(cycle)
    result = statistics.cycle_statistics(cycle=cycle)
    total = result["groups"][0]["current"]
    counts = [total[name]["value"] for name in statistics.PEOPLE.column_names]
    counts += [total["goal_status"][name]["value"] for name in statistics.GOAL_STATUS.column_names]
    counts += [entry["entries"]["value"] for entry in total["follow_up_activity"]]
    assert counts
    assert all(value is None or type(value) is int for value in counts)


def test_asking_again_reuses_the_tables_and_gives_the_same_answer(cycle, engine_runs):
    build(cycle)
    first = statistics.cycle_statistics(cycle=cycle)
    runs = len(engine_runs)
    again = statistics.cycle_statistics(cycle=cycle)
    assert len(engine_runs) == runs
    first.pop("generated_at"), again.pop("generated_at")
    assert again == first


def test_a_change_in_the_data_is_never_answered_from_remembered_tables(cycle, engine_runs):
    kommune, boss = build(cycle)
    before = statistics.cycle_statistics(cycle=cycle, unit=kommune)
    assert figures(before, "Kommune")["confirmed"]["value"] == 13
    _, staff = people(5, unit("C", kommune), manager=boss)
    for person in staff:
        conversation(cycle, boss, person, "confirmed")
    runs = len(engine_runs)

    after = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    assert len(engine_runs) > runs
    assert figures(after, "Kommune")["confirmed"]["value"] == 18
    assert figures(after, "C")["confirmed"]["value"] == 5
