"""Around a conversation: versions, comments, agenda, item answers, follow-ups, history, access log."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from conversations import selectors, services
from conversations.access.permissions import COMMENT, RESPOND, VIEW, Access, conversation_access
from conversations.api.serializers.dialogue import (
    AccessLogEntrySerializer,
    AgendaPointInputSerializer,
    AgendaPointSerializer,
    CommentInputSerializer,
    CommentSerializer,
    FollowUpInputSerializer,
    FollowUpSerializer,
    HistoryEntrySerializer,
    ItemResponseInputSerializer,
    ItemResponseSerializer,
    VersionSerializer,
)
from conversations.models import Comment
from core.api import ApiView
from core.errors import DomainError, NotAllowed
from core.schema import errors

TAGS = ["dialogue"]


def _list_schema(serializer, summary):
    return extend_schema(
        tags=TAGS, summary=summary, responses={200: serializer(many=True), **errors(401, 404)}
    )


def _create_schema(input_serializer, serializer, summary):
    return extend_schema(
        tags=TAGS,
        summary=summary,
        request=input_serializer,
        responses={201: serializer, **errors(400, 401, 403, 404, 409)},
    )


class ConversationChildView(ApiView):
    """A list that belongs to one conversation; reading it needs only the right to see it."""

    def access(self, pk, perm=VIEW) -> Access:
        # The lists and the services need the conversation's own row and its employee (for the rights).
        return conversation_access(self.request.user, pk, perm, related=("employee",))

    def conversation(self, pk, perm=VIEW):
        return self.access(pk, perm).conversation

    def get_serializer_context(self):
        # The browsable API's forms list the items of this conversation, if the caller may see it.
        context = super().get_serializer_context()
        try:
            context["conversation"] = self.conversation(self.kwargs["pk"])
        except (Http404, DomainError):
            pass
        return context

    def created(self, serializer_class, obj) -> Response:
        return Response(serializer_class(obj).data, status=201)


class VersionListView(ConversationChildView):
    serializer_class = VersionSerializer

    @_list_schema(VersionSerializer, "The submitted versions, oldest first, with content and confirmation.")
    def get(self, request, pk):
        return self.paginated(selectors.versions(self.conversation(pk)), VersionSerializer)


class CommentListView(ConversationChildView):
    serializer_class = CommentInputSerializer

    @_list_schema(CommentSerializer, "Comments, change requests and statements, oldest first.")
    def get(self, request, pk):
        return self.paginated(selectors.comments(self.conversation(pk)), CommentSerializer)

    @_create_schema(CommentInputSerializer, CommentSerializer, "Comment (or, the employee, add a statement).")
    def post(self, request, pk):
        conversation = self.conversation(pk, COMMENT)
        data = self.validated(CommentInputSerializer, request.data, conversation=conversation)
        if data.pop("kind") == Comment.Kind.STATEMENT:
            comment = services.statement_create(
                conversation=conversation, actor=request.user, text=data["text"]
            )
        else:
            comment = services.comment_create(conversation=conversation, actor=request.user, **data)
        return self.created(CommentSerializer, comment)


class AgendaListView(ConversationChildView):
    serializer_class = AgendaPointInputSerializer

    @_list_schema(AgendaPointSerializer, "Shared agenda points and the caller's own private ones.")
    def get(self, request, pk):
        conversation = self.conversation(pk)
        return self.paginated(selectors.agenda_points(conversation, request.user), AgendaPointSerializer)

    @_create_schema(AgendaPointInputSerializer, AgendaPointSerializer, "Put a point on the agenda.")
    def post(self, request, pk):
        conversation = self.conversation(pk, COMMENT)
        data = self.validated(AgendaPointInputSerializer, request.data)
        point = services.agenda_point_create(conversation=conversation, actor=request.user, **data)
        return self.created(AgendaPointSerializer, point)


class ResponseListView(ConversationChildView):
    serializer_class = ItemResponseInputSerializer

    @_list_schema(ItemResponseSerializer, "The employee's answers to the items, per version.")
    def get(self, request, pk):
        return self.paginated(selectors.responses(self.conversation(pk)), ItemResponseSerializer)

    @_create_schema(
        ItemResponseInputSerializer,
        ItemResponseSerializer,
        "Answer one item of the version awaiting confirmation (the employee); a new answer replaces the old.",
    )
    def post(self, request, pk):
        conversation = self.conversation(pk, RESPOND)
        data = self.validated(ItemResponseInputSerializer, request.data, conversation=conversation)
        response = services.item_response_record(conversation=conversation, actor=request.user, **data)
        return self.created(ItemResponseSerializer, response)


class FollowUpListView(ConversationChildView):
    serializer_class = FollowUpInputSerializer

    @_list_schema(FollowUpSerializer, "Follow-up entries, oldest first.")
    def get(self, request, pk):
        return self.paginated(selectors.follow_ups(self.conversation(pk)), FollowUpSerializer)

    @_create_schema(
        FollowUpInputSerializer, FollowUpSerializer, "Add a follow-up entry: are we on the right track?"
    )
    def post(self, request, pk):
        access = self.access(pk, COMMENT)
        data = self.validated(FollowUpInputSerializer, request.data, conversation=access.conversation)
        entry = services.follow_up_create(
            conversation=access.conversation, actor=request.user, holders=access.holders, **data
        )
        return self.created(FollowUpSerializer, entry)


class HistoryListView(ConversationChildView):
    serializer_class = HistoryEntrySerializer

    @_list_schema(HistoryEntrySerializer, "The audit trail: every transition and change, oldest first.")
    def get(self, request, pk):
        return self.paginated(selectors.history(self.conversation(pk)), HistoryEntrySerializer)


class AccessLogListView(ConversationChildView):
    serializer_class = AccessLogEntrySerializer

    @extend_schema(
        tags=TAGS,
        summary="Who opened the conversation and when, newest first (the employee and the leader only).",
        responses={200: AccessLogEntrySerializer(many=True), **errors(401, 403, 404)},
    )
    def get(self, request, pk):
        conversation = self.conversation(pk)
        if request.user.pk not in (conversation.employee_id, conversation.leader_id):
            raise NotAllowed(_("Only the employee and the leader can read the access log."))
        return self.paginated(selectors.access_log(conversation), AccessLogEntrySerializer)
