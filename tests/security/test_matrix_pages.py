"""The permission matrix of the HTML pages: every route of `conversations.web.urls` against every role.

Invisible -> 404, visible but not allowed -> 403, allowed -> 200 (GET) or a redirect back with a success
message and no error message (POST), not signed in -> the login page. The test client skips CSRF checks,
as a real browser's form would carry the token. `test_the_table_covers_every_page` enumerates the
URLconf, so a new page without a row fails the suite; a refused POST must change nothing.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.messages import constants, get_messages
from django.urls import URLPattern, URLResolver, reverse

from tests.factories import in_days
from tests.security.conftest import PEOPLE, ROLES
from tests.workflow import latest_version, snapshot

pytestmark = pytest.mark.django_db

OUTSIDERS = ("other_employee", "other_leader", "hr", "deputy_expired", "former_leader")
# The deputies are leaders too (DESIGN.md: a deputy is another leader).
LEADERS = ("leader", "other_leader", "former_leader", "deputy", "deputy_expired")
LOGIN = "login"  # expected "status" of an anonymous request: a redirect to the login page
OK = "ok"  # a POST that succeeded: redirect with a success message and no error


def parties(leader, employee, deputy, outsiders=404) -> dict:
    return {
        "leader": leader,
        "employee": employee,
        "deputy": deputy,
        **dict.fromkeys(OUTSIDERS, outsiders),
        "anonymous": LOGIN,
    }


def everyone(result, **overrides) -> dict:
    return {**dict.fromkeys(PEOPLE, result), "anonymous": LOGIN, **overrides}


@dataclass(frozen=True)
class Page:
    method: str
    route: str
    expect: dict
    args: Any = None  # callable(world) -> dict of URL kwargs
    data: Any = None  # callable(world) -> POST data
    conversation: str | None = None  # the conversation a refused POST must leave untouched

    @property
    def key(self):
        return (self.route, self.method)


def goal(conversation):
    return conversation.goals.order_by("pk").first()


def conv(name):
    return lambda w: {"pk": getattr(w, name).pk}


def goal_args(name, **extra):
    return lambda w: {
        "pk": getattr(w, name).pk,
        "kind": "goal",
        "item_pk": goal(getattr(w, name)).pk,
        **extra,
    }


def goal_key(name):
    return lambda w: {"pk": getattr(w, name).pk, "item_key": f"goal-{goal(getattr(w, name)).pk}"}


def _confirm_data(w):
    version = latest_version(w.awaiting)
    return {"version": version.number, "sha256": version.sha256}


S = "samtaler/<id:pk>/"
READ = parties(200, 200, 200)


def _question(conversation):
    """The employee's open question in `conversation`, asked on first use."""
    from conversations import services
    from conversations.models import FollowUp

    found = FollowUp.objects.filter(conversation=conversation, kind="question").first()
    return found or services.follow_up_create(
        conversation=conversation, actor=conversation.employee, text="Er vi på rett vei?", kind="question"
    )


def employee_question(name):
    return lambda w: {"pk": getattr(w, name).pk, "question_pk": _question(getattr(w, name)).pk}


def _proposal(conversation):
    """The employee's pending proposal in `conversation`, made on first use."""
    from goals import proposals
    from goals.models import Proposal

    found = Proposal.objects.filter(conversation=conversation, state="pending").first()
    return found or proposals.proposal_create(
        conversation=conversation, actor=conversation.employee, kind="task", title="Forslag"
    )


def proposal_args(name):
    return lambda w: {"pk": getattr(w, name).pk, "proposal_pk": _proposal(getattr(w, name)).pk}


