"""Load benchmark of the API on the reference organisation (50,000 employees): `make bench`.

    make bench       # throwaway PostgreSQL, migrate, seed_scale, then this script; about 15-20 minutes
    DATABASE_URL=postgres://... .venv/bin/python bench/run_bench.py [--levels 1,8,32] [--duration 20]

DATABASE_URL must name a PostgreSQL database seeded by `manage.py seed_scale`. The script
1. picks requests for each measured endpoint (`demo.scale_data.bench_calls`, spread over the
   organisation) and gives their users API tokens;
2. counts each endpoint's queries in this process, inside a rolled-back transaction as the test client
   does, and compares them with what tests/test_scale.py asserts at 500 employees;
3. starts gunicorn on 127.0.0.1 with the production settings and persistent database connections;
4. drives each endpoint with wrk (one thread, a Lua script rotating through the requests) at each
   number of concurrent clients for --duration seconds, after a short warm-up, and notes the load
   average before each run (other processes on the machine compete for the same cores);
5. writes bench-results/scale.json and bench-results/scale.md (the table for the README).

Where an endpoint's CPU goes: bench/profile_api.py (cProfile over the same requests, in one process).
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_CONN_MAX_AGE": "600",
    "DJANGO_LOG_LEVEL": "WARNING",
    # The benchmark must measure the endpoints, not the rate limits.
    "SAMTALE_THROTTLE_AUTH": "1000000/min",
    "SAMTALE_THROTTLE_PDF": "1000000/min",
    "SAMTALE_THROTTLE_STATISTICS": "1000000/min",
}
os.environ.update({k: os.environ.get(k, v) for k, v in SERVER_ENV.items()})
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(60))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from conversations.models import Conversation, FollowUp  # noqa: E402
from demo.scale_data import QUERY_COUNTS, TRIVIAL, bench_calls  # noqa: E402
from goals.models import Goal  # noqa: E402
from organization.models import OrgUnit, User  # noqa: E402

RESULTS = ROOT / "bench-results"
WRITER = "follow-up POST"  # the writes of --writes-during
PDF = "PDF"  # the downloads of --pdfs-beside
SLOW = {"PDF", "statistics (whole org)"}  # warmed up by two clients only: each request takes seconds
LUA_DONE = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
end
"""


# --- preparing ----------------------------------------------------------------------------------------


def tokens_for(user_ids: set[int]) -> dict[int, str]:
    existing = dict(Token.objects.filter(user_id__in=user_ids).values_list("user_id", "key"))
    missing = [Token(user_id=u, key=Token.generate_key()) for u in user_ids if u not in existing]
    Token.objects.bulk_create(missing)
    return {**existing, **{t.user_id: t.key for t in missing}}


def sessions_for(user_ids: set[int]) -> dict[int, str]:
    """A signed-in session (its cookie's value) for each user, for the pages among the calls."""
    sessions = {}
    for user in User.objects.filter(pk__in=user_ids):
        client = Client()
        client.force_login(user)
        sessions[user.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


def credentials(calls: dict) -> dict:
    """(user id, is a page) -> the API token, or the session for a page (`Call.session`)."""
    every = [c for endpoint in calls.values() for c in endpoint]
    tokens = tokens_for({c.user_id for c in every if not c.session})
    sessions = sessions_for({c.user_id for c in every if c.session})
    return {**{(u, False): t for u, t in tokens.items()}, **{(u, True): s for u, s in sessions.items()}}


def secret(creds: dict, call) -> str:
    return creds[(call.user_id, call.session)]


def auth_header(call, token: str) -> tuple[str, str]:
    """The header that signs `call` in: the API token, or the session cookie for a page."""
    if call.session:
        return "Cookie", f"{settings.SESSION_COOKIE_NAME}={token}"
    return "Authorization", f"Token {token}"


def send(client: Client, call, token: str):
    name, value = auth_header(call, token)
    headers = {"HTTP_" + name.upper(): value, "HTTP_HOST": "127.0.0.1"}
    if call.method == "POST":
        return client.post(call.path, json.dumps(call.body), content_type="application/json", **headers)
    return client.get(call.path, **headers)


def count_queries(calls: dict, tokens: dict) -> tuple[dict[str, int], dict[str, int]]:
    """Queries per request of each endpoint, counted like tests/test_scale.py: after one warm-up
    request, inside a transaction that is rolled back (nothing written stays), with the tests' cache
    in memory. The production settings' shared cache lives in a table (rate-limit counters, statistics
    results): what it adds is counted apart. Returns (queries, queries the shared cache adds)."""
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}):
        counts = _count_queries(calls, tokens)
    with_shared_cache = _count_queries(calls, tokens)
    return counts, {name: with_shared_cache[name] - counts[name] for name in counts}


