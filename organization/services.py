"""Writes on people and org units: the organisation import."""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import groupby

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.utils import timezone

from core.db import in_chunks
from organization import importer, selectors
from organization.changes import ManagerChange
from organization.importer import ImportPlan, ImportSummary, OrgFileRefused, OrgRow, Person, StoredPerson
from organization.models import PATH_SEPARATOR, OrgUnit, User
from organization.signals import people_left

BATCH_SIZE = 1000
REWRITTEN_FIELDS = ["full_name", "email", "unit", "manager", "is_leader", "is_hr", "is_active", "left_on"]


@dataclass(frozen=True)
class ImportResult:
    """What an import did: the counts, and the manager changes it saved, in the file's order, for the
    caller to hand to the conversations (`conversations.services.manager_changes_applied`)."""

    summary: ImportSummary
    manager_changes: tuple[ManagerChange, ...] = ()


@transaction.atomic
def org_import_apply(
    *, rows: list[OrgRow], dry_run: bool = False, allow_mass_leave: bool = False
) -> ImportResult:
    """Make the people and units match a checked organisation file (`importer.read_org_file`).

    Creates missing units and people (new people get an unusable password: they log in through SSO),
    rewrites those whose data changed, marks active people missing from the file as left today (never
    superusers) and brings back those who return. Returns the counts and each stored person whose
    manager changed (`ManagerChange`): the caller hands them over to the conversations in the same
    transaction, so the former manager loses access at once. One transaction; queries grow with the
    number of batches, not rows. With `dry_run` nothing is written and no change is returned.

    Raises `importer.MassLeaveRefused` (dry run or not, before any write) when more than
    `SAMTALE_IMPORT_MAX_LEAVE_SHARE` of the active people would be marked as left, unless
    `allow_mass_leave`: a partial export must not switch off most of the organisation.
    """
    unit_ids = selectors.unit_ids_by_path()
    stored = selectors.stored_people()
    plan = importer.plan_import(rows, stored, unit_ids)
    max_share = settings.SAMTALE_IMPORT_MAX_LEAVE_SHARE
    if not allow_mass_leave and plan.summary.leaves_too_many(max_share):
        raise importer.MassLeaveRefused(plan.summary, max_share)
    if dry_run:
        return ImportResult(plan.summary)
    changes = _write(plan, unit_ids, user_ids={person.employee_id: person.pk for person in stored})
    return ImportResult(plan.summary, changes)


@dataclass(frozen=True)
class Provisioned:
    """One person as provisioning left them, and their manager change if any, for the caller to hand
    to the conversations (`conversations.services.manager_changes_applied`) in the same transaction."""

    user: User
    manager_changes: tuple[ManagerChange, ...] = ()


@transaction.atomic
def person_provision(*, row: OrgRow) -> Provisioned:
    """Create or change one person as the identity provider's provisioning (SCIM) describes them, under
    the import's rules: the same checks of the person (`importer.row_from_values`) and of the reporting
    lines, now across the whole stored organisation (the manager must be an active person, no cycle),
    and the same writes (units created, the person upserted, a returning person active again, the
    manager change returned for the conversations' hand-over). Someone with active reports stays a
    leader, and whoever becomes a manager is made one, as the import does for everyone managing someone
    in the file.

    Raises `importer.OrgFileRefused` with the problems, and changes nothing, when the person cannot be
    taken as they are."""
    others = selectors.reporting_lines(exclude=row.employee_id)
    problems = importer.check_rows([row], others=others)
    if problems:
        raise OrgFileRefused(problems)
    stored = selectors.stored_people(employee_ids=[row.employee_id])
    former_manager = stored[0].manager_id if stored else None
    if stored and selectors.has_active_reports(stored[0].pk):
        row = replace(row, roles=row.roles | {"leader"})
    unit_ids = selectors.unit_ids_by_path()
    plan = importer.plan_import([row], stored, unit_ids)
    wanted = [row.employee_id, *(i for i in (row.manager_id, former_manager) if i)]
    user_ids = selectors.user_ids_by_employee_id(employee_ids=wanted)
    changes = _write(plan, unit_ids, user_ids)
    if row.manager_id:
        User.objects.filter(employee_id=row.manager_id, is_leader=False).update(is_leader=True)
    return Provisioned(User.objects.get(employee_id=row.employee_id), changes)