TABLE = [
    Page("get", "", everyone(200, hr=302)),  # HR lands on HR's start page (/hr/)
    Page("get", "venter/", everyone(200)),  # Venter på deg, also for HR
    Page(
        "post", "epost/", everyone(OK), data=lambda w: {"digest": "on"}
    ),  # Venter på deg (was a redirect to the person's start page)
    Page("get", "medarbeidere/", everyone(200)),
    Page(
        "get",
        "medarbeidere/<id:employee_pk>/ny-samtale/",
        everyone(404, leader=200),
        args=lambda w: {"employee_pk": w.employee.pk},
    ),
    Page(
        "post",
        "medarbeidere/<id:employee_pk>/ny-samtale/",
        everyone(404, leader=OK),
        args=lambda w: {"employee_pk": w.employee.pk},
        data=lambda w: {"cycle": "", "scheduled_at": ""},
    ),
    Page("get", "samtaler/", everyone(200)),
    Page("post", "samtaler/del-historikk/", everyone(OK), data=lambda w: {"shared": "on"}),
    Page("get", S, READ, conv("draft")),
    Page(
        "post",
        S + "tidspunkt/",
        parties(OK, 403, 403),
        conv("draft"),
        lambda w: {"meeting-scheduled_at": "2031-01-06T10:00", "meeting-revision": w.draft.revision},
        "draft",
    ),
    Page("post", S + "tema/", parties(OK, OK, OK), conv("draft"), lambda w: {"agenda-text": "Kurs"}, "draft"),
    Page(
        "post",
        S + "tema/<id:point_pk>/del/",
        parties(404, OK, 404),
        lambda w: {"pk": w.draft.pk, "point_pk": w.private_point.pk},
        lambda w: {},
        "draft",
    ),
    Page(
        "post",
        S + "punkter/<str:kind>/",
        parties(OK, 403, 403),
        lambda w: {"pk": w.draft.pk, "kind": "goal"},
        lambda w: {"goal-kind": "result", "goal-title": "Nytt mål"},
        "draft",
    ),
    Page("get", S + "punkter/<str:kind>/<id:item_pk>/", parties(200, 403, 403), goal_args("draft")),
    Page(
        "post",
        S + "punkter/<str:kind>/<id:item_pk>/",
        parties(OK, 403, 403),
        goal_args("draft"),
        lambda w: {"kind": "result", "title": "Endret", "revision": goal(w.draft).revision},
        "draft",
    ),
    Page(
        "post",
        S + "punkter/<str:kind>/<id:item_pk>/slett/",
        parties(OK, 403, 403),
        goal_args("draft"),
        lambda w: {"revision": goal(w.draft).revision, "confirmed": "yes"},
        "draft",
    ),
    Page(
        "post",
        S + "handling/<str:name>/",
        parties(OK, 403, 403),
        lambda w: {"pk": w.draft.pk, "name": "submit"},
        lambda w: {},
        "draft",
    ),
    Page("post", S + "bekreft/", parties(403, OK, 403), conv("awaiting"), _confirm_data, "awaiting"),
    Page(
        "post",
        S + "be-om-endringer/",
        parties(403, OK, 403),
        conv("awaiting"),
        lambda w: {"changes-comment": "Mer tid"},
        "awaiting",
    ),
    Page(
        "post",
        S + "svar/",
        parties(403, OK, 403),
        conv("awaiting"),
        lambda w: {f"r-goal-{goal(w.awaiting).pk}-stance": "agree", "agree_rest": "yes"},
        "awaiting",
    ),
    Page(
        "post",
        S + "svar/<str:item_key>/",
        parties(403, OK, 403),
        goal_key("awaiting"),
        lambda w: {f"r-goal-{goal(w.awaiting).pk}-stance": "agree"},
        "awaiting",
    ),
    Page(
        "post",
        S + "kommentarer/",
        parties(OK, OK, OK),
        conv("draft"),
        lambda w: {"comment-text": "Hei"},
        "draft",
    ),
    Page(
        "post",
        S + "kommentarer/<str:item_key>/",
        parties(OK, OK, OK),
        goal_key("draft"),
        lambda w: {f"c-goal-{goal(w.draft).pk}-text": "Om målet"},
        "draft",
    ),
    Page(
        "post",
        S + "tilleggsmerknad/",
        parties(403, OK, 403),
        conv("confirmed"),
        lambda w: {"statement-text": "Min merknad"},
        "confirmed",
    ),
    Page(
        "post",
        S + "oppfolging/",
        parties(OK, OK, OK),
        conv("confirmed"),
        lambda w: {"followup-text": "På vei", "followup-progress": "40"},
        "confirmed",
    ),
    # The employee's question: the leader's side answers it, the asker cannot (403).
    Page(
        "post",
        S + "oppfolging/<int:question_pk>/svar/",
        parties(OK, 403, OK),
        employee_question("confirmed"),
        lambda w: {
            f"answer-{_question(w.confirmed).pk}-answer": "talk",
            f"answer-{_question(w.confirmed).pk}-text": "Ja",
        },
        "confirmed",
    ),
    # The employee proposes while it is a draft; the leader of record accepts or declines.
    Page(
        "post",
        S + "forslag/",
        parties(403, OK, 403),
        conv("draft"),
        lambda w: {"proposal-kind": "task", "proposal-title": "Forslag"},
        "draft",
    ),
    Page(
        "post",
        S + "forslag/<id:proposal_pk>/godta/",
        parties(OK, 403, 403),
        proposal_args("draft"),
        None,
        "draft",
    ),
    Page(
        "post",
        S + "forslag/<id:proposal_pk>/avsla/",
        parties(OK, 403, 403),
        proposal_args("draft"),
        lambda w: {f"decline-{_proposal(w.draft).pk}-reason": "Ikke nå"},
        "draft",
    ),
    Page("get", S + "historikk/", READ, conv("draft")),
    Page("get", S + "innsynslogg/", parties(200, 200, 403), conv("draft")),
    Page("get", S + "sammenlign/", READ, conv("confirmed")),
    Page("get", S + "kalender.ics", READ, conv("draft")),
    Page("get", "stedfortredere/", everyone(200)),
    Page(
        "post",
        "stedfortredere/",
        everyone(403, **dict.fromkeys(LEADERS, OK)),
        data=lambda w: {"deputy": w.stand_in.employee_id, "until": in_days(5).isoformat()},
    ),
    Page(
        "post",
        "stedfortredere/<id:grant_pk>/avslutt/",
        everyone(404, leader=OK),
        args=lambda w: {"grant_pk": w.grant.pk},
        data=lambda w: {"confirmed": "yes"},
    ),
    Page("get", "stedfortredere/sok/", everyone(403, **dict.fromkeys(LEADERS, 200))),
]


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name


