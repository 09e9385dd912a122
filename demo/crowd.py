"""The demo's crowd: a few hundred colleagues of the named demo people, so that HR's statistics, charts
and unit pages show real figures instead of "skjult".

Each section gets a team: a team leader and 34-44 employees, in the sections of the story (Seksjon for
drift, ...) and in three more, so units sit on three levels (kommune, etat, seksjon); HR gets a few
advisers. The team leaders report to nobody in the demo (the story's leaders keep their own short
lists of reports). Every team member has a conversation in both cycles, except a few: last year's were
confirmed, followed up through the year and closed; this year's are spread over the workflow's states,
most of them confirmed and followed up since. Everything goes through the services and the workflow,
each step at the date it would have had (`clock`), like the story itself. The same random seed gives
the same crowd on every machine.
"""

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from conversations import services
from conversations.contract import workflow
from conversations.models import Cycle
from demo import demo_data as demo
from demo.scale_data import FIRST_NAMES, LAST_NAMES
from goals import services as goal_services
from goals.models import UnitGoal
from organization.models import OrgUnit, User

SEED = 2027
RENOVASJON = f"{demo.BYMILJO}/Seksjon for renovasjon"
RUS = f"{demo.HELSE}/Seksjon for rus og psykisk helse"
BARNEHAGE = f"{demo.UTDANNING}/Seksjon for barnehage"
# unit path: team size (the team leader comes on top)
TEAMS = {
    demo.DRIFT: 42,
    demo.PLAN: 34,
    RENOVASJON: 38,
    demo.LEGEVAKTEN: 44,
    RUS: 36,
    demo.SKOLEUTVIKLING: 34,
    BARNEHAGE: 40,
    demo.HR_UNIT: 8,
}
FIRST_ID = 30000  # clear of the story's ids (1xxxx) and those the tests make up (2xxxx)

# This year's conversations: (state, weight). "none": not invited yet.
# "held": the meeting is recorded, the draft not yet sent. Most confirmed contracts are followed up.
CURRENT_STATES = (
    ("none", 9),
    ("draft", 9),
    ("held", 16),
    ("awaiting", 14),
    ("changes", 4),
    ("confirmed", 48),
)
FOLLOWED_UP_SHARE = 0.6
PREVIOUS_STATES = (("none", 8), ("closed", 92))  # last year is over: every conversation closed

GOALS = (
    ("result", "Kortere svartid på henvendelser", "Svar innen fem virkedager"),
    ("result", "Ferdigstille årets planer i tide", "Alle planer levert innen fristen"),
    ("result", "Færre avvik i internkontrollen", "Halvere antall åpne avvik"),
    ("development", "Kurs i klart språk", "Kurset fullført og brukt i to saker"),
    ("development", "Lære det nye fagsystemet", "Bruker systemet uten hjelp"),
    ("development", "Hospitere i en annen seksjon", "To uker hospitering"),
    ("relational", "Bedre samarbeid med nabo-seksjonen", "Felles møte hver måned"),
    ("relational", "Ta imot og følge opp nyansatte", "Fadder for én nyansatt"),
)
TASKS = ("Saksbehandling i egen portefølje", "Vaktordning annenhver uke", "Kontaktperson for brukerrådet")
EXPECTATIONS = (
    ("leader_to_employee", "Si fra tidlig når noe stopper opp."),
    ("employee_to_leader", "Gi meg tilbakemelding på arbeidet underveis."),
)
FOLLOW_UP_TEXTS = (
    "Status fra oppfølgingsmøtet.",
    "Kort sjekk: er vi på rett vei?",
    "Notat fra medarbeidersamtalen.",
)
ITEM_STATUSES = ("on_track", "on_track", "on_track", "at_risk", "achieved", "off_track")


@dataclass
class Member:
    user: User
    leader: User
    unit: OrgUnit


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _ensure_units() -> dict[str, OrgUnit]:
    units = {u.path: u for u in OrgUnit.objects.all()}
    for path in TEAMS:
        parent_path, _sep, name = path.rpartition("/")
        if path not in units:
            parent = units[parent_path]
            units[path] = OrgUnit.objects.create(path=path, name=name, parent=parent, depth=parent.depth + 1)
    return units


