"""The checks of the rows: the fields of one row, and duplicate ids, unknown managers and reporting
cycles between rows."""

from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from organization.importer.rows import MAX_LENGTHS, ROLES, UNIT_NAME_MAX_LENGTH, ImportProblem, OrgRow


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


def check_rows(rows: list[OrgRow], others: dict[str, str | None] | None = None) -> list[ImportProblem]:
    """Problems between rows: duplicate ids, unknown managers, people managing themselves, cycles.

    Without `others` the rows are the whole organisation (the import's file). Provisioning (SCIM)
    changes a few people at a time: `others` then maps every other active person's employee id to their
    manager's, and a manager is known, and a reporting cycle found, across the rows and `others`."""
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
    problems.extend(_manager_problems(rows, first_line, others))
    problems.extend(_cycle_problems(rows, first_line, others))
    return problems


def _manager_problems(
    rows: list[OrgRow], first_line: dict[str, int], others: dict[str, str | None] | None
) -> Iterator[ImportProblem]:
    for row in rows:
        if not row.manager_id:
            continue
        if row.manager_id == row.employee_id:
            message = _("%(id)s is given as their own manager (manager_id).") % {"id": row.employee_id}
            yield ImportProblem(row.line, "self_manager", message)
        elif row.manager_id in first_line:
            continue
        elif others is None:
            message = _("The manager %(manager)s (manager_id) is not in the file.")
            yield ImportProblem(row.line, "unknown_manager", message % {"manager": row.manager_id})
        elif row.manager_id not in others:
            message = _("The manager %(manager)s is not an active person in the organisation.")
            yield ImportProblem(row.line, "unknown_manager", message % {"manager": row.manager_id})


def _cycle_problems(
    rows: list[OrgRow], first_line: dict[str, int], others: dict[str, str | None] | None
) -> Iterator[ImportProblem]:
    known = first_line.keys() | (others or {}).keys()
    manager_of = {
        person: manager
        for person, manager in (others or {}).items()
        if person not in first_line and manager in known and manager != person
    }
    manager_of.update(
        (row.employee_id, row.manager_id)
        for row in rows
        if row.employee_id and first_line[row.employee_id] == row.line
        if row.manager_id in known and row.manager_id != row.employee_id
    )
    for cycle in reporting_cycles(manager_of):
        if not any(person in first_line for person in cycle):
            continue  # a cycle among the stored people alone is not this change's doing
        chain = " → ".join(_person_on_line(person, first_line) for person in cycle)
        message = _(
            "The reporting lines go round in a circle: %(chain)s → %(first)s. Someone must be at the top."
        )
        yield ImportProblem(
            min(first_line[p] for p in cycle if p in first_line),
            "reporting_cycle",
            message % {"chain": chain, "first": cycle[0]},
        )


def _person_on_line(person: str, first_line: dict[str, int]) -> str:
    """The person's id, with the line they are on (not for stored people, nor rows without a line)."""
    if not first_line.get(person):
        return person
    return _("%(id)s (line %(line)d)") % {"id": person, "line": first_line[person]}


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
