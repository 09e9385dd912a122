"""The conversation and its contract items, out and in."""

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conversations.api.serializers.common import (
    FREE_TEXT_KWARGS,
    CycleSerializer,
    PersonSerializer,
    StrictCharField,
    StrictIdField,
    StrictPrimaryKeyRelatedField,
    UnitSerializer,
)
from conversations.models import Conversation, Cycle, FollowUp, Status
from core.ids import MAX_ID
from goals.models import Expectation, Goal, Task, UnitGoal

MAX_ORDER = 2**31 - 1  # the smallest integer column range of the supported databases
ITEM_EXTRA_KWARGS = {
    "order": {"min_value": 0, "max_value": MAX_ORDER},
    **{name: FREE_TEXT_KWARGS for name in ("description", "measure", "text")},  # the parties' free text
}
ITEM_READ_ONLY_FIELDS = [
    "id",
    "conversation",
    "revision",
    "etag",
    "carried_over_from",
    "created_at",
    "updated_at",
]
ACTIONS = [
    "submit",
    "confirm",
    "request_changes",
    "amend",
    "close",
    "cancel",
    "update",
    "edit_items",
    "respond",
    "statement",
    "comment",
    "add_agenda_point",
    "follow_up",
]


# --- items ----------------------------------------------------------------------------------------------


class ItemSerializer(serializers.ModelSerializer):
    """Base for the contract items: the same shape in and out; bookkeeping fields are read-only."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
    }

    etag = serializers.CharField(read_only=True, help_text="Send it as If-Match to change the item.")


class TaskSerializer(ItemSerializer):
    class Meta:
        model = Task
        fields = [*ITEM_READ_ONLY_FIELDS, "title", "description", "due_date", "order"]
        read_only_fields = ITEM_READ_ONLY_FIELDS
        extra_kwargs = ITEM_EXTRA_KWARGS


class GoalSerializer(ItemSerializer):
    supports = StrictPrimaryKeyRelatedField(
        queryset=UnitGoal.objects.select_related("unit"),
        required=False,
        allow_null=True,
        help_text="The unit goal this goal supports: one of the employee's unit or a unit above it, "
        "in the conversation's cycle (`unit-goals/?for_employee=`).",
    )
    item_status = serializers.ChoiceField(
        choices=FollowUp.ItemStatus.choices,
        read_only=True,
        allow_null=True,
        source="latest_status",
        help_text="The status given in the latest follow-up entry on this goal, if any.",
    )
    progress = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        source="latest_progress",
        help_text="The progress (%) given in the latest follow-up entry on this goal, if any.",
    )

    class Meta:
        model = Goal
        fields = [
            *ITEM_READ_ONLY_FIELDS,
            "kind",
            "title",
            "description",
            "measure",
            "due_date",
            "order",
            "supports",
            "item_status",
            "progress",
        ]
        read_only_fields = ITEM_READ_ONLY_FIELDS
        extra_kwargs = ITEM_EXTRA_KWARGS


class ExpectationSerializer(ItemSerializer):
    class Meta:
        model = Expectation
        fields = [*ITEM_READ_ONLY_FIELDS, "direction", "text", "order"]
        read_only_fields = ITEM_READ_ONLY_FIELDS
        extra_kwargs = ITEM_EXTRA_KWARGS


# --- the conversation -----------------------------------------------------------------------------------


class VersionSummarySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    sha256 = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class ConfirmedVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    sha256 = serializers.CharField()
    confirmed_at = serializers.DateTimeField()


class ConversationSerializer(serializers.ModelSerializer):
    """A conversation as it appears in lists."""

    employee = PersonSerializer(read_only=True)
    leader = PersonSerializer(read_only=True)
    cycle = CycleSerializer(read_only=True, allow_null=True)
    unit = UnitSerializer(read_only=True, allow_null=True)
    etag = serializers.CharField(read_only=True)

    class Meta:
        model = Conversation
        fields = [
            "id",
            "status",
            "employee",
            "leader",
            "cycle",
            "unit",
            "scheduled_at",
            "held_on",
            "first_submitted_at",
            "confirmed_at",  # the first confirmation (`Conversation.confirmed_at`), not the binding one's
            "closed_at",
            "revision",
            "etag",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ActiveDeputySerializer(serializers.Serializer):
    deputy = PersonSerializer(read_only=True)
    until = serializers.DateField(read_only=True, help_text="Last day of access (inclusive).")


class ConversationDetailSerializer(ConversationSerializer):
    """A conversation with its contract; the instance comes from `selectors.conversation_detail`."""

    tasks = TaskSerializer(many=True, read_only=True, source="task_list")
    goals = GoalSerializer(many=True, read_only=True, source="goal_list")
    expectations = ExpectationSerializer(many=True, read_only=True, source="expectation_list")
    current_version = serializers.SerializerMethodField(help_text="The latest submitted version.")
    confirmed_version = serializers.SerializerMethodField(help_text="The binding (last confirmed) version.")
    allowed_actions = serializers.ListField(
        child=serializers.ChoiceField(choices=ACTIONS),
        read_only=True,
        help_text="What the caller may do on this conversation now.",
    )
    deputies = ActiveDeputySerializer(
        many=True,
        read_only=True,
        source="active_deputies",
        help_text="Deputies who may see and follow up this conversation today, and until when.",
    )

    class Meta(ConversationSerializer.Meta):
        fields = [
            *ConversationSerializer.Meta.fields,
            "tasks",
            "goals",
            "expectations",
            "current_version",
            "confirmed_version",
            "allowed_actions",
            "deputies",
        ]
        read_only_fields = fields

    @extend_schema_field(VersionSummarySerializer(allow_null=True))
    def get_current_version(self, conversation):
        versions = conversation.version_list
        return VersionSummarySerializer(versions[-1]).data if versions else None

    @extend_schema_field(ConfirmedVersionSerializer(allow_null=True))
    def get_confirmed_version(self, conversation):
        binding = next(
            (v for v in conversation.version_list if v.pk == conversation.confirmed_version_id), None
        )
        if binding is None:
            return None
        confirmed = {
            "number": binding.number,
            "sha256": binding.sha256,
            "confirmed_at": binding.confirmed_at,
        }
        return ConfirmedVersionSerializer(confirmed).data


class ConversationCreateSerializer(serializers.Serializer):
    employee = StrictIdField(
        help_text="Id of the employee, one of the caller's active direct reports. Any other id is "
        "refused with the same 403, whether someone has it or not."
    )
    cycle = StrictPrimaryKeyRelatedField(queryset=Cycle.objects.all(), required=False, allow_null=True)
    scheduled_at = serializers.DateTimeField(required=False, allow_null=True)
    carry_over = serializers.BooleanField(
        default=False,
        help_text="Copy the open goals and tasks of the employee's previous confirmed contract.",
    )


class ConversationUpdateSerializer(serializers.Serializer):
    scheduled_at = serializers.DateTimeField(required=False, allow_null=True)
    held_on = serializers.DateField(required=False, allow_null=True)


class ConversationFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    cycle = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, help_text="Cycle id.")
    employee = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="User id of the employee."
    )