def _person(employee_id: int, name: str, unit: OrgUnit, manager, password_hash: str, leader=False) -> User:
    """A member of the crowd. No e-mail address: the crowd's conversations tell nobody anything by
    e-mail, so `make run`'s worker does not print thousands of messages (and seeding stays quick)."""
    return User(
        employee_id=str(employee_id),
        full_name=name,
        email="",
        unit=unit,
        manager=manager,
        is_leader=leader,
        password=password_hash,
    )


def build_people(rng: random.Random, password_hash: str) -> list[Member]:
    """The teams, written in two bulk inserts (leaders, then their employees)."""
    units = _ensure_units()
    next_id = FIRST_ID
    leaders = {}
    for path in TEAMS:
        leaders[path] = _person(next_id, _name(rng), units[path], None, password_hash, leader=True)
        next_id += 1
    User.objects.bulk_create(leaders.values())
    leaders = {
        u.unit.path: u for u in User.objects.filter(employee_id__in=[u.employee_id for u in leaders.values()])
    }
    staff = []
    for path, size in TEAMS.items():
        for _n in range(size):
            staff.append(_person(next_id, _name(rng), units[path], leaders[path], password_hash))
            next_id += 1
    User.objects.bulk_create(staff)
    saved = User.objects.filter(employee_id__in=[u.employee_id for u in staff]).select_related(
        "unit", "manager"
    )
    return [Member(user=u, leader=u.manager, unit=u.unit) for u in saved.order_by("employee_id")]


def _pick(rng: random.Random, weighted) -> str:
    states, weights = zip(*weighted, strict=True)
    return rng.choices(states, weights=weights)[0]


