"""`python manage.py seed_scale --employees 50000 --cycles 2`: the reference organisation, for benchmarks.

Builds the organisation and its conversations described in `demo.scale_data` (50,000 people, 5,000
leaders over four levels of units, a cycle per year with conversations in every state, their items,
versions, follow-ups and rights) and prints a few logins. Rows are written in bulk, never through the
services: COPY on PostgreSQL, executemany elsewhere, one transaction per chunk of people, with explicit
ids (the sequences are set afterwards). The rows are consistent by construction (the tests check every
foreign key on a small organisation), so on PostgreSQL, when the database user is a superuser, each
chunk is written with `session_replication_role = replica`, which skips the deferred foreign-key
checks that would otherwise take as long as the writing itself (`--check-foreign-keys` keeps them).
On PostgreSQL the tables are vacuumed and analysed at the end, so the planner sees the real sizes.

Re-runnable: the database belongs to the command. Existing scale data (the unit "Skala kommune") is
wiped (TRUNCATE on PostgreSQL) and built again; any other people or conversations make the command
refuse unless `--reset` is given, which wipes them too. Never run it against a database you care about.
"""

import json
import time

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from tqdm import tqdm

from conversations.access.permissions import ALL_PERMS
from conversations.models import Conversation, Status
from core.audit import audited_command
from demo.scale_data import FIELDS, SCALE_PASSWORD, TOP_UNIT, ScalePlan
from organization.models import OrgUnit, User

WIPED_APPS = ("organization", "conversations", "goals")
ALSO_WIPED = (
    "authtoken.Token",
    "admin.LogEntry",
    "guardian.UserObjectPermission",
    "guardian.GroupObjectPermission",
)


class TableWriter:
    """Writes rows of plain values (in the field order of `FIELDS`) into their tables."""

    def __init__(self, *, skip_fk_checks: bool = False):
        self.layouts = {}
        self.written = {}
        self.skip_fk_checks = skip_fk_checks and connection.vendor == "postgresql" and is_superuser()

    def layout(self, label: str):
        if label not in self.layouts:
            model = apps.get_model(label)
            given = [model._meta.get_field(name) for name in FIELDS[label]]
            rest = [f for f in model._meta.concrete_fields if f not in given]
            for f in rest:
                if not (f.has_default() or f.null):
                    raise CommandError(f"{label}.{f.name} has no default: add it to demo.scale_data.FIELDS")
            fields = given + rest
            self.layouts[label] = (model, fields, tuple(f.get_default() for f in rest))
        return self.layouts[label]

    def write(self, rows) -> int:
        """Write a chunk; call inside a transaction."""
        if self.skip_fk_checks:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        for label, table_rows in rows.tables.items():
            if table_rows:
                self._write(label, table_rows)
                self.written[label] = self.written.get(label, 0) + len(table_rows)
        return rows.count()

    def _write(self, label: str, rows: list) -> None:
        model, fields, defaults = self.layout(label)
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        table = quote(model._meta.db_table)
        json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        row = row + defaults
                        if json_at:
                            row = tuple(json.dumps(v) if i in json_at else v for i, v in enumerate(row))
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(fields))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608 - names from models
                    [
                        [
                            f.get_db_prep_save(v, connection)
                            for f, v in zip(fields, row + defaults, strict=True)
                        ]
                        for row in rows
                    ],
                )

    def finish(self) -> None:
        """Move the id sequences past the explicit ids, then let the planner see the new sizes."""
        written = [apps.get_model(label) for label in self.written]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), written):
                cursor.execute(sql)
            if connection.vendor == "postgresql":
                verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
                for model in written:
                    cursor.execute(f"{verb} {connection.ops.quote_name(model._meta.db_table)}")
            else:
                cursor.execute("ANALYZE")


def is_superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return bool(cursor.fetchone()[0])


def wipe() -> None:
    """Empty every table of people, units and conversations (and what refers to people)."""
    tables = set()
    for app in WIPED_APPS:
        for model in apps.get_app_config(app).get_models(include_auto_created=True):
            tables.add(model._meta.db_table)
    for label in ALSO_WIPED:
        tables.add(apps.get_model(label)._meta.db_table)
    sql = connection.ops.sql_flush(no_style(), sorted(tables), reset_sequences=True, allow_cascade=True)
    connection.ops.execute_sql_flush(sql)


