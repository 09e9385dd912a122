"""A supplementary statement is news for the leader: one e-mail, in their language, with a link."""

import pytest
from django.core import mail
from django.test import TestCase, override_settings

from conversations import services
from core.errors import InvalidTransition
from tests.workflow import confirm

pytestmark = pytest.mark.django_db


@override_settings(SAMTALE_SITE_URL="https://samtale.example.no")
def test_the_leader_is_told_of_a_statement_once(conversation):
    confirm(conversation)
    conversation.leader.language = "en"
    conversation.leader.save(update_fields=["language"])
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        statement = services.statement_create(
            conversation=conversation, actor=conversation.employee, text="Jeg ønsker mer tid til kurs."
        )
    assert [m.to for m in mail.outbox] == [[conversation.leader.email]]
    message = mail.outbox[0]
    assert (
        message.subject
        == f"{conversation.employee.full_name} added a supplementary statement to the agreement"
    )
    assert "Jeg ønsker mer tid til kurs." in message.body
    assert f"https://samtale.example.no/samtaler/{conversation.pk}/#statements" in message.body
    assert statement.pk


def test_no_mail_for_a_refused_statement(conversation):
    """Before confirmation a statement is refused, and nothing is sent."""
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True), pytest.raises(InvalidTransition):
        services.statement_create(conversation=conversation, actor=conversation.employee, text="For tidlig")
    assert mail.outbox == []
