"""Nynorsk beyond the pages: the e-mail a nynorsk reader gets and the PDF summary they download."""

import pytest

from conversations.models import Conversation
from reports import pdf
from reports.selectors import conversation_pdf_data
from tests.conversations.conftest import run_transition
from tests.reports.test_pdf import fetch_pdf, flat

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
    for bokmal in ("Skrevet ut", "Medarbeiderens forventninger", "Leders forventninger", "Enig med kommentar"):
        assert flat(bokmal) not in text


def test_the_pdf_renders_in_each_language(big_contract):
    data = conversation_pdf_data(Conversation.objects.get(pk=big_contract.pk))
    bodies = {language: pdf.render_conversation_pdf(data, language=language) for language in ("nb", "nn")}
    assert bodies["nb"] != bodies["nn"]
