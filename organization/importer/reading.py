"""Reading the organisation file: its bytes to rows, or `OrgFileRefused` with every problem found."""

import codecs
import csv
import io
import re
from collections.abc import Iterator

from django.utils.translation import gettext as _

from organization.importer.checks import _field_problems, _unit_problems, check_rows
from organization.importer.rows import COLUMNS, ROLE_SEPARATOR, ImportProblem, OrgFileRefused, OrgRow
from organization.models import PATH_SEPARATOR

# Unicode's control characters (category Cc): C0, DEL and C1.
CONTROL_CHARACTER = re.compile("[\x00-\x1f\x7f-\x9f]")


def read_org_file(data: bytes) -> list[OrgRow]:
    """The people in the file (UTF-8, a byte order mark allowed); raises OrgFileRefused otherwise."""
    records = _records(_decode(data))
    header_line, header = next(records, (1, None))
    if header is None:
        raise OrgFileRefused([ImportProblem(1, "empty_file", _("The file is empty."))])
    columns, problems = _column_positions(header_line, header)
    problems.extend(_control_character_problems(header_line, header, header))
    if problems:
        raise OrgFileRefused(problems)
    rows = []
    for line, cells in records:
        row, row_problems = _parse_row(line, cells, columns)
        rows.append(row)
        problems.extend(_control_character_problems(line, cells, header))
        problems.extend(_cell_count_problems(line, cells, header) or row_problems)
    if not rows:
        problems.append(ImportProblem(header_line, "no_people", _("The file has a header but no people.")))
    problems.extend(check_rows(rows))
    if problems:
        raise OrgFileRefused(problems)
    return rows


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OrgFileRefused(_not_utf8_problems(data)) from None


def _not_utf8_problems(data: bytes) -> list[ImportProblem]:
    """Each line that is not UTF-8 (a UTF-8 character never holds the byte of a line break)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        message = _("The file is UTF-16 text, not UTF-8. Save it from the HR system as CSV in UTF-8.")
        return [ImportProblem(1, "not_utf8", message)]
    message = _("The file is not UTF-8 text. Save it from the HR system as CSV in UTF-8.")
    return [
        ImportProblem(number, "not_utf8", message)
        for number, line in enumerate(data.removeprefix(codecs.BOM_UTF8).split(b"\n"), start=1)
        if not _is_utf8(line)
    ]


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


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


def _control_character_problems(line: int, cells: list[str], header: list[str]) -> list[ImportProblem]:
    """Control characters (NUL, tab, a line break inside a quoted value, ...) in any cell: no name, id,
    address or unit holds one, and the database refuses NUL outright. One problem per record."""
    found = [
        _("column %(column)s: %(character)s") % {"column": _column_name(header, i), "character": character}
        for i, cell in enumerate(cells)
        if (character := _first_control_character(cell))
    ]
    if not found:
        return []
    message = _(
        "The line holds control characters, which are not allowed (%(found)s). Is the file CSV text "
        "in UTF-8? Save it from the HR system as CSV in UTF-8."
    )
    return [ImportProblem(line, "control_character", message % {"found": "; ".join(found)})]


def _first_control_character(text: str) -> str | None:
    found = CONTROL_CHARACTER.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def _column_name(header: list[str], index: int) -> str:
    name = header[index].strip() if index < len(header) else ""
    return (
        name if name and not _first_control_character(name) else _("no. %(number)d") % {"number": index + 1}
    )


def _cell_count_problems(line: int, cells: list[str], header: list[str]) -> list[ImportProblem]:
    """A record with more or fewer cells than the header has columns: its values cannot be trusted
    to be in their columns (a comma too many or too few), so its other problems are not reported."""
    counts = {"cells": len(cells), "columns": len(header)}
    if len(cells) > len(header):
        message = _("The line has %(cells)d values, more than the %(columns)d columns of the header.")
        return [ImportProblem(line, "too_many_values", message % counts)]
    if len(cells) < len(header):
        message = _("The line has %(cells)d values, fewer than the %(columns)d columns of the header.")
        return [ImportProblem(line, "too_few_values", message % counts)]
    return []


def _parse_row(line: int, cells: list[str], columns: dict[str, int]) -> tuple[OrgRow, list[ImportProblem]]:
    return row_from_values(
        line, {column: (cells[i] if i < len(cells) else "") for column, i in columns.items()}
    )


def row_from_values(line: int, values: dict[str, str]) -> tuple[OrgRow, list[ImportProblem]]:
    """One person's values by column name (`COLUMNS`; roles separated by ";"), cleaned as a file's
    line is, and the problems of that person alone. The import reads the file's lines through it,
    provisioning (SCIM) the values a request sends; line 0 for values that are on no line."""
    value = {column: (values.get(column) or "").strip() for column in COLUMNS}
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
    if line == 0:  # a file's lines were checked for control characters as a whole record already
        problems += _control_character_problems(line, list(value.values()), list(value))
    return row, problems
