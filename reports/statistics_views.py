"""HR pages: the statistics with charts, and the cycles (create, change the deadline)."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from conversations.cycles import services as cycle_services
from conversations.models import Cycle
from reports import alignment_charts, charts, statistics
from reports.statistics_forms import CycleForm, StatisticsFilterForm


def hr_required(view):
    """Signed in and HR, else 403 (the page exists, but is not for them)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_hr:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@hr_required
def statistics_page(request):
    latest = Cycle.objects.order_by("-starts_on", "-pk").first()
    if latest is None:
        return render(request, "reports/statistics.html", {"form": None, "result": None})
    data = request.GET if "cycle" in request.GET else {"cycle": latest.pk}
    form = StatisticsFilterForm(data)
    if not form.is_valid():
        return render(request, "reports/statistics.html", {"form": form, "result": None}, status=400)
    cycle, unit = form.cleaned_data["cycle"], form.cleaned_data["unit"]
    result = statistics.cycle_statistics(cycle=cycle, unit=unit)
    query = {"cycle": cycle.pk, **({"unit": unit.pk} if unit else {})}
    children = [
        {"name": g["unit"]["name"], "url": "?" + urlencode({"cycle": cycle.pk, "unit": g["unit"]["id"]})}
        for g in result["groups"]
        if not g["is_total"]
    ]
    context = {
        "form": form,
        "result": result,
        "computed_at": statistics.computed_at(result),
        "charts": alignment_charts.all_charts(result),
        "tables": alignment_charts.summary_tables(result),
        "notes": charts.suppressed_total_notes(result),
        "children": children,
        "csv_url": reverse("api-statistics-csv") + "?" + urlencode(query),
        "pdf_url": reverse("api-statistics-pdf") + "?" + urlencode(query),
    }
    return render(request, "reports/statistics.html", context)


def _save_cycle(request, form, cycle=None) -> bool:
    """Call the service with the form's data; domain validation errors land on the form."""
    if not form.is_valid():
        return False
    try:
        if cycle is None:
            cycle_services.cycle_create(actor=request.user, **form.cleaned_data)
        else:
            cycle_services.cycle_update(actor=request.user, cycle=cycle, **form.cleaned_data)
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return False
    return True


@hr_required
def cycles_page(request):
    form = CycleForm(request.POST or None)
    if request.method == "POST" and _save_cycle(request, form):
        messages.success(request, _("Samtalerunden er opprettet."))
        return redirect("hr-cycles")
    cycles = Cycle.objects.select_related("template").order_by("-starts_on", "-pk")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "reports/cycles.html", {"form": form, "cycles": cycles, "editing": None}, status=status
    )


@hr_required
def cycle_edit_page(request, pk):
    cycle = get_object_or_404(Cycle, pk=pk)
    form = CycleForm(request.POST or None, instance=cycle)
    if request.method == "POST" and _save_cycle(request, form, cycle):
        messages.success(request, _("Samtalerunden er endret."))
        return redirect("hr-cycles")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "reports/cycles.html", {"form": form, "cycles": None, "editing": cycle}, status=status
    )
