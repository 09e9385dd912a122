"""The database restarts or goes away under a running server: never a 500.

gunicorn with the production settings (persistent connections, tests/security/live_server.py) serves
its own throwaway PostgreSQL cluster, which the tests restart and stop. Runs in every CI run (SQLite or
PostgreSQL): CI has the PostgreSQL binaries, and without them it fails there (locally it is skipped).

- After a restart every persistent connection is dead; the next requests must still succeed.
- While the server is down the API answers 503 with Retry-After and `{"detail": ...}`, the pages a plain
  bokmål 503 page; once it is back, requests succeed again.
"""

import threading

import pytest

from tests.security.live_server import LiveServer, PostgresCluster

API = "/api/v1/"
THREADS = 4


@pytest.fixture(scope="module")
def cluster():
    cluster = PostgresCluster()
    yield cluster
    cluster.remove()


@pytest.fixture(scope="module")
def server(cluster):
    live = LiveServer(cluster.url, workers=1, threads=THREADS)
    try:
        live.prepare(employees=2, deputies=0)
        live.start()
        yield live
    finally:
        live.stop()


def api_me(server):
    return server.request("GET", f"{API}me/", token=server.world["leader_token"])


def front_page(server):
    return server.request("GET", "/", session=server.world["session"])


def in_parallel(call, times: int) -> list:
    """`times` calls at once, so every thread of the server (and its connection) answers some."""
    results: list = [None] * times

    def run(index):
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def test_requests_after_a_database_restart_succeed(server, cluster):
    warm = in_parallel(lambda: api_me(server), 2 * THREADS)
    assert [r.status for r in warm] == [200] * (2 * THREADS), "every server thread holds a connection"

    cluster.restart()

    first = [api_me(server).status for _ in range(2 * THREADS)]
    parallel = [r.status for r in in_parallel(lambda: api_me(server), 2 * THREADS)]
    page = front_page(server)
    assert first == [200] * (2 * THREADS), first
    assert parallel == [200] * (2 * THREADS), parallel
    assert page.status == 200


def test_while_the_database_is_away_the_api_answers_503_json_and_pages_a_bokmal_page(server, cluster):
    assert api_me(server).status == 200
    cluster.halt()
    try:
        reads = [api_me(server) for _ in range(THREADS)]
        write = server.request(
            "POST", f"{API}conversations/", {"employee": 1}, token=server.world["leader_token"]
        )
        page = front_page(server)
    finally:
        cluster.resume()

    for response in [*reads, write]:
        assert response.status == 503, response.body[:300]
        assert response.headers["Retry-After"] == "30"
        assert response.headers["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Tjenesten er midlertidig utilgjengelig. Prøv igjen om litt."}
    assert page.status == 503, page.body[:300]
    assert page.headers["Retry-After"] == "30"
    assert page.headers["Content-Type"].startswith("text/html")
    text = page.body.decode()
    assert '<html lang="nb">' in text
    assert "Samtale er midlertidig utilgjengelig" in text

    assert api_me(server).status == 200, "served again once the database is back"
    assert front_page(server).status == 200
