"""What the employee posts on the conversation page: answers to the items, the confirmation, a request
for changes and the supplementary statement."""

from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conversations import selectors, services
from conversations.access.permissions import RESPOND
from conversations.contract import workflow
from conversations.models import ItemResponse
from conversations.web.forms import ConfirmForm, ItemResponseForm, RequestChangesForm, StatementForm
from conversations.web.views._common import back_to, item_from_key, item_kwargs, run_action
from conversations.web.views._posts import conversation_post, form_post, section_or_back
from conversations.web.views.conversation import RESPOND_ALL_FORM, render_conversation, short_label
from core.errors import StaleVersion


@conversation_post(RESPOND)
def confirm(request, conversation):
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


@conversation_post(RESPOND)
def request_changes(request, conversation):
    form = RequestChangesForm(request.POST, prefix="changes")

    def ask(data):
        workflow.conversation_request_changes(
            conversation_id=conversation.pk, actor=request.user, comment=data["comment"]
        )

    return form_post(request, conversation, form, ask, _("Your request for changes was sent to your leader."))


@conversation_post(RESPOND)
def respond(request, conversation, item_key):
    kind, item = item_from_key(conversation, item_key)
    if item is None:
        raise Http404

    def answer(data):
        services.item_response_record(
            conversation=conversation,
            actor=request.user,
            stance=data["stance"],
            comment=data["comment"],
            **item_kwargs(kind, item),
        )

    form = ItemResponseForm(request.POST, prefix=f"r-{item_key}", about=short_label(item))
    success = _("Your answer was saved.")
    return form_post(
        request,
        conversation,
        form,
        answer,
        success,
        key=f"response:{item_key}",
        anchor=item_key,
        in_place=True,
    )


@conversation_post(RESPOND)
def respond_all(request, conversation):
    """Every item's answer in one post; "agree_rest" also agrees to each item still unanswered.

    Only answers that differ from the recorded ones are written. When one is refused nothing is
    saved, and every answer given stays on the page with the reasons."""
    given, answers = _read_answers(request, conversation)
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
    return section_or_back(request, conversation, "respond-all")


def _read_answers(request, conversation) -> tuple[dict, list]:
    """The answer forms given ({"response:<key>": form}) and the answers to record, as
    (kind, item, stance, comment): those that changed, and with "agree_rest" each unanswered item."""
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
    return given, answers


def _is_blank(form) -> bool:
    return not form["stance"].value() and not (form["comment"].value() or "").strip()


def _differs(data: dict, response) -> bool:
    """True unless the item already has exactly this answer (so an unchanged answer is not re-recorded)."""
    recorded = (response.stance, response.comment) if response is not None else None
    return recorded != (data["stance"], data["comment"].strip())


@conversation_post(RESPOND)
def statement(request, conversation):
    form = StatementForm(request.POST, prefix="statement")

    def add(data):
        services.statement_create(conversation=conversation, actor=request.user, text=data["text"])

    success = _("Your supplementary statement was added.")
    return form_post(request, conversation, form, add, success, anchor="statements")
