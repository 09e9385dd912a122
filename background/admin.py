"""The outbox in the admin: read-only, for an operator looking for e-mails that failed."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from background import outbox
from background.models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "state", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["state"]
    search_fields = ["to", "event_key"]
    date_hierarchy = "created_at"
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected failed e-mails again"))
    def retry(self, request, queryset):
        count = outbox.retry_failed(list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("%(count)s e-mail(s) enqueued again.") % {"count": count}, messages.INFO)
