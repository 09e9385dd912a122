"""Nynorsk beyond the pages: the e-mail a nynorsk reader gets, the PDF summary they download, and
the statistics PDF."""

import io

import pytest
from pypdf import PdfReader
from rest_framework.test import APIClient

from conversations.models import Conversation
from reports import pdf
from reports.selectors import conversation_pdf_data
from tests.reports.test_pdf import fetch_pdf, flat
from tests.reports.test_statistics_api import PDF_URL, organisation  # noqa: F401 - a fixture
from tests.workflow import run_transition

pytestmark = pytest.mark.django_db


def test_a_nynorsk_reader_gets_nynorsk_mail(conversation, mailoutbox, django_capture_on_commit_callbacks):
    conversation.employee.language = "nn"
    conversation.employee.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        run_transition(conversation, "submit")
    (mail,) = mailoutbox
    assert mail.subject == "Ein avtale ventar på stadfestinga di"
    assert "Opne Samtale for å sjå avtalen." in mail.body


def test_a_nynorsk_reader_gets_a_nynorsk_pdf(client, big_contract):
    employee = big_contract.employee
    employee.language = "nn"
    employee.save(update_fields=["language"])
    pages = fetch_pdf(client, employee, big_contract)
    text = flat("\n".join(pages))
    for phrase in ("Medarbeidarsamtale", "Resultatmål", "Forventningane leiaren har til medarbeidaren"):
        assert flat(phrase) in text
    assert flat(f"Side 1 av {len(pages)}") in text
    bokmal_labels = ("Skrevet ut", "Medarbeiderens forventninger", "Leders forventninger", "Enig med")
    for bokmal in bokmal_labels:
        assert flat(bokmal) not in text


def test_the_pdf_renders_in_each_language(big_contract):
    data = conversation_pdf_data(Conversation.objects.get(pk=big_contract.pk))
    bodies = {language: pdf.render_conversation_pdf(data, language=language) for language in ("nb", "nn")}
    assert bodies["nb"] != bodies["nn"]


def test_the_statistics_pdf_speaks_the_readers_language(organisation):  # noqa: F811 - the fixture
    client = APIClient(HTTP_ACCEPT_LANGUAGE="nn")
    client.force_authenticate(organisation["hr"])
    response = client.get(PDF_URL, {"cycle": organisation["cycle"].pk, "unit": organisation["kommune"].pk})
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Gjennomføring per eining" in text and "Tala er rekna ut" in text
    assert reader.trailer["/Root"].get("/Lang") == "nn"
