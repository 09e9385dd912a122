"""unit-goals/: who reads and writes, the supports rule, ETag/If-Match, 409 on delete, filters, queries."""

import pytest
from rest_framework.test import APIClient

from goals.models import UnitGoal
from tests.api.helpers import url
from tests.factories import UnitGoalFactory

pytestmark = pytest.mark.django_db
LIST = url("unit-goals/")


def client(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def create(user, unit, cycle, **extra):
    body = {
        "unit": unit.pk,
        "cycle": cycle.pk,
        "title": "Trygge tjenester",
        "description": "Hele året",
        **extra,
    }
    return client(user).post(LIST, body, format="json")


# --- who may write ----------------------------------------------------------------------------------------

WRITERS = [
    ("hr", "top", 201),
    ("hr", "section", 201),
    ("top_leader", "top", 201),
    ("top_leader", "section", 201),
    ("dept_leader", "dept", 201),
    ("dept_leader", "section", 201),
    ("dept_leader", "top", 403),
    ("dept_leader", "other_dept", 403),
    ("section_leader", "section", 201),
    ("section_leader", "dept", 403),
    ("employee", "section", 403),
    ("plain", "dept", 403),
    ("other_leader", "dept", 403),
]


@pytest.mark.parametrize(("who", "unit", "expected"), WRITERS)
def test_who_may_publish(tree, who, unit, expected):
    response = create(getattr(tree, who), getattr(tree, unit), tree.cycle)
    assert response.status_code == expected, response.json()
    assert UnitGoal.objects.count() == (1 if expected == 201 else 0)


def test_created_goal_has_its_fields_and_etag(tree):
    response = create(tree.dept_leader, tree.dept, tree.cycle)
    body = response.json()
    assert body["unit"]["id"] == tree.dept.pk and body["cycle"] == tree.cycle.pk
    assert body["title"] == "Trygge tjenester" and body["supports"] is None
    assert response["ETag"] == body["etag"] == f'"u{body["id"]}-1"'


def test_a_leader_who_left_leading_may_not_publish(tree):
    tree.section_leader.is_leader = False
    tree.section_leader.save()
    tree.employee.manager = None
    tree.employee.save()
    assert create(tree.section_leader, tree.section, tree.cycle).status_code == 403


def test_anonymous_gets_401(tree):
    assert APIClient().get(LIST).status_code == 401


# --- the supports rule ------------------------------------------------------------------------------------


def test_supports_a_goal_of_a_unit_above_in_the_same_cycle(tree):
    top_goal = UnitGoalFactory(unit=tree.top, cycle=tree.cycle, title="Mål")
    response = create(tree.section_leader, tree.section, tree.cycle, supports=top_goal.pk)
    assert response.status_code == 201, response.json()
    assert response.json()["supports"] == top_goal.pk


@pytest.mark.parametrize(
    "target",
    [
        "sibling",  # a unit beside, not above
        "same_unit",  # not strictly above
        "below",
        "other_cycle",
    ],
)
def test_supports_anything_else_is_400(tree, target):
    goals = {
        "sibling": lambda: UnitGoalFactory(unit=tree.other_dept, cycle=tree.cycle, title="Mål"),
        "same_unit": lambda: UnitGoalFactory(unit=tree.dept, cycle=tree.cycle, title="Mål"),
        "below": lambda: UnitGoalFactory(unit=tree.section, cycle=tree.cycle, title="Mål"),
        "other_cycle": lambda: UnitGoalFactory(unit=tree.top, cycle=tree.next_cycle, title="Mål"),
    }
    supported = goals[target]()
    response = create(tree.hr, tree.dept, tree.cycle, supports=supported.pk)
    assert response.status_code == 400
    assert "supports" in response.json()
    assert not UnitGoal.objects.filter(unit=tree.dept, cycle=tree.cycle).exclude(pk=supported.pk).exists()


@pytest.mark.parametrize("bad", [0, "x", 1.5, True, 2**70])
def test_bad_ids_are_400(tree, bad):
    assert create(tree.hr, tree.dept, tree.cycle, supports=bad).status_code == 400
    assert client(tree.hr).post(LIST, {"unit": bad, "cycle": tree.cycle.pk, "title": "x"}).status_code == 400


# --- detail, ETag, If-Match -------------------------------------------------------------------------------


def detail(goal):
    return url(f"unit-goals/{goal.pk}/")


def test_everyone_signed_in_reads_a_goal(tree):
    goal = UnitGoalFactory(unit=tree.dept, cycle=tree.cycle, title="Kortere ventetid")
    response = client(tree.other_leader).get(detail(goal))
    assert response.status_code == 200
    assert response.json()["title"] == "Kortere ventetid"
    assert response["ETag"] == f'"u{goal.pk}-1"'
    assert client(tree.employee).get(url("unit-goals/999999/")).status_code == 404


def test_patch_needs_if_match_and_refuses_a_stale_one(tree):
    goal = UnitGoalFactory(unit=tree.dept, cycle=tree.cycle, title="Mål")
    api = client(tree.dept_leader)
    assert api.patch(detail(goal), {"title": "Nytt"}, format="json").status_code == 428
    ok = api.patch(detail(goal), {"title": "Nytt"}, format="json", HTTP_IF_MATCH=f'"u{goal.pk}-1"')
    assert ok.status_code == 200, ok.json()
    assert ok.json()["title"] == "Nytt" and ok["ETag"] == f'"u{goal.pk}-2"'
    stale = api.patch(detail(goal), {"title": "Igjen"}, format="json", HTTP_IF_MATCH=f'"u{goal.pk}-1"')
    assert stale.status_code == 412
    goal.refresh_from_db()
    assert goal.title == "Nytt"


def test_patch_by_someone_out_of_reach_is_403(tree):
    goal = UnitGoalFactory(unit=tree.dept, cycle=tree.cycle, title="Mål")
    response = client(tree.other_leader).patch(
        detail(goal), {"title": "Nytt"}, format="json", HTTP_IF_MATCH=goal.etag
    )
    assert response.status_code == 403


def test_patch_supports_follows_the_rule(tree):
    goal = UnitGoalFactory(unit=tree.section, cycle=tree.cycle, title="Mål")
    sibling_goal = UnitGoalFactory(unit=tree.other_dept, cycle=tree.cycle, title="Mål")
    dept_goal = UnitGoalFactory(unit=tree.dept, cycle=tree.cycle, title="Mål")
    api = client(tree.section_leader)
    refused = api.patch(detail(goal), {"supports": sibling_goal.pk}, format="json", HTTP_IF_MATCH=goal.etag)
    assert refused.status_code == 400
    ok = api.patch(detail(goal), {"supports": dept_goal.pk}, format="json", HTTP_IF_MATCH=goal.etag)
    assert ok.status_code == 200 and ok.json()["supports"] == dept_goal.pk


def test_delete_with_etag(tree):
    goal = UnitGoalFactory(unit=tree.dept, cycle=tree.cycle, title="Mål")
    api = client(tree.dept_leader)
    assert api.delete(detail(goal)).status_code == 428
    assert api.delete(detail(goal), HTTP_IF_MATCH=f'"u{goal.pk}-7"').status_code == 412
    assert api.delete(detail(goal), HTTP_IF_MATCH=goal.etag).status_code == 204
    assert not UnitGoal.objects.filter(pk=goal.pk).exists()


def test_delete_refused_while_a_unit_goal_supports_it(tree):
    goal = UnitGoalFactory(unit=tree.dept, cycle=tree.cycle, title="Mål")
    UnitGoalFactory(unit=tree.section, cycle=tree.cycle, title="Mål", supports=goal)
    response = client(tree.hr).delete(detail(goal), HTTP_IF_MATCH=goal.etag)
    assert response.status_code == 409
    assert UnitGoal.objects.filter(pk=goal.pk).exists()


# --- the list ---------------------------------------------------------------------------------------------


def titles(response):
    assert response.status_code == 200, response.json()
    return sorted(g["title"] for g in response.json()["results"])


def test_list_filters(tree):
    UnitGoalFactory(unit=tree.top, cycle=tree.cycle, title="Kommune")
    UnitGoalFactory(unit=tree.dept, cycle=tree.cycle, title="Helse")
    UnitGoalFactory(unit=tree.section, cycle=tree.cycle, title="Legevakt")
    UnitGoalFactory(unit=tree.other_dept, cycle=tree.cycle, title="Skole")
    UnitGoalFactory(unit=tree.top, cycle=tree.next_cycle, title="Kommune neste år")
    api = client(tree.employee)
    assert titles(api.get(LIST, {"cycle": tree.cycle.pk})) == ["Helse", "Kommune", "Legevakt", "Skole"]
    assert titles(api.get(LIST, {"unit": tree.dept.pk})) == ["Helse"]
    line_of_sight = api.get(LIST, {"cycle": tree.cycle.pk, "for_employee": tree.employee.pk})
    assert titles(line_of_sight) == ["Helse", "Kommune", "Legevakt"]
    assert titles(api.get(LIST, {"for_employee": tree.plain.pk, "cycle": tree.cycle.pk})) == [
        "Helse",
        "Kommune",
    ]
    assert titles(api.get(LIST, {"for_employee": 987654})) == []
    assert api.get(LIST, {"cycle": "x"}).status_code == 400


def test_list_query_count_does_not_grow(tree, django_assert_max_num_queries):
    units = [tree.top, tree.dept, tree.section, tree.other_dept]
    for i in range(40):
        UnitGoalFactory(unit=units[i % 4], cycle=tree.cycle, title=f"Mål {i}")
    api = client(tree.employee)
    with django_assert_max_num_queries(3):
        response = api.get(LIST, {"cycle": tree.cycle.pk, "for_employee": tree.employee.pk})
    assert len(response.json()["results"]) == 30


# --- copy into the next cycle ---------------------------------------------------------------------------


def test_hr_copies_a_cycle_with_its_links(tree):
    top_goal = UnitGoalFactory(unit=tree.top, cycle=tree.cycle, title="Kommune")
    dept_goal = UnitGoalFactory(unit=tree.dept, cycle=tree.cycle, title="Helse", supports=top_goal)
    UnitGoalFactory(unit=tree.section, cycle=tree.cycle, title="Legevakt", supports=dept_goal)
    body = {"source": tree.cycle.pk, "target": tree.next_cycle.pk}
    assert client(tree.dept_leader).post(url("unit-goals/copy/"), body, format="json").status_code == 403
    response = client(tree.hr).post(url("unit-goals/copy/"), body, format="json")
    assert response.status_code == 201, response.json()
    copies = {g.title: g for g in UnitGoal.objects.filter(cycle=tree.next_cycle)}
    assert set(copies) == {"Kommune", "Helse", "Legevakt"}
    assert copies["Helse"].supports == copies["Kommune"]
    assert copies["Legevakt"].supports == copies["Helse"]
    assert copies["Helse"].copied_from == dept_goal
    again = client(tree.hr).post(url("unit-goals/copy/"), body, format="json")
    assert again.status_code == 201 and again.json() == []
    assert UnitGoal.objects.filter(cycle=tree.next_cycle).count() == 3


def test_writes_are_in_the_audit_trail(tree):
    from django.apps import apps

    event_model = apps.get_model("goals", "UnitGoalEvent")
    goal_id = create(tree.dept_leader, tree.dept, tree.cycle).json()["id"]
    goal = UnitGoal.objects.get(pk=goal_id)
    client(tree.hr).patch(
        url(f"unit-goals/{goal_id}/"), {"title": "Endret"}, format="json", HTTP_IF_MATCH=goal.etag
    )
    events = list(event_model.objects.filter(pgh_obj_id=goal_id).order_by("pgh_id"))
    assert [(e.pgh_label, e.title) for e in events] == [("insert", "Trygge tjenester"), ("update", "Endret")]
