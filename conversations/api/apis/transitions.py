"""The workflow over HTTP: submit, confirm, request changes, amend, close, cancel."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from conversations.access.permissions import MANAGE, RESPOND, access_conversation
from conversations.api.apis.base import conversation_response
from conversations.api.serializers.conversations import ConversationDetailSerializer, VersionSummarySerializer
from conversations.api.serializers.dialogue import (
    ConfirmationSerializer,
    ConfirmInputSerializer,
    RequestChangesInputSerializer,
)
from conversations.contract import workflow
from core.api import ApiView
from core.schema import ETAG_HEADER, errors

TAGS = ["transitions"]


class SubmitView(ApiView):
    @extend_schema(
        tags=TAGS, request=None, responses={201: VersionSummarySerializer, **errors(400, 401, 403, 404, 409)}
    )
    def post(self, request, pk):
        """Freeze the items into a new version and send it to the employee (the leader).

        400 when the agreement has no items yet."""
        conversation = access_conversation(request.user, pk, MANAGE)
        version = workflow.conversation_submit(conversation_id=conversation.pk, actor=request.user)
        return Response(VersionSummarySerializer(version).data, status=201)


class ConfirmView(ApiView):
    serializer_class = ConfirmInputSerializer

    @extend_schema(
        tags=TAGS,
        request=ConfirmInputSerializer,
        responses={200: ConfirmationSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk):
        """Sign the latest submitted version, named by number and SHA-256 (the employee).

        409 when it is not the latest version or the hash differs."""
        conversation = access_conversation(request.user, pk, RESPOND)
        data = self.validated(ConfirmInputSerializer, request.data)
        confirmation = workflow.conversation_confirm(
            conversation_id=conversation.pk,
            actor=request.user,
            version=data["version"],
            sha256=data["sha256"],
        )
        return Response(ConfirmationSerializer(confirmation).data)


class RequestChangesView(ApiView):
    serializer_class = RequestChangesInputSerializer

    @extend_schema(
        tags=TAGS,
        parameters=[ETAG_HEADER],
        request=RequestChangesInputSerializer,
        responses={200: ConversationDetailSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk):
        """Send the agreement back to the leader with a comment (the employee)."""
        conversation = access_conversation(request.user, pk, RESPOND)
        data = self.validated(RequestChangesInputSerializer, request.data)
        workflow.conversation_request_changes(
            conversation_id=conversation.pk, actor=request.user, comment=data["comment"]
        )
        return conversation_response(request, conversation)


class LeaderTransitionView(ApiView):
    # A body-less transition performed by the leader; answers with the conversation.

    transition: str

    def post(self, request, pk):
        conversation = access_conversation(request.user, pk, MANAGE)
        workflow.TRANSITION_FUNCTIONS[self.transition](conversation_id=conversation.pk, actor=request.user)
        return conversation_response(request, conversation)


def _leader_schema(description):
    return extend_schema(
        tags=TAGS,
        description=description,
        parameters=[ETAG_HEADER],
        request=None,
        responses={200: ConversationDetailSerializer, **errors(401, 403, 404, 409)},
    )


class AmendView(LeaderTransitionView):
    transition = "amend"

    @_leader_schema("Open a confirmed agreement for changes; the confirmed version stays binding.")
    def post(self, request, pk):
        return super().post(request, pk)


class CloseView(LeaderTransitionView):
    transition = "close"

    @_leader_schema("Close a confirmed conversation at the end of its year.")
    def post(self, request, pk):
        return super().post(request, pk)


class CancelView(LeaderTransitionView):
    transition = "cancel"

    @_leader_schema("Cancel a draft that never became binding.")
    def post(self, request, pk):
        return super().post(request, pk)
