"""Fast read-only output for the serializers on the hot paths (conversation lists, the detail, me/).

DRF builds a serializer's fields anew for every serializer instance (a ModelSerializer inspects its
model each time) and reads every value through generic lookups; for a detail response or a page of
conversations that costs more CPU than the database does. `CompiledOutput` builds the fields of a class
once per process (on a prototype instance) and turns them into a list of (name, read, convert) steps:
the output comes from the same declared fields and is the same as DRF's, only without rebuilding them.
The OpenAPI schema and input validation do not change (they never call `to_representation`).

DRF's own path still runs when the serializer has a context (output that may depend on the request),
for mappings, and when an object lacks an attribute (DRF then skips the field or uses its default).
tests/test_scale.py compares both paths on every compiled serializer.
"""

import datetime
import threading
import types
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models.manager import BaseManager
from django.utils import timezone
from rest_framework import ISO_8601, relations, serializers
from rest_framework.settings import api_settings

ENABLED = True  # tests switch it off to get DRF's own output for comparison
_plans: dict[type, object] = {}
_CALLABLES = (types.FunctionType, types.MethodType)
_now = threading.local()  # the time zone of the object being written, per thread


class _UseDRF(Exception):
    """This object needs DRF's generic path."""


class CompiledOutput:
    """Mixin for a Serializer whose output needs no request: `to_representation` runs precompiled steps."""

    def to_representation(self, instance):
        if not ENABLED or self.context or isinstance(instance, Mapping):
            return super().to_representation(instance)
        plan = _plans.get(type(self)) or _compile(type(self))
        _now.timezone = timezone.get_current_timezone()  # once per object, not once per date-time
        try:
            return plan(instance)
        except _UseDRF:
            return super().to_representation(instance)


def _compile(serializer_class):
    prototype = serializer_class()
    steps = tuple((field.field_name, *_step(field)) for field in prototype._readable_fields)

    def plan(instance):
        out = {}
        for name, read, convert in steps:
            value = read(instance)
            out[name] = None if value is None else convert(value)
        return out

    _plans[serializer_class] = plan
    return plan


def _step(field) -> tuple:
    """(read, convert) for one field."""
    if (
        isinstance(field, relations.PrimaryKeyRelatedField)
        and field.pk_field is None
        and field.use_pk_only_optimization()
        and len(field.source_attrs) == 1
    ):
        name = field.source_attrs[0]
        return (lambda instance: instance.serializable_value(name)), _itself  # the id, no object loaded
    return _reader(field), _converter(field)


def _reader(field):
    """How DRF's `Field.get_attribute` reads the value, for the common cases."""
    if field.source == "*":
        return _itself
    if len(field.source_attrs) != 1 or isinstance(field, relations.ManyRelatedField):
        return _generic_reader(field)
    name = field.source_attrs[0]

    def read(instance):
        try:
            value = getattr(instance, name)
        except ObjectDoesNotExist:
            return None
        except AttributeError:
            raise _UseDRF from None
        if isinstance(value, _CALLABLES):
            raise _UseDRF
        return value

    return read


def _generic_reader(field):
    def read(instance):
        try:
            value = field.get_attribute(instance)
        except serializers.SkipField:
            raise _UseDRF from None
        return value.pk if isinstance(value, relations.PKOnlyObject) and value.pk is None else value

    return read


def _itself(instance):
    return instance


def _converter(field):
    if isinstance(field, CompiledOutput):
        nested = type(field)
        return lambda value: (_plans.get(nested) or _compile(nested))(value)
    if isinstance(field, serializers.ListSerializer) and isinstance(field.child, CompiledOutput):
        child = type(field.child)

        def many(value):
            plan = _plans.get(child) or _compile(child)
            items = value.all() if isinstance(value, BaseManager) else value
            return [plan(item) for item in items]

        return many
    if type(field).to_representation is serializers.CharField.to_representation:
        return str
    if _plain_datetime(field):
        return _datetime_converter(field)
    if type(field).to_representation is serializers.IntegerField.to_representation:
        return int
    return field.to_representation


