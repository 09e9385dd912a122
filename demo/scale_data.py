"""The scale organisation for `seed_scale` and the benchmark, as rows of plain values.

`ScalePlan` builds, without touching the database, an organisation of realistic shape (one leader per
about ten people, four levels of units, each unit led by one leader who reports to the leader of the
parent unit), a cycle per year and, per cycle, a conversation per employee in a state drawn from a
realistic mix, with its items (about five), versions, confirmations, answers, comments, agenda points,
follow-ups through the year, history, access log and the guardian rights. Rows carry explicit ids so
that every table can be written with COPY (PostgreSQL) or executemany, in any order, within one
transaction per chunk. Rights are computed with `conversations.access.permissions.desired_perms`, so they are
exactly what the services would grant; version content goes through `conversations.contract.canonical`.
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

from conversations.access.permissions import desired_perms
from conversations.contract.canonical import canonical_json, sha256_of
from conversations.models import Status

SCALE_PASSWORD = "samtale-scale"  # noqa: S105  (benchmark data only, printed by the command)
TOP_UNIT = "Skala kommune"
TEMPLATE_NAME = "Skala: standardmal"
EMPLOYEE_ID_FORMAT = "S{:06d}"
LEADER_SHARE = 10  # one leader per this many people
HR_PER_PEOPLE = 500
UNIT_GOALS_PER_UNIT = 3
SUPPORTED_SHARE = 0.6  # of contract goals that support a unit goal
UNIT_GOAL_TITLES = (
    "Trygge og gode tjenester",
    "Raskere saksbehandling",
    "Et godt arbeidsmiljø",
    "Bærekraftig drift",
    "Digitale tjenester som brukes",
    "Samarbeid på tvers",
)
YEAR = 365

# (state, weight) per conversation. "none": no conversation in that cycle (new or not yet invited).
CURRENT_STATES = (
    ("none", 2),
    ("draft", 8),
    ("held", 5),
    ("awaiting", 8),
    ("changes", 4),
    ("confirmed", 57),
    ("resubmitted", 5),
    ("amending", 4),
    ("closed", 3),
    ("cancelled", 4),
)
PAST_STATES = (("none", 4), ("closed", 85), ("confirmed", 6), ("cancelled", 5))
STATE_STATUS = {
    "draft": Status.DRAFT,
    "held": Status.DRAFT,
    "awaiting": Status.AWAITING_CONFIRMATION,
    "changes": Status.CHANGES_REQUESTED,
    "confirmed": Status.CONFIRMED,
    "resubmitted": Status.CONFIRMED,
    "amending": Status.DRAFT,
    "closed": Status.CLOSED,
    "cancelled": Status.CANCELLED,
}

FIRST_NAMES = (
    "Anne Inger Kari Marit Ingrid Liv Eva Berit Astrid Bjørg Hilde Nina Camilla Silje Ida Nora Emma Sara "
    "Fatima Aisha Ewa Maria Sofie Ingvild Thea Jan Per Bjørn Ole Lars Kjell Knut Arne Svein Thomas Hans "
    "Geir Tor Morten Terje Jonas Emil Magnus Kristoffer Mehmet Ali Omar Piotr Tobias Henrik Sindre Even"
).split()
LAST_NAMES = (
    "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen Pettersen "
    "Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen Halvorsen Henriksen Lund "
    "Sørensen Jakobsen Moen Gundersen Iversen Strand Solberg Svendsen Eide Knutsen Martinsen Paulsen "
    "Bakken Kristoffersen Mathisen Lie Amundsen Nguyen Rasmussen Ali Lunde Solheim Berge Moe Ahmed Khan"
).split()
AGENCIES = (
    "Bymiljøetaten Helseetaten Utdanningsetaten Sykehjemsetaten Velferdsetaten Kulturetaten "
    "Plan-og-bygningsetaten Eiendomsetaten Brann-og-redningsetaten Vann-og-avløpsetaten "
    "Renovasjonsetaten Barne-og-familieetaten Bydelsforvaltningen Kemneretaten Digitaliseringsetaten"
).split()
DEPARTMENTS = (
    "drift",
    "plan",
    "forvaltning",
    "tjenester",
    "utvikling",
    "økonomi",
    "bestilling",
    "forebygging",
)
SECTIONS = ("nord", "sør", "øst", "vest", "sentrum", "mottak", "team", "fag", "natt", "dag")

TASKS = (
    ("Følge opp entreprenørene på driftskontraktene", "Månedlige kontrollrunder og oppfølging av avvik."),
    ("Koordinere vaktplanen for helg og høytid", "Planen skal være klar seks uker før hver periode."),
    ("Være kontaktperson for praksisstudentene", "Veiledning en time i uken og sluttvurdering."),
    ("Ha ansvar for internkontrollen i seksjonen", "Kvartalsvis gjennomgang av rutiner og avvik."),
    ("Oppdatere rutinene for mottak av henvendelser", "Nye maler og svarfrister i saksbehandlingssystemet."),
)
GOALS = {
    "result": (
        ("Redusere saksbehandlingstiden til tre uker", "Median saksbehandlingstid, målt hver måned"),
        ("Alle avvik lukket innen 30 dager", "Andel lukkede avvik i kvalitetssystemet"),
        ("Øke brukertilfredsheten i tjenesten", "Brukerundersøkelsen i november"),
    ),
    "development": (
        ("Fullføre videreutdanning i veiledning", "Bestått eksamen og veiledning av to nyansatte"),
        ("Lære å bruke det nye fagsystemet", "Kan lære det bort til kolleger innen høsten"),
        ("Ta kurs i prosjektledelse", "Kursbevis og ledelse av ett delprosjekt"),
    ),
    "relational": (
        ("Være fadder for nyansatte", "Nyansatte sier at de har hatt noen å spørre"),
        ("Styrke samarbeidet med nabobydelene", "Faste møter hver sjette uke"),
        ("Bidra til et godt arbeidsmiljø i teamet", "Medarbeiderundersøkelsen og teammøtene"),
    ),
}
EXPECTATIONS = {
    "leader_to_employee": (
        "Si fra tidlig hvis fristene ikke holder, så prioriterer vi sammen.",
        "Del erfaringene dine med resten av seksjonen.",
        "Ta ansvar for egen kompetanseutvikling og si hva du trenger.",
    ),
    "employee_to_leader": (
        "Tydelige prioriteringer når mange hastesaker kommer samtidig.",
        "Faste en-til-en-samtaler hver måned.",
        "Tillit til at jeg organiserer arbeidsdagen selv.",
    ),
}
FOLLOW_UPS = (
    "Er vi på rett vei? Ja, det går etter planen.",
    "Litt forsinket på grunn av sykefravær i teamet, men vi tar det igjen i neste måned.",
    "Ny rutine er tatt i bruk, og tallene ser bedre ut.",
    "Vi ble enige om å justere tidsplanen; målet står fast.",
    "Kurset er påbegynt, første samling var nyttig.",
)
COMMENTS = (
    "Takk for en god samtale, dette blir et fint år.",
    "Kan vi ta opp arbeidsmengden igjen i neste en-til-en?",
    "Jeg har lagt ved lenke til kursbeskrivelsen i e-posten.",
)
TEMPLATE_POINTS = (
    ("Hvordan har du det på jobb?", "Trivsel, arbeidsbelastning og balansen mellom jobb og fritid."),
    ("Mål for neste periode", "Resultatmål, utviklingsmål og relasjonsmål."),
    ("Kompetanse og utvikling", "Hva trenger du å lære, og hvordan får vi det til?"),
    ("Forventninger begge veier", "Hva forventer vi av hverandre det neste året?"),
)

# The fields each table is written with (model name -> field names); `seed_scale` resolves them to
# columns and fills any other column with the field's default.
FIELDS = {
    "organization.OrgUnit": "id name parent path depth".split(),
    "organization.User": (
        "id password employee_id full_name email unit manager "
        "is_leader is_hr shares_history language left_on is_active date_joined"
    ).split(),
    "conversations.Template": "id name".split(),
    "conversations.TemplatePoint": "id template text hint order".split(),
    "conversations.Cycle": "id name starts_on deadline template".split(),
    "conversations.DeputyGrant": "id leader deputy conversation until created_at ended_at".split(),
    "conversations.Conversation": (
        "id cycle employee leader unit status scheduled_at "
        "held_on first_submitted_at confirmed_at closed_at confirmed_version revision created_at updated_at"
    ).split(),
    "goals.Task": "id conversation order revision created_at updated_at title description due_date".split(),
    "goals.UnitGoal": "id unit cycle title description supports created_at updated_at".split(),
    "goals.Goal": (
        "id conversation order revision created_at updated_at title description kind measure due_date "
        "supports"
    ).split(),
    "goals.Expectation": "id conversation order revision created_at updated_at direction text".split(),
    "conversations.ContractVersion": (
        "id conversation number canonical_json sha256 submitted_at submitted_by"
    ).split(),
    "conversations.Confirmation": "id version conversation sha256 confirmed_at confirmed_by".split(),
    "conversations.ItemResponse": (
        "id conversation version author stance comment created_at goal task expectation"
    ).split(),
    "conversations.Comment": "id conversation author kind text created_at goal task expectation".split(),
    "conversations.AgendaPoint": (
        "id conversation author text hint shared from_template order created_at"
    ).split(),
    "conversations.FollowUp": (
        "id conversation author text progress item_status created_at goal task expectation"
    ).split(),
    "conversations.HistoryEntry": "id conversation actor action changes created_at".split(),
    "conversations.AccessLogEntry": "id conversation user channel accessed_at".split(),
    "conversations.ConversationUserObjectPermission": "id permission user content_object".split(),
}


@dataclass(slots=True)
class Person:
    id: int
    employee_id: str
    full_name: str
    unit_id: int
    manager_id: int | None
    is_leader: bool = False
    is_hr: bool = False
    shares_history: bool = False
    is_active: bool = True
    left_on: datetime.date | None = None


@dataclass(slots=True)
class Unit:
    id: int
    name: str
    path: str
    depth: int
    parent_id: int | None
    leader_id: int = 0


@dataclass(slots=True)
class CycleInfo:
    id: int
    name: str
    starts: datetime.datetime
    index: int  # 0: the current cycle, 1: the one before, ...


@dataclass
class Rows:
    """Rows per model label, in the field order of FIELDS."""

    tables: dict = field(default_factory=lambda: defaultdict(list))

    def add(self, label: str, row: tuple) -> None:
        self.tables[label].append(row)

    def count(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


def unit_counts(leaders: int) -> tuple[int, int, int, int]:
    """Units per level for `leaders` leaders (one per unit): 1, 12, 240, 4747 for 5,000."""
    level1 = max(2, round(0.7 * leaders ** (1 / 3)))
    level2 = max(2 * level1, round(0.82 * leaders ** (2 / 3)))
    level3 = max(level2, leaders - 1 - level1 - level2)
    return 1, level1, level2, level3


class ScalePlan:
    """The whole scale data set for `people` people and `cycles` yearly cycles, as rows."""

    def __init__(self, *, people: int, cycles: int, seed: int, now: datetime.datetime, permission_ids: dict):
        self.rng = random.Random(seed)  # noqa: S311 - test data
        # Unit goals and the links to them draw from their own generator, so the rest of the data is
        # the same as before they existed.
        self.goal_rng = random.Random(seed + 14)  # noqa: S311 - test data
        self.unit_goals: dict[tuple[int, int], list[tuple[int, str]]] = {}  # (cycle, unit): [(id, title)]
        self.people_count = people
        self.cycle_count = cycles
        self.now = now
        self.today = now.date()
        self.permission_ids = permission_ids
        self.ids = defaultdict(int)
        self.units: list[Unit] = []
        self.people: list[Person] = []
        self.cycles: list[CycleInfo] = []
        self.grants_by_leader: dict = {}

    def next_id(self, label: str) -> int:
        self.ids[label] += 1
        return self.ids[label]

    # --- organisation ----------------------------------------------------------------------------------

    def organisation(self, password_hash: str) -> Rows:
        rows = Rows()
        leaders = max(8, round(self.people_count / LEADER_SHARE))
        self._build_units(unit_counts(leaders))
        self._build_people(password_hash)
        for u in self.units:
            rows.add("organization.OrgUnit", (u.id, u.name, u.parent_id, u.path, u.depth))
        joined = self.now - datetime.timedelta(days=YEAR * (self.cycle_count + 1))
        for p in self.people:
            rows.add(
                "organization.User",
                (
                    p.id,
                    password_hash,
                    p.employee_id,
                    p.full_name,
                    f"{p.employee_id.lower()}@example.org",
                    p.unit_id,
                    p.manager_id,
                    p.is_leader,
                    p.is_hr,
                    p.shares_history,
                    "nb",
                    p.left_on,
                    p.is_active,
                    joined,
                ),
            )
        self._build_cycles(rows)
        self._build_unit_goals(rows)
        self._build_grants(rows)
        return rows

    def _build_unit_goals(self, rows: Rows) -> None:
        """UNIT_GOALS_PER_UNIT goals per unit and cycle, each supporting a goal of the parent unit."""
        for cycle in self.cycles:
            for unit in self.units:  # parents come first
                above = self.unit_goals.get((cycle.id, unit.parent_id), [])
                goals = []
                for title in self.goal_rng.sample(UNIT_GOAL_TITLES, UNIT_GOALS_PER_UNIT):
                    goal_id, supports = self.next_id("unit_goal"), None
                    if above:
                        supports = self.goal_rng.choice(above)[0]
                    title = f"{title} ({unit.name})"
                    rows.add(
                        "goals.UnitGoal",
                        (goal_id, unit.id, cycle.id, title, "", supports, cycle.starts, cycle.starts),
                    )
                    goals.append((goal_id, title))
                self.unit_goals[(cycle.id, unit.id)] = goals

    def line_of_sight(self, cycle_id: int, unit_id: int) -> list[tuple[int, str, str]]:
        """(id, title, unit name) of the unit goals of a unit and those above it, in a cycle."""
        by_id = self.units_by_id
        sight, unit = [], by_id.get(unit_id)
        while unit is not None:
            sight += [(g, title, unit.name) for g, title in self.unit_goals.get((cycle_id, unit.id), [])]
            unit = by_id.get(unit.parent_id)
        return sight

    @property
    def units_by_id(self) -> dict:
        if not hasattr(self, "_units_by_id"):
            self._units_by_id = {u.id: u for u in self.units}
        return self._units_by_id

    def _build_units(self, counts) -> None:
        rng, parents = self.rng, [None]
        for depth, count in enumerate(counts):
            level = []
            # Uneven spans: some parents get many children, some few.
            weights = [rng.uniform(0.4, 1.6) for _ in parents]
            for i in range(count):
                parent = parents[i] if i < len(parents) else rng.choices(parents, weights)[0]
                name = self._unit_name(depth, i)
                path = f"{parent.path}/{name}" if parent else name
                unit = Unit(self.next_id("unit"), name, path, depth, parent.id if parent else None)
                level.append(unit)
            self.units.extend(level)
            parents = level

    @staticmethod
    def _unit_name(depth: int, i: int) -> str:
        if depth == 0:
            return TOP_UNIT
        if depth == 1:
            base = AGENCIES[i % len(AGENCIES)].replace("-", " ")
            return base if i < len(AGENCIES) else f"{base} {i // len(AGENCIES) + 1}"
        if depth == 2:
            return f"Avdeling for {DEPARTMENTS[i % len(DEPARTMENTS)]} {i + 1:03d}"
        return f"Seksjon {SECTIONS[i % len(SECTIONS)]} {i + 1:04d}"

    def _person(self, unit_id: int, manager_id: int | None, **flags) -> Person:
        rng, pid = self.rng, self.next_id("person")
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if rng.random() < 0.3:
            name = f"{rng.choice(FIRST_NAMES)} {name}"
        person = Person(pid, EMPLOYEE_ID_FORMAT.format(pid), name, unit_id, manager_id, **flags)
        person.shares_history = rng.random() < 0.1
        self.people.append(person)
        return person

    def _build_people(self, password_hash: str) -> None:
        rng, by_id = self.rng, {u.id: u for u in self.units}
        for unit in self.units:  # parents come first, so their leader exists
            manager = by_id[unit.parent_id].leader_id if unit.parent_id else None
            unit.leader_id = self._person(unit.id, manager, is_leader=True).id
        agencies = [u for u in self.units if u.depth == 1]
        for i in range(max(2, self.people_count // HR_PER_PEOPLE)):  # HR advisers in every agency
            agency = agencies[i % len(agencies)]
            self._person(agency.id, agency.leader_id, is_hr=True)
        rest = self.people_count - len(self.people)
        leaves = [u for u in self.units if u.depth == 3]
        staff = [u for u in self.units if 0 < u.depth < 3]
        homes = leaves + staff
        weights = [rng.uniform(0.5, 1.5) for _ in leaves] + [0.3] * len(staff)
        for unit in rng.choices(homes, weights, k=rest):
            person = self._person(unit.id, unit.leader_id)
            if rng.random() < 0.01:  # left the organisation before the current cycle
                person.is_active = False
                person.left_on = self.today - datetime.timedelta(days=rng.randint(130, 300))

    def _build_cycles(self, rows: Rows) -> None:
        template_id = self.next_id("template")
        rows.add("conversations.Template", (template_id, TEMPLATE_NAME))
        for order, (text, hint) in enumerate(TEMPLATE_POINTS):
            rows.add("conversations.TemplatePoint", (self.next_id("point"), template_id, text, hint, order))
        for index in range(self.cycle_count - 1, -1, -1):
            starts_on = self.today - datetime.timedelta(days=120 + YEAR * index)
            name = f"Skala: medarbeidersamtaler {starts_on.year}"
            deadline = starts_on + datetime.timedelta(days=150)
            cycle = CycleInfo(self.next_id("cycle"), name, _at(starts_on, 8), index)
            rows.add("conversations.Cycle", (cycle.id, name, starts_on, deadline, template_id))
            self.cycles.append(cycle)

    def _build_grants(self, rows: Rows) -> None:
        """About 1% of leaders let a fellow leader deputise for all their conversations; some grants
        have ended already (they give no rights)."""
        rng, leaders = self.rng, [p for p in self.people if p.is_leader and p.manager_id]
        grants = defaultdict(list)
        for leader in rng.sample(leaders, max(1, len(leaders) // 100)):
            deputy = rng.choice(leaders)
            if deputy.id == leader.id:
                continue
            ended = rng.random() < 0.3
            grant = SimpleNamespace(
                id=self.next_id("grant"), leader_id=leader.id, deputy_id=deputy.id, conversation_id=None
            )
            created = self.now - datetime.timedelta(days=rng.randint(5, 60))
            rows.add(
                "conversations.DeputyGrant",
                (
                    grant.id,
                    leader.id,
                    deputy.id,
                    None,
                    self.today + datetime.timedelta(days=rng.randint(5, 60)),
                    created,
                    created + datetime.timedelta(days=2) if ended else None,
                ),
            )
            if not ended:
                grants[leader.id].append(grant)
        self.grants_by_leader = dict(grants)

    # --- conversations ---------------------------------------------------------------------------------

    def conversation_chunks(self, size: int):
        """Yields (people done, Rows) for every cycle, `size` people at a time."""
        employees = [p for p in self.people if p.manager_id is not None]
        leaders = [p for p in self.people if p.is_leader]
        units = {u.id: u for u in self.units}
        for cycle in self.cycles:
            for start in range(0, len(employees), size):
                rows = Rows()
                for person in employees[start : start + size]:
                    self._maybe_conversation(rows, cycle, person, leaders, units)
                yield min(size, len(employees) - start), rows

    def _maybe_conversation(self, rows, cycle, person, leaders, units) -> None:
        rng = self.rng
        if cycle.index == 0 and not person.is_active:
            return
        table = CURRENT_STATES if cycle.index == 0 else PAST_STATES
        state = rng.choices([s for s, _ in table], [w for _, w in table])[0]
        if state == "none":
            return
        leader_id, unit_id = person.manager_id, person.unit_id
        if cycle.index > 0 and rng.random() < 0.03:  # the employee has changed manager since
            former = rng.choice(leaders)
            if former.id not in (person.id, person.manager_id):
                leader_id, unit_id = former.id, former.unit_id
        Story(self, rows, cycle, person, leader_id, unit_id, state).write()

    def person(self, person_id: int) -> Person:
        return self.people[person_id - 1]  # ids are given in order, from 1


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


class Story:
    """One conversation from creation to its state, written as rows."""

    def __init__(self, plan: ScalePlan, rows: Rows, cycle, person, leader_id, unit_id, state):
        self.plan, self.rows, self.rng = plan, rows, plan.rng
        self.cycle, self.person, self.leader_id, self.unit_id, self.state = (
            cycle,
            person,
            leader_id,
            unit_id,
            state,
        )
        self.id = plan.next_id("conversation")
        self.items = {"task": [], "goal": [], "expectation": []}
        self.versions = []  # (id, number, sha256)
        self.revision = 1
        self.fields = {
            "scheduled_at": None,
            "held_on": None,
            "first_submitted_at": None,
            "confirmed_at": None,
            "closed_at": None,
            "confirmed_version": None,
        }
        self.end = plan.now - datetime.timedelta(hours=1)
        if not person.is_active:
            self.end = min(self.end, _at(person.left_on, 15))

    def after(self, t: datetime.datetime, low: float, high: float) -> datetime.datetime:
        """A moment `low`-`high` days after `t`, but always before the end of the story."""
        step = datetime.timedelta(days=self.rng.uniform(low, high))
        room = self.end - t
        if step >= room:
            step = room * self.rng.uniform(0.2, 0.6)
        return t + max(step, datetime.timedelta(minutes=5))

    def history(self, actor, action: str, at, **changes) -> None:
        self.rows.add(
            "conversations.HistoryEntry", (self.plan.next_id("history"), self.id, actor, action, changes, at)
        )

    def transition(self, actor, name: str, source: str, target: str, at, **changes) -> None:
        self.revision += 1
        self.history(actor, name, at, status=[source, target], **changes)

    def write(self) -> None:
        state, rng = self.state, self.rng
        created = self.cycle.starts + datetime.timedelta(days=rng.uniform(0, 30), hours=rng.uniform(0, 8))
        self.created = t = min(created, self.end - datetime.timedelta(days=1))
        self.history(self.leader_id, "create", t, cycle=self.cycle.id, carried_over={})
        self.agenda(t)
        meeting = self.after(t, 5, 30)
        self.fields["scheduled_at"] = meeting.replace(minute=0, second=0, microsecond=0)
        if state == "cancelled":
            t = self.after(t, 1, 10)
            self.transition(self.leader_id, "cancel", "draft", "cancelled", t)
        elif state == "draft":
            if rng.random() < 0.5:
                self.record_items(t, rng.randint(1, 3))
        else:
            t = self.meeting(meeting)
            if state != "held":
                t = self.agreement(t)
        self.finish(t)

    def meeting(self, meeting) -> datetime.datetime:
        self.fields["held_on"] = meeting.date()
        self.record_items(meeting, self.rng.randint(3, 7))
        self.revision += 1
        self.history(
            self.leader_id, "update", meeting, fields={"held_on": [None, meeting.date().isoformat()]}
        )
        return meeting

    def agreement(self, t) -> datetime.datetime:
        state, employee = self.state, self.person.id
        t = self.after(t, 0, 3)
        version = self.submit(t)
        if state in ("changes", "resubmitted"):
            t = self.after(t, 1, 7)
            self.answer(version, t, disagree=True)
            comment = self.comment(t, "change_request", "Kan vi justere tidsplanen for det første målet?")
            self.transition(
                employee, "request_changes", "awaiting_confirmation", "changes_requested", t, comment=comment
            )
            if state == "changes":
                return t
            t = self.after(t, 1, 5)
            self.transition(self.leader_id, "revise", "changes_requested", "draft", t)
            self.revise_first_goal(t)
            t = self.after(t, 0, 1)
            version = self.submit(t)
        if state == "awaiting":
            if self.rng.random() < 0.5:
                self.answer(version, self.after(t, 0, 2))
            return t
        if self.rng.random() < 0.5:
            self.answer(version, self.after(t, 0, 2))
        t = self.after(t, 0, 14)
        self.confirm(version, t)
        return self.year_after(t)

    def year_after(self, confirmed_at) -> datetime.datetime:
        """Follow-ups through the year; then an amendment, a close, or nothing yet."""
        rng, state = self.rng, self.state
        end = self.end
        if state == "closed" and self.cycle.index > 0:
            closing = self.cycle.starts + datetime.timedelta(days=rng.uniform(330, 380))
            end = min(end, max(closing, confirmed_at + datetime.timedelta(days=1)))
        elif state == "closed":  # closed early in the current cycle (the employee changes jobs, say)
            end = self.after(confirmed_at, 10, 60)
        count = rng.choices(range(9), (8, 10, 14, 16, 16, 14, 10, 7, 5))[0]
        span = (end - confirmed_at).total_seconds()
        moments = sorted(
            confirmed_at + datetime.timedelta(seconds=rng.uniform(0.05, 1) * span) for _ in range(count)
        )
        for moment in moments:
            self.follow_up(moment)
        t = moments[-1] if moments else confirmed_at
        if state == "amending":
            t = self.after(t, 1, 20)
            self.transition(self.leader_id, "amend", "confirmed", "draft", t)
        elif state == "closed":
            t = max(end, t + datetime.timedelta(minutes=5))
            self.fields["closed_at"] = t
            self.transition(self.leader_id, "close", "confirmed", "closed", t)
        if rng.random() < 0.2:  # a remark some time between the confirmation and the last event
            author = self.leader_id if rng.random() < 0.5 else self.person.id
            moment = confirmed_at + (t - confirmed_at) * rng.uniform(0.05, 0.95)
            self.comment(moment, "comment", rng.choice(COMMENTS), author=author)
        if state not in ("amending", "closed") and rng.random() < 0.03:
            t = self.after(t, 0, 5)
            self.comment(
                t, "statement", "Jeg vil legge til at arbeidsmengden har økt mye i år.", author=self.person.id
            )
        return t

    # --- pieces ------------------------------------------------------------------------------------------

    def agenda(self, t) -> None:
        for order, (text, hint) in enumerate(TEMPLATE_POINTS):
            self.rows.add(
                "conversations.AgendaPoint",
                (self.plan.next_id("agenda"), self.id, None, text, hint, True, True, order, t),
            )
        if self.rng.random() < 0.15:
            self.rows.add(
                "conversations.AgendaPoint",
                (
                    self.plan.next_id("agenda"),
                    self.id,
                    self.person.id,
                    "Mine notater før samtalen",
                    "",
                    self.rng.random() < 0.5,
                    False,
                    len(TEMPLATE_POINTS),
                    t,
                ),
            )

    def record_items(self, t, count: int) -> None:
        rng, goals = self.rng, max(1, round(count * 0.4))
        expectations = max(1, round(count * 0.3)) if count > 1 else 0
        kinds = ["goal"] * goals + ["expectation"] * expectations + ["task"] * (count - goals - expectations)
        due = t.date() + datetime.timedelta(days=rng.randint(90, 330))
        for order, kind in enumerate(kinds):
            item_id = self.plan.next_id(kind)
            if kind == "task":
                title, description = rng.choice(TASKS)
                item = {"id": item_id, "title": title, "description": description, "due_date": due}
            elif kind == "goal":
                goal_kind = rng.choice(("result", "development", "relational"))
                title, measure = rng.choice(GOALS[goal_kind])
                item = {
                    "id": item_id,
                    "kind": goal_kind,
                    "title": title,
                    "description": "",
                    "measure": measure,
                    "due_date": due if goal_kind == "result" else None,
                    "supports": self.supported_unit_goal(),
                }
            else:
                direction = ("leader_to_employee", "employee_to_leader")[order % 2]
                item = {"id": item_id, "direction": direction, "text": rng.choice(EXPECTATIONS[direction])}
            item.update(order=order, revision=1, created_at=t, updated_at=t)
            self.items[kind].append(item)
            self.revision += 1

    def supported_unit_goal(self) -> dict | None:
        """About SUPPORTED_SHARE of goals support a unit goal in the employee's line of sight."""
        sight = self.plan.line_of_sight(self.cycle.id, self.unit_id)
        if not sight or self.plan.goal_rng.random() >= SUPPORTED_SHARE:
            return None
        goal_id, title, unit_name = self.plan.goal_rng.choice(sight)
        return {"id": goal_id, "title": title, "unit": unit_name}

    def revise_first_goal(self, t) -> None:
        goal = self.items["goal"][0]
        goal.update(description="Justert tidsplan etter ønske fra medarbeideren.", revision=2, updated_at=t)
        self.revision += 1
        self.history(
            self.leader_id,
            "goal_updated",
            t,
            id=goal["id"],
            fields={"description": ["", goal["description"]]},
        )

    def content(self) -> dict:
        """The version content exactly as `conversations.contract.canonical.contract_content` builds it."""
        employee, leader = self.person, self.plan.person(self.leader_id)

        def date(value):
            return value.isoformat() if value else None

        return {
            "schema": 1,
            "conversation": self.id,
            "cycle": self.cycle.name,
            "employee": {"employee_id": employee.employee_id, "full_name": employee.full_name},
            "leader": {"employee_id": leader.employee_id, "full_name": leader.full_name},
            "tasks": [
                {
                    "id": i["id"],
                    "title": i["title"],
                    "description": i["description"],
                    "due_date": date(i["due_date"]),
                }
                for i in self.items["task"]
            ],
            "goals": [
                {
                    "id": i["id"],
                    "kind": i["kind"],
                    "title": i["title"],
                    "description": i["description"],
                    "measure": i["measure"],
                    "due_date": date(i["due_date"]),
                    **({"supports": i["supports"]} if i["supports"] else {}),
                }
                for i in self.items["goal"]
            ],
            "expectations": [
                {"id": i["id"], "direction": i["direction"], "text": i["text"]}
                for i in self.items["expectation"]
            ],
        }

    def submit(self, t) -> tuple:
        canonical = canonical_json(self.content())
        sha, number = sha256_of(canonical), len(self.versions) + 1
        version = (self.plan.next_id("version"), number, sha)
        self.rows.add(
            "conversations.ContractVersion", (version[0], self.id, number, canonical, sha, t, self.leader_id)
        )
        self.versions.append(version)
        if self.fields["first_submitted_at"] is None:
            self.fields["first_submitted_at"] = t
        source = "draft"
        self.transition(
            self.leader_id, "submit", source, "awaiting_confirmation", t, version=number, sha256=sha
        )
        return version

    def answer(self, version, t, disagree: bool = False) -> None:
        rng = self.rng
        for kind, items in self.items.items():
            for item in items:
                stance = rng.choices(("agree", "agree_with_comment", "disagree"), (80, 15, 5))[0]
                if disagree and kind == "goal" and item is self.items["goal"][0]:
                    stance = "disagree"
                comment = "" if stance == "agree" else "Tidsplanen er stram, men jeg skal prøve."
                refs = {"goal": None, "task": None, "expectation": None, kind: item["id"]}
                self.rows.add(
                    "conversations.ItemResponse",
                    (
                        self.plan.next_id("response"),
                        self.id,
                        version[0],
                        self.person.id,
                        stance,
                        comment,
                        t,
                        refs["goal"],
                        refs["task"],
                        refs["expectation"],
                    ),
                )
                self.history(self.person.id, "item_response", t, stance=stance, **{kind: item["id"]})

    def confirm(self, version, t) -> None:
        self.rows.add(
            "conversations.Confirmation",
            (self.plan.next_id("confirmation"), version[0], self.id, version[2], t, self.person.id),
        )
        self.fields["confirmed_version"] = version[0]
        if self.fields["confirmed_at"] is None:
            self.fields["confirmed_at"] = t
        self.transition(
            self.person.id,
            "confirm",
            "awaiting_confirmation",
            "confirmed",
            t,
            version=version[1],
            sha256=version[2],
        )
        self.rows.add(
            "conversations.AccessLogEntry", (self.plan.next_id("access"), self.id, self.person.id, "web", t)
        )

    def comment(self, t, kind: str, text: str, author=None) -> int:
        comment_id = self.plan.next_id("comment")
        author = author or self.person.id
        self.rows.add("conversations.Comment", (comment_id, self.id, author, kind, text, t, None, None, None))
        if kind in ("statement", "comment"):
            self.history(author, kind, t, comment=comment_id)
        return comment_id

    def follow_up(self, t) -> None:
        rng = self.rng
        author = self.leader_id if rng.random() < 0.5 else self.person.id
        goal = task = None
        progress, status = None, ""
        roll = rng.random()
        if roll < 0.6:
            goal = rng.choice(self.items["goal"])["id"]
            progress = rng.randrange(0, 101, 5)
            status = rng.choices(("on_track", "at_risk", "off_track", "achieved", ""), (55, 15, 5, 10, 15))[0]
        elif roll < 0.7 and self.items["task"]:
            task = rng.choice(self.items["task"])["id"]
        entry = self.plan.next_id("follow_up")
        self.rows.add(
            "conversations.FollowUp",
            (entry, self.id, author, rng.choice(FOLLOW_UPS), progress, status, t, goal, task, None),
        )
        self.history(author, "follow_up", t, follow_up=entry)

    def finish(self, t) -> None:
        status = STATE_STATUS[self.state]
        f = self.fields
        self.rows.add(
            "conversations.Conversation",
            (
                self.id,
                self.cycle.id,
                self.person.id,
                self.leader_id,
                self.unit_id,
                status,
                f["scheduled_at"],
                f["held_on"],
                f["first_submitted_at"],
                f["confirmed_at"],
                f["closed_at"],
                f["confirmed_version"],
                self.revision,
                self.created,
                t,
            ),
        )
        for kind, items in self.items.items():
            label = {"task": "goals.Task", "goal": "goals.Goal", "expectation": "goals.Expectation"}[kind]
            for i in items:
                base = (i["id"], self.id, i["order"], i["revision"], i["created_at"], i["updated_at"])
                if kind == "task":
                    self.rows.add(label, (*base, i["title"], i["description"], i["due_date"]))
                elif kind == "goal":
                    supports = i["supports"]["id"] if i["supports"] else None
                    self.rows.add(
                        label,
                        (
                            *base,
                            i["title"],
                            i["description"],
                            i["kind"],
                            i["measure"],
                            i["due_date"],
                            supports,
                        ),
                    )
                else:
                    self.rows.add(label, (*base, i["direction"], i["text"]))
        self.grant(status)

    def grant(self, status: str) -> None:
        """The rights the services would grant: `desired_perms` on the same facts."""
        employee = SimpleNamespace(
            pk=self.person.id, manager_id=self.person.manager_id, shares_history=self.person.shares_history
        )
        facts = SimpleNamespace(pk=self.id, employee=employee, leader_id=self.leader_id, status=status)
        ids = self.plan.permission_ids
        for user_id, codenames in desired_perms(facts, self.plan.grants_by_leader).items():
            for codename in sorted(codenames):
                self.rows.add(
                    "conversations.ConversationUserObjectPermission",
                    (self.plan.next_id("perm"), ids[codename], user_id, self.id),
                )