class CrowdPlay:
    """One member's conversation in one cycle, played through the services at its dates."""

    def __init__(self, *, rng, clock, today, member: Member, cycle: Cycle, unit_goals: dict):
        self.rng, self.clock, self.today = rng, clock, today
        self.member, self.cycle, self.unit_goals = member, cycle, unit_goals
        self.conversation = None

    def at(self, day: datetime.date):
        moment = datetime.datetime.combine(day, datetime.time(9, self.rng.randrange(60)))
        return self.clock(timezone.make_aware(moment))

    def day_after(self, day: datetime.date, low: int, high: int) -> datetime.date:
        return min(day + datetime.timedelta(days=self.rng.randint(low, high)), self.today)

    def run(self, state: str) -> None:
        leader = self.member.leader
        created = self.day_after(self.cycle.starts_on, 0, 20)
        with self.at(created):
            self.conversation = services.conversation_create(
                actor=leader, employee=self.member.user, cycle=self.cycle
            )
            self._items()
        if state == "held":
            with self.at(self.day_after(created, 1, 10)):
                services.conversation_update(
                    conversation=self.conversation, actor=leader, held_on=self.day_after(created, 0, 5)
                )
        elif state == "cancelled":
            with self.at(self.day_after(created, 1, 4)):
                workflow.conversation_cancel(conversation_id=self.conversation.pk, actor=leader)
        elif state != "draft":
            self._submit(created, state)

    def _submit(self, created: datetime.date, state: str) -> None:
        """Sent for confirmation; then changes asked for, or (unless it is still awaiting) confirmed."""
        submitted = self.day_after(created, 1, 12)
        with self.at(submitted):
            self.version = workflow.conversation_submit(
                conversation_id=self.conversation.pk, actor=self.member.leader
            )
        if state == "changes":
            with self.at(self.day_after(submitted, 1, 4)):
                workflow.conversation_request_changes(
                    conversation_id=self.conversation.pk,
                    actor=self.member.user,
                    comment="Kan vi se på målene en gang til?",
                )
        elif state != "awaiting":
            self._confirm(submitted, closed=state == "closed")

    def _confirm(self, submitted: datetime.date, *, closed: bool) -> None:
        """Confirmed by the employee, followed up (always when `closed`), and when `closed`, closed."""
        confirmed = self.day_after(submitted, 1, 6)
        with self.at(confirmed):
            workflow.conversation_confirm(
                conversation_id=self.conversation.pk,
                actor=self.member.user,
                version=self.version.number,
                sha256=self.version.sha256,
            )
        if closed or self.rng.random() < FOLLOWED_UP_SHARE:
            self._follow_ups(confirmed, until=self.cycle.starts_on + datetime.timedelta(days=330))
        if closed:
            with self.at(self.cycle.starts_on + datetime.timedelta(days=345)):
                workflow.conversation_close(conversation_id=self.conversation.pk, actor=self.member.leader)

    def _items(self) -> None:
        """Two or three goals (what the statistics count); this year also, now and then, a task and
        an expectation. Kept short: every item is a service call, and seeding must stay quick."""
        leader, rng = self.member.leader, self.rng
        this_year = bool(self.unit_goals)
        if this_year and rng.random() < 0.5:
            goal_services.task_create(conversation=self.conversation, actor=leader, title=rng.choice(TASKS))
        supported = self.unit_goals.get(self.member.unit.path)
        for n, (kind, title, measure) in enumerate(rng.sample(GOALS, 3 if rng.random() < 0.3 else 2)):
            goal_services.goal_create(
                conversation=self.conversation,
                actor=leader,
                kind=kind,
                title=title,
                measure=measure,
                supports=supported if n == 0 and supported and rng.random() < 0.6 else None,
            )
        if this_year and rng.random() < 0.5:
            direction, text = rng.choice(EXPECTATIONS)
            goal_services.expectation_create(
                conversation=self.conversation, actor=leader, direction=direction, text=text
            )

    def _follow_ups(self, confirmed: datetime.date, until: datetime.date) -> None:
        """One to three entries, spread from the confirmation to the end of the year (or today)."""
        end = min(until, self.today)
        if end <= confirmed:
            return
        goals = list(self.conversation.goals.order_by("order"))
        days = sorted(
            self.rng.sample(
                range(1, (end - confirmed).days + 1), min(self.rng.randint(1, 3), (end - confirmed).days)
            )
        )
        for offset in days:
            author = self.member.leader if self.rng.random() < 0.6 else self.member.user
            with self.at(confirmed + datetime.timedelta(days=offset)):
                services.follow_up_create(
                    conversation=self.conversation,
                    actor=author,
                    text=self.rng.choice(FOLLOW_UP_TEXTS),
                    goal=self.rng.choice(goals),
                    progress=self.rng.choice((None, 25, 50, 75)),
                    item_status=self.rng.choice(ITEM_STATUSES),
                )


def _supported_goals(cycle: Cycle) -> dict:
    """unit path -> a unit goal of the current cycle its contracts can support (its own or above)."""
    goals = {}
    for goal in UnitGoal.objects.filter(cycle=cycle).select_related("unit").order_by("-unit__depth", "pk"):
        goals.setdefault(goal.unit.path, goal)
    found = {}
    for path in TEAMS:
        parts = path.split("/")
        for depth in range(len(parts), 0, -1):
            candidate = goals.get("/".join(parts[:depth]))
            if candidate:
                found[path] = candidate
                break
    return found


def build_crowd(*, password_hash: str, cycles: dict[str, Cycle], today: datetime.date, clock) -> int:
    """The crowd and its conversations in both cycles. Returns the number of people added."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, the same on every machine
    members = build_people(rng, password_hash)
    previous, current = cycles[demo.PREVIOUS_CYCLE], cycles[demo.CURRENT_CYCLE]
    supported = _supported_goals(current)
    for member in members:
        for cycle, states, goals in ((previous, PREVIOUS_STATES, {}), (current, CURRENT_STATES, supported)):
            state = _pick(rng, states)
            if state != "none":
                CrowdPlay(
                    rng=rng, clock=clock, today=today, member=member, cycle=cycle, unit_goals=goals
                ).run(state)
    return len(members) + len(TEAMS)
