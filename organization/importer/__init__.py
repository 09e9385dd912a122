"""Reading and checking the HR system's organisation file, and planning what an import would change.

Nothing here touches the database. `read_org_file` turns the file's bytes into rows, or refuses the
file with every problem and its line number (as in the file, the header is line 1). `plan_import`
compares the rows with the people already stored. The writes are `organization.services.org_import_apply`.

The modules: `rows` the file's columns, the rows read from it and the problems that refuse it;
`reading` the file to rows; `checks` the problems of a row and between rows; `planning` the rows
against the stored people.
"""

from organization.importer.checks import check_rows, reporting_cycles
from organization.importer.planning import (
    COMPARED_FIELDS,
    ImportPlan,
    ImportSummary,
    MassLeaveRefused,
    Person,
    StoredPerson,
    desired_people,
    missing_units,
    plan_import,
    write_order,
)
from organization.importer.reading import read_org_file, row_from_values
from organization.importer.rows import (
    COLUMNS,
    MAX_LENGTHS,
    ROLE_SEPARATOR,
    ROLES,
    UNIT_NAME_MAX_LENGTH,
    ImportProblem,
    OrgFileRefused,
    OrgRow,
)

__all__ = [
    "COLUMNS",
    "COMPARED_FIELDS",
    "MAX_LENGTHS",
    "ROLES",
    "ROLE_SEPARATOR",
    "UNIT_NAME_MAX_LENGTH",
    "ImportPlan",
    "ImportProblem",
    "ImportSummary",
    "MassLeaveRefused",
    "OrgFileRefused",
    "OrgRow",
    "Person",
    "StoredPerson",
    "check_rows",
    "desired_people",
    "missing_units",
    "plan_import",
    "read_org_file",
    "reporting_cycles",
    "row_from_values",
    "write_order",
]
