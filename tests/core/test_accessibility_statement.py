"""The accessibility statement: open to everyone, in each language, linked from every page's footer."""

import pytest
from django.conf import settings
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db

HEADINGS = {
    "nb": ("Tilgjengelighetserklæring", "Kjente avvik", "Klage"),
    "nn": ("Tilgjengelegheitserklæring", "Kjende avvik", "Klage"),
    "en": ("Accessibility statement", "Known deviations", "Complaints"),
}


def get(path: str, language: str, user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(path)


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_statement_is_open_to_everyone_in_each_language(language):
    response = get("/tilgjengelighet/", language)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    for heading in HEADINGS[language]:
        assert heading in page
    assert "WCAG 2.1" in page and 'href="https://www.uutilsynet.no/"' in page


def test_the_contact_address_comes_from_the_settings(settings):
    settings.SAMTALE_ACCESSIBILITY_CONTACT = "uu@example.test"
    page = get("/tilgjengelighet/", "nb").content.decode()
    assert 'href="mailto:uu@example.test"' in page
    settings.SAMTALE_ACCESSIBILITY_CONTACT = ""
    page = get("/tilgjengelighet/", "nb").content.decode()
    assert "mailto:" not in page and "brukerstøtten" in page


@pytest.mark.parametrize(
    ("path", "signed_in"), [("/accounts/login/", False), ("/", True), ("/finnes-ikke/", True)]
)
def test_every_page_links_to_the_statement_in_its_footer(path, signed_in):
    page = get(path, "nn", user=factories.UserFactory() if signed_in else None).content.decode()
    footer = page.split('<footer class="site-footer">', 1)[1]
    assert '<a href="/tilgjengelighet/">Tilgjengelegheitserklæring</a>' in footer
