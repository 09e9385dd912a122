"""The conversation PDF: content read back from the PDF's text, access, languages, fetcher, ZIP export."""

import io
import re
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone, translation
from pypdf import PdfReader
from rest_framework.authtoken.models import Token
from weasyprint import HTML

from conversations.access.permissions import access_conversation
from conversations.models import AccessLogEntry, FollowUp
from conversations.services import deputy_grant_create
from core import dates
from reports import pdf
from reports.selectors import conversation_pdf_data
from tests import factories
from tests.reports.contracts import MALICIOUS_TEXTS, build_contract

NB_STATUS = {
    "on_track": "På rett vei",
    "at_risk": "I fare",
    "off_track": "Ikke på rett vei",
    "achieved": "Oppnådd",
}
NB_KINDS = {"result": "Resultatmål", "development": "Utviklingsmål", "relational": "Relasjonsmål"}


def pdf_url(conversation):
    return f"/api/v1/conversations/{conversation.pk}/pdf/"


def pdf_pages(body: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(body)).pages]


def flat(text: str) -> str:
    """Text without any whitespace, so wrapped lines still match."""
    return re.sub(r"\s+", "", text)


def fetch_pdf(client, user, conversation) -> list[str]:
    client.force_login(user)
    response = client.get(pdf_url(conversation))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="samtale-')
    assert response.content.startswith(b"%PDF-")
    return pdf_pages(response.content)


@pytest.fixture
def recorded_fetchers(monkeypatch):
    """Every RestrictedURLFetcher the renderer creates, to see what the document asked for."""
    created = []

    class RecordingFetcher(pdf.RestrictedURLFetcher):
        def __init__(self):
            super().__init__()
            created.append(self)

    monkeypatch.setattr(pdf, "RestrictedURLFetcher", RecordingFetcher)
    return created


# --- content of a large confirmed contract ------------------------------------------------------------


def _goal_headings(lines: list[str]) -> dict[int, str]:
    """Goal number -> the kind heading it is printed under."""
    heading, found = None, {}
    for line in lines:
        if line in NB_KINDS.values():
            heading = line
        elif match := re.match(r"Mål (\d+)\b", line):  # the title, then its row's due date, status, answer
            found[int(match[1])] = heading
    return found


def _expected_latest_statuses(conversation) -> dict[int, str]:
    latest = {}
    for entry in FollowUp.objects.filter(conversation=conversation, goal__isnull=False).order_by(
        "created_at", "id"
    ):
        latest[entry.goal_id] = f"{NB_STATUS[entry.item_status]}, {entry.progress} %"
    return latest


