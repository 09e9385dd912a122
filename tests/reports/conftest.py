"""Fixtures for the report tests; the contracts themselves are built in `tests/reports/contracts.py`."""

import datetime

import pytest

from tests import factories
from tests.reports.contracts import build_contract


@pytest.fixture
def cycle():
    """The statistics tests' cycle (2027)."""
    return factories.CycleFactory(starts_on=datetime.date(2027, 1, 1), deadline=datetime.date(2027, 3, 1))


@pytest.fixture
def big_contract(db):
    """10 goals, 5 tasks, 6 expectations and 20 follow-ups, confirmed."""
    return build_contract()
