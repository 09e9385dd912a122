"""Writes on conversations other than transitions: creation, dialogue, deputies and handover."""

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversations.access.permissions import (
    COMMENT,
    MANAGE,
    NOT_YOUR_REPORT,
    RESPOND,
    require,
    sync_conversation_permissions,
)
from conversations.dialogue import rules as dialogue
from conversations.models import (
    FINISHED_STATUSES,
    AccessLogEntry,
    AgendaPoint,
    Comment,
    ContractVersion,
    Conversation,
    Cycle,
    DeputyGrant,
    FollowUp,
    ItemResponse,
    Status,
)
from conversations.notify import notifications
from conversations.records import history
from core.db import in_chunks, locked
from core.errors import InvalidInput, InvalidTransition, NotAllowed, PreconditionFailed
from goals.carry_over import carry_over_open_items
from organization import selectors as people
from organization.changes import ManagerChange
from organization.models import User


def _conversations_with_employee(queryset):
    # In primary-key order: the order in which `sync_conversation_permissions` locks them, so a
    # service that writes them first takes its row locks in the same order (no deadlock between two).
    return queryset.select_related("employee").order_by("pk")


def _fresh(conversation: Conversation) -> Conversation:
    """The conversation re-read under a row lock, so state checks see the committed truth."""
    return locked(Conversation.objects.select_related("employee", "leader"), conversation.pk)


@transaction.atomic
def conversation_create(
    *, actor, employee, cycle: Cycle | None = None, scheduled_at=None, carry_over: bool = False
) -> Conversation:
    """Open a draft for one of the actor's direct reports, with the cycle's agenda and, if asked,
    the open goals and tasks of the employee's previous confirmed contract. Grants the parties' rights."""
    if employee.manager_id != actor.pk or not employee.is_active:
        raise NotAllowed(NOT_YOUR_REPORT)
    conversation = Conversation(
        employee=employee, leader=actor, cycle=cycle, unit=employee.unit, scheduled_at=scheduled_at
    )
    conversation.full_clean()
    conversation.save()
    _add_template_points(conversation, cycle)
    carried = carry_over_open_items(conversation) if carry_over else {}
    sync_conversation_permissions([conversation])
    history.record(conversation, actor, "create", cycle=cycle.pk if cycle else None, carried_over=carried)
    notifications.meeting_scheduled(conversation)
    return conversation


def _add_template_points(conversation: Conversation, cycle: Cycle | None) -> None:
    if not cycle or not cycle.template_id:
        return
    AgendaPoint.objects.bulk_create(
        AgendaPoint(
            conversation=conversation,
            text=p.text,
            hint=p.hint,
            order=p.order,
            shared=True,
            from_template=True,
        )
        for p in cycle.template.points.all()
    )


UPDATABLE_FIELDS = ("scheduled_at", "held_on")


@transaction.atomic
def conversation_update(*, conversation: Conversation, actor, expected_revision: int | None = None, **data):
    """Change the meeting time or date held. Allowed while the conversation is open."""
    unknown = set(data) - set(UPDATABLE_FIELDS)
    if unknown:  # status, parties and versions change only through the workflow and the handover
        raise TypeError(f"Not updatable: {sorted(unknown)}")
    require(actor, conversation, MANAGE)
    conversation = locked(Conversation.objects.all(), conversation.pk)
    _check_revision(conversation, expected_revision)
    if conversation.status in FINISHED_STATUSES:
        raise InvalidTransition(_("A closed or cancelled conversation cannot be changed."))
    changes = history.field_changes(conversation, data)
    for field, value in data.items():
        setattr(conversation, field, value)
    conversation.revision += 1
    conversation.full_clean()
    conversation.save(update_fields=[*data, "revision", "updated_at"])
    if changes:
        history.record(conversation, actor, "update", fields=changes)
    if "scheduled_at" in changes:
        notifications.meeting_scheduled(conversation)
    return conversation


