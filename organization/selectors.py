"""Reads about people and org units that are more than one queryset call."""

from django.db.models import Exists, OuterRef, Q

from organization.importer import StoredPerson
from organization.models import OrgUnit, User


def leaders():
    """The active people who lead: the leader role (the import gives it to everyone who manages someone
    in the file, and to whoever the file names a leader), or an active person reports to them now.
    DESIGN: "leader (anyone who is someone's manager)"."""
    manages_someone = Exists(User.objects.filter(manager=OuterRef("pk"), is_active=True))
    return User.objects.filter(Q(is_leader=True) | manages_someone, is_active=True)


def stored_people() -> list[StoredPerson]:
    """Every person in the database, active or not, as the organisation import compares them. One query."""
    rows = User.objects.order_by().values_list(
        "pk",
        "employee_id",
        "full_name",
        "email",
        "unit__path",
        "manager__employee_id",
        "is_leader",
        "is_hr",
        "is_active",
        "is_superuser",
    )
    return [StoredPerson(*row) for row in rows]


def unit_ids_by_path() -> dict[str, int]:
    return dict(OrgUnit.objects.order_by().values_list("path", "pk"))


def user_ids_by_employee_id() -> dict[str, int]:
    return dict(User.objects.order_by().values_list("employee_id", "pk"))
