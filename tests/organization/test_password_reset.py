"""Setting a new password by e-mail: Samtale's own pages in bokmål, and mail limited per account and per
address without telling anyone whether an address has an account."""

import re

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from core import rate_limits
from tests import factories

pytestmark = pytest.mark.django_db

RESET = "/accounts/password_reset/"
DONE = "/accounts/password_reset/done/"
HOUR = 3600


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = rate_limits.now()

    monkeypatch.setattr(rate_limits, "now", lambda: Clock.now)
    return Clock


def ask(email: str, address: str = "192.0.2.10"):
    """Ask for a link; the e-mail goes through the outbox after commit, as every e-mail does."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return Client().post(RESET, {"email": email}, REMOTE_ADDR=address)


def site_page(response) -> str:
    """The page's text, after checking it is Samtale's own layout in bokmål and not the admin's."""
    page = response.content.decode()
    assert '<html lang="nb">' in page
    assert 'class="site-header"' in page
    assert "Django" not in page
    return page


def test_an_account_gets_at_most_three_links_an_hour(clock):
    user = factories.UserFactory(email="kari@example.org")
    answers = [ask("kari@example.org", address=f"192.0.2.{number}") for number in range(5)]
    assert [(a.status_code, a["Location"]) for a in answers] == [(302, DONE)] * 5  # the same answer
    assert len(mail.outbox) == 3
    assert {message.to[0] for message in mail.outbox} == {user.email}
    clock.now += HOUR + 1
    ask("KARI@example.org", address="192.0.2.99")
    assert len(mail.outbox) == 4


def test_an_unknown_address_gets_the_same_answer_and_no_mail():
    answer = ask("nobody@example.org")
    assert (answer.status_code, answer["Location"]) == (302, DONE)
    assert mail.outbox == []


def test_one_address_may_ask_ten_times_an_hour(clock):
    people = [factories.UserFactory(email=f"person{number}@example.org") for number in range(12)]
    answers = [ask(person.email) for person in people[:10]]
    assert {a.status_code for a in answers} == {302}
    assert len(mail.outbox) == 10

    refused = ask(people[10].email)
    assert refused.status_code == 429
    assert "For mange forespørsler om nytt passord" in site_page(refused)
    assert len(mail.outbox) == 10
    # Asking for an address without an account counts the same: the limit says nothing about accounts.
    assert ask("nobody@example.org").status_code == 429
    assert ask(people[10].email, address="192.0.2.11").status_code == 302  # another address
    clock.now += HOUR + 1
    assert ask(people[11].email).status_code == 302
    assert len(mail.outbox) == 12


def test_the_limits_come_from_the_settings(settings):
    settings.SAMTALE_PASSWORD_RESETS_PER_ACCOUNT = 1
    settings.SAMTALE_PASSWORD_RESETS_PER_ADDRESS = 2
    factories.UserFactory(email="kari@example.org")
    assert [ask("kari@example.org").status_code for _ in range(3)] == [302, 302, 429]
    assert len(mail.outbox) == 1


def test_the_whole_way_to_a_new_password_is_in_bokmal_on_the_site():
    user = factories.UserFactory(email="kari@example.org", full_name="Kari Nordmann")
    form = Client().get(RESET)
    assert form.status_code == 200
    assert "Glemt passordet?" in site_page(form)
    assert "Glemt passordet?" in Client().get(reverse("login")).content.decode()  # linked from the login

    done = ask(user.email)
    assert "Sjekk e-posten din" in site_page(Client().get(done["Location"]))

    message = mail.outbox[0]
    assert message.subject == "Nytt passord til Samtale"
    assert "Hei Kari Nordmann," in message.body
    assert f"Brukernavnet ditt er {user.employee_id}." in message.body
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", message.body).group(1)

    client = Client()
    confirm_page = client.get(link, follow=True)
    assert "Lag et nytt passord" in site_page(confirm_page)
    new_password = "Et-helt-nytt-passord-42"  # noqa: S105
    complete = client.post(
        confirm_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert "Passordet ditt er endret" in site_page(client.get(complete["Location"]))
    login = Client().post(reverse("login"), {"username": user.employee_id, "password": new_password})
    assert login.status_code == 302

    used = Client().get(link, follow=True)
    assert "Lenken virker ikke lenger" in site_page(used)
