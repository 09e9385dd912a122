"""The transition table, tried from every state, and confirming exactly the latest version."""

import itertools

import pytest
from django.http import Http404

from conversations.contract import workflow
from conversations.models import Comment, HistoryEntry, Status
from conversations.services import follow_up_create
from core.errors import InvalidInput, InvalidTransition, NotAllowed, StaleVersion
from goals.services import goal_create, item_update
from tests import factories
from tests.factories import conversation_in
from tests.workflow import AMENDMENT, latest_version, right_actor, run_transition, snapshot

pytestmark = pytest.mark.django_db

SOURCES = [*Status.values, AMENDMENT]


def is_allowed(source: str, name: str) -> bool:
    transition = workflow.TRANSITIONS[name]
    if source == AMENDMENT:
        # An amendment draft is a draft, but it cannot be cancelled: a confirmed version is binding.
        return Status.DRAFT in transition.sources and name != "cancel"
    return source in transition.sources


def test_table_covers_every_status():
    assert set(workflow.TRANSITIONS) == set(workflow.TRANSITION_FUNCTIONS)
    assert len(workflow.TRANSITIONS) == 7
    targets = {t.target for t in workflow.TRANSITIONS.values()}
    sources = set().union(*(t.sources for t in workflow.TRANSITIONS.values()))
    assert targets | sources == set(Status)


@pytest.mark.parametrize(("source", "name"), list(itertools.product(SOURCES, workflow.TRANSITIONS)))
def test_transition_from_every_state(source, name):
    conversation = conversation_in(source)
    before = snapshot(conversation)
    history_ids = set(HistoryEntry.objects.filter(conversation=conversation).values_list("pk", flat=True))

    if not is_allowed(source, name):
        with pytest.raises(InvalidTransition):
            run_transition(conversation, name)
        assert snapshot(conversation) == before
        return

    run_transition(conversation, name)
    target = workflow.TRANSITIONS[name].target
    assert conversation.status == target
    assert conversation.revision == before["revision"] + 1
    new_entries = HistoryEntry.objects.filter(conversation=conversation).exclude(pk__in=history_ids)
    assert [(e.action, e.changes["status"]) for e in new_entries] == [
        (name, [Status.DRAFT if source == AMENDMENT else source, target])
    ]
    assert new_entries.get().actor == right_actor(conversation, name)


@pytest.mark.parametrize("source", SOURCES)
def test_allowed_transitions_follow_the_table(source):
    conversation = conversation_in(source)
    expected = [name for name in workflow.TRANSITIONS if is_allowed(source, name)]
    assert workflow.allowed_transitions(conversation) == expected


def test_history_entry_names_the_actor():
    conversation = conversation_in(Status.AWAITING_CONFIRMATION)
    run_transition(conversation, "confirm")
    submit, confirm = HistoryEntry.objects.filter(
        conversation=conversation, action__in=["submit", "confirm"]
    ).order_by("id")
    assert submit.actor == conversation.leader
    assert confirm.actor == conversation.employee
    version = latest_version(conversation)
    assert confirm.changes["version"] == version.number
    assert confirm.changes["sha256"] == version.sha256


def test_cancel_of_an_amendment_draft_is_refused():
    conversation = conversation_in(AMENDMENT)
    assert conversation.confirmed_version_id is not None
    before = snapshot(conversation)
    with pytest.raises(InvalidTransition):
        workflow.conversation_cancel(conversation_id=conversation.pk, actor=conversation.leader)
    assert snapshot(conversation) == before
    assert "cancel" not in workflow.allowed_transitions(conversation)


def test_submit_of_an_empty_agreement_is_refused():
    leader, employee = factories.make_pair()
    conversation = factories.make_conversation(leader=leader, employee=employee, items=False)
    before = snapshot(conversation)
    with pytest.raises(InvalidInput):
        workflow.conversation_submit(conversation_id=conversation.pk, actor=leader)
    assert snapshot(conversation) == before


def test_request_changes_without_comment_is_refused():
    conversation = conversation_in(Status.AWAITING_CONFIRMATION)
    before = snapshot(conversation)
    for comment in ("", "   \n"):
        with pytest.raises(InvalidInput):
            run_transition(conversation, "request_changes", comment=comment)
    assert snapshot(conversation) == before


def test_request_changes_stores_the_comment():
    conversation = conversation_in(Status.AWAITING_CONFIRMATION)
    note = run_transition(conversation, "request_changes", comment="  Fristen er for kort. ")
    assert note.kind == Comment.Kind.CHANGE_REQUEST
    assert note.text == "Fristen er for kort."
    assert note.author == conversation.employee


SOURCE_OF = {
    "submit": Status.DRAFT,
    "confirm": Status.AWAITING_CONFIRMATION,
    "request_changes": Status.AWAITING_CONFIRMATION,
    "revise": Status.CHANGES_REQUESTED,
    "amend": Status.CONFIRMED,
    "close": Status.CONFIRMED,
    "cancel": Status.DRAFT,
}


@pytest.mark.parametrize("name", list(workflow.TRANSITIONS))
def test_transition_by_the_wrong_party_is_refused(name):
    conversation = conversation_in(SOURCE_OF[name])
    before = snapshot(conversation)
    other_party = (
        conversation.employee
        if workflow.TRANSITIONS[name].permission == "manage_conversation"
        else (conversation.leader)
    )
    with pytest.raises(NotAllowed):
        run_transition(conversation, name, actor=other_party)
    with pytest.raises(Http404):
        run_transition(conversation, name, actor=factories.UserFactory())
    assert snapshot(conversation) == before


