"""The start pages: Mine medarbeidere, Mine samtaler, creating a conversation, deputies."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from conversations import selectors, services
from conversations.access import deputy_selectors
from conversations.access.permissions import access_own_report
from conversations.cycles import selectors as cycle_selectors
from conversations.models import DeputyGrant
from conversations.notify import waiting
from conversations.web.forms import (
    ConversationCreateForm,
    DeputyGrantForm,
    EmailDigestForm,
    ShareHistoryForm,
    focus_first_error,
)
from conversations.web.views._common import ask_to_confirm, confirmed, page, run_action, run_form_action
from core.errors import NotAllowed

WAITING_LABELS = {
    waiting.DRAFT: gettext_lazy("A draft to finish"),
    waiting.CONFIRM: gettext_lazy("A version to confirm"),
    waiting.CHANGE_REQUEST: gettext_lazy("A change request to answer"),
    waiting.QUESTION: gettext_lazy("A question waiting for your answer"),
    waiting.AT_RISK: gettext_lazy("An item marked at risk or off track"),
    waiting.STATEMENT: gettext_lazy("A supplementary statement you have not read"),
    waiting.CHECK_IN: gettext_lazy("Time for a follow-up"),
    waiting.PROPOSAL: gettext_lazy("Et forslag til avtalen som venter på svar"),
    waiting.PROPOSAL_DECLINED: gettext_lazy("Et forslag som ble avslått"),
}

# What a person is told after turning a setting on (True) or off (False).
DIGEST_SWITCHED = {
    True: gettext_lazy("Du får nå én samlemelding om dagen i stedet for én e-post per hendelse."),
    False: gettext_lazy("Du får nå én e-post per hendelse."),
}
SHARING_SWITCHED = {
    True: gettext_lazy("Your closed conversations are now shared with your current leader."),
    False: gettext_lazy("Your closed conversations are no longer shared with your current leader."),
}


@page
def home(request):
    """The first page after signing in: HR's start page for HR (`hr-home`, which links back here
    through `waiting`), for everyone else Venter på deg."""
    if request.user.is_hr:
        return redirect("hr-home")
    return waiting_page(request)


@page
def waiting_page(request):
    """Venter på deg: everything that waits on the person."""
    rows = [
        {"thing": thing, "label": WAITING_LABELS[thing.kind]} for thing in waiting.waiting_on(request.user)
    ]
    return render(request, "conversations/waiting.html", {"rows": rows})


@page
@require_POST
def email_digest(request):
    """The e-mail setting on Venter på deg: one e-mail per thing or a daily digest."""
    digest_set = lambda digest: services.email_digest_set(person=request.user, digest=digest)  # noqa: E731
    return _switch(request, EmailDigestForm(request.POST), "digest", digest_set, DIGEST_SWITCHED, "web:home")


def _switch(request, form, field: str, call, switched: dict, back: str):
    """A setting turned on or off by the form's `field` (off when the form is invalid): `call(value)`,
    the message `switched[value]`, then back to the page `back`."""
    value = form.is_valid() and form.cleaned_data[field]
    run_action(request, lambda: call(value), str(switched[value]))
    return redirect(back)


@page
def my_reports(request):
    cycle = cycle_selectors.current_cycle()
    rows = [
        {
            "row": row,
            "for_me": [WAITING_LABELS[kind] for kind in row.waiting_on_leader],
            "for_employee": [WAITING_LABELS[kind] for kind in row.waiting_on_employee],
        }
        for row in selectors.reports_overview(request.user, cycle)
    ]
    return render(request, "conversations/my_reports.html", {"cycle": cycle, "rows": rows})


def _own_report(leader, employee_pk):
    """One of the leader's active direct reports; anyone else, existing or not, is not found."""
    try:
        return access_own_report(leader, employee_pk)
    except NotAllowed:
        raise Http404 from None


