from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        from django.urls import register_converter

        from core import audit_sqlite
        from core.ids import IdConverter

        # `<id:pk>` in every URL that carries a row's id (before any URLconf is loaded).
        register_converter(IdConverter, "id")

        # The audit trail on SQLite: its SQL functions on every connection, its triggers after migrate.
        connection_created.connect(audit_sqlite.register_functions, dispatch_uid="audit-functions")
        post_migrate.connect(audit_sqlite.install_triggers, sender=self, dispatch_uid="audit-triggers")
