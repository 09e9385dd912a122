"""The caller, their reports, deputy grants, history sharing and tokens."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conversations.api.serializers.common import (
    PersonSerializer,
    StrictPrimaryKeyRelatedField,
    UnitSerializer,
)
from conversations.models import Conversation, DeputyGrant
from conversations.notify import waiting
from core.ids import MAX_ID
from organization.models import User

ROLES = ["employee", "leader", "hr"]


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.ListField(child=serializers.ChoiceField(choices=ROLES), read_only=True)
    unit = UnitSerializer(read_only=True, allow_null=True)
    manager = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = [
            "id",
            "employee_id",
            "full_name",
            "email",
            "roles",
            "unit",
            "manager",
            "language",
            "shares_history",
            "email_digest",
            "left_on",
        ]
        read_only_fields = fields


class ReportSerializer(serializers.ModelSerializer):
    unit = UnitSerializer(read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "employee_id", "full_name", "unit"]
        read_only_fields = fields


class DeputyGrantSerializer(serializers.ModelSerializer):
    leader = PersonSerializer(read_only=True)
    deputy = PersonSerializer(read_only=True)
    active = serializers.SerializerMethodField(help_text="Whether the grant gives access today.")

    class Meta:
        model = DeputyGrant
        fields = ["id", "leader", "deputy", "conversation", "until", "created_at", "ended_at", "active"]
        read_only_fields = fields

    def get_active(self, grant) -> bool:
        """Not ended, not past its date, and the deputy leads now (`deputy_leads`, annotated by
        `deputy_selectors.deputy_grants`; asked here for a single grant)."""
        if not grant.is_active_on(timezone.localdate()):
            return False
        leads = getattr(grant, "deputy_leads", None)
        if leads is None:
            leads = DeputyGrant.objects.active().filter(pk=grant.pk).exists()
        return leads


@extend_schema_field(
    {
        "oneOf": [{"type": "integer", "minimum": 1}, {"type": "string", "minLength": 1, "maxLength": 64}],
        "description": "The person: their user id (integer) or their employee id (string).",
    }
)
class PersonReferenceField(serializers.Field):
    """A person named by user id (a JSON integer) or by employee id (a JSON string); None when nobody
    has it. The service refuses None with the same answer as a person who does not qualify, so
    the answer never tells whether an id exists."""

    default_error_messages = {
        "invalid": _("Give the person's user id (a number) or employee id (a text)."),
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("invalid")
        if isinstance(data, int):
            lookup = {"pk": data} if 1 <= data <= MAX_ID else None
        else:
            value = data.strip()
            lookup = {"employee_id": value} if 0 < len(value) <= 64 and "\x00" not in value else None
        return User.objects.filter(**lookup).first() if lookup else None

    def to_representation(self, value):
        return value.pk


class LeaderConversationField(StrictPrimaryKeyRelatedField):
    default_error_messages = {"does_not_exist": _("This is not one of your conversations.")}

    def get_queryset(self):
        return self.queryset.filter(leader=self.context["request"].user)


class DeputyGrantInputSerializer(serializers.Serializer):
    deputy = PersonReferenceField()
    conversation = LeaderConversationField(
        queryset=Conversation.objects.all(),
        required=False,
        allow_null=True,
        help_text="One of the caller's conversations; leave out for all of them.",
    )
    until = serializers.DateField(help_text="Last day of access (inclusive).")


class ShareHistorySerializer(serializers.Serializer):
    shared = serializers.BooleanField(
        help_text="true: the current leader may read the employee's closed conversations."
    )


class EmailDigestSerializer(serializers.Serializer):
    digest = serializers.BooleanField(
        help_text="true: one e-mail a day listing everything new that waits on the caller, each with its "
        "link; false: one e-mail per thing. Calendar invitations are always sent at once."
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
    expires = serializers.DateTimeField(read_only=True, help_text="After this the token is refused (401).")


class WaitingItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(waiting.ITEM_KINDS))
    id = serializers.IntegerField()


class WaitingSerializer(serializers.Serializer):
    """One thing that waits on the caller (`conversations.waiting`)."""

    kind = serializers.ChoiceField(
        choices=list(waiting.KINDS),
        help_text="draft (to finish), confirm (a version), change_request, question (unanswered), at_risk "
        "(an item marked at risk or off track since your side's last entry), statement (not read since "
        "it was added), check_in (no follow-up for longer than the cycle's check-in interval), proposal "
        "(the employee's proposals waiting for the leader's decision), proposal_declined (a proposal the "
        "leader declined, until the employee has opened the conversation).",
    )
    conversation = serializers.IntegerField()
    employee = PersonSerializer(read_only=True)
    leader = PersonSerializer(read_only=True)
    item = WaitingItemSerializer(allow_null=True, help_text="The item it is about, if any.")
    since = serializers.DateTimeField(help_text="Since when it has waited.")
    url = serializers.CharField(help_text="The page where it is done.")
