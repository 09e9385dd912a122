import pytest

from tests import factories


@pytest.fixture
def pair(db):
    """(leader, employee) where the leader manages the employee."""
    return factories.make_pair()


@pytest.fixture
def conversation(pair):
    leader, employee = pair
    return factories.make_conversation(leader=leader, employee=employee)
