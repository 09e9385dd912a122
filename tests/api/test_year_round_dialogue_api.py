"""The year-round dialogue on the API: questions and their answers, promises marked kept or not."""

import pytest

from conversations.models import FollowUp, HistoryEntry
from goals import services as goal_services
from goals.models import Expectation, Goal, Task
from tests.api.helpers import url
from tests.workflow import confirm

pytestmark = pytest.mark.django_db


def follow_ups(conversation):
    return url(f"conversations/{conversation.pk}/follow-ups/")


def post(client, conversation, **body):
    return client.post(follow_ups(conversation), body, format="json")


@pytest.fixture
def confirmed(world):
    """The world's conversation with an expectation in each direction, confirmed."""
    goal_services.expectation_create(
        conversation=world.conversation,
        actor=world.leader,
        direction="employee_to_leader",
        text="Tid til faglig veiledning",
    )
    confirm(world.conversation)
    return world.conversation


def item_of(conversation, kind):
    if kind == "goal":
        return Goal.objects.get(conversation=conversation)
    if kind == "task":
        return Task.objects.get(conversation=conversation)
    if kind == "expectation":
        return Expectation.objects.filter(conversation=conversation).order_by("pk").first()
    return None


def ask(client, conversation, item_kind=None, text="Er vi på rett vei?"):
    body = {"kind": "question", "text": text}
    if item_kind:
        body[item_kind] = item_of(conversation, item_kind).pk
    response = post(client, conversation, **body)
    assert response.status_code == 201, response.json()
    return response.json()


# --- questions and answers ------------------------------------------------------------------------------


@pytest.mark.parametrize("item_kind", [None, "goal", "task", "expectation"])
def test_employee_asks_and_leader_answers(world, api_as, confirmed, item_kind):
    question = ask(api_as(world.employee), confirmed, item_kind)
    assert question["kind"] == "question" and question["open"] is True
    assert question["answer"] == "" and question["answers"] is None
    answer = post(
        api_as(world.leader),
        confirmed,
        kind="answer",
        answers=question["id"],
        answer="adjust",
        text="Ja, men",
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["kind"], body["answers"], body["answer"], body["open"]) == (
        "answer",
        question["id"],
        "adjust",
        False,
    )
    # The answer is about the question's item.
    for name in ("goal", "task", "expectation"):
        assert body[name] == question[name]
    rows = {row["id"]: row for row in api_as(world.employee).get(follow_ups(confirmed)).json()["results"]}
    assert rows[question["id"]]["open"] is False


@pytest.mark.parametrize("asker", ["leader", "deputy"])
def test_leader_side_asks_and_only_the_employee_answers(world, api_as, confirmed, asker):
    question = ask(api_as(world.role(asker)), confirmed, "goal")
    body = {"kind": "answer", "answers": question["id"], "answer": "on_track", "text": "Ja"}
    for same_side in ("leader", "deputy"):
        assert post(api_as(world.role(same_side)), confirmed, **body).status_code == 403
    assert post(api_as(world.employee), confirmed, **body).status_code == 201


def test_the_asker_cannot_answer_and_one_answer_closes_the_question(world, api_as, confirmed):
    question = ask(api_as(world.employee), confirmed)
    body = {"kind": "answer", "answers": question["id"], "answer": "talk", "text": "La oss ta en prat"}
    assert post(api_as(world.employee), confirmed, **body).status_code == 403
    assert post(api_as(world.deputy), confirmed, **body).status_code == 201
    assert post(api_as(world.leader), confirmed, **body).status_code == 409
    assert FollowUp.objects.filter(answers_id=question["id"]).count() == 1


