"""Django's SQLite backend with one change: a flush (`manage.py flush`, the test runner's flush) empties
the audit trail with the rest, without recording the deletions and past the event tables' protection.

A subclass of the built-in backend, the way Django's documentation describes ("Subclassing the built-in
database backends"); `config.settings.base` selects it whenever DATABASE_URL names SQLite. On
PostgreSQL a flush is a TRUNCATE, which row triggers ignore, so nothing is needed there.
"""

from django.db.backends.sqlite3 import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def execute_sql_flush(self, sql_list):
        from core import audit_sqlite  # the models' side: loaded after the backend

        with audit_sqlite.flushing():
            return super().execute_sql_flush(sql_list)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