def existing_data() -> str:
    """ "scale" when the database holds scale data, "other" when it holds anything else, else ""."""
    if OrgUnit.objects.filter(path=TOP_UNIT).exists():
        return "scale"
    if User.objects.exists() or Conversation.objects.exists() or OrgUnit.objects.exists():
        return "other"
    return ""


def permission_ids() -> dict[str, int]:
    content_type = ContentType.objects.get_for_model(Conversation)
    ids = dict(
        Permission.objects.filter(content_type=content_type, codename__in=ALL_PERMS).values_list(
            "codename", "id"
        )
    )
    if len(ids) != len(ALL_PERMS):
        raise CommandError("The conversation permissions are missing: run `manage.py migrate` first.")
    return ids


class Command(BaseCommand):
    help = "Build the reference organisation (people, units, cycles, conversations) in bulk; print logins."

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=50_000, help="people in all, leaders included")
        parser.add_argument("--cycles", type=int, default=2, help="yearly cycles, the current one last")
        parser.add_argument(
            "--seed", type=int, default=2027, help="random seed: the same seed, the same data"
        )
        parser.add_argument("--chunk", type=int, default=5_000, help="people per transaction")
        parser.add_argument(
            "--reset", action="store_true", help="wipe other data first (never in production)"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--check-foreign-keys",
            action="store_true",
            help="let PostgreSQL check every foreign key (slower; skipped by default when we are superuser)",
        )

    @audited_command
    def handle(self, *args, employees, cycles, seed, chunk, reset, no_progress, **options):
        if employees < 50 or cycles < 1:
            raise CommandError("Use at least 50 employees and one cycle.")
        found = existing_data()
        if found == "other" and not reset:
            raise CommandError(
                "The database holds people or conversations that seed_scale did not make. "
                "Use a throwaway database, or --reset to wipe them."
            )
        started = time.perf_counter()
        plan = ScalePlan(
            people=employees, cycles=cycles, seed=seed, now=timezone.now(), permission_ids=permission_ids()
        )
        writer = TableWriter(skip_fk_checks=not options["check_foreign_keys"])
        with transaction.atomic():
            if found:
                wipe()
            writer.write(plan.organisation(make_password(SCALE_PASSWORD)))
        with_manager = sum(1 for p in plan.people if p.manager_id is not None)
        show = not no_progress and options["verbosity"] > 0
        with tqdm(total=with_manager * cycles, unit="people", desc="conversations", disable=not show) as bar:
            for done, rows in plan.conversation_chunks(chunk):
                with transaction.atomic():
                    writer.write(rows)
                bar.update(done)
        writer.finish()
        if options["verbosity"] > 0:
            self.report(writer, time.perf_counter() - started)

    def report(self, writer: TableWriter, seconds: float) -> None:
        counts = ", ".join(f"{n:,} {label.split('.')[1]}" for label, n in writer.written.items() if n > 100)
        self.stdout.write(self.style.SUCCESS(f"Seeded in {seconds:.0f} s: {counts}."))
        self.stdout.write(f"Logins (password {SCALE_PASSWORD!r}):")
        for role, user in logins().items():
            self.stdout.write(f"  {role:<9} {user.employee_id}  {user.full_name} ({user.unit.path})")


def logins() -> dict[str, User]:
    """A leader with a full team, an employee with a confirmed contract, and an HR adviser."""
    leader = (
        User.objects.filter(is_leader=True, unit__depth=3, is_active=True)
        .annotate(team=models.Count("reports"))
        .filter(team__gte=5)
        .order_by("id")
        .first()
    )
    employee = (
        User.objects.filter(
            is_leader=False, is_hr=False, conversations__status=Status.CONFIRMED, is_active=True
        )
        .order_by("id")
        .first()
    )
    hr = User.objects.filter(is_hr=True).order_by("id").first()
    found = {"leader": leader, "employee": employee, "hr": hr}
    return {role: User.objects.select_related("unit").get(pk=u.pk) for role, u in found.items() if u}
