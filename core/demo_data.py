"""The demo organisation: a small "Oslo kommune" and a year of medarbeidersamtaler, as plain data.

`python manage.py seed_demo` plays it through the services. Days are relative to the day the command
runs (negative = in the past), so the current cycle's deadline is always ahead and last year's
conversations are always a year old.
"""

from dataclasses import dataclass, field

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


# --- last year: confirmed, followed up through the year, closed ---------------------------------------------

GRAVEMELDING = "Redusere saksbehandlingstiden for gravemeldinger til 3 uker"
KONTRAKTSKURS = "Fullføre kurs i kontraktsoppfølging og offentlige anskaffelser"
FADDER = "Være fadder for nyansatte i driftsseksjonen"
VINTER = "Koordinere vintervedlikeholdet av gang- og sykkelveier i sentrum"
BRUER = "Gjennomføre tilstandsregistrering av 40 bruer og kaier"
KLIMAKURS = "Fullføre kurs i klimatilpasning og overvannshåndtering"
UTTALELSER = "Levere alle uttalelser til reguleringsplaner innen høringsfristen"
TREDE = "Lære å bruke 3D-modeller i vurderingen av byrom"
TRIAGE = "Innføre triageverktøyet i skadepoliklinikken"
AKUTT = "Videreutdanning i akuttsykepleie (60 studiepoeng)"

