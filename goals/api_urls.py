"""Routes of the unit goals under /api/v1/."""

from django.urls import path

from goals import apis

urlpatterns = [
    path("unit-goals/", apis.UnitGoalListView.as_view(), name="api-unit-goal-list"),
    path("unit-goals/copy/", apis.UnitGoalCopyView.as_view(), name="api-unit-goal-copy"),
    path("unit-goals/<id:pk>/", apis.UnitGoalDetailView.as_view(), name="api-unit-goal-detail"),
]
