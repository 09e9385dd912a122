"""The OpenAPI schema's shared parts: the error responses every operation documents, the ETag headers,
and the additions that hold for every operation (a postprocessing hook)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The body of every error that is not about single fields."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)


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


UNSUPPORTED_MEDIA_TYPE = {
    "description": (
        "The body's Content-Type is none of those the operation accepts, or a form body could not be "
        "read as one (for example a multipart body whose parts have no headers)."
    ),
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def document_unsupported_media_type(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation that takes a body may answer 415, which DRF
    gives for a body it cannot parse by its declared media type."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation.setdefault("responses", {}).setdefault("415", UNSUPPORTED_MEDIA_TYPE)
    return result
