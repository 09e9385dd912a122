"""Small shared serializers: people, units, cycles, error bodies, and strict id fields."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conversations.models import Cycle, Template
from core import free_text
from core.ids import MAX_ID, is_id
from organization.models import OrgUnit, User


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "employee_id", "full_name"]
        read_only_fields = fields


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "name", "path"]
        read_only_fields = fields


class StrictCharField(serializers.CharField):
    """Text that must arrive as text: a number or boolean is bad input, not silently turned into a string
    (DRF's CharField accepts them). Form posts are strings anyway."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def free_text_field(**kwargs) -> StrictCharField:
    """A free text a party writes: at most `SAMTALE_TEXT_MAX_LENGTH` characters (`core.free_text`)."""
    return StrictCharField(**free_text.field_kwargs(), **kwargs)


# For ModelSerializers' extra_kwargs: the models' columns allow the longer texts stored before the limit.
FREE_TEXT_KWARGS = free_text.field_kwargs()


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key that must be a JSON integer (or a string of digits): no floats, no booleans; one
    that no row can have (zero, negative, beyond 64 bits) is "does not exist" without asking the database."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, str) and not (data.isascii() and data.isdigit()):
            self.fail("incorrect_type", data_type="str")
        if not is_id(int(data)):
            self.fail("does_not_exist", pk_value=data)
        return self.lookup(int(data))

    def lookup(self, pk: int):
        """The object with primary key `pk`, or the field's error."""
        return super().to_internal_value(pk)


class CycleSerializer(serializers.ModelSerializer):
    """A cycle; HR creates them. The deadline cannot come before the start."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
    }

    template = StrictPrimaryKeyRelatedField(queryset=Template.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Cycle
        fields = ["id", "name", "starts_on", "deadline", "check_in_days", "template"]

    def validate(self, attrs):
        if attrs["deadline"] < attrs["starts_on"]:
            raise serializers.ValidationError({"deadline": _("The deadline cannot be before the start.")})
        return attrs


@extend_schema_field({"type": "integer"})
class StrictIdField(serializers.Field):
    """An id as a JSON integer or a string of digits (no floats, no booleans), not looked up here: the
    view hands it to an `access_*` helper, which gives one answer for every id it refuses, so an id
    that names nobody is not told apart from one that names someone else."""

    default_error_messages = {"incorrect_type": _("Incorrect type. Expected an id (a whole number).")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type")
        if isinstance(data, str):
            digits = data.removeprefix("-")
            if not (digits.isascii() and digits.isdigit()):
                self.fail("incorrect_type")
            data = int(data) if len(digits) <= len(str(MAX_ID)) else 0  # longer: no row has it
        return data

    def to_representation(self, value):
        return value


class ConversationItemField(StrictPrimaryKeyRelatedField):
    """An item (goal, task, expectation) of the conversation in the serializer's context."""

    default_error_messages = {"does_not_exist": _("There is no such item in this conversation.")}

    def get_queryset(self):
        conversation = self.context.get("conversation")
        return self.queryset.filter(conversation=conversation) if conversation else self.queryset.none()

    def lookup(self, pk: int):
        conversation = self.context.get("conversation")
        if not conversation:
            return super().lookup(pk)  # none to choose from: DRF's own error
        items = list(self.queryset.model.objects.filter(conversation_id=conversation.pk, pk=pk))
        if not items:
            self.fail("does_not_exist", pk_value=pk)
        return items[0]
