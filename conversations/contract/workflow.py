"""The conversation's workflow: the one transition table and one public function per transition.

Each transition function locks the conversation row (`select_for_update`), checks the caller's right
and the table, applies the change, writes a history row and the e-mail (the outbox, sent after commit).
Nothing else assigns `Conversation.status`. A refused transition raises and changes nothing.

    draft --submit--> awaiting_confirmation --confirm--> confirmed --amend--> draft (amendment)
    changes_requested --revise (leader edits)--> draft;  awaiting --request_changes--> changes_requested
    confirmed --close--> closed;  draft --cancel--> cancelled (not once a version is binding)
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversations.access.permissions import MANAGE, RESPOND, require
from conversations.contract import answers
from conversations.contract import canonical as contract
from conversations.models import Comment, Confirmation, ContractVersion, Conversation, Status
from conversations.notify import notifications
from conversations.records import history
from core.db import locked
from core.errors import InvalidInput, InvalidTransition, StaleVersion


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[Status]
    target: Status
    permission: str


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "submit",
            frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}),
            Status.AWAITING_CONFIRMATION,
            MANAGE,
        ),
        Transition("confirm", frozenset({Status.AWAITING_CONFIRMATION}), Status.CONFIRMED, RESPOND),
        Transition(
            "request_changes", frozenset({Status.AWAITING_CONFIRMATION}), Status.CHANGES_REQUESTED, RESPOND
        ),
        Transition("revise", frozenset({Status.CHANGES_REQUESTED}), Status.DRAFT, MANAGE),
        Transition("amend", frozenset({Status.CONFIRMED}), Status.DRAFT, MANAGE),
        Transition("close", frozenset({Status.CONFIRMED}), Status.CLOSED, MANAGE),
        Transition("cancel", frozenset({Status.DRAFT}), Status.CANCELLED, MANAGE),
    )
}


def allowed_transitions(conversation: Conversation) -> list[str]:
    """Names of the transitions the table allows from the conversation's current state."""
    return [
        name
        for name, t in TRANSITIONS.items()
        if conversation.status in t.sources and _guard_ok(name, conversation)
    ]


def _guard_ok(name: str, conversation: Conversation) -> bool:
    # An amendment draft cannot be cancelled: the confirmed version stays binding.
    return not (name == "cancel" and conversation.confirmed_version_id)


def _begin(name: str, *, conversation_id: int, actor) -> Conversation:
    """Lock, then check right and table. Raises before anything is written."""
    conversation = locked(Conversation.objects.select_related("employee", "leader", "cycle"), conversation_id)
    transition = TRANSITIONS[name]
    require(actor, conversation, transition.permission)
    if conversation.status not in transition.sources or not _guard_ok(name, conversation):
        raise InvalidTransition(
            _("“%(action)s” is not allowed while the conversation is “%(status)s”.")
            % {"action": name, "status": conversation.get_status_display()}
        )
    return conversation


def _finish(conversation: Conversation, name: str, actor, fields: list[str], **changes) -> None:
    source = conversation.status
    conversation.status = TRANSITIONS[name].target
    conversation.revision += 1
    conversation.save(update_fields=[*fields, "status", "revision", "updated_at"])
    history.record(conversation, actor, name, status=[source, conversation.status], **changes)
    notifications.transition_happened(conversation, name)


@transaction.atomic
def conversation_submit(*, conversation_id: int, actor) -> ContractVersion:
    """Freeze the current items into a new version and send it to the employee for confirmation.

    Items unchanged since the previous version keep the employee's answers (`answers`)."""
    conversation = _begin("submit", conversation_id=conversation_id, actor=actor)
    content = contract.contract_content(conversation)
    if contract.is_empty(content):
        raise InvalidInput(_("The agreement has no tasks, goals or expectations yet."))
    canonical = contract.canonical_json(content)
    previous = conversation.versions.order_by("-number").first()
    version = ContractVersion.objects.create(
        conversation=conversation,
        number=(previous.number if previous else 0) + 1,
        canonical_json=canonical,
        sha256=contract.sha256_of(canonical),
        submitted_by=actor,
    )
    carried = answers.carry_unchanged_answers(previous=previous, version=version)
    fields = []
    if conversation.first_submitted_at is None:
        conversation.first_submitted_at = version.submitted_at
        fields.append("first_submitted_at")
    _finish(
        conversation,
        "submit",
        actor,
        fields,
        version=version.number,
        sha256=version.sha256,
        answers_kept=carried,
    )
    return version


@transaction.atomic
def conversation_confirm(*, conversation_id: int, actor, version: int, sha256: str) -> Confirmation:
    """Sign exactly the latest submitted version; anything else is refused as stale."""
    conversation = _begin("confirm", conversation_id=conversation_id, actor=actor)
    latest = conversation.versions.order_by("-number").first()
    if latest is None or latest.number != version or latest.sha256 != str(sha256).lower():
        raise StaleVersion()
    confirmation = Confirmation.objects.create(
        version=latest, conversation=conversation, sha256=latest.sha256, confirmed_by=actor
    )
    conversation.confirmed_version = latest
    fields = ["confirmed_version"]
    if conversation.confirmed_at is None:  # the first confirmation only (see the model)
        conversation.confirmed_at = confirmation.confirmed_at
        fields.append("confirmed_at")
    _finish(conversation, "confirm", actor, fields, version=latest.number, sha256=latest.sha256)
    return confirmation


@transaction.atomic
def conversation_request_changes(*, conversation_id: int, actor, comment: str) -> Comment:
    """Send the contract back to the leader with the employee's required explanation."""
    conversation = _begin("request_changes", conversation_id=conversation_id, actor=actor)
    if not (comment or "").strip():
        raise InvalidInput(_("Say what you would like changed."))
    note = Comment.objects.create(
        conversation=conversation, author=actor, kind=Comment.Kind.CHANGE_REQUEST, text=comment.strip()
    )
    _finish(conversation, "request_changes", actor, [], comment=note.pk)
    return note


@transaction.atomic
def conversation_revise(*, conversation_id: int, actor) -> Conversation:
    """The leader starts revising after a change request: back to draft."""
    conversation = _begin("revise", conversation_id=conversation_id, actor=actor)
    _finish(conversation, "revise", actor, [])
    return conversation


@transaction.atomic
def conversation_amend(*, conversation_id: int, actor) -> Conversation:
    """Open a confirmed contract for changes; the confirmed version stays binding meanwhile."""
    conversation = _begin("amend", conversation_id=conversation_id, actor=actor)
    _finish(conversation, "amend", actor, [])
    return conversation


@transaction.atomic
def conversation_close(*, conversation_id: int, actor) -> Conversation:
    conversation = _begin("close", conversation_id=conversation_id, actor=actor)
    conversation.closed_at = timezone.now()
    _finish(conversation, "close", actor, ["closed_at"])
    return conversation


@transaction.atomic
def conversation_cancel(*, conversation_id: int, actor) -> Conversation:
    conversation = _begin("cancel", conversation_id=conversation_id, actor=actor)
    _finish(conversation, "cancel", actor, [])
    return conversation


TRANSITION_FUNCTIONS = {
    "submit": conversation_submit,
    "confirm": conversation_confirm,
    "request_changes": conversation_request_changes,
    "revise": conversation_revise,
    "amend": conversation_amend,
    "close": conversation_close,
    "cancel": conversation_cancel,
}