PREVIOUS_STORIES = (
    Story(
        "10101",
        PREVIOUS_CYCLE,
        created=-390,
        meeting=-385,
        items=(
            task(VINTER, "Daglig oppfølging av entreprenøren i brøytesesongen, med skoleveiene først.", -250),
            task(
                "Følge opp entreprenørene på driftskontraktene for sommervedlikehold",
                "Månedlige kontrollrunder og oppfølging av avvik.",
                -30,
            ),
            goal(
                "result",
                GRAVEMELDING,
                description="Nå tar det i snitt seks uker fra en gravemelding kommer inn til den er ferdig.",
                measure="Median saksbehandlingstid, målt månedlig i gravemeldingssystemet",
                due=-40,
            ),
            goal(
                "development",
                KONTRAKTSKURS,
                description="Tre samlinger, med egen oppgave fra vår neste anbudsrunde.",
                measure="Kursbevis, og kunnskapen er brukt i neste anbudsrunde",
                due=-200,
            ),
            goal(
                "relational",
                FADDER,
                description="Ta imot nye kolleger og vise dem rutinene de første månedene.",
                measure="Nyansatte sier i tremånederssamtalen at de har hatt noen å spørre",
            ),
            leader_expects("Si fra tidlig hvis fristene ikke holder, så prioriterer vi sammen."),
            leader_expects("Del erfaringene fra gravemeldingsarbeidet med resten av seksjonen."),
            employee_expects("Tydelige prioriteringer når mange hastesaker kommer samtidig."),
            employee_expects("Faste en-til-en-samtaler hver måned, også i brøytesesongen."),
        ),
        steps=(
            Step(-385, "submit"),
            respond(-384, ("goal", GRAVEMELDING), "agree"),
            respond(-384, ("goal", FADDER), "agree"),
            Step(-384, "confirm", EMPLOYEE),
            follow_up(
                -330,
                EMPLOYEE,
                ("goal", GRAVEMELDING),
                "Ny sjekkliste for mottak er tatt i bruk. Medianen er nå fem uker.",
                25,
                "on_track",
            ),
            follow_up(
                -300,
                LEADER,
                ("task", VINTER),
                "Brøytesesongen er over. Ingen klager fra skolene i år – godt jobbet!",
                100,
                "achieved",
            ),
            follow_up(
                -260,
                EMPLOYEE,
                ("goal", KONTRAKTSKURS),
                "Kurset er fullført, og kursbeviset ligger i personalmappen.",
                100,
                "achieved",
            ),
            follow_up(
                -200,
                LEADER,
                ("goal", GRAVEMELDING),
                "Er vi på rett vei? Mange meldinger om fjernvarme i sommer; medianen steg til 5,5 uker.",
                35,
                "at_risk",
            ),
            Step(
                -199,
                "comment",
                EMPLOYEE,
                "Vi trenger en ekstra saksbehandler i sommermånedene for å klare dette.",
                ("goal", GRAVEMELDING),
            ),
            follow_up(
                -120,
                EMPLOYEE,
                ("goal", GRAVEMELDING),
                "Med sommervikar og ny vedtaksmal er medianen nå fire uker.",
                60,
                "on_track",
            ),
            follow_up(
                -90,
                EMPLOYEE,
                ("goal", FADDER),
                "To nyansatte har hatt meg som fadder, og begge gir gode tilbakemeldinger.",
                50,
                "on_track",
            ),
            follow_up(
                -60,
                LEADER,
                ("goal", GRAVEMELDING),
                "Medianen er 3,5 uker. Nesten i mål – vi tar målet med oss inn i neste år.",
                80,
                "at_risk",
            ),
            Step(-35, "close"),
        ),
    ),
    Story(
        "10102",
        PREVIOUS_CYCLE,
        created=-388,
        meeting=-380,
        items=(
            task(
                "Ansvar for beredskapsplanen ved flom og styrtregn",
                "Oppdatere planen og øve på den sammen med entreprenørene.",
                -230,
            ),
            goal(
                "result",
                BRUER,
                measure="Antall konstruksjoner registrert i forvaltningssystemet",
                due=-60,
            ),
            goal("development", KLIMAKURS, measure="Kursbevis og et internt fagmøte om overvann", due=-150),
            goal(
                "relational",
                "Bygge et tettere samarbeid med Vann- og avløpsetaten om overvann",
                measure="Felles statusmøte hver måned og en felles tiltaksliste",
            ),
            leader_expects("Sørg for at beredskapsplanen er kjent i hele seksjonen."),
            employee_expects("Tid til faglig fordypning i perioder uten beredskap."),
        ),
        steps=(
            Step(-380, "submit"),
            Step(-378, "confirm", EMPLOYEE),
            follow_up(
                -300, EMPLOYEE, ("goal", BRUER), "14 av 40 konstruksjoner er registrert.", 35, "on_track"
            ),
            follow_up(
                -210,
                LEADER,
                ("goal", BRUER),
                "Er vi på rett vei? Ja – godt tempo, og registreringene holder høy kvalitet.",
                60,
                "on_track",
            ),
            follow_up(-150, EMPLOYEE, ("goal", KLIMAKURS), "Kurset er fullført.", 100, "achieved"),
            follow_up(
                -70,
                EMPLOYEE,
                ("goal", BRUER),
                "32 av 40. De siste krever dykker og er utsatt til våren.",
                80,
                "at_risk",
            ),
            Step(-34, "close"),
        ),
    ),
    Story(
        "10201",
        PREVIOUS_CYCLE,
        created=-392,
        meeting=-386,
        items=(
            task("Koordinere Bymiljøetatens uttalelser til reguleringsplaner"),
            goal(
                "result",
                UTTALELSER,
                measure="Andel uttalelser levert innen fristen (mål: 100 %)",
                due=-40,
            ),
            goal("development", TREDE, measure="3D-modell brukt i minst to saker", due=-60),
            leader_expects("Involver driftsseksjonen tidlig når planene berører vedlikehold."),
            employee_expects("Rask avklaring når etatene er uenige."),
        ),
        steps=(
            Step(-386, "submit"),
            Step(-384, "confirm", EMPLOYEE),
            follow_up(
                -280,
                EMPLOYEE,
                ("goal", UTTALELSER),
                "18 av 18 uttalelser er levert i tide så langt.",
                40,
                "on_track",
            ),
            follow_up(
                -100,
                LEADER,
                ("goal", UTTALELSER),
                "Alle uttalelser levert i tide i år. Sterkt!",
                100,
                "achieved",
            ),
            follow_up(-90, EMPLOYEE, ("goal", TREDE), "Har brukt 3D-modell i to saker.", 60, "on_track"),
            Step(-33, "close"),
        ),
    ),
    Story(
        "10301",
        PREVIOUS_CYCLE,
        created=-385,
        meeting=-379,
        items=(
            task("Opplæring av nye sykepleiere i mottaket", due=-200),
            goal(
                "result",
                TRIAGE,
                measure="Alle pasienter er triagert innen 15 minutter etter ankomst",
                due=-150,
            ),
            goal("development", AKUTT, measure="Bestått eksamen", due=150),
            leader_expects("Si fra når bemanningen ikke er forsvarlig."),
            employee_expects("Forutsigbar turnus, med vaktbytter avklart minst to uker før."),
        ),
        steps=(
            Step(-379, "submit"),
            Step(-378, "confirm", EMPLOYEE),
            follow_up(-250, EMPLOYEE, ("goal", TRIAGE), "Verktøyet er i bruk på dagtid.", 50, "on_track"),
            follow_up(
                -160,
                LEADER,
                ("goal", TRIAGE),
                "Triagering innen 15 minutter på alle vakter nå.",
                100,
                "achieved",
            ),
            follow_up(-120, EMPLOYEE, ("goal", AKUTT), "Første eksamen er bestått.", 40, "on_track"),
            Step(-31, "close"),
        ),
    ),
)


