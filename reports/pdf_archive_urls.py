"""The leader's PDF archive pages, included under /medarbeidere/pdf-arkiv/."""

from django.urls import path

from reports.pdf_archive_views import archive_file, archive_request, archive_status

urlpatterns = [
    path("", archive_request, name="pdf-archive-request"),
    path("<id:pk>/", archive_status, name="pdf-archive"),
    path("<id:pk>/fil/", archive_file, name="pdf-archive-file"),
]
