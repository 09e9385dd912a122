"""Reading the organisation file: its bytes to rows, or `OrgFileRefused` with every problem found."""

import csv
import io
from collections.abc import Iterator

from django.utils.translation import gettext as _

from organization.importer.checks import _field_problems, _unit_problems, check_rows
from organization.importer.rows import COLUMNS, ROLE_SEPARATOR, ImportProblem, OrgFileRefused, OrgRow
from organization.models import PATH_SEPARATOR


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
