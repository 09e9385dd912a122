"""A contract goal's `supports`: the line-of-sight rule, the link in the hash and the version comparison,
the 409 on deleting a supported unit goal, and carry-over into the next cycle."""

import io
import re

import pytest
from pypdf import PdfReader
from rest_framework.test import APIClient

from conversations import services as conversation_services
from conversations.contract import versions_diff
from conversations.contract.answers import unchanged_item_keys
from goals.carry_over import carry_over_open_items
from goals.models import Goal
from goals.unit_goals import unit_goals_copy
from tests import factories
from tests.api.helpers import url
from tests.factories import UnitGoalFactory
from tests.workflow import confirm, submit

pytestmark = pytest.mark.django_db


def client(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def conversation(tree):
    return factories.make_conversation(
        leader=tree.section_leader, employee=tree.employee, cycle=tree.cycle, items=False
    )


def add_goal(conversation, supports, title="Kortere ventetid"):
    body = {"title": title, "kind": "result", "measure": "Median under 2 timer", "supports": supports}
    return client(conversation.leader).post(
        url(f"conversations/{conversation.pk}/goals/"), body, format="json"
    )


@pytest.mark.parametrize("unit", ["top", "dept", "section"])
def test_a_goal_supports_a_unit_goal_in_the_line_of_sight(tree, conversation, unit):
    supported = UnitGoalFactory(unit=getattr(tree, unit), cycle=tree.cycle, title="Mål")
    response = add_goal(conversation, supported.pk)
    assert response.status_code == 201, response.json()
    assert response.json()["supports"] == supported.pk
    assert Goal.objects.get(pk=response.json()["id"]).supports == supported


@pytest.mark.parametrize("where", ["other_dept", "other_cycle", "below"])
def test_anything_else_is_400(tree, conversation, where):
    below = factories.OrgUnitFactory(name="Natt", parent=tree.section)
    supported = {
        "other_dept": lambda: UnitGoalFactory(unit=tree.other_dept, cycle=tree.cycle, title="Mål"),
        "other_cycle": lambda: UnitGoalFactory(unit=tree.dept, cycle=tree.next_cycle, title="Mål"),
        "below": lambda: UnitGoalFactory(unit=below, cycle=tree.cycle, title="Mål"),
    }[where]()
    response = add_goal(conversation, supported.pk)
    assert response.status_code == 400
    assert not Goal.objects.filter(conversation=conversation).exists()


def test_a_conversation_without_a_cycle_supports_nothing(tree):
    conversation = factories.make_conversation(
        leader=tree.section_leader, employee=tree.employee, items=False
    )
    assert (
        add_goal(conversation, UnitGoalFactory(unit=tree.dept, cycle=tree.cycle, title="Mål").pk).status_code
        == 400
    )


def test_patch_to_a_goal_out_of_sight_is_400(tree, conversation):
    goal = Goal.objects.get(pk=add_goal(conversation, None).json()["id"])
    foreign = UnitGoalFactory(unit=tree.other_dept, cycle=tree.cycle, title="Mål")
    response = client(tree.section_leader).patch(
        url(f"goals/{goal.pk}/"), {"supports": foreign.pk}, format="json", HTTP_IF_MATCH=goal.etag
    )
    assert response.status_code == 400
    goal.refresh_from_db()
    assert goal.supports is None


def test_the_link_is_in_the_hash_and_needs_a_new_confirmation(tree, conversation):
    first, second = (
        UnitGoalFactory(unit=tree.dept, cycle=tree.cycle, title="Trygg legevakt"),
        UnitGoalFactory(unit=tree.top, cycle=tree.cycle, title="Trygg by"),
    )
    goal = Goal.objects.get(pk=add_goal(conversation, first.pk).json()["id"])
    version_1 = confirm(conversation)
    assert version_1.content["goals"][0]["supports"] == {
        "id": first.pk,
        "title": "Trygg legevakt",
        "unit": "Helse",
    }
    api = client(tree.section_leader)
    assert api.post(url(f"conversations/{conversation.pk}/amend/")).status_code == 200
    goal.refresh_from_db()
    changed = api.patch(
        url(f"goals/{goal.pk}/"), {"supports": second.pk}, format="json", HTTP_IF_MATCH=goal.etag
    )
    assert changed.status_code == 200, changed.json()
    version_2 = submit(conversation)
    assert version_2.sha256 != version_1.sha256
    conversation.refresh_from_db()
    assert conversation.status == "awaiting_confirmation"
    assert conversation.confirmed_version_id == version_1.pk
    assert unchanged_item_keys(version_1.content, version_2.content) == set()  # asked again
    (change,) = versions_diff.compare_contents(version_1.content, version_2.content)["goals"]
    assert change.change == versions_diff.CHANGED and change.changed_fields == ("supports",)


def test_a_goal_without_a_link_has_the_content_it_had_before_unit_goals(tree, conversation):
    add_goal(conversation, None)
    version = submit(conversation)
    goal = version.content["goals"][0]
    assert set(goal) == {"id", "kind", "title", "description", "measure", "due_date"}


def test_a_supported_unit_goal_cannot_be_deleted(tree, conversation):
    supported = UnitGoalFactory(unit=tree.dept, cycle=tree.cycle, title="Mål")
    add_goal(conversation, supported.pk)
    response = client(tree.hr).delete(url(f"unit-goals/{supported.pk}/"), HTTP_IF_MATCH=supported.etag)
    assert response.status_code == 409
    assert supported.__class__.objects.filter(pk=supported.pk).exists()


# --- carry-over -------------------------------------------------------------------------------------------


def next_year(tree):
    return conversation_services.conversation_create(
        actor=tree.section_leader, employee=tree.employee, cycle=tree.next_cycle, carry_over=True
    )


def test_carry_over_follows_a_copied_unit_goal(tree, conversation):
    top_goal = UnitGoalFactory(unit=tree.top, cycle=tree.cycle, title="Trygg by")
    dept_goal = UnitGoalFactory(unit=tree.dept, cycle=tree.cycle, title="Trygg legevakt", supports=top_goal)
    add_goal(conversation, dept_goal.pk)
    confirm(conversation)
    copies = {
        g.copied_from_id: g for g in unit_goals_copy(actor=tree.hr, source=tree.cycle, target=tree.next_cycle)
    }
    carried = Goal.objects.get(conversation=next_year(tree))
    assert carried.supports == copies[dept_goal.pk]


def test_carry_over_follows_the_same_title_in_the_same_unit(tree, conversation):
    add_goal(conversation, UnitGoalFactory(unit=tree.dept, cycle=tree.cycle, title="Trygg legevakt").pk)
    confirm(conversation)
    UnitGoalFactory(unit=tree.dept, cycle=tree.next_cycle, title="Noe annet")
    continued = UnitGoalFactory(unit=tree.dept, cycle=tree.next_cycle, title="Trygg legevakt")
    UnitGoalFactory(unit=tree.other_dept, cycle=tree.next_cycle, title="Trygg legevakt")
    assert Goal.objects.get(conversation=next_year(tree)).supports == continued


def test_carry_over_drops_a_link_that_does_not_continue(tree, conversation):
    add_goal(conversation, UnitGoalFactory(unit=tree.dept, cycle=tree.cycle, title="Trygg legevakt").pk)
    confirm(conversation)
    UnitGoalFactory(unit=tree.dept, cycle=tree.next_cycle, title="Ny retning")
    carried = Goal.objects.get(conversation=next_year(tree))
    assert carried.title == "Kortere ventetid" and carried.supports is None


def test_carry_over_reads_unit_goals_in_bounded_queries(tree, conversation, django_assert_max_num_queries):
    for i in range(5):
        add_goal(
            conversation,
            UnitGoalFactory(unit=tree.dept, cycle=tree.cycle, title=f"Mål {i}").pk,
            title=f"Avtalt {i}",
        )
    confirm(conversation)
    unit_goals_copy(actor=tree.hr, source=tree.cycle, target=tree.next_cycle)
    draft = conversation_services.conversation_create(
        actor=tree.section_leader, employee=tree.employee, cycle=tree.next_cycle
    )
    with django_assert_max_num_queries(8):
        carry_over_open_items(draft)
    assert Goal.objects.filter(conversation=draft, supports__cycle=tree.next_cycle).count() == 5


# --- the PDF ----------------------------------------------------------------------------------------------


def pdf_text(user, conversation) -> str:
    response = client(user).get(url(f"conversations/{conversation.pk}/pdf/"))
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.content)).pages
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in pages))


