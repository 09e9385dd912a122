"""Conversation PDFs per content: a repeated download is the same file without rendering again; any
change to what the PDF shows, or another language, renders a new one."""

import pytest

from conversations import services
from conversations.models import Conversation
from reports import pdf
from reports.models import RenderedPdf
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """Counts the real renders."""
    counted = []
    real = pdf.render_conversation_pdf

    def counting(data, **kwargs):
        counted.append(kwargs.get("language"))
        return real(data, **kwargs)

    monkeypatch.setattr(pdf, "render_conversation_pdf", counting)
    return counted


def download(client, conversation, user):
    client.force_login(user)
    response = client.get(f"/api/v1/conversations/{conversation.pk}/pdf/")
    assert response.status_code == 200
    return response.content


def test_a_repeated_download_is_the_same_file_without_a_render(client, renders):
    conversation = factories.make_conversation()
    first = download(client, conversation, conversation.leader)
    again = download(client, conversation, conversation.employee)  # same language, same content
    assert first == again and first.startswith(b"%PDF")
    assert renders == ["nb"]
    assert RenderedPdf.objects.filter(conversation=conversation).count() == 1


def test_a_change_to_the_content_renders_again_and_replaces_the_old_file(client, renders):
    conversation = factories.make_conversation()
    first = download(client, conversation, conversation.leader)
    services.agenda_point_create(conversation=conversation, actor=conversation.leader, text="Nytt tema")
    # the agenda is not in the PDF: the same file
    assert download(client, conversation, conversation.leader) == first
    conversation.employee.full_name = "Navn Endret"
    conversation.employee.save()
    changed = download(client, conversation, conversation.leader)

    assert changed != first
    assert renders == ["nb", "nb"]
    assert RenderedPdf.objects.filter(conversation=conversation).count() == 1


def test_each_language_is_its_own_file(client, renders):
    conversation = factories.make_conversation()
    conversation.employee.language = "en"
    conversation.employee.save()
    download(client, conversation, conversation.leader)
    download(client, conversation, conversation.employee)
    assert sorted(renders) == ["en", "nb"]
    assert RenderedPdf.objects.filter(conversation=conversation).count() == 2


def test_stored_files_go_with_their_conversation(client):
    conversation = factories.make_conversation()
    download(client, conversation, conversation.leader)
    Conversation.objects.filter(pk=conversation.pk).delete()
    assert not RenderedPdf.objects.exists()
