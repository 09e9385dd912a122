"""One read model: the conversation page's buttons and forms and the API's `allowed_actions` come from
the one `selectors.allowed_actions`, for every role in every state."""

import pytest
from django.test import Client
from django.urls import reverse

from conversations import selectors
from conversations.models import Status
from tests.factories import conversation_in

pytestmark = pytest.mark.django_db

STATES = [Status.DRAFT, Status.AWAITING_CONFIRMATION, Status.CONFIRMED, Status.CLOSED]
ROLES = ("employee", "leader")
PAGE_FLAGS = {
    "can_update": "update",
    "can_edit": "edit_items",
    "can_comment": "comment",
    "can_state": "statement",
    "can_follow_up": "follow_up",
    "can_propose": "propose",
    "can_decide": "decide_proposals",
}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("status", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_the_page_and_the_api_show_the_one_allowed_actions(status, role):
    conversation = conversation_in(status)
    user = getattr(conversation, role)
    actions = selectors.allowed_actions(user, conversation)
    client = logged_in(user)

    page = client.get(reverse("web:conversation", args=[conversation.pk]))
    assert page.status_code == 200
    assert {flag: page.context[flag] for flag in PAGE_FLAGS} == {
        flag: action in actions for flag, action in PAGE_FLAGS.items()
    }
    assert page.context["can_respond"] == ("respond" in actions)  # every state here has a version
    assert [name for name, _label in page.context["transitions"]] == [
        name for name in actions if name in ("submit", "amend", "close", "cancel")
    ]

    detail = client.get(f"/api/v1/conversations/{conversation.pk}/")
    assert detail.status_code == 200
    assert detail.json()["allowed_actions"] == [a for a in actions if a not in selectors.PAGE_ONLY_ACTIONS]


def test_only_the_employee_proposes_on_a_draft_and_only_the_leader_decides():
    draft = conversation_in(Status.DRAFT)
    assert "propose" in selectors.allowed_actions(draft.employee, draft)
    assert "propose" not in selectors.allowed_actions(draft.leader, draft)
    assert "decide_proposals" in selectors.allowed_actions(draft.leader, draft)
    assert "decide_proposals" not in selectors.allowed_actions(draft.employee, draft)
    confirmed = conversation_in(Status.CONFIRMED)
    assert "propose" not in selectors.allowed_actions(confirmed.employee, confirmed)
