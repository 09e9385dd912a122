"""One whole year of one conversation, over the API with tokens, the way clients use it.

The leader creates the conversation, both prepare the agenda, the leader records the agreement and
submits it, the employee answers and asks for changes, the leader revises and resubmits, the employee
confirms; both follow up through the year (with a deputy for a while), the leader amends, the employee
confirms again, and the leader closes. At each step the other roles are checked against DESIGN.md:
outsiders and HR get 404, each party gets 403 for the other party's actions, stale versions get 409,
a stale or missing If-Match gets 412 or 428.
"""

import datetime
import io
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from tests import factories
from tests.api.helpers import url

pytestmark = pytest.mark.django_db

SUB_RESOURCES = [
    "",
    "versions/",
    "comments/",
    "agenda/",
    "responses/",
    "follow-ups/",
    "history/",
    "access-log/",
    "calendar.ics",
    "pdf/",
]
TRANSITIONS = {"create", "submit", "request_changes", "revise", "confirm", "amend", "close", "cancel"}


@pytest.fixture(autouse=True)
def empty_cache():
    """Throttle counters start (and end) empty: the walk signs in six people."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class Year:
    """The people of the walk, each with an APIClient signed in with their own token."""

    clients: dict[str, APIClient]
    people: dict[str, object]
    conversation: int = 0
    items: dict[str, int] = field(default_factory=dict)

    def __getattr__(self, role):
        try:
            return self.__dict__["clients"][role]
        except KeyError:
            raise AttributeError(role) from None

    def path(self, rest: str = "") -> str:
        return url(f"conversations/{self.conversation}/{rest}")

    def item_path(self, name: str) -> str:
        kind = name.split(":")[0]
        return url(f"{kind}/{self.items[name]}/")


def sign_in(user) -> APIClient:
    response = APIClient().post(
        url("auth/token/"), {"username": user.employee_id, "password": factories.PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


@pytest.fixture
def year() -> Year:
    unit = factories.OrgUnitFactory(name="Seksjon for drift")
    leader, employee = factories.make_pair(unit)
    people = {
        "leader": leader,
        "employee": employee,
        "colleague": factories.UserFactory(unit=unit, manager=leader),
        "deputy": factories.LeaderFactory(unit=unit),
        "hr": factories.HRFactory(unit=unit),
    }
    people["other_leader"], _ = factories.make_pair()
    return Year(clients={role: sign_in(user) for role, user in people.items()}, people=people)


# --- what every step checks ---------------------------------------------------------------------------


def assert_hidden(year: Year, *roles: str) -> None:
    """`roles` get 404 on the conversation, every sub-resource and every item, exactly as if none existed."""
    for role in roles:
        client = year.clients[role]
        for rest in SUB_RESOURCES:
            assert client.get(year.path(rest)).status_code == 404, (role, rest)
        for name in year.items:
            assert client.get(year.item_path(name)).status_code == 404, (role, name)
        listed = [c["id"] for c in client.get(url("conversations/")).json()["results"]]
        assert year.conversation not in listed, role
        comment = client.post(year.path("comments/"), {"text": "Hei"}, format="json")
        assert comment.status_code == 404, role


def assert_outsiders_see_nothing(year: Year) -> None:
    assert_hidden(year, "colleague", "other_leader", "hr")


def status_of(year: Year, role: str = "leader") -> str:
    return year.clients[role].get(year.path()).json()["status"]


def all_pages(client: APIClient, path: str) -> list[dict]:
    results, next_url = [], path
    while next_url:
        page = client.get(next_url)
        assert page.status_code == 200, page.content
        results += page.json()["results"]
        next_url = page.json()["next"]
    return results


def transitions(year: Year) -> list[str]:
    return [
        e["action"] for e in all_pages(year.employee, year.path("history/")) if e["action"] in TRANSITIONS
    ]


# --- before the meeting -------------------------------------------------------------------------------


def hr_opens_the_cycle(year: Year) -> int:
    template = factories.TemplatePointFactory(text="Hvordan har året vært?").template
    body = {
        "name": "Medarbeidersamtaler 2027",
        "starts_on": str(timezone.localdate()),
        "deadline": str(timezone.localdate() + datetime.timedelta(days=60)),
        "template": template.pk,
    }
    assert year.leader.post(url("cycles/"), body, format="json").status_code == 403
    response = year.hr.post(url("cycles/"), body, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def leader_creates_the_conversation(year: Year, cycle: int) -> None:
    employee = year.people["employee"]
    assert employee.pk in [p["id"] for p in year.leader.get(url("me/reports/")).json()["results"]]
    body = {"employee": employee.pk, "cycle": cycle, "scheduled_at": "2027-01-20T10:00:00+01:00"}
    for role in ("employee", "deputy", "other_leader", "hr"):
        assert year.clients[role].post(url("conversations/"), body, format="json").status_code == 403, role
    response = year.leader.post(url("conversations/"), body, format="json")
    assert response.status_code == 201, response.content
    year.conversation = response.json()["id"]
    assert response["ETag"] == f'"c{year.conversation}-{response.json()["revision"]}"'
    assert status_of(year, "employee") == "draft"
    assert_hidden(year, "deputy")


def the_meeting_moves(year: Year) -> None:
    """PATCH with If-Match: missing gives 428, stale gives 412, current succeeds."""
    etag = year.leader.get(year.path())["ETag"]
    later = {"scheduled_at": "2027-01-21T13:00:00+01:00"}
    assert year.leader.patch(year.path(), later, format="json").status_code == 428
    response = year.leader.patch(year.path(), later, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response["ETag"] != etag
    assert year.leader.patch(year.path(), later, format="json", HTTP_IF_MATCH=etag).status_code == 412
    assert year.employee.patch(year.path(), later, format="json", HTTP_IF_MATCH=etag).status_code == 403
    invitation = year.employee.get(year.path("calendar.ics"))
    assert invitation.status_code == 200
    assert invitation["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in invitation.content
    assert b"DTSTART:20270121T120000Z" in invitation.content


def both_prepare_the_agenda(year: Year) -> None:
    private = {"text": "Jeg vil snakke om arbeidsmengden", "shared": False}
    assert year.employee.post(year.path("agenda/"), private, format="json").status_code == 201
    shared = {"text": "Kurs i prosjektledelse"}
    assert year.employee.post(year.path("agenda/"), shared, format="json").status_code == 201
    assert (
        year.leader.post(year.path("agenda/"), {"text": "Nytt fagsystem"}, format="json").status_code == 201
    )

    seen_by_leader = [p["text"] for p in all_pages(year.leader, year.path("agenda/"))]
    seen_by_employee = [p["text"] for p in all_pages(year.employee, year.path("agenda/"))]
    assert "Hvordan har året vært?" in seen_by_leader  # from the cycle's template
    assert {"Kurs i prosjektledelse", "Nytt fagsystem"} <= set(seen_by_leader)
    assert "Jeg vil snakke om arbeidsmengden" not in seen_by_leader
    assert "Jeg vil snakke om arbeidsmengden" in seen_by_employee


# --- during the meeting -------------------------------------------------------------------------------

ITEMS = {
    "tasks:main": ("tasks/", {"title": "Lede innføringen av fagsystemet", "due_date": "2027-06-30"}),
    "goals:result": (
        "goals/",
        {"kind": "result", "title": "Fagsystemet i drift", "measure": "Alle saker i nytt system"},
    ),
    "goals:development": (
        "goals/",
        {"kind": "development", "title": "Prosjektlederkurs", "measure": "Kurs fullført"},
    ),
    "goals:relational": (
        "goals/",
        {"kind": "relational", "title": "Faste møter med brukerne", "measure": "Ett møte i måneden"},
    ),
    "expectations:to_employee": (
        "expectations/",
        {"direction": "leader_to_employee", "text": "Si fra tidlig om forsinkelser"},
    ),
    "expectations:to_leader": (
        "expectations/",
        {"direction": "employee_to_leader", "text": "Rask avklaring når jeg trenger det"},
    ),
}


def leader_records_the_agreement(year: Year) -> None:
    for name, (rest, body) in ITEMS.items():
        assert year.employee.post(year.path(rest), body, format="json").status_code == 403, name
        response = year.leader.post(year.path(rest), body, format="json")
        assert response.status_code == 201, response.content
        year.items[name] = response.json()["id"]
    detail = year.employee.get(year.path()).json()
    assert sorted(g["kind"] for g in detail["goals"]) == ["development", "relational", "result"]
    assert sorted(e["direction"] for e in detail["expectations"]) == [
        "employee_to_leader",
        "leader_to_employee",
    ]
    assert_employee_cannot_edit(year)


def assert_employee_cannot_edit(year: Year) -> None:
    goal = year.item_path("goals:result")
    etag = year.employee.get(goal)["ETag"]
    assert year.employee.patch(goal, {"title": "Mitt"}, format="json", HTTP_IF_MATCH=etag).status_code == 403
    assert year.employee.delete(goal, HTTP_IF_MATCH=etag).status_code == 403


def submit(year: Year, expected_number: int) -> dict:
    assert year.employee.post(year.path("submit/")).status_code == 403
    response = year.leader.post(year.path("submit/"))
    assert response.status_code == 201, response.content
    version = response.json()
    assert version["number"] == expected_number
    assert len(version["sha256"]) == 64
    assert status_of(year, "employee") == "awaiting_confirmation"
    return version


# --- after the meeting --------------------------------------------------------------------------------


def answer(year: Year, name: str, stance: str, comment: str = "") -> None:
    kind = name.split(":")[0].rstrip("s")
    body = {kind: year.items[name], "stance": stance, "comment": comment}
    assert year.leader.post(year.path("responses/"), body, format="json").status_code == 403
    response = year.employee.post(year.path("responses/"), body, format="json")
    assert response.status_code == 201, response.content


def employee_disagrees_and_asks_for_changes(year: Year, version: dict) -> None:
    answer(year, "tasks:main", "agree")
    answer(year, "goals:result", "disagree", "Juni er for tidlig; september er realistisk")
    answer(year, "expectations:to_leader", "agree_with_comment", "Gjerne innen to dager")
    body = {"comment": "Kan vi flytte fristen for fagsystemet?"}
    assert year.leader.post(year.path("request-changes/"), body, format="json").status_code == 403
    signature = {"version": version["number"], "sha256": version["sha256"]}
    assert year.leader.post(year.path("confirm/"), signature, format="json").status_code == 403
    response = year.employee.post(year.path("request-changes/"), body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "changes_requested"
    change_requests = [
        c for c in all_pages(year.leader, year.path("comments/")) if c["kind"] == "change_request"
    ]
    assert [c["text"] for c in change_requests] == [body["comment"]]


def leader_revises(year: Year) -> None:
    """The leader changes the disputed goal with If-Match: stale 412, missing 428, then 200."""
    goal = year.item_path("goals:result")
    etag = year.leader.get(goal)["ETag"]
    change = {"due_date": "2027-09-30", "measure": "Alle saker i nytt system innen september"}
    assert year.leader.patch(goal, change, format="json").status_code == 428
    response = year.leader.patch(goal, change, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response["ETag"] != etag
    assert year.leader.patch(goal, {"title": "Annet"}, format="json", HTTP_IF_MATCH=etag).status_code == 412
    assert year.leader.delete(goal, HTTP_IF_MATCH=etag).status_code == 412
    assert year.leader.get(goal).json()["due_date"] == "2027-09-30"
    assert status_of(year, "employee") == "draft"  # editing after a change request revises


def employee_confirms(year: Year, version: dict, stale: list[dict]) -> None:
    """Only the latest version with its own hash can be confirmed; the leader never confirms."""
    for name in year.items:
        answer(year, name, "agree")
    for old in stale:
        body = {"version": old["number"], "sha256": old["sha256"]}
        assert year.employee.post(year.path("confirm/"), body, format="json").status_code == 409
    wrong_hash = {"version": version["number"], "sha256": "0" * 64}
    assert year.employee.post(year.path("confirm/"), wrong_hash, format="json").status_code == 409
    body = {"version": version["number"], "sha256": version["sha256"]}
    assert year.leader.post(year.path("confirm/"), body, format="json").status_code == 403
    assert year.deputy.post(year.path("confirm/"), body, format="json").status_code == 404  # no grant now
    response = year.employee.post(year.path("confirm/"), body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == version["number"]
    assert response.json()["sha256"] == version["sha256"]
    detail = year.leader.get(year.path()).json()
    assert detail["status"] == "confirmed"
    assert detail["confirmed_version"]["number"] == version["number"]
    assert year.employee.post(year.path("confirm/"), body, format="json").status_code == 409


# --- through the year ---------------------------------------------------------------------------------


def leader_grants_a_deputy(year: Year) -> int:
    """A grant for this conversation that lasts until today (inclusive)."""
    body = {
        "deputy": year.people["deputy"].employee_id,
        "conversation": year.conversation,
        "until": str(timezone.localdate()),
    }
    assert year.employee.post(url("deputies/"), body, format="json").status_code == 403
    response = year.leader.post(url("deputies/"), body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["active"] is True
    received = all_pages(year.deputy, url("deputies/"))
    assert [g["id"] for g in received] == [response.json()["id"]]
    return response.json()["id"]


def deputy_follows_up(year: Year) -> None:
    detail = year.deputy.get(year.path())
    assert detail.status_code == 200
    assert "follow_up" in detail.json()["allowed_actions"]
    entry = {"text": "Jeg følger opp mens lederen er borte. Går det bra?", "task": year.items["tasks:main"]}
    response = year.deputy.post(year.path("follow-ups/"), entry, format="json")
    assert response.status_code == 201, response.content
    assert year.deputy.post(year.path("amend/")).status_code == 403
    assert (
        year.deputy.post(year.path("request-changes/"), {"comment": "Nei"}, format="json").status_code == 403
    )
    goal = year.item_path("goals:result")
    etag = year.deputy.get(goal)["ETag"]
    assert year.deputy.patch(goal, {"title": "Mitt"}, format="json", HTTP_IF_MATCH=etag).status_code == 403
    assert year.deputy.get(year.path("access-log/")).status_code == 403  # the parties only


def both_follow_up(year: Year) -> None:
    goal = year.items["goals:development"]
    first = {"text": "Er vi på rett vei?", "goal": goal, "progress": 30, "item_status": "on_track"}
    assert year.employee.post(year.path("follow-ups/"), first, format="json").status_code == 201
    second = {"text": "Kurset er utsatt", "goal": goal, "progress": 40, "item_status": "at_risk"}
    assert year.leader.post(year.path("follow-ups/"), second, format="json").status_code == 201
    general = {"text": "God framdrift på det meste"}
    assert year.leader.post(year.path("follow-ups/"), general, format="json").status_code == 201
    bad = {"text": "x", "goal": goal, "progress": 101}
    assert year.employee.post(year.path("follow-ups/"), bad, format="json").status_code == 400
    shown = year.employee.get(year.item_path("goals:development")).json()
    assert (shown["progress"], shown["item_status"]) == (40, "at_risk")


def the_grant_runs_out(year: Year, monkeypatch) -> None:
    """The next day the grant has ended by itself: the deputy is refused at once, then the job cleans up."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert_hidden(year, "deputy")
    entry = {"text": "Enda en oppfølging"}
    assert year.deputy.post(year.path("follow-ups/"), entry, format="json").status_code == 404
    call_command("expire_grants", stdout=io.StringIO())
    grant = all_pages(year.leader, url("deputies/"))[0]
    assert grant["active"] is False
    assert grant["ended_at"] is not None
    assert_hidden(year, "deputy")


