"""Conversations: list and create, detail and change, and the calendar invitation."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema

from conversations import selectors, services
from conversations.access.permissions import MANAGE, access_conversation, access_own_report
from conversations.api.apis.base import conversation_response
from conversations.api.serializers.conversations import (
    ConversationCreateSerializer,
    ConversationDetailSerializer,
    ConversationFilterSerializer,
    ConversationSerializer,
    ConversationUpdateSerializer,
)
from conversations.notify import ics
from core.api import ApiView, DownloadView, ICalendarRenderer, attachment
from core.errors import Conflict
from core.etag import expected_revision
from core.schema import ETAG_HEADER, IF_MATCH, errors

TAGS = ["conversations"]


def detail_response(serializer, description="The conversation, with its ETag header."):
    return OpenApiResponse(response=serializer, description=description)


class ConversationListView(ApiView):
    serializer_class = ConversationCreateSerializer

    @extend_schema(
        tags=TAGS,
        parameters=[ConversationFilterSerializer],
        responses={200: ConversationSerializer(many=True), **errors(400, 401, 404)},
    )
    def get(self, request):
        """The conversations the caller may see, newest first."""
        filters = self.validated(ConversationFilterSerializer, request.query_params)
        ids = selectors.list_ids(user=request.user, **filters)
        page = self.paginator.paginate_queryset(ids, request, view=self)
        return self.paginator.get_paginated_response(selectors.list_page(page))

    @extend_schema(
        tags=TAGS,
        parameters=[ETAG_HEADER],
        request=ConversationCreateSerializer,
        responses={201: detail_response(ConversationDetailSerializer), **errors(400, 401, 403)},
    )
    def post(self, request):
        """Open a draft conversation with one of the caller's direct reports."""
        data = self.validated(ConversationCreateSerializer, request.data)
        data["employee"] = access_own_report(request.user, data["employee"])
        conversation = services.conversation_create(actor=request.user, **data)
        response = conversation_response(request, conversation, status=201)
        response["Location"] = request.build_absolute_uri(f"{conversation.pk}/")
        return response


class ConversationDetailView(ApiView):
    serializer_class = ConversationUpdateSerializer

    @extend_schema(
        tags=TAGS,
        parameters=[ETAG_HEADER],
        responses={200: detail_response(ConversationDetailSerializer), **errors(401, 404)},
    )
    def get(self, request, pk):
        """The conversation and its contract. The read is written to the conversation's access log."""
        access = selectors.detail_access(request.user, pk)
        services.access_log_record(conversation=access.conversation, user=request.user, channel="api")
        return conversation_response(
            request, access.conversation, reload=False, access=access, load=selectors.load_contract_fast
        )

    @extend_schema(
        tags=TAGS,
        parameters=[IF_MATCH, ETAG_HEADER],
        request=ConversationUpdateSerializer,
        responses={
            200: detail_response(ConversationDetailSerializer),
            **errors(400, 401, 403, 404, 409, 412, 428),
        },
    )
    def patch(self, request, pk):
        """Change the time of the meeting or the date it was held (the leader, while it is open)."""
        conversation = access_conversation(request.user, pk, MANAGE)
        revision = expected_revision(request, conversation)
        data = self.validated(ConversationUpdateSerializer, request.data)
        conversation = services.conversation_update(
            conversation=conversation, actor=request.user, expected_revision=revision, **data
        )
        return conversation_response(request, conversation)


class CalendarView(DownloadView):
    renderer_classes = [ICalendarRenderer]

    @extend_schema(
        tags=TAGS,
        operation_id="conversations_calendar_retrieve",
        responses={
            (200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR, description="An iCalendar object."),
            **errors(401, 404, 409, media_type="application/json"),
        },
    )
    def get(self, request, pk):
        """The meeting as an iCalendar invitation (409 while no time is set)."""
        conversation = access_conversation(request.user, pk)
        if conversation.scheduled_at is None:
            raise Conflict(_("The conversation has no time yet, so there is nothing to put in a calendar."))
        body = ics.invitation(conversation, domain=request.get_host().split(":")[0] or "samtale")
        filename = f"samtale-{conversation.pk}.ics"
        return attachment(body, "text/calendar; charset=utf-8", filename, cache_control=None)
