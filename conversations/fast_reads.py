"""Hand-written SQL for the two busiest reads of the API: the list of conversations and the detail.

Building and compiling the ORM's querysets of these two endpoints (the visibility conditions, the joins
of a page, the goals with their latest follow-up) costs Django several times the CPU PostgreSQL needs to
run them, and more than the rest of the request: with the querysets the list and the detail served
less than half the requests per second of the trivial endpoint (see the README's Performance). So
these reads, and only these, are plain SQL run through Django's cursor (`connection.cursor()`, public
API), written here once from the models' table and column names; objects are made with the documented
`Model.from_db`, and the list's output straight from the rows.
`conversations.notify.waiting` runs one more such statement (what waits on whom, for `me/waiting/` and the
leader's reports page) over `VISIBLE_IDS_SQL`, for the same reason.

Each function here has an ORM twin that the rest of the project uses, and tests/test_scale.py compares
them on the `seed_scale` organisation (leaders, employees, HR, deputies with running and expired
grants, every filter, every state and item kind, ids no row has): `visible_conversation_ids` with
`selectors.visible_conversation_ids`, `conversation_page` with `output.conversation_list` of
`selectors.conversations_in_order`, `conversation_access` with `permissions.conversation_access`,
`load_contract` with `selectors.load_contract`. The same SQL runs on SQLite and PostgreSQL.
"""

import datetime
import functools

from django.db import connection
from django.db.models import DateTimeField
from django.http import Http404
from django.utils import timezone

from conversations.access.permissions import VIEW, Access, require
from conversations.api.serializers.output import iso_date, iso_datetime
from conversations.models import ContractVersion, Conversation, Cycle
from core.ids import id_or_404
from goals.models import Expectation, Goal, Task
from organization.models import OrgUnit, User


def _columns(model, alias: str, skip: tuple[str, ...] = ()) -> str:
    """Every concrete column of `model`, in `_meta` order (as `_Loader` reads them)."""
    return ", ".join(f'{alias}."{f.column}"' for f in model._meta.concrete_fields if f.name not in skip)


def _aware(value):
    """Date-times as Django reads them: aware (SQLite stores them naive, in UTC)."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)
    return value


class _Loader:
    """Model instances (`Model.from_db`) from a slice of a row holding `model`'s concrete columns."""

    def __init__(self, model, skip: tuple[str, ...] = ()):
        self.model = model
        fields = [f for f in model._meta.concrete_fields if f.name not in skip]
        self.names = [f.attname for f in fields]
        self.datetimes = [i for i, f in enumerate(fields) if isinstance(f, DateTimeField)]
        self.width = len(fields)

    def load(self, row, start: int = 0):
        values = list(row[start : start + self.width])
        if values[0] is None:  # the id: no row on that side of an outer join
            return None
        for i in self.datetimes:
            values[i] = _aware(values[i])
        return self.model.from_db(connection.alias, self.names, values)


# --- the list -------------------------------------------------------------------------------------------


# `models.visible_conditions` for one user and day: a view right, held as a party (employee, leader, the
# employee's current manager) or through a deputy grant active that day to a deputy who leads now
# (`DeputyGrant.objects.active`, `organization.selectors.leaders`).
VISIBLE_IDS_SQL = """
SELECT c."id" FROM "conversations_conversation" c
INNER JOIN "organization_user" e ON e."id" = c."employee_id"
WHERE c."id" IN (
    SELECT r."content_object_id" FROM "conversations_conversationuserobjectpermission" r
    INNER JOIN "auth_permission" p ON p."id" = r."permission_id"
    WHERE r."user_id" = %(user)s AND p."codename" = %(view)s
) AND (
    c."employee_id" = %(user)s OR c."leader_id" = %(user)s OR e."manager_id" = %(user)s
    OR EXISTS (
        SELECT 1 FROM "conversations_deputygrant" d
        WHERE d."deputy_id" = %(user)s AND d."ended_at" IS NULL AND d."until" >= %(today)s
        AND (d."conversation_id" = c."id" OR (d."conversation_id" IS NULL AND d."leader_id" = c."leader_id"))
        AND EXISTS (
            SELECT 1 FROM "organization_user" u WHERE u."id" = d."deputy_id" AND u."is_active" AND (
                u."is_leader" OR EXISTS (
                    SELECT 1 FROM "organization_user" r WHERE r."manager_id" = u."id" AND r."is_active"
                )
            )
        )
    )
)"""
LIST_FILTERS = {
    "status": ' AND c."status" = %(status)s',
    "cycle": ' AND c."cycle_id" = %(cycle)s',
    "employee": ' AND c."employee_id" = %(employee)s',
}
LIST_ORDER = ' ORDER BY c."created_at" DESC, c."id" DESC'


