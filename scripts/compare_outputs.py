"""Dump what Samtale answers on the demo organisation, to compare two versions of the code byte for byte.

    .venv/bin/python scripts/compare_outputs.py OUT_DIR          # dump (about 30 minutes on two cores)
    COMPARE_LANGUAGES_COUNT=1 COMPARE_USERS=2 .venv/bin/python scripts/compare_outputs.py OUT_DIR   # bokmål, 2 users
    diff -r /tmp/before /tmp/after                               # compare two dumps

It migrates a fresh SQLite database in a temporary directory, loads the demo organisation
(`seed_demo`) with the clock stopped at a fixed moment, and then, still at that moment, asks every URL
of the project with GET as each role: the top leader, two leaders (one of them a deputy), two
employees, HR and the superuser, and without signing in. Ids in the URLs are those of every
conversation, item, cycle, deputy grant and unit goal of the demo, so each role also meets the 404s of
what it may not see. For each answer it writes the status, the headers that carry content (type,
ETag, disposition, location), a SHA-256 of the raw body and the body: JSON pretty-printed in its own
key order, HTML and text as they are, PDFs as their extracted text (ZIPs: each member's name and
text). Per-request nonces are masked in HTML: CSRF tokens and CSP nonces. Requests run in one fixed
order, so what a request writes (the access log) is the same in both runs.
"""

import hashlib
import io
import json
import logging
import os
import re
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MOMENT = "2026-11-20 09:30:00+00:00"  # the demo's "today"; any fixed moment will do
USERS = ("10000", "10100", "10300", "10101", "10301", "19001", "admin", None)
LANGUAGES = ("nb", "nn", "en")
# A quicker partial run: the first languages and users only (COMPARE_LANGUAGES=nb COMPARE_USERS=2). Requests run in
# the same order, so a partial dump equals the same folders of a whole one.
LANGUAGES = LANGUAGES[: int(os.environ.get("COMPARE_LANGUAGES_COUNT", len(LANGUAGES)))]
USERS = USERS[: int(os.environ.get("COMPARE_USERS", len(USERS)))]

_tmp = tempfile.mkdtemp(prefix="samtale-compare-")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}/db.sqlite3"
for name in ("SAMTALE_THROTTLE_AUTH", "SAMTALE_THROTTLE_PDF", "SAMTALE_THROTTLE_STATISTICS"):
    os.environ[name] = "1000000/min"  # the clock stands still, so no limit's window would ever pass

import django  # noqa: E402

django.setup()

import time_machine  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import URLPattern, URLResolver, get_resolver  # noqa: E402
from pypdf import PdfReader  # noqa: E402

MASKS = (
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"'), r'\1<csrf>"'),
    (re.compile(r'(name="csrf-token" content=")[^"]+"'), r'\1<csrf>"'),
    (re.compile(r"(csrftoken=)[A-Za-z0-9]+"), r"\1<csrf>"),
    (re.compile(r'(nonce=")[^"]+"'), r'\1<nonce>"'),
    (re.compile(r'(X-CSRFTOKEN"\] = ")[^"]+"'), r'\1<csrf>"'),  # the API docs' page
    (re.compile(r"('nonce-)[^']+'"), r"\1<nonce>'"),
)
KEPT_HEADERS = ("Content-Type", "ETag", "Content-Disposition", "Location", "Allow", "Content-Language")


def url_patterns() -> list[tuple[str, str]]:
    """(route, name) of every URL of the project outside the admin."""
    found = []

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                found.append((prefix + str(p.pattern), p.name or ""))

    walk(get_resolver().url_patterns, "")
    return [(route, name) for route, name in found if not route.startswith("admin/")]