def test_big_contract_in_bokmal(client, big_contract, recorded_fetchers):
    conversation = big_contract
    pages = fetch_pdf(client, conversation.employee, conversation)
    text = "\n".join(pages)
    lines = [line.strip() for line in text.splitlines()]

    # Parties, unit, cycle, date held.
    for value in (
        "Medarbeidersamtale",
        f"Mona Medarbeider ({conversation.employee.employee_id})",
        f"Lise Leder ({conversation.leader.employee_id})",
        "Oslo kommune/Bymiljøetaten/Seksjon for drift",
        "Medarbeidersamtaler 2027",
    ):
        assert value in text
    with translation.override("nb"):
        held = formats.date_format(conversation.held_on, "DATE_FORMAT")
        version = conversation.confirmed_version
        confirmed = formats.date_format(
            timezone.localtime(version.confirmation.confirmed_at), "DATETIME_FORMAT"
        )
    assert held in text

    # The binding version: number, hash, confirmation time.
    assert "Ikke bekreftet" not in text
    assert f"Versjon {version.number}" in text
    assert version.sha256 in flat(text)
    assert flat(f"Bekreftet {confirmed}") in flat(text)

    # Tasks with due dates and answers.
    for n in range(1, 6):
        assert any(re.match(rf"Oppgave {n}\b", line) for line in lines)
        assert f"Beskrivelse av oppgave {n}" in text
    due = conversation.tasks.first().due_date
    with translation.override("nb"):  # the one date format (core.dates), as on the pages
        assert flat(dates.day(due)) in flat(text)

    # Goals grouped by kind, with measure, due date and the latest status.
    headings = _goal_headings(lines)
    assert headings == {
        n: NB_KINDS[("result", "development", "relational")[(n - 1) % 3]] for n in range(1, 11)
    }
    assert text.index("Resultatmål") < text.index("Utviklingsmål") < text.index("Relasjonsmål")
    for goal in conversation.goals.all():
        assert f"Måltall {goal.title.split()[-1]}" in text
        with translation.override("nb"):
            assert flat(dates.day(goal.due_date)) in flat(text)
    latest = _expected_latest_statuses(conversation)
    assert len(latest) >= 4
    for status in latest.values():
        assert flat(status) in flat(text)
    assert flat("Ingen status ennå") in flat(text)  # goals nobody followed up yet

    # Expectations of both directions, answers and comments on items.
    assert re.search(r"Leders forventninger til medarbeider(en)?", text)
    assert re.search(r"Medarbeider(en)?s forventninger til leder", text)
    for n in range(1, 7):
        assert f"Forventning {n}" in text
    for word in ("Enig", "Enig med kommentar", "Uenig", "Svarkommentar 1"):
        assert flat(word) in flat(text)

    # Comments, the supplementary statement, the whole follow-up timeline in order.
    assert "En kommentar før innsending" in text
    assert "Tilleggsmerknad" in text and "Min tilleggsmerknad" in text
    assert "Oppfølging" in text and "Er vi på rett vei?" in text
    numbers = [int(m[1]) for m in re.finditer(r"Oppfølging nr (\d+)", text)]
    assert numbers == list(range(1, 21))

    # "Side X av Y" and the time of printing on every page.
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Side {number} av {len(pages)}" in page
        assert "Skrevet ut" in page

    # Only the project's stylesheet and fonts were fetched.
    assert recorded_fetchers and all(not f.refused for f in recorded_fetchers)
    assert all(url.startswith(pdf.static_base_url()) for f in recorded_fetchers for url in f.requested)

    assert (
        AccessLogEntry.objects.filter(
            conversation=conversation, user=conversation.employee, channel="pdf"
        ).count()
        == 1
    )


def test_expectations_are_side_by_side(big_contract):
    data = conversation_pdf_data(access_conversation(big_contract.leader, big_contract.pk))
    body = pdf.render_conversation_pdf(data, language="nb")
    # The text laid out as on the page (pypdf's layout mode: columns kept by spaces), line by line: the
    # run-by-run visitor cannot tell two cells apart when they share a line, font and size.
    lines = [
        line
        for page in PdfReader(io.BytesIO(body)).pages
        for line in page.extract_text(extraction_mode="layout").splitlines()
    ]
    columns = {}
    for row, line in enumerate(lines):
        for match in re.finditer(r"Forventning (\d)\b", line):
            columns[int(match[1])] = (row, match.start())
    assert set(columns) == {1, 2, 3, 4, 5, 6}
    # Odd numbers are the leader's (left column), even the employee's (right), row by row.
    for left, right in ((1, 2), (3, 4), (5, 6)):
        assert columns[right][0] == columns[left][0]  # the same line
        assert columns[right][1] > columns[left][1] + 30  # half a page to the right


def test_pdf_is_pdfa_with_bundled_fonts_only(big_contract):
    data = conversation_pdf_data(access_conversation(big_contract.leader, big_contract.pk))
    reader = PdfReader(io.BytesIO(pdf.render_conversation_pdf(data, language="nb")))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part(>|=\")3", xmp)
    assert re.search(r"pdfaid:conformance(>|=\")U", xmp)
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts == {"Samtale-Sans", "Samtale-Sans-Bold"}


