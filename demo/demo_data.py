"""The demo organisation: a small "Oslo kommune" and a year of medarbeidersamtaler, as plain data (the
conversations in `stories.toml`).

`python manage.py seed_demo` plays it through the services. Days are relative to the day the command
runs (negative = in the past), so the current cycle's deadline is always ahead and last year's
conversations are always a year old.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DEMO_PASSWORD = "samtale-demo"  # noqa: S105  (published in the README: demo data only)
ADMIN_ID = "admin"
ADMIN_NAME = "Administrator (demo)"
ADMIN_EMAIL = "admin@example.org"

LEADER = "leader"
EMPLOYEE = "employee"

ROOT = "Oslo kommune"
DRIFT = "Oslo kommune/Bymiljøetaten/Seksjon for drift"
PLAN = "Oslo kommune/Bymiljøetaten/Seksjon for plan"
LEGEVAKTEN = "Oslo kommune/Helseetaten/Legevakten"
SKOLEUTVIKLING = "Oslo kommune/Utdanningsetaten/Seksjon for skoleutvikling"
HR_UNIT = "Oslo kommune/HR-avdelingen"
UNITS = (ROOT, DRIFT, PLAN, LEGEVAKTEN, SKOLEUTVIKLING, HR_UNIT)


@dataclass(frozen=True)
class Person:
    employee_id: str
    full_name: str
    email: str
    unit: str
    manager: str | None = None
    leader: bool = False
    hr: bool = False


def _employee(employee_id, full_name, email, unit, manager):
    return Person(employee_id, full_name, f"{email}@example.org", unit, manager)


def _leader(employee_id, full_name, email, unit, manager):
    return Person(employee_id, full_name, f"{email}@example.org", unit, manager, leader=True)


# Managers come before their reports.
PEOPLE = (
    _leader("10000", "Marianne Aas Solberg", "marianne.solberg", ROOT, None),
    Person("19001", "Camilla Hovland", "camilla.hovland@example.org", HR_UNIT, "10000", hr=True),
    _leader("10100", "Per Arne Haugen", "per.arne.haugen", DRIFT, "10000"),
    _leader("10200", "Ingrid Sørensen", "ingrid.sorensen", PLAN, "10000"),
    _leader("10300", "Tor Erik Lunde", "tor.erik.lunde", LEGEVAKTEN, "10000"),
    _leader("10400", "Hilde Bakken", "hilde.bakken", SKOLEUTVIKLING, "10000"),
    _employee("10101", "Ola Kristiansen", "ola.kristiansen", DRIFT, "10100"),
    _employee("10102", "Fatima Ahmadi", "fatima.ahmadi", DRIFT, "10100"),
    _employee("10103", "Lars Henrik Dahl", "lars.henrik.dahl", DRIFT, "10100"),
    _employee("10104", "Siri Johansen", "siri.johansen", DRIFT, "10100"),
    _employee("10201", "Jonas Eriksen Lie", "jonas.lie", PLAN, "10200"),
    _employee("10202", "Maria Olsen", "maria.olsen", PLAN, "10200"),
    _employee("10203", "Emil Strand", "emil.strand", PLAN, "10200"),
    _employee("10204", "Nora Pedersen", "nora.pedersen", PLAN, "10200"),
    _employee("10301", "Aisha Mohammed", "aisha.mohammed", LEGEVAKTEN, "10300"),
    _employee("10302", "Kristoffer Berg", "kristoffer.berg", LEGEVAKTEN, "10300"),
    _employee("10303", "Hanne Larsen", "hanne.larsen", LEGEVAKTEN, "10300"),
    _employee("10304", "Magnus Nilsen", "magnus.nilsen", LEGEVAKTEN, "10300"),
    _employee("10401", "Sofie Andersen", "sofie.andersen", SKOLEUTVIKLING, "10400"),
    _employee("10402", "Thomas Moen", "thomas.moen", SKOLEUTVIKLING, "10400"),
    _employee("10403", "Ewa Kowalska", "ewa.kowalska", SKOLEUTVIKLING, "10400"),
    _employee("10404", "Mehmet Yilmaz", "mehmet.yilmaz", SKOLEUTVIKLING, "10400"),
)
DEMO_IDS = tuple(p.employee_id for p in PEOPLE)

TEMPLATE_NAME = "Standardmal 2027"
TEMPLATE_POINTS = (
    ("Hvordan har du det på jobb?", "Trivsel, arbeidsbelastning og balansen mellom jobb og fritid."),
    ("Oppgaver og ansvar siste år", "Hva har gått bra, og hva har vært krevende? Hva gjør vi annerledes?"),
    ("Mål for neste periode", "Resultatmål, utviklingsmål og relasjonsmål: hva vil vi se er oppnådd?"),
    ("Samarbeid og arbeidsmiljø", "Samarbeidet i teamet, med andre enheter og med meg som leder."),
    ("Kompetanse og utvikling", "Hva trenger du å lære, og hvordan får vi det til?"),
    ("Forventninger begge veier", "Hva forventer vi av hverandre det neste året?"),
)

PREVIOUS_CYCLE = "Medarbeidersamtaler 2026"
CURRENT_CYCLE = "Medarbeidersamtaler 2027"
# name: (starts_on, deadline) in days from today
CYCLES = {PREVIOUS_CYCLE: (-395, -300), CURRENT_CYCLE: (-30, 90)}


# --- unit goals of the current cycle, on three levels: (unit path, title, description, supports) -----------

BYMILJO = "Oslo kommune/Bymiljøetaten"
HELSE = "Oslo kommune/Helseetaten"
UTDANNING = "Oslo kommune/Utdanningsetaten"
TRYGG_BY = (ROOT, "En trygg, ren og grønn by")
RASK_HJELP = (ROOT, "Innbyggerne får riktig hjelp raskt")
GOD_SKOLE = (ROOT, "Alle barn lærer å lese, skrive og regne godt")
VEDLIKEHOLD = (BYMILJO, "Gater, lys og sykkelveier som virker hele året")
AKUTTHJELP = (HELSE, "Kortere ventetid i den akutte helsetjenesten")
LESEFERDIGHET = (UTDANNING, "Tidlig innsats i lesing på småtrinnet")
GATELYS_I_TIDE = (DRIFT, "Feil på gatelys og skilt rettes innen en uke")
SYKKEL_PLAN = (PLAN, "Planer for sammenhengende sykkelveinett")
LEGEVAKT_VENTETID = (LEGEVAKTEN, "Pasienter med lav hastegrad får hjelp innen en time")
LESEKARTLEGGING = (SKOLEUTVIKLING, "Kartlegging av lesing som skolene bruker")
UNIT_GOALS = (
    (*TRYGG_BY, "Byens felles rom skal være trygge og rene, og folk skal kunne gå og sykle.", None),
    (*RASK_HJELP, "Innbyggere som trenger helsehjelp, får den raskt og på riktig nivå.", None),
    (*GOD_SKOLE, "Grunnleggende ferdigheter er nøkkelen til resten av skolegangen.", None),
    (*VEDLIKEHOLD, "Drift og planlegging sørger for at byrommet virker, sommer og vinter.", TRYGG_BY),
    (*AKUTTHJELP, "Legevakten og akuttmottakene samarbeider om pasientflyten.", RASK_HJELP),
    (*LESEFERDIGHET, "Skolene fanger opp elever som strever, tidlig.", GOD_SKOLE),
    (*GATELYS_I_TIDE, "Meldinger i Bymelding følges opp raskt.", VEDLIKEHOLD),
    (*SYKKEL_PLAN, "Planforslag som henger sammen på tvers av bydelene.", VEDLIKEHOLD),
    (*LEGEVAKT_VENTETID, "Bedre triage og bemanning på kveldstid.", AKUTTHJELP),
    (*LESEKARTLEGGING, "Et verktøy lærerne faktisk bruker.", LESEFERDIGHET),
)


# --- contract items ---------------------------------------------------------------------------------------


def task(title, description="", due=None):
    return {"model": "task", "title": title, "description": description, "due": due}


def goal(kind, title, *, description="", measure="", due=None, supports=None):
    """`supports`: (unit path, title) of a unit goal of the current cycle (`UNIT_GOALS`)."""
    data = {
        "model": "goal",
        "kind": kind,
        "title": title,
        "description": description,
        "measure": measure,
        "due": due,
    }
    if supports:
        data["supports"] = supports
    return data


def leader_expects(text):
    return {"model": "expectation", "direction": "leader_to_employee", "text": text}


def employee_expects(text):
    return {"model": "expectation", "direction": "employee_to_leader", "text": text}


@dataclass(frozen=True)
class Step:
    """One thing that happens to a conversation, on a day, by someone ("leader", "employee" or an id).

    `item` points at a contract item as (kind, title) or, for expectations, (kind, start of the text).
    """

    day: int
    action: str
    by: str = LEADER
    text: str = ""
    item: tuple[str, str] | None = None
    data: dict = field(default_factory=dict)


def follow_up(day, by, item, text, progress=None, status=""):
    return Step(day, "follow_up", by, text, item, {"progress": progress, "item_status": status})


def respond(day, item, stance, comment=""):
    return Step(day, "respond", EMPLOYEE, comment, item, {"stance": stance})


@dataclass(frozen=True)
class Story:
    """One conversation: created by the leader, items recorded at the meeting, then the steps."""

    employee: str
    cycle: str
    created: int
    meeting: int
    items: tuple = ()
    steps: tuple = ()
    carry_over: bool = False


# --- the conversations, as data: demo/stories.toml --------------------------------------------------------


def _item(spec: dict) -> dict:
    """A contract item from its entry in stories.toml."""
    spec = dict(spec)
    if "task" in spec:
        return task(spec.pop("task"), **spec)
    if "goal" in spec:
        supports = tuple(spec.pop("supports")) if "supports" in spec else None
        return goal(spec.pop("goal"), spec.pop("title"), supports=supports, **spec)
    if "leader_expects" in spec:
        return leader_expects(spec["leader_expects"])
    return employee_expects(spec["employee_expects"])


def _step(spec: dict) -> Step:
    """A step from its entry in stories.toml."""
    if "respond" in spec:
        return respond(spec["day"], tuple(spec["respond"]), spec["stance"], spec.get("comment", ""))
    if "follow_up" in spec:
        return follow_up(
            spec["day"],
            spec["by"],
            tuple(spec["follow_up"]),
            spec["text"],
            spec.get("progress"),
            spec.get("status", ""),
        )
    data = spec.get("data", {})
    return Step(
        spec["day"],
        spec["action"],
        spec.get("by", LEADER),
        spec.get("text", ""),
        tuple(spec["item"]) if "item" in spec else None,
        _item(data) if spec["action"] == "add" else dict(data),
    )


def _story(spec: dict, cycle: str) -> Story:
    return Story(
        spec["employee"],
        cycle,
        created=spec["created"],
        meeting=spec["meeting"],
        items=tuple(_item(item) for item in spec.get("items", ())),
        steps=tuple(_step(step) for step in spec.get("steps", ())),
        carry_over=spec.get("carry_over", False),
    )


with (Path(__file__).parent / "stories.toml").open("rb") as _file:
    _STORIES = tomllib.load(_file)
PREVIOUS_STORIES = tuple(_story(spec, PREVIOUS_CYCLE) for spec in _STORIES["previous"])
CURRENT_STORIES = tuple(_story(spec, CURRENT_CYCLE) for spec in _STORIES["current"])
STORIES = PREVIOUS_STORIES + CURRENT_STORIES
