"""The base view, pagination helpers and the error responses every operation documents."""

import json

from django.core.paginator import Page
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed, ParseError
from rest_framework.metadata import SimpleMetadata
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from conversations import selectors
from conversations.compiled_queries import CompiledQuery
from conversations.serializers.common import ErrorSerializer
from conversations.serializers.conversations import ConversationDetailSerializer
from core.etag import with_etag
from identity.authentication import check_token_lifetime

VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Messages per field; `non_field_errors` for the body as a whole.",
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "object", "additionalProperties": True},
        ]
    },
}

# A 400 is either field errors (the serializer) or one message (a body that is not JSON, a domain rule).
BAD_INPUT_SCHEMA = {
    "anyOf": [
        VALIDATION_ERROR_SCHEMA,
        {
            "type": "object",
            "required": ["detail"],
            "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
        },
    ]
}

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the object as last read (428 when missing, 412 when stale).",
)
ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description="The object's current ETag; send it as If-Match to change the object.",
)

ERROR_DESCRIPTIONS = {
    400: "Bad input: the body or query does not have the expected shape or breaks a rule.",
    401: "Not authenticated.",
    403: "The caller may see the object but not perform this action.",
    404: "Not found, or not visible to the caller; for a list, no such page.",
    409: "Conflict: the action is not allowed in the current state, or the version is stale.",
    412: "If-Match names an old revision: someone changed the object meanwhile. Reload it.",
    428: "If-Match is missing: send the ETag of the object you are changing.",
    429: "Too many requests: wait the number of seconds in the Retry-After header.",
}


def errors(*codes: int, media_type: str | None = None) -> dict:
    """Documented error responses for `extend_schema(responses=...)`; `media_type` pins their content
    type when the view also renders something other than JSON."""
    return {
        ((code, media_type) if media_type else code): OpenApiResponse(
            response=BAD_INPUT_SCHEMA if code == 400 else ErrorSerializer,
            description=ERROR_DESCRIPTIONS[code],
        )
        for code in codes
    }


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


_TOKEN_WITH_USER = CompiledQuery(lambda key: Token.objects.select_related("user").filter(key=key))


class CompiledTokenAuthentication(TokenAuthentication):
    """DRF's token authentication with its lookup (the token and its user) compiled once per process:
    the same checks and errors, without building the query on every request; an expired token is
    refused (`identity.authentication`)."""

    def authenticate_credentials(self, key):
        tokens = _TOKEN_WITH_USER(key)
        if not tokens:
            raise AuthenticationFailed(_("Invalid token."))
        token = tokens[0]
        if not token.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        check_token_lifetime(token)
        return (token.user, token)


# The schema's `tokenAuth` scheme is DRF's (views elsewhere name TokenAuthentication itself); this class
# authenticates the same way, so the two are one scheme, not a collision of names.
set_override(CompiledTokenAuthentication, "suppress_collision_warning", True)


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

    authentication_classes = [CompiledTokenAuthentication, SessionAuthentication]
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

    def conversation_response(
        self, conversation, *, status: int = 200, reload: bool = True, access=None
    ) -> Response:
        """The conversation detail for the caller, with its ETag. After a write the row is re-read (and
        the rights with it); `access`: the rights just read (`conversation_access`) when nothing was
        written."""
        if reload:
            conversation, access = selectors.load_conversation(conversation.pk), None
        detail = selectors.conversation_detail(
            conversation=conversation, user=self.request.user, access=access
        )
        response = Response(ConversationDetailSerializer(detail).data, status=status)
        return with_etag(response, detail)
