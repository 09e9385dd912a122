"""The import's checks of reporting lines for a change to some people (provisioning): managers and
cycles are judged across the changed rows and every other active person's stored reporting line."""

from organization.importer import check_rows, row_from_values


def row(employee_id: str, manager_id: str = "") -> object:
    values = {"employee_id": employee_id, "full_name": "N N", "unit": "Kommune", "manager_id": manager_id}
    checked, problems = row_from_values(0, values)
    assert problems == []
    return checked


STORED = {"A": None, "B": "A", "C": "B"}  # A at the top, B under A, C under B


def codes(problems) -> list[str]:
    return [problem.code for problem in problems]


def test_a_manager_among_the_stored_people_is_known():
    assert check_rows([row("D", "C")], others=STORED) == []
    assert codes(check_rows([row("D", "X")], others=STORED)) == ["unknown_manager"]


def test_a_change_that_closes_a_circle_through_stored_people_is_refused():
    problems = check_rows([row("A", "C")], others={k: v for k, v in STORED.items() if k != "A"})
    assert codes(problems) == ["reporting_cycle"]
    assert "B → A → C → B" in problems[0].message  # each one reports to the next


def test_a_circle_only_among_stored_people_is_not_the_change_s_doing():
    broken = {"A": "C", "B": "A", "C": "B"}
    assert check_rows([row("D", "A")], others=broken) == []


def test_without_stored_people_the_rows_are_the_whole_organisation():
    assert codes(check_rows([row("D", "C")])) == ["unknown_manager"]


def test_values_from_a_request_are_checked_like_a_line_of_the_file():
    _, problems = row_from_values(0, {"employee_id": "E\t1", "full_name": "", "unit": "a//b"})
    assert set(codes(problems)) >= {"missing_full_name", "empty_unit_level", "control_character"}
