"""A mail server that fails never loses a transition: the change stands and the answer is 2xx.

E-mails are sent after commit (`transaction.on_commit`); the tests run those callbacks, so the failing
backend is really called, and check that the failure was logged and swallowed.
"""

import smtplib

import pytest
from django.urls import reverse

from conversations.models import Comment, Confirmation, DeputyGrant, Status
from tests.factories import in_days
from tests.workflow import latest_version

pytestmark = pytest.mark.django_db

API = "/api/v1/"


class FailingBackend:
    """An SMTP server that refuses every message. Records each attempt."""

    attempts: list = []

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        FailingBackend.attempts.extend(messages)
        raise smtplib.SMTPException("451 the mail server is down")


@pytest.fixture
def failing_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    FailingBackend.attempts = []
    return FailingBackend.attempts


def _submit(world, api_as):
    return api_as(world.leader).post(f"{API}conversations/{world.draft.pk}/submit/")


def _confirm(world, api_as):
    version = latest_version(world.awaiting)
    body = {"version": version.number, "sha256": version.sha256}
    return api_as(world.employee).post(
        f"{API}conversations/{world.awaiting.pk}/confirm/", body, format="json"
    )


def _request_changes(world, api_as):
    body = {"comment": "Målet er uklart"}
    return api_as(world.employee).post(
        f"{API}conversations/{world.awaiting.pk}/request-changes/", body, format="json"
    )


def _grant(world, api_as):
    body = {"deputy": world.stand_in.pk, "until": in_days(3).isoformat()}
    return api_as(world.leader).post(f"{API}deputies/", body, format="json")


def _submitted(world):
    world.draft.refresh_from_db()
    assert world.draft.status == Status.AWAITING_CONFIRMATION
    assert latest_version(world.draft).number == 1
    return world.employee


def _confirmed(world):
    world.awaiting.refresh_from_db()
    assert world.awaiting.status == Status.CONFIRMED
    assert Confirmation.objects.filter(version=world.awaiting.confirmed_version).exists()
    return world.leader


def _changes_requested(world):
    world.awaiting.refresh_from_db()
    assert world.awaiting.status == Status.CHANGES_REQUESTED
    assert world.awaiting.comments.filter(kind=Comment.Kind.CHANGE_REQUEST, text="Målet er uklart").exists()
    return world.leader


def _granted(world):
    grant = DeputyGrant.objects.get(leader=world.leader, deputy=world.stand_in)
    assert grant.ended_at is None
    return world.stand_in


CASES = {
    "submit": (_submit, _submitted, 201),
    "confirm": (_confirm, _confirmed, 200),
    "request_changes": (_request_changes, _changes_requested, 200),
    "deputy_grant": (_grant, _granted, 201),
}


@pytest.mark.parametrize("case", CASES)
def test_a_failing_mail_server_does_not_lose_the_change(
    world, api_as, failing_mail, django_capture_on_commit_callbacks, caplog, case
):
    act, check, status = CASES[case]
    with django_capture_on_commit_callbacks(execute=True):
        response = act(world, api_as)
    assert response.status_code == status, response.content
    recipient = check(world)
    assert [m.to for m in failing_mail] == [[recipient.email]], (
        "the mail was attempted once, to the right person"
    )
    assert "Could not send e-mail" in caplog.text


def test_the_deputy_can_use_the_grant_although_the_mail_failed(
    world, api_as, failing_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _grant(world, api_as).status_code == 201
    assert api_as(world.stand_in).get(f"{API}conversations/{world.draft.pk}/").status_code == 200


def test_a_failing_mail_server_does_not_lose_a_confirmation_on_the_page(
    world, page_as, failing_mail, django_capture_on_commit_callbacks
):
    version = latest_version(world.awaiting)
    with django_capture_on_commit_callbacks(execute=True):
        response = page_as(world.employee).post(
            reverse("web:confirm", args=[world.awaiting.pk]),
            {"version": version.number, "sha256": version.sha256},
        )
    assert response.status_code == 302
    _confirmed(world)
    assert len(failing_mail) == 1


@pytest.mark.parametrize("case", CASES)
def test_each_notification_is_sent_once_to_the_person_who_must_act(
    world, api_as, mailoutbox, django_capture_on_commit_callbacks, case
):
    act, check, _status = CASES[case]
    with django_capture_on_commit_callbacks(execute=True):
        act(world, api_as)
    recipient = check(world)
    assert [m.to for m in mailoutbox] == [[recipient.email]]
    assert all(m.content_subtype == "plain" and not m.alternatives for m in mailoutbox)
