"""On PostgreSQL, a trigger refuses any UPDATE of a contract version or a confirmation, even by raw SQL.

Deleting stays possible for retention (the whole conversation goes, with its versions). SQLite has no
such guard; there the ORM-level guard in `ImmutableModel` is what holds.
"""

from django.db import migrations

TABLES = ("conversations_contractversion", "conversations_confirmation")

FUNCTION = """
CREATE OR REPLACE FUNCTION samtale_refuse_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'samtale: % rows are immutable', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_immutable BEFORE UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION samtale_refuse_update();"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS samtale_refuse_update();")


class Migration(migrations.Migration):
    dependencies = [("conversations", "0002_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