def test_the_pdf_prints_what_the_goal_supports(tree, conversation):
    add_goal(conversation, UnitGoalFactory(unit=tree.dept, cycle=tree.cycle, title="Trygg legevakt").pk)
    add_goal(conversation, None, title="Uten kobling")
    confirm(conversation)
    text = pdf_text(tree.employee, conversation)
    assert "Støtter:Trygglegevakt(Helse)" in text
    assert text.count("Støtter:") == 1


def test_the_history_names_the_supported_goal_by_its_title(tree, conversation):
    first, second = (
        UnitGoalFactory(unit=tree.dept, cycle=tree.cycle, title="Trygg legevakt"),
        UnitGoalFactory(unit=tree.top, cycle=tree.cycle, title="Trygg by"),
    )
    goal = Goal.objects.get(pk=add_goal(conversation, first.pk).json()["id"])
    client(tree.section_leader).patch(
        url(f"goals/{goal.pk}/"), {"supports": second.pk}, format="json", HTTP_IF_MATCH=goal.etag
    )
    created, updated = conversation.history.filter(action__startswith="goal_").order_by("pk")
    assert created.changes["values"]["supports"] == "Trygg legevakt"
    assert updated.changes["fields"]["supports"] == ["Trygg legevakt", "Trygg by"]
