"""The statistics endpoint, its CSV and PDF, and the HR pages (statistics, cycles)."""

import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from pypdf import PdfReader
from rest_framework.test import APIClient

from conversations.models import Cycle
from organization.models import User
from tests import factories
from tests.organisation import api_client
from tests.reports.statistics_helpers import conversation, people, unit

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.reports.test_statistics_api")]

urlpatterns = [
    path("", include("config.urls")),
    path("hr/", include("reports.statistics_page_urls")),
]

URL, CSV_URL, PDF_URL = "/api/v1/statistics/", "/api/v1/statistics.csv", "/api/v1/statistics.pdf"


@pytest.fixture
def organisation():
    """Kommune with three units (4, 10 and 12 people, the 4 and 12 with confirmed contracts), a
    leadership unit of 6 and HR of 5; two cycles."""
    earlier = factories.CycleFactory(starts_on=datetime.date(2026, 1, 1), deadline=datetime.date(2026, 3, 1))
    cycle = factories.CycleFactory(starts_on=datetime.date(2027, 1, 1), deadline=datetime.date(2027, 3, 1))
    ledelse = unit("Ledelse")
    leaders = [factories.LeaderFactory(unit=ledelse) for _ in range(6)]
    hr_unit = unit("HR")
    hr = [factories.HRFactory(unit=hr_unit) for _ in range(5)]
    kommune = unit("Kommune")
    for name, size in (("A", 4), ("B", 10), ("C", 12)):
        _, staff = people(size, unit(name, kommune), manager=leaders[0])
        for i, person in enumerate(staff):
            state = "confirmed" if name != "B" else "draft"
            conversation(
                cycle,
                leaders[0],
                person,
                state,
                days_to_confirm=i % 4,
                goals=("result",),
                follow_up_days_ago=5,
            )
            conversation(earlier, leaders[0], person, "confirmed", days_to_confirm=2)
    return {"cycle": cycle, "earlier": earlier, "kommune": kommune, "hr": hr[0], "leader": leaders[0]}


