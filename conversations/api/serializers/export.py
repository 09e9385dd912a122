"""`me/export/`: everything stored about one person, from `export_selectors.personal_export`."""

from rest_framework import serializers

from conversations.api.serializers.conversations import ConversationDetailSerializer, ConversationSerializer
from conversations.api.serializers.dialogue import (
    AccessLogEntrySerializer,
    AgendaPointSerializer,
    CommentSerializer,
    FollowUpSerializer,
    HistoryEntrySerializer,
    ItemResponseSerializer,
    VersionSerializer,
)
from conversations.api.serializers.people import DeputyGrantSerializer, MeSerializer
from goals.serializers import ProposalSerializer


class ExportConversationSerializer(ConversationDetailSerializer):
    """One of the person's own conversations, in full."""

    versions = VersionSerializer(many=True, read_only=True, source="full_versions")
    comments = CommentSerializer(many=True, read_only=True, source="comment_list")
    responses = ItemResponseSerializer(many=True, read_only=True, source="response_list")
    follow_ups = FollowUpSerializer(many=True, read_only=True, source="follow_up_list")
    agenda_points = AgendaPointSerializer(
        many=True, read_only=True, source="agenda_list", help_text="Shared points and the person's own."
    )
    history = HistoryEntrySerializer(many=True, read_only=True, source="history_list")
    access_log = AccessLogEntrySerializer(many=True, read_only=True, source="access_list")
    allowed_actions = None
    deputies = None  # the grants themselves are in `deputy_grants`, for the person's own part in them

    class Meta(ConversationDetailSerializer.Meta):
        fields = [
            *(
                f
                for f in ConversationDetailSerializer.Meta.fields
                if f not in ("allowed_actions", "deputies")
            ),
            "versions",
            "comments",
            "responses",
            "follow_ups",
            "agenda_points",
            "history",
            "access_log",
        ]
        read_only_fields = fields


class PersonalExportSerializer(serializers.Serializer):
    generated_at = serializers.DateTimeField()
    profile = MeSerializer()
    conversations = ExportConversationSerializer(
        many=True, help_text="Conversations in which the person is the employee."
    )
    led_conversations = ConversationSerializer(many=True, help_text="Conversations the person leads.")
    comments_elsewhere = CommentSerializer(many=True, help_text="Comments written in others' conversations.")
    follow_ups_elsewhere = FollowUpSerializer(many=True)
    agenda_points_elsewhere = AgendaPointSerializer(
        many=True, help_text="Agenda points written in others' conversations, private ones included."
    )
    deputy_grants = DeputyGrantSerializer(many=True, help_text="Grants given or received.")
    access_log_entries_by_me = AccessLogEntrySerializer(many=True, help_text="When the person opened what.")
    proposals = ProposalSerializer(many=True, help_text="Goals, tasks and expectations the person proposed.")
