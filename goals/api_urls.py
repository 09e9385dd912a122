"""Routes of the contract's items, the unit goals and the employee's proposals under /api/v1/."""

from django.urls import path

from goals import apis, item_apis

# The contract's items (tasks, goals, expectations): created under their conversation, then on their own.
item_patterns = [
    path("conversations/<id:pk>/goals/", item_apis.GoalCreateView.as_view(), name="api-conversation-goals"),
    path("conversations/<id:pk>/tasks/", item_apis.TaskCreateView.as_view(), name="api-conversation-tasks"),
    path(
        "conversations/<id:pk>/expectations/",
        item_apis.ExpectationCreateView.as_view(),
        name="api-conversation-expectations",
    ),
    path("goals/<id:pk>/", item_apis.GoalDetailView.as_view(), name="api-goal-detail"),
    path("tasks/<id:pk>/", item_apis.TaskDetailView.as_view(), name="api-task-detail"),
    path("expectations/<id:pk>/", item_apis.ExpectationDetailView.as_view(), name="api-expectation-detail"),
]

urlpatterns = [
    *item_patterns,
    path("unit-goals/", apis.UnitGoalListView.as_view(), name="api-unit-goal-list"),
    path("unit-goals/copy/", apis.UnitGoalCopyView.as_view(), name="api-unit-goal-copy"),
    path("unit-goals/<id:pk>/", apis.UnitGoalDetailView.as_view(), name="api-unit-goal-detail"),
    path(
        "conversations/<id:pk>/proposals/", apis.ProposalListView.as_view(), name="api-conversation-proposals"
    ),
    path("proposals/<id:pk>/accept/", apis.ProposalAcceptView.as_view(), name="api-proposal-accept"),
    path("proposals/<id:pk>/decline/", apis.ProposalDeclineView.as_view(), name="api-proposal-decline"),
]