def visible_conversation_ids(
    *, user, status: str | None = None, cycle: int | None = None, employee: int | None = None
) -> list[int]:
    """`selectors.visible_conversation_ids`: the ids of the conversations `user` may see, newest first."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    params = {"user": user.pk, "view": VIEW, "today": timezone.localdate()}
    given = {"status": status or None, "cycle": cycle, "employee": employee}
    params.update({name: value for name, value in given.items() if value is not None})
    sql = VISIBLE_IDS_SQL + "".join(LIST_FILTERS[name] for name in given if name in params) + LIST_ORDER
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [pk for (pk,) in cursor.fetchall()]


PAGE_SQL = """
SELECT c."id", c."status", e."id", e."employee_id", e."full_name", l."id", l."employee_id", l."full_name",
    cy."id", cy."name", cy."starts_on", cy."deadline", cy."check_in_days", cy."template_id",
    u."id", u."name", u."path", c."scheduled_at", c."held_on", c."first_submitted_at", c."confirmed_at",
    c."closed_at", c."revision", c."created_at", c."updated_at"
FROM "conversations_conversation" c
INNER JOIN "organization_user" e ON e."id" = c."employee_id"
INNER JOIN "organization_user" l ON l."id" = c."leader_id"
LEFT OUTER JOIN "conversations_cycle" cy ON cy."id" = c."cycle_id"
LEFT OUTER JOIN "organization_orgunit" u ON u."id" = c."unit_id"
WHERE c."id" IN ({ids})"""


def conversation_page(ids: list[int]) -> list[dict]:
    """`output.conversation_list(selectors.conversations_in_order(ids))`: a list page's JSON, in the
    order of `ids`, from one query and without model instances."""
    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(PAGE_SQL.format(ids=", ".join(["%s"] * len(ids))), list(ids))
        rows = {row[0]: row for row in cursor.fetchall()}
    tz = timezone.get_current_timezone()
    return [_page_item(rows[pk], tz) for pk in ids if pk in rows]


def _page_item(row, tz) -> dict:
    (pk, status, e_id, e_number, e_name, l_id, l_number, l_name) = row[:8]
    (cy_id, cy_name, cy_starts, cy_deadline, cy_days, cy_template, u_id, u_name, u_path) = row[8:17]
    (scheduled_at, held_on, first_submitted_at, confirmed_at, closed_at, revision) = row[17:23]
    created_at, updated_at = row[23:25]
    return {
        "id": pk,
        "status": status,
        "employee": {"id": e_id, "employee_id": e_number, "full_name": e_name},
        "leader": {"id": l_id, "employee_id": l_number, "full_name": l_name},
        "cycle": None
        if cy_id is None
        else {
            "id": cy_id,
            "name": cy_name,
            "starts_on": iso_date(cy_starts),
            "deadline": iso_date(cy_deadline),
            "check_in_days": cy_days,
            "template": cy_template,
        },
        "unit": None if u_id is None else {"id": u_id, "name": u_name, "path": u_path},
        "scheduled_at": iso_datetime(_aware(scheduled_at), tz),
        "held_on": iso_date(held_on),
        "first_submitted_at": iso_datetime(_aware(first_submitted_at), tz),
        "confirmed_at": iso_datetime(_aware(confirmed_at), tz),
        "closed_at": iso_datetime(_aware(closed_at), tz),
        "revision": revision,
        "etag": f'"c{pk}-{revision}"',  # Conversation.etag
        "created_at": iso_datetime(_aware(created_at), tz),
        "updated_at": iso_datetime(_aware(updated_at), tz),
    }


# --- the detail -----------------------------------------------------------------------------------------


@functools.cache
def _loaders() -> dict[str, _Loader]:
    return {
        "conversation": _Loader(Conversation),
        "user": _Loader(User),
        "cycle": _Loader(Cycle),
        "unit": _Loader(OrgUnit),
        "task": _Loader(Task),
        "goal": _Loader(Goal),
        "expectation": _Loader(Expectation),
        "version": _Loader(ContractVersion, skip=("canonical_json",)),
    }


@functools.cache
def _conversation_sql() -> str:
    columns = ", ".join(
        _columns(model, alias)
        for model, alias in ((Conversation, "c"), (User, "e"), (User, "l"), (Cycle, "cy"), (OrgUnit, "u"))
    )
    return f"""
