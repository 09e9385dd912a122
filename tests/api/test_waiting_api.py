"""GET me/waiting/: what waits on the caller, for each kind, as leader, employee and deputy."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from rest_framework.fields import DateTimeField

from conversations import services
from conversations.contract import workflow
from conversations.models import Cycle
from goals import proposals
from goals.models import Goal
from tests import factories
from tests.api.helpers import count_queries, url
from tests.workflow import bring_to, confirm

pytestmark = pytest.mark.django_db
WAITING = url("me/waiting/")
PEOPLE = ("leader", "employee", "deputy", "colleague", "other_leader", "other_employee", "hr")


def waiting(api_as, user) -> list[dict]:
    response = api_as(user).get(WAITING)
    assert response.status_code == 200
    return response.json()


def kinds_by_person(world, api_as, conversation) -> dict[str, list[str]]:
    """{person: [kinds waiting on them in `conversation`]} for every person of the world."""
    return {
        name: [
            row["kind"] for row in waiting(api_as, world.role(name)) if row["conversation"] == conversation.pk
        ]
        for name in PEOPLE
    }


def only(expected: dict) -> dict:
    return {name: expected.get(name, []) for name in PEOPLE}


def test_anonymous_is_401(api_as):
    assert api_as().get(WAITING).status_code == 401


def test_a_draft_waits_on_the_leader_only(world, api_as):
    rows = waiting(api_as, world.leader)
    assert [(r["kind"], r["conversation"]) for r in rows] == [("draft", world.conversation.pk)]
    assert rows[0]["url"].endswith(f"/samtaler/{world.conversation.pk}/#contract")
    assert rows[0]["employee"]["id"] == world.employee.pk and rows[0]["item"] is None
    assert kinds_by_person(world, api_as, world.conversation) == only({"leader": ["draft"]})


def test_a_version_to_confirm_waits_on_the_employee(world, api_as):
    bring_to(world.conversation, "awaiting_confirmation")
    assert kinds_by_person(world, api_as, world.conversation) == only({"employee": ["confirm"]})


def test_a_change_request_waits_on_the_leader(world, api_as):
    bring_to(world.conversation, "changes_requested")
    assert kinds_by_person(world, api_as, world.conversation) == only({"leader": ["change_request"]})


def test_a_proposal_waits_on_the_leader_of_record_and_a_decline_on_the_employee(world, api_as):
    proposal = proposals.proposal_create(
        conversation=world.conversation, actor=world.employee, kind="task", title="Rydde arkivet"
    )
    assert kinds_by_person(world, api_as, world.conversation) == only({"leader": ["draft", "proposal"]})
    [row] = [r for r in waiting(api_as, world.leader) if r["kind"] == "proposal"]
    assert row["url"].endswith(f"/samtaler/{world.conversation.pk}/#proposals")
    assert row["since"] == DateTimeField().to_representation(proposal.created_at)  # as the API writes times
    proposals.proposal_decline(proposal=proposal, actor=world.leader, reason="Ikke nå")
    assert kinds_by_person(world, api_as, world.conversation) == only(
        {"leader": ["draft"], "employee": ["proposal_declined"]}
    )


def test_a_confirmed_agreement_waits_on_nobody(world, api_as):
    confirm(world.conversation)
    assert kinds_by_person(world, api_as, world.conversation) == only({})


def test_an_open_question_waits_on_the_other_side_until_answered(world, api_as):
    conversation = world.conversation
    confirm(conversation)
    goal = Goal.objects.get(conversation=conversation)
    question = services.follow_up_create(
        conversation=conversation, actor=world.employee, text="Er vi på rett vei?", kind="question", goal=goal
    )
    assert kinds_by_person(world, api_as, conversation) == only(
        {"leader": ["question"], "deputy": ["question"]}
    )
    [row] = waiting(api_as, world.deputy)
    assert row["item"] == {"kind": "goal", "id": goal.pk}
    assert row["url"].endswith(f"#follow-up-{question.pk}")
    services.follow_up_create(
        conversation=conversation,
        actor=world.deputy,
        text="Ja",
        kind="answer",
        answers=question,
        answer="on_track",
    )
    assert kinds_by_person(world, api_as, conversation) == only({})
    services.follow_up_create(conversation=conversation, actor=world.leader, text="Og du?", kind="question")
    assert kinds_by_person(world, api_as, conversation) == only({"employee": ["question"]})


@pytest.mark.parametrize("status", ["at_risk", "off_track"])
def test_an_item_at_risk_waits_on_the_other_side_until_they_reply(world, api_as, status):
    conversation = world.conversation
    confirm(conversation)
    goal = Goal.objects.get(conversation=conversation)
    services.follow_up_create(
        conversation=conversation, actor=world.employee, text="Hm", goal=goal, item_status=status
    )
    assert kinds_by_person(world, api_as, conversation) == only(
        {"leader": ["at_risk"], "deputy": ["at_risk"]}
    )
    # The employee's own later entry does not answer it; the leader side's does.
    services.follow_up_create(conversation=conversation, actor=world.employee, text="Fortsatt")
    assert kinds_by_person(world, api_as, conversation)["leader"] == ["at_risk"]
    services.follow_up_create(conversation=conversation, actor=world.deputy, text="Vi tar det")
    assert kinds_by_person(world, api_as, conversation) == only({})
    services.follow_up_create(
        conversation=conversation, actor=world.leader, text="Risiko", item_status=status
    )
    assert kinds_by_person(world, api_as, conversation) == only({"employee": ["at_risk"]})


def test_a_statement_waits_until_read(world, api_as):
    conversation = world.conversation
    confirm(conversation)
    services.statement_create(conversation=conversation, actor=world.employee, text="Mitt siste ord")
    assert kinds_by_person(world, api_as, conversation) == only(
        {"leader": ["statement"], "deputy": ["statement"]}
    )
    later = timezone.now() + datetime.timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        assert api_as(world.leader).get(url(f"conversations/{conversation.pk}/")).status_code == 200
        assert kinds_by_person(world, api_as, conversation) == only({"deputy": ["statement"]})


def test_no_follow_up_for_longer_than_the_check_in_interval_waits_on_both_parties(world, api_as):
    conversation = world.conversation
    cycle = Cycle.objects.create(
        name="2027", starts_on=timezone.localdate(), deadline=timezone.localdate(), check_in_days=30
    )
    type(conversation).objects.filter(pk=conversation.pk).update(cycle=cycle)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        confirm(conversation)
    with time_machine.travel(start + datetime.timedelta(days=29), tick=False):
        assert kinds_by_person(world, api_as, conversation) == only({})
    with time_machine.travel(start + datetime.timedelta(days=31), tick=False):
        assert kinds_by_person(world, api_as, conversation) == only(
            {"leader": ["check_in"], "employee": ["check_in"]}
        )
        [row] = waiting(api_as, world.employee)
        assert row["since"].startswith((start + datetime.timedelta(days=30)).date().isoformat())
        services.follow_up_create(conversation=conversation, actor=world.employee, text="Status")
        assert kinds_by_person(world, api_as, conversation) == only({})
    with time_machine.travel(start + datetime.timedelta(days=62), tick=False):
        assert kinds_by_person(world, api_as, conversation)["leader"] == ["check_in"]


def test_the_default_check_in_interval_is_90_days(world, api_as):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        confirm(world.conversation)
    with time_machine.travel(start + datetime.timedelta(days=89), tick=False):
        assert waiting(api_as, world.leader) == []
    with time_machine.travel(start + datetime.timedelta(days=91), tick=False):
        assert [r["kind"] for r in waiting(api_as, world.leader)] == ["check_in"]


def test_finished_conversations_and_ended_grants_wait_on_nobody(world, api_as):
    conversation = world.conversation
    confirm(conversation)
    services.follow_up_create(conversation=conversation, actor=world.employee, text="?", kind="question")
    grant = conversation.leader.deputy_grants_given.get()
    services.deputy_grant_end(grant=grant, actor=world.leader)
    assert kinds_by_person(world, api_as, conversation) == only({"leader": ["question"]})
    workflow.conversation_close(conversation_id=conversation.pk, actor=world.leader)
    assert kinds_by_person(world, api_as, conversation) == only({})


def test_oldest_first_across_conversations(world, api_as):
    start = timezone.now()
    with time_machine.travel(start - datetime.timedelta(days=3), tick=False):
        confirm(world.conversation)
    with time_machine.travel(start - datetime.timedelta(days=2), tick=False):
        newer = factories.make_conversation(leader=world.leader, employee=world.colleague)
    with time_machine.travel(start - datetime.timedelta(days=1), tick=False):
        services.follow_up_create(
            conversation=world.conversation, actor=world.employee, text="?", kind="question"
        )
    rows = waiting(api_as, world.leader)
    assert [(r["kind"], r["conversation"]) for r in rows] == [
        ("draft", newer.pk),
        ("question", world.conversation.pk),
    ]


def test_query_count_does_not_grow_with_the_conversations(world, api_as, django_assert_max_num_queries):
    def add_conversations(count):
        for _i in range(count):
            employee = factories.UserFactory(unit=world.leader.unit, manager=world.leader)
            conversation = factories.make_conversation(leader=world.leader, employee=employee)
            confirm(conversation)
            services.follow_up_create(conversation=conversation, actor=employee, text="?", kind="question")
            services.follow_up_create(
                conversation=conversation, actor=employee, text="!", item_status="at_risk"
            )
            services.statement_create(conversation=conversation, actor=employee, text="Ord")
            newcomer = factories.UserFactory(unit=world.leader.unit, manager=world.leader)
            draft = factories.make_conversation(leader=world.leader, employee=newcomer, items=False)
            proposals.proposal_create(conversation=draft, actor=newcomer, kind="task", title="Forslag")

    add_conversations(1)
    client = api_as(world.leader)
    few = count_queries(lambda: client.get(WAITING))
    add_conversations(12)
    with django_assert_max_num_queries(few):
        rows = client.get(WAITING).json()
    assert len(rows) == 1 + 13 * 5  # per round: question, at risk, statement, draft, proposal
    assert few == 1  # one statement (conversations.notify.waiting); force_authenticate reads nothing
