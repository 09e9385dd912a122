import pytest
from django.core.cache import cache

from tests import factories
from tests.organisation import _world_rows, api_as, page_as, world, world_scene  # noqa: F401 - fixtures


@pytest.fixture
def pair(db):
    """(leader, employee) where the leader manages the employee."""
    return factories.make_pair()


@pytest.fixture
def conversation(pair):
    leader, employee = pair
    return factories.make_conversation(leader=leader, employee=employee)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters live in the cache; ids are reused across rolled-back tests."""
    cache.clear()
    yield
    cache.clear()
