"""The API's base view and the pieces every app's endpoints share: parsers, metadata, pagination,
and the renderers and content negotiation of downloads (PDF, ZIP, CSV, iCalendar)."""

import json

from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.metadata import SimpleMetadata
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView


class StrictJSONParser(JSONParser):
    """JSON that can be stored: a lone surrogate (valid JSON escape, invalid Unicode) or absurd nesting
    is bad input, not a server error."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError(_("The body holds text that is not valid Unicode.")) from None
        except RecursionError:
            raise ParseError(_("The body is nested too deeply.")) from None
        return data


PARSER_CLASSES = [StrictJSONParser, FormParser, MultiPartParser]


class DescriptionMetadata(SimpleMetadata):
    """OPTIONS answers with the view's name, description and media types. The request bodies are
    described by the OpenAPI schema; our views pick their serializer per method, so DRF's
    serializer introspection does not apply."""

    def determine_metadata(self, request, view):
        metadata = super().determine_metadata(request, view)
        metadata.pop("actions", None)
        return metadata

    def determine_actions(self, request, view):
        return {}


class FirstPagePagination(PageNumberPagination):
    """Page numbers, as DRF's, but the first page is counted from its own rows when they all fit on it
    (a person's conversations, a conversation's comments nearly always do): one query instead of a
    COUNT and a page. Longer lists are counted as usual, reusing the rows already read."""

    def paginate_queryset(self, queryset, request, view=None):
        page_size = self.get_page_size(request)
        number = request.query_params.get(self.page_query_param) or "1"
        if not page_size or number != "1" or not isinstance(queryset, QuerySet):
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        rows = list(queryset[: page_size + 1])
        paginator = self.django_paginator_class(rows if len(rows) <= page_size else queryset, page_size)
        self.page = Page(rows[:page_size], 1, paginator)
        if paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True
        return list(self.page)


class ApiView(APIView):
    """Authenticated API view. Token authentication comes first so that an unauthenticated request
    gets 401 with `WWW-Authenticate: Token` rather than 403.

    Not a GenericAPIView: views choose their serializers and querysets per method, and the schema is
    declared per method with extend_schema. `serializer_class` is only the body the browsable API
    offers a form for."""

    # The settings' DEFAULT_AUTHENTICATION_CLASSES: tokens that expire (`identity`), then the session.
    permission_classes = [IsAuthenticated]
    metadata_class = DescriptionMetadata
    parser_classes = PARSER_CLASSES
    pagination_class = FirstPagePagination
    serializer_class = serializers.Serializer

    def get_serializer_context(self) -> dict:
        return {"request": self.request, "format": self.format_kwarg, "view": self}

    def get_serializer(self, *args, **kwargs):
        """For the browsable API's forms."""
        return self.serializer_class(*args, context=self.get_serializer_context(), **kwargs)

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            self._paginator = self.pagination_class() if self.pagination_class else None
        return self._paginator

    def validated(self, serializer_class, data, **context) -> dict:
        """Input checked by `serializer_class` (shape only); 400 with field errors otherwise."""
        serializer = serializer_class(data=data, context={"request": self.request, "view": self, **context})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def paginated(self, queryset, serializer_class) -> Response:
        """One page of `queryset`, serialized, in the paginator's envelope."""
        page = self.paginator.paginate_queryset(queryset, self.request, view=self)
        return self.paginator.get_paginated_response(serializer_class(page, many=True).data)


# --- downloads ------------------------------------------------------------------------------------


class BinaryRenderer(BaseRenderer):
    """The body as the view made it (bytes)."""

    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class PDFRenderer(BinaryRenderer):
    media_type = "application/pdf"
    format = "pdf"


class ZipRenderer(BinaryRenderer):
    media_type = "application/zip"
    format = "zip"


class CSVRenderer(BinaryRenderer):
    media_type = "text/csv"
    format = "csv"


class ICalendarRenderer(BaseRenderer):
    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data.encode("utf-8") if isinstance(data, str) else data


class PathNamesFormat(BaseContentNegotiation):
    """The path names the format: always answer with it (errors are JSON, see `DownloadView`)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class DownloadView(ApiView):
    """A file download: its one renderer (`renderer_classes`) whatever the request accepts; errors are
    answered as JSON."""

    content_negotiation_class = PathNamesFormat

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


def attachment(body, content_type: str, filename: str, *, cache_control: str | None = "private, no-store"):
    """A download's response: `body` saved as `filename`, not kept by caches unless `cache_control`
    says otherwise (None: no Cache-Control header)."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if cache_control:
        response["Cache-Control"] = cache_control
    return response
