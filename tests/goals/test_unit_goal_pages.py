"""The unit goal pages and the leader's Retning, with numbers counted by hand."""

import pytest
from django.urls import reverse

from conversations.contract import workflow
from goals.models import Goal, UnitGoal
from goals.selectors import direction
from tests import factories
from tests.factories import UnitGoalFactory

pytestmark = pytest.mark.django_db
PAGE = reverse("goals:unit_goals")


def test_hr_and_leaders_publish_on_the_page(tree, client):
    top_goal = UnitGoalFactory(unit=tree.top, cycle=tree.cycle, title="Trygg by")
    client.force_login(tree.dept_leader)
    query = f"?unit={tree.dept.pk}&cycle={tree.cycle.pk}"
    page = client.get(PAGE + query)
    assert page.status_code == 200
    assert "Trygg by" in page.content.decode() and 'name="goal-supports"' in page.content.decode()
    response = client.post(PAGE + query, {"goal-title": "Trygg legevakt", "goal-supports": top_goal.pk})
    assert response.status_code == 302
    assert UnitGoal.objects.get(unit=tree.dept, title="Trygg legevakt").supports == top_goal


def test_someone_out_of_reach_reads_but_cannot_publish(tree, client):
    UnitGoalFactory(unit=tree.dept, cycle=tree.cycle, title="Trygg legevakt")
    client.force_login(tree.other_leader)
    query = f"?unit={tree.dept.pk}&cycle={tree.cycle.pk}"
    page = client.get(PAGE + query)
    assert page.status_code == 200 and "Trygg legevakt" in page.content.decode()
    assert 'name="goal-title"' not in page.content.decode()
    assert client.post(PAGE + query, {"goal-title": "Nei"}).status_code == 403
    assert not UnitGoal.objects.filter(title="Nei").exists()


def test_a_page_edit_and_a_refused_delete(tree, client, conversation_with_link):
    goal = conversation_with_link
    client.force_login(tree.hr)
    edit = reverse("goals:unit_goal_edit", args=[goal.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"title": "Nytt navn", "description": "", "revision": goal.revision})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Nytt navn"
    client.post(reverse("goals:unit_goal_delete", args=[goal.pk]), {"revision": goal.revision})
    assert UnitGoal.objects.filter(pk=goal.pk).exists()  # a contract goal supports it


def test_hr_copies_on_the_page(tree, client):
    UnitGoalFactory(unit=tree.top, cycle=tree.cycle, title="Trygg by")
    client.force_login(tree.hr)
    url = reverse("goals:unit_goals_copy") + f"?unit={tree.top.pk}&cycle={tree.cycle.pk}"
    assert client.post(url, {"copy-target": tree.next_cycle.pk}).status_code == 302
    assert UnitGoal.objects.filter(cycle=tree.next_cycle, title="Trygg by").exists()
    client.force_login(tree.dept_leader)
    client.post(url, {"copy-target": tree.next_cycle.pk})
    assert UnitGoal.objects.filter(cycle=tree.next_cycle).count() == 1


@pytest.fixture
def conversation_with_link(tree):
    goal = UnitGoalFactory(unit=tree.section, cycle=tree.cycle, title="Kort ventetid")
    conversation = factories.make_conversation(
        leader=tree.section_leader, employee=tree.employee, cycle=tree.cycle, items=False
    )
    Goal.objects.create(conversation=conversation, title="Triage", kind="result", supports=goal)
    return goal


# --- Retning ----------------------------------------------------------------------------------------------


@pytest.fixture
def dept_team(tree):
    """dept_leader's reports: section_leader, plain, and four more in dept; a conversation each in the
    cycle. Unit goals of dept: A and B; section has S supporting A; top has T (A supports T)."""
    top_goal = UnitGoalFactory(unit=tree.top, cycle=tree.cycle, title="T")
    goal_a = UnitGoalFactory(unit=tree.dept, cycle=tree.cycle, title="A", supports=top_goal)
    goal_b = UnitGoalFactory(unit=tree.dept, cycle=tree.cycle, title="B")
    section_goal = UnitGoalFactory(unit=tree.section, cycle=tree.cycle, title="S", supports=goal_a)
    reports = [tree.section_leader, tree.plain] + [
        factories.UserFactory(unit=tree.dept, manager=tree.dept_leader) for _ in range(4)
    ]
    conversations = [
        factories.make_conversation(leader=tree.dept_leader, employee=r, cycle=tree.cycle, items=False)
        for r in reports
    ]

    def link(conversation, unit_goal_, title="Mål"):
        Goal.objects.create(conversation=conversation, title=title, kind="result", supports=unit_goal_)

    link(conversations[0], section_goal)  # supports A through S
    link(conversations[1], goal_a)
    link(conversations[1], goal_b, "Annet")  # A and B, counted once each
    link(conversations[2], goal_b)
    link(conversations[3], top_goal)  # above the unit: supports neither A nor B
    Goal.objects.create(conversation=conversations[4], title="Uten", kind="result")  # no link
    workflow.conversation_cancel(conversation_id=conversations[5].pk, actor=tree.dept_leader)  # left out
    return goal_a, goal_b, conversations


def test_direction_counts_by_hand(tree, dept_team):
    goal_a, goal_b, conversations = dept_team
    data = direction(tree.dept_leader, tree.cycle)
    assert [(row.goal.title, row.contracts) for row in data.goals] == [("A", 2), ("B", 2)]
    assert data.contracts == 5
    assert {c.pk for c in data.unsupported} == {conversations[3].pk, conversations[4].pk}


def test_direction_page_shows_it_with_links(tree, dept_team, client):
    _a, _b, conversations = dept_team
    client.force_login(tree.dept_leader)
    body = client.get(reverse("goals:direction") + f"?cycle={tree.cycle.pk}").content.decode()
    assert "2 av 5" in body
    assert reverse("web:conversation", args=[conversations[4].pk]) in body
    assert reverse("web:conversation", args=[conversations[0].pk]) not in body
    client.force_login(tree.employee)
    assert client.get(reverse("goals:direction")).status_code == 403


def test_direction_queries_do_not_grow(tree, dept_team, django_assert_num_queries):
    with django_assert_num_queries(5) as captured:
        direction(tree.dept_leader, tree.cycle)
    for _ in range(5):
        employee = factories.UserFactory(unit=tree.dept, manager=tree.dept_leader)
        conversation = factories.make_conversation(
            leader=tree.dept_leader, employee=employee, cycle=tree.cycle, items=False
        )
        Goal.objects.create(conversation=conversation, title="x", kind="result", supports=dept_team[0])
    with django_assert_num_queries(len(captured.captured_queries)):
        direction(tree.dept_leader, tree.cycle)
