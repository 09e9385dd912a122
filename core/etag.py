"""Optimistic concurrency over HTTP: ETags out, If-Match in.

Objects carry an `etag` property of the form `"<prefix><pk>-<revision>"` (e.g. `"g12-3"`). A PATCH or
DELETE must send it back as `If-Match`: missing gives 428, one that names another object or an old
revision gives 412. The view only parses the header; the revision is handed to the service, which
compares it under the row lock so a change that lands between the read and the write is still caught.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException

from core.errors import PreconditionFailed

IF_MATCH = "HTTP_IF_MATCH"


class PreconditionRequired(APIException):
    """HTTP 428: the request changes an object but did not say which version it saw."""

    status_code = 428
    default_detail = _("Send the object's ETag in an If-Match header to change it.")
    default_code = "precondition_required"


def _split_tags(header: str) -> list[str]:
    """The entity tags of an If-Match header; weak tags are dropped, as If-Match compares strongly."""
    tags = []
    for raw in header.split(","):
        tag = raw.strip()
        if not tag or tag.startswith("W/"):
            continue
        tags.append(tag)
    return tags


def _tag_revision(tag: str, prefix: str) -> int | None:
    """The revision a tag names for the object whose tags start with `prefix`, or None."""
    body = tag[1:-1] if len(tag) >= 2 and tag[0] == tag[-1] == '"' else tag
    if not body.startswith(prefix):
        return None
    number = body[len(prefix) :]
    if not number.isascii() or not number.isdigit() or len(number) > 18:
        return None
    return int(number)


def expected_revision(request, obj) -> int:
    """The revision of `obj` the client claims to have seen, from its If-Match header.

    Raises PreconditionRequired (428) when the header is missing or is `*` (which would skip the check)
    and PreconditionFailed (412) when no tag in it belongs to `obj`.
    """
    header = request.META.get(IF_MATCH, "").strip()
    if not header or header == "*":
        raise PreconditionRequired()
    current = obj.etag
    prefix = current[1:-1].rsplit("-", 1)[0] + "-"
    revisions = [r for r in (_tag_revision(tag, prefix) for tag in _split_tags(header)) if r is not None]
    if not revisions:
        raise PreconditionFailed()
    if obj.revision in revisions:
        return obj.revision
    return revisions[0]


def with_etag(response, obj):
    """Put `obj`'s ETag on `response` and return the response."""
    response["ETag"] = obj.etag
    return response
