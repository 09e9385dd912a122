"""Tasks, goals and expectations: the items of the contract."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import audit
from core.models import TimeStampedModel

TEXT_MAX = settings.SAMTALE_TEXT_MAX_LENGTH


class ContractItem(TimeStampedModel):
    conversation = models.ForeignKey("conversations.Conversation", on_delete=models.CASCADE, related_name="+")
    order = models.PositiveIntegerField(_("order"), default=0)
    revision = models.PositiveIntegerField(default=1, editable=False)
    carried_over_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    @property
    def etag(self) -> str:
        return f'"{self._meta.model_name[0]}{self.pk}-{self.revision}"'


@audit.track()
class Task(ContractItem):
    conversation = models.ForeignKey(
        "conversations.Conversation", on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    due_date = models.DateField(_("due date"), null=True, blank=True)

    class Meta(ContractItem.Meta):
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title


@audit.track()
class Goal(ContractItem):
    class Kind(models.TextChoices):
        RESULT = "result", _("Resultatmål")
        DEVELOPMENT = "development", _("Utviklingsmål")
        RELATIONAL = "relational", _("Relasjonsmål")

    conversation = models.ForeignKey(
        "conversations.Conversation", on_delete=models.CASCADE, related_name="goals"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    measure = models.TextField(_("measure"), blank=True, max_length=TEXT_MAX)
    due_date = models.DateField(_("due date"), null=True, blank=True)

    class Meta(ContractItem.Meta):
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        # For the statistics' data version of an earlier release (it now reads audit events).
        indexes = [models.Index(fields=["updated_at"], name="goal_updated_at_idx")]

    def __str__(self) -> str:
        return self.title


@audit.track()
class Expectation(ContractItem):
    class Direction(models.TextChoices):
        LEADER_TO_EMPLOYEE = "leader_to_employee", _("Leders forventninger til medarbeider")
        EMPLOYEE_TO_LEADER = "employee_to_leader", _("Medarbeiders forventninger til leder")

    conversation = models.ForeignKey(
        "conversations.Conversation", on_delete=models.CASCADE, related_name="expectations"
    )
    direction = models.CharField(_("direction"), max_length=24, choices=Direction.choices)
    text = models.TextField(_("text"), max_length=TEXT_MAX)

    class Meta(ContractItem.Meta):
        verbose_name = _("expectation")
        verbose_name_plural = _("expectations")

    def __str__(self) -> str:
        return self.text[:60]
