"""PDF downloads: one conversation's summary, and a leader's whole cycle as one ZIP archive.

Thin views: access check (the same 404 for missing and hidden), selector, renderer, access log.
"""

import io

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema

from conversations.access.permissions import access_conversation
from conversations.models import Cycle
from conversations.selectors import cycle_conversations_for_leader
from conversations.services import access_log_record
from core.api import DownloadView, PDFRenderer, ZipRenderer, attachment
from core.errors import NotAllowed
from core.schema import errors
from reports import pdf, pdf_cache, selectors

TAGS = ["reports"]
ERRORS = {
    (401, "application/json"): OpenApiResponse(description="Not authenticated."),
    (403, "application/json"): OpenApiResponse(description="The caller is not a leader."),
    (404, "application/json"): OpenApiResponse(description="Not found, or not visible to the caller."),
    **errors(429, media_type="application/json"),  # throttle_scope "pdf"
}


def reader_language(request) -> str:
    """The reader's language: the user's chosen language, else what the request negotiated."""
    choice = getattr(request.user, "language", "") or getattr(request, "LANGUAGE_CODE", "nb")
    return choice if choice in dict(settings.LANGUAGES) else "nb"


class ConversationPdfView(DownloadView):
    renderer_classes = [PDFRenderer]
    throttle_scope = "pdf"

    @extend_schema(
        tags=TAGS,
        operation_id="conversations_pdf_retrieve",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF/A summary."),
            **{k: v for k, v in ERRORS.items() if k[0] != 403},
        },
    )
    def get(self, request, pk):
        """The conversation's PDF summary in the reader's language, for the parties and their deputies."""
        conversation = access_conversation(request.user, pk)
        data = selectors.conversation_pdf_data(conversation)
        body = pdf_cache.conversation_pdf(data, language=reader_language(request))
        access_log_record(conversation=conversation, user=request.user, channel=pdf.LOG_CHANNEL)
        return attachment(body, "application/pdf", pdf.pdf_filename(data))


class CyclePdfZipView(DownloadView):
    renderer_classes = [ZipRenderer]
    throttle_scope = "pdf"

    @extend_schema(
        tags=TAGS,
        operation_id="cycles_pdfs_zip_retrieve",
        responses={
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY, description="One PDF per conversation the caller leads in the cycle."
            ),
            **ERRORS,
        },
    )
    def get(self, request, pk):
        """All PDFs of a cycle for the caller's own reports (conversations they lead and may see)."""
        cycle = Cycle.objects.filter(pk=pk).first()
        if cycle is None:
            raise Http404
        if not request.user.is_leader:
            raise NotAllowed(_("Only leaders can download the PDFs of a cycle."))
        conversations = cycle_conversations_for_leader(leader=request.user, cycle_id=cycle.pk)
        buffer = io.BytesIO()

        def logged(conversation):
            access_log_record(conversation=conversation, user=request.user, channel=pdf.LOG_CHANNEL)

        pdf.write_conversations_zip(
            buffer,
            conversations,
            language=reader_language(request),
            after_each=logged,
            render=pdf_cache.conversation_pdf,
        )
        filename = pdf.cycle_archive_filename(cycle, request.user)
        return attachment(buffer.getvalue(), "application/zip", filename)
