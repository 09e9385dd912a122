"""The conversation page: agenda, the agreement, answers, confirmation, comments and follow-up."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from conversations import selectors, services
from conversations.access.deputy_selectors import active_deputy_grants
from conversations.access.permissions import access_conversation
from conversations.dialogue import rules as dialogue
from conversations.models import FINISHED_STATUSES, Status
from conversations.web.forms import (
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
    StatementForm,
    focus_field,
    item_form_kwargs,
)
from conversations.web.views._common import page
from goals import selectors as goal_selectors
from goals.models import Expectation, Goal, Proposal

TRANSITION_BUTTONS = {
    "submit": _("Send for confirmation"),
    "amend": _("Amend the agreement"),
    "close": _("Close the conversation"),
    "cancel": _("Cancel the conversation"),
}

EXPECTATION_HEADINGS = {
    "employee": (_("The leader's expectations of me"), _("My expectations of the leader")),
    "leader": (_("My expectations of the employee"), _("The employee's expectations of me")),
    "other": (_("The leader's expectations of the employee"), _("The employee's expectations of the leader")),
}

FIRST_FIELD = {"task": "title", "goal": "title", "expectation": "text", "agenda": "text"}

# The page's sections an htmx request may ask for (by its target's id), each answered as a partial.
SECTION_TEMPLATES = {
    "contract": "conversations/_contract.html",
    "follow-up": "conversations/_follow_up.html",
    "agenda": "conversations/_agenda.html",
}

RESPOND_ALL_FORM = "respond-all"

# What the next add form keeps from the last one, so the leader adds one kind after another.
KEPT_CHOICES = {
    "goal": ("kind", dict(Goal.Kind.choices)),
    "expectation": ("direction", dict(Expectation.Direction.choices)),
}


def kept_initial(kind: str, value: str | None) -> dict:
    """The initial data for the next add form of `kind`: the goal kind or direction last used, if valid."""
    field, choices = KEPT_CHOICES.get(kind, (None, {}))
    return {kind: {field: value}} if field and value in choices else {}


def htmx_section(request) -> str | None:
    """The section an htmx request targets, if it is one the page answers with a partial."""
    target = request.htmx.target if request.htmx else None
    return target if target in SECTION_TEMPLATES else None


def viewer_role(user, conversation) -> str:
    if user.pk == conversation.employee_id:
        return "employee"
    if user.pk == conversation.leader_id:
        return "leader"
    return "other"


def _form(forms: dict, key: str, factory):
    return forms[key] if key in forms else factory()


def short_label(item, length: int = 60) -> str:
    text = str(item)
    return text if len(text) <= length else text[: length - 1] + "…"


def _item_entries(rows, forms: dict, *, respond: bool, comment: bool) -> list[dict]:
    """Each item row with the answer form (employee) and the comment form (both parties)."""
    entries = []
    for row in rows:
        key, about = row.key, short_label(row.item)
        initial = {"stance": row.response.stance, "comment": row.response.comment} if row.response else {}
        response_form = (
            _form(
                forms,
                f"response:{key}",
                lambda k=key, i=initial, a=about: ItemResponseForm(
                    prefix=f"r-{k}", initial=i, about=a, form_id=RESPOND_ALL_FORM
                ),
            )
            if respond
            else None
        )
        comment_form = (
            _form(forms, f"comment:{key}", lambda k=key, a=about: CommentForm(prefix=f"c-{k}", about=a))
            if comment
            else None
        )
        entries.append({"row": row, "response_form": response_form, "comment_form": comment_form})
    return entries


def _timeline(conversation, user, follow_ups, forms: dict, *, can_answer: bool) -> list[dict]:
    """Each follow-up entry with, for an open question that waits on `user`'s side, its answer form."""
    side = dialogue.side_of(user.pk, conversation)
    entries = []
    for entry in follow_ups:
        waits_on_user = entry.is_open and dialogue.side_of(entry.author_id, conversation) != side
        form = (
            _form(forms, f"answer:{entry.pk}", lambda pk=entry.pk: AnswerForm(prefix=f"answer-{pk}"))
            if (can_answer and waits_on_user) or f"answer:{entry.pk}" in forms  # errors stay in view
            else None
        )
        entries.append({"entry": entry, "answer_form": form})
    return entries


def _proposals(conversation, forms: dict, *, can_decide: bool) -> list[dict]:
    """The employee's proposals, each pending one with the leader's decline form."""
    return [
        {
            "proposal": proposal,
            "decline_form": _form(
                forms, f"decline:{proposal.pk}", lambda pk=proposal.pk: DeclineForm(prefix=f"decline-{pk}")
            )
            if can_decide and proposal.state == Proposal.State.PENDING
            else None,
        }
        for proposal in goal_selectors.proposals(conversation)
    ]


def _transition_buttons(actions: list[str]) -> list[tuple[str, str]]:
    """The page's buttons for the transitions among `actions` (`selectors.allowed_actions`), in their
    order."""
    return [(name, TRANSITION_BUTTONS[name]) for name in actions if name in TRANSITION_BUTTONS]


# The page's flags, each one of `selectors.allowed_actions`.
ACTION_FLAGS = {
    "can_update": "update",
    "can_edit": "edit_items",
    "can_comment": "comment",
    "can_state": "statement",
    "can_follow_up": "follow_up",
    "can_propose": "propose",
    "can_decide": "decide_proposals",
}


