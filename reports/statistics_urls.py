"""Statistics under /api/v1/: JSON, CSV and PDF, for HR only."""

from django.urls import path

from reports.statistics_apis import StatisticsCSVView, StatisticsPDFView, StatisticsView

urlpatterns = [
    path("statistics/", StatisticsView.as_view(), name="api-statistics"),
    path("statistics.csv", StatisticsCSVView.as_view(), name="api-statistics-csv"),
    path("statistics.pdf", StatisticsPDFView.as_view(), name="api-statistics-pdf"),
]
