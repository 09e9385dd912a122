"""The unit goal pages (*Enhetens mål*) and the leader's *Retning*."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from conversations.cycles.selectors import current_cycle
from conversations.models import Cycle
from conversations.web.views._common import page, run_action, run_form_action
from goals import selectors, unit_goals
from goals.forms import UnitGoalCopyForm, UnitGoalEditForm, UnitGoalForm
from goals.permissions import access_unit_goal, may_write_unit_goals
from organization import selectors as people
from organization.models import OrgUnit


def _cycle(request):
    pk = request.GET.get("cycle")
    if pk is None:
        return current_cycle() or Cycle.objects.order_by("-starts_on", "-pk").first()
    if not pk.isascii() or not pk.isdigit() or len(pk) > 18:
        raise Http404
    return get_object_or_404(Cycle, pk=int(pk))


def _unit(request):
    pk = request.GET.get("unit")
    if pk is None:
        return request.user.unit or OrgUnit.objects.filter(parent=None).order_by("path").first()
    if not pk.isascii() or not pk.isdigit() or len(pk) > 18:
        raise Http404
    return get_object_or_404(OrgUnit, pk=int(pk))


def page_url(unit, cycle) -> str:
    return f"{reverse('goals:unit_goals')}?unit={unit.pk}&cycle={cycle.pk}"


@page
def unit_goals_page(request):
    """A unit's goals for a cycle, below the goals of the units above; writers add and change them."""
    cycle, unit = _cycle(request), _unit(request)
    if cycle is None or unit is None:
        return render(request, "goals/unit_goals.html", {"data": None})
    data = selectors.unit_page(unit, cycle)
    may_write = may_write_unit_goals(request.user, unit)
    form = None
    if may_write:
        form = UnitGoalForm(request.POST or None, above=data.above, prefix="goal")
        if request.method == "POST":

            def create(values):
                unit_goals.unit_goal_create(actor=request.user, unit=unit, cycle=cycle, **values)

            if run_form_action(request, form, create, _("The goal was published.")):
                return redirect(page_url(unit, cycle))
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "data": data,
        "may_write": may_write,
        "form": form,
        "cycles": Cycle.objects.order_by("-starts_on", "-pk"),
        "copy_form": UnitGoalCopyForm(prefix="copy") if request.user.is_hr else None,
    }
    return render(request, "goals/unit_goals.html", context, status=400 if form and form.errors else 200)


@page
def unit_goal_edit(request, pk):
    goal = access_unit_goal(request.user, pk)
    if not may_write_unit_goals(request.user, goal.unit):
        raise PermissionDenied
    above = selectors.unit_page(goal.unit, goal.cycle).above
    initial = {"title": goal.title, "description": goal.description, "supports": goal.supports_id}
    form = UnitGoalEditForm(request.POST or None, above=above, initial={**initial, "revision": goal.revision})
    if request.method == "POST":

        def update(values):
            values = dict(values)
            revision = values.pop("revision")
            unit_goals.unit_goal_update(goal=goal, actor=request.user, expected_revision=revision, **values)

        if run_form_action(request, form, update, _("The change was saved.")):
            return redirect(page_url(goal.unit, goal.cycle))
    status = 400 if form.errors else 200
    return render(request, "goals/unit_goal_edit.html", {"goal": goal, "form": form}, status=status)


@page
def unit_goal_delete(request, pk):
    if request.method != "POST":
        raise Http404
    goal = access_unit_goal(request.user, pk)
    revision = request.POST.get("revision", "")
    revision = int(revision) if revision.isascii() and revision.isdigit() and len(revision) < 10 else None
    run_action(
        request,
        lambda: unit_goals.unit_goal_delete(goal=goal, actor=request.user, expected_revision=revision),
        _("“%(goal)s” was deleted.") % {"goal": goal.title},
    )
    return redirect(page_url(goal.unit, goal.cycle))


@page
def unit_goals_copy(request):
    """HR: copy the shown cycle's unit goals into another cycle."""
    if request.method != "POST":
        raise Http404
    source, unit = _cycle(request), _unit(request)
    form = UnitGoalCopyForm(request.POST, prefix="copy")
    if source is None or not form.is_valid():
        messages.error(request, _("Choose a cycle to copy to."))
        return redirect(reverse("goals:unit_goals"))
    target = form.cleaned_data["target"]
    copied = []
    run_action(
        request,
        lambda: copied.extend(unit_goals.unit_goals_copy(actor=request.user, source=source, target=target)),
        _("The unit goals were copied."),
    )
    return redirect(page_url(unit, target) if unit else reverse("goals:unit_goals"))


@page
def direction_page(request):
    """The leader's *Retning*: how their reports' contracts support the goals of their unit."""
    if not people.leaders().filter(pk=request.user.pk).exists():
        raise PermissionDenied(_("Only leaders have a direction page."))
    cycle = _cycle(request)
    data = selectors.direction(request.user, cycle) if cycle and request.user.unit_id else None
    context = {"cycle": cycle, "data": data, "cycles": Cycle.objects.order_by("-starts_on", "-pk")}
    return render(request, "goals/direction.html", context)
