"""HR pages, included under /hr/: the start page, statistics, cycles and templates."""

from django.urls import path

from reports import hr_views
from reports.statistics_views import cycle_edit_page, cycles_page, statistics_page

urlpatterns = [
    path("", hr_views.hr_home, name="hr-home"),
    path("statistics/", statistics_page, name="hr-statistics"),
    path("cycles/", cycles_page, name="hr-cycles"),
    path("cycles/<id:pk>/", cycle_edit_page, name="hr-cycle-edit"),
    path("maler/", hr_views.templates_page, name="hr-templates"),
    path("maler/<id:pk>/", hr_views.template_page, name="hr-template"),
    path("maler/<id:pk>/navn/", hr_views.template_rename, name="hr-template-rename"),
    path("maler/<id:pk>/tema/", hr_views.template_point_add, name="hr-template-point-add"),
    path("maler/<id:pk>/tema/<id:point_pk>/", hr_views.template_point_edit, name="hr-template-point-edit"),
    path(
        "maler/<id:pk>/tema/<id:point_pk>/slett/",
        hr_views.template_point_delete,
        name="hr-template-point-delete",
    ),
    path(
        "maler/<id:pk>/tema/<id:point_pk>/flytt/",
        hr_views.template_point_move,
        name="hr-template-point-move",
    ),
]
