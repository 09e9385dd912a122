"""Additions to the OpenAPI schema that hold for every operation."""

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
