"""Tasks, goals and expectations: the items of the contract."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import audit
from core.free_text import STORED_MAX_LENGTH
from core.models import TimeStampedModel
from organization.models import PATH_SEPARATOR

TEXT_MAX = STORED_MAX_LENGTH  # new writes are held to core.free_text.max_length()
NOT_ABOVE = _("A goal can only support a goal of a unit above it in the same cycle.")


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
    supports = models.ForeignKey(
        "goals.UnitGoal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contract_goals",
        verbose_name=_("supports"),
    )

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


class UnitGoalQuerySet(models.QuerySet):
    def for_units_above(self, unit):
        """The goals of `unit` and of every unit above it (its line of sight)."""
        return self.filter(unit__path__in=unit_paths_up_to(unit.path))


def unit_paths_up_to(path: str) -> list[str]:
    """The paths of a unit and of every unit above it, from its own path (no query)."""
    parts = path.split(PATH_SEPARATOR)
    return [PATH_SEPARATOR.join(parts[: i + 1]) for i in range(len(parts))]


@audit.track()
class UnitGoal(TimeStampedModel):
    """A goal of an org unit for one cycle (*Enhetens mål*), optionally supporting a goal of a unit
    above it in the same cycle, so the organisation's direction cascades down the tree.

    It lives with the contract's items rather than in `organization`: it is tied to a cycle (a
    `conversations` model, which `organization` must not depend on) and contract goals point at it."""

    unit = models.ForeignKey(
        "organization.OrgUnit", on_delete=models.PROTECT, related_name="unit_goals", verbose_name=_("unit")
    )
    cycle = models.ForeignKey(
        "conversations.Cycle", on_delete=models.PROTECT, related_name="unit_goals", verbose_name=_("cycle")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    supports = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supported_by",
        verbose_name=_("supports"),
    )
    copied_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        editable=False,
        verbose_name=_("copied from"),
    )
    revision = models.PositiveIntegerField(default=1, editable=False)

    objects = UnitGoalQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "id"]
        verbose_name = _("unit goal")
        verbose_name_plural = _("unit goals")
        indexes = [models.Index(fields=["cycle", "unit"], name="unitgoal_cycle_unit_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def etag(self) -> str:
        return f'"u{self.pk}-{self.revision}"'

    def clean(self) -> None:
        """`supports` names a goal of a unit strictly above, in the same cycle (the admin checks it too)."""
        if self.supports_id is None or self.unit_id is None:
            return
        above = self.unit.path.startswith(self.supports.unit.subtree_prefix)
        if self.supports.cycle_id != self.cycle_id or not above:
            raise ValidationError({"supports": NOT_ABOVE})


@audit.track()
class Proposal(TimeStampedModel):
    """A goal, task or expectation the employee proposes for the draft contract. The leader accepts it
    (it becomes an item of the draft, `item_id`) or declines it with a reason the employee sees."""

    class Kind(models.TextChoices):
        GOAL = "goal", _("Mål")
        TASK = "task", _("Oppgave")
        EXPECTATION = "expectation", _("Forventning")

    class State(models.TextChoices):
        PENDING = "pending", _("Venter på leder")
        ACCEPTED = "accepted", _("Godtatt")
        DECLINED = "declined", _("Avslått")

    conversation = models.ForeignKey(
        "conversations.Conversation", on_delete=models.CASCADE, related_name="proposals"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True, max_length=TEXT_MAX)
    goal_kind = models.CharField(_("type mål"), max_length=16, choices=Goal.Kind.choices, blank=True)
    direction = models.CharField(
        _("direction"), max_length=24, choices=Expectation.Direction.choices, blank=True
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("avgjort"), null=True, blank=True)
    reason = models.TextField(_("begrunnelse"), blank=True, max_length=TEXT_MAX)
    item_id = models.PositiveBigIntegerField(_("punkt"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("forslag")
        verbose_name_plural = _("forslagene")
        indexes = [models.Index(fields=["conversation", "state"], name="proposal_conversation_state")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="declined") | ~models.Q(reason=""),
                name="proposal_declined_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.text[:60]
