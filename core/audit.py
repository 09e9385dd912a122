"""The audit trail: every write to the stored records, by whom, when and what, also for bulk updates.

django-pghistory tracks the models decorated with `track`: after each insert, update and delete a
database trigger writes a snapshot row to the model's event table (`<Model>Event`), in the same
transaction, whatever wrote it - the ORM, `bulk_create`/`bulk_update`/`QuerySet.update`, the importer or
raw SQL. Each event points at a context row (`pghistory.Context`) saying who and through what: the
signed-in user, method and path of web and API requests (`AuditMiddleware`, which also catches the user
DRF authenticates by token), the command and its options for management commands (`audited_command`).
The event tables are append-only (a trigger refuses UPDATE and DELETE); only retention
(`purge_conversation_events`) removes rows, as DESIGN.md requires.

On PostgreSQL the triggers are pghistory's own (installed by the migrations). On SQLite, the embedded
default, `core.audit_sqlite` builds equivalent SQLite triggers into the same event tables.

The parties' readable account of their conversation is `conversations.records.history`; this trail is the
complete record behind it, for the operators of the service (database access).
"""

import contextlib
import datetime
import functools
import uuid
from dataclasses import dataclass

import pghistory
import pghistory.runtime
import pgtrigger
from django.core.handlers.wsgi import WSGIRequest as DjangoWSGIRequest
from django.db import connection
from pghistory.middleware import HistoryMiddleware
from pghistory.middleware import WSGIRequest as AuditedWSGIRequest

from core import audit_sqlite


def _on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def track(**options):
    """Track inserts, updates and deletes of a model (a class decorator). Fresh trackers for every model."""
    return pghistory.track(
        pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), append_only=True, **options
    )


def context(**metadata):
    """Group the writes inside under one audit context carrying `metadata` (nested calls add to it)."""
    if _on_postgresql():
        return pghistory.context(**metadata)
    return _sqlite_context(metadata)


@contextlib.contextmanager
def _sqlite_context(metadata: dict):
    """pghistory's per-thread context without its SQL injection (which only PostgreSQL understands);
    `core.audit_sqlite`'s SQL functions read it."""
    tracker = pghistory.runtime._tracker
    if hasattr(tracker, "value"):
        tracker.value.metadata.update(metadata)
        yield tracker.value
        return
    tracker.value = pghistory.runtime.Context(id=uuid.uuid4(), metadata=dict(metadata))
    try:
        yield tracker.value
    finally:
        del tracker.value


class AuditMiddleware(HistoryMiddleware):
    """Records the user (also when DRF authenticates by token), method and path of every write request."""

    def get_context(self, request) -> dict:
        return {**super().get_context(request), "method": request.method}

    def __call__(self, request):
        if request.method not in pghistory.config.middleware_methods():
            return self.get_response(request)
        with context(**self.get_context(request)):
            if isinstance(request, DjangoWSGIRequest):
                # Setting `request.user` later (DRF's authentication) then adds the user to the context.
                request.__class__ = AuditedWSGIRequest
            return self.get_response(request)


def audited_command(handle):
    """Decorate a management command's `handle` so its writes are attributed to the command."""

    @functools.wraps(handle)
    def wrapper(command, *args, **options):
        name = command.__module__.rsplit(".", 1)[-1]
        with context(command=name, options=_plain_options(options)):
            return handle(command, *args, **options)

    return wrapper


def event_models():
    """Every concrete event model of the trail."""
    return pghistory.core.event_models()


def purge_conversation_events(conversation_ids) -> int:
    """Delete the audit rows of these conversations and of everything that belonged to them (retention).

    Returns the number of rows deleted. Used only by retention, inside its transaction, after the
    conversations themselves are gone (their delete events included).
    """
    if not conversation_ids:
        return 0
    deleted = 0
    with _append_only_lifted():
        for model in event_models():
            deleted += _purge(model, list(conversation_ids))
    return deleted


def _append_only_lifted():
    if _on_postgresql():
        return pgtrigger.ignore(*[f"{model._meta.label}:append_only" for model in event_models()])
    return audit_sqlite.purging()


DJANGO_COMMAND_OPTIONS = frozenset(
    {"verbosity", "settings", "pythonpath", "traceback", "no_color", "force_color", "skip_checks"}
)


