"""Reading and checking the HR system's organisation file, and planning what an import would change.

Nothing here touches the database. `read_org_file` turns the file's bytes into rows, or refuses the
file with every problem and its line number (as in the file, the header is line 1). `plan_import`
compares the rows with the people already stored. The writes are `organization.services.org_import_apply`.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from organization.models import PATH_SEPARATOR, OrgUnit, User

COLUMNS = ("employee_id", "full_name", "email", "unit", "manager_id", "roles")
ROLES = ("employee", "leader", "hr")
ROLE_SEPARATOR = ";"


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


MAX_LENGTHS = {
    "employee_id": _max_length(User, "employee_id"),
    "full_name": _max_length(User, "full_name"),
    "email": _max_length(User, "email"),
    "unit": _max_length(OrgUnit, "path"),
}
UNIT_NAME_MAX_LENGTH = _max_length(OrgUnit, "name")


@dataclass(frozen=True)
class ImportProblem:
    """One reason to refuse the file. `code` is stable for programs; `message` is for HR staff."""

    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class OrgFileRefused(Exception):
    """The file cannot be imported; `problems` holds every problem found, in line order."""

    def __init__(self, problems: Iterable[ImportProblem]):
        self.problems = sorted(problems, key=lambda p: p.line)
        super().__init__(f"{len(self.problems)} problem(s)")


@dataclass(frozen=True)
class OrgRow:
    """One person as the file describes them, already cleaned (trimmed, unit path normalised)."""

    line: int
    employee_id: str
    full_name: str
    email: str
    unit: str
    manager_id: str
    roles: frozenset[str]


# --- reading ------------------------------------------------------------------------------------------


def read_org_file(data: bytes) -> list[OrgRow]:
    """The people in the file (UTF-8, a byte order mark allowed); raises OrgFileRefused otherwise."""
    records = _records(_decode(data))
    header_line, header = next(records, (1, None))
    if header is None:
        raise OrgFileRefused([ImportProblem(1, "empty_file", _("The file is empty."))])
    columns, problems = _column_positions(header_line, header)
    if problems:
        raise OrgFileRefused(problems)
    rows = []
    for line, cells in records:
        row, row_problems = _parse_row(line, cells, columns)
        rows.append(row)
        problems.extend(row_problems)
    if not rows:
        problems.append(ImportProblem(header_line, "no_people", _("The file has a header but no people.")))
    problems.extend(check_rows(rows))
    if problems:
        raise OrgFileRefused(problems)
    return rows


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = _("The file is not UTF-8 text. Save it from the HR system as CSV in UTF-8.")
        raise OrgFileRefused([ImportProblem(line, "not_utf8", message)]) from None


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) of each non-blank record; a quoted value may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            message = _("The line cannot be read as CSV (%(error)s).") % {"error": error}
            raise OrgFileRefused([ImportProblem(start, "bad_csv", message)]) from None
        if any(cell.strip() for cell in cells):
            yield start, cells


def _column_positions(line: int, header: list[str]) -> tuple[dict[str, int], list[ImportProblem]]:
    names = [name.strip().lower() for name in header]
    missing = [column for column in COLUMNS if column not in names]
    if missing and len(names) == 1 and ";" in names[0]:
        message = _("The columns must be separated by commas (,), not semicolons (;). Expected: %(all)s.")
        return {}, [ImportProblem(line, "wrong_separator", message % {"all": ",".join(COLUMNS)})]
    problems = []
    if missing:
        message = _("The header lacks the column(s) %(missing)s. The file must have the columns %(all)s.")
        params = {"missing": ", ".join(missing), "all": ",".join(COLUMNS)}
        problems.append(ImportProblem(line, "missing_columns", message % params))
    for column in COLUMNS:
        if names.count(column) > 1:
            message = _("The column %(column)s appears more than once in the header.")
            problems.append(ImportProblem(line, "duplicate_column", message % {"column": column}))
    return {column: names.index(column) for column in COLUMNS if column in names}, problems


def _parse_row(line: int, cells: list[str], columns: dict[str, int]) -> tuple[OrgRow, list[ImportProblem]]:
    value = {column: (cells[i] if i < len(cells) else "").strip() for column, i in columns.items()}
    unit_parts = [part.strip() for part in value["unit"].split(PATH_SEPARATOR)]
    roles = frozenset(role.strip().lower() for role in value["roles"].split(ROLE_SEPARATOR) if role.strip())
    row = OrgRow(
        line=line,
        employee_id=value["employee_id"],
        full_name=value["full_name"],
        email=value["email"],
        unit=PATH_SEPARATOR.join(unit_parts),
        manager_id=value["manager_id"],
        roles=roles,
    )
    problems = [
        ImportProblem(line, code, message)
        for code, message in (*_field_problems(row), *_unit_problems(value["unit"], unit_parts))
    ]
    return row, problems


# --- checks -------------------------------------------------------------------------------------------


def _field_problems(row: OrgRow) -> Iterator[tuple[str, str]]:
    if not row.employee_id:
        yield "missing_employee_id", _("The employee ID (employee_id) is empty.")
    if not row.full_name:
        yield "missing_full_name", _("The name (full_name) is empty.")
    if row.email and not _is_email(row.email):
        yield "invalid_email", _("The e-mail address “%(email)s” is not valid.") % {"email": row.email}
    unknown = sorted(row.roles - set(ROLES))
    if unknown:
        message = _("Unknown role(s) %(unknown)s. Allowed roles are %(allowed)s, separated by “;”.")
        yield "unknown_role", message % {"unknown": ", ".join(unknown), "allowed": ", ".join(ROLES)}
    for field in ("employee_id", "full_name", "email"):
        yield from _length_problem(field, getattr(row, field))


def _unit_problems(raw: str, parts: list[str]) -> Iterator[tuple[str, str]]:
    if not raw:
        yield "missing_unit", _("The unit is empty.")
        return
    if not all(parts):
        message = _("The unit “%(unit)s” has an empty level (a “/” at the start or end, or “//”).")
        yield "empty_unit_level", message % {"unit": raw}
    yield from _length_problem("unit", raw)
    for part in parts:
        if len(part) > UNIT_NAME_MAX_LENGTH:
            message = _("The unit name “%(name)s…” is longer than %(max)d characters.")
            yield "too_long", message % {"name": part[:40], "max": UNIT_NAME_MAX_LENGTH}


def _length_problem(field: str, text: str) -> Iterator[tuple[str, str]]:
    if len(text) > MAX_LENGTHS[field]:
        message = _(
            "The value in column %(column)s is %(length)d characters long; at most %(max)d are allowed."
        )
        yield "too_long", message % {"column": field, "length": len(text), "max": MAX_LENGTHS[field]}


def _is_email(text: str) -> bool:
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


def check_rows(rows: list[OrgRow]) -> list[ImportProblem]:
    """Problems between rows: duplicate ids, unknown managers, people managing themselves, cycles."""
    first_line: dict[str, int] = {}
    problems = []
    for row in rows:
        if not row.employee_id:
            continue
        if row.employee_id in first_line:
            message = _("The employee ID %(id)s appears more than once (also on line %(first)d).")
            params = {"id": row.employee_id, "first": first_line[row.employee_id]}
            problems.append(ImportProblem(row.line, "duplicate_employee_id", message % params))
        else:
            first_line[row.employee_id] = row.line
    problems.extend(_manager_problems(rows, first_line))
    problems.extend(_cycle_problems(rows, first_line))
    return problems


def _manager_problems(rows: list[OrgRow], first_line: dict[str, int]) -> Iterator[ImportProblem]:
    for row in rows:
        if not row.manager_id:
            continue
        if row.manager_id == row.employee_id:
            message = _("%(id)s is given as their own manager (manager_id).") % {"id": row.employee_id}
            yield ImportProblem(row.line, "self_manager", message)
        elif row.manager_id not in first_line:
            message = _("The manager %(manager)s (manager_id) is not in the file.")
            yield ImportProblem(row.line, "unknown_manager", message % {"manager": row.manager_id})


def _cycle_problems(rows: list[OrgRow], first_line: dict[str, int]) -> Iterator[ImportProblem]:
    manager_of = {
        row.employee_id: row.manager_id
        for row in rows
        if row.employee_id and first_line[row.employee_id] == row.line
        if row.manager_id in first_line and row.manager_id != row.employee_id
    }
    for cycle in reporting_cycles(manager_of):
        chain = " → ".join(
            _("%(id)s (line %(line)d)") % {"id": person, "line": first_line[person]} for person in cycle
        )
        message = _(
            "The reporting lines go round in a circle: %(chain)s → %(first)s. Someone must be at the top."
        )
        yield ImportProblem(
            min(first_line[p] for p in cycle),
            "reporting_cycle",
            message % {"chain": chain, "first": cycle[0]},
        )


def reporting_cycles(manager_of: dict[str, str]) -> list[list[str]]:
    """Each cycle in the graph person → manager, once, starting from the person met first."""
    walk_of: dict[str, str] = {}
    cycles = []
    for start in manager_of:
        walk = []
        person = start
        while person is not None and person not in walk_of:
            walk_of[person] = start
            walk.append(person)
            person = manager_of.get(person)
        if person is not None and walk_of[person] == start:
            cycles.append(walk[walk.index(person) :])
    return cycles


# --- planning -----------------------------------------------------------------------------------------


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
