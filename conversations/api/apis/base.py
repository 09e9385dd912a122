"""The answer most conversation endpoints give: the conversation detail, with its ETag.

The view base, its parsers, metadata and pagination are `core.api`'s; the documented error responses
and ETag headers `core.schema`'s."""

from rest_framework.response import Response

from conversations import selectors
from conversations.api.serializers import output
from core.etag import with_etag


def conversation_response(
    request, conversation, *, status: int = 200, reload: bool = True, access=None, load=None
) -> Response:
    """The conversation detail for the caller, with its ETag. After a write the row is re-read (and
    the rights with it); `access`: the rights just read (`conversation_access`) when nothing was
    written."""
    if reload:
        conversation, access = selectors.load_conversation(conversation.pk), None
    detail = selectors.conversation_detail(
        conversation=conversation,
        user=request.user,
        access=access,
        load=load or selectors.load_contract,
    )
    response = Response(output.conversation_detail(detail), status=status)
    return with_etag(response, detail)
