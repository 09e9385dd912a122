"""The statistics cache: the same answer from the cache while nothing changed, fresh figures after any write
the figures depend on, whatever wrote it, and a new day computes again."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conversations.models import Conversation, FollowUp, Status
from organization.models import User
from reports import statistics, statistics_queries
from tests import factories
from tests.reports.statistics_helpers import (
    add_unit,
    build_kommune,
    figures,
    started_before_the_activity_window,
    unit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def kommune(cycle):
    """`build_kommune`: A and B with 7 confirmed and 5 not held each (A's followed up 10 days ago with
    the status on_track on their goal), their leader in Ledelse below A; confirmed is shown for
    Kommune (14), A (7) and B (7)."""
    return build_kommune(cycle, follow_up_in_a=True)


def ask(cycle, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        result = statistics.cycle_statistics(cycle=cycle, **kwargs)
    return result, len(queries.captured_queries)


def test_asked_again_the_answer_comes_from_the_cache(cycle, kommune):
    first, computed = ask(cycle, unit=kommune)
    again, cached = ask(cycle, unit=kommune)

    assert cached == 1  # the data version
    assert cached < computed
    assert again["generated_at"] >= first["generated_at"]
    first.pop("generated_at"), again.pop("generated_at")
    assert again == first


def test_the_unit_and_min_group_size_are_part_of_the_key(cycle, kommune, settings):
    whole = statistics.cycle_statistics(cycle=cycle)
    part = statistics.cycle_statistics(cycle=cycle, unit=kommune)
    assert whole["unit"]["id"] is None
    assert part["unit"]["id"] == kommune.pk
    settings.SAMTALE_MIN_GROUP_SIZE = 8
    assert statistics.cycle_statistics(cycle=cycle, unit=kommune)["min_group_size"] == 8


def test_a_new_conversation_is_counted_at_once(cycle, kommune):
    assert (
        figures(statistics.cycle_statistics(cycle=cycle, unit=kommune), "Kommune")["confirmed"]["value"] == 14
    )
    add_unit(cycle, kommune, "C", confirmed=5)  # 5 confirmed, 5 not held: both at least 5

    after = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    assert figures(after, "Kommune")["confirmed"]["value"] == 19
    assert figures(after, "C")["confirmed"]["value"] == 5


def test_a_status_change_saved_on_a_conversation_is_seen(cycle, kommune):
    assert figures(statistics.cycle_statistics(cycle=cycle, unit=kommune), "A")["confirmed"]["value"] == 7
    cancelled = _confirmed_in("A")[0]
    cancelled.status = Status.CANCELLED
    cancelled.save()

    after = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    assert figures(after, "A")["confirmed"]["value"] == 6  # A: 7 not confirmed, 6 confirmed
    assert figures(after, "Kommune")["confirmed"]["value"] == 13


def _confirmed_in(name):
    return list(
        Conversation.objects.filter(employee__unit__name=name, confirmed_version__isnull=False).order_by("pk")
    )


def test_a_follow_up_is_seen(cycle, kommune):
    """B's 7 get an entry now. This month's entries for Kommune: A's 7 from 10 days ago if that is
    this month too, and then B's 7. (Changes requested are no longer published.)"""
    started_before_the_activity_window(cycle)
    this_month = timezone.localdate().strftime("%Y-%m")
    a_this_month = (
        7 if (timezone.localdate() - datetime.timedelta(days=10)).strftime("%Y-%m") == this_month else 0
    )

    def entries(result):
        activity = figures(result, "Kommune")["follow_up_activity"]
        return next(a["entries"]["value"] for a in activity if a["month"] == this_month)

    assert entries(statistics.cycle_statistics(cycle=cycle, unit=kommune)) == (a_this_month or None)
    for c in _confirmed_in("B"):
        FollowUp.objects.create(conversation=c, author=c.leader, text="Status", created_at=timezone.now())

    assert entries(statistics.cycle_statistics(cycle=cycle, unit=kommune)) == a_this_month + 7


def test_a_deleted_goal_is_seen(cycle, kommune):
    goals = figures(statistics.cycle_statistics(cycle=cycle, unit=kommune), "A")["goals_per_contract"]
    assert goals["result"] == 1.0
    _confirmed_in("A")[0].goals.get().delete()

    after = figures(statistics.cycle_statistics(cycle=cycle, unit=kommune), "A")["goals_per_contract"]

    assert after["result"] == round(6 / 7, 2)