def _check_revision(obj, expected_revision: int | None) -> None:
    if expected_revision is not None and obj.revision != expected_revision:
        raise PreconditionFailed()


def _check_item_belongs(conversation: Conversation, items: dict) -> None:
    present = {k: v for k, v in items.items() if v is not None}
    if len(present) > 1:
        raise InvalidInput(_("Refer to at most one item."))
    for item in present.values():
        if item.conversation_id != conversation.pk:
            raise InvalidInput(_("The item belongs to another conversation."))


@transaction.atomic
def comment_create(*, conversation: Conversation, actor, text: str, goal=None, task=None, expectation=None):
    """A remark by a party on the conversation or on one item."""
    require(actor, conversation, COMMENT)
    conversation = _fresh(conversation)
    if conversation.status in FINISHED_STATUSES:
        raise InvalidTransition(_("The conversation is finished; comments are closed."))
    _check_item_belongs(conversation, {"goal": goal, "task": task, "expectation": expectation})
    comment = Comment(
        conversation=conversation,
        author=actor,
        text=(text or "").strip(),
        goal=goal,
        task=task,
        expectation=expectation,
    )
    comment.full_clean()
    comment.save()
    history.record(conversation, actor, "comment", comment=comment.pk)
    return comment


@transaction.atomic
def statement_create(*, conversation: Conversation, actor, text: str) -> Comment:
    """The employee's supplementary statement after confirming; the leader is told by e-mail.

    The record is never rewritten, but the employee has the last word on it."""
    require(actor, conversation, RESPOND)
    conversation = _fresh(conversation)
    if conversation.confirmed_version_id is None:
        raise InvalidTransition(_("A supplementary statement can be added once the agreement is confirmed."))
    statement = Comment(
        conversation=conversation, author=actor, kind=Comment.Kind.STATEMENT, text=(text or "").strip()
    )
    statement.full_clean()
    statement.save()
    history.record(conversation, actor, "statement", comment=statement.pk)
    notifications.statement_added(statement)  # to the outbox, in this transaction
    return statement


@transaction.atomic
def agenda_point_create(*, conversation: Conversation, actor, text: str, shared: bool = True) -> AgendaPoint:
    """An agenda point; unshared points are the author's private preparation."""
    require(actor, conversation, COMMENT)
    conversation = _fresh(conversation)
    if conversation.status in FINISHED_STATUSES:
        raise InvalidTransition(_("The conversation is finished."))
    point = AgendaPoint(conversation=conversation, author=actor, text=(text or "").strip(), shared=shared)
    point.full_clean()
    point.save()
    if shared:
        history.record(conversation, actor, "agenda_point", point=point.pk)
    return point


@transaction.atomic
def agenda_point_share(*, point: AgendaPoint, actor) -> AgendaPoint:
    if point.author_id != actor.pk:
        raise NotAllowed(_("Only the author can share a private agenda point."))
    if not point.shared:
        point.shared = True
        point.save(update_fields=["shared"])
        history.record(point.conversation_id, actor, "agenda_point_shared", point=point.pk)
    return point


@transaction.atomic
def item_response_record(
    *,
    conversation: Conversation,
    actor,
    stance: str,
    comment: str = "",
    goal=None,
    task=None,
    expectation=None,
) -> ItemResponse:
    """The employee's stance on one item of the version awaiting confirmation.

    A new answer on the same item replaces the old one."""
    require(actor, conversation, RESPOND)
    conversation = _fresh(conversation)
    if conversation.status != Status.AWAITING_CONFIRMATION:
        raise InvalidTransition(_("Items can be answered while the agreement awaits confirmation."))
    items = {"goal": goal, "task": task, "expectation": expectation}
    _check_item_belongs(conversation, items)
    if not any(items.values()):
        raise InvalidInput(_("Choose the item you are answering."))
    if stance != ItemResponse.Stance.AGREE and not (comment or "").strip():
        raise InvalidInput(_("Explain your stance in a comment."))
    version = ContractVersion.objects.filter(conversation=conversation).order_by("-number").first()
    lookup = {k: v for k, v in items.items() if v is not None}
    response, _created = ItemResponse.objects.update_or_create(
        version=version,
        **lookup,
        defaults={
            "conversation": conversation,
            "author": actor,
            "stance": stance,
            "comment": (comment or "").strip(),
        },
    )
    history.record(
        conversation, actor, "item_response", stance=stance, **{k: v.pk for k, v in lookup.items()}
    )
    return response