def test_english_reader_gets_english(client, big_contract):
    employee = big_contract.employee
    employee.language = "en"
    employee.save(update_fields=["language"])
    pages = fetch_pdf(client, employee, big_contract)
    text = "\n".join(pages)
    for phrase in (
        "Employee conversation",
        "Binding version",
        "Result goals",
        "Development goals",
        "Relational goals",
        "The leader's expectations of the employee",
        "The employee's expectations of the leader",
        "Agree with comment",
        "Supplementary statement",
        "Follow-up",
    ):
        assert flat(phrase) in flat(text)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Printed" in page
    for bokmal in ("Side 1 av", "Resultatmål", "Skrevet ut", "Tilleggsmerknad"):
        assert bokmal not in text


def test_unconfirmed_contract_is_marked(client, db):
    conversation = build_contract(tasks=1, goals=1, expectations=1, confirm=False)
    text = "\n".join(fetch_pdf(client, conversation.leader, conversation))
    assert "Ikke bekreftet" in text
    assert "SHA-256" not in text
    assert "Venter på bekreftelse" in text
    assert "Oppgave 1" in text and "Mål 1" in text and "Forventning 1" in text


def test_binding_version_not_the_amendment_draft(client, big_contract):
    """During an amendment the PDF still prints what was confirmed, not the draft being edited."""
    from conversations.contract import workflow
    from goals import services as goal_services

    workflow.conversation_amend(conversation_id=big_contract.pk, actor=big_contract.leader)
    goal_services.task_create(
        conversation=big_contract, actor=big_contract.leader, title="Ny oppgave i utkastet"
    )
    text = "\n".join(fetch_pdf(client, big_contract.employee, big_contract))
    assert "Ny oppgave i utkastet" not in text
    assert "Oppgave 5" in text
    assert big_contract.confirmed_version.sha256 in flat(text)


def test_long_text_splits_across_pages(client, db):
    conversation = build_contract(tasks=1, goals=1, expectations=1, follow_ups=1)
    from conversations.services import comment_create

    long_text = "START " + " ".join(f"ord{n}" for n in range(700)) + " SLUTT"
    comment_create(conversation=conversation, actor=conversation.employee, text=long_text[:5000])
    pages = fetch_pdf(client, conversation.employee, conversation)
    text = flat("\n".join(pages))
    assert "START" in text and "SLUTT" in text and "ord699" in text
    assert f"Side {len(pages)} av {len(pages)}" in pages[-1]


# --- hostile text and the restricted fetcher ------------------------------------------------------------


