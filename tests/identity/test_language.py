"""The person's language: the header's switcher remembers it on the profile, and signing in brings it
back, whatever the browser's cookie or Accept-Language say."""

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def page_language(response) -> str:
    html = response.content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_choosing_a_language_signed_in_stores_it_on_the_profile():
    person = UserFactory(language="nb")
    client = Client()
    client.force_login(person)
    response = client.post("/i18n/setlang/", {"language": "nn", "next": "/"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.language == "nn"
    assert page_language(client.get("/")) == "nn"


def test_a_language_samtale_lacks_leaves_the_profile_alone():
    person = UserFactory(language="en")
    client = Client()
    client.force_login(person)
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    person.refresh_from_db()
    assert person.language == "en"


def test_choosing_a_language_signed_out_sets_only_the_cookie():
    response = Client().post("/i18n/setlang/", {"language": "nn", "next": "/accounts/login/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nn"
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    assert page_language(client.get("/accounts/login/")) == "nn"


@pytest.mark.parametrize("language", ["nn", "en", "nb"])
def test_signing_in_activates_the_profile_language(language):
    person = UserFactory(language=language)
    person.set_password(PASSWORD)
    person.save()
    # A browser that asks for another language, with a cookie from an earlier visit saying the same.
    other = "en" if language != "en" else "nn"
    client = Client(HTTP_ACCEPT_LANGUAGE=other)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = other
    assert page_language(client.get("/accounts/login/")) == other
    response = client.post("/accounts/login/", {"username": person.employee_id, "password": PASSWORD})
    assert response.status_code == 302
    home = client.get("/")
    assert page_language(home) == language
    assert home["Content-Language"] == language


def test_the_switcher_offers_nynorsk():
    html = Client().get("/accounts/login/").content.decode()
    assert '<option value="nn" lang="nn"' in html
