"""Unit goals, out and in (shape only: the rules are in `goals.unit_goals`)."""

from rest_framework import serializers

from conversations.api.serializers.common import (
    MAX_ID,
    PersonSerializer,
    StrictCharField,
    StrictPrimaryKeyRelatedField,
    UnitSerializer,
    free_text_field,
)
from conversations.models import Cycle
from goals.models import Expectation, Goal, Proposal, UnitGoal
from organization.models import OrgUnit


class UnitGoalSerializer(serializers.ModelSerializer):
    unit = UnitSerializer(read_only=True)
    etag = serializers.CharField(read_only=True, help_text="Send it as If-Match to change the goal.")

    class Meta:
        model = UnitGoal
        fields = [
            "id",
            "unit",
            "cycle",
            "title",
            "description",
            "supports",
            "copied_from",
            "revision",
            "etag",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class UnitGoalUpdateSerializer(serializers.Serializer):
    title = StrictCharField(max_length=300, required=False)
    description = free_text_field(required=False, allow_blank=True)
    supports = StrictPrimaryKeyRelatedField(
        queryset=UnitGoal.objects.select_related("unit"),
        required=False,
        allow_null=True,
        help_text="A goal of a unit above, in the same cycle, that this goal supports.",
    )


class UnitGoalCreateSerializer(UnitGoalUpdateSerializer):
    unit = StrictPrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    cycle = StrictPrimaryKeyRelatedField(queryset=Cycle.objects.all())
    title = StrictCharField(max_length=300)


class UnitGoalFilterSerializer(serializers.Serializer):
    cycle = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, help_text="Cycle id.")
    unit = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, help_text="Unit id.")
    for_employee = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text="User id: the goals of that person's unit and of every unit above it.",
    )


class UnitGoalCopySerializer(serializers.Serializer):
    source = StrictPrimaryKeyRelatedField(queryset=Cycle.objects.all(), help_text="Cycle to copy from.")
    target = StrictPrimaryKeyRelatedField(queryset=Cycle.objects.all(), help_text="Cycle to copy into.")


class ProposalSerializer(serializers.ModelSerializer):
    """An employee's proposal for the draft contract and the leader's decision."""

    author = PersonSerializer(read_only=True)
    decided_by = PersonSerializer(read_only=True, allow_null=True)
    kind = serializers.ChoiceField(choices=Proposal.Kind.choices, read_only=True)
    state = serializers.ChoiceField(
        choices=Proposal.State.choices,
        read_only=True,
        help_text="pending (waits on the leader), accepted (it is the item `item`), declined (see `reason`).",
    )
    goal_kind = serializers.ChoiceField(choices=Goal.Kind.choices, read_only=True, allow_blank=True)
    direction = serializers.ChoiceField(
        choices=Expectation.Direction.choices, read_only=True, allow_blank=True
    )
    item = serializers.IntegerField(
        source="item_id",
        read_only=True,
        allow_null=True,
        help_text="The goal, task or expectation it became.",
    )

    class Meta:
        model = Proposal
        fields = [
            *("id", "conversation", "author", "kind", "title", "text", "goal_kind", "direction", "state"),
            *("decided_by", "decided_at", "reason", "item", "created_at"),
        ]
        read_only_fields = fields


class ProposalInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Proposal.Kind.choices)
    title = StrictCharField(max_length=300, required=False, allow_blank=True, default="")
    text = free_text_field(required=False, allow_blank=True, default="")
    goal_kind = serializers.ChoiceField(
        choices=Goal.Kind.choices, required=False, allow_blank=True, default=""
    )
    direction = serializers.ChoiceField(
        choices=Expectation.Direction.choices, required=False, allow_blank=True, default=""
    )


class ProposalDeclineSerializer(serializers.Serializer):
    reason = free_text_field(help_text="Why: the employee sees it.")
