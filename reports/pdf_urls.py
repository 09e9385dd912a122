"""PDF downloads under /api/v1/."""

from django.urls import path

from reports.apis import ConversationPdfView, CyclePdfZipView

urlpatterns = [
    path("conversations/<id:pk>/pdf/", ConversationPdfView.as_view(), name="api-conversation-pdf"),
    path("cycles/<id:pk>/pdfs.zip", CyclePdfZipView.as_view(), name="api-cycle-pdfs-zip"),
]