def _plain_options(options: dict) -> dict:
    """The command's options that are plain values (not the output streams Django passes along)."""
    plain = (str, int, float, bool, type(None))
    return {
        name: value
        for name, value in options.items()
        if isinstance(value, plain) and name not in DJANGO_COMMAND_OPTIONS
    }


def _conversation_field(model) -> str | None:
    """The field of an event model that names the conversation its row belonged to, if any."""
    if model.pgh_tracked_model._meta.label == "conversations.Conversation":
        return "pgh_obj_id"
    for field in model._meta.fields:
        related = getattr(field, "related_model", None)
        if related is not None and related._meta.label == "conversations.Conversation":
            return field.attname
    return None


def _purge(model, conversation_ids: list) -> int:
    field = _conversation_field(model)
    if field is None:
        return 0
    count, _per_model = model.objects.filter(**{f"{field}__in": conversation_ids}).delete()
    return count


@dataclass(frozen=True)
class TrailEntry:
    """One recorded write: when, what kind, to which record, in which context, and the changed values."""

    at: datetime.datetime
    label: str
    model: str
    object_id: int | None
    context: dict
    changes: dict


def conversation_trail(conversation_id: int) -> list[TrailEntry]:
    """Every recorded write to the conversation and to everything that belongs to it, oldest first."""
    entries = []
    for model in event_models():
        field = _conversation_field(model)
        if field is not None:
            entries += _entries(model, model.objects.filter(**{field: conversation_id}))
    return sorted(entries, key=lambda entry: entry.at)


def actor_trail(user_id: int) -> list[TrailEntry]:
    """Every recorded write made in a context naming this user, oldest first."""
    entries = []
    for model in event_models():
        entries += _entries(model, model.objects.filter(pgh_context__metadata__user=user_id))
    return sorted(entries, key=lambda entry: entry.at)


def describe(entry: TrailEntry) -> str:
    """One line of text for a person reading the trail."""
    if entry.context.get("user"):
        who = f"user {entry.context['user']}"
    else:
        who = f"command {entry.context['command']}" if entry.context.get("command") else "unknown"
    where = " ".join(str(entry.context[key]) for key in ("method", "url") if key in entry.context)
    changes = "; ".join(f"{name}: {old!r} -> {new!r}" for name, (old, new) in sorted(entry.changes.items()))
    target = f"{entry.model} #{entry.object_id}" if entry.object_id is not None else entry.model
    return f"{entry.at:%Y-%m-%d %H:%M:%S}  {entry.label:<6}  {target}  by {who} {where}  {changes}".rstrip()


def _entries(model, queryset) -> list[TrailEntry]:
    events = list(queryset.select_related("pgh_context").order_by("pgh_id"))
    previous = {}
    return [_entry(model, event, previous) for event in events]


def _snapshot(event) -> dict:
    return {
        field.attname: getattr(event, field.attname)
        for field in event._meta.concrete_fields
        if not field.name.startswith("pgh_")
    }


def _entry(model, event, previous: dict) -> TrailEntry:
    snapshot = _snapshot(event)
    object_id = getattr(event, "pgh_obj_id", None)
    changes = _changes(event.pgh_label, _before(model, event, object_id, previous), snapshot)
    if object_id is not None:
        previous[object_id] = snapshot
    return TrailEntry(
        at=event.pgh_created_at,
        label=event.pgh_label,
        model=model.pgh_tracked_model._meta.label,
        object_id=object_id,
        context=event.pgh_context.metadata if event.pgh_context_id else {},
        changes=changes,
    )


def _before(model, event, object_id, previous: dict) -> dict | None:
    """The object's snapshot before this event (looked up when the listing does not hold it)."""
    if object_id is None:
        return None
    if object_id in previous:
        return previous[object_id]
    earlier = model.objects.filter(pgh_obj_id=object_id, pgh_id__lt=event.pgh_id).order_by("-pgh_id").first()
    return _snapshot(earlier) if earlier else None


def _changes(label: str, before: dict | None, after: dict) -> dict:
    """{field: (old, new)}: what an update changed; every value for an insert (old None) or delete."""
    if label == "delete":
        return {name: (value, None) for name, value in after.items()}
    before = before or {}
    return {name: (before.get(name), value) for name, value in after.items() if before.get(name) != value}
