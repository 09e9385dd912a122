"""Querysets of the hot paths compiled to SQL once per process, then run with the request's values.

Building a queryset and compiling it (joins, select lists, converters) costs Django more CPU than
PostgreSQL needs to run a lookup by primary key; on a detail request that was a third of the time.
`CompiledQuery(build)` calls `build(*stand_ins)` once per database vendor and kinds of arguments,
keeps the SQL Django compiled and what its iterable needs to turn rows into objects, and afterwards
runs that SQL with the real values in place of the stand-ins: the same SQL, the same objects
(`select_related` relations and annotations included), only without building them again.

`build` must return a queryset whose SQL depends on its arguments only as parameters (no branching on
their values, nothing computed at build time such as "today") and its arguments must be integers or
strings or dates. Results go through the converters Django would apply. tests/test_scale.py compares the
objects with the ORM's.
"""

import datetime

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.postgresql.psycopg_any import is_psycopg3
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.db.models.sql import InsertQuery
from django.db.transaction import TransactionManagementError

_INT_STAND_IN = -(2**62)  # no row has such an id


if is_psycopg3:
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID, ServerBindingCursor
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    class _PreparedStatementCursor(ServerBindingCursor):
        """Server-side parameters, each statement prepared on first use when the connection prepares
        at all (`prepare_threshold` in the database OPTIONS, production settings): PostgreSQL then
        plans a statement once per connection instead of on every run (planning the list's
        visibility conditions takes it longer than running them)."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)


def _db():
    """The default database's connection of this thread (`django.db.connection` without the proxy's
    lookup on every attribute)."""
    return connections[DEFAULT_DB_ALIAS]


def _cursor(db):
    """Django's cursor (its wrappers and query log); on PostgreSQL with psycopg 3 one that prepares its
    statements. Only for the SELECTs compiled here: Django's other SQL keeps client-side binding."""
    if db.vendor != "postgresql" or not is_psycopg3:
        return db.cursor()
    # What `BaseDatabaseWrapper.cursor` does, with our cursor class.
    db.close_if_health_check_failed()
    db.ensure_connection()
    with db.wrap_database_errors:
        prepared = _PreparedStatementCursor(db.connection)
        # As Django's `create_cursor`: the time zone of date-times read, when the connection's differs.
        loader = db.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
        if db.timezone != loader.timezone:
            register_tzloader(db.timezone, prepared)
        return db._prepare_cursor(prepared)


def _stand_in(position: int, value):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return datetime.date(1, 1, 1) + datetime.timedelta(days=position)  # no day in our data
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"Compiled queries take integers, strings and dates, not {type(value).__name__}.")
    if isinstance(value, int):
        return _INT_STAND_IN + position
    return f"\x1fcompiled-argument-{position}\x1f"


def _as_parameter(value, db):
    """A value in the form Django passes it to the database (SQLite's dates are text)."""
    if isinstance(value, datetime.date):
        return db.ops.adapt_datefield_value(value)
    return value


class _Plan:
    """The SQL of one compiled queryset and how to turn its rows into results."""

    def __init__(self, queryset, stand_ins: list, db):
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.slots = [_slot(p, [_as_parameter(s, db) for s in stand_ins]) for p in self.params]
        if set(range(len(stand_ins))) - {s for s in self.slots if s is not None}:
            raise ValueError("Every argument of a compiled query must end up as a parameter of its SQL.")
        self.for_update = queryset.query.select_for_update
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        self.converters = list(compiler.get_converters(fields).items())
        self.objects = queryset._iterable_class is ModelIterable
        if not self.objects and queryset._iterable_class is not ValuesListIterable:
            raise TypeError("Compiled queries return model instances or values_list() tuples.")
        if self.objects:
            self._prepare_objects(queryset, compiler)

    def _prepare_objects(self, queryset, compiler) -> None:
        """What `ModelIterable` works out per query, once."""
        klass_info, select = compiler.klass_info, compiler.select
        self.db = queryset.db
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, self.db)
        self.annotations = list((compiler.annotation_col_map or {}).items())

    def run(self, args, db) -> list:
        if self.for_update and db.get_autocommit():
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        args = [_as_parameter(value, db) for value in args]
        params = [p if s is None else args[s] for p, s in zip(self.params, self.slots, strict=True)]
        with _cursor(db) as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = [self._convert(row, db) for row in rows]
        if not self.objects:
            return [tuple(row) for row in rows]
        return [self._object(row) for row in rows]

    def _convert(self, row, db) -> list:
        row = list(row)
        for position, (converters, expression) in self.converters:
            value = row[position]
            for converter in converters:
                value = converter(value, expression, db)
            row[position] = value
        return row

    def _object(self, row):
        obj = self.model.from_db(self.db, self.init_list, row[self.start : self.end])
        for populator in self.populators:
            populator.populate(row, obj)
        for name, position in self.annotations:
            setattr(obj, name, row[position])
        return obj


def _slot(param, stand_ins: list) -> int | None:
    for position, stand_in in enumerate(stand_ins):
        if type(param) is type(stand_in) and param == stand_in:
            return position
    return None


class CompiledQuery:
    """A queryset built by `build(*args)`, compiled once per vendor and number and types of arguments."""

    def __init__(self, build):
        self.build = build
        self._plans: dict = {}

    def _plan(self, args: tuple, db) -> _Plan:
        key = (db.vendor, db.alias, *map(type, args))
        plan = self._plans.get(key)
        if plan is None:
            stand_ins = [_stand_in(i, value) for i, value in enumerate(args)]
            plan = self._plans[key] = _Plan(self.build(*stand_ins), stand_ins, db)
        return plan

    def __call__(self, *args) -> list:
        """The results: model instances, or tuples for a values_list() queryset."""
        db = _db()
        return self._plan(args, db).run(args, db)


class CompiledInsert:
    """An INSERT of one row of `model` with the columns `fields` (attribute names), its SQL compiled
    once per vendor. Values are prepared as `Model.save` prepares them (`get_db_prep_save`); nothing
    else of `save` happens: no defaults (give every value), no signals, no id read back. For append-only
    log rows written on reads."""

    def __init__(self, model, fields: tuple[str, ...]):
        self.model = model
        self.fields = [model._meta.get_field(name) for name in fields]
        self._sql: dict = {}

    def _compiled(self, values: dict, db) -> str:
        key = (db.vendor, db.alias)
        if key not in self._sql:
            query = InsertQuery(self.model)
            query.insert_values(self.fields, [self.model(**values)])
            ((sql, _params),) = query.get_compiler(connection=db).as_sql()
            self._sql[key] = sql
        return self._sql[key]

    def __call__(self, **values) -> None:
        if set(values) != {field.attname for field in self.fields}:
            raise TypeError(f"Give exactly these values: {sorted(f.attname for f in self.fields)}.")
        db = _db()
        sql = self._compiled(values, db)
        params = [field.get_db_prep_save(values[field.attname], db) for field in self.fields]
        # Django's own cursor, not a preparing one: the audit trail (pghistory) puts its context
        # statement in front of every write, and a prepared statement holds only one.
        with db.cursor() as cursor:
            cursor.execute(sql, params)