def _plain_datetime(field) -> bool:
    """A DateTimeField written as ISO 8601 in the current time zone (DRF's default)."""
    return (
        type(field).to_representation is serializers.DateTimeField.to_representation
        and type(field).enforce_timezone is serializers.DateTimeField.enforce_timezone
        and not hasattr(field, "timezone")
        and getattr(field, "format", api_settings.DATETIME_FORMAT) == ISO_8601
        and settings.USE_TZ
    )


def _datetime_converter(field):
    """DRF's `DateTimeField.to_representation` for aware date-times, with the time zone looked up once
    per object (`timezone.get_current_timezone` is a context-local lookup, slow when done per value)."""

    def convert(value):
        if not isinstance(value, datetime.datetime) or value.tzinfo is None:
            return field.to_representation(value)
        try:
            text = value.astimezone(_now.timezone).isoformat()
        except OverflowError:  # DRF reports it its own way
            return field.to_representation(value)
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return convert


# --- rows straight from the database, for long lists ------------------------------------------------------


class RowOutput:
    """The output of a CompiledOutput ModelSerializer built from `values_list` rows instead of model
    instances: building the objects (five per conversation with its joins) cost a list page more
    CPU than serializing them. Derived from the serializer's declared fields: its model's columns,
    nested CompiledOutput serializers of a relation (None when the relation's id is None), related ids,
    and model properties computed from the row's own columns (`computed`: name -> function of an object
    with the model's columns the serializer reads, and `pk`, as attributes). Anything else raises at
    construction, so a new kind of field cannot be skipped silently; tests/test_scale.py compares the
    output with DRF's."""

    def __init__(self, serializer_class, computed: dict | None = None):
        model = serializer_class.Meta.model
        self.columns: list[str] = []
        self.steps = self._steps(serializer_class(), model, "", computed or {})

    def _column(self, path: str) -> int:
        if path not in self.columns:
            self.columns.append(path)
        return self.columns.index(path)

    def _steps(self, serializer, model, prefix: str, computed: dict) -> list:
        concrete = {f.name: f for f in model._meta.concrete_fields}
        steps = []
        for field in serializer._readable_fields:
            name, source = field.field_name, field.source
            if isinstance(field, CompiledOutput) and source in concrete:
                related = concrete[source].related_model
                nested = self._steps(field, related, f"{prefix}{source}__", {})
                steps.append((name, "nested", (self._column(f"{prefix}{source}__pk"), nested)))
            elif isinstance(field, relations.PrimaryKeyRelatedField) and source in concrete:
                steps.append((name, "value", (self._column(f"{prefix}{source}"), _itself)))
            elif source in concrete or source == "pk":
                steps.append((name, "value", (self._column(f"{prefix}{source}"), _converter(field))))
            elif not prefix and name in computed:
                steps.append((name, "computed", (computed[name], _converter(field))))
            else:
                raise TypeError(f"{type(serializer).__name__}.{name}: no column to read it from.")
        if any(kind == "computed" for _, kind, _ in steps):
            self._column("pk")
        return steps

    def data(self, rows) -> list[dict]:
        _now.timezone = timezone.get_current_timezone()
        return [self._row(row, self.steps) for row in rows]

    def _own_columns(self, row) -> types.SimpleNamespace:
        """The row's values of the model's own columns, as attributes (`pk` among them)."""
        return types.SimpleNamespace(
            **{column: row[i] for i, column in enumerate(self.columns) if "__" not in column}
        )

    def _row(self, row, steps) -> dict:
        out = {}
        for name, kind, (where, convert) in steps:
            if kind == "nested":
                out[name] = None if row[where] is None else self._row(row, convert)
                continue
            if kind == "computed":
                value = where(self._own_columns(row))
            else:
                value = row[where]
            out[name] = None if value is None else convert(value)
        return out