def test_question_and_answer_in_the_history(world, api_as, confirmed):
    question = ask(api_as(world.employee), confirmed)
    post(api_as(world.leader), confirmed, kind="answer", answers=question["id"], answer="talk", text="Ja")
    actions = list(HistoryEntry.objects.filter(conversation=confirmed).values_list("action", flat=True))
    assert actions[-2:] == ["question", "answer"]


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "answer", "text": "x", "answer": "adjust"},  # no question
        {"kind": "answer", "text": "x", "answers": "QUESTION"},  # no answer
        {"kind": "answer", "text": "x", "answers": "QUESTION", "answer": "maybe"},
        {"kind": "answer", "text": "x", "answers": "NOTE", "answer": "adjust"},  # not a question
        {"kind": "answer", "text": "x", "answers": 2**70, "answer": "adjust"},
        {"kind": "answer", "text": "x", "answers": "QUESTION", "answer": "adjust", "goal": "GOAL"},
        {"kind": "note", "text": "x", "answers": "QUESTION"},
        {"kind": "note", "text": "x", "answer": "adjust"},
        {"kind": "question", "text": ""},
        {"kind": "asked", "text": "x"},
    ],
)
def test_bad_question_and_answer_bodies(world, api_as, confirmed, body):
    question = ask(api_as(world.employee), confirmed)
    note = post(api_as(world.employee), confirmed, text="Notat").json()
    goal = item_of(confirmed, "goal")
    stand_ins = {"QUESTION": question["id"], "NOTE": note["id"], "GOAL": goal.pk}
    body = {
        key: stand_ins.get(value, value) if isinstance(value, str) else value for key, value in body.items()
    }
    assert post(api_as(world.leader), confirmed, **body).status_code == 400, body


def test_a_question_of_another_conversation_cannot_be_answered(world, api_as, confirmed):
    from tests import factories

    other = factories.make_conversation(leader=world.leader, employee=world.colleague)
    confirm(other)
    question = ask(api_as(world.colleague), other)
    body = {"kind": "answer", "answers": question["id"], "answer": "adjust", "text": "x"}
    assert post(api_as(world.leader), confirmed, **body).status_code == 400
    assert post(api_as(world.hr), other, **body).status_code == 404


def test_questions_wait_for_confirmation(world, api_as):
    assert post(api_as(world.employee), world.conversation, kind="question", text="?").status_code == 409


# --- kept promises ---------------------------------------------------------------------------------------


def expectation(conversation, direction):
    return Expectation.objects.get(conversation=conversation, direction=direction)


@pytest.mark.parametrize("kind", ["kept", "not_kept"])
def test_each_party_marks_the_promises_made_to_them(world, api_as, confirmed, kind):
    to_leader = expectation(confirmed, "employee_to_leader")
    to_employee = expectation(confirmed, "leader_to_employee")
    marked = post(api_as(world.employee), confirmed, kind=kind, expectation=to_leader.pk, text="Kommentar")
    assert marked.status_code == 201 and marked.json()["kind"] == kind
    assert (
        post(api_as(world.employee), confirmed, kind=kind, expectation=to_employee.pk, text="x").status_code
        == 403
    )
    for leader_side in ("leader", "deputy"):
        client = api_as(world.role(leader_side))
        assert post(client, confirmed, kind=kind, expectation=to_employee.pk, text="Bra").status_code == 201
        assert post(client, confirmed, kind=kind, expectation=to_leader.pk, text="x").status_code == 403
    actions = set(HistoryEntry.objects.filter(conversation=confirmed).values_list("action", flat=True))
    assert f"promise_{kind}" in actions


@pytest.mark.parametrize("item_kind", [None, "goal", "task"])
def test_a_mark_is_on_an_expectation(world, api_as, confirmed, item_kind):
    body = {"kind": "not_kept", "text": "x"}
    if item_kind:
        body[item_kind] = item_of(confirmed, item_kind).pk
    assert post(api_as(world.employee), confirmed, **body).status_code == 400


def test_list_query_count_with_questions(world, api_as, confirmed, django_assert_max_num_queries):
    client = api_as(world.employee)
    ask(client, confirmed)
    baseline = len(client.get(follow_ups(confirmed)).json()["results"])
    for i in range(15):
        question = ask(client, confirmed, text=f"Spørsmål {i}")
        if i % 2:
            FollowUp.objects.create(
                conversation=confirmed,
                author=world.leader,
                text="svar",
                kind="answer",
                answers_id=question["id"],
                answer="talk",
            )
    with django_assert_max_num_queries(8):
        response = client.get(follow_ups(confirmed))
    assert response.json()["count"] == baseline + 15 + 7
