"""The audit trail on SQLite: the same event rows as django-pghistory writes on PostgreSQL.

pghistory's triggers are PostgreSQL functions, so on SQLite (the embedded default) this module builds
the equivalent SQLite triggers from the same event models: after each insert, update (when a tracked
column changed) and delete of a tracked table, a snapshot row goes into its `<Model>Event` table, and
BEFORE UPDATE/DELETE triggers keep the event tables append-only. The current context (who, from where)
comes from two SQL functions registered on every SQLite connection, which read pghistory's own
per-thread context, so `core.audit.context`, the middleware and DRF's user all work the same way.

The triggers are (re)built after every `migrate` (post_migrate), from the models as they are then.
"""

import json
import threading
from contextlib import contextmanager

import pgtrigger
from pghistory import config as pghistory_config
from pghistory import runtime as pghistory_runtime
from pghistory.core import event_models

TRIGGER_PREFIX = "samtale_audit_"
NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
_state = threading.local()
# Upsert the context row (its metadata may have grown since the last write), then snapshot the row.
EVENT_TRIGGER = (
    'CREATE TRIGGER "{name}" AFTER {operation} ON "{tracked_table}"{when} BEGIN '
    'INSERT INTO "pghistory_context" ("id", "metadata", "created_at", "updated_at") '
    "SELECT samtale_audit_context_id(), samtale_audit_context_metadata(), {now}, {now} "
    "WHERE samtale_audit_context_id() IS NOT NULL "
    'ON CONFLICT ("id") DO UPDATE '
    'SET "metadata" = excluded."metadata", "updated_at" = excluded."updated_at"; '
    'INSERT INTO "{table}" ({columns}) VALUES ({values}); END'
)


def _context_id():
    context = getattr(pghistory_runtime._tracker, "value", None)
    return context.id.hex if context else None


def _context_metadata():
    context = getattr(pghistory_runtime._tracker, "value", None)
    return json.dumps(context.metadata, cls=pghistory_config.json_encoder()) if context else None


def _recording() -> int:
    """0 while `manage.py flush` (and the test runner's flush) empties every table, else 1."""
    return 0 if getattr(_state, "flushing", False) else 1


def _protected() -> int:
    """0 while retention purges event rows or a flush empties the tables, else 1."""
    return 0 if getattr(_state, "purging", False) or getattr(_state, "flushing", False) else 1


def register_functions(sender, connection, **kwargs) -> None:
    """`connection_created` handler: the SQL functions the triggers call."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("samtale_audit_context_id", 0, _context_id)
    raw.create_function("samtale_audit_context_metadata", 0, _context_metadata)
    raw.create_function("samtale_audit_recording", 0, _recording)
    raw.create_function("samtale_audit_protected", 0, _protected)


@contextmanager
def _flag(name: str):
    setattr(_state, name, True)
    try:
        yield
    finally:
        setattr(_state, name, False)


def flushing():
    """A flush deletes every row of every table (on PostgreSQL by TRUNCATE, which row triggers ignore;
    on SQLite by DELETE): the trail goes with the rest, and the deletions are not recorded. Entered by
    the project's SQLite backend (`core.sqlite_backend`) around every flush."""
    return _flag("flushing")


def purging():
    """Let retention delete event rows on this thread."""
    return _flag("purging")


def install_triggers(using: str = "default", **kwargs) -> None:
    """`post_migrate` handler: drop our triggers and create them again from the current models."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{TRIGGER_PREFIX}%"]
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER "{name}"')
        tables = set(connection.introspection.table_names(cursor))
        for event_model in event_models():
            if event_model._meta.db_table in tables:
                for statement in trigger_statements(event_model):
                    cursor.execute(statement)


def trigger_statements(event_model) -> list[str]:
    """CREATE TRIGGER statements for one event model: its trackers, and append-only protection."""
    statements = [_tracker_trigger(event_model, tracker) for tracker in event_model.pgh_trackers]
    table = event_model._meta.db_table
    for operation in ("UPDATE", "DELETE"):
        statements.append(
            f'CREATE TRIGGER "{TRIGGER_PREFIX}{table}_append_only_{operation.lower()}" BEFORE {operation} '
            f'ON "{table}" WHEN samtale_audit_protected() = 1 '
            "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
        )
    return statements


def _copied_columns(event_model) -> list[tuple[str, str]]:
    """(event column, tracked column) of every snapshotted field."""
    tracked = event_model.pgh_tracked_model._meta
    pairs = []
    for field in event_model._meta.concrete_fields:
        if not field.name.startswith("pgh_"):
            pairs.append((field.column, tracked.get_field(field.name).column))
    return pairs


def _tracker_trigger(event_model, tracker) -> str:
    operation = _operation_name(tracker.operation)
    row = tracker.row
    table = event_model._meta.db_table
    tracked_table = event_model.pgh_tracked_model._meta.db_table
    pairs = _copied_columns(event_model)
    columns = [event for event, _tracked in pairs] + ["pgh_created_at", "pgh_label", "pgh_context_id"]
    values = [f'{row}."{tracked}"' for _event, tracked in pairs]
    values += [NOW, f"'{tracker.label}'", "samtale_audit_context_id()"]
    if hasattr(event_model, "pgh_obj"):
        columns.append("pgh_obj_id")
        values.append(f'{row}."{event_model.pgh_tracked_model._meta.pk.column}"')
    when = " WHEN samtale_audit_recording() = 1"
    if operation == "UPDATE":
        changed = " OR ".join(f'OLD."{tracked}" IS NOT NEW."{tracked}"' for _event, tracked in pairs)
        when += f" AND ({changed})"
    return EVENT_TRIGGER.format(
        name=f"{TRIGGER_PREFIX}{table}_{tracker.label}",
        operation=operation,
        tracked_table=tracked_table,
        when=when,
        table=table,
        columns=", ".join(f'"{column}"' for column in columns),
        values=", ".join(values),
        now=NOW,
    )


def _operation_name(operation) -> str:
    for name in ("INSERT", "UPDATE", "DELETE"):
        if operation == getattr(pgtrigger, name.capitalize()):
            return name
    raise ValueError(f"unsupported audit operation {operation}")