@transaction.atomic
def item_responses_record(
    *, conversation: Conversation, actor, answers: list[tuple[str, object, str, str]]
) -> int:
    """Several of the employee's answers in one pass: `answers` holds (kind, item, stance, comment).

    All or none: one refused answer (item_response_record's rules) undoes the others. Returns how
    many were recorded."""
    for kind, item, stance, comment in answers:
        item_response_record(
            conversation=conversation, actor=actor, stance=stance, comment=comment, **{kind: item}
        )
    return len(answers)


@transaction.atomic
def follow_up_create(
    *,
    conversation: Conversation,
    actor,
    text: str,
    goal=None,
    task=None,
    expectation=None,
    progress: int | None = None,
    item_status: str = "",
    kind: str = FollowUp.Kind.NOTE,
    answers: FollowUp | None = None,
    answer: str = "",
    holders: dict | None = None,
) -> FollowUp:
    """A follow-up entry from either party (or a deputy), allowed once some version is confirmed.

    `kind`: a note, a question (open, waiting on the other party, until answered), an answer to the
    question `answers` (by the other party only, once; it is about the question's item), or a mark
    (`kept`, `not_kept`) on an expectation made to the actor (`conversations.dialogue.rules`).
    `holders`: the rights held on the conversation as the caller has just read them
    (`permissions.conversation_access`), so they are not read again."""
    require(actor, conversation, COMMENT, holders)
    conversation = _fresh(conversation)
    if conversation.confirmed_version_id is None or conversation.status in FINISHED_STATUSES:
        raise InvalidTransition(
            _("Follow-up starts when the agreement is confirmed and ends when it is closed.")
        )
    _check_item_belongs(conversation, {"goal": goal, "task": task, "expectation": expectation})
    if kind == FollowUp.Kind.ANSWER:
        dialogue.check_answer(conversation, actor, answers, answer)
        goal, task, expectation = answers.goal, answers.task, answers.expectation
    elif kind in dialogue.MARK_KINDS:
        dialogue.check_mark(conversation, actor, expectation)
    entry = FollowUp(
        conversation=conversation,
        author=actor,
        text=(text or "").strip(),
        goal=goal,
        task=task,
        expectation=expectation,
        progress=progress,
        item_status=item_status or "",
        kind=kind,
        answers=answers if kind == FollowUp.Kind.ANSWER else None,
        answer=answer if kind == FollowUp.Kind.ANSWER else "",
    )
    _validate_follow_up(entry)
    entry.save()
    history.record(conversation, actor, FOLLOW_UP_ACTIONS[kind], follow_up=entry.pk)
    if notifications.follow_up_is_mailed(entry):
        notifications.follow_up_added(entry.pk)  # to the outbox, in this transaction
    return entry


# The history's name for each kind of follow-up entry.
FOLLOW_UP_ACTIONS = {
    FollowUp.Kind.NOTE: "follow_up",
    FollowUp.Kind.QUESTION: "question",
    FollowUp.Kind.ANSWER: "answer",
    FollowUp.Kind.KEPT: "promise_kept",
    FollowUp.Kind.NOT_KEPT: "promise_not_kept",
}


# The references of a new entry that are loaded rows: the locked conversation, the actor and items
# checked by `_check_item_belongs`. Validating them again would read each row once more.
_LOADED_REFERENCES = ["conversation", "author", "goal", "task", "expectation", "answers"]