@page
def conversation_create(request, employee_pk):
    employee = _own_report(request.user, employee_pk)
    offer = selectors.has_previous_confirmed(employee)
    if request.method == "POST":
        form = ConversationCreateForm(request.POST, offer_carry_over=offer)
        created = []

        def create(data):
            created.append(
                services.conversation_create(
                    actor=request.user,
                    employee=employee,
                    cycle=data["cycle"],
                    scheduled_at=data["scheduled_at"],
                    carry_over=data.get("carry_over", False),
                )
            )

        success = _("The conversation with %(name)s was created.") % {"name": employee.full_name}
        if run_form_action(request, form, create, success):
            return redirect("web:conversation", pk=created[0].pk)
        focus_first_error(form)
        status = 400
    else:
        form = ConversationCreateForm(
            offer_carry_over=offer, initial={"cycle": cycle_selectors.current_cycle()}
        )
        status = 200
    context = {"employee": employee, "form": form, "offer_carry_over": offer}
    return render(request, "conversations/conversation_create.html", context, status=status)


@page
def my_conversations(request):
    user = request.user
    context = {
        "conversations": selectors.conversations_of_employee(user),
        "others": selectors.other_visible_conversations(user),
        "share_form": ShareHistoryForm(initial={"shared": user.shares_history}),
    }
    return render(request, "conversations/my_conversations.html", context)


@page
@require_POST
def share_history(request):
    share = lambda shared: services.history_share_set(employee=request.user, shared=shared)  # noqa: E731
    return _switch(
        request, ShareHistoryForm(request.POST), "shared", share, SHARING_SWITCHED, "web:my_conversations"
    )


def _may_grant(user) -> bool:
    return user.is_leader or user.reports.exists()


def _deputy_form(request, data=None, initial=None):
    conversations = selectors.leader_open_conversations(request.user)
    return DeputyGrantForm(
        data,
        initial=initial,
        conversations=conversations,
        leader=request.user,
        search_url=reverse("web:deputy_search"),
    )


def _deputies_page(request, form, status: int = 200):
    user = request.user
    context = {
        "form": form,
        "given": deputy_selectors.grants_given(user),
        "received": deputy_selectors.grants_received(user),
    }
    return render(request, "conversations/deputies.html", context, status=status)


@page
def deputies(request):
    user = request.user
    may_grant = _may_grant(user)
    if request.method != "POST":
        return _deputies_page(request, _deputy_form(request) if may_grant else None)
    if not may_grant:  # as in the API: only leaders appoint deputies
        raise NotAllowed(_("Only leaders can appoint a deputy."))
    if request.POST.get("search") == "yes":  # the name search without scripts: show the matches
        return _deputy_search_page(request, request.POST)
    form = _deputy_form(request, request.POST)

    def grant(data):
        services.deputy_grant_create(
            leader=user, deputy=data["deputy"], until=data["until"], conversation=data["conversation"]
        )

    if run_form_action(request, form, grant, _("The deputy was granted access.")):
        return redirect("web:deputies")
    focus_first_error(form)
    return _deputies_page(request, form, status=400)


@page
def deputy_search(request):
    """The people the leader may choose as deputy whose name (or employee id) matches `deputy`: the
    list of choices for htmx while typing, else the deputies page with them (the search button)."""
    if not _may_grant(request.user):
        raise NotAllowed(_("Only leaders can appoint a deputy."))
    query = request.GET.get("deputy", "")[:200]
    candidates = deputy_selectors.deputy_candidates(request.user, query)
    if request.htmx:
        context = {"candidates": candidates, "query": query}
        return render(request, "conversations/_deputy_candidates.html", context)
    return _deputy_search_page(request, request.GET)


def _deputy_search_page(request, data):
    """The deputies page with the matches for the name typed, and what else was filled in kept."""
    initial = {name: data.get(name, "")[:200] for name in ("deputy", "conversation", "until")}
    form = _deputy_form(request, initial=initial)
    form.candidates = deputy_selectors.deputy_candidates(request.user, initial["deputy"])
    return _deputies_page(request, form)


@page
@require_POST
def deputy_end(request, grant_pk):
    grant = get_object_or_404(
        DeputyGrant.objects.select_related("leader", "deputy"), pk=grant_pk, leader=request.user
    )
    if not confirmed(request):
        return ask_to_confirm(
            request,
            question=_("Vil du avslutte tilgangen til %(name)s?") % {"name": grant.deputy.full_name},
            button=_("Avslutt tilgangen"),
            back=reverse("web:deputies"),
        )
    run_action(
        request,
        lambda: services.deputy_grant_end(grant=grant, actor=request.user),
        _("The deputy's access has ended."),
    )
    return redirect("web:deputies")
