"""The organisation import: `python manage.py import_org FILE.csv` (DESIGN.md, "Organisation import")."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from conversations.access.permissions import MANAGE, VIEW, access_conversation
from conversations.models import Status
from conversations.services import history_share_set
from organization.importer import OrgFileRefused, Person, read_org_file, reporting_cycles, write_order
from organization.models import OrgUnit, User
from tests.factories import conversation_in, make_conversation
from tests.organization.conftest import HEADER, ORG, generated_org, snapshot

pytestmark = pytest.mark.django_db


def problems_of(lines, encoding="utf-8"):
    """{(line, code)} of the problems `read_org_file` finds in `lines`."""
    with pytest.raises(OrgFileRefused) as refused:
        read_org_file(("\n".join(lines) + "\n").encode(encoding))
    return {(problem.line, problem.code) for problem in refused.value.problems}


def person(employee_id):
    return User.objects.select_related("unit", "manager").get(employee_id=employee_id)


# --- a good file --------------------------------------------------------------------------------------


def test_import_creates_the_tree(imported):
    units = {unit.path: unit for unit in OrgUnit.objects.all()}
    assert set(units) == {
        "Oslo kommune",
        "Oslo kommune/Bymiljøetaten",
        "Oslo kommune/Bymiljøetaten/Seksjon for drift",
    }
    section = units["Oslo kommune/Bymiljøetaten/Seksjon for drift"]
    assert (section.name, section.depth, section.parent.path) == (
        "Seksjon for drift",
        2,
        "Oslo kommune/Bymiljøetaten",
    )
    assert (units["Oslo kommune"].parent, units["Oslo kommune"].depth) == (None, 0)


def test_import_creates_people_roles_and_reporting_lines(imported):
    top, hr_leader, employee = person("E1"), person("E2"), person("E4")
    assert (top.full_name, top.email, top.unit.path, top.manager) == (
        "Kari Nordmann",
        "kari@oslo.kommune.no",
        "Oslo kommune",
        None,
    )
    assert top.roles == ["employee", "leader"]  # a manager in the file, though no role was given
    assert hr_leader.roles == ["employee", "leader", "hr"]
    assert hr_leader.manager == top
    assert (employee.full_name, employee.manager, employee.roles) == ("Åse Dahl", hr_leader, ["employee"])
    assert set(hr_leader.reports.values_list("employee_id", flat=True)) == {"E3", "E4"}
    assert all(user.is_active and user.left_on is None for user in User.objects.all())


def test_new_people_get_an_unusable_password(imported):
    assert not any(user.has_usable_password() for user in User.objects.all())
    assert len({user.password for user in User.objects.all()}) == 4


def test_leader_role_without_reports_is_kept(write_csv, run_import):
    run_import(write_csv([HEADER, "L1,Lea Leder,lea@oslo.kommune.no,Oslo kommune,,leader"]))
    assert person("L1").is_leader


def test_columns_in_any_order_with_extra_columns_and_spaces(write_csv, run_import):
    lines = [
        " Roles ,unit,extra,employee_id,manager_id,full_name,email",
        "hr , Oslo kommune / Etat ,x, A1 ,, Anne Li ,anne@oslo.kommune.no",
    ]
    run_import(write_csv(lines))
    anne = person("A1")
    assert (anne.full_name, anne.unit.path, anne.is_hr) == ("Anne Li", "Oslo kommune/Etat", True)


def test_empty_email_is_allowed(write_csv, run_import):
    run_import(write_csv([HEADER, "A1,Anne Li,,Oslo kommune,,"]))
    assert person("A1").email == ""


def test_utf8_byte_order_mark_is_accepted(write_csv, run_import):
    out, _ = run_import(write_csv(ORG, encoding="utf-8-sig"))
    assert "People created: 4" in out
    assert person("E4").full_name == "Åse Dahl"
    assert OrgUnit.objects.filter(path="Oslo kommune/Bymiljøetaten").exists()


def test_existing_units_are_reused(write_csv, run_import, imported):
    out, _ = run_import(
        write_csv([*ORG, "E5,Ny Person,ny@oslo.kommune.no,Oslo kommune/Bymiljøetaten/Ny,E2,"])
    )
    assert "Units created: 1" in out
    new = OrgUnit.objects.get(path="Oslo kommune/Bymiljøetaten/Ny")
    assert new.parent == OrgUnit.objects.get(path="Oslo kommune/Bymiljøetaten")
    assert OrgUnit.objects.count() == 4


# --- refused files ------------------------------------------------------------------------------------

NEW = "E5,Nina Ny,nina@oslo.kommune.no,Oslo kommune"  # line 6 when appended to ORG; add ",manager,roles"

REFUSALS = {
    "unknown manager": ([*ORG, f"{NEW},E99,"], {(6, "unknown_manager")}),
    "own manager": ([*ORG, f"{NEW},E5,"], {(6, "self_manager")}),
    "two-person cycle": (
        [*ORG, f"{NEW},E6,", "E6,Odd Ring,odd@oslo.kommune.no,Oslo kommune,E5,"],
        {(6, "reporting_cycle")},
    ),
    "longer cycle, with someone hanging off it": (
        [
            *ORG,
            "E7,Siri Sist,siri@oslo.kommune.no,Oslo kommune,E5,",  # line 6, hangs off the cycle
            f"{NEW},E6,",
            "E6,Odd Ring,odd@oslo.kommune.no,Oslo kommune,E8,",
            "E8,Tor Tre,tor@oslo.kommune.no,Oslo kommune,E5,",
        ],
        {(7, "reporting_cycle")},
    ),
    "duplicate id": (
        [*ORG, "E3,Per Annen,per2@oslo.kommune.no,Oslo kommune,E1,"],
        {(6, "duplicate_employee_id")},
    ),
    "bad email": ([*ORG, "E5,Nina Ny,nina(at)oslo.kommune.no,Oslo kommune,E1,"], {(6, "invalid_email")}),
    "missing column": (
        ["employee_id,full_name,unit,manager_id", "E1,Kari Nordmann,Oslo kommune,"],
        {(1, "missing_columns")},
    ),
    "column twice": ([HEADER + ",email", "E1,Kari,kari@oslo.kommune.no,Oslo,,,x"], {(1, "duplicate_column")}),
    "unknown role": ([*ORG, f"{NEW},E1,employee;boss"], {(6, "unknown_role")}),
    "empty id": ([*ORG, ",Nina Ny,nina@oslo.kommune.no,Oslo kommune,E1,"], {(6, "missing_employee_id")}),
    "empty name": ([*ORG, "E5,,nina@oslo.kommune.no,Oslo kommune,E1,"], {(6, "missing_full_name")}),
    "empty unit": ([*ORG, "E5,Nina Ny,nina@oslo.kommune.no,,E1,"], {(6, "missing_unit")}),
    "empty unit level": (
        [*ORG, "E5,Nina Ny,nina@oslo.kommune.no,Oslo kommune//Etat,E1,"],
        {(6, "empty_unit_level")},
    ),
    "over-long id": ([*ORG, f"{'X' * 65},Nina Ny,nina@oslo.kommune.no,Oslo kommune,E1,"], {(6, "too_long")}),
    "over-long name": ([*ORG, f"E5,{'N' * 201},nina@oslo.kommune.no,Oslo kommune,E1,"], {(6, "too_long")}),
    "over-long unit name": (
        [*ORG, f"E5,Nina Ny,nina@oslo.kommune.no,Oslo/{'U' * 201},E1,"],
        {(6, "too_long")},
    ),
    "semicolons": (
        [HEADER.replace(",", ";"), "E1;Kari;kari@oslo.kommune.no;Oslo;;"],
        {(1, "wrong_separator")},
    ),
    "header only": ([HEADER], {(1, "no_people")}),
    "empty file": ([], {(1, "empty_file")}),
}


@pytest.mark.parametrize(("lines", "expected"), REFUSALS.values(), ids=REFUSALS.keys())
def test_refused_file_reports_the_lines(lines, expected):
    assert problems_of(lines) == expected


@pytest.mark.parametrize(("lines", "expected"), REFUSALS.values(), ids=REFUSALS.keys())
def test_refused_file_changes_nothing(lines, expected, imported, write_csv, run_import):
    User.objects.create_superuser("admin", password="x", full_name="Admin")
    before = snapshot()
    with pytest.raises(CommandError, match="Nothing was changed"):
        run_import(write_csv(lines))
    assert snapshot() == before


def test_refused_file_reports_every_error(imported, write_csv, run_import):
    lines = [
        "employee_id,full_name,email,unit,manager_id,roles",
        "E1,Kari Nordmann,kari@oslo.kommune.no,Oslo kommune,,",
        "E2,,ola(at)oslo.kommune.no,Oslo kommune,E1,",  # line 3: two errors
        "E3,Per Berg,per@oslo.kommune.no,Oslo kommune,E99,",  # line 4
        "E2,Ola To,ola2@oslo.kommune.no,,E1,chief",  # line 5: three errors
        "E5,Ring En,ring1@oslo.kommune.no,Oslo kommune,E6,",  # line 6
        "E6,Ring To,ring2@oslo.kommune.no,Oslo kommune,E5,",
    ]
    before = snapshot()
    assert problems_of(lines) == {
        (3, "missing_full_name"),
        (3, "invalid_email"),
        (4, "unknown_manager"),
        (5, "missing_unit"),
        (5, "unknown_role"),
        (5, "duplicate_employee_id"),
        (6, "reporting_cycle"),
    }
    with pytest.raises(CommandError, match="7 errors"):
        run_import(write_csv(lines))
    assert snapshot() == before


def test_command_prints_the_errors_to_stderr(imported, write_csv):
    lines = [*ORG, f"{NEW},E99,", "E6,Odd,odd(at)oslo.kommune.no,Oslo kommune,E1,"]
    err = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="2 errors"):
        call_command("import_org", str(write_csv(lines)), stderr=err)
    printed = err.getvalue().splitlines()
    assert len(printed) == 2
    assert printed[0].startswith("Line 6:") and "E99" in printed[0]
    assert printed[1].startswith("Line 7:") and "odd(at)oslo.kommune.no" in printed[1]


def test_cycle_message_names_everyone_in_it():
    lines = [HEADER, "A,Anne,,Oslo,B,", "B,Bjørn,,Oslo,C,", "C,Cato,,Oslo,A,"]
    with translation.override("en"), pytest.raises(OrgFileRefused) as refused:
        read_org_file("\n".join(lines).encode())
    (problem,) = refused.value.problems
    assert problem.line == 2
    assert all(f"{who} (line {line})" in problem.message for who, line in (("A", 2), ("B", 3), ("C", 4)))


def test_line_numbers_count_blank_lines_and_multiline_values():
    lines = [
        HEADER,
        "",
        'E1,"Kari',
        'Nordmann",kari@oslo.kommune.no,Oslo kommune,,',  # one record on lines 3-4
        "E2,Ola,ola(at)oslo.kommune.no,Oslo kommune,E1,",  # line 5
    ]
    # A line break inside a name is a control character (refused since issue 13), on the record's first line.
    assert problems_of(lines) == {(3, "control_character"), (5, "invalid_email")}


def test_file_that_is_not_utf8_is_refused_with_its_line():
    lines = [*ORG[:2], "E9,Bjorn As,bjorn@oslo.kommune.no,Oslo kommune,E1,", "E8,Bjørn Ås,,Oslo,E1,"]
    assert problems_of(lines, encoding="latin-1") == {(4, "not_utf8")}


def test_every_line_that_is_not_utf8_is_reported():
    data = "\n".join([*ORG[:2], "E5,Bjørn,,Oslo,E1,", "E6,Ås,,Oslo,E1,", "E7,Per,,Oslo,E1,"]).encode(
        "latin-1"
    )
    with pytest.raises(OrgFileRefused) as refused:
        read_org_file(b"\xef\xbb\xbf" + data + b"\n")
    assert {(p.line, p.code) for p in refused.value.problems} == {(3, "not_utf8"), (4, "not_utf8")}


def test_utf16_file_is_refused_by_name():
    with translation.override("en"), pytest.raises(OrgFileRefused) as refused:
        read_org_file("\n".join(ORG).encode("utf-16"))
    (problem,) = refused.value.problems
    assert (problem.line, problem.code) == (1, "not_utf8")
    assert "UTF-16" in problem.message


CONTROL_CHARACTERS = {
    "NUL in a name": ("E5,Ni\x00na,,Oslo,E1,", "full_name: U+0000"),
    "NUL in an id": ("E5\x00,Nina,,Oslo,E1,", "employee_id: U+0000"),
    "tab": ("E5,Nina\tNy,,Oslo,E1,", "full_name: U+0009"),
    "escape": ("E5,Nina,,Oslo\x1b[31m,E1,", "unit: U+001B"),
    "delete": ("E5,Nina\x7f,,Oslo,E1,", "full_name: U+007F"),
    "C1 control": ("E5,Nina,nina@oslo.kommune.no\x85,Oslo,E1,", "email: U+0085"),
    "quoted line break": ('E5,"Nina\nNy",,Oslo,E1,', "full_name: U+000A"),
}


@pytest.mark.parametrize(("line", "where"), CONTROL_CHARACTERS.values(), ids=CONTROL_CHARACTERS.keys())
def test_control_characters_are_refused_with_their_line(line, where):
    with translation.override("en"), pytest.raises(OrgFileRefused) as refused:
        read_org_file(("\n".join([*ORG, line]) + "\n").encode())
    (problem,) = refused.value.problems
    assert (problem.line, problem.code) == (6, "control_character")
    assert f"column {where}" in problem.message


def test_control_characters_in_unused_columns_and_the_header_are_refused():
    lines = [HEADER + ",extra,", *(row + ",," for row in ORG[1:]), "E5,Nina,,Oslo,E1,,x\x00,\x01"]
    with translation.override("en"), pytest.raises(OrgFileRefused) as refused:
        read_org_file(("\n".join(lines) + "\n").encode())
    (problem,) = refused.value.problems
    assert "column extra: U+0000; column no. 8: U+0001" in problem.message
    assert problems_of([HEADER + "\x00", *ORG[1:]]) == {(1, "control_character"), (1, "missing_columns")}


def test_nul_byte_changes_nothing(imported, write_csv, run_import):
    """On PostgreSQL a NUL byte reached the database and ended in a traceback; now it is a file error."""
    before = snapshot()
    err_lines = [*ORG, "E5,Nina\x00Ny,nina@oslo.kommune.no,Oslo kommune,E1,"]
    with pytest.raises(CommandError, match="1 error"):
        run_import(write_csv(err_lines))
    assert snapshot() == before


def test_nul_byte_in_a_changed_name_on_reimport(imported, write_csv, run_import):
    err = io.StringIO()
    lines = [*ORG[:4], "E4,Åse\x00 Dahl,ase@oslo.kommune.no,Oslo kommune,E2,"]
    with translation.override("en"), pytest.raises(CommandError, match="Nothing was changed"):
        call_command("import_org", str(write_csv(lines)), stderr=err)
    assert err.getvalue().startswith("Line 5: The line holds control characters")
    assert person("E4").full_name == "Åse Dahl"


CELL_COUNTS = {
    "one too many": ("E5,Nina Ny,nina@oslo.kommune.no,Oslo kommune,E1,,", "too_many_values"),
    "one too few": ("E5,Nina Ny,nina@oslo.kommune.no,Oslo kommune,E1", "too_few_values"),
    "only an id": ("E5", "too_few_values"),
}


@pytest.mark.parametrize(("line", "code"), CELL_COUNTS.values(), ids=CELL_COUNTS.keys())
def test_rows_with_more_or_fewer_values_than_columns_are_refused(line, code):
    assert problems_of([*ORG, line]) == {(6, code)}


def test_shifted_values_are_reported_as_a_comma_too_many():
    """An unquoted comma in a name shifts the values; the row's field checks (here the e-mail, which
    would be " Nina") would only confuse, so the count is what is reported for that line."""
    problems = problems_of([*ORG, "E5,Ny, Nina,nina@oslo.kommune.no,Oslo kommune,E1,"])
    assert (6, "too_many_values") in problems
    assert (6, "invalid_email") not in problems


def test_cell_count_message_says_how_many():
    with translation.override("en"), pytest.raises(OrgFileRefused) as refused:
        read_org_file((HEADER + "\nE1,Kari,,Oslo,,,,\n").encode())
    assert (
        refused.value.problems[0].message == "The line has 8 values, more than the 6 columns of the header."
    )


def test_header_after_blank_lines_keeps_the_line_numbers():
    assert problems_of(["", HEADER, "E1,,kari@oslo.kommune.no,Oslo,,"]) == {(3, "missing_full_name")}
    assert problems_of(["", "employee_id,full_name"]) == {(2, "missing_columns")}


def test_reporting_cycles_finds_each_cycle_once():
    manager_of = {"A": "B", "B": "A", "C": "A", "D": "E", "E": "F", "F": "D", "G": None}
    assert sorted(sorted(cycle) for cycle in reporting_cycles(manager_of)) == [["A", "B"], ["D", "E", "F"]]


def test_write_order_puts_new_managers_first():
    def new(employee_id, manager_id=None):
        return Person(employee_id, employee_id, "", "Oslo", manager_id, False, False)

    people = [new("C", "B"), new("B", "A"), new("A"), new("D", "STORED"), new("E", "B")]
    groups = write_order(people, known={"STORED", "X"})
    assert [sorted(p.employee_id for p in group) for group in groups] == [["A", "D"], ["B"], ["C", "E"]]
    assert write_order([], known=set()) == []


# --- re-import ----------------------------------------------------------------------------------------


def test_reimport_updates_people(imported, write_csv, run_import):
    lines = [
        *ORG[:3],
        "E3,Per Berg-Lie,per.lie@oslo.kommune.no,Oslo kommune/Kulturetaten,E1,hr",
        ORG[4],
    ]
    out, _ = run_import(write_csv(lines))
    changed = person("E3")
    assert (changed.full_name, changed.email, changed.unit.path) == (
        "Per Berg-Lie",
        "per.lie@oslo.kommune.no",
        "Oslo kommune/Kulturetaten",
    )
    assert (changed.manager.employee_id, changed.roles) == ("E1", ["employee", "hr"])
    assert changed.pk == imported["E3"].pk
    assert changed.password == imported["E3"].password
    for line in ("People created: 0", "People updated: 1", "People unchanged: 3", "Managers changed: 1"):
        assert line in out


def test_reimport_moves_someone_under_a_new_person(imported, write_csv, run_import):
    new_leader = "E9,Nils Ny,nils@oslo.kommune.no,Oslo kommune/Bymiljøetaten,E1,"
    moved = "E3,Per Berg,per@oslo.kommune.no,Oslo kommune/Bymiljøetaten/Seksjon for drift,E9,"
    out, _ = run_import(write_csv([*ORG[:3], moved, ORG[4], new_leader]))
    assert person("E3").manager == person("E9")
    assert person("E9").is_leader
    assert "People created: 1" in out and "Managers changed: 1" in out


def test_superuser_in_the_file_is_updated_and_stays_superuser(imported, write_csv, run_import):
    User.objects.create_superuser("E5", password="x", full_name="Old Name")
    run_import(write_csv([*ORG, "E5,Sara Super,sara@oslo.kommune.no,Oslo kommune,E1,"]))
    admin = person("E5")
    assert (admin.full_name, admin.manager.employee_id, admin.is_superuser, admin.is_staff) == (
        "Sara Super",
        "E1",
        True,
        True,
    )
    assert admin.check_password("x")


def test_reimport_takes_away_roles_no_longer_held(imported, write_csv, run_import):
    lines = [HEADER, ORG[1], "E2,Ola Hansen,ola@oslo.kommune.no,Oslo kommune/Bymiljøetaten,E1,"]
    run_import(write_csv(lines), "--allow-mass-leave")  # 2 of 4 leave
    assert person("E2").roles == ["employee"]


def test_same_file_twice_changes_nothing(imported, write_csv, run_import):
    before = snapshot()
    out, _ = run_import(write_csv(ORG))
    assert "People unchanged: 4" in out
    assert snapshot() == before


def test_people_missing_from_the_file_leave_and_return(imported, write_csv, run_import):
    admin = User.objects.create_superuser("admin", password="x", full_name="Admin")
    out, _ = run_import(write_csv(ORG[:4]), "--allow-mass-leave")  # 1 of 4 is over the 10 % limit
    gone = person("E4")
    assert (gone.is_active, gone.left_on) == (False, timezone.localdate())
    assert gone.manager.employee_id == "E2"  # leaving does not change the reporting line
    assert "People marked as left: 1" in out
    admin.refresh_from_db()
    assert admin.is_active
    assert User.objects.count() == 5  # nobody is deleted

    out, _ = run_import(write_csv([*ORG[:4], ORG[4].replace("Åse Dahl", "Åse Dahl-Berg")]))
    back = person("E4")
    assert (back.is_active, back.left_on, back.pk) == (True, None, gone.pk)
    assert back.full_name == "Åse Dahl-Berg"
    for line in (
        "People returned: 1",
        "People updated: 1",
        "People unchanged: 3",
        "People marked as left: 0",
    ):
        assert line in out


def test_people_who_left_earlier_are_not_counted_again(imported, write_csv, run_import):
    run_import(write_csv(ORG[:4]), "--allow-mass-leave")
    out, _ = run_import(write_csv(ORG[:4]))
    assert "People marked as left: 0" in out


# --- a file that would mark many as left ----------------------------------------------------------------


@pytest.fixture
def twenty_three(db, write_csv, run_import):
    run_import(write_csv(generated_org(23), name="all.csv"))
    assert User.objects.filter(is_active=True).count() == 23


def test_a_file_that_would_mark_most_as_left_is_refused(twenty_three, write_csv, run_import):
    """A five-line file marked 22 of 23 people as having left without a word (issue 13)."""
    User.objects.create_superuser("admin", password="x", full_name="Admin")  # never leaves, not counted
    before = snapshot()
    short = [*generated_org(23)[:2], *generated_org(3, prefix="N")[1:]]  # G000000 and three new people
    with pytest.raises(CommandError) as refused:
        run_import(write_csv(short))
    assert str(refused.value) == (
        "The file would mark 22 of the 23 active people as having left (96%), more than the limit of 10% "
        "(SAMTALE_IMPORT_MAX_LEAVE_SHARE). Is the file the whole organisation? If so many have really "
        "left, import it with --allow-mass-leave. Nothing was changed."
    )
    assert snapshot() == before


def test_mass_leave_is_imported_when_allowed(twenty_three, write_csv, run_import):
    out, _ = run_import(write_csv(generated_org(23)[:2]), "--allow-mass-leave")
    assert "People marked as left: 22" in out
    assert list(User.objects.filter(is_active=True).values_list("employee_id", flat=True)) == ["G000000"]


def test_dry_run_warns_first_that_the_import_would_be_refused(twenty_three, write_csv, run_import):
    before = snapshot()
    out, _ = run_import(write_csv(generated_org(23)[:2]), "--dry-run")
    first, second, *report = out.splitlines()
    assert first.startswith("Warning: the import itself would be refused. The file would mark 22 of the 23")
    assert second.startswith("Dry run")
    assert "People marked as left: 22" in report
    assert snapshot() == before


@pytest.mark.parametrize(("kept", "refused"), [(22, False), (21, False), (20, True), (1, True)])
def test_the_limit_is_a_share_of_the_active_people(kept, refused, db, write_csv, run_import):
    """Of 23, 2 leaving is 8.7 %, 3 is 13 %: over the 10 % limit."""
    run_import(write_csv(generated_org(23), name="all.csv"))
    file = write_csv(generated_org(23)[: kept + 1])
    if refused:
        with pytest.raises(CommandError, match=f"would mark {23 - kept} of the 23 active people"):
            run_import(file)
    else:
        assert f"People marked as left: {23 - kept}" in run_import(file)[0]


def test_the_limit_is_a_setting(twenty_three, write_csv, run_import, settings):
    settings.SAMTALE_IMPORT_MAX_LEAVE_SHARE = 0.5
    with pytest.raises(CommandError, match=r"12 of the 23 .* limit of 50%"):
        run_import(write_csv(generated_org(23)[:12]))
    out, _ = run_import(write_csv(generated_org(23)[:13]))
    assert "People marked as left: 11" in out


def test_exactly_the_limit_is_allowed(db, write_csv, run_import):
    run_import(write_csv(generated_org(10), name="all.csv"))
    out, _ = run_import(write_csv(generated_org(10)[:10]))
    assert "People marked as left: 1" in out


def test_in_a_small_organisation_one_leaving_is_over_the_limit(imported, write_csv, run_import):
    with pytest.raises(CommandError, match="1 of the 4 active people as having left \\(25%\\)"):
        run_import(write_csv(ORG[:4]))
    assert person("E4").is_active


# --- a new manager gets access, the former one loses it -----------------------------------------------


@pytest.fixture
def new_manager_file(write_csv):
    """ORG where E3 moves from E2 to E4."""
    return write_csv(
        [*ORG[:3], "E3,Per Berg,per@oslo.kommune.no,Oslo kommune/Bymiljøetaten/Seksjon for drift,E4,", ORG[4]]
    )


def test_manager_change_moves_an_open_conversation(imported, new_manager_file, run_import):
    conversation = make_conversation(leader=imported["E2"], employee=imported["E3"])
    former, new = imported["E2"], imported["E4"]
    assert access_conversation(former, conversation.pk, MANAGE)
    with pytest.raises(Http404):
        access_conversation(new, conversation.pk)

    out, _ = run_import(new_manager_file)

    assert "Managers changed: 1" in out
    with pytest.raises(Http404):
        access_conversation(former, conversation.pk)
    moved = access_conversation(new, conversation.pk, MANAGE)
    assert moved.leader == new
    assert person("E4").is_leader


def test_closed_conversation_reaches_the_new_manager_only_when_shared(imported, new_manager_file, run_import):
    former, employee, new = imported["E2"], imported["E3"], imported["E4"]
    closed = conversation_in(Status.CLOSED, leader=former, employee=employee)
    assert closed.status == Status.CLOSED

    run_import(new_manager_file)

    for user in (former, new):
        with pytest.raises(Http404):
            access_conversation(user, closed.pk)
    assert access_conversation(employee, closed.pk)

    history_share_set(employee=person("E3"), shared=True)
    assert access_conversation(new, closed.pk, VIEW).leader == former  # still records who held it
    with pytest.raises(Http404):
        access_conversation(former, closed.pk)


# --- the command --------------------------------------------------------------------------------------


def test_command_prints_a_summary(db, write_csv, run_import):
    out, err = run_import(write_csv(ORG))
    assert out.splitlines() == [
        "People created: 4",
        "People updated: 0",
        "People unchanged: 0",
        "People marked as left: 0",
        "People returned: 0",
        "Managers changed: 0",
        "Units created: 3",
    ]
    assert err == ""


def test_command_refuses_a_missing_file(db, tmp_path, run_import):
    with pytest.raises(CommandError, match="Cannot read"):
        run_import(tmp_path / "missing.csv")


def test_dry_run_writes_nothing(imported, write_csv, run_import):
    before = snapshot()
    lines = [
        *ORG[:3],
        "E3,Per Berg,per@oslo.kommune.no,Oslo kommune/Ny,E1,",
        "E9,Ny,ny@oslo.kommune.no,Oslo,E1,",
    ]
    out, _ = run_import(write_csv(lines), "--dry-run", "--allow-mass-leave")  # 1 of 4 leaves
    assert out.startswith("Dry run")
    for line in (
        "People created: 1",
        "People updated: 2",
        "People marked as left: 1",
        "Units created: 2",
    ):  # E2 stops leading
        assert line in out
    assert snapshot() == before


def test_dry_run_on_an_empty_database(db, write_csv, run_import):
    out, _ = run_import(write_csv(ORG), "--dry-run")
    assert "People created: 4" in out
    assert (User.objects.count(), OrgUnit.objects.count()) == (0, 0)


def test_dry_run_still_refuses_a_bad_file(db, write_csv, run_import):
    with pytest.raises(CommandError, match="1 error"):
        run_import(write_csv([*ORG, f"{NEW},E99,"]), "--dry-run")


# --- size ---------------------------------------------------------------------------------------------


def test_queries_do_not_grow_with_the_rows(db, write_csv, run_import):
    """Per-row queries would be over 600 for each import; batches keep it to a few dozen."""
    size = 600
    with CaptureQueriesContext(connection) as first:
        run_import(write_csv(generated_org(size), name="first.csv"))
    renamed = [line.replace("Person ", "Ansatt ") for line in generated_org(size)]
    moved = [*renamed[:-1], renamed[-1].rsplit(",", 2)[0] + ",G000001,"]  # the last person's manager changes
    with CaptureQueriesContext(connection) as second:
        run_import(write_csv(moved[: size // 2] + moved[size // 2 + 1 :], name="second.csv"))
    assert User.objects.count() == size
    assert User.objects.filter(full_name__startswith="Ansatt").count() == size - 1
    assert len(first) < 60
    assert len(second) < 60


def test_the_import_returns_its_manager_changes_and_moves_no_conversation(imported):
    """`org_import_apply` (organization) reports the manager changes it saved; moving the conversations
    is the caller's (`import_org` hands them to `conversations.services.manager_changes_applied`)."""
    from conversations.models import Conversation
    from organization.changes import ManagerChange
    from organization.importer import read_org_file
    from organization.services import org_import_apply

    e3, e2 = imported["E3"], imported["E2"]
    conversation = Conversation.objects.create(employee=e3, leader=e2)
    moved = [*ORG[:3], ORG[3].replace(",E2,", ",E1,"), ORG[4]]
    data = ("\n".join(moved) + "\n").encode()

    assert org_import_apply(rows=read_org_file(data), dry_run=True).manager_changes == ()
    result = org_import_apply(rows=read_org_file(data))

    assert result.manager_changes == (ManagerChange(employee_pk=e3.pk, former_manager_pk=e2.pk),)
    assert result.summary.managers_changed == 1
    conversation.refresh_from_db()
    assert conversation.leader_id == e2.pk