@transaction.atomic
def person_mark_left(*, user: User) -> None:
    """Mark one person as having left today, as the import does for everyone missing from its file
    (never deleted; their tokens and sessions end at once, see `signals.people_left`). Superusers are
    never marked as left. Nothing happens to someone who has left already."""
    if user.is_superuser or not user.is_active:
        return
    stored = selectors.stored_people(employee_ids=[user.employee_id])
    _mark_left(stored)
    user.refresh_from_db(fields=["is_active", "left_on"])


def _write(plan: ImportPlan, unit_ids: dict[str, int], user_ids: dict[str, int]) -> tuple[ManagerChange, ...]:
    _create_units(plan.new_units, unit_ids)
    for people in importer.write_order([*plan.create, *plan.rewrite], known=user_ids.keys()):
        _save_people(people, unit_ids, user_ids)
    _mark_left(plan.leaving)
    return tuple(
        ManagerChange(employee_pk=user_ids[employee_id], former_manager_pk=user_ids.get(former))
        for employee_id, former in plan.manager_changes.items()
    )


def _create_units(paths: tuple[str, ...], unit_ids: dict[str, int]) -> None:
    """Create `paths` (parents before children) and add their ids to `unit_ids`."""
    for depth, group in groupby(paths, key=lambda path: path.count(PATH_SEPARATOR)):
        OrgUnit.objects.bulk_create(
            (_new_unit(path, depth, unit_ids) for path in group), batch_size=BATCH_SIZE
        )
        unit_ids.update(selectors.unit_ids_by_path())


def _new_unit(path: str, depth: int, unit_ids: dict[str, int]) -> OrgUnit:
    parent_path, _, name = path.rpartition(PATH_SEPARATOR)
    return OrgUnit(name=name, parent_id=unit_ids.get(parent_path), path=path, depth=depth)


def _save_people(people: list[Person], unit_ids: dict[str, int], user_ids: dict[str, int]) -> None:
    """Insert or rewrite `people`, whose managers' ids are all known, and add their ids to `user_ids`.

    An upsert on employee_id, because Django's bulk_update builds one CASE per field and object and is
    many times slower. The password only counts for new people: it is not among the updated fields.
    """
    users = [_user(person, unit_ids, user_ids) for person in people]
    User.objects.bulk_create(
        users,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["employee_id"],
        update_fields=REWRITTEN_FIELDS,
    )
    if any(user.pk is None for user in users):  # a backend that returns no ids from an upsert
        user_ids.update(selectors.user_ids_by_employee_id())
    else:
        user_ids.update((user.employee_id, user.pk) for user in users)


def _user(person: Person, unit_ids: dict[str, int], user_ids: dict[str, int]) -> User:
    return User(
        employee_id=person.employee_id,
        full_name=person.full_name,
        email=person.email,
        unit_id=unit_ids[person.unit],
        manager_id=user_ids[person.manager_id] if person.manager_id else None,
        is_leader=person.is_leader,
        is_hr=person.is_hr,
        is_active=True,
        left_on=None,
        # What make_password(None) gives (an unusable password), without its slow per-character draw.
        password=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30),
    )


def _mark_left(people: Iterable[StoredPerson]) -> None:
    today = timezone.localdate()
    for pks in in_chunks(person.pk for person in people):
        User.objects.filter(pk__in=pks).update(is_active=False, left_on=today)
        people_left.send(sender=User, user_ids=pks)


def person_language_set(*, user: User, language: str) -> bool:
    """Remember `language` (one of settings.LANGUAGES) as the person's choice, for the pages after they
    sign in, their e-mail and their PDFs. False, and nothing saved, for a language Samtale lacks."""
    if language not in dict(settings.LANGUAGES):
        return False
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return True