def _count_queries(calls: dict, tokens: dict) -> dict[str, int]:
    client, counts = Client(), {}
    for name, endpoint_calls in calls.items():
        warm, measured = endpoint_calls[0], endpoint_calls[1]
        with transaction.atomic():
            send(client, warm, secret(tokens, warm))
            with CaptureQueriesContext(connection) as captured:
                response = send(client, measured, secret(tokens, measured))
            transaction.set_rollback(True)
        if response.status_code >= 300:
            sys.exit(f"{name}: {measured.method} {measured.path} answered {response.status_code}")
        counts[name] = len(captured.captured_queries)
    return counts


def warm_pdf_cache(pdf_calls: list, tokens: dict) -> dict:
    """Download each PDF once (it is rendered and kept per content), so the runs measure repeated
    downloads; returns the CPU of one more round of the same downloads, per request, in this process."""
    client = Client()
    for call in pdf_calls:
        send(client, call, secret(tokens, call))
    started = time.process_time()
    for call in pdf_calls:
        send(client, call, secret(tokens, call))
    per_request = (time.process_time() - started) * 1000 / max(len(pdf_calls), 1)
    print(f"PDF cache warmed: {len(pdf_calls)} PDFs; a repeated download cost {per_request:.1f} ms of CPU")
    return {"pdfs": len(pdf_calls), "repeated_download_cpu_ms": round(per_request, 2)}


def data_size() -> dict[str, int]:
    return {
        "people": User.objects.count(),
        "leaders": User.objects.filter(is_leader=True).count(),
        "units": OrgUnit.objects.count(),
        "unit_levels": OrgUnit.objects.order_by("-depth").values_list("depth", flat=True).first() + 1,
        "conversations": Conversation.objects.count(),
        "goals": Goal.objects.count(),
        "follow_ups": FollowUp.objects.count(),
    }


# --- the server ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, workers: int, threads: int) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),  # the running environment's, wherever it lives
        "config.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        f"--worker-class={'gthread' if threads > 1 else 'sync'}",
        "--keep-alive=30",
        "--backlog=256",
        "--log-level=warning",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())  # noqa: S603


