"""Routes of the unit goals and the employee's proposals under /api/v1/."""

from django.urls import path

from goals import apis

urlpatterns = [
    path("unit-goals/", apis.UnitGoalListView.as_view(), name="api-unit-goal-list"),
    path("unit-goals/copy/", apis.UnitGoalCopyView.as_view(), name="api-unit-goal-copy"),
    path("unit-goals/<id:pk>/", apis.UnitGoalDetailView.as_view(), name="api-unit-goal-detail"),
    path(
        "conversations/<id:pk>/proposals/", apis.ProposalListView.as_view(), name="api-conversation-proposals"
    ),
    path("proposals/<id:pk>/accept/", apis.ProposalAcceptView.as_view(), name="api-proposal-accept"),
    path("proposals/<id:pk>/decline/", apis.ProposalDeclineView.as_view(), name="api-proposal-decline"),
]
