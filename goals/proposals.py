"""The employee's own goals: while the contract is a draft the employee proposes goals, tasks and
expectations; the leader of record accepts a proposal (it becomes an item of the draft, through the
same service as the leader's own items) or declines it with a reason the employee sees."""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conversations.access.permissions import DECIDE_PROPOSAL, PROPOSE, require
from conversations.models import FINISHED_STATUSES, Conversation, Status
from conversations.notify import notifications
from conversations.records import history
from core.db import locked
from core.errors import InvalidInput, InvalidTransition
from goals import services
from goals.models import Expectation, Goal, Proposal, Task

ONLY_DRAFT = _("Forslag kan bare gis mens avtalen er et utkast.")
DECIDED = _("Forslaget er allerede besvart.")


def _item_data(proposal: Proposal) -> tuple[type, dict]:
    if proposal.kind == Proposal.Kind.GOAL:
        return Goal, {"title": proposal.title, "description": proposal.text, "kind": proposal.goal_kind}
    if proposal.kind == Proposal.Kind.TASK:
        return Task, {"title": proposal.title, "description": proposal.text}
    return Expectation, {"direction": proposal.direction, "text": proposal.text}


def _check_shape(kind: str, title: str, text: str, goal_kind: str, direction: str) -> None:
    if kind not in Proposal.Kind.values:
        raise InvalidInput(_("Velg om forslaget er et mål, en oppgave eller en forventning."))
    if kind in (Proposal.Kind.GOAL, Proposal.Kind.TASK) and not title:
        raise InvalidInput(_("Skriv en tittel på forslaget."))
    if kind == Proposal.Kind.GOAL and goal_kind not in Goal.Kind.values:
        raise InvalidInput(_("Velg hva slags mål du foreslår."))
    if kind == Proposal.Kind.EXPECTATION and (direction not in Expectation.Direction.values or not text):
        raise InvalidInput(_("Skriv forventningen og velg hvem den gjelder."))


@transaction.atomic
def proposal_create(
    *,
    conversation: Conversation,
    actor,
    kind: str,
    title: str = "",
    text: str = "",
    goal_kind: str = "",
    direction: str = "",
) -> Proposal:
    """The employee proposes an item. Precondition: the conversation is a draft. Records it in the
    history; it then waits on the leader (`conversations.notify.waiting`), who is told by e-mail."""
    conversation = locked(Conversation.objects.select_related("employee"), conversation.pk)
    require(actor, conversation, PROPOSE)
    if conversation.status != Status.DRAFT:
        raise InvalidTransition(ONLY_DRAFT)
    title, text = (title or "").strip(), (text or "").strip()
    _check_shape(kind, title, text, goal_kind or "", direction or "")
    proposal = Proposal(
        conversation=conversation,
        author=actor,
        kind=kind,
        title=title,
        text=text,
        goal_kind=goal_kind if kind == Proposal.Kind.GOAL else "",
        direction=direction if kind == Proposal.Kind.EXPECTATION else "",
    )
    proposal.full_clean()
    proposal.save()
    history.record(
        conversation, actor, "proposal_created", id=proposal.pk, proposal_kind=kind, title=title or text
    )
    _proposal_changed(proposal)
    return proposal


def _pending(proposal: Proposal, actor) -> Proposal:
    proposal = locked(
        Proposal.objects.select_related("conversation__employee", "conversation__leader"), proposal.pk
    )
    require(actor, proposal.conversation, DECIDE_PROPOSAL)
    if proposal.state != Proposal.State.PENDING:
        raise InvalidTransition(DECIDED)
    return proposal


def _decided(proposal: Proposal, actor, state: str, **fields) -> Proposal:
    proposal.state, proposal.decided_by, proposal.decided_at = state, actor, timezone.now()
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.full_clean()
    proposal.save(update_fields=["state", "decided_by", "decided_at", *fields, "updated_at"])
    return proposal


@transaction.atomic
def proposal_accept(*, proposal: Proposal, actor) -> Proposal:
    """The leader of record accepts a pending proposal: it becomes an item of the draft through
    `goals.services.item_create` (so only while the agreement can be edited; a change request is
    turned back into a draft as for any edit). The employee is told by e-mail."""
    proposal = _pending(proposal, actor)
    model, data = _item_data(proposal)
    item = services.item_create(model=model, conversation=proposal.conversation, actor=actor, **data)
    proposal = _decided(proposal, actor, Proposal.State.ACCEPTED, item_id=item.pk)
    history.record(proposal.conversation, actor, "proposal_accepted", id=proposal.pk, item=item.pk)
    _proposal_changed(proposal)
    return proposal


@transaction.atomic
def proposal_decline(*, proposal: Proposal, actor, reason: str) -> Proposal:
    """The leader of record declines a pending proposal, with a reason (required) the employee sees
    on the conversation page and on Venter på deg, and by e-mail."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Skriv hvorfor du avslår forslaget."))
    proposal = _pending(proposal, actor)
    if proposal.conversation.status in FINISHED_STATUSES:
        raise InvalidTransition(_("En avsluttet eller avlyst samtale kan ikke endres."))
    proposal = _decided(proposal, actor, Proposal.State.DECLINED, reason=reason)
    history.record(proposal.conversation, actor, "proposal_declined", id=proposal.pk, reason=reason)
    _proposal_changed(proposal)
    return proposal


def _proposal_subject(proposal: Proposal) -> str:
    if proposal.state == Proposal.State.PENDING:
        return gettext("%(name)s foreslår et punkt til avtalen") % {"name": proposal.author.full_name}
    name = proposal.conversation.leader.full_name
    if proposal.state == Proposal.State.ACCEPTED:
        return gettext("%(name)s godtok forslaget ditt") % {"name": name}
    return gettext("%(name)s avslo forslaget ditt") % {"name": name}


def _proposal_changed(proposal: Proposal) -> None:
    """Tell the leader of a new proposal, and the employee of the leader's decision (with the
    reason), in their language, with a link straight to it (call in the proposal's transaction)."""
    conversation = proposal.conversation
    pending = proposal.state == Proposal.State.PENDING
    recipient = conversation.leader if pending else conversation.employee
    if not recipient.is_active:
        return
    link = notifications.link_to(conversation.pk, f"proposal-{proposal.pk}")
    with translation.override(recipient.language):
        subject = _proposal_subject(proposal)
        details = proposal.reason if proposal.state == Proposal.State.DECLINED else ""
        text = "\n\n".join(filter(None, [proposal.title, proposal.text, details]))
        body = f"{subject}:\n\n{text}\n\n{link}"
    event_key = f"proposal:{proposal.pk}:{proposal.state}"
    notifications.queue_email(event_key=event_key, recipient=recipient, subject=subject, body=body, link=link)