def test_hr_gets_the_figures_with_min_group_size(organisation):
    response = api_client(organisation["hr"]).get(
        URL, {"cycle": organisation["cycle"].pk, "unit": organisation["kommune"].pk}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["min_group_size"] == 5
    assert body["cycle"]["id"] == organisation["cycle"].pk
    assert body["previous_cycle"]["id"] == organisation["earlier"].pk
    assert [g["unit"]["name"] for g in body["groups"]] == ["Kommune", "A", "B", "C"]
    a = body["groups"][1]["current"]
    assert a["employees_in_scope"] == {"value": None, "suppressed": True}


def test_the_whole_organisation_without_a_unit(organisation):
    response = api_client(organisation["hr"]).get(URL, {"cycle": organisation["cycle"].pk})
    assert response.status_code == 200
    assert response.json()["unit"] == {"id": None, "name": None, "path": None}
    assert [g["unit"]["name"] for g in response.json()["groups"]][1:] == ["HR", "Kommune", "Ledelse"]


@pytest.mark.parametrize("url", [URL, CSV_URL, PDF_URL])
def test_everyone_but_hr_is_refused(organisation, url):
    employee = User.objects.filter(unit__name="C").first()
    for user in (employee, organisation["leader"]):
        response = api_client(user).get(url, {"cycle": organisation["cycle"].pk})
        assert response.status_code == 403
    assert APIClient().get(url, {"cycle": organisation["cycle"].pk}).status_code in (401, 403)


@pytest.mark.parametrize("url", [URL, CSV_URL, PDF_URL])
def test_bad_and_unknown_parameters(organisation, url):
    client = api_client(organisation["hr"])
    assert client.get(url).status_code == 400
    assert client.get(url, {"cycle": "x"}).status_code == 400
    assert client.get(url, {"cycle": 999999}).status_code == 404
    assert client.get(url, {"cycle": organisation["cycle"].pk, "unit": 999999}).status_code == 404


def _secrets():
    return [u.employee_id for u in User.objects.all()] + [u.full_name for u in User.objects.all()]


def test_no_response_contains_an_employee_id_or_name(organisation):
    client = api_client(organisation["hr"])
    cycle = organisation["cycle"].pk
    texts = []
    for params in ({"cycle": cycle}, {"cycle": cycle, "unit": organisation["kommune"].pk}):
        texts.append(json.dumps(client.get(URL, params).json(), ensure_ascii=False))
        texts.append(client.get(CSV_URL, params).content.decode())
        pdf = PdfReader(io.BytesIO(client.get(PDF_URL, params).content))
        texts.append("\n".join(page.extract_text() for page in pdf.pages))
    for text in texts:
        for secret in _secrets():
            assert secret not in text
        for key in ('"employee"', '"leader"', '"full_name"', '"employee_id"', '"text"'):
            assert key not in text


def test_csv_lists_every_figure_and_leaves_suppressed_ones_empty(organisation):
    response = api_client(organisation["hr"]).get(
        CSV_URL, {"cycle": organisation["cycle"].pk, "unit": organisation["kommune"].pk}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "unit,unit_path,cycle,figure,value,suppressed,min_group_size"
    a_scope = next(
        line for line in lines if line.startswith("A,Kommune/A,") and ",employees_in_scope," in line
    )
    assert a_scope.endswith(",employees_in_scope,,True,5")


def test_pdf_has_the_charts_and_figures(organisation):
    response = api_client(organisation["hr"]).get(
        PDF_URL, {"cycle": organisation["cycle"].pk, "unit": organisation["kommune"].pk}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("Gjennomføring per enhet", "Oppfølging over tid", "Mål per avtale etter type", "skjult"):
        assert expected in text
    assert "Tallene er beregnet" in text


def test_the_endpoint_query_count_does_not_grow(organisation):
    client = api_client(organisation["hr"])
    params = {"cycle": organisation["cycle"].pk, "unit": organisation["kommune"].pk}
    with CaptureQueriesContext(connection) as before:
        client.get(URL, params)
    for i in range(5):
        _, staff = people(6, unit(f"Ny {i}", organisation["kommune"]), manager=organisation["leader"])
        for person in staff:
            conversation(
                organisation["cycle"], organisation["leader"], person, "confirmed", follow_up_days_ago=2
            )
    with CaptureQueriesContext(connection) as after:
        client.get(URL, params)
    assert len(after.captured_queries) == len(before.captured_queries)


# --- HR pages -------------------------------------------------------------------------------------------


@pytest.fixture
def hr_client(client, organisation):
    client.force_login(organisation["hr"])
    return client


def test_statistics_page_shows_charts_with_text_alternatives(hr_client, organisation):
    response = hr_client.get(
        "/hr/statistics/", {"cycle": organisation["cycle"].pk, "unit": organisation["kommune"].pk}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') == 3
    assert "<title" in html and "<desc" in html
    assert "Tallene i diagrammet" in html
    assert "/api/v1/statistics.csv?" in html and "/api/v1/statistics.pdf?" in html
    main = html[html.index("<main") : html.index("</main>")]  # the header names the signed-in user
    for secret in _secrets():
        assert secret not in main


def test_statistics_page_defaults_to_the_latest_cycle(hr_client, organisation):
    response = hr_client.get("/hr/statistics/")
    assert response.status_code == 200
    assert organisation["cycle"].name in response.content.decode()


def test_pages_are_for_hr_only(client, organisation):
    assert client.get("/hr/statistics/").status_code == 302  # to the login page
    client.force_login(organisation["leader"])
    assert client.get("/hr/statistics/").status_code == 403
    assert client.get("/hr/cycles/").status_code == 403
    assert client.post("/hr/cycles/", {"name": "X"}).status_code == 403


def test_hr_creates_a_cycle_and_moves_its_deadline(hr_client):
    response = hr_client.post(
        "/hr/cycles/",
        {"name": "Medarbeidersamtaler 2030", "starts_on": "2030-01-10", "deadline": "2030-03-01"},
    )
    assert response.status_code == 302
    cycle = Cycle.objects.get(name="Medarbeidersamtaler 2030")
    response = hr_client.post(
        f"/hr/cycles/{cycle.pk}/", {"name": cycle.name, "starts_on": "2030-01-10", "deadline": "2030-04-15"}
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.deadline == datetime.date(2030, 4, 15)
    assert "Medarbeidersamtaler 2030" in hr_client.get("/hr/cycles/").content.decode()


def test_a_deadline_before_the_start_is_refused(hr_client):
    response = hr_client.post(
        "/hr/cycles/", {"name": "Feil", "starts_on": "2030-05-01", "deadline": "2030-01-01"}
    )
    assert response.status_code == 400
    assert not Cycle.objects.filter(name="Feil").exists()
    assert "Fristen kan ikke være før starten." in response.content.decode()
