"""Reads of unit goals that are more than one queryset call."""

from goals.models import UnitGoal
from organization.models import User


def unit_goals(*, cycle: int | None = None, unit: int | None = None, for_employee: int | None = None):
    """Unit goals with their units (one query however many), filtered by cycle, unit, and the line of
    sight of a person (their unit and every unit above it; none for someone without a unit)."""
    goals = UnitGoal.objects.select_related("unit")
    if cycle is not None:
        goals = goals.filter(cycle_id=cycle)
    if unit is not None:
        goals = goals.filter(unit_id=unit)
    if for_employee is not None:
        person = User.objects.select_related("unit").filter(pk=for_employee).first()
        if person is None or person.unit is None:
            return goals.none()
        goals = goals.for_units_above(person.unit)
    return goals
