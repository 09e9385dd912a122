"""What the leader posts on the conversation page (the meeting time, the workflow's steps, the
agreement's items) and the employee's proposals with the leader's decisions on them. Each checks
access, calls one service and redirects back, or re-renders the page with the bound form (status 400)
so nothing the user typed is lost. The employee's answers are in `responses`, what both parties write
beside the agreement in `comments`."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from conversations import services
from conversations.access.permissions import DECIDE_PROPOSAL, MANAGE, PROPOSE, access_conversation
from conversations.contract import workflow
from conversations.selectors import ITEM_MODELS
from conversations.web.forms import (
    ITEM_FORMS,
    DeclineForm,
    MeetingTimeForm,
    ProposalForm,
    RevisionForm,
    focus_field,
    focus_first_error,
    item_edit_form_class,
    item_form_kwargs,
)
from conversations.web.views._common import (
    ask_to_confirm,
    back_to,
    confirmed,
    conversation_url,
    page,
    run_action,
    run_form_action,
)
from conversations.web.views._posts import conversation_post, form_post, section_or_back, with_errors
from conversations.web.views.conversation import (
    FIRST_FIELD,
    KEPT_CHOICES,
    TRANSITION_BUTTONS,
    htmx_section,
    kept_initial,
    render_conversation,
)
from goals import proposals
from goals import services as goal_services
from goals.permissions import access_proposal

TRANSITION_DONE = {
    "submit": gettext_lazy("The agreement was sent for confirmation."),
    "amend": gettext_lazy(
        "The agreement is open for changes. The confirmed version stays binding until a new one is confirmed."
    ),
    "close": gettext_lazy("The conversation was closed."),
    "cancel": gettext_lazy("The conversation was cancelled."),
}


@conversation_post(MANAGE)
def meeting_time(request, conversation):
    def update(data):
        services.conversation_update(
            conversation=conversation,
            actor=request.user,
            expected_revision=data["revision"],
            scheduled_at=data["scheduled_at"],
            held_on=data["held_on"],
        )

    form = MeetingTimeForm(request.POST, prefix="meeting")
    return form_post(request, conversation, form, update, _("The meeting time was saved."))


@page
@require_POST
def transition(request, pk, name):
    if name not in TRANSITION_BUTTONS:
        raise Http404
    conversation = access_conversation(request.user, pk)
    if name == "cancel" and not confirmed(request):
        return ask_to_confirm(
            request,
            question=_("Vil du avlyse samtalen? En avlyst samtale kan ikke åpnes igjen."),
            button=_("Avlys samtalen"),
            back=conversation_url(conversation),
        )
    run_action(
        request,
        lambda: workflow.TRANSITION_FUNCTIONS[name](conversation_id=conversation.pk, actor=request.user),
        str(TRANSITION_DONE[name]),
    )
    return back_to(conversation)


def _item_kind(kind: str) -> str:
    if kind not in ITEM_FORMS:
        raise Http404
    return kind


ADDED = {
    "task": gettext_lazy("The task was added."),
    "goal": gettext_lazy("The goal was added."),
    "expectation": gettext_lazy("The expectation was added."),
}


@page
@require_POST
def item_add(request, pk, kind):
    kind = _item_kind(kind)
    conversation = access_conversation(request.user, pk, MANAGE)
    form = ITEM_FORMS[kind](request.POST, prefix=kind, **item_form_kwargs(kind, conversation))

    def add(data):
        goal_services.item_create(
            model=ITEM_MODELS[kind], conversation=conversation, actor=request.user, **data
        )

    if not run_form_action(request, form, add, str(ADDED[kind])):
        return with_errors(request, conversation, kind, form)
    kept = _kept_value(kind, form)
    if htmx_section(request):
        return render_conversation(request, conversation, focus=kind, keep=kept_initial(kind, kept))
    query = urlencode({"added": kind, **({"keep": kept} if kept else {})})
    return redirect(f"{conversation_url(conversation)}?{query}")


def _kept_value(kind: str, form) -> str | None:
    """The goal kind or expectation direction just used, for the next add form of the same kind."""
    field = KEPT_CHOICES.get(kind, (None,))[0]
    return form.cleaned_data.get(field) if field else None


def _item(conversation, kind: str, item_pk):
    return get_object_or_404(ITEM_MODELS[kind], pk=item_pk, conversation=conversation)


@page
def item_edit(request, pk, kind, item_pk):
    """Change one item: a page of its own without scripts; with htmx the item turns into its form in
    place, and a saved change answers with the whole agreement."""
    kind = _item_kind(kind)
    conversation = access_conversation(request.user, pk, MANAGE)
    item = _item(conversation, kind, item_pk)
    form_class = item_edit_form_class(kind)
    extra = {
        "prefix": f"edit-{kind}-{item.pk}" if request.htmx else None,
        **item_form_kwargs(kind, conversation),
    }
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, **extra)

        def update(data):
            data = dict(data)
            revision = data.pop("revision")
            goal_services.item_update(item=item, actor=request.user, expected_revision=revision, **data)

        if run_form_action(request, form, update, _("The change was saved.")):
            if request.htmx:
                return _whole_contract(request, conversation)
            return back_to(conversation, f"{kind}-{item.pk}")
        focus_first_error(form)
        status = 400
    else:
        initial = {name: getattr(item, name) for name in form_class.base_fields if name != "revision"}
        form = form_class(initial={**initial, "revision": item.revision}, **extra)
        focus_field(form, FIRST_FIELD[kind])
    context = {"conversation": conversation, "item": item, "kind": kind, "form": form}
    template = "conversations/_item_edit.html" if request.htmx else "conversations/item_edit.html"
    return render(request, template, context, status=status)


def _whole_contract(request, conversation, **render_kwargs):
    """The agreement section for an htmx request that targeted something inside it (one item)."""
    response = render_conversation(request, conversation, section="contract", **render_kwargs)
    return reswap(retarget(response, "#contract"), "outerHTML")


@page
@require_POST
def item_delete(request, pk, kind, item_pk):
    kind = _item_kind(kind)
    conversation = access_conversation(request.user, pk, MANAGE)
    item = _item(conversation, kind, item_pk)
    form = RevisionForm(request.POST)
    revision = form.cleaned_data["revision"] if form.is_valid() else None
    if not confirmed(request):
        return ask_to_confirm(
            request,
            question=_("Vil du slette «%(item)s» fra avtalen?") % {"item": item},
            button=_("Slett"),
            back=conversation_url(conversation, f"{kind}-{item.pk}"),
            carry={"revision": revision or ""},
        )
    run_action(
        request,
        lambda: goal_services.item_delete(item=item, actor=request.user, expected_revision=revision),
        _("“%(item)s” was deleted.") % {"item": item},
    )
    return section_or_back(request, conversation, "contract")


@conversation_post(PROPOSE)
def proposal_add(request, conversation):
    form = ProposalForm(request.POST, prefix="proposal")

    def add(data):
        proposals.proposal_create(conversation=conversation, actor=request.user, **data)

    success = _("Forslaget ditt er sendt til lederen.")
    return form_post(request, conversation, form, add, success, anchor="proposals")


@page
@require_POST
def proposal_accept(request, pk, proposal_pk):
    proposal = _proposal_of(request.user, pk, proposal_pk)
    run_action(
        request,
        lambda: proposals.proposal_accept(proposal=proposal, actor=request.user),
        _("Forslaget er godtatt og lagt til i avtalen."),
    )
    return back_to(proposal.conversation, "proposals")


@page
@require_POST
def proposal_decline(request, pk, proposal_pk):
    proposal = _proposal_of(request.user, pk, proposal_pk)
    form = DeclineForm(request.POST, prefix=f"decline-{proposal.pk}")

    def decline(data):
        proposals.proposal_decline(proposal=proposal, actor=request.user, reason=data["reason"])

    success = _("Forslaget er avslått.")
    key = f"decline:{proposal.pk}"
    return form_post(request, proposal.conversation, form, decline, success, key=key, anchor="proposals")


def _proposal_of(user, pk, proposal_pk):
    """The proposal `proposal_pk` of conversation `pk`, which only the leader of record decides."""
    proposal = access_proposal(user, proposal_pk, DECIDE_PROPOSAL)
    if proposal.conversation_id != pk:
        raise Http404
    return proposal
