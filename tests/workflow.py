"""Driving conversations through their workflow with the real services, for every test folder and the
benchmarks.

Conversations are brought into each state through the public transition functions (never by assigning
`.status`), so the tests see the same rows, rights and history as production. One helper per step:
`submit`, `confirm_latest`, `confirm` (submit and confirm), `close` (a confirmed one), `run_transition`
(any step by its name in the transition table) and `walk` (a fresh draft into a status);
`tests/factories.py` builds on them (`conversation_in`: a new conversation in a status).
`change_manager` and `expire_grants_of` move rights the way the org import and the calendar do.
`snapshot` records what a refused action must leave untouched. This module imports no other test
module, so the factories and every test folder can use it.
"""

import datetime

from django.utils import timezone

from conversations.access.permissions import MANAGE
from conversations.contract import workflow
from conversations.models import Conversation, DeputyGrant, HistoryEntry, Status
from conversations.services import employee_manager_changed

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
    """Run one transition through its public function with the arguments it needs (by default the
    right party, the latest version for `confirm` and a comment for `request_changes`)."""
    actor = actor or right_actor(conversation, name)
    if name == "confirm" and not kwargs:
        latest = latest_version(conversation)
        kwargs = {"version": latest.number if latest else 1, "sha256": latest.sha256 if latest else "0" * 64}
    if name == "request_changes" and not kwargs:
        kwargs = {"comment": "Målet er for vagt formulert."}
    result = workflow.TRANSITION_FUNCTIONS[name](conversation_id=conversation.pk, actor=actor, **kwargs)
    conversation.refresh_from_db()
    return result


def submit(conversation: Conversation, actor=None):
    """The leader (or `actor`) submits the draft; returns the new version."""
    return run_transition(conversation, "submit", actor)


def confirm_latest(conversation: Conversation, actor=None):
    """The employee (or `actor`) confirms the latest version; returns the confirmation."""
    return run_transition(conversation, "confirm", actor)


def confirm(conversation: Conversation):
    """Submit and confirm: the conversation ends up confirmed with a binding version, which is returned."""
    version = submit(conversation)
    confirm_latest(conversation)
    return version


def close(conversation: Conversation, actor=None):
    """The leader (or `actor`) closes the confirmed conversation; returns it."""
    return run_transition(conversation, "close", actor)


def walk(conversation: Conversation, status: str) -> Conversation:
    """Bring a fresh draft into `status` (or AMENDMENT) through the workflow."""
    for name in WALKS[status]:
        run_transition(conversation, name)
    conversation.refresh_from_db()
    expected = Status.DRAFT if status == AMENDMENT else status
    assert conversation.status == expected
    return conversation


bring_to = walk


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
