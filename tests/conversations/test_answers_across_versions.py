"""An answer belongs to the item as it stood: unchanged items keep their answers in a new version,
changed ones are asked again, and the binding version's answers are shown on the page, in the API and
in the PDF. Everything here goes through HTTP, as the parties would."""

import io
import re

import pytest
from django.test import Client
from pypdf import PdfReader
from rest_framework.test import APIClient

from tests import factories

pytestmark = pytest.mark.django_db
API = "/api/v1"


class Party:
    def __init__(self, user):
        self.user = user
        self.api = APIClient()
        self.api.force_authenticate(user)
        self.web = Client()
        self.web.force_login(user)

    def post(self, path, body=None):
        response = self.api.post(f"{API}/{path}", body or {}, format="json")
        assert response.status_code in (200, 201), response.content
        return response.json()

    def get(self, path):
        response = self.api.get(f"{API}/{path}")
        assert response.status_code == 200, response.content
        return response

    def patch(self, path, body):
        etag = self.get(path)["ETag"]
        response = self.api.patch(f"{API}/{path}", body, format="json", HTTP_IF_MATCH=etag)
        assert response.status_code == 200, response.content
        return response.json()


@pytest.fixture
def parties():
    leader, employee = factories.make_pair()
    leader, employee = Party(leader), Party(employee)
    conversation = leader.post("conversations/", {"employee": employee.user.pk})["id"]
    c = f"conversations/{conversation}/"
    items = {
        "goal": leader.post(c + "goals/", {"title": "Plan", "kind": "result", "measure": "Vedtatt"})["id"],
        "task": leader.post(c + "tasks/", {"title": "Lede prosjekt"})["id"],
        "expectation": leader.post(
            c + "expectations/", {"direction": "employee_to_leader", "text": "Jevnlige samtaler"}
        )["id"],
    }
    return leader, employee, conversation, items


def answers_of_version(party, conversation, number) -> dict[str, str]:
    rows = party.get(f"conversations/{conversation}/responses/?page_size=100").json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    answers = {}
    for row in rows:
        if row["version"] != number:
            continue
        kind = next(k for k in ("goal", "task", "expectation") if row.get(k))
        answers[f"{kind}-{row[kind]}"] = (row["stance"], row["comment"])
    return answers


def answer(party, conversation, kind, pk, stance, comment=""):
    body = {kind: pk, "stance": stance, "comment": comment}
    party.post(f"conversations/{conversation}/responses/", body)


def submit(leader, conversation) -> dict:
    return leader.post(f"conversations/{conversation}/submit/")


def pdf_text(party, conversation) -> str:
    response = party.api.get(f"{API}/conversations/{conversation}/pdf/")
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.content)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def test_unchanged_items_keep_their_answers_through_a_change_request(parties):
    leader, employee, conversation, items = parties
    c = f"conversations/{conversation}/"
    first = submit(leader, conversation)
    answer(employee, conversation, "goal", items["goal"], "agree")
    answer(employee, conversation, "task", items["task"], "agree_with_comment", "Trenger tid til det")
    answer(employee, conversation, "expectation", items["expectation"], "disagree", "Hver uke, takk")
    employee.post(c + "request-changes/", {"comment": "Forventningen må endres"})

    leader.patch(f"expectations/{items['expectation']}/", {"text": "Samtale hver uke"})
    second = submit(leader, conversation)
    assert second["number"] == first["number"] + 1

    kept = answers_of_version(employee, conversation, second["number"])
    assert kept == {
        f"goal-{items['goal']}": ("agree", ""),
        f"task-{items['task']}": ("agree_with_comment", "Trenger tid til det"),
    }
    # The earlier version keeps its own answers, the changed one included.
    assert len(answers_of_version(employee, conversation, first["number"])) == 3

    page = employee.web.get(f"/samtaler/{conversation}/").content.decode()
    assert "Du har svart på 2 av 3 punkter." in page
    assert "Trenger tid til det" in page

    answer(employee, conversation, "expectation", items["expectation"], "agree")
    page = employee.web.get(f"/samtaler/{conversation}/").content.decode()
    assert "Du har svart på 3 av 3 punkter." in page
    employee.post(c + "confirm/", {"version": second["number"], "sha256": second["sha256"]})

    text = pdf_text(employee, conversation)
    assert "Svar –" not in text
    assert "Trenger tid til det" in text
    assert text.count("Enig") >= 3  # "Enig" twice, "Enig med kommentar" once
    assert "Hver uke, takk" not in text  # the answer to the item as it stood before the change


def test_an_amendment_keeps_the_answers_of_unchanged_items(parties):
    leader, employee, conversation, items = parties
    c = f"conversations/{conversation}/"
    first = submit(leader, conversation)
    answer(employee, conversation, "goal", items["goal"], "agree_with_comment", "Realistisk")
    answer(employee, conversation, "task", items["task"], "agree")
    employee.post(c + "confirm/", {"version": first["number"], "sha256": first["sha256"]})

    leader.post(c + "amend/")
    leader.patch(f"tasks/{items['task']}/", {"title": "Lede prosjekt Y"})
    added = leader.post(c + "goals/", {"title": "Kurs", "kind": "development", "measure": "Bestått"})
    second = submit(leader, conversation)

    assert answers_of_version(employee, conversation, second["number"]) == {
        f"goal-{items['goal']}": ("agree_with_comment", "Realistisk"),
    }
    page = employee.web.get(f"/samtaler/{conversation}/").content.decode()
    assert "Du har svart på 1 av 4 punkter." in page

    answer(employee, conversation, "goal", added["id"], "agree")
    employee.post(c + "confirm/", {"version": second["number"], "sha256": second["sha256"]})
    text = pdf_text(leader, conversation)
    assert "Realistisk" in text
    assert "Lede prosjekt Y" in text


def test_history_says_how_many_answers_were_kept(parties):
    leader, employee, conversation, items = parties
    c = f"conversations/{conversation}/"
    submit(leader, conversation)
    answer(employee, conversation, "goal", items["goal"], "agree")
    employee.post(c + "request-changes/", {"comment": "Oppgaven er uklar"})
    leader.patch(f"tasks/{items['task']}/", {"title": "Tydeligere oppgave"})
    submit(leader, conversation)
    history = employee.web.get(f"/samtaler/{conversation}/historikk/").content.decode()
    assert "Svar beholdt fra forrige versjon" in history
