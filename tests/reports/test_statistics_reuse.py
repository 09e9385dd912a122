"""Statistics asked for again: the same answer from the snapshot without suppressing again, a fresh one
after any change."""

import pytest

from reports import statistics
from tests.reports.statistics_helpers import add_unit, build_kommune, figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def suppression_runs(monkeypatch):
    """The tables suppressed (`suppress` as the statistics call it)."""
    runs = []
    real = statistics.suppress

    def counting(*args, **kwargs):
        runs.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(statistics, "suppress", counting)
    return runs


def test_counts_are_plain_ints(cycle):
    build_kommune(cycle, follow_up_in_a=True)
    result = statistics.cycle_statistics(cycle=cycle)
    total = result["groups"][0]["current"]
    counts = [total[name]["value"] for name in statistics.PEOPLE_COLUMNS]
    counts += [figure["value"] for figure in total["goal_status"].values()]
    counts += [entry["entries"]["value"] for entry in total["follow_up_activity"]]
    assert [value for value in counts if value is not None]  # 25 people, 14 confirmed, ...
    assert all(value is None or type(value) is int for value in counts)


def test_asking_again_reuses_the_tables_and_gives_the_same_answer(cycle, suppression_runs):
    build_kommune(cycle)
    first = statistics.cycle_statistics(cycle=cycle)
    runs = len(suppression_runs)
    again = statistics.cycle_statistics(cycle=cycle)
    assert runs > 0
    assert len(suppression_runs) == runs
    first.pop("generated_at"), again.pop("generated_at")
    assert again == first


def test_a_change_in_the_data_is_never_answered_from_remembered_tables(cycle, suppression_runs):
    kommune = build_kommune(cycle)
    before = statistics.cycle_statistics(cycle=cycle, unit=kommune)
    assert figures(before, "Kommune")["confirmed"]["value"] == 14
    add_unit(cycle, kommune, "C", confirmed=5)  # and 5 not held: see `build_kommune`
    runs = len(suppression_runs)

    after = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    assert len(suppression_runs) > runs
    assert figures(after, "Kommune")["confirmed"]["value"] == 19
    assert figures(after, "C")["confirmed"]["value"] == 5
