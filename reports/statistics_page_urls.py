"""HR pages, included under /hr/: statistics and cycles."""

from django.urls import path

from reports.statistics_views import cycle_edit_page, cycles_page, statistics_page

urlpatterns = [
    path("statistics/", statistics_page, name="hr-statistics"),
    path("cycles/", cycles_page, name="hr-cycles"),
    path("cycles/<id:pk>/", cycle_edit_page, name="hr-cycle-edit"),
]
