"""Routes of the REST API under /api/v1/ (statistics and PDFs live in `reports`)."""

from django.urls import path

from conversations.apis import conversations, dialogue, items, people, transitions

conversation_patterns = [
    path("conversations/", conversations.ConversationListView.as_view(), name="api-conversation-list"),
    path(
        "conversations/<id:pk>/",
        conversations.ConversationDetailView.as_view(),
        name="api-conversation-detail",
    ),
    path(
        "conversations/<id:pk>/calendar.ics",
        conversations.CalendarView.as_view(),
        name="api-conversation-calendar",
    ),
    path("conversations/<id:pk>/goals/", items.GoalCreateView.as_view(), name="api-conversation-goals"),
    path("conversations/<id:pk>/tasks/", items.TaskCreateView.as_view(), name="api-conversation-tasks"),
    path(
        "conversations/<id:pk>/expectations/",
        items.ExpectationCreateView.as_view(),
        name="api-conversation-expectations",
    ),
    path("conversations/<id:pk>/submit/", transitions.SubmitView.as_view(), name="api-conversation-submit"),
    path(
        "conversations/<id:pk>/confirm/", transitions.ConfirmView.as_view(), name="api-conversation-confirm"
    ),
    path(
        "conversations/<id:pk>/request-changes/",
        transitions.RequestChangesView.as_view(),
        name="api-conversation-request-changes",
    ),
    path("conversations/<id:pk>/amend/", transitions.AmendView.as_view(), name="api-conversation-amend"),
    path("conversations/<id:pk>/close/", transitions.CloseView.as_view(), name="api-conversation-close"),
    path("conversations/<id:pk>/cancel/", transitions.CancelView.as_view(), name="api-conversation-cancel"),
    path(
        "conversations/<id:pk>/versions/",
        dialogue.VersionListView.as_view(),
        name="api-conversation-versions",
    ),
    path(
        "conversations/<id:pk>/comments/",
        dialogue.CommentListView.as_view(),
        name="api-conversation-comments",
    ),
    path("conversations/<id:pk>/agenda/", dialogue.AgendaListView.as_view(), name="api-conversation-agenda"),
    path(
        "conversations/<id:pk>/responses/",
        dialogue.ResponseListView.as_view(),
        name="api-conversation-responses",
    ),
    path(
        "conversations/<id:pk>/follow-ups/",
        dialogue.FollowUpListView.as_view(),
        name="api-conversation-follow-ups",
    ),
    path(
        "conversations/<id:pk>/history/", dialogue.HistoryListView.as_view(), name="api-conversation-history"
    ),
    path(
        "conversations/<id:pk>/access-log/",
        dialogue.AccessLogListView.as_view(),
        name="api-conversation-access-log",
    ),
]

item_patterns = [
    path("goals/<id:pk>/", items.GoalDetailView.as_view(), name="api-goal-detail"),
    path("tasks/<id:pk>/", items.TaskDetailView.as_view(), name="api-task-detail"),
    path("expectations/<id:pk>/", items.ExpectationDetailView.as_view(), name="api-expectation-detail"),
]

people_patterns = [
    path("auth/token/", people.TokenView.as_view(), name="api-auth-token"),
    path("me/", people.MeView.as_view(), name="api-me"),
    path("me/reports/", people.MeReportsView.as_view(), name="api-me-reports"),
    path("me/export/", people.MeExportView.as_view(), name="api-me-export"),
    path("me/waiting/", people.MeWaitingView.as_view(), name="api-me-waiting"),
    path("me/share-history/", people.ShareHistoryView.as_view(), name="api-me-share-history"),
    path("me/email-digest/", people.EmailDigestView.as_view(), name="api-me-email-digest"),
    path("cycles/", people.CycleListView.as_view(), name="api-cycle-list"),
    path("deputies/", people.DeputyListView.as_view(), name="api-deputy-list"),
    path("deputies/<id:pk>/", people.DeputyDetailView.as_view(), name="api-deputy-detail"),
]

urlpatterns = [*conversation_patterns, *item_patterns, *people_patterns]