def _validate_follow_up(entry: FollowUp) -> None:
    """`full_clean` without queries: the fields (text, progress, status) as full_clean checks them,
    and the table's constraints in Python (`_check_item_belongs` has seen to the single item); the
    database still enforces both constraints and the foreign keys."""
    entry.full_clean(exclude=_LOADED_REFERENCES, validate_unique=False, validate_constraints=False)
    if entry.progress is not None and entry.progress > 100:
        constraint = next(c for c in FollowUp._meta.constraints if c.name == "followup_progress")
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    ValidationError(
                        constraint.get_violation_error_message(), code=constraint.violation_error_code
                    )
                ]
            }
        )


def access_log_record(*, conversation: Conversation, user, channel: str) -> None:
    """One row in the conversation's access log (on every read of its content)."""
    AccessLogEntry.objects.create(
        conversation_id=conversation.pk,
        user_id=user.pk if user is not None else None,
        channel=channel,
        accessed_at=timezone.now(),
    )


# --- deputies, handover and shared history ----------------------------------------------------------------


def _leader_conversations(leader, conversation: Conversation | None):
    queryset = Conversation.objects.filter(leader=leader)
    if conversation is not None:
        queryset = queryset.filter(pk=conversation.pk)
    return _conversations_with_employee(queryset)


@transaction.atomic
def deputy_grant_create(*, leader, deputy, until, conversation: Conversation | None = None) -> DeputyGrant:
    """Let `deputy` see and follow up one or all of the leader's conversations until a date (inclusive).

    The deputy must be another leader (`organization.selectors.leaders`), never the employee of a
    conversation the grant covers: of `conversation`, or for a grant on all of them any of the leader's
    direct reports. `deputy` is None when nobody has the id the leader gave; that is refused with the
    same message as a person who is no leader, so the answer never tells whether an id exists.
    The deputy is told by e-mail (the outbox, sent after commit); a failing mail server never undoes
    the grant."""
    if conversation is not None and conversation.leader_id != leader.pk:
        raise NotAllowed(_("You can only grant access to your own conversations."))
    _check_deputy(leader, deputy, conversation)
    if until < timezone.localdate():
        raise InvalidInput(_("The end date cannot be in the past."))
    grant = DeputyGrant.objects.create(leader=leader, deputy=deputy, conversation=conversation, until=until)
    notifications.deputy_granted(grant)
    targets = list(_leader_conversations(leader, conversation))
    sync_conversation_permissions(targets)
    for target in targets:
        history.record(target, leader, "deputy_granted", deputy=deputy.employee_id, until=until.isoformat())
    return grant


def _check_deputy(leader, deputy, conversation: Conversation | None) -> None:
    """Raise InvalidInput unless `deputy` may be the leader's deputy for `conversation` (None: all).
    Only people the leader knows (themself, their reports) get a message of their own."""
    if deputy is not None and deputy.pk == leader.pk:
        raise InvalidInput(_("You cannot be your own deputy."))
    if deputy is not None and conversation is not None and deputy.pk == conversation.employee_id:
        raise InvalidInput(_("The employee in the conversation cannot be the deputy."))
    if deputy is not None and conversation is None and deputy.manager_id == leader.pk:
        raise InvalidInput(_("One of your own employees cannot be the deputy for all your conversations."))
    if deputy is None or not people.leaders().filter(pk=deputy.pk).exists():
        raise InvalidInput(_("The deputy must be a leader: an active person who manages employees."))


@transaction.atomic
def deputy_grant_end(*, grant: DeputyGrant, actor) -> DeputyGrant:
    if grant.leader_id != actor.pk:
        raise NotAllowed()
    if grant.ended_at is None:
        grant.ended_at = timezone.now()
        grant.save(update_fields=["ended_at"])
        targets = list(_leader_conversations(grant.leader, grant.conversation))
        sync_conversation_permissions(targets)
        for target in targets:
            history.record(target, actor, "deputy_ended", deputy=grant.deputy.employee_id)
    return grant