def leader_amends(year: Year) -> None:
    """An amendment: back to draft, the confirmed version stays binding, follow-up still allowed."""
    assert year.employee.post(year.path("amend/")).status_code == 403
    response = year.leader.post(year.path("amend/"))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "draft"
    assert response.json()["confirmed_version"]["number"] == 2
    entry = {"text": "Kurset er flyttet til høsten", "goal": year.items["goals:development"]}
    assert year.employee.post(year.path("follow-ups/"), entry, format="json").status_code == 201
    goal = year.item_path("goals:development")
    etag = year.leader.get(goal)["ETag"]
    change = {"due_date": "2027-11-30", "measure": "Kurs fullført innen november"}
    assert year.employee.patch(goal, change, format="json", HTTP_IF_MATCH=etag).status_code == 403
    assert year.leader.patch(goal, change, format="json").status_code == 428
    assert year.leader.patch(goal, change, format="json", HTTP_IF_MATCH=etag).status_code == 200
    assert year.leader.patch(goal, change, format="json", HTTP_IF_MATCH=etag).status_code == 412


def leader_closes(year: Year) -> None:
    assert year.employee.post(year.path("close/")).status_code == 403
    response = year.leader.post(year.path("close/"))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "closed"
    assert year.leader.post(year.path("close/")).status_code == 409
    late = {"text": "For sent"}
    assert year.employee.post(year.path("follow-ups/"), late, format="json").status_code == 409
    assert year.employee.get(year.path()).json()["closed_at"] is not None