def test_hostile_text_is_printed_escaped_and_nothing_is_fetched(client, db, recorded_fetchers):
    suffix = " " + " ".join(MALICIOUS_TEXTS)
    conversation = build_contract(tasks=1, goals=1, expectations=2, follow_ups=2, text_suffix=suffix)
    text = flat("\n".join(fetch_pdf(client, conversation.employee, conversation)))
    for hostile in MALICIOUS_TEXTS:
        # Once each in a goal title, a comment, the statement and a follow-up.
        assert text.count(flat(hostile)) >= 4, hostile
    requested = [url for f in recorded_fetchers for url in f.requested]
    assert requested
    assert all(url.startswith(pdf.static_base_url()) or url.startswith("data:") for url in requested)
    assert not any(f.refused for f in recorded_fetchers)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/tracker.png",
        "ftp://example.com/x.css",
        "file://otherhost/static/reports/pdf.css",
    ],
)
def test_fetcher_refuses_anything_outside_the_static_files(url):
    fetcher = pdf.RestrictedURLFetcher()
    with pytest.raises(pdf.URLRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_refuses_path_traversal_out_of_static():
    fetcher = pdf.RestrictedURLFetcher()
    escape = pdf.static_base_url() + "../config/settings/base.py"
    with pytest.raises(pdf.URLRefused):
        fetcher.fetch(escape)


def test_fetcher_serves_static_files_and_data_urls():
    fetcher = pdf.RestrictedURLFetcher()
    css = fetcher.fetch(pdf.static_base_url() + "reports/pdf.css")
    assert b"@font-face" in css.read()
    assert css.content_type == "text/css"
    data = fetcher.fetch("data:text/plain;base64,aGVpc2Fu")
    assert data.read() == b"heisan"
    assert fetcher.refused == []


def test_unescaped_markup_still_cannot_fetch():
    """Defence in depth: even raw markup that reached WeasyPrint only gets static files and data URLs."""
    html = """<html><head>
      <link rel="stylesheet" href="file:///etc/passwd">
      <style>@import url("http://169.254.169.254/latest");
        body { background: url(https://example.com/x.png) }</style>
    </head><body><p>x</p><img src="http://169.254.169.254/latest"><img src="file:///etc/passwd">
      <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
    </body></html>"""
    fetcher = pdf.RestrictedURLFetcher()
    body = HTML(string=html, base_url=pdf.static_base_url(), url_fetcher=fetcher).write_pdf()
    assert body.startswith(b"%PDF-")
    assert set(fetcher.refused) == {
        "file:///etc/passwd",
        "http://169.254.169.254/latest",
        "https://example.com/x.png",
    }


def test_css_string_cannot_break_out():
    value = pdf.css_string('Side "1" </style><script>\\ å')
    assert value.startswith('"') and value.endswith('"')
    inner = value[1:-1]
    assert '"' not in inner and "<" not in inner and ">" not in inner and "/" not in inner
    assert "\\0000e5" in inner  # å, escaped


# --- who may download -----------------------------------------------------------------------------------


def test_leader_and_deputy_may_download(client, db):
    conversation = factories.make_conversation()
    fetch_pdf(client, conversation.leader, conversation)
    deputy = factories.LeaderFactory()
    deputy_grant_create(
        leader=conversation.leader,
        deputy=deputy,
        until=timezone.localdate() + timezone.timedelta(days=7),
        conversation=conversation,
    )
    fetch_pdf(client, deputy, conversation)
    assert AccessLogEntry.objects.filter(conversation=conversation, channel="pdf").count() == 2


def test_token_authentication(client, db):
    conversation = factories.make_conversation()
    token = Token.objects.create(user=conversation.employee)
    response = client.get(pdf_url(conversation), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("who", ["hr", "other_employee", "other_leader"])
def test_outsiders_get_404(client, db, who):
    conversation = factories.make_conversation()
    outsider = {
        "hr": factories.HRFactory,
        "other_employee": factories.UserFactory,
        "other_leader": factories.LeaderFactory,
    }[who]()
    client.force_login(outsider)
    response = client.get(pdf_url(conversation), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert not AccessLogEntry.objects.filter(conversation=conversation).exists()


def test_missing_conversation_is_404_and_anonymous_is_401(client, db):
    conversation = factories.make_conversation()
    assert client.get(pdf_url(conversation)).status_code == 401
    client.force_login(conversation.employee)
    assert client.get("/api/v1/conversations/999999/pdf/").status_code == 404


def test_selector_runs_a_constant_number_of_queries(big_contract, django_assert_max_num_queries):
    conversation = access_conversation(big_contract.leader, big_contract.pk)
    with django_assert_max_num_queries(7):
        data = conversation_pdf_data(conversation)
    with CaptureQueriesContext(connection) as during_use:
        _ = (data.goal_groups, data.expectation_pairs, [g.latest_status for g in data.goals])
    assert len(during_use) == 0
    small = build_contract(
        tasks=1,
        goals=1,
        expectations=1,
        follow_ups=1,
        leader=big_contract.leader,
        employee=big_contract.employee,
    )
    small = access_conversation(small.leader, small.pk)
    with CaptureQueriesContext(connection) as small_queries:
        conversation_pdf_data(small)
    conversation = access_conversation(big_contract.leader, big_contract.pk)
    with CaptureQueriesContext(connection) as big_queries:
        conversation_pdf_data(conversation)
    assert len(small_queries) == len(big_queries)


# --- a leader's cycle as one ZIP ------------------------------------------------------------------------


@pytest.fixture
def cycle_with_reports(db):
    """A leader with two reports in one cycle, plus conversations that must stay out of the archive."""
    unit = factories.OrgUnitFactory()
    leader = factories.LeaderFactory(unit=unit)
    first = factories.UserFactory(unit=unit, manager=leader, full_name="Anne Ask")
    second = factories.UserFactory(unit=unit, manager=leader, full_name="Bjørn Bø")
    cycle = factories.CycleFactory()
    mine = [factories.make_conversation(leader=leader, employee=e, cycle=cycle) for e in (first, second)]
    factories.make_conversation(leader=leader, employee=first, cycle=factories.CycleFactory(), items=False)
    other_leader, other_employee = factories.make_pair(unit=unit)
    factories.make_conversation(leader=other_leader, employee=other_employee, cycle=cycle, items=False)
    return leader, cycle, mine


def _zip_texts(body) -> dict[str, str]:
    with zipfile.ZipFile(body) as archive:
        return {name: "\n".join(pdf_pages(archive.read(name))) for name in archive.namelist()}


def test_cycle_zip_holds_the_leaders_conversations(client, cycle_with_reports):
    leader, cycle, mine = cycle_with_reports
    client.force_login(leader)
    response = client.get(f"/api/v1/cycles/{cycle.pk}/pdfs.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    texts = _zip_texts(io.BytesIO(response.content))
    assert len(texts) == 2
    assert all(name.endswith(".pdf") for name in texts)
    joined = "\n".join(texts.values())
    assert "Anne Ask" in joined and "Bjørn Bø" in joined
    assert AccessLogEntry.objects.filter(user=leader, channel="pdf").count() == 2


def test_cycle_zip_refuses_non_leaders_and_unknown_cycles(client, cycle_with_reports):
    leader, cycle, mine = cycle_with_reports
    client.force_login(mine[0].employee)
    assert client.get(f"/api/v1/cycles/{cycle.pk}/pdfs.zip").status_code == 403
    client.force_login(leader)
    assert client.get("/api/v1/cycles/999999/pdfs.zip").status_code == 404


def test_export_pdfs_command(tmp_path, cycle_with_reports):
    leader, cycle, mine = cycle_with_reports
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "cycle.zip"
    call_command(
        "export_pdfs", str(target), cycle=cycle.pk, leader=leader.employee_id, stdout=out, stderr=err
    )
    assert "2 PDF(s) written" in out.getvalue()
    assert "2/2" in err.getvalue()  # tqdm's progress bar
    assert len(_zip_texts(target)) == 2


def test_export_pdfs_command_errors(tmp_path, cycle_with_reports):
    leader, cycle, mine = cycle_with_reports
    with pytest.raises(CommandError, match="No cycle"):
        call_command("export_pdfs", str(tmp_path / "a.zip"), cycle=999999, leader=leader.employee_id)
    with pytest.raises(CommandError, match="No person"):
        call_command("export_pdfs", str(tmp_path / "a.zip"), cycle=cycle.pk, leader="nobody")
    assert not (tmp_path / "a.zip").exists()


# --- the year-round dialogue --------------------------------------------------------------------------


@pytest.mark.django_db
def test_questions_answers_and_marks_are_printed(client):
    from conversations import services
    from goals.models import Expectation
    from tests.workflow import confirm

    conversation = factories.make_conversation()
    confirm(conversation)
    leader, employee = conversation.leader, conversation.employee
    open_question = services.follow_up_create(
        conversation=conversation, actor=leader, text="Hvordan går det?", kind="question"
    )
    question = services.follow_up_create(
        conversation=conversation, actor=employee, text="Er vi på rett vei?", kind="question"
    )
    services.follow_up_create(
        conversation=conversation,
        actor=leader,
        text="Ta det rolig",
        kind="answer",
        answers=question,
        answer="adjust",
    )
    expectation = Expectation.objects.get(conversation=conversation)
    services.follow_up_create(
        conversation=conversation,
        actor=leader,
        text="Sa fra for sent",
        kind="not_kept",
        expectation=expectation,
    )
    text = flat("".join(fetch_pdf(client, employee, conversation)))
    assert open_question.is_open
    assert flat("Spørsmål (ikke besvart ennå)") in text
    assert flat("Svar: Juster kursen") in text and flat("Ta det rolig") in text
    assert flat("Ikke holdt") in text and flat("Sa fra for sent") in text