@transaction.atomic
def expire_grants() -> int:
    """End every grant whose date has passed, and every open grant to a deputy who does not lead (made
    before deputies had to be leaders, or to a leader who has since stopped leading: such a grant gives no
    access already, `DeputyGrant.objects.active`), and drop the rights they gave. A grant ended for its
    deputy is recorded in the history of each conversation it covered, so both parties see it. Returns how
    many ended."""
    open_grants = DeputyGrant.objects.filter(ended_at__isnull=True)
    expired = list(open_grants.filter(until__lt=timezone.localdate()))
    not_leading = list(
        open_grants.filter(until__gte=timezone.localdate())
        .exclude(Exists(people.leaders().filter(pk=OuterRef("deputy"))))
        .select_related("leader", "deputy")
    )
    ended = expired + not_leading
    if not ended:
        return 0
    DeputyGrant.objects.filter(pk__in=[g.pk for g in ended]).update(ended_at=timezone.now())
    leader_ids = {g.leader_id for g in ended}
    conversations = list(_conversations_with_employee(Conversation.objects.filter(leader_id__in=leader_ids)))
    sync_conversation_permissions(conversations)
    for grant in not_leading:
        for target in conversations:
            if target.leader_id == grant.leader_id and grant.conversation_id in (None, target.pk):
                history.record(
                    target, None, "deputy_ended", deputy=grant.deputy.employee_id, reason="not_a_leader"
                )
    return len(ended)


@transaction.atomic
def employee_manager_changed(*, employee, actor=None) -> int:
    """After `employee.manager` changed (already saved): open conversations pass to the new manager,
    the former one loses every right at once, closed ones follow the employee's history sharing.
    Returns how many moved."""
    conversations = list(_conversations_with_employee(Conversation.objects.filter(employee=employee)))
    moved = 0
    for conversation in conversations:
        conversation.employee = employee
        if conversation.status in FINISHED_STATUSES or not employee.manager_id:
            continue
        previous = conversation.leader_id
        Conversation.objects.filter(pk=conversation.pk).update(leader_id=employee.manager_id)
        conversation.leader_id = employee.manager_id
        history.record(conversation, actor, "leader_changed", leader=[previous, employee.manager_id])
        moved += 1
    sync_conversation_permissions(conversations)
    return moved


@transaction.atomic
def manager_changes_applied(changes: Iterable[ManagerChange], *, actor=None) -> int:
    """`employee_manager_changed` for each person of `changes` (what the organisation import, or any
    other writer of people, returns), in their order; people without conversations have nothing to
    move, so they are skipped in bulk. Returns how many conversations moved."""
    has_conversations = Exists(Conversation.objects.filter(employee=OuterRef("pk")))
    moved = 0
    for pks in in_chunks(change.employee_pk for change in changes):
        for employee in User.objects.filter(has_conversations, pk__in=pks).order_by("pk"):
            moved += employee_manager_changed(employee=employee, actor=actor)
    return moved


@transaction.atomic
def history_share_set(*, employee, shared: bool) -> None:
    """The employee shows (or hides) their closed conversations to their current leader."""
    employee.shares_history = bool(shared)
    employee.save(update_fields=["shares_history"])
    conversations = list(
        _conversations_with_employee(Conversation.objects.filter(employee=employee).finished())
    )
    for conversation in conversations:
        conversation.employee = employee
    sync_conversation_permissions(conversations)


def email_digest_set(*, person, digest: bool) -> None:
    """The person's choice: one e-mail per thing (False) or one digest a day listing them (True).
    Applies to what is told from now on; what waits for a digest is sent with the next one."""
    person.email_digest = bool(digest)
    person.save(update_fields=["email_digest"])
