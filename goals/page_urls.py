"""The routes of the unit goal pages (bokmål paths, as the users see them)."""

from django.urls import path

from goals import views

app_name = "goals"

urlpatterns = [
    path("enhetsmal/", views.unit_goals_page, name="unit_goals"),
    path("enhetsmal/kopier/", views.unit_goals_copy, name="unit_goals_copy"),
    path("enhetsmal/<id:pk>/", views.unit_goal_edit, name="unit_goal_edit"),
    path("enhetsmal/<id:pk>/slett/", views.unit_goal_delete, name="unit_goal_delete"),
    path("retning/", views.direction_page, name="direction"),
]
