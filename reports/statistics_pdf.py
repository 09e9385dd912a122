"""The statistics PDF: the same figures, tables and SVG charts as the HR page, rendered by WeasyPrint.

Nothing is fetched while rendering: the fetcher allows `data:` URLs only (the charts are inline SVG and
the fonts come from the system). To be switched to the shared renderer in `reports/pdf.py` (bundled
fonts, PDF/A) once that settles.
"""

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from reports import alignment_charts, charts, statistics

TEMPLATE = "reports/pdf/statistics.html"


def data_only_fetcher() -> URLFetcher:
    return URLFetcher(allowed_protocols={"data"})


def render_statistics_pdf(result: dict) -> bytes:
    html = render_to_string(
        TEMPLATE,
        {
            "result": result,
            "computed_at": statistics.computed_at(result),
            "charts": alignment_charts.all_charts(result),
            "tables": alignment_charts.summary_tables(result),
            "notes": charts.suppressed_total_notes(result),
            "printed_at": timezone.localtime(),
        },
    )
    return HTML(string=html, url_fetcher=data_only_fetcher(), base_url=None).write_pdf()