def page_routes() -> dict[str, str]:
    from conversations.web import urls as page_urls

    return dict(_walk(page_urls.urlpatterns))


def test_the_table_covers_every_page():
    routes = page_routes()
    covered = {page.route for page in TABLE}
    assert len({page.key for page in TABLE}) == len(TABLE), "a page and method appears twice"
    assert set(routes) - covered == set(), "pages without a row in the permission matrix"
    assert covered - set(routes) == set(), "rows for pages that no longer exist"
    for page in TABLE:
        assert set(page.expect) == set(ROLES), page.key


def _url(world, page: Page) -> str:
    name = page_routes()[page.route]
    return reverse(f"web:{name}", kwargs=page.args(world) if page.args else None)


def _levels(response) -> set[int]:
    return {message.level for message in get_messages(response.wsgi_request)}


def _check(response, expected, role, page):
    context = (role, page.key, response.status_code)
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), context
    elif expected == OK:
        assert response.status_code == 302, context
        levels = _levels(response)
        assert constants.ERROR not in levels and constants.SUCCESS in levels, (*context, levels)
    else:
        assert response.status_code == expected, context


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", TABLE, ids=lambda page: f"{page.method.upper()} /{page.route}")
def test_page_matrix(world, page_as, page, role):
    conversation = getattr(world, page.conversation) if page.conversation else None
    address = _url(world, page)  # first: building it may add what the page acts on (a question)
    before = snapshot(conversation) if conversation is not None else None
    client = page_as(world.user(role))
    if page.method == "get":
        response = client.get(address)
    else:
        response = client.post(address, page.data(world) if page.data else {})
    expected = page.expect[role]
    _check(response, expected, role, page)
    if expected not in (OK, 200, 302) and conversation is not None:
        assert snapshot(conversation) == before, "a refused request changed the conversation"


POST_ONLY = [p for p in TABLE if p.method == "post" and (p.route, "get") not in {q.key for q in TABLE}]


@pytest.mark.parametrize("page", POST_ONLY, ids=lambda page: f"GET /{page.route}")
def test_action_pages_refuse_get(world, page_as, page):
    """What a form posts to is never run by following a link: GET answers 405 and changes nothing."""
    conversation = getattr(world, page.conversation) if page.conversation else None
    address = _url(world, page)
    before = snapshot(conversation) if conversation is not None else None
    assert page_as(world.leader).get(address).status_code == 405
    if conversation is not None:
        assert snapshot(conversation) == before


def test_the_deputy_sees_the_conversation_but_not_its_access_log_link(world, page_as):
    body = page_as(world.deputy).get(reverse("web:conversation", args=[world.draft.pk])).content.decode()
    assert reverse("web:access_log", args=[world.draft.pk]) not in body
    own = page_as(world.employee).get(reverse("web:conversation", args=[world.draft.pk])).content.decode()
    assert reverse("web:access_log", args=[world.draft.pk]) in own
