"""What the conversation page's forms post to. Each checks access, calls one service and redirects back,
or re-renders the page with the bound form (status 400) so nothing the user typed is lost."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from conversations import selectors, services, workflow
from conversations.forms import (
    ITEM_FORMS,
    AgendaPointForm,
    AnswerForm,
    CommentForm,
    ConfirmForm,
    DeclineForm,
    FollowUpForm,
    ItemResponseForm,
    MeetingTimeForm,
    ProposalForm,
    RequestChangesForm,
    RevisionForm,
    StatementForm,
    focus_field,
    focus_first_error,
    item_edit_form_class,
    item_form_kwargs,
)
from conversations.models import AgendaPoint, FollowUp, ItemResponse
from conversations.permissions import (
    COMMENT,
    DECIDE_PROPOSAL,
    MANAGE,
    PROPOSE,
    RESPOND,
    access_conversation,
)
from conversations.selectors import ITEM_MODELS, item_choices
from conversations.views._common import (
    ask_to_confirm,
    back_to,
    confirmed,
    conversation_url,
    item_from_key,
    item_kwargs,
    page,
    run_action,
    run_form_action,
)
from conversations.views.conversation import (
    FIRST_FIELD,
    KEPT_CHOICES,
    RESPOND_ALL_FORM,
    TRANSITION_BUTTONS,
    htmx_section,
    kept_initial,
    render_conversation,
    short_label,
)
from core.errors import StaleVersion
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


def _failed(request, conversation, key: str, form):
    focus_first_error(form)
    return render_conversation(request, conversation, forms={key: form}, status=400)


def _done(request, conversation, anchor: str = "", **render_kwargs):
    """After a successful post: the changed section for htmx, else back to the page (post/redirect/get)."""
    if htmx_section(request):
        return render_conversation(request, conversation, **render_kwargs)
    return back_to(conversation, anchor)


@page
@require_POST
def meeting_time(request, pk):
    conversation = access_conversation(request.user, pk, MANAGE)
    form = MeetingTimeForm(request.POST, prefix="meeting")

    def update(data):
        services.conversation_update(
            conversation=conversation,
            actor=request.user,
            expected_revision=data["revision"],
            scheduled_at=data["scheduled_at"],
            held_on=data["held_on"],
        )

    if run_form_action(request, form, update, _("The meeting time was saved.")):
        return back_to(conversation)
    return _failed(request, conversation, "meeting", form)


@page
@require_POST
def agenda_add(request, pk):
    conversation = access_conversation(request.user, pk, COMMENT)
    form = AgendaPointForm(request.POST, prefix="agenda")
    private = request.POST.get("agenda-private") == "on"
    success = _("Your private preparation note was saved.") if private else _("The agenda point was added.")

    def add(data):
        services.agenda_point_create(
            conversation=conversation, actor=request.user, text=data["text"], shared=not data["private"]
        )

    if run_form_action(request, form, add, success):
        return _done(request, conversation, "agenda", focus="agenda")
    return _failed(request, conversation, "agenda", form)


@page
@require_POST
def agenda_share(request, pk, point_pk):
    conversation = access_conversation(request.user, pk, COMMENT)
    point = get_object_or_404(AgendaPoint, pk=point_pk, conversation=conversation, author=request.user)
    run_action(
        request,
        lambda: services.agenda_point_share(point=point, actor=request.user),
        _("The agenda point is now shared."),
    )
    return _done(request, conversation, "agenda")


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

    if run_form_action(request, form, add, str(ADDED[kind])):
        kept = _kept_value(kind, form)
        if htmx_section(request):
            return render_conversation(request, conversation, focus=kind, keep=kept_initial(kind, kept))
        query = urlencode({"added": kind, **({"keep": kept} if kept else {})})
        return redirect(f"{reverse('web:conversation', args=[conversation.pk])}?{query}")
    return _failed(request, conversation, kind, form)


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
    return _done(request, conversation, "contract")


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


@page
@require_POST
def confirm(request, pk):
    conversation = access_conversation(request.user, pk, RESPOND)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        run_action(
            request,
            lambda: workflow.conversation_confirm(
                conversation_id=conversation.pk,
                actor=request.user,
                version=data["version"],
                sha256=data["sha256"],
            ),
            _("You confirmed version %(number)s of the agreement.") % {"number": data["version"]},
        )
    else:
        messages.error(request, str(StaleVersion.default_message))
    return back_to(conversation)


@page
@require_POST
def request_changes(request, pk):
    conversation = access_conversation(request.user, pk, RESPOND)
    form = RequestChangesForm(request.POST, prefix="changes")

    def ask(data):
        workflow.conversation_request_changes(
            conversation_id=conversation.pk, actor=request.user, comment=data["comment"]
        )

    if run_form_action(request, form, ask, _("Your request for changes was sent to your leader.")):
        return back_to(conversation)
    return _failed(request, conversation, "changes", form)


@page
@require_POST
def respond(request, pk, item_key):
    conversation = access_conversation(request.user, pk, RESPOND)
    kind, item = item_from_key(conversation, item_key)
    if item is None:
        raise Http404
    form = ItemResponseForm(request.POST, prefix=f"r-{item_key}", about=short_label(item))

    def answer(data):
        services.item_response_record(
            conversation=conversation,
            actor=request.user,
            stance=data["stance"],
            comment=data["comment"],
            **item_kwargs(kind, item),
        )

    if run_form_action(request, form, answer, _("Your answer was saved.")):
        return _done(request, conversation, item_key)
    return _failed(request, conversation, f"response:{item_key}", form)


@page
@require_POST
def respond_all(request, pk):
    """Every item's answer in one post; "agree_rest" also agrees to each item still unanswered.

    Only answers that differ from the recorded ones are written. When one is refused nothing is
    saved, and every answer given stays on the page with the reasons."""
    conversation = access_conversation(request.user, pk, RESPOND)
    rows = selectors.conversation_page(conversation, request.user).item_views
    agree_rest = request.POST.get("agree_rest") == "yes"
    given, answers = {}, []
    for row in rows:
        form = ItemResponseForm(
            request.POST, prefix=f"r-{row.key}", about=short_label(row.item), form_id=RESPOND_ALL_FORM
        )
        if _is_blank(form):
            if agree_rest and row.response is None:
                answers.append((row.kind, row.item, ItemResponse.Stance.AGREE, ""))
            continue
        given[f"response:{row.key}"] = form
        if form.is_valid() and _differs(form.cleaned_data, row.response):
            answers.append((row.kind, row.item, form.cleaned_data["stance"], form.cleaned_data["comment"]))
    if any(form.errors for form in given.values()):
        messages.error(request, _("Nothing was saved. Correct what is marked in the form."))
        return render_conversation(request, conversation, forms=given, status=400)
    count = len(answers)
    success = ngettext("%(count)d svar er lagret.", "%(count)d svar er lagret.", count) % {"count": count}
    call = lambda: services.item_responses_record(  # noqa: E731
        conversation=conversation, actor=request.user, answers=answers
    )
    if not run_action(request, call, success):
        return render_conversation(request, conversation, forms=given, status=400)
    return _done(request, conversation, "respond-all")


def _is_blank(form) -> bool:
    return not form["stance"].value() and not (form["comment"].value() or "").strip()


def _differs(data: dict, response) -> bool:
    """True unless the item already has exactly this answer (so an unchanged answer is not re-recorded)."""
    recorded = (response.stance, response.comment) if response is not None else None
    return recorded != (data["stance"], data["comment"].strip())


@page
@require_POST
def comment(request, pk, item_key=None):
    conversation = access_conversation(request.user, pk, COMMENT)
    kind = item = None
    if item_key is not None:
        kind, item = item_from_key(conversation, item_key)
        if item is None:
            raise Http404
    prefix = f"c-{item_key}" if item_key else "comment"
    form = CommentForm(request.POST, prefix=prefix, about=short_label(item) if item else "")

    def add(data):
        services.comment_create(
            conversation=conversation, actor=request.user, text=data["text"], **item_kwargs(kind, item)
        )

    if run_form_action(request, form, add, _("Your comment was added.")):
        return _done(request, conversation, item_key or "comments")
    return _failed(request, conversation, f"comment:{item_key}" if item_key else "comment", form)


@page
@require_POST
def statement(request, pk):
    conversation = access_conversation(request.user, pk, RESPOND)
    form = StatementForm(request.POST, prefix="statement")

    def add(data):
        services.statement_create(conversation=conversation, actor=request.user, text=data["text"])

    if run_form_action(request, form, add, _("Your supplementary statement was added.")):
        return back_to(conversation, "statements")
    return _failed(request, conversation, "statement", form)


@page
@require_POST
def follow_up(request, pk):
    conversation = access_conversation(request.user, pk, COMMENT)
    form = FollowUpForm(request.POST, prefix="followup", item_choices=item_choices(conversation))

    def add(data):
        kind, item = item_from_key(conversation, data["item"])
        services.follow_up_create(
            conversation=conversation,
            actor=request.user,
            text=data["text"],
            progress=data["progress"],
            item_status=data["item_status"],
            kind=data["kind"],
            **item_kwargs(kind, item),
        )

    if run_form_action(request, form, add, _("Your follow-up entry was added.")):
        return _done(request, conversation, "follow-up")
    return _failed(request, conversation, "follow_up", form)


@page
@require_POST
def follow_up_answer(request, pk, question_pk):
    conversation = access_conversation(request.user, pk, COMMENT)
    question = get_object_or_404(
        FollowUp, pk=question_pk, conversation=conversation, kind=FollowUp.Kind.QUESTION
    )
    form = AnswerForm(request.POST, prefix=f"answer-{question.pk}")

    def add(data):
        services.follow_up_create(
            conversation=conversation,
            actor=request.user,
            text=data["text"],
            kind=FollowUp.Kind.ANSWER,
            answers=question,
            answer=data["answer"],
        )

    if run_form_action(request, form, add, _("Your answer was added.")):
        return _done(request, conversation, f"follow-up-{question.pk}")
    return _failed(request, conversation, f"answer:{question.pk}", form)


@page
@require_POST
def proposal_add(request, pk):
    conversation = access_conversation(request.user, pk, PROPOSE)
    form = ProposalForm(request.POST, prefix="proposal")

    def add(data):
        proposals.proposal_create(conversation=conversation, actor=request.user, **data)

    if run_form_action(request, form, add, _("Forslaget ditt er sendt til lederen.")):
        return redirect(conversation_url(conversation, "proposals"))
    return _failed(request, conversation, "proposal", form)


@page
@require_POST
def proposal_accept(request, pk, proposal_pk):
    proposal = _proposal_of(request.user, pk, proposal_pk)
    run_action(
        request,
        lambda: proposals.proposal_accept(proposal=proposal, actor=request.user),
        _("Forslaget er godtatt og lagt til i avtalen."),
    )
    return redirect(conversation_url(proposal.conversation, "proposals"))


@page
@require_POST
def proposal_decline(request, pk, proposal_pk):
    proposal = _proposal_of(request.user, pk, proposal_pk)
    form = DeclineForm(request.POST, prefix=f"decline-{proposal.pk}")

    def decline(data):
        proposals.proposal_decline(proposal=proposal, actor=request.user, reason=data["reason"])

    if run_form_action(request, form, decline, _("Forslaget er avslått.")):
        return redirect(conversation_url(proposal.conversation, "proposals"))
    return _failed(request, proposal.conversation, f"decline:{proposal.pk}", form)


def _proposal_of(user, pk, proposal_pk):
    """The proposal `proposal_pk` of conversation `pk`, which only the leader of record decides."""
    proposal = access_proposal(user, proposal_pk, DECIDE_PROPOSAL)
    if proposal.conversation_id != pk:
        raise Http404
    return proposal
