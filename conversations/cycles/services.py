"""Creating and changing cycles (samtalerunder): HR's writes, shared by the HR pages and the API."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from conversations.models import Cycle, Template
from core.db import locked
from core.errors import InvalidInput, NotAllowed

EDITABLE_FIELDS = frozenset({"name", "starts_on", "deadline", "check_in_days", "template"})


def _require_hr(actor) -> None:
    if not getattr(actor, "is_hr", False) or not actor.is_active:
        raise NotAllowed(_("Only HR can manage cycles."))


@transaction.atomic
def cycle_create(
    *, actor, name: str, starts_on, deadline, template: Template | None = None, check_in_days: int = 90
) -> Cycle:
    """Create a cycle. Preconditions: the actor is HR; the deadline is not before the start (raises
    ValidationError otherwise). No side effects beyond the new row."""
    _require_hr(actor)
    cycle = Cycle(
        name=name, starts_on=starts_on, deadline=deadline, template=template, check_in_days=check_in_days
    )
    cycle.full_clean()
    cycle.save()
    return cycle


@transaction.atomic
def cycle_update(*, actor, cycle: Cycle, **fields) -> Cycle:
    """Change a cycle's name, start, deadline, check-in interval or template (e.g. move the deadline).
    The row is locked while it changes; the same validation as on creation."""
    _require_hr(actor)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise InvalidInput(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    cycle = locked(Cycle.objects, cycle.pk)
    for field, value in fields.items():
        setattr(cycle, field, value)
    cycle.full_clean()
    if fields:
        cycle.save(update_fields=list(fields))
    return cycle
