"""Versions, transitions and the dialogue around a conversation: comments, agenda, answers, follow-ups,
history and the access log."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conversations.api.serializers.common import (
    ConversationItemField,
    PersonSerializer,
    StrictPrimaryKeyRelatedField,
    free_text_field,
)
from conversations.models import (
    AccessLogEntry,
    AgendaPoint,
    Comment,
    Confirmation,
    ContractVersion,
    FollowUp,
    HistoryEntry,
    ItemResponse,
)
from core.ids import MAX_ID
from goals.models import Expectation, Goal, Task

ITEM_REFERENCE_FIELDS = ["goal", "task", "expectation"]


class ItemReferenceSerializer(serializers.Serializer):
    """Base for input bodies that may point at one item of the conversation in the context."""

    goal = ConversationItemField(queryset=Goal.objects.all(), required=False, allow_null=True)
    task = ConversationItemField(queryset=Task.objects.all(), required=False, allow_null=True)
    expectation = ConversationItemField(queryset=Expectation.objects.all(), required=False, allow_null=True)

    def check_one_item(self, attrs, *, required: bool):
        given = [name for name in ITEM_REFERENCE_FIELDS if attrs.get(name) is not None]
        if len(given) > 1:
            raise serializers.ValidationError({"non_field_errors": [_("Refer to at most one item.")]})
        if required and not given:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Choose the item: goal, task or expectation.")]}
            )
        return attrs


# --- versions and transitions ---------------------------------------------------------------------------


class VersionSerializer(serializers.ModelSerializer):
    content = serializers.SerializerMethodField(help_text="The canonical JSON the SHA-256 is taken over.")
    submitted_by = PersonSerializer(read_only=True)
    confirmed_at = serializers.SerializerMethodField()

    class Meta:
        model = ContractVersion
        fields = ["number", "sha256", "content", "submitted_at", "submitted_by", "confirmed_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_content(self, version):
        return version.content

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_confirmed_at(self, version):
        try:
            confirmation = version.confirmation
        except ObjectDoesNotExist:
            return None
        return serializers.DateTimeField().to_representation(confirmation.confirmed_at)


class ConfirmInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The version number.")
    sha256 = serializers.RegexField(r"^[0-9a-fA-F]{64}$", help_text="The version's SHA-256, hex.")


class ConfirmationSerializer(serializers.ModelSerializer):
    version = serializers.SlugRelatedField(slug_field="number", read_only=True)
    confirmed_by = PersonSerializer(read_only=True)

    class Meta:
        model = Confirmation
        fields = ["version", "sha256", "confirmed_at", "confirmed_by"]
        read_only_fields = fields


class RequestChangesInputSerializer(serializers.Serializer):
    comment = free_text_field(help_text="What the employee would like changed.")


# --- dialogue -------------------------------------------------------------------------------------------


class CommentSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "conversation", "kind", "author", "text", *ITEM_REFERENCE_FIELDS, "created_at"]
        read_only_fields = fields


class CommentInputSerializer(ItemReferenceSerializer):
    text = free_text_field()
    kind = serializers.ChoiceField(
        choices=[Comment.Kind.COMMENT, Comment.Kind.STATEMENT],
        default=Comment.Kind.COMMENT,
        help_text="`statement`: the employee's supplementary statement after confirming (no item).",
    )

    def validate(self, attrs):
        self.check_one_item(attrs, required=False)
        if attrs["kind"] == Comment.Kind.STATEMENT and any(attrs.get(f) for f in ITEM_REFERENCE_FIELDS):
            raise serializers.ValidationError({"kind": [_("A statement is about the whole agreement.")]})
        return attrs


class AgendaPointSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = AgendaPoint
        fields = [
            "id",
            "conversation",
            "author",
            "text",
            "hint",
            "shared",
            "from_template",
            "order",
            "created_at",
        ]
        read_only_fields = fields


class AgendaPointInputSerializer(serializers.Serializer):
    text = free_text_field()
    shared = serializers.BooleanField(
        default=True, help_text="false: private preparation, seen by its author only."
    )


class ItemResponseSerializer(serializers.ModelSerializer):
    version = serializers.SlugRelatedField(slug_field="number", read_only=True)
    author = PersonSerializer(read_only=True)

    class Meta:
        model = ItemResponse
        fields = ["id", "version", *ITEM_REFERENCE_FIELDS, "stance", "comment", "author", "created_at"]
        read_only_fields = fields


class ItemResponseInputSerializer(ItemReferenceSerializer):
    stance = serializers.ChoiceField(choices=ItemResponse.Stance.choices)
    comment = free_text_field(required=False, allow_blank=True, default="")

    def validate(self, attrs):
        return self.check_one_item(attrs, required=True)


class FollowUpSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True)
    # Declared so the schema admits the empty status of an entry that gives none.
    item_status = serializers.ChoiceField(
        choices=FollowUp.ItemStatus.choices, read_only=True, allow_blank=True
    )
    kind = serializers.ChoiceField(choices=FollowUp.Kind.choices, read_only=True)
    answers = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="For an answer: the question it answers."
    )
    answer = serializers.ChoiceField(
        choices=FollowUp.Answer.choices,
        read_only=True,
        allow_blank=True,
        help_text="For an answer: on_track (Ja, dere er på rett vei), adjust (Juster kursen), talk "
        "(La oss snakke); empty otherwise.",
    )
    open = serializers.BooleanField(
        source="is_open",
        read_only=True,
        help_text="A question not answered yet: it waits on the other party.",
    )

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "conversation",
            "kind",
            "author",
            "text",
            *ITEM_REFERENCE_FIELDS,
            "progress",
            "item_status",
            "answers",
            "answer",
            "open",
            "created_at",
        ]
        read_only_fields = fields


class QuestionField(StrictPrimaryKeyRelatedField):
    """A question asked in the conversation of the serializer's context."""

    default_error_messages = {"does_not_exist": _("There is no such question in this conversation.")}

    def get_queryset(self):
        conversation = self.context.get("conversation")
        if not conversation:
            return FollowUp.objects.none()
        return FollowUp.objects.filter(conversation=conversation, kind=FollowUp.Kind.QUESTION)


