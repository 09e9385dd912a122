"""`seed_demo`: a complete, repeatable demo whose rights and history are the services' own."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation

from conversations.access.permissions import COMMENT, MANAGE, RESPOND, access_conversation
from conversations.models import (
    AgendaPoint,
    Comment,
    Conversation,
    DeputyGrant,
    FollowUp,
    ItemResponse,
    Status,
)
from demo import demo_data
from goals.models import Expectation, Goal
from organization.models import User

pytestmark = pytest.mark.django_db

APP_LABELS = ("organization", "conversations", "goals")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Seed once for the module, inside a transaction rolled back at its end; returns the printed output."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


def seed() -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for label in APP_LABELS
        for model in apps.get_app_config(label).get_models()
    }


def test_prints_every_login_with_the_demo_password(demo):
    assert "Created the demo organisation" in demo
    for employee_id in (*demo_data.DEMO_IDS, demo_data.ADMIN_ID):
        assert f"\n{employee_id} " in demo
    assert demo.count(demo_data.DEMO_PASSWORD) == len(demo_data.DEMO_IDS) + 1


def test_second_run_creates_nothing_and_resets_passwords(demo):
    before = row_counts()
    User.objects.filter(employee_id="10101").update(password="!")
    out = seed()
    assert row_counts() == before
    assert "already exists" in out
    assert User.objects.get(employee_id="10101").check_password(demo_data.DEMO_PASSWORD)


def test_passwords_and_superuser(demo):
    admin_user = User.objects.get(employee_id=demo_data.ADMIN_ID)
    assert admin_user.is_superuser and admin_user.is_staff
    for user in User.objects.filter(employee_id__in=[*demo_data.DEMO_IDS, demo_data.ADMIN_ID]):
        assert user.check_password(demo_data.DEMO_PASSWORD)


def test_organisation_shape(demo):
    people = User.objects.filter(employee_id__in=demo_data.DEMO_IDS)
    leaders = people.filter(is_leader=True)
    top = leaders.get(manager__isnull=True)
    assert top.unit.path == "Oslo kommune"
    assert leaders.exclude(pk=top.pk).filter(manager=top).count() >= 3
    assert people.filter(is_leader=False, is_hr=False).count() >= 15
    assert people.filter(is_hr=True).count() == 1
    assert not people.filter(manager__isnull=False, manager__is_leader=False).exists()
    assert all(p.email.endswith("@example.org") for p in people)  # the story's people (the crowd has none)
    assert {p.unit.path.split("/")[1] for p in people if p.unit.depth} >= {
        "Bymiljøetaten",
        "Helseetaten",
        "Utdanningsetaten",
    }


def test_cycles_and_template(demo):
    current = Conversation.objects.filter(cycle__name=demo_data.CURRENT_CYCLE).first().cycle
    assert current.deadline > timezone.localdate()
    assert current.template.name == demo_data.TEMPLATE_NAME
    assert current.template.points.count() >= 5
    previous = Conversation.objects.filter(cycle__name=demo_data.PREVIOUS_CYCLE)
    assert previous.exists() and not previous.exclude(status=Status.CLOSED).exists()


def test_every_workflow_state_is_present(demo):
    statuses = set(Conversation.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    amendment = Conversation.objects.filter(status=Status.DRAFT, confirmed_version__isnull=False)
    assert amendment.exists()


def test_content_covers_the_product(demo):
    assert set(Goal.objects.values_list("kind", flat=True)) == set(Goal.Kind.values)
    assert set(Expectation.objects.values_list("direction", flat=True)) == set(Expectation.Direction.values)
    assert Goal.objects.filter(carried_over_from__isnull=False).exists()
    assert AgendaPoint.objects.filter(shared=False, author__is_leader=False).exists()
    assert ItemResponse.objects.filter(stance=ItemResponse.Stance.DISAGREE).exclude(comment="").exists()
    assert Comment.objects.filter(kind=Comment.Kind.STATEMENT).exists()
    assert Comment.objects.filter(kind=Comment.Kind.CHANGE_REQUEST).exists()
    follow_ups = FollowUp.objects.exclude(item_status="").filter(progress__isnull=False)
    assert set(follow_ups.values_list("item_status", flat=True)) >= {"on_track", "at_risk", "achieved"}
    assert follow_ups.dates("created_at", "month").count() >= 6


def test_carry_over_can_be_shown_for_an_employee_without_a_current_conversation(demo):
    closed_last_year = set(
        Conversation.objects.filter(cycle__name=demo_data.PREVIOUS_CYCLE).values_list("employee", flat=True)
    )
    this_year = set(
        Conversation.objects.filter(cycle__name=demo_data.CURRENT_CYCLE).values_list("employee", flat=True)
    )
    assert closed_last_year - this_year


def test_every_conversation_is_open_to_its_parties(demo):
    conversations = Conversation.objects.select_related("employee", "leader")
    for conversation in conversations:
        access_conversation(conversation.employee, conversation.pk, RESPOND)
        access_conversation(conversation.leader, conversation.pk, MANAGE)
        assert conversation.history.filter(action="create").exists()


def test_hr_sees_no_conversation(demo):
    hr = User.objects.get(employee_id__in=demo_data.DEMO_IDS, is_hr=True)
    assert not Conversation.objects.visible_to(hr).exists()


def test_deputy_grant_is_active_and_gives_access(demo):
    grant = DeputyGrant.objects.select_related("deputy", "leader").get()
    assert grant.is_active_on(timezone.localdate())
    others = Conversation.objects.filter(leader=grant.leader).exclude(employee=grant.deputy)
    assert others.exists()
    for conversation in others:
        access_conversation(grant.deputy, conversation.pk, COMMENT)


def test_unit_goals_on_three_levels_with_contracts_supporting_them(demo):
    from goals.models import UnitGoal

    goals = UnitGoal.objects.filter(cycle__name=demo_data.CURRENT_CYCLE).select_related("unit")
    assert {g.unit.depth for g in goals} == {0, 1, 2}
    assert all(g.supports is not None for g in goals if g.unit.depth > 0)
    linked = Goal.objects.filter(
        supports__isnull=False, conversation__employee__employee_id__in=demo_data.DEMO_IDS
    ).select_related("supports__supports__supports")
    assert linked.count() == 4  # the story's (the crowd's goals support unit goals too)
    for goal in linked:  # each contract goal's chain reaches the organisation's goal
        assert goal.supports.supports.supports.unit.depth == 0
    confirmed = Conversation.objects.filter(goals__supports__isnull=False, confirmed_version__isnull=False)
    assert any("supports" in g for c in confirmed for g in c.confirmed_version.content["goals"])


def test_a_crowd_large_enough_for_real_statistics(demo):
    """A few hundred people in units on three levels, with conversations in both cycles, so HR's
    statistics show figures (not "skjult") for the whole organisation and for most agencies."""
    from organization.models import OrgUnit
    from reports import statistics

    assert User.objects.filter(is_active=True).count() >= 300
    assert set(OrgUnit.objects.values_list("depth", flat=True)) == {0, 1, 2}
    assert not User.objects.filter(is_active=True, unit__isnull=True).exists()  # nobody outside the units
    for name in (demo_data.PREVIOUS_CYCLE, demo_data.CURRENT_CYCLE):
        assert Conversation.objects.filter(cycle__name=name).count() >= 200
    current = Conversation.objects.filter(cycle__name=demo_data.CURRENT_CYCLE).first().cycle
    result = statistics.cycle_statistics(cycle=current)
    whole = result["groups"][0]["current"]
    for column in ("employees_in_scope", "conversations_held", "confirmed", "followed_up_last_90_days"):
        assert not whole[column]["suppressed"], column
    assert all(not whole["goal_status"][s]["suppressed"] for s in ("on_track", "at_risk", "achieved"))
    kommune = OrgUnit.objects.get(path=demo_data.ROOT)
    agencies = statistics.cycle_statistics(cycle=current, unit=kommune)["groups"][1:]
    assert sum(not g["current"]["confirmed"]["suppressed"] for g in agencies) >= 2
    activity = whole["follow_up_activity"]
    before_the_cycle = [a for a in activity if a["month"] < current.starts_on.strftime("%Y-%m")]
    assert before_the_cycle and all(
        a["entries"] == {"value": 0, "suppressed": False} for a in before_the_cycle
    )
    assert any(a["entries"]["value"] for a in activity if a not in before_the_cycle)


def test_the_crowd_leaves_the_story_alone(demo):
    """The named demo people keep their short lists of reports, and HR still sees no conversation."""
    per_arne = User.objects.get(employee_id="10100")
    assert set(per_arne.reports.values_list("employee_id", flat=True)) == {"10101", "10102", "10103", "10104"}
    assert (
        not User.objects.filter(manager__employee_id__in=demo_data.DEMO_IDS)
        .exclude(employee_id__in=demo_data.DEMO_IDS)
        .exists()
    )
