"""No request produces a 500: every route answered with odd methods, bodies and headers."""

import pytest

from tests.api.helpers import url

pytestmark = pytest.mark.django_db

BODIES = [None, [], "text", {"text": "x" * 6000, "employee": 2**70, "goal": -1, "until": "9999-99-99"}]


def api_paths(pk: int) -> list[str]:
    """Every route of conversations.api.urls and the contract items' routes (goals.api_urls), with
    `pk` in place of its id."""
    from conversations.api import urls as api_urls
    from goals import api_urls as goal_urls

    paths = []
    for pattern in [*api_urls.urlpatterns, *goal_urls.item_patterns]:
        route = str(pattern.pattern)
        paths.append(url(route.replace("<id:pk>", str(pk))))
    return paths


@pytest.mark.parametrize("method", ["get", "post", "patch", "put", "delete", "options"])
def test_no_route_answers_500(world, api_as, method):
    client = api_as(world.leader)
    for path in api_paths(world.conversation.pk):
        for body in BODIES if method in ("post", "patch", "put") else [None]:
            response = getattr(client, method)(path, body, format="json", HTTP_IF_MATCH='"x"')
            assert response.status_code < 500, (method, path, body, response.status_code)


def test_odd_headers_and_ids(world, api_as):
    client = api_as(world.employee)
    for path in api_paths(2**64):
        assert client.get(path, HTTP_ACCEPT="text/calendar").status_code < 500, path
    goal_id = world.conversation.goals.get().pk
    for header in ['W/"g1-1"', '""', '"g', "g" * 1000, ",,,", f'"g{goal_id}-"']:
        response = api_as(world.leader).patch(
            url(f"goals/{goal_id}/"), {}, format="json", HTTP_IF_MATCH=header
        )
        assert response.status_code == 412, header


@pytest.mark.parametrize("role", ["leader", "employee"])
def test_browsable_api_renders_every_route(world, api_as, role):
    client = api_as(world.role(role))
    goal_id = world.conversation.goals.get().pk
    for path in [*api_paths(world.conversation.pk), url(f"goals/{goal_id}/")]:
        response = client.get(path, HTTP_ACCEPT="text/html")
        assert response.status_code < 500, path
    response = client.post(
        url(f"conversations/{world.conversation.pk}/comments/"), {"text": "Hei"}, HTTP_ACCEPT="text/html"
    )
    assert response.status_code == 201


def test_lone_surrogates_are_bad_input(world, api_as):
    body = '{"text": "\\ud800"}'
    response = api_as(world.leader).post(
        url(f"conversations/{world.conversation.pk}/comments/"), body, content_type="application/json"
    )
    assert response.status_code == 400
    token = api_as().post(
        url("auth/token/"), '{"username": "\\udfff", "password": "x"}', content_type="application/json"
    )
    assert token.status_code == 400


def test_absurdly_nested_json_is_bad_input(world, api_as):
    body = '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = api_as(world.leader).post(url("conversations/"), body, content_type="application/json")
    assert response.status_code == 400