# --- the measured endpoints (the benchmark and tests/test_scale.py) -----------------------------------------

# Queries per request of each measured endpoint, the same at 500 and at 50,000 people: the test asserts
# them at 500, the benchmark counts them again on the large organisation. Counted inside a transaction,
# as the test client does (a service's atomic block then adds its SAVEPOINT and RELEASE).
QUERY_COUNTS = {
    "trivial (me/)": 2,  # token, the caller with unit and manager
    "leader list": 3,  # token, the ids in order (also the count), the page's rows with their joins
    "detail": 8,  # token, conversation, rights, access log, tasks, goals, expectations, versions
    # 4 in the view (token, conversation, rights, the goal); the service: savepoint, the row locked,
    # the entry, its history row, release (validation and the rights check read nothing more)
    "follow-up POST": 9,
    "employee list": 3,
    # token, conversation, rights, confirmation, answers, follow-ups, comments, access log; the stored
    # file for this content (reports.pdf_cache); on a first download its storing: savepoint, the earlier
    # content's file deleted, the new one, release. A repeated download: 9.
    "PDF": 13,
    # From the snapshot (the second call): token, cycle, then the data version
    # (reports.statistics_queries.data_version). A fixed number whatever the size.
    "statistics (whole org)": 3,
    # token; then every thing that waits in the open conversations the caller may see, in one
    # statement (conversations.notify.waiting.THINGS_SQL), whatever the size and the kinds.
    "waiting (leader)": 2,
    "waiting (employee)": 2,
    # The leader's Retning page, HTML: session, user, then goals.selectors.direction (5 queries:
    # the unit's goals, the conversations with their employees, the linked goals, the unit goals of
    # their chains, ...) and the cycles of the filter; see tests/test_scale.py.
    "Retning (leader page)": 10,
}
TRIVIAL = "trivial (me/)"
DIRECTION = "Retning (leader page)"


