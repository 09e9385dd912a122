"""Helpers for the statistics tests: an exact disclosure checker and hand-built organisations.

The checker plays the attacker of `reports.suppression`: it sees every visible figure, knows which atoms
(category counts of one unit's direct members) are empty, and may combine figures linearly. A linear
combination of atoms is determined exactly when it is orthogonal to the kernel of the system, so each
unknown atom gets a signature (its coordinates in a kernel basis) and a set of atoms is determined when
its signatures sum to zero.
"""

import datetime
import itertools
import random

from django.utils import timezone

from conversations.models import Comment, Confirmation, ContractVersion, Conversation, FollowUp, Status
from goals.models import Goal
from reports import statistics_queries
from tests import factories

PRIME = (1 << 61) - 1


def kernel_weights(rows: list[dict], variables: list) -> dict:
    """For each variable, a random combination of its entries in a basis of the kernel of `rows`
    (dicts variable -> coefficient), modulo a large prime. A set of variables is determined by the
    rows exactly when its weights sum to 0 (a false alarm has probability about 2**-61)."""
    index = {v: i for i, v in enumerate(variables)}
    matrix = [[0] * len(variables) for _ in rows]
    for r, row in enumerate(rows):
        for var, coef in row.items():
            matrix[r][index[var]] = (matrix[r][index[var]] + coef) % PRIME
    pivots, rank = [], 0
    for col in range(len(variables)):
        pivot = next((i for i in range(rank, len(matrix)) if matrix[i][col]), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        inverse = pow(matrix[rank][col], PRIME - 2, PRIME)
        matrix[rank] = [x * inverse % PRIME for x in matrix[rank]]
        for i in range(len(matrix)):
            if i != rank and matrix[i][col]:
                factor = matrix[i][col]
                matrix[i] = [(a - factor * b) % PRIME for a, b in zip(matrix[i], matrix[rank], strict=True)]
        pivots.append(col)
        rank += 1
    rng = random.Random(20270101)  # noqa: S311 - a fixed, reproducible projection, not a secret
    weights = [0] * len(variables)
    pivot_set = set(pivots)
    for f in (c for c in range(len(variables)) if c not in pivot_set):
        r = rng.randrange(1, PRIME)
        weights[f] = (weights[f] + r) % PRIME
        for row, p in enumerate(pivots):
            weights[p] = (weights[p] - r * matrix[row][f]) % PRIME
    return {v: weights[index[v]] for v in variables}


def is_determined(atoms, weights) -> bool:
    return sum(weights[a] for a in atoms) % PRIME == 0


def small_groups(values: dict, k: int):
    """Every set of non-empty atoms whose total is 1..k-1 (atoms are positive, so at most k-1 atoms)."""
    small = [a for a, v in values.items() if 0 < v < k]
    for size in range(1, k):
        for combo in itertools.combinations(small, size):
            if sum(values[a] for a in combo) < k:
                yield combo


# --- hand-built organisations ------------------------------------------------------------------------


def figures(result, name):
    """The current cycle's figures of the group named `name` in a statistics result."""
    return next(g for g in result["groups"] if g["unit"]["name"] == name)["current"]


def unit(name, parent=None):
    return factories.OrgUnitFactory(name=name, parent=parent)


def people(n, unit, *, manager=None):
    """n active employees in `unit` reporting to `manager` (a new leader in the unit when omitted)."""
    manager = manager or factories.LeaderFactory(unit=unit)
    return manager, [factories.UserFactory(unit=unit, manager=manager) for _ in range(n)]


def conversation(
    cycle,
    leader,
    employee,
    state,
    *,
    days_to_confirm=None,
    change_request=False,
    goals=(),
    follow_up_days_ago=None,
    statuses=(),
):
    """A conversation built straight in the database, in one of these states:
    'draft' (nothing held), 'held' (held_on set, never submitted), 'submitted' (awaiting confirmation),
    'confirmed', 'cancelled'. `goals` are kinds; `statuses` item statuses of follow-ups on those goals."""
    now = timezone.now()
    conv = Conversation.objects.create(
        cycle=cycle, employee=employee, leader=leader, unit=employee.unit, status=Status.DRAFT
    )
    fields = {}
    if state in ("held", "submitted", "confirmed"):
        fields["held_on"] = timezone.localdate()
    if state in ("submitted", "confirmed"):
        fields["first_submitted_at"] = now - datetime.timedelta(days=30)
        fields["status"] = Status.AWAITING_CONFIRMATION
    if state == "cancelled":
        fields["status"] = Status.CANCELLED
    for i, kind in enumerate(goals):
        Goal.objects.create(conversation=conv, kind=kind, title=f"Mål {i}", order=i)
    if state in ("submitted", "confirmed"):
        version = ContractVersion.objects.create(
            conversation=conv, number=1, canonical_json="{}", sha256="0" * 64, submitted_by=leader
        )
    if change_request:
        Comment.objects.create(conversation=conv, author=employee, kind=Comment.Kind.CHANGE_REQUEST, text="x")
    if state == "confirmed":
        confirmed_at = fields["first_submitted_at"] + datetime.timedelta(days=days_to_confirm or 0)
        Confirmation.objects.create(
            version=version,
            conversation=conv,
            sha256="0" * 64,
            confirmed_by=employee,
            confirmed_at=confirmed_at,
        )
        fields.update(status=Status.CONFIRMED, confirmed_version=version, confirmed_at=confirmed_at)
    Conversation.objects.filter(pk=conv.pk).update(**fields)
    if follow_up_days_ago is not None:
        goal_list = list(conv.goals.all())
        for i, status in enumerate(statuses or [""]):
            FollowUp.objects.create(
                conversation=conv,
                author=leader,
                text="Er vi på rett vei?",
                goal=goal_list[i] if status and i < len(goal_list) else None,
                item_status=status,
                created_at=now - datetime.timedelta(days=follow_up_days_ago),
            )
    return conv


def build_kommune(cycle, *, units=("A", "B"), follow_up_in_a=False):
    """Kommune with the units `units`, each with 7 employees whose contract is confirmed (one result
    goal each; in A, when `follow_up_in_a`, followed up 10 days ago with the status on_track) and 5 who
    have not held theirs; their one leader in Ledelse, below A. Returns Kommune.

    What it shows, worked by hand (k = 5): people per level are Ledelse 1 and A 5 not held, A 7
    confirmed (or followed up); B 5 not held, 7 confirmed. The cycle shows confirmed (categories: not
    confirmed, confirmed): A 6 and 7, B 5 and 7, Kommune 11 and 14, all at least 5. A shown alone
    would leave Kommune's zone as B's part alone (and B alike); together they leave it with nobody,
    so both are shown, and Kommune, which holds everyone, and the whole organisation with it."""
    kommune = unit("Kommune")
    first = unit(units[0], kommune)
    boss = factories.LeaderFactory(unit=unit("Ledelse", first))
    for name in units:
        add_unit(cycle, kommune, name, manager=boss, existing=first if name == units[0] else None)
        if follow_up_in_a and name == "A":
            for c in Conversation.objects.filter(employee__unit=first, confirmed_version__isnull=False):
                FollowUp.objects.create(
                    conversation=c,
                    author=boss,
                    text="Er vi på rett vei?",
                    goal=c.goals.get(),
                    item_status="on_track",
                    created_at=timezone.now() - datetime.timedelta(days=10),
                )
    return kommune


def add_unit(cycle, parent, name="C", *, confirmed=7, not_held=5, manager=None, existing=None):
    """A unit below `parent` with `confirmed` employees whose contract is confirmed (one result goal
    each) and `not_held` with a draft, all reporting to `manager` (the one leader when omitted)."""
    from organization.models import User

    manager = manager or User.objects.get(is_leader=True)
    where = existing or unit(name, parent)
    for i in range(confirmed + not_held):
        person = factories.UserFactory(unit=where, manager=manager)
        if i < confirmed:
            conversation(cycle, manager, person, "confirmed", goals=("result",))
        else:
            conversation(cycle, manager, person, "draft")
    return where


def started_before_the_activity_window(cycle):
    """Let `cycle` start on the first day of the statistics' first activity month: entries are
    counted from the month a cycle starts in, and the tests' cycle (2027) may lie ahead of today."""
    cycle.starts_on = statistics_queries.activity_months(timezone.localdate())[0]
    cycle.save(update_fields=["starts_on"])
    return cycle
