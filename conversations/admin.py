"""Admin for conversations and what hangs on them.

The services and the workflow own every write to a conversation: they check rights, keep the history
and grant access. So the admin edits only HR's configuration (templates, cycles) and a conversation's
meeting details; everything else is shown read-only. Opening a conversation's content here is logged
in its access log like any other read (channel "admin").
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.utils.translation import gettext_lazy as _

from conversations.models import (
    AccessLogEntry,
    AgendaPoint,
    Comment,
    Confirmation,
    ContractVersion,
    Conversation,
    ConversationGroupObjectPermission,
    ConversationUserObjectPermission,
    Cycle,
    DeputyGrant,
    FollowUp,
    HistoryEntry,
    ItemResponse,
    Reminder,
    Template,
    TemplatePoint,
)
from conversations.records import history
from conversations.services import access_log_record, employee_manager_changed
from organization.admin import UnitSubtreeFilter
from organization.admin import UserAdmin as OrganizationUserAdmin
from organization.models import User

ADMIN_CHANNEL = "admin"
CONVERSATION_RELATED = ("conversation__employee", "conversation__cycle")
CONVERSATION_SEARCH = ("conversation__employee__full_name", "=conversation__employee__employee_id")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never written here: no add, change or delete, every field read-only."""

    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


class LoggedReadMixin:
    """Log each GET of a change page in the conversation's access log."""

    def conversation_of(self, obj) -> Conversation:
        return obj.conversation

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and self.has_view_or_change_permission(request, obj):
                access_log_record(
                    conversation=self.conversation_of(obj), user=request.user, channel=ADMIN_CHANNEL
                )
        return super().change_view(request, object_id, form_url, extra_context)


class ConversationContentAdmin(LoggedReadMixin, ReadOnlyAdmin):
    list_select_related = CONVERSATION_RELATED
    search_fields = CONVERSATION_SEARCH


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True
    related = ()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.related)


# --- HR's configuration ----------------------------------------------------------------------------------


class TemplatePointInline(admin.TabularInline):
    model = TemplatePoint
    extra = 1
    fields = ("order", "text", "hint")


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    inlines = (TemplatePointInline,)
    list_display = ("name",)
    search_fields = ("name",)


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ("name", "starts_on", "deadline", "template")
    list_select_related = ("template",)
    search_fields = ("name",)
    date_hierarchy = "starts_on"


# --- the conversation -------------------------------------------------------------------------------------


class ContractVersionInline(ReadOnlyInline):
    model = ContractVersion
    fields = readonly_fields = ("number", "sha256", "submitted_at", "submitted_by")
    related = ("submitted_by",)


class CommentInline(ReadOnlyInline):
    model = Comment
    fields = readonly_fields = ("created_at", "author", "kind", "text")
    related = ("author",)


class HistoryEntryInline(ReadOnlyInline):
    model = HistoryEntry
    fields = readonly_fields = ("created_at", "actor", "action", "changes")
    related = ("actor",)


@admin.register(Conversation)
class ConversationAdmin(LoggedReadMixin, admin.ModelAdmin):
    """The workflow owns status, parties and versions; only the meeting details can be corrected here,
    and each correction is written to the conversation's history."""

    list_display = ("__str__", "status", "employee", "leader", "cycle", "unit", "scheduled_at", "updated_at")
    list_select_related = ("employee", "leader", "cycle", "unit")
    list_filter = ("status", "cycle", UnitSubtreeFilter)
    search_fields = (
        "employee__full_name",
        "=employee__employee_id",
        "leader__full_name",
        "=leader__employee_id",
    )
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("employee", "leader", "unit", "cycle", "status", "confirmed_version")}),
        (_("Meeting"), {"fields": ("scheduled_at", "held_on")}),
        (
            _("Timeline"),
            {
                "fields": (
                    "first_submitted_at",
                    "confirmed_at",
                    "closed_at",
                    "created_at",
                    "updated_at",
                    "revision",
                )
            },
        ),
    )
    readonly_fields = (
        "employee",
        "leader",
        "unit",
        "status",
        "confirmed_version",
        "first_submitted_at",
        "confirmed_at",
        "closed_at",
        "created_at",
        "updated_at",
        "revision",
    )
    inlines = (ContractVersionInline, CommentInline, HistoryEntryInline)

    def conversation_of(self, obj) -> Conversation:
        return obj

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("employee", "leader", "cycle", "unit", "confirmed_version")
        )

    def has_add_permission(self, request):
        # A conversation is opened by the leader through the service, which grants the parties' rights.
        return False

    def has_delete_permission(self, request, obj=None):
        # Signed records go only by the retention rules (`apply_retention`).
        return False

    def save_model(self, request, obj, form, change):
        changes = {
            name: [history.plain(form.initial.get(name)), history.plain(form.cleaned_data.get(name))]
            for name in form.changed_data
        }
        if changes:
            obj.revision += 1
        super().save_model(request, obj, form, change)
        if changes:
            history.record(obj, request.user, "admin_update", fields=changes)


