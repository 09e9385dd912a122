"""Helpers for the API tests: move a conversation through its workflow the way production does, count
queries, build URLs."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conversations import workflow

API = "/api/v1"


def submit(conversation):
    return workflow.conversation_submit(conversation_id=conversation.pk, actor=conversation.leader)


def confirm(conversation):
    """Submit and confirm: the conversation ends up confirmed with a binding version."""
    version = submit(conversation)
    workflow.conversation_confirm(
        conversation_id=conversation.pk,
        actor=conversation.employee,
        version=version.number,
        sha256=version.sha256,
    )
    conversation.refresh_from_db()
    return version


def bring_to(conversation, status: str):
    """Move a fresh draft (with items) to `status` through the workflow."""
    leader, employee = conversation.leader, conversation.employee
    steps = {
        "draft": [],
        "awaiting_confirmation": [submit],
        "changes_requested": [
            submit,
            lambda c: workflow.conversation_request_changes(
                conversation_id=c.pk, actor=employee, comment="Nei"
            ),
        ],
        "confirmed": [confirm],
        "closed": [confirm, lambda c: workflow.conversation_close(conversation_id=c.pk, actor=leader)],
        "cancelled": [lambda c: workflow.conversation_cancel(conversation_id=c.pk, actor=leader)],
    }
    for step in steps[status]:
        step(conversation)
    conversation.refresh_from_db()
    assert conversation.status == status
    return conversation


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as context:
        func()
    return len(context.captured_queries)


def url(path: str) -> str:
    return f"{API}/{path.lstrip('/')}"