def _flags(conversation, actions: list[str], data) -> dict:
    """What the page shows forms for: `actions` (`selectors.allowed_actions`) and the state."""
    flags = {flag: action in actions for flag, action in ACTION_FLAGS.items()}
    return {
        **flags,
        "finished": conversation.status in FINISHED_STATUSES,
        # The answer forms also need a version to answer on.
        "can_respond": "respond" in actions and data.latest_version is not None,
        "awaiting": conversation.status == Status.AWAITING_CONFIRMATION,
    }


def _respond_errors(forms: dict) -> list[tuple[str, str, str]]:
    """(field id, label, error) for every answer refused in one pass, for the summary above the items."""
    return [
        (form[name].auto_id, form[name].label, error)
        for key, form in forms.items()
        if key.startswith("response:")
        for name, errors in form.errors.items()
        if name in form.fields
        for error in errors
    ]


def _forms(conversation, flags, forms: dict, focus: str | None, keep: dict) -> dict:
    latest = selectors.versions(conversation).last() if flags["can_respond"] else None
    built = {
        "agenda_form": _form(forms, "agenda", lambda: AgendaPointForm(prefix="agenda")),
        "meeting_form": _form(
            forms,
            "meeting",
            lambda: MeetingTimeForm(
                prefix="meeting",
                initial={
                    "scheduled_at": conversation.scheduled_at,
                    "held_on": conversation.held_on,
                    "revision": conversation.revision,
                },
            ),
        ),
        "comment_form": _form(forms, "comment", lambda: CommentForm(prefix="comment")),
        "changes_form": _form(forms, "changes", lambda: RequestChangesForm(prefix="changes")),
        "statement_form": _form(forms, "statement", lambda: StatementForm(prefix="statement")),
        "proposal_form": _form(forms, "proposal", lambda: ProposalForm(prefix="proposal")),
        "confirm_form": ConfirmForm(initial={"version": latest.number, "sha256": latest.sha256})
        if latest
        else None,
    }
    if flags["can_follow_up"]:
        choices = selectors.item_choices(conversation)
        built["follow_up_form"] = _form(
            forms, "follow_up", lambda: FollowUpForm(prefix="followup", item_choices=choices)
        )
    if flags["can_edit"]:
        for kind, form_class in ITEM_FORMS.items():
            built[f"{kind}_form"] = _form(
                forms,
                kind,
                lambda c=form_class, k=kind: c(
                    prefix=k, initial=keep.get(k, {}), **item_form_kwargs(k, conversation)
                ),
            )
    target = built.get(f"{focus}_form")
    if target is not None and not target.is_bound:
        focus_field(target, FIRST_FIELD[focus])
    return built


def render_conversation(
    request,
    conversation,
    *,
    forms=None,
    status: int = 200,
    focus: str | None = None,
    keep=None,
    section: str | None = None,
):
    """The conversation page; `forms` carries bound forms with errors so typed text is kept, `keep`
    the initial data of add forms. An htmx request for one section gets that section alone
    (`_htmx_section.html`, with the status, the next step and the messages swapped out of band)."""
    forms = forms or {}
    user = request.user
    actions = selectors.allowed_actions(user, conversation)
    data = selectors.conversation_page(conversation, user)
    flags = _flags(conversation, actions, data)
    role = viewer_role(user, conversation)
    from_leader, from_employee = EXPECTATION_HEADINGS[role]
    context = {
        "conversation": conversation,
        "page": data,
        "role": role,
        "waits_on": selectors.waits_on(conversation) if not flags["finished"] else "",
        "deputies": active_deputy_grants(conversation),
        "transitions": _transition_buttons(actions),
        "tasks": _item_entries(data.tasks, forms, respond=flags["can_respond"], comment=flags["can_comment"]),
        "goal_groups": [
            (
                value,
                label,
                _item_entries(rows, forms, respond=flags["can_respond"], comment=flags["can_comment"]),
            )
            for value, label, rows in data.goals_by_kind
        ],
        "expectation_columns": [
            (
                "leader_to_employee",
                from_leader,
                _item_entries(
                    data.expectations_from_leader,
                    forms,
                    respond=flags["can_respond"],
                    comment=flags["can_comment"],
                ),
            ),
            (
                "employee_to_leader",
                from_employee,
                _item_entries(
                    data.expectations_from_employee,
                    forms,
                    respond=flags["can_respond"],
                    comment=flags["can_comment"],
                ),
            ),
        ],
        "proposals": _proposals(conversation, forms, can_decide=flags["can_decide"]),
        "timeline": _timeline(conversation, user, data.follow_ups, forms, can_answer=flags["can_follow_up"]),
        "has_errors": bool(forms),
        "respond_errors": _respond_errors(forms),
        # Where the language switch returns to: the page itself, not the action a form posted to.
        "page_path": reverse("web:conversation", args=[conversation.pk]),
        **flags,
        **_forms(conversation, flags, forms, focus, keep or {}),
    }
    section = section or htmx_section(request)
    if section:
        context["section_template"] = SECTION_TEMPLATES[section]
        return render(request, "conversations/_htmx_section.html", context, status=status)
    return render(request, "conversations/conversation.html", context, status=status)


@page
def conversation_detail(request, pk):
    conversation = access_conversation(request.user, pk)
    services.access_log_record(conversation=conversation, user=request.user, channel="web")
    focus = request.GET.get("added")
    focus = focus if focus in FIRST_FIELD else None
    keep = kept_initial(focus, request.GET.get("keep")) if focus else {}
    return render_conversation(request, conversation, focus=focus, keep=keep)
