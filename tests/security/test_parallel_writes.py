"""Many writes at once against a real server, as many app server threads would send them: no 5xx on the
embedded default (a SQLite file, configured for a web server in config/settings/base.py) nor on
PostgreSQL (its own throwaway cluster, so this runs in the SQLite runs of CI as well).

Each server is gunicorn with the production settings (tests/security/live_server.py), 2 processes of 16
threads, so writes contend across processes as well as threads.
"""

import threading
from collections import Counter

import pytest

from tests.security.live_server import LiveServer, PostgresCluster, sqlite_url

API = "/api/v1/"
PARALLEL_CREATES = 30
PARALLEL_GRANTS = 20


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, tmp_path_factory):
    cluster = None
    if request.param == "postgresql":
        cluster = PostgresCluster()
        url = cluster.url
    else:
        url = sqlite_url(tmp_path_factory.mktemp("sqlite"))
    live = LiveServer(url, workers=2, threads=16)
    try:
        live.prepare(employees=PARALLEL_CREATES, deputies=PARALLEL_GRANTS)
        live.start()
        yield live
    finally:
        live.stop()
        if cluster is not None:
            cluster.remove()


def all_at_once(calls) -> list:
    """Run the calls in threads released together; their responses in order (a request that got no
    answer in time, its exception)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait(timeout=60)
        try:
            results[index] = call()
        except OSError as error:  # e.g. no answer within the client's timeout
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    return results


def statuses(responses) -> Counter:
    """How many responses had each status; requests without an answer count by their error's name."""
    return Counter(getattr(response, "status", type(response).__name__) for response in responses)


def failures(responses) -> tuple:
    """How the requests went, and what those that failed answered (or why they got no answer)."""
    failed = [
        r if isinstance(r, Exception) else r.body[:200] for r in responses if getattr(r, "status", 0) != 201
    ]
    return statuses(responses), failed


def test_thirty_parallel_conversation_creates_all_succeed(server):
    token = server.world["leader_token"]
    calls = [
        lambda employee=employee: server.request(
            "POST", f"{API}conversations/", {"employee": employee}, token=token
        )
        for employee in server.world["employees"]
    ]

    responses = all_at_once(calls)

    assert statuses(responses) == {201: PARALLEL_CREATES}, failures(responses)
    listed = server.request("GET", f"{API}conversations/", token=token).json()
    assert listed["count"] == PARALLEL_CREATES + 1  # and the one the seed made


def test_thirty_parallel_goal_creates_on_one_conversation_all_succeed(server):
    token, conversation = server.world["leader_token"], server.world["conversation"]
    path = f"{API}conversations/{conversation}/goals/"
    calls = [
        lambda n=n: server.request("POST", path, {"title": f"Mål {n}", "kind": "result"}, token=token)
        for n in range(PARALLEL_CREATES)
    ]

    responses = all_at_once(calls)

    assert statuses(responses) == {201: PARALLEL_CREATES}, failures(responses)
    goals = server.request("GET", f"{API}conversations/{conversation}/", token=token).json()["goals"]
    assert len(goals) == PARALLEL_CREATES


def test_twenty_parallel_deputy_grants_on_one_conversation_all_succeed(server):
    token, conversation = server.world["leader_token"], server.world["conversation"]
    calls = [
        lambda deputy=deputy: server.request(
            "POST",
            f"{API}deputies/",
            {"deputy": deputy, "conversation": conversation, "until": "2999-12-31"},
            token=token,
        )
        for deputy in server.world["deputies"]
    ]

    responses = all_at_once(calls)

    assert statuses(responses) == {201: PARALLEL_GRANTS}, failures(responses)
    detail = server.request("GET", f"{API}conversations/{conversation}/", token=token).json()
    assert {d["deputy"]["id"] for d in detail["deputies"]} >= set(server.world["deputies"]), (
        "every grant gives rights"
    )
