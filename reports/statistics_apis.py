"""The anonymized statistics for HR as JSON, CSV and PDF. Everyone but HR gets 403."""

import csv
import io

from django.http import Http404
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from conversations.models import Cycle
from core.api import ApiView, CSVRenderer, DownloadView, PDFRenderer, attachment
from core.errors import NotAllowed
from core.ids import MAX_ID
from core.schema import errors
from organization.models import OrgUnit
from reports import statistics
from reports.statistics_pdf import render_statistics_pdf

TAGS = ["statistics"]
PARAMETERS = [
    OpenApiParameter("cycle", OpenApiTypes.INT, required=True, description="The cycle."),
    OpenApiParameter("unit", OpenApiTypes.INT, description="The unit; the whole organisation when left out."),
]
ERRORS = {
    400: OpenApiResponse(description="Missing or malformed parameters."),
    401: OpenApiResponse(description="Not authenticated."),
    403: OpenApiResponse(description="Only HR sees statistics."),
    404: OpenApiResponse(description="No such cycle or unit."),
    # throttle_scope "statistics"; errors are JSON also where the answer is CSV or PDF.
    **errors(429, media_type="application/json"),
}


class StatisticsQuerySerializer(serializers.Serializer):
    cycle = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    unit = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)


def statistics_for(user, query_params) -> dict:
    """Check the caller (HR only), read `cycle` and `unit`, and compute the statistics."""
    if not getattr(user, "is_hr", False):
        raise NotAllowed(_("Only HR can see the statistics."))
    query = StatisticsQuerySerializer(data=query_params)
    query.is_valid(raise_exception=True)
    cycle = Cycle.objects.filter(pk=query.validated_data["cycle"]).first()
    if cycle is None:
        raise Http404
    unit = None
    if "unit" in query.validated_data:
        unit = OrgUnit.objects.filter(pk=query.validated_data["unit"]).first()
        if unit is None:
            raise Http404
    return statistics.cycle_statistics(cycle=cycle, unit=unit)


class StatisticsView(ApiView):
    throttle_scope = "statistics"

    @extend_schema(tags=TAGS, parameters=PARAMETERS, responses={200: OpenApiTypes.OBJECT, **ERRORS})
    def get(self, request):
        """Anonymized figures of a cycle for a unit and its child units, with the previous cycle.
        Every count is at least `min_group_size` or null with `"suppressed": true`."""
        return Response(statistics_for(request.user, request.query_params))


def _filename(result: dict, extension: str) -> str:
    name = slugify(result["cycle"]["name"]) or result["cycle"]["id"]
    unit = slugify(result["unit"]["name"] or "") or "organisasjon"
    return f"statistikk-{name}-{unit}.{extension}"


class StatisticsCSVView(DownloadView):
    renderer_classes = [CSVRenderer]
    throttle_scope = "statistics"

    @extend_schema(
        tags=TAGS,
        parameters=PARAMETERS,
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV"), **ERRORS},
    )
    def get(self, request):
        """The same figures as CSV: one line per unit, cycle and figure; suppressed ones are empty."""
        result = statistics_for(request.user, request.query_params)
        return attachment(statistics_csv(result), "text/csv; charset=utf-8", _filename(result, "csv"))


class StatisticsPDFView(DownloadView):
    renderer_classes = [PDFRenderer]
    throttle_scope = "statistics"

    @extend_schema(
        tags=TAGS,
        parameters=PARAMETERS,
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="PDF"),
            **ERRORS,
        },
    )
    def get(self, request):
        """The same figures with their charts as a PDF."""
        result = statistics_for(request.user, request.query_params)
        return attachment(render_statistics_pdf(result), "application/pdf", _filename(result, "pdf"))


CSV_HEADER = ["unit", "unit_path", "cycle", "figure", "value", "suppressed", "min_group_size"]


def _lines(result: dict):
    k = result["min_group_size"]
    for group in result["groups"]:
        unit = _cell_text(group["unit"]["name"] or "(hele organisasjonen)")
        path = _cell_text(group["unit"]["path"] or "")
        for which, cycle in (("current", result["cycle"]), ("previous", result["previous_cycle"])):
            figures = group[which]
            if figures is None:
                continue
            for name, value in _flatten(figures):
                if isinstance(value, dict):
                    yield [
                        unit,
                        path,
                        _cell_text(cycle["name"]),
                        name,
                        _plain(value["value"]),
                        value["suppressed"],
                        k,
                    ]
                else:
                    yield [unit, path, _cell_text(cycle["name"]), name, _plain(value), value is None, k]


def _flatten(figures: dict, prefix: str = ""):
    for name, value in figures.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict) and "suppressed" not in value:
            yield from _flatten(value, key + ".")
        elif isinstance(value, list) and name == "unit_goals":
            for goal in value:
                yield f"{key}.{goal['id']}.confirmed_supporting", goal["confirmed_supporting"]
        elif isinstance(value, list):
            for entry in value:
                yield f"{key}.{entry['month']}", entry["entries"]
        else:
            yield key, value


def _cell_text(text: str) -> str:
    """Names could start like a spreadsheet formula; such a cell is kept as text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _plain(value):
    return "" if value is None else value


def statistics_csv(result: dict) -> str:
    """CSV (UTF-8, comma separated): a header line, then one line per unit, cycle and figure."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(_lines(result))
    return buffer.getvalue()