@dataclass(frozen=True)
class Call:
    """One request of the benchmark: who sends it (a user id) and what."""

    user_id: int
    method: str
    path: str
    body: dict | None = None
    session: bool = False  # a page, sent with a session cookie instead of an API token


def bench_calls(limit: int = 400, seed: int = 7) -> dict[str, list[Call]]:
    """Requests for each measured endpoint, spread over the organisation (the same for the same data)."""
    from django.db.models import Count, F, OuterRef, Q, Subquery

    from conversations.models import Conversation, Cycle
    from goals.models import Goal
    from organization.models import User

    rng = random.Random(seed)  # noqa: S311 - sampling
    cycle = Cycle.objects.order_by("-starts_on", "-id").first()
    first_goal = Goal.objects.filter(conversation=OuterRef("pk")).order_by("order", "id").values("id")[:1]
    contracts = list(
        Conversation.objects.filter(cycle=cycle, status=Status.CONFIRMED, leader_id=F("employee__manager_id"))
        .annotate(goal=Subquery(first_goal))
        .values_list("id", "employee_id", "leader_id", "goal", "employee__is_leader")
    )
    contracts = rng.sample(contracts, min(limit, len(contracts)))
    employees = [e for _, e, _, _, is_leader in contracts if not is_leader]
    contracts = [c[:4] for c in contracts]
    leaders = list(
        User.objects.filter(is_leader=True, is_active=True, unit__depth=3)
        .annotate(team=Count("reports", filter=Q(reports__is_active=True)))
        .filter(team__gte=5)
        .values_list("id", flat=True)
    )
    leaders = rng.sample(leaders, min(limit, len(leaders)))
    hr = list(User.objects.filter(is_hr=True, is_active=True).values_list("id", flat=True)[:limit])
    api = "/api/v1"
    follow_up = {"text": "Er vi på rett vei? Ja, vi er i rute.", "progress": 50, "item_status": "on_track"}
    calls = {
        TRIVIAL: [Call(e, "GET", f"{api}/me/") for _, e, _, _ in contracts],
        "leader list": [Call(leader, "GET", f"{api}/conversations/") for leader in leaders],
        "detail": [
            Call((e, lead)[i % 2], "GET", f"{api}/conversations/{c}/")
            for i, (c, e, lead, _) in enumerate(contracts)
        ],
        "follow-up POST": [
            Call((lead, e)[i % 2], "POST", f"{api}/conversations/{c}/follow-ups/", {**follow_up, "goal": g})
            for i, (c, e, lead, g) in enumerate(contracts)
        ],
        "employee list": [Call(e, "GET", f"{api}/conversations/") for e in employees],
        "PDF": [Call(e, "GET", f"{api}/conversations/{c}/pdf/") for c, e, _, _ in contracts],
        "statistics (whole org)": [Call(h, "GET", f"{api}/statistics/?cycle={cycle.id}") for h in hr],
        "waiting (leader)": [Call(leader, "GET", f"{api}/me/waiting/") for leader in leaders],
        "waiting (employee)": [Call(e, "GET", f"{api}/me/waiting/") for e in employees],
        DIRECTION: [Call(leader, "GET", f"/retning/?cycle={cycle.id}", session=True) for leader in leaders],
    }
    return calls
