"""What both parties write beside the agreement on the conversation page: agenda points, comments and
follow-up entries."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from conversations import services
from conversations.access.permissions import COMMENT
from conversations.models import AgendaPoint, FollowUp
from conversations.selectors import item_choices
from conversations.web.forms import AgendaPointForm, AnswerForm, CommentForm, FollowUpForm
from conversations.web.views._common import item_from_key, item_kwargs, run_action
from conversations.web.views._posts import conversation_post, form_post, section_or_back
from conversations.web.views.conversation import short_label


@conversation_post(COMMENT)
def agenda_add(request, conversation):
    form = AgendaPointForm(request.POST, prefix="agenda")
    private = request.POST.get("agenda-private") == "on"
    success = _("Your private preparation note was saved.") if private else _("The agenda point was added.")

    def add(data):
        services.agenda_point_create(
            conversation=conversation, actor=request.user, text=data["text"], shared=not data["private"]
        )

    return form_post(
        request, conversation, form, add, success, anchor="agenda", in_place=True, focus="agenda"
    )


@conversation_post(COMMENT)
def agenda_share(request, conversation, point_pk):
    point = get_object_or_404(AgendaPoint, pk=point_pk, conversation=conversation, author=request.user)
    run_action(
        request,
        lambda: services.agenda_point_share(point=point, actor=request.user),
        _("The agenda point is now shared."),
    )
    return section_or_back(request, conversation, "agenda")


@conversation_post(COMMENT)
def comment(request, conversation, item_key=None):
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

    key = f"comment:{item_key}" if item_key else "comment"
    success = _("Your comment was added.")
    return form_post(
        request, conversation, form, add, success, key=key, anchor=item_key or "comments", in_place=True
    )


@conversation_post(COMMENT)
def follow_up(request, conversation):
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

    success = _("Your follow-up entry was added.")
    return form_post(
        request, conversation, form, add, success, key="follow_up", anchor="follow-up", in_place=True
    )


@conversation_post(COMMENT)
def follow_up_answer(request, conversation, question_pk):
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

    key, anchor = f"answer:{question.pk}", f"follow-up-{question.pk}"
    success = _("Your answer was added.")
    return form_post(request, conversation, form, add, success, key=key, anchor=anchor, in_place=True)