# --- confirming the exact latest version ----------------------------------------------------------


def _resubmitted():
    """v1 submitted, changes requested, an item edited, v2 submitted: awaiting confirmation of v2."""
    conversation = conversation_in(Status.CHANGES_REQUESTED)
    goal = conversation.goals.get()
    item_update(item=goal, actor=conversation.leader, measure="Plan vedtatt innen juni")
    run_transition(conversation, "submit")
    v1, v2 = conversation.versions.order_by("number")
    assert (v1.number, v2.number) == (1, 2)
    assert v1.sha256 != v2.sha256
    return conversation, v1, v2


@pytest.mark.parametrize(
    "wrong",
    [
        "number",
        "hash",
        "older_version",
        "older_hash_latest_number",
        "latest_hash_older_number",
        "no_such_number",
    ],
)
def test_confirm_needs_the_exact_latest_version(wrong):
    conversation, v1, v2 = _resubmitted()
    version, sha256 = {
        "number": (3, v2.sha256),
        "hash": (2, "0" * 64),
        "older_version": (1, v1.sha256),
        "older_hash_latest_number": (2, v1.sha256),
        "latest_hash_older_number": (1, v2.sha256),
        "no_such_number": (0, v2.sha256),
    }[wrong]
    before = snapshot(conversation)
    with pytest.raises(StaleVersion):
        run_transition(conversation, "confirm", version=version, sha256=sha256)
    assert snapshot(conversation) == before

    run_transition(conversation, "confirm", version=2, sha256=v2.sha256)
    assert conversation.status == Status.CONFIRMED
    assert conversation.confirmed_version == v2


def test_confirm_accepts_the_hash_in_upper_case():
    conversation = conversation_in(Status.AWAITING_CONFIRMATION)
    v1 = latest_version(conversation)
    confirmation = run_transition(conversation, "confirm", version=1, sha256=v1.sha256.upper())
    assert confirmation.sha256 == v1.sha256
    assert confirmation.version == v1
    assert confirmation.confirmed_by == conversation.employee
    assert conversation.confirmed_version == v1
    assert conversation.confirmed_at == confirmation.confirmed_at


def test_resubmitting_unchanged_content_still_needs_the_new_number():
    conversation = conversation_in(Status.CHANGES_REQUESTED)
    run_transition(conversation, "submit")
    v1, v2 = conversation.versions.order_by("number")
    assert v1.sha256 == v2.sha256
    with pytest.raises(StaleVersion):
        run_transition(conversation, "confirm", version=1, sha256=v1.sha256)
    run_transition(conversation, "confirm", version=2, sha256=v2.sha256)
    assert conversation.confirmed_version == v2


def test_confirmed_version_stays_binding_through_an_amendment():
    conversation = conversation_in(Status.CONFIRMED)
    v1 = conversation.confirmed_version
    first_confirmed_at = conversation.confirmed_at

    run_transition(conversation, "amend")
    assert (conversation.status, conversation.confirmed_version) == (Status.DRAFT, v1)
    goal_create(conversation=conversation, actor=conversation.leader, title="Nytt mål", kind="development")
    run_transition(conversation, "submit")
    v2 = latest_version(conversation)
    assert v2.number == 2
    assert conversation.confirmed_version == v1

    run_transition(conversation, "request_changes")
    assert (conversation.status, conversation.confirmed_version) == (Status.CHANGES_REQUESTED, v1)
    run_transition(conversation, "submit")
    v3 = latest_version(conversation)
    with pytest.raises(StaleVersion):
        run_transition(conversation, "confirm", version=v1.number, sha256=v1.sha256)
    with pytest.raises(StaleVersion):
        run_transition(conversation, "confirm", version=v2.number, sha256=v2.sha256)
    assert conversation.confirmed_version == v1

    run_transition(conversation, "confirm", version=v3.number, sha256=v3.sha256)
    assert conversation.confirmed_version == v3
    assert conversation.confirmations.count() == 2
    assert conversation.confirmed_at == first_confirmed_at  # first confirmation time is kept


@pytest.mark.parametrize("step", ["amend", "submit", "request_changes"])
def test_follow_ups_are_allowed_during_an_amendment(step):
    conversation = conversation_in(Status.CONFIRMED)
    steps = ["amend", "submit", "request_changes"]
    for name in steps[: steps.index(step) + 1]:
        run_transition(conversation, name)
    for author in (conversation.leader, conversation.employee):
        entry = follow_up_create(conversation=conversation, actor=author, text="Er vi på rett vei? Ja.")
        assert entry.pk
    assert conversation.follow_ups.count() == 2


@pytest.mark.parametrize("status", [Status.DRAFT, Status.AWAITING_CONFIRMATION, Status.CLOSED])
def test_follow_ups_are_refused_before_confirmation_and_after_closing(status):
    conversation = conversation_in(status)
    before = snapshot(conversation)
    with pytest.raises(InvalidTransition):
        follow_up_create(conversation=conversation, actor=conversation.employee, text="Hei")
    assert snapshot(conversation) == before


def test_transitions_record_their_timestamps():
    conversation = conversation_in(Status.CLOSED)
    v1 = latest_version(conversation)
    assert conversation.first_submitted_at == v1.submitted_at
    assert conversation.confirmed_at == v1.confirmation.confirmed_at
    assert conversation.closed_at is not None
    assert conversation.closed_at >= conversation.confirmed_at
