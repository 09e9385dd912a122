"""Admin for people and org units. The org import owns both; the admin is for looking and for repairs."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm, UsernameField
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organization.models import PATH_SEPARATOR, OrgUnit, User

TOP_UNIT_DEPTH = 1


class UnitSubtreeFilter(admin.SimpleListFilter):
    """Filter by a top unit and everything below it (a virksomhet counts its whole subtree)."""

    title = _("unit")
    parameter_name = "unit_subtree"
    unit_field = "unit"

    def lookups(self, request, model_admin):
        return list(OrgUnit.objects.filter(depth__lte=TOP_UNIT_DEPTH).values_list("pk", "path"))

    def queryset(self, request, queryset):
        unit = OrgUnit.objects.filter(pk=self.value()).first() if str(self.value()).isdigit() else None
        if unit is None:
            return queryset
        path = f"{self.unit_field}__path"
        return queryset.filter(Q(**{path: unit.path}) | Q(**{f"{path}__startswith": unit.subtree_prefix}))


class SamtaleUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"
        field_classes = {"employee_id": UsernameField}


class SamtaleUserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("employee_id", "full_name", "email")
        field_classes = {"employee_id": UsernameField}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = SamtaleUserChangeForm
    add_form = SamtaleUserCreationForm
    list_display = ("employee_id", "full_name", "unit", "manager", "is_leader", "is_hr", "is_active")
    list_select_related = ("unit", "manager")
    list_filter = (UnitSubtreeFilter, "is_leader", "is_hr", "is_active", "is_staff")
    search_fields = ("=employee_id", "full_name", "email")
    ordering = ("full_name",)
    autocomplete_fields = ("unit", "manager")
    show_full_result_count = False
    readonly_fields = ("shares_history", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("employee_id", "password")}),
        (_("Person"), {"fields": ("full_name", "email", "language")}),
        (
            _("Organisation"),
            {"fields": ("unit", "manager", "is_leader", "is_hr", "shares_history", "left_on")},
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("employee_id", "full_name", "email", "usable_password", "password1", "password2"),
            },
        ),
    )

    # `conversations.admin` extends this (a new manager takes over the conversations at once).


class OrgUnitForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ("name", "parent")

    def clean(self):
        cleaned = super().clean()
        name, parent = cleaned.get("name"), cleaned.get("parent")
        if name and PATH_SEPARATOR in name:
            self.add_error("name", _("A unit name cannot contain “%s”.") % PATH_SEPARATOR)
        elif name and OrgUnit.objects.filter(path=unit_path(parent, name)).exists():
            self.add_error("name", _("A unit with this path already exists."))
        return cleaned


def unit_path(parent: OrgUnit | None, name: str) -> str:
    return f"{parent.path}{PATH_SEPARATOR}{name}" if parent else name


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    """New units can be added; existing ones are renamed or moved by the org import, which rewrites the
    paths of the whole subtree."""

    form = OrgUnitForm
    list_display = ("path", "name", "depth")
    search_fields = ("path",)
    ordering = ("path",)
    autocomplete_fields = ("parent",)

    def get_readonly_fields(self, request, obj=None):
        return ("path", "depth") if obj is None else ("name", "parent", "path", "depth")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.path = unit_path(obj.parent, obj.name)
            obj.depth = obj.parent.depth + 1 if obj.parent else 0
        super().save_model(request, obj, form, change)