def concrete_urls() -> list[str]:
    """Every route with its parameters filled with every fitting id of the demo."""
    from conversations.models import Conversation, Cycle, DeputyGrant, FollowUp
    from goals.models import Expectation, Goal, Task, UnitGoal
    from organization.models import User

    conversations = list(Conversation.objects.order_by("pk").values_list("pk", flat=True))
    items = {
        "goal": list(Goal.objects.order_by("pk").values_list("pk", "conversation_id")),
        "task": list(Task.objects.order_by("pk").values_list("pk", "conversation_id")),
        "expectation": list(Expectation.objects.order_by("pk").values_list("pk", "conversation_id")),
    }
    by_prefix = {
        "api/v1/goals/": [pk for pk, _ in items["goal"]],
        "api/v1/tasks/": [pk for pk, _ in items["task"]],
        "api/v1/expectations/": [pk for pk, _ in items["expectation"]],
        "api/v1/deputies/": list(DeputyGrant.objects.order_by("pk").values_list("pk", flat=True)),
        "api/v1/unit-goals/": list(UnitGoal.objects.order_by("pk").values_list("pk", flat=True)),
        "enhetsmal/": list(UnitGoal.objects.order_by("pk").values_list("pk", flat=True)),
        "api/v1/cycles/": list(Cycle.objects.order_by("pk").values_list("pk", flat=True)),
        "hr/cycles/": list(Cycle.objects.order_by("pk").values_list("pk", flat=True)),
        "stedfortredere/": list(DeputyGrant.objects.order_by("pk").values_list("pk", flat=True)),
    }
    employees = list(User.objects.order_by("pk").values_list("pk", flat=True))
    questions = list(
        FollowUp.objects.filter(kind="question").order_by("pk").values_list("pk", "conversation_id")
    )
    from conversations.models import AgendaPoint

    points = list(AgendaPoint.objects.order_by("pk").values_list("pk", "conversation_id"))
    every_item = [(kind, pk, conversation) for kind, rows in items.items() for pk, conversation in rows]
    # The values of each combination of parameters (other than a lone `pk`), in the order asked.
    fillings = {
        ("employee_pk",): [{"employee_pk": pk} for pk in employees],
        ("grant_pk",): [{"grant_pk": pk} for pk in by_prefix["stedfortredere/"]],
        ("pk", "kind"): [{"pk": pk, "kind": kind} for pk in conversations for kind in items],
        ("pk", "kind", "item_pk"): [{"pk": c, "kind": k, "item_pk": pk} for k, pk, c in every_item],
        ("pk", "item_key"): [{"pk": c, "item_key": f"{k}-{pk}"} for k, pk, c in every_item],
        ("pk", "question_pk"): [{"pk": c, "question_pk": q} for q, c in questions],
        ("pk", "point_pk"): [{"pk": c, "point_pk": p} for p, c in points],
        ("pk", "name"): [{"pk": pk, "name": "submit"} for pk in conversations],
    }
    urls = []
    for route, _name in url_patterns():
        params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
        fill = re.sub(r"<(?:\w+:)?(\w+)>", "{\\1}", route)
        if not params:
            urls.append("/" + route)
        elif params == ("pk",):
            prefix = route.split("<")[0]
            conversation_route = prefix.startswith(("api/v1/conversations/", "samtaler/"))
            ids = by_prefix.get(prefix, conversations if conversation_route else [])
            urls += ["/" + fill.format(pk=pk) for pk in ids]
        elif params in fillings:
            urls += ["/" + fill.format(**values) for values in fillings[params]]
        else:
            print(f"not asked (parameters {list(params)}): {route}", file=sys.stderr)
    # Query strings the pages and the API read.
    cycles = by_prefix["api/v1/cycles/"]
    api = "/api/v1/conversations/"
    urls += [f"{api}?status={s}" for s in ("draft", "submitted", "confirmed", "closed", "nonsense")]
    urls += [f"{api}?cycle={c}" for c in cycles] + [f"{api}?employee={e}" for e in employees[:8]]
    urls += [f"{api}?page=2", f"{api}?page_size=2", f"{api}?page_size=2&page=2", f"{api}?cycle=x"]
    urls += [f"/api/v1/unit-goals/?cycle={c}" for c in cycles]
    urls += [f"/api/v1/statistics/?cycle={c}" for c in cycles]
    urls += [f"/api/v1/statistics.csv?cycle={c}" for c in cycles]
    urls += [f"/api/v1/statistics.pdf?cycle={c}" for c in cycles]
    urls += [f"/hr/statistics/?cycle={c}" for c in cycles] + [f"/enhetsmal/?cycle={c}" for c in cycles]
    urls += [f"/samtaler/{pk}/sammenlign/?a=1&b=2" for pk in conversations]
    return urls


def body_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    digest = hashlib.sha256(content).hexdigest()
    kind = response.get("Content-Type", "")
    if content.startswith(b"%PDF"):
        text = pdf_text(content)
    elif content.startswith(b"PK\x03\x04"):
        archive = zipfile.ZipFile(io.BytesIO(content))
        text = "\n".join(f"== {info.filename}\n{pdf_text(archive.read(info))}" for info in archive.infolist())
    elif "json" in kind:
        try:
            text = json.dumps(json.loads(content), indent=1, ensure_ascii=False)
        except ValueError:
            text = content.decode("utf-8", "replace")
    else:
        text = content.decode("utf-8", "replace")
        for pattern, replacement in MASKS:
            text = pattern.sub(replacement, text)
        if "html" in kind:
            digest = hashlib.sha256(text.encode()).hexdigest() + " (masked)"
    return f"sha256 {digest}\n\n{text}"


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(f"-- page {i + 1}\n{page.extract_text()}" for i, page in enumerate(reader.pages))


def file_name(url: str) -> str:
    return re.sub(r"[^A-Za-z0-9._=-]+", "_", url.strip("/")) or "_root"


def main(out: Path) -> None:
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404s and 403s are expected
    call_command("migrate", verbosity=0)
    from organization.models import User

    with (
        time_machine.travel(MOMENT, tick=False),
        override_settings(SECRET_KEY="compare-" * 8, ALLOWED_HOSTS=["testserver"]),
    ):
        call_command("seed_demo", stdout=io.StringIO())
        urls = concrete_urls()
        print(f"{len(urls)} URLs x {len(USERS)} users x {len(LANGUAGES)} languages", file=sys.stderr)
        for language in LANGUAGES:
            for employee_id in USERS:
                client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
                client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
                if employee_id is not None:
                    client.force_login(User.objects.get(employee_id=employee_id))
                folder = out / language / (employee_id or "anonymous")
                folder.mkdir(parents=True, exist_ok=True)
                for url in urls:
                    response = client.get(url)
                    headers = "".join(f"{h}: {response[h]}\n" for h in KEPT_HEADERS if response.has_header(h))
                    (folder / (file_name(url) + ".txt")).write_text(
                        f"GET {url}\n{response.status_code}\n{headers}{body_text(response)}\n",
                        encoding="utf-8",
                    )
                print(f"{language} {employee_id}: done", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
