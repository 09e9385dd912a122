"""HR's conversation templates (maler): the default agenda points, with hints, that a cycle's new
conversations start with. Shared by the HR pages and the admin's rules.

Every write here is HR's alone (NotAllowed otherwise), is validated with `full_clean()`, and is
recorded in the audit trail by the models' triggers (`core.audit.track`), with the signed-in user
as the context of the request. A template's points are copied into a conversation when it is
created (`services.conversation_create`): changing a template changes no conversation already made.
"""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from conversations.models import Template, TemplatePoint
from core.errors import InvalidInput, NotAllowed

UP, DOWN = "up", "down"


def _require_hr(actor) -> None:
    if not getattr(actor, "is_hr", False) or not actor.is_active:
        raise NotAllowed(_("Bare HR kan endre maler."))


@transaction.atomic
def template_create(*, actor, name: str) -> Template:
    """A new, empty template. Precondition: the actor is HR."""
    _require_hr(actor)
    template = Template(name=name)
    template.full_clean()
    template.save()
    return template


@transaction.atomic
def template_rename(*, actor, template: Template, name: str) -> Template:
    """Give a template a new name. Precondition: the actor is HR."""
    _require_hr(actor)
    template = Template.objects.select_for_update().get(pk=template.pk)
    template.name = name
    template.full_clean()
    template.save(update_fields=["name"])
    return template


@transaction.atomic
def template_point_create(*, actor, template: Template, text: str, hint: str = "") -> TemplatePoint:
    """Add an agenda point at the end of the template. Precondition: the actor is HR."""
    _require_hr(actor)
    Template.objects.select_for_update().get(pk=template.pk)  # one writer of the order at a time
    last = template.points.aggregate(last=Max("order"))["last"]
    point = TemplatePoint(template=template, text=text, hint=hint, order=0 if last is None else last + 1)
    point.full_clean()
    point.save()
    return point


@transaction.atomic
def template_point_update(*, actor, point: TemplatePoint, text: str, hint: str = "") -> TemplatePoint:
    """Change an agenda point's text and hint. Precondition: the actor is HR."""
    _require_hr(actor)
    point = TemplatePoint.objects.select_for_update().get(pk=point.pk)
    point.text, point.hint = text, hint
    point.full_clean()
    point.save(update_fields=["text", "hint"])
    return point


@transaction.atomic
def template_point_delete(*, actor, point: TemplatePoint) -> None:
    """Remove an agenda point from the template (conversations keep their copies)."""
    _require_hr(actor)
    TemplatePoint.objects.filter(pk=point.pk).delete()


@transaction.atomic
def template_point_move(*, actor, point: TemplatePoint, direction: str) -> None:
    """Swap an agenda point with its neighbour above (`UP`) or below (`DOWN`); at either end it stays.
    The order is renumbered 0, 1, 2 ... so that equal or missing numbers never block a move."""
    _require_hr(actor)
    if direction not in (UP, DOWN):
        raise InvalidInput(_("Ukjent retning."))
    Template.objects.select_for_update().get(pk=point.template_id)
    points = list(TemplatePoint.objects.filter(template_id=point.template_id).order_by("order", "pk"))
    index = next(i for i, p in enumerate(points) if p.pk == point.pk)
    other = index - 1 if direction == UP else index + 1
    if 0 <= other < len(points):
        points[index], points[other] = points[other], points[index]
    changed = [p for order, p in enumerate(points) if p.order != order]
    for order, p in enumerate(points):
        p.order = order
    TemplatePoint.objects.bulk_update(changed, ["order"])
