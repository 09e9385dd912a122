"""Where the CPU of a measured API endpoint goes: cProfile over the Django test client, in this process.

    DATABASE_URL=postgres://... .venv/bin/python bench/profile_api.py --only detail --requests 300

Uses the production settings (as bench/run_bench.py does) and the benchmark's own requests
(`demo.scale_data.bench_calls`). Writes (POST) run inside a transaction that is rolled back, so the
data stays as seeded. Prints CPU milliseconds per request and the top functions by cumulative and own
time; `--out` also saves the raw profile for snakeviz or pstats.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("DJANGO_CONN_MAX_AGE", "600")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(60))

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from demo.scale_data import bench_calls  # noqa: E402


def send(client: Client, call, token: str):
    headers = {"HTTP_AUTHORIZATION": f"Token {token}", "HTTP_HOST": "127.0.0.1"}
    if call.method == "POST":
        return client.post(call.path, json.dumps(call.body), content_type="application/json", **headers)
    return client.get(call.path, **headers)


def run(client, calls, tokens, count: int) -> None:
    for i in range(count):
        call = calls[i % len(calls)]
        with transaction.atomic():
            response = send(client, call, tokens[call.user_id])
            transaction.set_rollback(call.method == "POST")
        if response.status_code >= 300:
            sys.exit(f"{call.method} {call.path} answered {response.status_code}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="detail", help="comma-separated endpoint names")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--out", default="", help="save the raw profile here")
    args = parser.parse_args()
    from run_bench import tokens_for  # noqa: PLC0415 - after django.setup()

    all_calls = bench_calls()
    for name in (n.strip() for n in args.only.split(",")):
        calls = all_calls[name]
        tokens = tokens_for({c.user_id for c in calls})
        client = Client()
        run(client, calls, tokens, min(50, args.requests))  # warm-up: imports, compiled SQL and plans
        started = time.process_time()
        run(client, calls, tokens, args.requests)
        plain_ms = (time.process_time() - started) * 1000 / args.requests
        profile = cProfile.Profile(time.process_time)  # CPU, not waiting for the database
        profile.enable()
        run(client, calls, tokens, args.requests)
        profile.disable()
        print(f"== {name}: {plain_ms:.2f} ms CPU per request in this process (without the profiler)")
        for order in ("cumulative", "tottime"):
            text = io.StringIO()
            pstats.Stats(profile, stream=text).strip_dirs().sort_stats(order).print_stats(args.top)
            print(text.getvalue())
        if args.out:
            profile.dump_stats(f"{args.out}.{name.replace(' ', '_').replace('/', '')}.prof")


if __name__ == "__main__":
    main()
