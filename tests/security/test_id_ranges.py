"""Ids beyond what a database integer holds (below -2**63 or above 2**63-1) never reach the database:
a body field answers 400 with that field's error, a path or query id 404 (or the empty list), a page
form shows its error; never a 5xx (Python's OverflowError, the driver's out-of-range error).

Every place that takes an id from outside is listed here: the API's body fields and filters, the path
ids of the API and of the pages, and the ids in page forms and query strings.
"""

import pytest
from django.test import Client
from rest_framework.test import APIClient

API = "/api/v1/"
HUGE = [2**63, 2**64 + 1, 10**30, -(2**63) - 1, -(10**30)]
HUGE_TEXT = [str(n) for n in (2**63, 10**30)] + [str(-(2**63) - 1)]


def api(user) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


def page(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def item_ids(conversation) -> dict:
    return {
        "goal": conversation.goals.first().pk,
        "task": conversation.tasks.first().pk,
        "expectation": conversation.expectations.first().pk,
    }


# (who, path on the conversation `c`, body with the id under test as `ID`, the field that names it)
BODY_FIELDS = [
    ("leader", "conversations/", {"employee": "EMPLOYEE", "cycle": "ID"}, "cycle"),
    ("leader", "conversations/{c}/comments/", {"text": "Hei", "goal": "ID"}, "goal"),
    ("leader", "conversations/{c}/comments/", {"text": "Hei", "task": "ID"}, "task"),
    ("leader", "conversations/{c}/comments/", {"text": "Hei", "expectation": "ID"}, "expectation"),
    ("employee", "conversations/{confirmed}/follow-ups/", {"text": "Hei", "goal": "ID"}, "goal"),
    ("employee", "conversations/{confirmed}/follow-ups/", {"text": "Hei", "task": "ID"}, "task"),
    (
        "employee",
        "conversations/{confirmed}/follow-ups/",
        {"text": "Hei", "expectation": "ID"},
        "expectation",
    ),
    ("employee", "conversations/{awaiting}/responses/", {"stance": "agree", "goal": "ID"}, "goal"),
    ("employee", "conversations/{awaiting}/responses/", {"stance": "agree", "task": "ID"}, "task"),
    (
        "employee",
        "conversations/{awaiting}/responses/",
        {"stance": "agree", "expectation": "ID"},
        "expectation",
    ),
    ("employee", "conversations/{awaiting}/confirm/", {"version": "ID", "sha256": "a" * 64}, "version"),
    (
        "leader",
        "deputies/",
        {"deputy": "DEPUTY", "conversation": "ID", "until": "2999-01-01"},
        "conversation",
    ),
    (
        "hr",
        "cycles/",
        {"name": "R", "starts_on": "2030-01-01", "deadline": "2030-02-01", "template": "ID"},
        "template",
    ),
]


def fill(value, huge, world):
    if value == "ID":
        return huge
    if value == "EMPLOYEE":
        return world.employee.pk
    if value == "DEPUTY":
        return world.deputy.pk
    return value


@pytest.mark.parametrize("huge", [*HUGE, *HUGE_TEXT])
@pytest.mark.parametrize(("role", "path", "body", "field"), BODY_FIELDS)
def test_a_body_id_out_of_range_is_a_field_error(world, role, path, body, field, huge):
    url = API + path.format(c=world.draft.pk, confirmed=world.confirmed.pk, awaiting=world.awaiting.pk)
    data = {key: fill(value, huge, world) for key, value in body.items()}

    response = api(world.user(role)).post(url, data, format="json")

    assert response.status_code == 400, (response.status_code, response.content[:300])
    assert field in response.json(), response.json()


# A person's id answers the same whatever it names (no existence oracle), out of range included.
PERSON_FIELDS = [
    ("conversations/", {"employee": "ID"}),
    ("deputies/", {"deputy": "ID", "until": "2999-01-01"}),
]


@pytest.mark.parametrize("huge", [*HUGE, *HUGE_TEXT])
@pytest.mark.parametrize(("path", "body"), PERSON_FIELDS)
def test_a_person_id_out_of_range_answers_like_an_id_nobody_has(world, path, body, huge):
    def answer(value):
        data = {key: value if key_value == "ID" else key_value for key, key_value in body.items()}
        response = api(world.leader).post(API + path, data, format="json")
        return response.status_code, response.content

    status, content = answer(huge)
    assert status < 500
    assert (status, content) == answer(10**9)


API_PATHS = [
    "conversations/{id}/",
    "conversations/{id}/calendar.ics",
    "conversations/{id}/versions/",
    "conversations/{id}/comments/",
    "conversations/{id}/agenda/",
    "conversations/{id}/follow-ups/",
    "conversations/{id}/history/",
    "conversations/{id}/access-log/",
    "conversations/{id}/pdf/",
    "goals/{id}/",
    "tasks/{id}/",
    "expectations/{id}/",
    "cycles/{id}/pdfs.zip",
]


@pytest.mark.parametrize("huge", [2**63, 10**30])
@pytest.mark.parametrize("path", API_PATHS)
def test_an_api_path_id_out_of_range_is_not_found(world, path, huge):
    response = api(world.leader).get(API + path.format(id=huge))
    assert response.status_code == 404, (response.status_code, response.content[:300])


@pytest.mark.parametrize("huge", [2**63, 10**30])
def test_api_writes_to_a_path_id_out_of_range_are_not_found(world, huge):
    client = api(world.leader)
    for path in ("goals/{id}/", "tasks/{id}/", "expectations/{id}/", "deputies/{id}/"):
        response = client.delete(API + path.format(id=huge), HTTP_IF_MATCH='"x"')
        assert response.status_code == 404, (path, response.status_code)
    for path in ("conversations/{id}/submit/", "conversations/{id}/goals/"):
        response = client.post(API + path.format(id=huge), {"title": "Mål", "kind": "result"}, format="json")
        assert response.status_code == 404, (path, response.status_code)


@pytest.mark.parametrize("huge", HUGE_TEXT)
@pytest.mark.parametrize(
    ("role", "query"),
    [
        ("leader", "conversations/?employee={id}"),
        ("leader", "conversations/?cycle={id}"),
        ("hr", "statistics/?cycle={id}"),
        ("hr", "statistics/?cycle={cycle}&unit={id}"),
    ],
)
def test_a_filter_id_out_of_range_is_a_400(world, role, query, huge):
    response = api(world.user(role)).get(API + query.format(id=huge, cycle=world.cycle.pk))
    assert response.status_code == 400, (response.status_code, response.content[:300])


@pytest.mark.parametrize("huge", [2**63, 10**30])
@pytest.mark.parametrize(
    "path",
    [
        "/samtaler/{id}/",
        "/samtaler/{c}/tema/{id}/del/",
        "/samtaler/{c}/punkter/goal/{id}/",
        "/samtaler/{c}/punkter/goal/{id}/slett/",
        "/medarbeidere/{id}/ny-samtale/",
        "/stedfortredere/{id}/avslutt/",
        "/hr/cycles/{id}/",
    ],
)
def test_a_page_path_id_out_of_range_is_not_found(world, path, huge):
    url = path.format(id=huge, c=world.draft.pk)
    for role in ("leader", "hr"):
        assert page(world.user(role)).get(url).status_code == 404, (role, url)
        assert page(world.user(role)).post(url, {}).status_code == 404, (role, url)


@pytest.mark.parametrize("huge", HUGE_TEXT)
def test_page_forms_and_queries_with_ids_out_of_range_never_fail(world, huge):
    leader, employee, hr = page(world.leader), page(world.employee), page(world.hr)
    draft, awaiting = world.draft.pk, world.awaiting.pk
    answers = [
        hr.get(f"/hr/statistics/?cycle={huge}"),
        hr.get(f"/hr/statistics/?cycle={world.cycle.pk}&unit={huge}"),
        leader.get(f"/samtaler/{draft}/sammenlign/?a={huge}&b=1"),
        leader.post(f"/samtaler/{draft}/kommentarer/goal-{huge}/", {"c-goal-1-text": "Hei"}),
        employee.post(f"/samtaler/{awaiting}/svar/goal-{huge}/", {"stance": "agree"}),
        employee.post(f"/samtaler/{awaiting}/bekreft/", {"version": huge, "sha256": "a" * 64}),
        leader.post("/stedfortredere/", {"deputy": world.deputy.employee_id, "conversation": huge}),
        leader.post(f"/medarbeidere/{world.employee.pk}/ny-samtale/", {"cycle": huge}),
    ]
    goal = world.draft.goals.first()
    answers.append(
        leader.post(f"/samtaler/{draft}/punkter/goal/{goal.pk}/", {"title": "Ny", "revision": huge})
    )
    statuses = [answer.status_code for answer in answers]
    assert all(status < 500 for status in statuses), statuses
