"""Before/after comparison on the demo organisation (issue 18): every GET route as several people.

Migrates a fresh database, seeds the demo organisation and requests every route of the URLconf (ids
1 to the highest conversation id + 1 for routes with one id, 1-7 for each of two ids) as nobody, the
first three leaders, two employees, an HR adviser and the admin, all under one frozen instant. Writes
{"<who> <path>": [status, content type, SHA-256 of the body]} where the body is the HTML or JSON with
CSRF tokens blanked, or the text of a PDF. Run it in two checkouts and compare the files:

    DATABASE_URL=sqlite:////tmp/before.sqlite3 python scripts/compare_responses.py /tmp/before.json
    (in the other checkout)                 ... python scripts/compare_responses.py /tmp/after.json
    python -c 'import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:]); \
        print([k for k in a.keys() | b.keys() if a.get(k) != b.get(k)])' /tmp/before.json /tmp/after.json

The database must be a throwaway one: the script migrates and seeds it.
"""

import datetime
import hashlib
import io
import json
import os
import re
import sys

import time_machine

FROZEN = datetime.datetime(2026, 12, 5, 11, 0, tzinfo=datetime.UTC)
SKIPPED_PREFIXES = ("admin/", "^")
SKIPPED_PARTS = ("i18n", "password_reset", "logout", "docs")
CSRF = re.compile(r'(csrfmiddlewaretoken" value="|csrf-token" content="|csrftoken=)[^"&;]+')


def routes(resolver, prefix=""):
    from django.urls import URLPattern, URLResolver

    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def paths(max_id: int) -> list[str]:
    from django.urls import get_resolver

    found = []
    for route in sorted(set(routes(get_resolver()))):
        if route.startswith(SKIPPED_PREFIXES) or any(part in route for part in SKIPPED_PARTS):
            continue
        params = re.findall(r"<[^>]+>", route)
        if not params:
            found.append("/" + route)
        elif len(params) == 1:
            found += ["/" + route.replace(params[0], str(i)) for i in range(1, max_id + 2)]
        elif len(params) == 2:
            found += [
                "/" + route.replace(params[0], str(i), 1).replace(params[1], str(j), 1)
                for i in range(1, 8)
                for j in range(1, 8)
            ]
    return found


def people():
    try:
        from demo import demo_data
    except ImportError:  # before the demo app existed
        from core import demo_data  # type: ignore[no-redef]
    from organization.models import User

    leaders = [p.employee_id for p in demo_data.PEOPLE if p.leader]
    staff = [p.employee_id for p in demo_data.PEOPLE if not p.leader and not p.hr]
    hr = [p.employee_id for p in demo_data.PEOPLE if p.hr]
    return [User.objects.get(employee_id=e) for e in (*leaders[:3], *staff[:2], *hr[:1], demo_data.ADMIN_ID)]


def body_text(response) -> str:
    from pypdf import PdfReader

    content_type = response.get("Content-Type", "")
    if "pdf" in content_type:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    if "zip" in content_type:
        return f"zip:{len(response.content)}"
    return CSRF.sub(r"\1X", response.content.decode("utf-8", "replace"))


def main(out_file: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, os.getcwd())
    with time_machine.travel(FROZEN, tick=False):
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client

        from conversations.models import Conversation

        settings.ALLOWED_HOSTS = ["*"]
        call_command("migrate", verbosity=0)
        call_command("seed_demo", stdout=io.StringIO())
        every_path = paths(max(Conversation.objects.order_by("-pk").first().pk, 12))
        answers = {}
        for user in [None, *people()]:
            client = Client(HTTP_ACCEPT_LANGUAGE="nb")
            if user is not None:
                client.force_login(user)
            who = user.employee_id if user else "anonymous"
            for path in every_path:
                response = client.get(path)
                digest = hashlib.sha256(body_text(response).encode()).hexdigest()
                answers[f"{who} {path}"] = [response.status_code, response.get("Content-Type", ""), digest]
    with open(out_file, "w") as handle:
        json.dump(answers, handle, indent=0, sort_keys=True)
    print(len(answers), "responses")


if __name__ == "__main__":
    main(sys.argv[1])
