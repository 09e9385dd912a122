"""The conversations' base view and the error responses every operation documents.

The view itself, its parsers, metadata and pagination are `core.api`'s."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.response import Response

from conversations import selectors
from conversations.serializers import output
from conversations.serializers.common import ErrorSerializer
from core import api
from core.etag import with_etag

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


class ApiView(api.ApiView):
    # `core.api.ApiView` with the conversation detail as an answer. No docstring of its own: the schema
    # describes views without one by the base's.

    def conversation_response(
        self, conversation, *, status: int = 200, reload: bool = True, access=None, load=None
    ) -> Response:
        """The conversation detail for the caller, with its ETag. After a write the row is re-read (and
        the rights with it); `access`: the rights just read (`conversation_access`) when nothing was
        written."""
        if reload:
            conversation, access = selectors.load_conversation(conversation.pk), None
        detail = selectors.conversation_detail(
            conversation=conversation,
            user=self.request.user,
            access=access,
            load=load or selectors.load_contract,
        )
        response = Response(output.conversation_detail(detail), status=status)
        return with_etag(response, detail)