def wait_until_up(base: str, token: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(  # noqa: S310 - our own server
                f"{base}/api/v1/me/", headers={"Authorization": f"Token {token}"}
            )
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - our own server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit("gunicorn did not answer within a minute")


# --- wrk ----------------------------------------------------------------------------------------------


def lua_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string without \\u escapes is a Lua string


def lua_script(calls, tokens) -> str:
    lines = ["local raw = {"]
    for call in calls:
        body = json.dumps(call.body, ensure_ascii=False) if call.body is not None else None
        header, value = auth_header(call, secret(tokens, call))
        parts = [lua_string(call.method), lua_string(call.path), lua_string(header), lua_string(value)]
        parts.append(lua_string(body) if body is not None else "nil")
        lines.append("  {" + ", ".join(parts) + "},")
    lines.append("}")
    lines.append(
        """
local formatted, n = {}, 0
init = function(args)
  for i, r in ipairs(raw) do
    local headers = {[r[3]] = r[4], ["Host"] = "127.0.0.1"}
    if r[5] then headers["Content-Type"] = "application/json" end
    formatted[i] = wrk.format(r[1], r[2], headers, r[5])
  end
end
request = function()
  n = n + 1
  return formatted[(n - 1) % #formatted + 1]
end
"""
    )
    lines.append(LUA_DONE)
    return "\n".join(lines)


# --- CPU accounting: what each request costs the machine, whatever else runs on it -------------------------

TICK = os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU of the processes (all their threads), in seconds."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


class Meter:
    """CPU of the gunicorn workers and of the PostgreSQL server processes."""

    def __init__(self, gunicorn_pid: int, postmaster_pid: int | None):
        self.gunicorn_pid, self.postmaster_pid = gunicorn_pid, postmaster_pid

    def read(self) -> tuple[float, float]:
        database = children(self.postmaster_pid) if self.postmaster_pid else []
        return cpu_seconds(children(self.gunicorn_pid)), cpu_seconds(database)

    def wait_idle(self, limit_s: float = 900) -> float:
        """Wait until the work left over from the last run is done: wrk stops sending, but the server
        still works through the requests it accepted (slow endpoints at 32 clients leave minutes of it).
        Idle: under 5% of a core used by the workers and the database for three seconds in a row."""
        started, quiet = time.monotonic(), 0
        before = sum(self.read())
        while quiet < 3 and time.monotonic() - started < limit_s:
            time.sleep(1)
            now = sum(self.read())
            quiet = quiet + 1 if now - before < 0.05 else 0
            before = now
        return round(time.monotonic() - started, 1)


def postmaster_pid() -> int | None:
    """The PostgreSQL server's process, when it runs on this machine and we may read its directory."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW data_directory")
            directory = Path(cursor.fetchone()[0])
        return int((directory / "postmaster.pid").read_text().split()[0])
    except Exception:  # noqa: BLE001 - no accounting for a remote or unreadable server
        return None


def _wrk_command(base: str, script: Path, clients: int, seconds: int) -> list[str]:
    return ["wrk", "-t1", f"-c{clients}", f"-d{seconds}s", "--timeout=60s", f"-s{script}", base]


def start_wrk(base: str, script: Path, clients: int, seconds: int) -> subprocess.Popen:
    """wrk in the background (the writes of --writes-during); its output from `communicate()`."""
    command = _wrk_command(base, script, clients, seconds)
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603


def run_wrk(base: str, script: Path, clients: int, seconds: int) -> dict:
    command = _wrk_command(base, script, clients, seconds)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    return {"clients": clients, **wrk_result(output)}


def wrk_result(output: str) -> dict:
    line = next(line for line in output.splitlines() if line.startswith("JSON "))
    raw = json.loads(line[5:])
    seconds_run = raw["duration_us"] / 1e6
    latency = raw["latency_us"]
    return {
        "requests": raw["requests"],
        "seconds": round(seconds_run, 2),
        "req_per_s": round(raw["requests"] / seconds_run, 1),
        # None: no request finished within the run (wrk has no latencies to report).
        **{
            f"{p}_ms": round(latency[p] / 1000, 1) if raw["requests"] else None
            for p in ("p50", "p95", "p99", "max")
        },
        "errors": sum(raw["errors"].values()),
        "error_detail": raw["errors"],
    }


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


# --- report -------------------------------------------------------------------------------------------


def machine() -> dict:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next(
            (
                ln.split(":", 1)[1].strip()
                for ln in cpuinfo.read_text().splitlines()
                if ln.startswith("model name")
            ),
            "",
        )
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "memory_gib": round(memory, 1),
        "system": platform.platform(),
        "python": platform.python_version(),
        "postgresql": postgres,
    }


TARGETS = (  # (endpoint, clients, what, limit)
    ("leader list", 8, "p95_ms", 100),
    ("employee list", 8, "p95_ms", 100),
    ("detail", 8, "p95_ms", 100),
    ("follow-up POST", 8, "p95_ms", 150),
    ("statistics (whole org)", 8, "p95_ms", 1000),
)


def target_lines(result: dict) -> list[str]:
    rows = {(r["endpoint"], r["clients"]): r for r in result["runs"] if r.get("beside") != PDF}
    lines = []
    for endpoint, clients, what, limit in TARGETS:
        row = rows.get((endpoint, clients))
        if row:
            ok = row["requests"] > 0 and row[what] < limit and row["errors"] == 0
            lines.append(
                f"- {endpoint} at {clients} clients: p95 {row[what]} ms (target < {limit} ms) "
                f"{'met' if ok else 'NOT met'}"
            )
    detail = rows.get(("detail", 8))
    if detail:
        share = detail["share_of_trivial"]
        lines.append(
            f"- detail throughput at 8 clients: {share:.0%} of the trivial endpoint's (target >= 40%) "
            f"{'met' if share >= 0.4 else 'NOT met'}"
        )
    for r in result["runs"]:
        alone = rows.get((r["endpoint"], r["clients"]))
        if r.get("beside") == PDF and alone:
            ratio = r["req_per_s"] / max(alone["req_per_s"], 0.001)
            lines.append(
                f"- {r['endpoint']} at {r['clients']} clients with PDFs downloaded beside: {ratio:.0%} of "
                f"its req/s alone (target >= 80%) {'met' if ratio >= 0.8 else 'NOT met'}"
            )
    errors = sum(r["errors"] for r in result["runs"])
    lines.append(f"- errors in all runs: {errors}")
    return lines


def markdown(result: dict) -> str:
    m, size = result["machine"], result["data"]
    loads = [r["load_before"] for r in result["runs"]]
    lines = [
        f"Measured {result['started'][:16].replace('T', ' ')} UTC on {m['cores']} cores ({m['cpu']}), "
        f"{m['memory_gib']} GiB, PostgreSQL {m['postgresql']}, Python {m['python']}; gunicorn "
        f"{result['server']['workers']} workers x {result['server']['threads']} threads (gthread), "
        "wrk with one thread on the same machine. "
        f"Load average (1 min) before the runs: {min(loads)}-{max(loads)}.",
        f"Data: {size['people']:,} people ({size['leaders']:,} leaders, {size['units']:,} units on "
        f"{size['unit_levels']} levels), {size['conversations']:,} conversations, {size['goals']:,} goals, "
        f"{size['follow_ups']:,} follow-ups. {result['duration']} s per endpoint and level."
        + (
            f" Alongside every run but the trivial one and {WRITER!r}: {WRITER} with one client (writes/s "
            "in the last column; their CPU is counted in the run's)."
            if result.get("writes_during")
            else ""
        )
        + (
            f" Every endpoint also with {PDF!r} downloaded by one client beside it (downloads/s in the last "
            "column; their CPU is counted in the run's)."
            if result.get("pdfs_beside")
            else ""
        ),
        "",
        "| endpoint | clients | req/s | share of trivial | p50 ms | p95 ms | p99 ms | errors "
        "| CPU ms per request (app + db) | cores busy | load | queries (500 / 50,000) | beside/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in result["runs"]:
        queries = f"{result['expected_queries'].get(r['endpoint'], '?')} / {result['queries'][r['endpoint']]}"
        p50, p95, p99 = (r[f"{p}_ms"] if r["requests"] else "none done" for p in ("p50", "p95", "p99"))
        cpu = f"{r['app_cpu_ms']} + {r['db_cpu_ms']}" if r["requests"] else "-"
        busy = round(
            r["req_per_s"] * (r["app_cpu_ms"] + r["db_cpu_ms"]) / 1000, 2
        )  # the server's cores in use
        lines.append(
            f"| {_label(r)} | {r['clients']} | {r['req_per_s']} | {r['share_of_trivial']:.0%} "
            f"| {p50} | {p95} | {p99} | {r['errors']} | {cpu} | {busy} | {r['load_before']} | {queries} "
            f"| {r.get('writes_per_s', '-')} |"
        )
    return "\n".join([*lines, "", *target_lines(result), ""])


# --- main ---------------------------------------------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="1,8,32", help="concurrent clients, comma-separated")
    parser.add_argument("--duration", type=int, default=20, help="seconds per endpoint and level")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of warm-up per endpoint")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread; 1: sync)")
    parser.add_argument("--only", default="", help="comma-separated endpoint names (default: all)")
    parser.add_argument(
        "--port", type=int, default=0, help="the server's port on 127.0.0.1 (default: a free one)"
    )
    parser.add_argument(
        "--writes-during",
        action="store_true",
        help=f"drive {WRITER!r} with one client alongside every other run (the organisation at work)",
    )
    parser.add_argument(
        "--pdfs-beside",
        action="store_true",
        help=f"run every endpoint also with {PDF!r} downloaded by one client alongside (the PDFs cached)",
    )
    parser.add_argument("--out", default=str(RESULTS / "scale"), help="path without extension")
    parser.add_argument("--render", default="", help="print the Markdown table of a saved JSON result")
    return parser.parse_args()


def main():
    args = parse_args()
    if args.render:  # the table again from a saved result
        print(markdown(json.loads(Path(args.render).read_text())))
        return
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database seeded with `manage.py seed_scale`.")
    if not shutil.which("wrk"):
        sys.exit("wrk not found (Debian: apt-get install wrk).")
    call_command("createcachetable")  # the production settings' shared cache (rate limits, statistics)
    levels = [int(c) for c in args.levels.split(",")]
    calls = bench_calls()
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        wanted |= {TRIVIAL, WRITER} if args.writes_during else {TRIVIAL}
        wanted |= {PDF} if args.pdfs_beside else set()
        calls = {name: c for name, c in calls.items() if name in wanted}
    if any(c.session for endpoint in calls.values() for c in endpoint):
        call_command("collectstatic", interactive=False, verbosity=0)  # pages need the static manifest
    tokens = credentials(calls)
    queries, cache_queries = count_queries(calls, tokens)
    result = {
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "data": data_size(),
        "duration": args.duration,
        "server": {"workers": args.workers, "threads": args.threads, "env": SERVER_ENV},
        "expected_queries": QUERY_COUNTS,
        "queries": queries,
        "cache_queries": cache_queries,
        "writes_during": args.writes_during,
        "pdfs_beside": args.pdfs_beside,
        "runs": [],
    }
    if args.pdfs_beside:
        result["pdf_cache_warmed"] = warm_pdf_cache(calls[PDF], tokens)
    print("shared-cache queries per request:", cache_queries)
    print(
        "queries per request (500 -> 50,000):",
        {n: (QUERY_COUNTS.get(n), q) for n, q in result["queries"].items()},
    )
    database_pid = postmaster_pid()
    connection.close()
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port, args.workers, args.threads)
    try:
        wait_until_up(base, secret(tokens, calls[TRIVIAL][0]))
        result["runs"] = drive(base, calls, tokens, levels, args, Meter(server.pid, database_pid))
    finally:
        workers = children(server.pid)
        server.send_signal(signal.SIGINT)  # quick shutdown: do not finish requests left over
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        for pid in workers:  # a worker busy with a slow request outlives its master otherwise
            with contextlib.suppress(OSError):
                if b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes():  # still ours, not a reused id
                    os.kill(pid, signal.SIGKILL)
    result["finished"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    out.with_suffix(".md").write_text(markdown(result))
    print(markdown(result))
    print(f"written: {out.with_suffix('.json')}, {out.with_suffix('.md')}")


def drive(base: str, calls: dict, tokens: dict, levels: list[int], args, meter: Meter) -> list[dict]:
    runs = []
    with tempfile.TemporaryDirectory() as scratch:
        scripts = {}
        for i, (name, endpoint_calls) in enumerate(calls.items()):
            scripts[name] = Path(scratch) / f"endpoint{i}.lua"
            scripts[name].write_text(lua_script(endpoint_calls, tokens), encoding="utf-8")
            if args.warmup:  # every worker thread: each loads modules and opens its connection lazily
                clients = 2 if name in SLOW else args.workers * args.threads
                run_wrk(base, scripts[name], clients, args.warmup)
        for clients in levels:
            trivial = None
            for name, beside in _variants(calls, args):
                waited = meter.wait_idle()
                load = load_average()
                run = {"endpoint": name, "load_before": load, "waited_s": waited, "beside": beside}
                app_before, db_before = meter.read()
                alongside = start_wrk(base, scripts[beside], 1, args.duration) if beside else None
                run.update(run_wrk(base, scripts[name], clients, args.duration))
                if alongside is not None:
                    run["writes_per_s"] = wrk_result(alongside.communicate()[0])["req_per_s"]
                app_after, db_after = meter.read()
                done = max(run["requests"], 1)
                run["app_cpu_ms"] = round((app_after - app_before) * 1000 / done, 2)
                run["db_cpu_ms"] = round((db_after - db_before) * 1000 / done, 2)
                trivial = run["req_per_s"] if name == TRIVIAL else trivial
                run["share_of_trivial"] = round(run["req_per_s"] / trivial, 3) if trivial else 0
                runs.append(run)
                print(
                    f"{_label(run):24} c={clients:<3} {run['req_per_s']:>7} req/s  "
                    f"p50 {run['p50_ms']!s:>7} ms  "
                    f"p95 {run['p95_ms']!s:>7} ms  p99 {run['p99_ms']!s:>7} ms  errors {run['errors']}  "
                    f"cpu {run['app_cpu_ms']}+{run['db_cpu_ms']} ms  load {load}  (waited {waited} s)",
                    flush=True,
                )
    return runs


def _variants(calls: dict, args) -> list[tuple[str, str | None]]:
    """(endpoint, what runs beside it): with --writes-during the writes beside every other run; with
    --pdfs-beside every other endpoint twice, alone and with PDF downloads beside."""
    variants = []
    for name in calls:
        if args.writes_during and name not in (TRIVIAL, WRITER):
            variants.append((name, WRITER))
            continue
        variants.append((name, None))
        if args.pdfs_beside and name not in (TRIVIAL, PDF):
            variants.append((name, PDF))
    return variants


def _label(run: dict) -> str:
    return f"{run['endpoint']} + {run['beside']} beside" if run.get("beside") == PDF else run["endpoint"]


if __name__ == "__main__":
    main()
