"""Versions and confirmations survive even raw SQL on PostgreSQL (a trigger refuses UPDATE)."""

import pytest
from django.db import DatabaseError, connection, transaction

from conversations.models import Confirmation, ContractVersion
from tests.workflow import confirm

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "column"),
    [(ContractVersion, "sha256"), (Confirmation, "sha256")],
    ids=["version", "confirmation"],
)
def test_raw_sql_update_is_refused(conversation, model, column):
    version = confirm(conversation)
    row = model.objects.get(conversation=conversation)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {model._meta.db_table} SET {column} = %s WHERE id = %s", ["0" * 64, row.pk])  # noqa: S608
    assert model.objects.get(pk=row.pk).sha256 == version.sha256
