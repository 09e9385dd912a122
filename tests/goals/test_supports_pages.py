"""The line of sight on the pages: the leader picks from it while recording; both parties see the chain."""

import pytest
from django.urls import reverse

from goals.models import Goal
from tests import factories
from tests.factories import UnitGoalFactory

pytestmark = pytest.mark.django_db


def page_url(name, conversation, *args):
    return reverse(f"web:{name}", args=[conversation.pk, *args])


@pytest.fixture
def conversation(tree):
    return factories.make_conversation(
        leader=tree.section_leader, employee=tree.employee, cycle=tree.cycle, items=False
    )


@pytest.fixture
def chain(tree):
    top = UnitGoalFactory(unit=tree.top, cycle=tree.cycle, title="Trygg by")
    dept = UnitGoalFactory(unit=tree.dept, cycle=tree.cycle, title="Trygg legevakt", supports=top)
    section = UnitGoalFactory(unit=tree.section, cycle=tree.cycle, title="Kort ventetid", supports=dept)
    return top, dept, section


def test_the_leader_picks_from_the_line_of_sight_only(tree, conversation, chain, client):
    UnitGoalFactory(unit=tree.other_dept, cycle=tree.cycle, title="Skolemål")
    UnitGoalFactory(unit=tree.dept, cycle=tree.next_cycle, title="Neste år")
    client.force_login(tree.section_leader)
    body = client.get(page_url("conversation", conversation)).content.decode()
    assert 'name="goal-supports"' in body
    for title in ("Trygg by", "Trygg legevakt", "Kort ventetid"):
        assert title in body
    assert "Skolemål" not in body and "Neste år" not in body


def test_the_leader_links_a_goal_on_the_page_and_both_see_the_chain(tree, conversation, chain, client):
    _top, _dept, section = chain
    client.force_login(tree.section_leader)
    response = client.post(
        page_url("item_add", conversation, "goal"),
        {"goal-kind": "result", "goal-title": "Triage på 15 min", "goal-supports": section.pk},
    )
    assert response.status_code == 302
    assert Goal.objects.get(conversation=conversation).supports == section
    client.force_login(tree.employee)
    body = client.get(page_url("conversation", conversation)).content.decode()
    assert 'class="chain"' in body
    positions = [body.index(title) for title in ("Trygg by", "Trygg legevakt", "Kort ventetid")]
    assert positions == sorted(positions)


def test_a_goal_out_of_sight_posted_on_the_page_is_refused(tree, conversation, chain, client):
    foreign = UnitGoalFactory(unit=tree.other_dept, cycle=tree.cycle, title="Skolemål")
    client.force_login(tree.section_leader)
    response = client.post(
        page_url("item_add", conversation, "goal"),
        {"goal-kind": "result", "goal-title": "Noe", "goal-supports": foreign.pk},
    )
    assert response.status_code == 400
    assert not Goal.objects.filter(conversation=conversation).exists()


def test_the_page_reads_chains_in_bounded_queries(
    tree, conversation, chain, client, django_assert_max_num_queries
):
    client.force_login(tree.employee)
    for i in range(8):
        Goal.objects.create(conversation=conversation, title=f"Mål {i}", kind="result", supports=chain[i % 3])
    client.get(page_url("conversation", conversation))
    with django_assert_max_num_queries(40) as captured:
        client.get(page_url("conversation", conversation))
    before = len(captured.captured_queries)
    for i in range(8):
        Goal.objects.create(
            conversation=conversation, title=f"Flere {i}", kind="result", supports=chain[i % 3]
        )
    with django_assert_max_num_queries(before):
        client.get(page_url("conversation", conversation))
