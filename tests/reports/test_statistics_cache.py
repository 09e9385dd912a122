"""The statistics cache: the same answer from the cache while nothing changed, fresh figures after any write
the figures depend on, whatever wrote it, and a new day computes again."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conversations.models import Comment, FollowUp, Status
from organization.models import User
from reports import statistics, statistics_queries
from tests import factories
from tests.reports.statistics_helpers import conversation, figures, people, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def kommune(cycle):
    """Kommune with A and B, 7 employees each, all confirmed (one goal each, a follow-up 10 days ago
    with status on_track in A); their leader in Ledelse."""
    boss = factories.LeaderFactory(unit=unit("Ledelse"))
    kommune = unit("Kommune")
    for name in ("A", "B"):
        _, staff = people(7, unit(name, kommune), manager=boss)
        for person in staff:
            conversation(
                cycle,
                boss,
                person,
                "confirmed",
                goals=("result",),
                follow_up_days_ago=10 if name == "A" else None,
                statuses=("on_track",) if name == "A" else (),
            )
    return kommune


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
    boss = User.objects.get(is_leader=True)
    _, staff = people(5, unit("C", kommune), manager=boss)
    for person in staff:
        conversation(cycle, boss, person, "confirmed")

    after = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    assert figures(after, "Kommune")["confirmed"]["value"] == 19
    assert figures(after, "C")["confirmed"]["value"] == 5


def test_a_status_change_saved_on_a_conversation_is_seen(cycle, kommune):
    assert figures(statistics.cycle_statistics(cycle=cycle, unit=kommune), "A")["confirmed"]["value"] == 7
    cancelled = kommune.children.get(name="A").members.first().conversations.get()
    cancelled.status = Status.CANCELLED
    cancelled.save()

    after = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    assert figures(after, "A")["confirmed"]["value"] == 6
    assert figures(after, "Kommune")["confirmed"]["value"] == 13


def test_a_change_request_and_a_follow_up_are_seen(cycle, kommune):
    before = figures(statistics.cycle_statistics(cycle=cycle, unit=kommune), "B")
    assert before["followed_up_last_90_days"]["value"] is None
    for person in kommune.children.get(name="B").members.all():
        c = person.conversations.get()
        FollowUp.objects.create(conversation=c, author=c.leader, text="Status", created_at=timezone.now())
        Comment.objects.create(conversation=c, author=person, kind=Comment.Kind.CHANGE_REQUEST, text="Endre")

    after = figures(statistics.cycle_statistics(cycle=cycle, unit=kommune), "B")

    assert after["followed_up_last_90_days"]["value"] == 7
    assert after["changes_requested"]["value"] == 7


def test_a_deleted_goal_is_seen(cycle, kommune):
    goals = figures(statistics.cycle_statistics(cycle=cycle, unit=kommune), "A")["goals_per_contract"]
    assert goals["result"] == 1.0
    kommune.children.get(name="A").members.first().conversations.get().goals.get().delete()

    after = figures(statistics.cycle_statistics(cycle=cycle, unit=kommune), "A")["goals_per_contract"]

    assert after["result"] == round(6 / 7, 2)


def test_people_leaving_and_units_renamed_by_bulk_updates_are_seen(cycle, kommune):
    ledelse = User.objects.get(is_leader=True).unit
    for _ in range(5):  # 6 leaders: Ledelse shown, so employees in scope are shown elsewhere too
        factories.LeaderFactory(unit=ledelse)
    before = statistics.cycle_statistics(cycle=cycle, unit=kommune)
    assert figures(before, "A")["employees_in_scope"]["value"] == 7
    a = kommune.children.get(name="A")
    User.objects.filter(pk__in=a.members.values("pk")[:3]).update(is_active=False)
    type(a).objects.filter(pk=a.pk).update(name="A2")

    after = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    assert figures(after, "A2")["employees_in_scope"] == {"value": None, "suppressed": True}  # 4 left


def test_a_new_day_moves_the_follow_up_window(cycle, kommune):
    """The window starts at the beginning of the day 90 days back: an entry from 90 days ago counts all
    of today and no longer tomorrow, also when today's answer is cached."""
    now = timezone.now()
    window_start = statistics.follow_up_window_start(timezone.localdate(now))
    FollowUp.objects.filter(conversation__unit__name="A").update(created_at=window_start)
    statistics.cycle_statistics(cycle=cycle, unit=kommune, now=now)  # the update went before: a new version
    today = figures(statistics.cycle_statistics(cycle=cycle, unit=kommune, now=now), "A")
    tomorrow = figures(
        statistics.cycle_statistics(cycle=cycle, unit=kommune, now=now + datetime.timedelta(days=1)), "A"
    )

    assert today["followed_up_last_90_days"]["value"] == 7
    assert tomorrow["followed_up_last_90_days"] == {"value": None, "suppressed": True}


def test_a_write_while_computing_is_not_cached_as_the_earlier_state(cycle, kommune, monkeypatch):
    """A write committed between the data version and the queries: the result mixes states, so it is
    not stored under the version read first nor answered as up to date; the next request computes
    again and sees the write."""
    boss = User.objects.get(is_leader=True)
    real_counts = statistics_queries.counts

    def counts_after_a_write(*args):
        _, staff = people(5, unit("C", kommune), manager=boss)
        for person in staff:
            conversation(cycle, boss, person, "confirmed")
        return real_counts(*args)

    monkeypatch.setattr(statistics_queries, "counts", counts_after_a_write)
    during = statistics.cycle_statistics(cycle=cycle, unit=kommune)
    monkeypatch.setattr(statistics_queries, "counts", real_counts)

    after = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    assert during["up_to_date"] is False
    assert after["up_to_date"] is True
    assert figures(after, "C")["confirmed"]["value"] == 5


def test_the_data_version_changes_with_each_kind_of_write(cycle, kommune):
    """Conversations, goals, follow-ups, comments, and people, units and cycles by bulk updates."""
    versions = [statistics_queries.data_version()]
    c = kommune.children.get(name="A").members.first().conversations.get()
    c.held_on = None
    c.save()
    versions.append(statistics_queries.data_version())
    goal = c.goals.get()
    goal.kind = "development"
    goal.save()
    versions.append(statistics_queries.data_version())
    FollowUp.objects.create(conversation=c, author=c.leader, text="Status")
    versions.append(statistics_queries.data_version())
    Comment.objects.create(conversation=c, author=c.employee, kind=Comment.Kind.CHANGE_REQUEST, text="x")
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
    members = kommune.children.get(name="A").members.order_by("pk")
    first, second = (person.conversations.get() for person in members[:2])

    type(first).objects.filter(pk=first.pk).update(status=Status.CANCELLED)
    after_update = statistics.cycle_statistics(cycle=cycle, unit=kommune)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE conversations_conversation SET status = %s WHERE id = %s", ["cancelled", second.pk]
        )
    after_raw_sql = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    assert figures(after_update, "A")["confirmed"]["value"] == 6
    assert figures(after_raw_sql, "A")["confirmed"]["value"] == 5
