"""E-mail that brings people back: questions, answers, promises not kept and items at risk reach the
party who now has something to do, through a real SMTP server, in their language, with a link."""

import pytest

from conversations import services
from goals.models import Expectation, Goal
from tests.conversations.conftest import SITE, sent
from tests.factories import conversation_in

pytestmark = pytest.mark.django_db


def test_question_and_answer_mail_the_party_who_now_has_something_to_do(
    smtp, django_capture_on_commit_callbacks
):
    conversation = conversation_in("confirmed")
    leader, employee = conversation.leader, conversation.employee
    employee.language = "en"
    employee.save()
    goal = Goal.objects.get(conversation=conversation)
    with django_capture_on_commit_callbacks(execute=True):
        question = services.follow_up_create(
            conversation=conversation, actor=employee, text="Er vi på rett vei?", kind="question", goal=goal
        )
    [(to, subject, body)] = sent(smtp)
    assert to == leader.email and subject == f"{employee.full_name} spør: er vi på rett vei?"
    assert (
        f"{SITE}/samtaler/{conversation.pk}/#follow-up-{question.pk}" in body and "Er vi på rett vei?" in body
    )
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.follow_up_create(
            conversation=conversation,
            actor=leader,
            text="Ja!",
            kind="answer",
            answers=question,
            answer="on_track",
        )
    to, subject, body = sent(smtp)[1]
    assert to == employee.email and subject == f"{leader.full_name} answered your question"
    assert f"#follow-up-{answer.pk}" in body


def test_not_kept_and_at_risk_mail_the_other_party_and_notes_mail_nobody(
    smtp, django_capture_on_commit_callbacks
):
    conversation = conversation_in("confirmed")
    leader, employee = conversation.leader, conversation.employee
    expectation = Expectation.objects.get(conversation=conversation)
    with django_capture_on_commit_callbacks(execute=True):
        services.follow_up_create(conversation=conversation, actor=employee, text="Bare et notat")
        services.follow_up_create(
            conversation=conversation,
            actor=leader,
            text="Kom for sent",
            kind="not_kept",
            expectation=expectation,
        )
        services.follow_up_create(
            conversation=conversation, actor=employee, text="Stram frist", item_status="off_track"
        )
    assert [(to, subject) for to, subject, _body in sent(smtp)] == [
        (employee.email, f"{leader.full_name} markerte en forventning som ikke holdt"),
        (leader.email, f"{employee.full_name} markerte et punkt som i fare eller ikke på rett vei"),
    ]
