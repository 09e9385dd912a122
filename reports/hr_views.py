"""HR's workspace: the start page HR lands on, and the conversation templates (maler) edited in the
pages. Writes go through `conversations.cycles.template_services`; every page is HR's alone (403 for others,
as the other HR pages)."""

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conversations.cycles import selectors as cycle_selectors
from conversations.cycles import template_services
from conversations.models import Cycle, Template, TemplatePoint
from conversations.notify import waiting
from conversations.web.views._common import page, run_action, run_form_action
from reports.hr_forms import TemplateNameForm, TemplatePointForm
from reports.statistics_views import hr_required

RECENT_CYCLES = 5


def hr_page(view):
    """HR only (403 for others); a NotAllowed from a service is the 403 page too."""
    return page(hr_required(view))


@hr_page
def hr_home(request):
    """Where HR lands after signing in: the cycles, and the way to statistics, unit goals and templates."""
    cycles = list(Cycle.objects.select_related("template").order_by("-starts_on", "-pk")[:RECENT_CYCLES])
    context = {
        "current": cycle_selectors.current_cycle(),
        "cycles": cycles,
        "templates": Template.objects.count(),
        "waiting": len(waiting.waiting_on(request.user)),
    }
    return render(request, "reports/hr/home.html", context)


def _cycles_of_template() -> Prefetch:
    return Prefetch("cycles", queryset=Cycle.objects.order_by("-starts_on", "-pk").only("name", "template"))


def _templates():
    cycles = _cycles_of_template()
    return (
        Template.objects.annotate(point_count=Count("points")).prefetch_related(cycles).order_by("name", "pk")
    )


@hr_page
def templates_page(request):
    """Every template with its number of agenda points and the cycles that use it; a new one."""
    form = TemplateNameForm(request.POST or None)
    if request.method == "POST":
        created = []

        def create(data):
            created.append(template_services.template_create(actor=request.user, name=data["name"]))

        if run_form_action(request, form, create, _("Malen er opprettet. Legg til temaene.")):
            return redirect("hr-template", pk=created[0].pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "reports/hr/templates.html", {"templates": _templates(), "form": form}, status=status
    )


def _template(pk) -> Template:
    cycles = _cycles_of_template()
    return get_object_or_404(Template.objects.prefetch_related("points", cycles), pk=pk)


def _template_context(template, *, name_form=None, add_form=None, failed=None) -> dict:
    """The template page: each point with its edit form (the failed one keeps what was typed)."""
    points = []
    for point in template.points.all():
        if failed is not None and failed.prefix == f"point-{point.pk}":
            form = failed
        else:
            form = TemplatePointForm(
                prefix=f"point-{point.pk}", initial={"text": point.text, "hint": point.hint}
            )
        points.append({"point": point, "form": form})
    return {
        "template": template,
        "points": points,
        "name_form": name_form or TemplateNameForm(initial={"name": template.name}, prefix="name"),
        "add_form": add_form or TemplatePointForm(prefix="new"),
    }


def _template_url(template, anchor="") -> str:
    url = reverse("hr-template", args=[template.pk])
    return f"{url}#{anchor}" if anchor else url


@hr_page
def template_page(request, pk):
    template = _template(pk)
    return render(request, "reports/hr/template.html", _template_context(template))


@hr_page
@require_POST
def template_rename(request, pk):
    template = _template(pk)
    form = TemplateNameForm(request.POST, prefix="name")

    def rename(data):
        template_services.template_rename(actor=request.user, template=template, name=data["name"])

    if run_form_action(request, form, rename, _("Malen har fått nytt navn.")):
        return redirect(_template_url(template))
    context = _template_context(template, name_form=form)
    return render(request, "reports/hr/template.html", context, status=400)


@hr_page
@require_POST
def template_point_add(request, pk):
    template = _template(pk)
    form = TemplatePointForm(request.POST, prefix="new")

    def add(data):
        template_services.template_point_create(actor=request.user, template=template, **data)

    if run_form_action(request, form, add, _("Temaet er lagt til.")):
        return redirect(_template_url(template, "points"))
    context = _template_context(template, add_form=form)
    return render(request, "reports/hr/template.html", context, status=400)


def _point(template_pk, point_pk) -> TemplatePoint:
    return get_object_or_404(TemplatePoint, pk=point_pk, template_id=template_pk)


@hr_page
@require_POST
def template_point_edit(request, pk, point_pk):
    point = _point(pk, point_pk)
    form = TemplatePointForm(request.POST, prefix=f"point-{point.pk}")

    def save(data):
        template_services.template_point_update(actor=request.user, point=point, **data)

    if run_form_action(request, form, save, _("Temaet er lagret.")):
        return redirect(_template_url(point.template, f"point-{point.pk}"))
    context = _template_context(_template(pk), failed=form)
    return render(request, "reports/hr/template.html", context, status=400)


@hr_page
@require_POST
def template_point_delete(request, pk, point_pk):
    point = _point(pk, point_pk)
    run_action(
        request,
        lambda: template_services.template_point_delete(actor=request.user, point=point),
        _("Temaet «%(text)s» er fjernet fra malen.") % {"text": point.text},
    )
    return redirect(_template_url(point.template, "points"))


@hr_page
@require_POST
def template_point_move(request, pk, point_pk):
    point = _point(pk, point_pk)
    direction = request.POST.get("direction", "")
    run_action(
        request,
        lambda: template_services.template_point_move(actor=request.user, point=point, direction=direction),
        _("Rekkefølgen er endret."),
    )
    return redirect(_template_url(point.template, f"point-{point.pk}"))