# --- this year: every state of the workflow ---------------------------------------------------------------

TILLIT = "Innføre tillitsbasert oppfølging i Seksjon for drift"
GEODATA = "Ta fagkurs i geodata og kartverktøy"
GATELYS = "Redusere tiden fra feilmelding til reparert gatelys til 5 virkedager"
FAGBREV = "Ta fagbrev i anleggsteknikk"
PLANUTTALELSER = "Gi uttalelse til 12 store reguleringsplaner innen fristen"
PLANTASK = "Koordinere etatens uttalelser til reguleringsplaner"
SYKKELVEI = "Legge fram forslag til plan for nye sykkelveier i Groruddalen"
VISUALISERING = "Lære 3D-visualisering til bruk i medvirkning"
HJERTESONER = "Etablere hjertesoner ved 10 skoler"
VENTETID = "Halvere ventetiden for pasienter med lav hastegrad på kveldstid"
LESING = "Ta i bruk nytt verktøy for kartlegging av leseferdigheter på 1.–4. trinn i 20 skoler"
LESENETTVERK = "Bygge et nettverk av lesekontakter på skolene"

CURRENT_STORIES = (
    Story(
        "10100",
        CURRENT_CYCLE,
        created=-27,
        meeting=-23,
        items=(
            goal(
                "relational",
                TILLIT,
                description="Færre faste rapporter, flere samtaler der arbeidet gjøres.",
                measure="Halvparten så mange faste rapporter; økt opplevd tillit i medarbeiderundersøkelsen",
                due=300,
            ),
            goal(
                "result",
                "Ny driftskontrakt for gatevedlikehold i indre by er på plass",
                measure="Kontrakten er signert og oppstartsmøtet holdt",
                due=150,
            ),
            goal("development", "Gjennomføre lederprogrammet for mellomledere", due=250),
            leader_expects("Løft problemer tidlig, også når de ikke er løst ennå."),
            employee_expects("Handlingsrom til å prioritere innenfor budsjettet uten ekstra rapportering."),
        ),
        steps=(
            Step(-23, "submit"),
            Step(-21, "confirm", EMPLOYEE),
            follow_up(
                -8,
                LEADER,
                ("goal", TILLIT),
                "Er vi på rett vei? De første tavlemøtene er holdt, og lagene melder om mindre papirarbeid.",
                20,
                "on_track",
            ),
        ),
    ),
    Story(
        "10200",
        CURRENT_CYCLE,
        created=-6,
        meeting=2,
        items=(
            goal(
                "result",
                "Få på plass en felles prioriteringsliste for seksjonens planarbeid",
                measure="Listen er vedtatt i ledermøtet og brukt i to tertialer",
                due=200,
            ),
            leader_expects("Hold meg orientert om ressurssituasjonen i seksjonen."),
        ),
        steps=(Step(-5, "agenda", EMPLOYEE, "Ressurssituasjonen i seksjonen etter to permisjoner"),),
    ),
    Story(
        "10101",
        CURRENT_CYCLE,
        created=-22,
        meeting=-18,
        carry_over=True,
        items=(
            task("Ansvar for vinterberedskapen i bydel Gamle Oslo", due=100),
            goal(
                "development",
                GEODATA,
                measure="Lager egne kartutsnitt til gravemeldinger uten hjelp",
                due=180,
            ),
            leader_expects("Fortsett å si fra tidlig når fristene ikke holder."),
            employee_expects("Avklaring av hvem som tar kontrollrundene når jeg har beredskapsuke."),
        ),
        steps=(
            Step(
                -18,
                "update",
                item=("goal", GRAVEMELDING),
                data={"measure": "Median saksbehandlingstid under 3 uker fire måneder på rad", "due": 220},
            ),
            Step(-18, "submit"),
            respond(
                -17,
                ("goal", GRAVEMELDING),
                "agree_with_comment",
                "Enig, forutsatt at sommervikaren videreføres.",
            ),
            respond(-17, ("goal", GEODATA), "agree"),
            Step(-17, "confirm", EMPLOYEE),
            follow_up(
                -5,
                EMPLOYEE,
                ("goal", GRAVEMELDING),
                "Er vi på rett vei? Ja: medianen forrige måned var 3,2 uker.",
                85,
                "on_track",
            ),
        ),
    ),
    Story(
        "10103",
        CURRENT_CYCLE,
        created=-9,
        meeting=-3,
        items=(
            task("Driftsansvar for gatelys og skilt i bydel Frogner"),
            goal(
                "result",
                GATELYS,
                measure="Gjennomsnittlig reparasjonstid i Bymelding",
                due=200,
                supports=GATELYS_I_TIDE,
            ),
            goal("development", FAGBREV, measure="Bestått fagprøve", due=365),
            leader_expects("Hold innbyggerne orientert gjennom Bymelding når saker tar tid."),
            employee_expects("Støtte til fagbrevet: tid til lesing og eksamen i arbeidstiden."),
        ),
        steps=(
            Step(
                -8,
                "agenda",
                EMPLOYEE,
                "Spørre om støtte til fagbrev i anleggsteknikk",
                data={"shared": False},
            ),
            Step(-5, "share_agenda", EMPLOYEE, "Spørre om støtte til fagbrev i anleggsteknikk"),
            Step(-3, "submit"),
            respond(-1, ("goal", GATELYS), "agree"),
            respond(
                -1,
                ("expectation", "Hold innbyggerne"),
                "agree_with_comment",
                "Enig, men Bymelding trenger bedre maler for statusmeldinger.",
            ),
        ),
    ),
    Story(
        "10104",
        CURRENT_CYCLE,
        created=-5,
        meeting=7,
        items=(task("Kontaktperson for grøntvedlikeholdskontrakten i bydel Sagene", due=120),),
        steps=(
            Step(
                -4,
                "agenda",
                EMPLOYEE,
                "Vil ta opp ønske om å gå ned til 80 % stilling fra høsten.",
                data={"shared": False},
            ),
            Step(-4, "agenda", EMPLOYEE, "Arbeidsbelastningen i brøytesesongen"),
            Step(-3, "agenda", LEADER, "Ansvar for ny kontrakt for grøntvedlikehold"),
        ),
    ),
    Story(
        "10201",
        CURRENT_CYCLE,
        created=-13,
        meeting=-8,
        items=(
            task(PLANTASK),
            goal(
                "result",
                PLANUTTALELSER,
                measure="Uttalelser levert innen høringsfristen",
                due=300,
            ),
            goal(
                "development", "Ta videreutdanning i plan- og bygningsrett", measure="30 studiepoeng", due=330
            ),
            leader_expects("Involver driftsseksjonen tidlig, som i fjor."),
            employee_expects("Rask avklaring når etatene er uenige."),
        ),
        steps=(
            Step(-8, "submit"),
            respond(
                -7,
                ("goal", PLANUTTALELSER),
                "disagree",
                "Med dagens bemanning er 12 store planer urealistisk. Åtte går, ellers må noe annet ut.",
            ),
            respond(-7, ("task", PLANTASK), "agree"),
            Step(
                -7,
                "request_changes",
                EMPLOYEE,
                "Jeg ønsker å justere målet for antall planuttalelser, se svaret mitt.",
            ),
            Step(-6, "comment", LEADER, "Godt innspill. Jeg ser på prioriteringene og sender en ny versjon."),
        ),
    ),
    Story(
        "10202",
        CURRENT_CYCLE,
        created=-25,
        meeting=-20,
        items=(
            task("Saksansvar for sykkelveiplanen i Groruddalen"),
            task("Fagansvar for medvirkning med barn og unge i byromsplaner"),
            goal(
                "result",
                SYKKELVEI,
                measure="Planforslaget er oversendt byrådsavdelingen",
                due=180,
                supports=SYKKEL_PLAN,
            ),
            goal("development", VISUALISERING, measure="3D-modell brukt på minst to folkemøter", due=240),
            goal(
                "relational",
                "Etablere faste samarbeidsmøter med Plan- og bygningsetaten",
                measure="Møte annenhver uke med felles saksliste",
            ),
            leader_expects("Hold framdriftsplanen oppdatert og del den med seksjonen."),
            employee_expects("Avklare ressursene til sykkelveiplanen før sommeren."),
        ),
        steps=(
            Step(-20, "submit"),
            respond(
                -19,
                ("goal", SYKKELVEI),
                "agree_with_comment",
                "Enig, men fristen forutsetter en ekstra saksbehandler fra våren.",
            ),
            respond(-19, ("goal", VISUALISERING), "agree"),
            Step(-19, "confirm", EMPLOYEE),
            Step(
                -17,
                "statement",
                EMPLOYEE,
                "Jeg har bekreftet avtalen, men vil ha skrevet inn at fristen for sykkelveiplanen "
                "forutsetter at seksjonen får den lovede ekstra saksbehandleren.",
            ),
            follow_up(
                -7,
                LEADER,
                ("goal", SYKKELVEI),
                "Er vi på rett vei? Stillingen er lyst ut, og fristen står foreløpig.",
                20,
                "at_risk",
            ),
            Step(
                -6,
                "comment",
                EMPLOYEE,
                "Takk. Jeg sender utkast til planprogram om to uker.",
                ("goal", SYKKELVEI),
            ),
        ),
    ),
    Story(
        "10203",
        CURRENT_CYCLE,
        created=-28,
        meeting=-24,
        items=(
            task("Ansvar for hjertesoner rundt skolene i bydel Grorud"),
            goal(
                "result",
                HJERTESONER,
                measure="Antall skoler med skilting og trafikktiltak på plass",
                due=200,
            ),
            goal("development", "Kurs i trafikksikkerhetsrevisjon", due=150),
            leader_expects("Involver skolene og FAU tidlig."),
            employee_expects("Hjelp til å få budsjettet for skilting avklart."),
        ),
        steps=(
            Step(-24, "submit"),
            Step(-22, "confirm", EMPLOYEE),
            follow_up(-10, EMPLOYEE, ("goal", HJERTESONER), "Tre skoler er ferdig planlagt.", 20, "on_track"),
            Step(-3, "amend"),
            Step(
                -3,
                "add",
                data=task(
                    "Fagansvar for den nye veilederen for skoleveier",
                    "Overtar etter en kollega som har sluttet.",
                    120,
                ),
            ),
            Step(
                -3,
                "update",
                item=("goal", HJERTESONER),
                data={"measure": "Skoler med skilting og tiltak på plass: 8 innen fristen, resten neste år"},
            ),
            Step(
                -3,
                "comment",
                LEADER,
                "Vi endrer avtalen fordi du overtar veilederarbeidet. Hjertesonemålet justeres tilsvarende.",
            ),
        ),
    ),
    Story(
        "10204",
        CURRENT_CYCLE,
        created=-15,
        meeting=5,
        steps=(
            Step(
                -8,
                "comment",
                LEADER,
                "Samtalen avlyses: Nora er i foreldrepermisjon. Vi tar en ny samtale når hun er tilbake.",
            ),
            Step(-8, "cancel"),
        ),
    ),
    Story(
        "10302",
        CURRENT_CYCLE,
        created=-10,
        meeting=-4,
        items=(
            task("Fagansvarlig for opplæringen i nytt journalsystem"),
            goal("development", "Fullføre veilederutdanning for sykepleiere", measure="Bestått", due=270),
            goal(
                "relational",
                "Styrke samarbeidet mellom sykepleiere og leger i akuttmottaket",
                measure="Felles fagdag hvert kvartal",
            ),
            leader_expects("Vær stedfortreder for avdelingsleder i ferier."),
            employee_expects("Tydelige fullmakter når jeg er stedfortreder."),
        ),
        steps=(
            Step(-4, "submit"),
            Step(-3, "comment", EMPLOYEE, "Takk for en god samtale. Jeg går gjennom avtalen i løpet av uka."),
        ),
    ),
    Story(
        "10303",
        CURRENT_CYCLE,
        created=-4,
        meeting=6,
        steps=(
            Step(-4, "agenda", LEADER, "Vaktbelastningen for legevaktlegene, særlig nattevaktene"),
            Step(-2, "agenda", EMPLOYEE, "Ønske om mer tid til veiledning av leger i spesialisering"),
        ),
    ),
    Story(
        "10401",
        CURRENT_CYCLE,
        created=-26,
        meeting=-21,
        items=(
            task("Prosjektleder for innføringen av kartleggingsverktøyet", due=240),
            goal(
                "result",
                LESING,
                measure="Skoler som har gjennomført kartleggingen med verktøyet",
                due=280,
                supports=LESEKARTLEGGING,
            ),
            goal(
                "development",
                "Fordype meg i leseopplæring for flerspråklige elever",
                measure="Gjennomført kurs og laget en veileder for skolene",
                due=200,
            ),
            goal("relational", LESENETTVERK, measure="Nettverksmøte hver sjette uke med minst 15 skoler"),
            leader_expects("Hold skolene i sentrum: verktøyet skal gi lærerne mindre arbeid, ikke mer."),
            employee_expects("Hjelp til å prioritere når skolene ber om mer enn vi rekker."),
        ),
        steps=(
            Step(-21, "submit"),
            Step(-20, "confirm", EMPLOYEE),
            follow_up(
                -12, LEADER, ("goal", LESING), "Er vi på rett vei? Seks skoler er i gang.", 30, "on_track"
            ),
            follow_up(
                -4,
                EMPLOYEE,
                ("goal", LESENETTVERK),
                "Første nettverksmøte: 17 skoler deltok.",
                25,
                "on_track",
            ),
            Step(
                -3, "comment", LEADER, "Flott! Del gjerne referatet med Thomas også.", ("goal", LESENETTVERK)
            ),
        ),
    ),
    Story(
        "10402",
        CURRENT_CYCLE,
        created=-12,
        meeting=-6,
        items=(
            task("Opplæring i den nye læringsplattformen for lærere på ungdomstrinnet"),
            goal(
                "result",
                "Alle ungdomsskoler har tatt i bruk den nye læringsplattformen",
                measure="Andel ungdomsskoler med aktive fagrom",
                due=200,
            ),
            goal("relational", "Tettere dialog med de tillitsvalgte om digitaliseringstiltak"),
            leader_expects("Ta med lærernes erfaringer tilbake til seksjonen."),
            employee_expects("Ro til å gjøre ferdig innføringen før nye prosjekter kommer."),
        ),
        steps=(
            Step(-6, "submit"),
            Step(-6, "comment", LEADER, "Ta deg god tid. Si fra om noe ble annerledes enn vi snakket om."),
        ),
    ),
    Story("10403", CURRENT_CYCLE, created=-1, meeting=14),
    # Last: the deputy grant covers all of Tor Erik's conversations created before it.
    Story(
        "10301",
        CURRENT_CYCLE,
        created=-20,
        meeting=-16,
        items=(
            goal(
                "result",
                VENTETID,
                measure="Median ventetid kl. 16–23 ned fra 90 til 45 minutter",
                due=300,
                supports=LEGEVAKT_VENTETID,
            ),
            goal("development", AKUTT, measure="Bestått siste eksamen", due=200),
            goal(
                "relational",
                "Være mentor for to nyutdannede sykepleiere",
                measure="Fast mentormøte hver måned",
            ),
            leader_expects("Bidra i opplæringen av nyansatte."),
            employee_expects("Fleksibel turnus i eksamensperioder."),
        ),
        steps=(
            Step(-16, "submit"),
            respond(-15, ("goal", VENTETID), "agree"),
            Step(-15, "confirm", EMPLOYEE),
            follow_up(
                -6,
                EMPLOYEE,
                ("goal", VENTETID),
                "Piloten med egen sykepleier i skranken på kveldstid er i gang.",
                15,
                "on_track",
            ),
            Step(-2, "grant_deputy", data={"deputy": "10100", "until": 21}),  # a fellow leader
            follow_up(
                -1,
                "10100",
                ("goal", VENTETID),
                "Er vi på rett vei? Fulgte opp piloten mens Tor Erik har ferie: ventetiden er 70 minutter.",
                35,
                "on_track",
            ),
        ),
    ),
)

STORIES = PREVIOUS_STORIES + CURRENT_STORIES