SELECT {columns} FROM "conversations_conversation" c
INNER JOIN "organization_user" e ON e."id" = c."employee_id"
INNER JOIN "organization_user" l ON l."id" = c."leader_id"
LEFT OUTER JOIN "conversations_cycle" cy ON cy."id" = c."cycle_id"
LEFT OUTER JOIN "organization_orgunit" u ON u."id" = c."unit_id"
WHERE c."id" = %s"""  # noqa: S608 - column names from the models, the id a parameter


RIGHTS_SQL = """
SELECT r."user_id", p."codename" FROM "conversations_conversationuserobjectpermission" r
INNER JOIN "auth_permission" p ON p."id" = r."permission_id"
WHERE r."content_object_id" = %s"""


def conversation_access(user, pk) -> Access:
    """`permissions.conversation_access(user, pk, related=selectors.PERSON_FIELDS)` for a read (VIEW):
    the conversation with its employee, leader, cycle and unit, and the rights held on it; 404 when
    missing or hidden."""
    pk = id_or_404(pk)
    loaders = _loaders()
    with connection.cursor() as cursor:
        cursor.execute(_conversation_sql(), [pk])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    conversation = loaders["conversation"].load(row)
    start = loaders["conversation"].width
    for name, loader in (("employee", "user"), ("leader", "user"), ("cycle", "cycle"), ("unit", "unit")):
        setattr(conversation, name, loaders[loader].load(row, start))
        start += loaders[loader].width
    with connection.cursor() as cursor:
        cursor.execute(RIGHTS_SQL, [pk])
        held: dict[int, set[str]] = {}
        for user_id, codename in cursor.fetchall():
            held.setdefault(user_id, set()).add(codename)
    holders = {user_id: frozenset(codenames) for user_id, codenames in held.items()}
    return Access(conversation, require(user, conversation, VIEW, holders), holders)


@functools.cache
def _contract_sql() -> dict[str, str]:
    """The four reads of `selectors.load_contract` (`contract_prefetches` for one conversation)."""
    latest = (
        '(SELECT f."{column}" FROM "conversations_followup" f WHERE f."goal_id" = i."id" AND {condition} '
        'ORDER BY f."created_at" DESC, f."id" DESC LIMIT 1)'
    )
    status = latest.format(column="item_status", condition="NOT (f.\"item_status\" = '')")
    progress = latest.format(column="progress", condition='f."progress" IS NOT NULL')
    items = 'SELECT {columns} FROM "{table}" i WHERE i."conversation_id" = %s ORDER BY i."order", i."id"'
    version_columns = _columns(ContractVersion, "v", skip=("canonical_json",))
    return {
        "task": items.format(columns=_columns(Task, "i"), table="goals_task"),
        "goal": items.format(columns=f"{_columns(Goal, 'i')}, {status}, {progress}", table="goals_goal"),
        "expectation": items.format(columns=_columns(Expectation, "i"), table="goals_expectation"),
        "version": (
            f'SELECT {version_columns}, k."confirmed_at" FROM "conversations_contractversion" v '  # noqa: S608
            'LEFT OUTER JOIN "conversations_confirmation" k ON k."version_id" = v."id" '
            'WHERE v."conversation_id" = %s ORDER BY v."number"'
        ),
    }


def load_contract(conversation: Conversation) -> None:
    """`selectors.load_contract`: the conversation's tasks, goals (with `latest_status` and
    `latest_progress`), expectations and version summaries (with `confirmed_at`), in four queries."""
    loaders, sql = _loaders(), _contract_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql["task"], [conversation.pk])
        conversation.task_list = [loaders["task"].load(row) for row in cursor.fetchall()]
        cursor.execute(sql["goal"], [conversation.pk])
        goals = []
        for row in cursor.fetchall():
            goal = loaders["goal"].load(row)
            goal.latest_status, goal.latest_progress = row[loaders["goal"].width :]
            goals.append(goal)
        conversation.goal_list = goals
        cursor.execute(sql["expectation"], [conversation.pk])
        conversation.expectation_list = [loaders["expectation"].load(row) for row in cursor.fetchall()]
        cursor.execute(sql["version"], [conversation.pk])
        versions = []
        for row in cursor.fetchall():
            version = loaders["version"].load(row)
            version.confirmed_at = _aware(row[loaders["version"].width])
            versions.append(version)
        conversation.version_list = versions
