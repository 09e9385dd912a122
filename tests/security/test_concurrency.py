"""Races on a real PostgreSQL server: two requests at once, each on its own connection (thread).

- Two PATCHes of one goal with the same If-Match: exactly one wins (200), the other is told its copy is
  stale (412). A PATCH racing a DELETE, or two DELETEs: one wins, the other gets 404 or 412, never 500.
- A confirmation racing an amendment (amend, edit, submit the next version): whatever the interleaving,
  the confirmed version is exactly the one the employee named, with the hash they sent and the content
  they read; the stale hash never confirms the new content.

SQLite serialises every write on one file lock, so these races cannot happen there: skipped. CI runs the
suite on PostgreSQL as well, where they run.
"""

import random
import threading
import time

import pytest
from django.db import connection
from rest_framework.test import APIClient

from conversations.access import permissions
from conversations.contract import canonical as contract
from conversations.models import Confirmation, Conversation, HistoryEntry, Status
from goals.models import Goal
from tests import factories
from tests.factories import in_days
from tests.organisation import api_client
from tests.workflow import walk

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite locks the whole database on write, so requests cannot race",
    ),
    pytest.mark.django_db(transaction=True),
]

API = "/api/v1/"
ROUNDS = 4


def race(*calls, timeout: float = 30):
    """Run each call in its own thread, released together; returns their results in order.

    Each thread uses (and closes) its own database connection, as two app servers would."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=timeout)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - reported to the test below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    for result in results:
        if isinstance(result, Exception):
            raise result
    return results


@pytest.fixture
def draft():
    return factories.make_conversation()


def _goal(conversation) -> Goal:
    return Goal.objects.get(conversation=conversation)


def test_two_patches_with_the_same_etag_one_wins_one_gets_412(draft):
    leader = draft.leader
    for round_ in range(ROUNDS):
        goal = _goal(draft)
        etag = goal.etag
        url = f"{API}goals/{goal.pk}/"
        titles = (f"A{round_}", f"B{round_}")

        def patch(title, url=url, etag=etag):
            return lambda: api_client(leader).patch(url, {"title": title}, format="json", HTTP_IF_MATCH=etag)

        responses = race(patch(titles[0]), patch(titles[1]))
        codes = sorted(r.status_code for r in responses)
        assert codes == [200, 412], [r.content for r in responses]
        winner = titles[[r.status_code for r in responses].index(200)]
        goal.refresh_from_db()
        assert goal.title == winner
        assert goal.revision == int(etag.strip('"').rsplit("-", 1)[1]) + 1
    updates = HistoryEntry.objects.filter(conversation=draft, action="goal_updated").count()
    assert updates == ROUNDS, "exactly one change recorded per race"


@pytest.mark.parametrize("pair", [("patch", "delete"), ("delete", "delete")])
def test_a_change_racing_a_delete_never_fails_the_server(pair):
    for _round in range(ROUNDS):
        conversation = factories.make_conversation()
        goal = _goal(conversation)
        url, etag = f"{API}goals/{goal.pk}/", goal.etag

        def call(method, leader=conversation.leader, url=url, etag=etag):
            body = {"title": "Ny"} if method == "patch" else None
            return lambda: getattr(api_client(leader), method)(url, body, format="json", HTTP_IF_MATCH=etag)

        responses = race(*(call(method) for method in pair))
        codes = [r.status_code for r in responses]
        assert sum(code in (200, 204) for code in codes) == 1, codes
        assert all(code in (200, 204, 404, 412) for code in codes), codes
        deleted = 204 in codes
        assert Goal.objects.filter(pk=goal.pk).exists() != deleted


def test_a_double_submit_makes_one_version(draft):
    leader = draft.leader
    url = f"{API}conversations/{draft.pk}/submit/"
    responses = race(lambda: api_client(leader).post(url), lambda: api_client(leader).post(url))
    assert sorted(r.status_code for r in responses) == [201, 409]
    assert draft.versions.count() == 1


def test_a_double_confirmation_confirms_once(draft):
    walk(draft, Status.AWAITING_CONFIRMATION)
    version = draft.versions.get()
    body = {"version": version.number, "sha256": version.sha256}
    url = f"{API}conversations/{draft.pk}/confirm/"

    def confirm():
        return api_client(draft.employee).post(url, body, format="json")

    responses = race(confirm, confirm)
    assert sorted(r.status_code for r in responses) == [200, 409]
    assert Confirmation.objects.filter(conversation=draft).count() == 1


def _amend_edit_submit(leader, conversation_id: int, title: str) -> list[int]:
    """The leader amends as soon as the state allows, changes the goal and submits the next version."""
    client = api_client(leader)
    base = f"{API}conversations/{conversation_id}/"
    codes = []
    for _attempt in range(200):
        amend = client.post(base + "amend/")
        codes.append(amend.status_code)
        if amend.status_code == 200:
            break
        time.sleep(0.002)
    else:
        return codes
    goal = client.get(base).json()["goals"][0]
    edit = client.patch(
        f"{API}goals/{goal['id']}/", {"title": title}, format="json", HTTP_IF_MATCH=goal["etag"]
    )
    submit = client.post(base + "submit/")
    return [*codes, edit.status_code, submit.status_code]


def _confirm_what_was_read(employee, conversation_id: int, seen: dict, delay: float):
    time.sleep(delay)
    body = {"version": seen["number"], "sha256": seen["sha256"]}
    return api_client(employee).post(f"{API}conversations/{conversation_id}/confirm/", body, format="json")


def test_a_confirmation_racing_an_amendment_never_confirms_stale_content():
    rng = random.Random(4)  # noqa: S311 - spreads the interleavings, not security
    for round_ in range(ROUNDS):
        conversation = walk(factories.make_conversation(), Status.AWAITING_CONFIRMATION)
        employee, leader = conversation.employee, conversation.leader
        reader = api_client(employee)
        seen = reader.get(f"{API}conversations/{conversation.pk}/").json()["current_version"]
        (read_version,) = reader.get(f"{API}conversations/{conversation.pk}/versions/").json()["results"]
        new_title = f"Endret i runde {round_}"

        delay = rng.uniform(0, 0.02)
        confirmation, leader_codes = race(
            lambda c=conversation, e=employee, s=seen, d=delay: _confirm_what_was_read(e, c.pk, s, d),
            lambda c=conversation, le=leader, t=new_title: _amend_edit_submit(le, c.pk, t),
        )

        assert confirmation.status_code == 200, confirmation.content
        assert confirmation.json()["version"] == seen["number"]
        assert confirmation.json()["sha256"] == seen["sha256"]
        assert leader_codes[-3:] == [200, 200, 201], leader_codes  # amend, edit, submit once allowed
        (signed,) = Confirmation.objects.filter(conversation=conversation).select_related("version")
        assert signed.sha256 == seen["sha256"] == signed.version.sha256
        assert contract.sha256_of(signed.version.canonical_json) == seen["sha256"]
        assert signed.version.content == read_version["content"], "the content confirmed is the content read"
        assert new_title not in signed.version.canonical_json

        conversation = Conversation.objects.select_related("confirmed_version").get(pk=conversation.pk)
        assert conversation.status == Status.AWAITING_CONFIRMATION
        assert conversation.confirmed_version.number == seen["number"], "the binding version stays"
        latest = conversation.versions.order_by("-number").first()
        assert latest.number == seen["number"] + 1 and latest.sha256 != seen["sha256"]
        assert new_title in latest.canonical_json
        _the_old_hash_never_confirms_the_new_content(employee, conversation, seen, latest)


def _the_old_hash_never_confirms_the_new_content(employee, conversation, seen, latest):
    url = f"{API}conversations/{conversation.pk}/confirm/"
    for body in (
        {"version": seen["number"], "sha256": seen["sha256"]},
        {"version": latest.number, "sha256": seen["sha256"]},
    ):
        assert api_client(employee).post(url, body, format="json").status_code == 409
    assert Confirmation.objects.filter(conversation=conversation).count() == 1


def _answering_client(user) -> APIClient:
    """A client that gets a server error as a 500 response (as a real client would), not as an exception."""
    client = api_client(user)
    client.raise_request_exception = False
    return client


def _grant(leader, deputy, conversation):
    def post():
        body = {"deputy": deputy.pk, "conversation": conversation.pk, "until": in_days(30).isoformat()}
        return _answering_client(leader).post(f"{API}deputies/", body, format="json")

    return post


def test_twenty_parallel_deputy_grants_on_one_conversation_all_succeed_and_all_hold(draft):
    deputies = [factories.LeaderFactory(unit=draft.leader.unit) for _ in range(20)]

    responses = race(*(_grant(draft.leader, deputy, draft) for deputy in deputies))

    codes = [r.status_code for r in responses]
    assert codes == [201] * 20, {code: codes.count(code) for code in codes}
    holders = permissions.rights_holders(draft)
    assert all(holders.get(d.pk) == permissions.DEPUTY_PERMS for d in deputies), "every grant gives rights"
    for deputy in deputies:
        assert api_client(deputy).get(f"{API}conversations/{draft.pk}/").status_code == 200
