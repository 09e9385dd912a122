"""The employee's proposals on the conversation page: propose, accept, decline with a reason, the
history, and user text shown as text."""

import pytest
from django.urls import reverse

from goals.models import Proposal, Task
from tests.factories import conversation_in
from tests.organisation import page_client

pytestmark = pytest.mark.django_db
MARKUP = "<script>alert(1)</script>"


def page_of(conversation, user) -> str:
    response = page_client(user).get(reverse("web:conversation", args=[conversation.pk]))
    assert response.status_code == 200
    return response.content.decode()


def propose(conversation, title):
    response = page_client(conversation.employee).post(
        reverse("web:proposal_add", args=[conversation.pk]),
        {"proposal-kind": "task", "proposal-title": title, "proposal-text": ""},
    )
    assert response.status_code == 302
    return Proposal.objects.filter(conversation=conversation).latest("pk")


def test_the_employee_proposes_and_the_leader_accepts_on_the_page():
    conversation = conversation_in("draft")
    assert reverse("web:proposal_add", args=[conversation.pk]) in page_of(conversation, conversation.employee)
    assert reverse("web:proposal_add", args=[conversation.pk]) not in page_of(
        conversation, conversation.leader
    )
    proposal = propose(conversation, f"Rydde arkivet {MARKUP}")
    accept = reverse("web:proposal_accept", args=[conversation.pk, proposal.pk])
    assert accept not in page_of(conversation, conversation.employee)
    html = page_of(conversation, conversation.leader)
    assert accept in html and MARKUP not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert page_client(conversation.leader).post(accept).status_code == 302
    assert Task.objects.filter(conversation=conversation, title=f"Rydde arkivet {MARKUP}").exists()
    assert "Godtatt" in page_of(conversation, conversation.employee)


def test_a_decline_needs_a_reason_the_employee_then_reads():
    conversation = conversation_in("draft")
    proposal = propose(conversation, "Ny vaktliste")
    decline = reverse("web:proposal_decline", args=[conversation.pk, proposal.pk])
    missing = page_client(conversation.leader).post(decline, {f"decline-{proposal.pk}-reason": ""})
    assert missing.status_code == 400 and "Dette feltet er påkrevd." in missing.content.decode()
    response = page_client(conversation.leader).post(
        decline, {f"decline-{proposal.pk}-reason": f"Ikke nå {MARKUP}"}
    )
    assert response.status_code == 302
    html = page_of(conversation, conversation.employee)
    assert "Avslått" in html and "Ikke nå &lt;script&gt;" in html and MARKUP not in html
    history = (
        page_client(conversation.employee)
        .get(reverse("web:history", args=[conversation.pk]))
        .content.decode()
    )
    assert "Forslaget ble avslått" in history and "Ikke nå &lt;script&gt;" in history


def test_after_the_draft_the_form_is_gone_and_a_late_post_changes_nothing():
    conversation = conversation_in("awaiting_confirmation")
    assert reverse("web:proposal_add", args=[conversation.pk]) not in page_of(
        conversation, conversation.employee
    )
    response = page_client(conversation.employee).post(
        reverse("web:proposal_add", args=[conversation.pk]),
        {"proposal-kind": "task", "proposal-title": "Sent"},
    )
    assert (
        response.status_code == 400
        and "Forslag kan bare gis mens avtalen er et utkast." in response.content.decode()
    )
    assert not Proposal.objects.exists()
