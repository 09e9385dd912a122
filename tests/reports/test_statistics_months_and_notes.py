"""Two things HR reads on the statistics page: the months before a cycle starts show 0, and a hidden
figure caused by the people counted only in a total is explained in words.

Showing 0 for the months before the cycle's first is safe because it is 0 by definition: entries are
counted from the month the cycle starts in, so those columns do not depend on the data at all (a
conversation, and so a follow-up entry, can exist before its cycle starts: such entries are simply
not counted, and the columns tell nobody anything)."""

import datetime

import pytest
from django.utils import timezone, translation

from reports import charts, statistics, statistics_queries
from tests.reports.statistics_helpers import build_kommune, started_before_the_activity_window
from tests.reports.test_charts import count, figures, result

pytestmark = pytest.mark.django_db

ZERO = {"value": 0, "suppressed": False}


def activity(cycle, unit=None) -> dict:
    groups = statistics.cycle_statistics(cycle=cycle, unit=unit)["groups"]
    return {
        g["unit"]["name"]: {a["month"]: a["entries"] for a in g["current"]["follow_up_activity"]}
        for g in groups
    }


def test_months_before_the_cycle_show_0_even_with_entries_there(cycle):
    """The tests' cycle starts in 2027: every month of the window lies before it. A's 7 entries from 10
    days ago (as many as k allows to show) are not counted, and no unit shows anything but 0."""
    kommune = build_kommune(cycle, follow_up_in_a=True)
    for months in activity(cycle, kommune).values():
        assert set(months) == {
            m.strftime("%Y-%m") for m in statistics_queries.activity_months(timezone.localdate())
        }
        assert all(entries == ZERO for entries in months.values())


def test_months_from_the_start_are_counted_and_suppressed_as_before(cycle):
    started_before_the_activity_window(cycle)
    kommune = build_kommune(cycle, follow_up_in_a=True)
    ten_days_ago = (timezone.localdate() - datetime.timedelta(days=10)).strftime("%Y-%m")
    months = activity(cycle, kommune)["Kommune"]
    assert months[ten_days_ago] == {"value": 7, "suppressed": False}
    assert all(e == {"value": None, "suppressed": True} for m, e in months.items() if m != ten_days_ago)


def test_a_cycle_starting_mid_window_shows_0_only_before_its_month(cycle):
    cycle.starts_on = timezone.localdate() - datetime.timedelta(days=40)
    cycle.save(update_fields=["starts_on"])
    build_kommune(cycle, follow_up_in_a=True)
    first = cycle.starts_on.strftime("%Y-%m")
    groups = statistics.cycle_statistics(cycle=cycle)["groups"]
    whole = {a["month"]: a["entries"] for a in groups[0]["current"]["follow_up_activity"]}
    assert all(e == ZERO for m, e in whole.items() if m < first)
    assert all(e != ZERO for m, e in whole.items() if m >= first)  # counted: a figure or hidden


def _groups(total_heads, child_heads, hidden_in_total=True):
    total = figures(None, None)
    total["employees_in_scope"] = count(total_heads)
    total["confirmed"] = count(None if hidden_in_total else 40)
    children = []
    for name, heads in child_heads:
        f = figures(None, None)
        f["employees_in_scope"] = count(heads)
        f["confirmed"] = count(12)
        children.append((name, f))
    return [("Kommune", total), *children]


def test_a_hidden_total_is_explained_with_the_people_directly_in_the_unit():
    sample = result(_groups(33, [("A", 15), ("B", 15)]))
    with translation.override("nb"):
        (note,) = charts.suppressed_total_notes(sample)
    assert "3 av medarbeiderne hører direkte til Kommune og ikke til en underenhet" in note
    assert "«Bekreftet»" in note


def test_for_the_whole_organisation_the_note_names_people_without_a_unit():
    sample = result(_groups(31, [("A", 15), ("B", 15)]))
    sample["unit"] = {"id": None, "name": None, "path": None}
    with translation.override("en"):
        (note,) = charts.suppressed_total_notes(sample)
    assert "1 of the employees belong to no unit" in note


def test_no_note_when_everyone_is_in_a_unit_below_or_a_head_count_is_hidden():
    assert charts.suppressed_total_notes(result(_groups(30, [("A", 15), ("B", 15)]))) == []
    assert charts.suppressed_total_notes(result(_groups(33, [("A", 15), ("B", None)]))) == []
