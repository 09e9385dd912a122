"""The test database answers, and it is the database the environment asked for.

A CI run meant for PostgreSQL that silently fell back to SQLite would pass while testing the wrong
thing; this makes it fail instead. CI and `make test-pg` also set EXPECT_DB_VENDOR, which catches a
DATABASE_URL lost on the way to pytest.
"""

import os

import pytest
from django.db import connection

VENDOR_BY_SCHEME = {"postgres": "postgresql", "postgresql": "postgresql", "pgsql": "postgresql"}


def expected_vendor() -> str:
    if os.environ.get("EXPECT_DB_VENDOR"):
        return os.environ["EXPECT_DB_VENDOR"]
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return "sqlite"
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    return VENDOR_BY_SCHEME.get(scheme, scheme)


@pytest.mark.django_db
def test_database_answers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1


def test_database_is_the_one_configured():
    if os.environ.get("CI") == "true" and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        assert connection.vendor == "postgresql"
    assert connection.vendor == expected_vendor()
