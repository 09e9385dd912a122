"""The year-round dialogue on the conversation page: ask, answer, mark a promise."""

import pytest
from django.urls import reverse

from conversations.models import FollowUp
from goals.models import Expectation
from tests.factories import conversation_in
from tests.organisation import page_client

pytestmark = pytest.mark.django_db


def page_of(conversation, user) -> str:
    response = page_client(user).get(reverse("web:conversation", args=[conversation.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_employee_asks_and_the_leader_answers_on_the_page():
    conversation = conversation_in("confirmed")
    employee, leader = conversation.employee, conversation.leader
    response = page_client(employee).post(
        reverse("web:follow_up", args=[conversation.pk]),
        {"followup-kind": "question", "followup-text": "Er vi på rett vei med planen?", "followup-item": ""},
    )
    assert response.status_code == 302
    question = FollowUp.objects.get(conversation=conversation, kind="question")
    answer_url = reverse("web:follow_up_answer", args=[conversation.pk, question.pk])
    assert answer_url not in page_of(conversation, employee)  # the asker does not answer
    html = page_of(conversation, leader)
    assert answer_url in html and "Venter på svar" in html and "Juster kursen" in html

    missing = page_client(leader).post(answer_url, {f"answer-{question.pk}-text": "Ja"})
    assert missing.status_code == 400  # no answer chosen: the page again, text kept
    assert "Ja" in missing.content.decode()
    done = page_client(leader).post(
        answer_url, {f"answer-{question.pk}-answer": "adjust", f"answer-{question.pk}-text": "Litt mer tid"}
    )
    assert done.status_code == 302
    html = page_of(conversation, employee)
    assert "Juster kursen" in html and "Litt mer tid" in html and "Besvart" in html
    assert answer_url not in page_of(conversation, leader)
    # A second answer is refused with the reason, nothing added.
    again = page_client(leader).post(
        answer_url, {f"answer-{question.pk}-answer": "talk", f"answer-{question.pk}-text": "x"}
    )
    assert again.status_code == 400 and "allerede besvart" in again.content.decode()
    assert FollowUp.objects.filter(answers=question).count() == 1


def test_the_latest_mark_of_a_promise_is_shown_with_it():
    conversation = conversation_in("confirmed")
    expectation = Expectation.objects.get(conversation=conversation, direction="leader_to_employee")
    post = reverse("web:follow_up", args=[conversation.pk])
    for kind, text in (("not_kept", "Kom for sent"), ("kept", "Nå går det bra")):
        response = page_client(conversation.leader).post(
            post,
            {"followup-kind": kind, "followup-text": text, "followup-item": f"expectation-{expectation.pk}"},
        )
        assert response.status_code == 302
    html = page_of(conversation, conversation.employee)
    assert "Siste markering" in html and "Nå går det bra" in html
    # The employee cannot mark the leader's expectation of them.
    refused = page_client(conversation.employee).post(
        post,
        {"followup-kind": "kept", "followup-text": "x", "followup-item": f"expectation-{expectation.pk}"},
    )
    assert refused.status_code == 403
    assert FollowUp.objects.filter(kind__in=["kept", "not_kept"]).count() == 2


def test_my_employees_shows_what_waits_on_whom_after_confirmation():
    from conversations import services

    conversation = conversation_in("confirmed")
    leader, employee = conversation.leader, conversation.employee
    services.follow_up_create(
        conversation=conversation, actor=employee, text="Er vi på rett vei?", kind="question"
    )
    services.follow_up_create(conversation=conversation, actor=leader, text="Fristen?", item_status="at_risk")
    html = page_client(leader).get(reverse("web:my_reports")).content.decode()
    assert "Venter på deg:</span> Et spørsmål som venter på svar fra deg" in html
    assert "Venter på medarbeideren:</span> Et punkt markert i fare eller ikke på rett vei" in html
    home = page_client(leader).get(reverse("web:home")).content.decode()
    assert "Et spørsmål som venter på svar fra deg" in home and "Et punkt markert" not in home
