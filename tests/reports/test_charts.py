"""The SVG charts: accessible, readable without colour, escaped, and with data tables that match."""

import re

from django.utils import translation

from reports import charts

GOAL_STATUS_NAMES = ("goals_with_status", "on_track", "at_risk", "off_track", "achieved")


def count(value):
    return {"value": value, "suppressed": value is None}


def figures(held, confirmed, *, kinds=(2.0, 1.0, 0.0), months=None):
    return {
        "held_share_of_employees": held,
        "confirmed_share_of_employees": confirmed,
        "follow_up_share": None,
        "median_days_to_confirmation": None,
        "goals_per_contract": dict(zip(("result", "development", "relational"), kinds, strict=True)),
        "follow_up_activity": [
            {"month": f"2027-{m:02d}", "entries": count(v)}
            for m, v in enumerate(months or [None] * 12, start=1)
        ],
        "goal_status": {name: count(None) for name in GOAL_STATUS_NAMES},
        **{
            name: count(None)
            for name in (
                "employees_in_scope",
                "conversations_held",
                "submitted",
                "confirmed",
                "followed_up_last_90_days",
            )
        },
    }


def result(groups):
    return {
        "min_group_size": 5,
        "cycle": {"id": 1, "name": "Medarbeidersamtaler 2027"},
        "previous_cycle": None,
        "unit": {"id": 1, "name": "Kommune", "path": "Kommune"},
        "groups": [
            {
                "unit": {"id": i + 1, "name": name, "path": name},
                "is_total": i == 0,
                "current": f,
                "previous": None,
            }
            for i, (name, f) in enumerate(groups)
        ],
    }


SAMPLE = result(
    [
        ("Kommune", figures(0.9, 0.75, months=[None] * 10 + [12, 30])),
        ("Skole <b>A</b>", figures(None, None)),
        ("Skole B", figures(1.0, 0.5)),
    ]
)


def test_every_chart_is_an_image_with_title_and_description():
    for chart in charts.all_charts(SAMPLE):
        svg = str(chart.svg)
        assert svg.startswith("<svg") and 'role="img"' in svg
        assert f'aria-label="{chart.title}"' in svg
        assert f'<title id="{chart.id}-title">{chart.title}</title>' in svg
        assert f'<desc id="{chart.id}-desc">' in svg
        assert chart.headers and chart.rows


def test_series_differ_by_pattern_and_carry_their_values_as_text():
    with translation.override("nb"):
        chart = charts.completion_by_unit(SAMPLE)
    svg = str(chart.svg)
    assert 'fill="url(#completion-solid)"' in svg and 'fill="url(#completion-hatch)"' in svg
    assert '<path d="M0,6 L6,0"' in svg  # the hatching itself, not just another colour
    for label in ("100 %", "50 %"):
        assert f">{label}</text>" in svg


def test_suppressed_values_are_written_out_not_drawn_as_zero():
    with translation.override("nb"):
        chart = charts.completion_by_unit(SAMPLE)
    svg = str(chart.svg)
    assert svg.count(">skjult</text>") == 2  # both series of Skole A
    assert 'stroke-dasharray="3 2"' in svg
    assert ["Skole <b>A</b>", "skjult", "skjult"] in chart.rows


def test_unit_names_are_escaped():
    svg = str(charts.completion_by_unit(SAMPLE).svg)
    assert "<b>" not in svg
    assert "Skole &lt;b&gt;A&lt;/b&gt;" in svg


def test_activity_shows_each_month_and_hides_small_ones():
    with translation.override("nb"):
        chart = charts.follow_up_activity(SAMPLE)
    svg = str(chart.svg)
    assert len(re.findall(r">2027-\d\d</text>", svg)) == 12
    assert ">30</text>" in svg and ">12</text>" in svg
    assert chart.rows[-1] == ["2027-12", "30"]
    assert chart.rows[0] == ["2027-01", "skjult"]


def test_goal_kinds_per_contract():
    with translation.override("nb"):
        chart = charts.goal_kinds(SAMPLE)
    assert chart.rows == [["Resultatmål", "2,00"], ["Utviklingsmål", "1,00"], ["Relasjonsmål", "0,00"]]
    assert 'fill="url(#kinds-dots)"' in str(chart.svg)


def test_summary_tables_only_show_strings():
    with translation.override("nb"):
        tables = charts.summary_tables(SAMPLE)
    assert [t.caption for t in tables][0] == "Medarbeidersamtaler 2027"
    for table in tables:
        for row in table.rows:
            assert all(isinstance(cell, str) for cell in row)
