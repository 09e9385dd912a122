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


def stored_people(employee_ids: list[str] | None = None) -> list[StoredPerson]:
    """Every person in the database (or those of `employee_ids`), active or not, as the organisation
    import compares them. One query."""
    people = User.objects.order_by()
    if employee_ids is not None:
        people = people.filter(employee_id__in=employee_ids)
    rows = people.values_list(
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


def user_ids_by_employee_id(employee_ids: list[str] | None = None) -> dict[str, int]:
    people = User.objects.order_by()
    if employee_ids is not None:
        people = people.filter(employee_id__in=employee_ids)
    return dict(people.values_list("employee_id", "pk"))


def reporting_lines(exclude: str | None = None) -> dict[str, str | None]:
    """Every active person's employee id and their manager's (None at the top), but `exclude`'s. One
    query: the reporting lines that a change to one person is checked against (`importer.check_rows`)."""
    people = User.objects.filter(is_active=True).exclude(employee_id=exclude).order_by()
    return dict(people.values_list("employee_id", "manager__employee_id"))


def has_active_reports(user_pk: int) -> bool:
    return User.objects.filter(manager_id=user_pk, is_active=True).exists()
