"""The leader's pages for a cycle's PDF archive: ask for it, watch it being built, download it."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from conversations.models import Cycle
from conversations.web.views._common import page
from core.errors import InvalidTransition
from core.ids import is_id
from reports import pdf_archive
from reports.apis import reader_language

REFRESH_SECONDS = 2


@require_POST
@page
def archive_request(request):
    cycle = Cycle.objects.filter(pk=_int(request.POST.get("cycle"))).first()
    if cycle is None:
        raise Http404
    archive = pdf_archive.pdf_archive_request(
        leader=request.user, cycle=cycle, language=reader_language(request)
    )
    return redirect("pdf-archive", pk=archive.pk)


@page
def archive_status(request, pk):
    archive = pdf_archive.access_pdf_archive(request.user, pk)
    context = {"archive": archive, "refresh": REFRESH_SECONDS if archive.in_progress else None}
    return render(request, "reports/pdf_archive.html", context)


@page
def archive_file(request, pk):
    archive = pdf_archive.access_pdf_archive(request.user, pk)
    try:
        body, filename = pdf_archive.pdf_archive_file(archive, request.user)
    except InvalidTransition:
        return redirect("pdf-archive", pk=archive.pk)
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _int(value) -> int | None:
    """A form's id, or None for anything that is no id a row can have."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if is_id(number) else None
