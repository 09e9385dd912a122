"""Admin for the contract's items: read-only, since the leader edits them through the services (revision,
history, the workflow's editable states) and signed versions refer to them."""

from django.contrib import admin

from conversations.admin import ConversationContentAdmin
from goals.models import Expectation, Goal, Task, UnitGoal


class ContractItemAdmin(ConversationContentAdmin):
    list_display = ("__str__", "conversation", "order", "updated_at")
    search_fields = ("title", *ConversationContentAdmin.search_fields)


@admin.register(Goal)
class GoalAdmin(ContractItemAdmin):
    list_display = ("title", "kind", "measure", "due_date", "conversation", "updated_at")
    list_filter = ("kind",)


@admin.register(Task)
class TaskAdmin(ContractItemAdmin):
    list_display = ("title", "due_date", "conversation", "updated_at")


@admin.register(Expectation)
class ExpectationAdmin(ContractItemAdmin):
    list_display = ("__str__", "direction", "conversation", "updated_at")
    list_filter = ("direction",)
    search_fields = ("text", *ConversationContentAdmin.search_fields)


@admin.register(UnitGoal)
class UnitGoalAdmin(admin.ModelAdmin):
    """Unit goals are organisation information: the admin may correct them (`clean` keeps the supports
    rule); a goal that contract goals support cannot be deleted (PROTECT)."""

    list_display = ("title", "unit", "cycle", "supports", "updated_at")
    list_filter = ("cycle",)
    list_select_related = ("unit", "cycle", "supports")
    search_fields = ("title", "description", "unit__path")
    raw_id_fields = ("unit", "supports")
    readonly_fields = ("copied_from", "revision", "created_at", "updated_at")