class FollowUpInputSerializer(ItemReferenceSerializer):
    text = free_text_field()
    progress = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)
    item_status = serializers.ChoiceField(
        choices=FollowUp.ItemStatus.choices, required=False, allow_blank=True, default=""
    )
    kind = serializers.ChoiceField(
        choices=FollowUp.Kind.choices,
        default=FollowUp.Kind.NOTE,
        help_text="`question`: asks the other party (Er vi på rett vei?) and stays open until they answer; "
        "`answer`: answers the question `answers` with `answer` (only the party asked, once); "
        "`kept`, `not_kept`: marks an `expectation` made to the caller.",
    )
    answers = QuestionField(
        queryset=FollowUp.objects.all(),
        required=False,
        allow_null=True,
        help_text="The question an answer answers (kind `answer` only).",
    )
    answer = serializers.ChoiceField(
        choices=FollowUp.Answer.choices, required=False, allow_blank=True, default=""
    )

    def validate(self, attrs):
        self.check_one_item(attrs, required=False)
        kind = attrs["kind"]
        if kind == FollowUp.Kind.ANSWER:
            return self._check_answer(attrs)
        if attrs.get("answers") is not None or attrs.get("answer"):
            raise serializers.ValidationError({"kind": [_("Only an answer names a question and an answer.")]})
        if kind in (FollowUp.Kind.KEPT, FollowUp.Kind.NOT_KEPT) and attrs.get("expectation") is None:
            raise serializers.ValidationError(
                {"expectation": [_("Choose the expectation you are marking as kept or not kept.")]}
            )
        return attrs

    def _check_answer(self, attrs):
        missing = {
            name: [_("An answer needs this.")] for name in ("answers", "answer") if not attrs.get(name)
        }
        if missing:
            raise serializers.ValidationError(missing)
        if any(attrs.get(name) is not None for name in ITEM_REFERENCE_FIELDS):
            raise serializers.ValidationError(
                {"non_field_errors": [_("An answer is about its question's item.")]}
            )
        return attrs


class HistoryEntrySerializer(serializers.ModelSerializer):
    actor = PersonSerializer(read_only=True, allow_null=True)
    changes = serializers.JSONField(read_only=True)

    class Meta:
        model = HistoryEntry
        fields = ["id", "actor", "action", "changes", "created_at"]
        read_only_fields = fields


class AccessLogEntrySerializer(serializers.ModelSerializer):
    user = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = AccessLogEntry
        fields = ["id", "conversation", "user", "channel", "accessed_at"]
        read_only_fields = fields
