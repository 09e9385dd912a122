"""Writing unit goals (*Enhetens mål*): publish, change, delete, and copy a cycle's goals into the next.

Every write checks the writer's right (`goals.permissions`) and the `supports` rule (`UnitGoal.clean`:
a goal of a unit strictly above, in the same cycle; 400 otherwise). Changes and deletes take the
revision the client last saw and refuse a stale one (PreconditionFailed) under the row lock.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.db import locked
from core.errors import Conflict, InvalidInput, NotAllowed, PreconditionFailed
from goals.models import UnitGoal, unit_paths_up_to
from goals.permissions import require_unit_goal_writer

EDITABLE_FIELDS = ("title", "description", "supports")
IN_USE = _("The goal cannot be deleted while goals in contracts or other unit goals support it.")
HR_ONLY = _("Only HR can copy the unit goals into another cycle.")
SAME_CYCLE = _("Choose another cycle to copy into.")
NOT_IN_LINE_OF_SIGHT = _(
    "A goal can only support a goal of the employee's unit or a unit above it, in the conversation's cycle."
)


def in_line_of_sight(*, conversation, unit_goal: UnitGoal) -> bool:
    """Whether `unit_goal` belongs to the employee's unit or a unit above it, in the conversation's cycle."""
    unit = conversation.employee.unit
    if unit is None or conversation.cycle_id is None or unit_goal.cycle_id != conversation.cycle_id:
        return False
    return unit_goal.unit.path in unit_paths_up_to(unit.path)


def check_contract_goal_supports(*, conversation, unit_goal: UnitGoal) -> None:
    """InvalidInput (400) unless a contract goal of `conversation` may support `unit_goal`."""
    if not in_line_of_sight(conversation=conversation, unit_goal=unit_goal):
        raise InvalidInput(NOT_IN_LINE_OF_SIGHT)


def _clean(data: dict) -> dict:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}


@transaction.atomic
def unit_goal_create(*, actor, unit, cycle, title: str, description: str = "", supports=None) -> UnitGoal:
    """Publish a goal for `unit` in `cycle`. Raises NotAllowed for a unit outside the actor's reach."""
    require_unit_goal_writer(actor, unit)
    goal = UnitGoal(unit=unit, cycle=cycle, **_clean({"title": title, "description": description}))
    goal.supports = supports
    goal.full_clean()
    goal.save()
    return goal


def _locked(goal: UnitGoal, expected_revision: int | None) -> UnitGoal:
    try:
        current = locked(UnitGoal.objects.select_related("unit"), goal.pk)
    except UnitGoal.DoesNotExist:
        raise PreconditionFailed() from None
    if expected_revision is not None and current.revision != expected_revision:
        raise PreconditionFailed()
    return current


@transaction.atomic
def unit_goal_update(*, goal: UnitGoal, actor, expected_revision: int | None = None, **data) -> UnitGoal:
    """Change the title, description or supported goal. The unit and cycle stay as published."""
    require_unit_goal_writer(actor, goal.unit)
    goal = _locked(goal, expected_revision)
    data = _clean(data)
    for field, value in data.items():
        setattr(goal, field, value)
    goal.full_clean()
    goal.revision += 1
    goal.save(update_fields=[*data, "revision", "updated_at"])
    return goal


@transaction.atomic
def unit_goal_delete(*, goal: UnitGoal, actor, expected_revision: int | None = None) -> None:
    """Delete a goal no contract goal and no other unit goal supports (Conflict otherwise)."""
    require_unit_goal_writer(actor, goal.unit)
    goal = _locked(goal, expected_revision)
    if goal.contract_goals.exists() or goal.supported_by.exists():
        raise Conflict(IN_USE)
    goal.delete()


@transaction.atomic
def unit_goals_copy(*, actor, source, target) -> list[UnitGoal]:
    """Copy every unit goal of cycle `source` into cycle `target` (HR), keeping the supports links
    between the copies. A goal already copied into `target` is not copied again. Returns the new ones."""
    if not actor.is_hr:
        raise NotAllowed(HR_ONLY)
    if source.pk == target.pk:
        raise InvalidInput(SAME_CYCLE)
    done = dict(
        UnitGoal.objects.filter(cycle=target, copied_from__cycle=source).values_list("copied_from_id", "pk")
    )
    originals = list(UnitGoal.objects.filter(cycle=source).exclude(pk__in=done).order_by("unit__depth", "id"))
    copies = UnitGoal.objects.bulk_create(
        UnitGoal(
            unit_id=g.unit_id, cycle=target, title=g.title, description=g.description, copied_from_id=g.pk
        )
        for g in originals
    )
    done.update({g.pk: c.pk for g, c in zip(originals, copies, strict=True)})
    for original, copy in zip(originals, copies, strict=True):
        copy.supports_id = done.get(original.supports_id)
    UnitGoal.objects.bulk_update([c for c in copies if c.supports_id], ["supports"])
    return copies