@admin.register(ContractVersion)
class ContractVersionAdmin(ConversationContentAdmin):
    list_display = ("conversation", "number", "sha256", "submitted_at", "submitted_by")
    list_select_related = (*CONVERSATION_RELATED, "submitted_by")


@admin.register(Confirmation)
class ConfirmationAdmin(ConversationContentAdmin):
    list_display = ("conversation", "version", "confirmed_at", "confirmed_by")
    list_select_related = (*CONVERSATION_RELATED, "version", "confirmed_by")


@admin.register(Comment)
class CommentAdmin(ConversationContentAdmin):
    list_display = ("__str__", "kind", "author", "conversation", "created_at")
    list_select_related = (*CONVERSATION_RELATED, "author")
    list_filter = ("kind",)


@admin.register(AgendaPoint)
class AgendaPointAdmin(ConversationContentAdmin):
    list_display = ("__str__", "author", "shared", "from_template", "conversation", "created_at")
    list_select_related = (*CONVERSATION_RELATED, "author")
    list_filter = ("shared", "from_template")


@admin.register(ItemResponse)
class ItemResponseAdmin(ConversationContentAdmin):
    list_display = ("stance", "author", "conversation", "version", "created_at")
    list_select_related = (*CONVERSATION_RELATED, "author", "version")
    list_filter = ("stance",)


@admin.register(FollowUp)
class FollowUpAdmin(ConversationContentAdmin):
    list_display = ("__str__", "item_status", "progress", "author", "conversation", "created_at")
    list_select_related = (*CONVERSATION_RELATED, "author")
    list_filter = ("item_status",)


@admin.register(HistoryEntry)
class HistoryEntryAdmin(ConversationContentAdmin):
    list_display = ("created_at", "action", "actor", "conversation")
    list_select_related = (*CONVERSATION_RELATED, "actor")


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    list_display = ("accessed_at", "channel", "user", "conversation")
    list_select_related = (*CONVERSATION_RELATED, "user")
    list_filter = ("channel",)
    search_fields = (*CONVERSATION_SEARCH, "user__full_name", "=user__employee_id")


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("sent_at", "kind", "recipient", "conversation")
    list_select_related = (*CONVERSATION_RELATED, "recipient")
    list_filter = ("kind",)
    search_fields = (*CONVERSATION_SEARCH, "recipient__full_name", "=recipient__employee_id")


@admin.register(DeputyGrant)
class DeputyGrantAdmin(ReadOnlyAdmin):
    """Grants are given and ended by the leader, through the service that moves the rights."""

    list_display = ("deputy", "leader", "conversation", "until", "ended_at", "created_at")
    list_select_related = ("deputy", "leader", *CONVERSATION_RELATED)
    search_fields = ("leader__full_name", "=leader__employee_id", "deputy__full_name", "=deputy__employee_id")


class ObjectPermissionAdmin(ReadOnlyAdmin):
    """The per-conversation rights, derived from facts by `sync_conversation_permissions`."""

    list_select_related = ("content_object__employee", "content_object__cycle", "permission")
    search_fields = ("content_object__employee__full_name", "=content_object__employee__employee_id")

    @admin.display(description=_("permission"), ordering="permission__codename")
    def codename(self, obj):
        return obj.permission.codename


@admin.register(ConversationUserObjectPermission)
class ConversationUserObjectPermissionAdmin(ObjectPermissionAdmin):
    list_display = ("content_object", "user", "codename")
    list_select_related = (*ObjectPermissionAdmin.list_select_related, "user")


@admin.register(ConversationGroupObjectPermission)
class ConversationGroupObjectPermissionAdmin(ObjectPermissionAdmin):
    list_display = ("content_object", "group", "codename")
    list_select_related = (*ObjectPermissionAdmin.list_select_related, "group")


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(OrganizationUserAdmin):
    """People as `organization.admin` shows them; a new manager takes over the open conversations at
    once, as after an org import."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "manager" in form.changed_data:
            employee_manager_changed(employee=obj, actor=request.user)
