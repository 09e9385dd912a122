"""Who may read and write unit goals: every signed-in person reads them (organisation information, not
personal data); HR writes them for any unit, a leader for their own unit and the units below it."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from conversations.access.permissions import VIEW, access_item
from core.errors import NotAllowed
from core.ids import id_or_404
from goals.models import Proposal, UnitGoal
from organization import selectors as people
from organization.models import OrgUnit

NOT_YOUR_UNIT = _("You can only write goals for your own unit and the units below it.")


def may_write_unit_goals(user, unit: OrgUnit) -> bool:
    """HR for any unit; an active leader for the unit they belong to and every unit below it."""
    if user.is_hr:
        return True
    if user.unit_id is None:
        return False
    own = user.unit
    in_reach = unit.pk == own.pk or unit.path.startswith(own.subtree_prefix)
    return in_reach and people.leaders().filter(pk=user.pk).exists()


def require_unit_goal_writer(user, unit: OrgUnit) -> None:
    if not may_write_unit_goals(user, unit):
        raise NotAllowed(NOT_YOUR_UNIT)


def access_unit_goal(user, pk) -> UnitGoal:
    """A unit goal, with its unit and cycle; 404 when there is none. Everyone signed in reads them."""
    goal = UnitGoal.objects.select_related("unit", "cycle").filter(pk=id_or_404(pk)).first()
    if goal is None:
        raise Http404
    return goal


def access_proposal(user, pk, perm: str = VIEW) -> Proposal:
    """An employee's proposal through its conversation's rights (`conversations.access.permissions`): the
    same 404 when missing or hidden, NotAllowed without `perm`."""
    return access_item(user, Proposal, pk, perm)
