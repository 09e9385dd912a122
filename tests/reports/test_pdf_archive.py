"""A cycle's PDFs as one ZIP, built by a task: the leader asks on the page, watches its progress and
downloads it; only they get it, and only while they may still see every conversation in it."""

import datetime
import io
import zipfile

import pytest
from django.test import TestCase
from django.utils import timezone

from conversations import services
from conversations.models import AccessLogEntry
from reports import pdf_archive
from reports.models import PdfArchive
from tests import factories
from tests.organisation import page_client

pytestmark = pytest.mark.django_db
REQUEST = "/medarbeidere/pdf-arkiv/"


@pytest.fixture
def team():
    """A leader with three reports, each with a conversation in the current cycle."""
    cycle = factories.CycleFactory(starts_on=timezone.localdate() - datetime.timedelta(days=10))
    unit = factories.OrgUnitFactory()
    leader = factories.LeaderFactory(unit=unit)
    reports = [factories.UserFactory(unit=unit, manager=leader) for _ in range(3)]
    conversations = [factories.make_conversation(leader=leader, employee=e, cycle=cycle) for e in reports]
    return leader, cycle, conversations


def ask(client, cycle):
    """Ask on the page; the task runs after commit (at once with the tests' task backend)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(REQUEST, {"cycle": cycle.pk})


def test_the_leader_asks_waits_and_downloads(team):
    leader, cycle, conversations = team
    client = page_client(leader)
    assert "pdf-arkiv" in client.get("/medarbeidere/").content.decode()

    response = ask(client, cycle)
    archive = PdfArchive.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/medarbeidere/pdf-arkiv/{archive.pk}/"
    assert (archive.status, archive.done, archive.total) == ("ready", 3, 3)

    page = client.get(response["Location"]).content.decode()
    assert "Arkivet er klart: 3 PDF-sammendrag." in page
    assert 'http-equiv="refresh"' not in page

    download = client.get(f"/medarbeidere/pdf-arkiv/{archive.pk}/fil/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert len(names) == 3 and all(name.endswith(".pdf") for name in names)
    assert AccessLogEntry.objects.filter(user=leader).count() == 3


def test_progress_is_shown_while_it_is_made(team):
    leader, cycle, _conversations = team
    archive = PdfArchive.objects.create(
        leader=leader, cycle=cycle, language="nb", status="running", total=3, done=1
    )
    page = page_client(leader).get(f"/medarbeidere/pdf-arkiv/{archive.pk}/").content.decode()
    assert "Lager PDF-sammendragene: 1 av 3." in page
    assert '<progress value="1" max="3">' in page
    assert '<meta http-equiv="refresh" content="2">' in page
    # The file is not offered before it is ready: the status page again.
    early = page_client(leader).get(f"/medarbeidere/pdf-arkiv/{archive.pk}/fil/")
    assert early.status_code == 302 and early["Location"] == f"/medarbeidere/pdf-arkiv/{archive.pk}/"


def test_a_pending_archive_is_answered_instead_of_a_second_one(team):
    leader, cycle, _conversations = team
    first = pdf_archive.pdf_archive_request(leader=leader, cycle=cycle, language="nb")
    second = pdf_archive.pdf_archive_request(leader=leader, cycle=cycle, language="nb")
    assert first.pk == second.pk and first.status == "queued"


def test_nobody_else_sees_it(team):
    leader, cycle, _conversations = team
    ask(page_client(leader), cycle)
    archive = PdfArchive.objects.get()
    other_leader, _employee = factories.make_pair()
    for path in (f"/medarbeidere/pdf-arkiv/{archive.pk}/", f"/medarbeidere/pdf-arkiv/{archive.pk}/fil/"):
        assert page_client(other_leader).get(path).status_code == 404
    assert page_client(other_leader).get("/medarbeidere/pdf-arkiv/999999999/").status_code == 404
    employee = factories.UserFactory()
    assert page_client(employee).post(REQUEST, {"cycle": cycle.pk}).status_code == 403
    assert page_client(leader).post(REQUEST, {"cycle": "2" * 30}).status_code == 404
    assert page_client(leader).get(REQUEST).status_code == 405


def test_a_leader_who_lost_a_conversation_no_longer_gets_the_file(team):
    leader, cycle, conversations = team
    ask(page_client(leader), cycle)
    archive = PdfArchive.objects.get()
    employee = conversations[0].employee
    employee.manager = factories.LeaderFactory(unit=employee.unit)
    employee.save(update_fields=["manager"])
    services.employee_manager_changed(employee=employee)
    assert page_client(leader).get(f"/medarbeidere/pdf-arkiv/{archive.pk}/fil/").status_code == 404


def test_archives_go_after_a_day(team):
    leader, cycle, _conversations = team
    ask(page_client(leader), cycle)
    archive = PdfArchive.objects.get()
    PdfArchive.objects.filter(pk=archive.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert page_client(leader).get(f"/medarbeidere/pdf-arkiv/{archive.pk}/").status_code == 404
    assert pdf_archive.pdf_archives_prune() == 1
    assert not PdfArchive.objects.exists()


def test_asking_renders_nothing_in_the_request(team, monkeypatch):
    """The request only writes the row; rendering is the task's (here: not run, so nothing is made)."""
    leader, cycle, _conversations = team
    rendered = []
    monkeypatch.setattr("reports.pdf.render_conversation_pdf", lambda *a, **k: rendered.append(1))
    response = page_client(leader).post(REQUEST, {"cycle": cycle.pk})  # on-commit task never runs here
    assert response.status_code == 302
    assert rendered == []
    assert PdfArchive.objects.get().status == "queued"