def test_people_leaving_and_units_renamed_by_bulk_updates_are_seen(cycle, kommune):
    before = statistics.cycle_statistics(cycle=cycle, unit=kommune)
    assert figures(before, "A")["employees_in_scope"]["value"] == 13  # 12 and the leader below A
    a = kommune.children.get(name="A")
    User.objects.filter(pk__in=a.members.values("pk")[:9]).update(is_active=False)
    type(a).objects.filter(pk=a.pk).update(name="A2")

    after = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    assert figures(after, "A2")["employees_in_scope"] == {"value": None, "suppressed": True}  # 4 left


def test_a_new_day_moves_the_follow_up_window(cycle):
    """The window starts at the beginning of the day 90 days back: an entry from 90 days ago counts all
    of today and no longer tomorrow, also when today's answer is cached.

    Y: 6 confirmed with an entry at the window's start, 6 confirmed without, 5 not held and their
    leader (below Y). Today the columns confirmed and followed up give Y 6, 6 and 6 (weight 5, against
    3 for confirmed alone): followed up 6 is shown. Tomorrow nobody is followed up: hidden."""
    y = unit("Y")
    boss = factories.LeaderFactory(unit=unit("Ledelse", y))
    add_unit(cycle, None, existing=y, confirmed=12, manager=boss)
    now = timezone.now()
    window_start = statistics.follow_up_window_start(timezone.localdate(now))
    for c in Conversation.objects.filter(confirmed_version__isnull=False).order_by("pk")[:6]:
        FollowUp.objects.create(conversation=c, author=boss, text="Status", created_at=window_start)
    today = figures(statistics.cycle_statistics(cycle=cycle, unit=y, now=now), "Y")
    tomorrow = figures(
        statistics.cycle_statistics(cycle=cycle, unit=y, now=now + datetime.timedelta(days=1)), "Y"
    )

    assert today["followed_up_last_90_days"]["value"] == 6
    assert tomorrow["followed_up_last_90_days"] == {"value": None, "suppressed": True}


def test_a_write_while_computing_is_not_cached_as_the_earlier_state(cycle, kommune, monkeypatch):
    """A write committed between the data version and the queries: the result mixes states, so it is
    not stored under the version read first nor answered as up to date; the next request computes
    again and sees the write."""
    real_counts = statistics_queries.counts

    def counts_after_a_write(*args):
        add_unit(cycle, kommune, "C", confirmed=5)
        return real_counts(*args)

    monkeypatch.setattr(statistics_queries, "counts", counts_after_a_write)
    during = statistics.cycle_statistics(cycle=cycle, unit=kommune)
    monkeypatch.setattr(statistics_queries, "counts", real_counts)

    after = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    assert during["up_to_date"] is False
    assert after["up_to_date"] is True
    assert figures(after, "C")["confirmed"]["value"] == 5


def test_the_data_version_changes_with_each_kind_of_write(cycle, kommune):
    """Conversations, goals, follow-ups, and people, units and cycles by bulk updates. (Comments are
    no longer read: changes requested are not published.)"""
    versions = [statistics_queries.data_version()]
    c = _confirmed_in("A")[0]
    c.held_on = None
    c.save()
    versions.append(statistics_queries.data_version())
    goal = c.goals.get()
    goal.kind = "development"
    goal.save()
    versions.append(statistics_queries.data_version())
    FollowUp.objects.create(conversation=c, author=c.leader, text="Status")
    versions.append(statistics_queries.data_version())
    goal.delete()
    versions.append(statistics_queries.data_version())
    c.delete()
    versions.append(statistics_queries.data_version())
    person = User.objects.filter(is_leader=False).first()
    User.objects.filter(pk=person.pk).update(is_active=False)
    versions.append(statistics_queries.data_version())
    type(kommune).objects.filter(pk=kommune.pk).update(name="Kommunen")
    versions.append(statistics_queries.data_version())
    type(cycle).objects.filter(pk=cycle.pk).update(deadline=datetime.date(2027, 4, 1))
    versions.append(statistics_queries.data_version())

    assert len(set(versions)) == len(versions)


def test_writes_that_bypass_the_models_are_seen_too(cycle, kommune):
    """`QuerySet.update` and raw SQL leave `updated_at` alone; the audit trail's triggers still see them."""
    assert figures(statistics.cycle_statistics(cycle=cycle, unit=kommune), "A")["confirmed"]["value"] == 7
    first, second = _confirmed_in("A")[:2]

    type(first).objects.filter(pk=first.pk).update(status=Status.CANCELLED)
    after_update = statistics.cycle_statistics(cycle=cycle, unit=kommune)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE conversations_conversation SET status = %s WHERE id = %s", ["cancelled", second.pk]
        )
    after_raw_sql = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    assert figures(after_update, "A")["confirmed"]["value"] == 6  # 7 not confirmed
    assert figures(after_raw_sql, "A")["confirmed"]["value"] == 5  # 8 not confirmed
