"""Helpers for the workflow, permission, version and service tests.

Conversations are brought into each state through the real services (never by assigning `.status`), so
the tests see the same rows, rights and history as production. `tests/goals` imports these helpers too.
"""

import datetime
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings
from django.utils import timezone

from conversations import workflow
from conversations.models import Conversation, DeputyGrant, HistoryEntry, Status
from conversations.permissions import MANAGE
from conversations.services import deputy_grant_create, employee_manager_changed
from tests import factories
from tests.background.smtp import free_port

AMENDMENT = "draft (amendment)"
"""A pseudo-status for the test tables: a draft opened by `amend`, so a confirmed version exists."""

WALKS: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (),
    Status.AWAITING_CONFIRMATION: ("submit",),
    Status.CHANGES_REQUESTED: ("submit", "request_changes"),
    Status.CONFIRMED: ("submit", "confirm"),
    Status.CLOSED: ("submit", "confirm", "close"),
    Status.CANCELLED: ("cancel",),
    AMENDMENT: ("submit", "confirm", "amend"),
}


def right_actor(conversation: Conversation, name: str):
    """The party the transition table gives the transition to: the leader manages, the employee responds."""
    return conversation.leader if workflow.TRANSITIONS[name].permission == MANAGE else conversation.employee


def latest_version(conversation: Conversation):
    return conversation.versions.order_by("-number").first()


def run_transition(conversation: Conversation, name: str, actor=None, **kwargs):
    """Run one transition through its public function with the arguments it needs."""
    actor = actor or right_actor(conversation, name)
    if name == "confirm" and not kwargs:
        latest = latest_version(conversation)
        kwargs = {"version": latest.number if latest else 1, "sha256": latest.sha256 if latest else "0" * 64}
    if name == "request_changes" and not kwargs:
        kwargs = {"comment": "Målet er for vagt formulert."}
    result = workflow.TRANSITION_FUNCTIONS[name](conversation_id=conversation.pk, actor=actor, **kwargs)
    conversation.refresh_from_db()
    return result


def walk(conversation: Conversation, status: str) -> Conversation:
    """Bring a fresh draft into `status` (or AMENDMENT) through the workflow."""
    for name in WALKS[status]:
        run_transition(conversation, name)
    conversation.refresh_from_db()
    expected = Status.DRAFT if status == AMENDMENT else status
    assert conversation.status == expected
    return conversation


def conversation_in(status: str, *, leader=None, employee=None, cycle=None) -> Conversation:
    """A new conversation with one item of each kind, walked into `status`."""
    conversation = factories.make_conversation(leader=leader, employee=employee, cycle=cycle)
    return walk(conversation, status)


def snapshot(conversation: Conversation) -> dict:
    """Everything a refused action must leave untouched."""
    fresh = Conversation.objects.get(pk=conversation.pk)
    return {
        "status": fresh.status,
        "revision": fresh.revision,
        "leader": fresh.leader_id,
        "confirmed_version": fresh.confirmed_version_id,
        "confirmed_at": fresh.confirmed_at,
        "closed_at": fresh.closed_at,
        "versions": fresh.versions.count(),
        "confirmations": fresh.confirmations.count(),
        "history": HistoryEntry.objects.filter(conversation=fresh).count(),
        "comments": fresh.comments.count(),
        "responses": fresh.responses.count(),
        "follow_ups": fresh.follow_ups.count(),
        "agenda_points": fresh.agenda_points.count(),
        "items": (fresh.tasks.count(), fresh.goals.count(), fresh.expectations.count()),
    }


def grant_deputy(leader, *, conversation=None, days: int = 7):
    deputy = factories.LeaderFactory()
    until = timezone.localdate() + datetime.timedelta(days=days)
    deputy_grant_create(leader=leader, deputy=deputy, until=until, conversation=conversation)
    return deputy


def expire_grants_of(deputy) -> None:
    """Move the deputy's grants into the past behind the services' back, as the calendar would."""
    DeputyGrant.objects.filter(deputy=deputy).update(until=timezone.localdate() - datetime.timedelta(days=1))


def change_manager(employee, new_manager):
    """What the org import does on a manager change. Returns the former manager."""
    old_manager = employee.manager
    employee.manager = new_manager
    employee.save()
    employee_manager_changed(employee=employee)
    return old_manager


@pytest.fixture
def conversation_factory(db):
    """`conversation_factory(status, **kwargs)`: a conversation walked into `status` through the services."""
    return conversation_in


# --- a real SMTP server for the e-mail tests ------------------------------------------------------------

SITE = "https://samtale.example.no"


class Inbox:
    """What the SMTP server received: (recipients, parsed message) in order."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp():
    """An aiosmtpd server on a free loopback port, with Django's SMTP backend pointed at it: the outbox's
    task delivers to it as it would to a real mail server."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=controller.port,
            EMAIL_USE_TLS=False,
            SAMTALE_SITE_URL=SITE,
        ):
            yield inbox
    finally:
        controller.stop()


def sent(inbox) -> list[tuple[str, str, str]]:
    """(recipient, subject, plain text body) of each message; a long subject is folded over lines on the
    wire, so it is compared unfolded, and the body's line ends are the wire's CRLF, compared as LF."""
    return [
        (
            to[0],
            " ".join(str(m["Subject"]).split()),
            m.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n"),
        )
        for to, m in inbox.messages
    ]