# --- the record at the end of the year ----------------------------------------------------------------


def the_record_is_complete(year: Year) -> None:
    assert transitions(year) == [
        "create",
        "submit",
        "request_changes",
        "revise",
        "submit",
        "confirm",
        "amend",
        "submit",
        "confirm",
        "close",
    ]
    assert transitions(year) == [
        e["action"] for e in all_pages(year.leader, year.path("history/")) if e["action"] in TRANSITIONS
    ]
    versions = all_pages(year.leader, year.path("versions/"))
    assert [v["number"] for v in versions] == [1, 2, 3]
    assert versions[0]["confirmed_at"] is None  # changes were requested instead
    assert all(v["confirmed_at"] for v in versions[1:])
    assert versions == all_pages(year.employee, year.path("versions/"))
    goals = {g["title"]: g for g in versions[2]["content"]["goals"]}
    assert goals["Prosjektlederkurs"]["due_date"] == "2027-11-30"


def the_access_log_shows_the_reads(year: Year) -> None:
    """Every content read by a party or the deputy is logged; the refused attempts of others are not."""
    log = all_pages(year.employee, year.path("access-log/"))
    assert log == all_pages(year.leader, year.path("access-log/"))
    readers = {entry["user"]["id"] for entry in log}
    people = year.people
    assert {people["leader"].pk, people["employee"].pk, people["deputy"].pk} == readers
    assert {entry["channel"] for entry in log} == {"api"}
    before = len(log)
    year.employee.get(year.path())
    assert len(all_pages(year.leader, year.path("access-log/"))) == before + 1


def test_one_year_of_one_conversation(year, monkeypatch):
    def step(action, *args):
        """One step of the year; afterwards the outsiders (another employee of the same leader, another
        leader, HR) still see nothing of the conversation."""
        result = action(year, *args)
        if year.conversation:
            assert_outsiders_see_nothing(year)
        return result

    cycle = step(hr_opens_the_cycle)
    step(leader_creates_the_conversation, cycle)
    step(the_meeting_moves)
    step(both_prepare_the_agenda)
    step(leader_records_the_agreement)
    first = step(submit, 1)
    step(employee_disagrees_and_asks_for_changes, first)
    step(leader_revises)
    second = step(submit, 2)
    step(employee_confirms, second, [first])
    step(leader_grants_a_deputy)
    step(deputy_follows_up)
    step(both_follow_up)
    step(the_grant_runs_out, monkeypatch)
    step(leader_amends)
    third = step(submit, 3)
    step(employee_confirms, third, [first, second])
    step(leader_closes)
    step(the_record_is_complete)
    step(the_access_log_shows_the_reads)
