"""Routes of the REST API under /api/v1/ (the contract's items, unit goals and proposals live in `goals`,
statistics and PDFs in `reports`)."""

from django.urls import path

from conversations.api.apis import conversations, dialogue, people, transitions

# What hangs below one conversation, `conversations/<id:pk>/<suffix>`: (suffix, view, URL name).
ON_A_CONVERSATION = (
    ("", conversations.ConversationDetailView, "api-conversation-detail"),
    ("calendar.ics", conversations.CalendarView, "api-conversation-calendar"),
    ("submit/", transitions.SubmitView, "api-conversation-submit"),
    ("confirm/", transitions.ConfirmView, "api-conversation-confirm"),
    ("request-changes/", transitions.RequestChangesView, "api-conversation-request-changes"),
    ("amend/", transitions.AmendView, "api-conversation-amend"),
    ("close/", transitions.CloseView, "api-conversation-close"),
    ("cancel/", transitions.CancelView, "api-conversation-cancel"),
    ("versions/", dialogue.VersionListView, "api-conversation-versions"),
    ("comments/", dialogue.CommentListView, "api-conversation-comments"),
    ("agenda/", dialogue.AgendaListView, "api-conversation-agenda"),
    ("responses/", dialogue.ResponseListView, "api-conversation-responses"),
    ("follow-ups/", dialogue.FollowUpListView, "api-conversation-follow-ups"),
    ("history/", dialogue.HistoryListView, "api-conversation-history"),
    ("access-log/", dialogue.AccessLogListView, "api-conversation-access-log"),
)

# The other routes: (route, view, URL name).
PEOPLE = (
    ("auth/token/", people.TokenView, "api-auth-token"),
    ("me/", people.MeView, "api-me"),
    ("me/reports/", people.MeReportsView, "api-me-reports"),
    ("me/export/", people.MeExportView, "api-me-export"),
    ("me/waiting/", people.MeWaitingView, "api-me-waiting"),
    ("me/share-history/", people.ShareHistoryView, "api-me-share-history"),
    ("me/email-digest/", people.EmailDigestView, "api-me-email-digest"),
    ("cycles/", people.CycleListView, "api-cycle-list"),
    ("deputies/", people.DeputyListView, "api-deputy-list"),
    ("deputies/<id:pk>/", people.DeputyDetailView, "api-deputy-detail"),
)


def _paths(routes, prefix: str = "") -> list:
    return [path(prefix + route, view.as_view(), name=name) for route, view, name in routes]


urlpatterns = [
    path("conversations/", conversations.ConversationListView.as_view(), name="api-conversation-list"),
    *_paths(ON_A_CONVERSATION, prefix="conversations/<id:pk>/"),
    *_paths(PEOPLE),
]
