"""A three-level organisation with a leader at each level (unit goals: `factories.UnitGoalFactory`)."""

from dataclasses import dataclass

import pytest

from tests import factories


@dataclass
class Tree:
    """top > dept > section, and other_dept beside dept. dept_leader leads dept (manages
    section_leader), section_leader leads section (manages employee); hr is HR; plain is nobody's
    leader in dept."""

    top: object
    dept: object
    section: object
    other_dept: object
    hr: object
    top_leader: object
    dept_leader: object
    section_leader: object
    employee: object
    plain: object
    other_leader: object
    cycle: object
    next_cycle: object


@pytest.fixture
def tree(db) -> Tree:
    top = factories.OrgUnitFactory(name="Kommunen")
    dept = factories.OrgUnitFactory(name="Helse", parent=top)
    section = factories.OrgUnitFactory(name="Legevakt", parent=dept)
    other_dept = factories.OrgUnitFactory(name="Skole", parent=top)
    top_leader = factories.LeaderFactory(unit=top)
    dept_leader = factories.LeaderFactory(unit=dept, manager=top_leader)
    section_leader = factories.LeaderFactory(unit=section, manager=dept_leader)
    employee = factories.UserFactory(unit=section, manager=section_leader)
    plain = factories.UserFactory(unit=dept, manager=dept_leader)
    other_leader = factories.LeaderFactory(unit=other_dept, manager=top_leader)
    factories.UserFactory(unit=other_dept, manager=other_leader)
    hr = factories.HRFactory(unit=top, manager=top_leader)
    cycle = factories.CycleFactory(name="Medarbeidersamtaler 2027")
    next_cycle = factories.CycleFactory(name="Medarbeidersamtaler 2028")
    return Tree(
        top, dept, section, other_dept, hr, top_leader, dept_leader, section_leader, employee, plain,
        other_leader, cycle, next_cycle,
    )  # fmt: skip
