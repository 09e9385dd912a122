from django.contrib import admin

from identity.models import ProvisioningClient


@admin.register(ProvisioningClient)
class ProvisioningClientAdmin(admin.ModelAdmin):
    """See the provisioning clients and withdraw one (delete); new tokens come from `create_scim_token`,
    which shows the token once."""

    list_display = ("name", "created_at", "last_used_at")
    readonly_fields = ("name", "token_hash", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
