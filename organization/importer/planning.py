"""Planning an import: the checked rows against the people and units already stored."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _

from organization.importer.rows import OrgRow
from organization.models import PATH_SEPARATOR


@dataclass(frozen=True)
class StoredPerson:
    """A person as the database holds them before the import (see `selectors.stored_people`)."""

    pk: int
    employee_id: str
    full_name: str
    email: str
    unit: str | None
    manager_id: str | None
    is_leader: bool
    is_hr: bool
    is_active: bool
    is_superuser: bool


@dataclass(frozen=True)
class Person:
    """A person as they should be after the import; `manager_id` is an employee id or None."""

    employee_id: str
    full_name: str
    email: str
    unit: str
    manager_id: str | None
    is_leader: bool
    is_hr: bool

    def differs_from(self, stored: StoredPerson) -> bool:
        return any(getattr(self, field) != getattr(stored, field) for field in COMPARED_FIELDS)


COMPARED_FIELDS = ("full_name", "email", "unit", "manager_id", "is_leader", "is_hr")


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    unchanged: int
    left: int
    returned: int
    managers_changed: int
    units_created: int
    active: int  # the active people the import could mark as left (superusers aside), before it

    def leaves_too_many(self, max_share: float) -> bool:
        """More than `max_share` (0.10: 10 %) of the active people would be marked as left."""
        return self.left > Fraction(str(max_share)) * self.active


class MassLeaveRefused(Exception):
    """The file would mark more of the active people as left than the limit allows: most likely a
    partial export, not the whole organisation. Nothing is written; `summary` says what would change."""

    def __init__(self, summary: ImportSummary, max_share: float):
        self.summary = summary
        self.max_share = max_share
        super().__init__(f"{summary.left} of {summary.active} active people would leave")

    @property
    def message(self) -> str:
        message = _(
            "The file would mark %(left)d of the %(active)d active people as having left (%(share)d%%), "
            "more than the limit of %(limit)s%% (SAMTALE_IMPORT_MAX_LEAVE_SHARE). Is the file the whole "
            "organisation? If so many have really left, import it with --allow-mass-leave."
        )
        return message % {
            "left": self.summary.left,
            "active": self.summary.active,
            "share": round(100 * self.summary.left / self.summary.active),
            "limit": f"{100 * self.max_share:g}",
        }


@dataclass(frozen=True)
class ImportPlan:
    """What an import changes. `updated` and `returning` are stored people to rewrite (a person can be
    both); `manager_changes` maps each stored person whose manager changes to the former manager's id."""

    new_units: tuple[str, ...]
    create: tuple[Person, ...]
    updated: tuple[Person, ...]
    returning: tuple[Person, ...]
    unchanged: int
    leaving: tuple[StoredPerson, ...]
    manager_changes: dict[str, str | None]
    active: int

    @property
    def rewrite(self) -> list[Person]:
        updated_ids = {p.employee_id for p in self.updated}
        return [*self.updated, *(p for p in self.returning if p.employee_id not in updated_ids)]

    @property
    def summary(self) -> ImportSummary:
        return ImportSummary(
            created=len(self.create),
            updated=len(self.updated),
            unchanged=self.unchanged,
            left=len(self.leaving),
            returned=len(self.returning),
            managers_changed=len(self.manager_changes),
            units_created=len(self.new_units),
            active=self.active,
        )


def desired_people(rows: list[OrgRow]) -> list[Person]:
    """People as the rows describe them; whoever manages someone in the file is a leader."""
    managers = {row.manager_id for row in rows if row.manager_id}
    return [
        Person(
            employee_id=row.employee_id,
            full_name=row.full_name,
            email=row.email,
            unit=row.unit,
            manager_id=row.manager_id or None,
            is_leader="leader" in row.roles or row.employee_id in managers,
            is_hr="hr" in row.roles,
        )
        for row in rows
    ]


def plan_import(rows: list[OrgRow], stored: Iterable[StoredPerson], unit_paths: Iterable[str]) -> ImportPlan:
    """Compare checked rows with the stored people and units. Superusers are never marked as left."""
    stored_by_id = {person.employee_id: person for person in stored}
    people = desired_people(rows)
    in_file = {person.employee_id for person in people}
    existing = [(p, stored_by_id[p.employee_id]) for p in people if p.employee_id in stored_by_id]
    return ImportPlan(
        new_units=missing_units({p.unit for p in people}, set(unit_paths)),
        create=tuple(p for p in people if p.employee_id not in stored_by_id),
        updated=tuple(p for p, s in existing if p.differs_from(s)),
        returning=tuple(p for p, s in existing if not s.is_active),
        unchanged=sum(1 for p, s in existing if s.is_active and not p.differs_from(s)),
        leaving=tuple(
            s
            for s in stored_by_id.values()
            if s.is_active and not s.is_superuser and s.employee_id not in in_file
        ),
        manager_changes={p.employee_id: s.manager_id for p, s in existing if p.manager_id != s.manager_id},
        active=sum(1 for s in stored_by_id.values() if s.is_active and not s.is_superuser),
    )


def write_order(people: Iterable[Person], known: Iterable[str]) -> list[list[Person]]:
    """`people` in groups to write one after another, so that each person's manager is `known` (stored
    already) or in an earlier group: the new people at the top of the file's reporting lines first."""
    by_id = {person.employee_id: person for person in people}
    known = set(known)
    level: dict[str, int] = {}
    for start in by_id.values():
        current, chain = start, []
        while current.employee_id not in level:
            if current.manager_id is None or current.manager_id in known:
                level[current.employee_id] = 0
                break
            chain.append(current)
            current = by_id[current.manager_id]
        for offset, waiting in enumerate(reversed(chain), start=1):
            level[waiting.employee_id] = level[current.employee_id] + offset
    groups: dict[int, list[Person]] = defaultdict(list)
    for person in by_id.values():
        groups[level[person.employee_id]].append(person)
    return [groups[depth] for depth in sorted(groups)]


def missing_units(paths: Iterable[str], known: set[str]) -> tuple[str, ...]:
    """The unit paths to create, ancestors included, parents before children."""
    wanted = set()
    for path in paths:
        parts = path.split(PATH_SEPARATOR)
        wanted.update(PATH_SEPARATOR.join(parts[:depth]) for depth in range(1, len(parts) + 1))
    return tuple(sorted(wanted - known, key=lambda p: (p.count(PATH_SEPARATOR), p)))
