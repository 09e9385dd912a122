"""The statistics on hand-built organisations, with the expected figures worked out by hand.

Suppression is decided for the whole organisation, so every test builds all of it: leaders live in a
unit of their own ("Ledelse") unless the test says otherwise.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from conversations.models import FollowUp
from reports import statistics, statistics_queries
from tests import factories
from tests.reports.statistics_helpers import conversation, people, started_before_the_activity_window, unit

pytestmark = pytest.mark.django_db

SUPPRESSED = {"value": None, "suppressed": True}


def shown(n):
    return {"value": n, "suppressed": False}


def counts(figures):
    return [figures[name]["value"] for name in statistics.PEOPLE_COLUMNS]


def group(result, name):
    return next(g for g in result["groups"] if g["unit"]["name"] == name)


def leadership():
    """Ledelse: 6 leaders without conversations of their own."""
    ledelse = unit("Ledelse")
    return [factories.LeaderFactory(unit=ledelse) for _ in range(6)]


def build_three_schools(cycle):
    """Kommune (no direct members) with A: 4, B: 10 and C: 12 employees, everyone's contract confirmed
    (A in 2 days, B in 4, C in 10), and Ledelse beside it."""
    boss = leadership()[0]
    kommune = unit("Kommune")
    for name, size, days in (("A", 4, 2), ("B", 10, 4), ("C", 12, 10)):
        _, staff = people(size, unit(name, kommune), manager=boss)
        for person in staff:
            conversation(cycle, boss, person, "confirmed", days_to_confirm=days)
    return kommune


def test_a_unit_where_everyone_did_the_same_shows_no_outcome(cycle):
    """Worked by hand (k = 5). People per level: Ledelse 6 not held; A 4, B 10, C 12 confirmed.
    Every column subset with two thresholds or with "followed up" has an empty category somewhere
    (nobody is held only, nobody followed up), so the cycle shows one of held/submitted/confirmed:
    confirmed (weight 3). Its categories: not confirmed, confirmed. The whole organisation: 6 and 26,
    its parts Ledelse (6) and Kommune (26) each less than its 32: shown. Kommune's zone would be
    0 and 26 (0 < 5: "everyone in Kommune confirmed" would pin A's 4), and so would A's, B's and C's:
    hidden. People in scope are shown wherever at least 5 (HR knows them)."""
    kommune = build_three_schools(cycle)

    result = statistics.cycle_statistics(cycle=cycle, unit=kommune)
    whole = statistics.cycle_statistics(cycle=cycle)["groups"][0]["current"]

    assert result["min_group_size"] == 5
    assert [g["unit"]["name"] for g in result["groups"]] == ["Kommune", "A", "B", "C"]
    assert counts(whole) == [32, None, None, 26, None]
    assert counts(group(result, "Kommune")["current"]) == [26, None, None, None, None]
    assert counts(group(result, "A")["current"]) == [None] * 5
    assert counts(group(result, "B")["current"]) == [10, None, None, None, None]
    assert counts(group(result, "C")["current"]) == [12, None, None, None, None]
    assert group(result, "A")["current"]["employees_in_scope"] == SUPPRESSED


def test_rates_and_medians_only_over_shown_groups(cycle):
    kommune = build_three_schools(cycle)

    result = statistics.cycle_statistics(cycle=cycle, unit=kommune)
    whole = statistics.cycle_statistics(cycle=cycle)["groups"][0]["current"]

    kommune_figures, a, c = (group(result, name)["current"] for name in ("Kommune", "A", "C"))
    # Confirmed is shown for the whole organisation only (see above). Its 26 confirmation times:
    # 4 x 2 days, 10 x 4, 12 x 10; the 13th and 14th are both 4.
    assert whole["median_days_to_confirmation"] == 4.0
    assert whole["confirmed_share_of_employees"] == round(26 / 32, 3)
    for hidden in (kommune_figures, a, c):
        assert hidden["median_days_to_confirmation"] is None
        assert hidden["confirmed_share_of_employees"] is None
        assert hidden["goals_per_contract"] == {"result": None, "development": None, "relational": None}
    assert whole["follow_up_share"] is None  # followed up is not shown


def test_nested_counts_do_not_reveal_small_differences(cycle):
    """X: 20 people, the leader and 19 reports: 14 confirmed, 2 awaiting confirmation, 3 drafts.
    Held 16 would give "not held: 4" against 20 in scope, so held goes; then submitted 16 would give
    the same 4, so it goes too; confirmed 14 leaves 6 unconfirmed, which may be shown."""
    x = unit("X")
    leader, staff = people(19, x)
    for i, person in enumerate(staff):
        state = "confirmed" if i < 14 else "submitted" if i < 16 else "draft"
        conversation(cycle, leader, person, state, days_to_confirm=1)

    figures = statistics.cycle_statistics(cycle=cycle, unit=x)["groups"][0]["current"]

    # Worked by hand: levels 4 not held (the leader and 3 drafts), 2 submitted, 14 confirmed. Held or
    # submitted as a column leaves 4 below it, followed up nobody above it: only confirmed, with
    # 6 and 14, passes. X holds all of the organisation's people, so the whole organisation's figures
    # are X's.
    assert counts(figures) == [20, None, None, 14, None]
    assert figures["confirmed_share_of_employees"] == 0.7
    assert figures["held_share_of_employees"] is None


def build_followed_unit(cycle):
    """Ledelse: 6 leaders, no conversations. Y: 12 reports of one of them, all confirmed in 3 days,
    each contract with 2 result goals and 1 development goal. Six had a follow-up 10 days ago with two
    entries: on_track on the first goal, achieved on the second. An old entry (200 days) on another."""
    leaders = leadership()
    y = unit("Y")
    _, staff = people(12, y, manager=leaders[0])
    for i, person in enumerate(staff):
        follow = 10 if i < 6 else (200 if i == 6 else None)
        conversation(
            cycle,
            leaders[0],
            person,
            "confirmed",
            days_to_confirm=3,
            goals=("result", "result", "development"),
            follow_up_days_ago=follow,
            statuses=("on_track", "achieved") if i < 6 else (),
        )
    return y


def test_goals_follow_ups_and_statuses(cycle):
    """Worked by hand (k = 5). Levels: Ledelse 6 not held; Y 6 confirmed (one of them followed up
    200 days ago: outside the window) and 6 followed up. Columns: confirmed and followed up give the
    categories 6, 6, 6 for the whole organisation (weight 5); Y alone would be 0, 6, 6, and showing
    Y in any column leaves Ledelse's 6 with none: so the whole organisation shows confirmed 12 and
    followed up 6, Y only its people. Goals (24 result, 12 development, 0 relational; statuses 6 on
    track, 6 achieved) and entries (12 ten days ago) likewise show for the whole organisation: Y
    would leave Ledelse's part with none of them. Zeros are hidden, and so is the total of statuses
    (it would say the two hidden ones are 0)."""
    started_before_the_activity_window(cycle)
    y = build_followed_unit(cycle)

    y_figures = statistics.cycle_statistics(cycle=cycle, unit=y)["groups"][0]["current"]
    figures = statistics.cycle_statistics(cycle=cycle, now=timezone.now())["groups"][0]["current"]

    assert counts(y_figures) == [12, None, None, None, None]
    assert counts(figures) == [18, None, None, 12, 6]
    assert figures["follow_up_share"] == 0.5
    assert figures["median_days_to_confirmation"] == 3.0
    assert figures["goals_per_contract"] == {"result": 2.0, "development": 1.0, "relational": None}
    assert figures["goal_status"] == {
        "goals_with_status": SUPPRESSED,
        "on_track": shown(6),
        "at_risk": SUPPRESSED,
        "off_track": SUPPRESSED,
        "achieved": shown(6),
    }
    activity = figures["follow_up_activity"]
    assert len(activity) == 12
    assert activity[-1]["month"] == timezone.localdate().strftime("%Y-%m")
    ten_days_ago = (timezone.localdate() - datetime.timedelta(days=10)).strftime("%Y-%m")
    assert [a["entries"] for a in activity if a["month"] == ten_days_ago] == [shown(12)]
    assert all(a["entries"] == SUPPRESSED for a in activity if a["month"] != ten_days_ago)


def test_previous_cycle_is_shown_exactly_as_when_asked_for_directly(cycle):
    earlier = factories.CycleFactory(starts_on=datetime.date(2026, 1, 1), deadline=datetime.date(2026, 3, 1))
    y = build_followed_unit(cycle)
    boss = y.members.first().manager
    for i, person in enumerate(y.members.all()):
        conversation(earlier, boss, person, "confirmed" if i < 9 else "draft", days_to_confirm=5)

    both = statistics.cycle_statistics(cycle=cycle, unit=y)
    alone = statistics.cycle_statistics(cycle=earlier, unit=y)

    assert both["previous_cycle"]["id"] == earlier.pk
    assert alone["previous_cycle"] is None
    assert both["groups"][0]["previous"] == alone["groups"][0]["current"]
    # Employees in scope is the same figure for both cycles. Y's 9 of 12 confirmed leaves 3: hidden.
    assert counts(both["groups"][0]["previous"]) == [12, None, None, None, None]


def test_cancelled_conversations_and_the_held_definition(cycle):
    """Raw category counts before suppression: a cancelled conversation counts nowhere, a
    conversation with held_on set but never submitted is held only."""
    z = unit("Z")
    leader, staff = people(7, z)
    states = ["cancelled", "held", "submitted", "confirmed", "confirmed", "draft", "confirmed"]
    for person, state in zip(staff, states, strict=True):
        conversation(cycle, leader, person, state, change_request=state == "submitted")
    conversation(cycle, leader, staff[3], "cancelled")

    own = statistics_queries.level_counts([cycle.pk], timezone.localdate())[cycle.pk][z.pk]

    # per level (not held is left at 0: the rest of the unit's people): the person with only a
    # cancelled conversation and the one with a draft count nowhere; held 1, submitted 1 (the change
    # request changes nothing), confirmed 3 (one with a cancelled conversation beside it).
    assert own == [0, 1, 1, 3, 0]


@override_settings(SAMTALE_MIN_GROUP_SIZE=3)
def test_min_group_size_never_below_five():
    assert statistics.min_group_size() == 5


@override_settings(SAMTALE_MIN_GROUP_SIZE=8)
def test_min_group_size_follows_the_setting(cycle):
    kommune = build_three_schools(cycle)
    result = statistics.cycle_statistics(cycle=cycle, unit=kommune)
    assert result["min_group_size"] == 8
    for g in result["groups"]:
        for name in statistics.PEOPLE_COLUMNS:
            value = g["current"][name]["value"]
            assert value is None or value >= 8
    # 10 and 12 people are shown, A's 4 not; the organisation's 6 not confirmed (< 8) hide confirmed.
    assert [g["current"]["employees_in_scope"]["value"] for g in result["groups"]] == [26, None, 10, 12]
    assert statistics.cycle_statistics(cycle=cycle)["groups"][0]["current"]["confirmed"] == SUPPRESSED


def _queries(**kwargs):
    with CaptureQueriesContext(connection) as ctx:
        statistics.cycle_statistics(**kwargs)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_units_or_conversations(cycle):
    factories.CycleFactory(starts_on=datetime.date(2026, 1, 1), deadline=datetime.date(2026, 2, 1))
    kommune = build_three_schools(cycle)
    small = _queries(cycle=cycle, unit=kommune)
    small_org = _queries(cycle=cycle)
    boss = kommune.children.get(name="A").members.first().manager
    for i in range(6):
        d = unit(f"D{i}", kommune)
        _, staff = people(6, unit(f"E{i}", d), manager=boss)
        for person in staff:
            conversation(cycle, boss, person, "confirmed", goals=("result",), follow_up_days_ago=3)
    assert _queries(cycle=cycle, unit=kommune) == small
    assert _queries(cycle=cycle) == small_org


def test_follow_up_activity_counts_local_months(cycle):
    """Entries written at 00:30 Oslo time on the first of a month (22:30 UTC the day before, in
    summer) count in that month, not the one before."""
    started_before_the_activity_window(cycle)
    y = build_followed_unit(cycle)
    now = timezone.now()
    first = timezone.localdate(now).replace(day=1) - datetime.timedelta(days=62)
    first = first.replace(day=1)
    half_past_midnight = timezone.make_aware(datetime.datetime.combine(first, datetime.time(0, 30)))
    for person in y.members.all():
        c = person.conversations.get()
        FollowUp.objects.create(conversation=c, author=c.leader, text="Status", created_at=half_past_midnight)

    # The whole organisation's figures (Y alone would leave Ledelse's part without entries).
    figures = statistics.cycle_statistics(cycle=cycle, now=now)["groups"][0]["current"]

    activity = {a["month"]: a["entries"] for a in figures["follow_up_activity"]}
    before = (first - datetime.timedelta(days=1)).strftime("%Y-%m")
    assert activity[first.strftime("%Y-%m")] == shown(12)
    assert activity[before] == SUPPRESSED
