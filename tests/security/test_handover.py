"""Handover and deputies (DESIGN.md, "Roles and who may do what").

- A new manager from the org import: the former one is refused on the very next request (API and page),
  the new one gets the open conversations; closed ones only while the employee shares their history,
  which the employee can undo. The conversation still records who led it.
- A deputy grant lasts until its date and ends by itself; both parties of the conversation see it, the
  deputy is told by e-mail in their language, and `manage.py expire_grants` removes the rows it gave.
"""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, translation

from conversations import services
from conversations.contract import workflow
from conversations.models import ConversationUserObjectPermission, DeputyGrant, Status
from conversations.notify import notifications
from organization.models import User
from tests import factories
from tests.factories import conversation_in, in_days
from tests.workflow import change_manager, expire_grants_of

pytestmark = pytest.mark.django_db

API = "/api/v1/"
HEADER = "employee_id,full_name,email,unit,manager_id,roles"


def detail(client, conversation):
    return client.get(f"{API}conversations/{conversation.pk}/")


def page(client, conversation):
    return client.get(reverse("web:conversation", args=[conversation.pk]))


def import_org(tmp_path, lines) -> None:
    path = tmp_path / "org.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    call_command("import_org", str(path), stdout=io.StringIO())


ORG_BEFORE = [
    "T1,Toppleder,t1@example.test,Kommune,,leader",
    "F1,Forrige Leder,f1@example.test,Kommune/Drift,T1,leader",
    "L1,Ny Leder,l1@example.test,Kommune/Drift,T1,leader",
    "E1,Ansatt Ansattsen,e1@example.test,Kommune/Drift,F1,employee",
]


@pytest.fixture
def handover(tmp_path):
    """E1 moves from F1 to L1 through the org import, with an open and a closed conversation."""
    import_org(tmp_path, ORG_BEFORE)
    people = {u.employee_id: u for u in User.objects.all()}
    former, employee = people["F1"], people["E1"]
    open_one = conversation_in(Status.CONFIRMED, leader=former, employee=employee)
    closed = conversation_in(Status.CLOSED, leader=former, employee=employee)
    return {"former": former, "new": people["L1"], "employee": employee, "open": open_one, "closed": closed}


def test_the_former_manager_is_refused_on_the_next_request(handover, tmp_path, api_as, page_as):
    former = handover["former"]
    api, web = api_as(former), page_as(former)
    for conversation in (handover["open"], handover["closed"]):
        assert detail(api, conversation).status_code == 200
        assert page(web, conversation).status_code == 200
    import_org(tmp_path, [line.replace(",F1,employee", ",L1,employee") for line in ORG_BEFORE])
    for conversation in (handover["open"], handover["closed"]):
        assert detail(api, conversation).status_code == 404
        assert page(web, conversation).status_code == 404
        assert api.get(f"{API}conversations/{conversation.pk}/pdf/").status_code == 404
        comment = api.post(f"{API}conversations/{conversation.pk}/comments/", {"text": "Hei"}, format="json")
        assert comment.status_code == 404
    assert api.get(f"{API}conversations/").json()["results"] == []
    assert not ConversationUserObjectPermission.objects.filter(user=former).exists()


def test_the_new_manager_gets_the_open_conversations_only(handover, tmp_path, api_as, page_as):
    new, employee = handover["new"], handover["employee"]
    import_org(tmp_path, [line.replace(",F1,employee", ",L1,employee") for line in ORG_BEFORE])
    api = api_as(new)
    opened = detail(api, handover["open"])
    assert opened.status_code == 200
    assert {"amend", "close", "follow_up"} <= set(opened.json()["allowed_actions"])
    assert opened.json()["leader"]["id"] == new.pk
    assert api.post(f"{API}conversations/{handover['open'].pk}/amend/").status_code == 200
    assert detail(api, handover["closed"]).status_code == 404
    assert page(page_as(new), handover["closed"]).status_code == 404
    listed = {c["id"] for c in api.get(f"{API}conversations/").json()["results"]}
    assert listed == {handover["open"].pk}
    history = api_as(employee).get(f"{API}conversations/{handover['open'].pk}/history/").json()["results"]
    assert any(e["action"] == "leader_changed" for e in history)


def test_closed_conversations_follow_the_employees_sharing_and_it_can_be_undone(handover, api_as, page_as):
    former, new, employee, closed = (
        handover["former"],
        handover["new"],
        handover["employee"],
        handover["closed"],
    )
    change_manager(employee, new)
    api, web = api_as(new), page_as(new)
    assert detail(api, closed).status_code == 404

    shared = api_as(employee).post(f"{API}me/share-history/", {"shared": True}, format="json")
    assert shared.status_code == 200 and shared.json() == {"shared": True}
    seen = detail(api, closed)
    assert seen.status_code == 200
    assert seen.json()["leader"]["id"] == former.pk, "the conversation still records who led it"
    assert seen.json()["allowed_actions"] == []
    assert page(web, closed).status_code == 200
    assert api.get(f"{API}conversations/{closed.pk}/pdf/").status_code == 200
    # Seeing is all sharing gives: no comments, no transitions, no access log.
    assert (
        api.post(f"{API}conversations/{closed.pk}/comments/", {"text": "x"}, format="json").status_code == 403
    )
    assert api.get(f"{API}conversations/{closed.pk}/access-log/").status_code == 403
    assert detail(api_as(former), closed).status_code == 404, "sharing is with the current leader only"

    page_as(employee).post(reverse("web:share_history"), {})  # the page's switch, turned off
    assert detail(api, closed).status_code == 404
    assert page(web, closed).status_code == 404
    assert not ConversationUserObjectPermission.objects.filter(user=new, content_object=closed).exists()


def test_the_former_managers_deputies_lose_access_with_them(handover, api_as):
    former, employee = handover["former"], handover["employee"]
    deputy = factories.LeaderFactory()
    services.deputy_grant_create(leader=former, deputy=deputy, until=in_days(10))
    assert detail(api_as(deputy), handover["open"]).status_code == 200
    change_manager(employee, handover["new"])
    assert detail(api_as(deputy), handover["open"]).status_code == 404


# --- deputies ------------------------------------------------------------------------------------------


@pytest.fixture
def led(pair):
    """(leader, employee, two open conversations of that employee)."""
    leader, employee = pair
    first = conversation_in(Status.DRAFT, leader=leader, employee=employee)
    second = conversation_in(Status.CONFIRMED, leader=leader, employee=employee)
    return leader, employee, first, second


def test_both_parties_see_a_grant_and_the_deputy_is_told(
    led, api_as, page_as, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    leader, employee, first, second = led
    deputy = factories.LeaderFactory(language="en")
    monkeypatch.setattr(notifications, "_", lambda message: f"[{translation.get_language()}] {message}")
    until = in_days(9)
    with translation.override("nb"), django_capture_on_commit_callbacks(execute=True):
        created = api_as(leader).post(
            f"{API}deputies/", {"deputy": deputy.employee_id, "until": until.isoformat()}, format="json"
        )
    assert created.status_code == 201
    (mail,) = mailoutbox
    assert mail.to == [deputy.email]
    assert mail.subject.startswith("[en] ")
    assert leader.full_name in mail.body and "[en] all of" in mail.body
    with translation.override("en"):
        assert formats.date_format(until, "DATE_FORMAT") in mail.body

    for person in (leader, deputy):  # the two parties of the grant
        grants = api_as(person).get(f"{API}deputies/").json()["results"]
        assert [(g["deputy"]["id"], g["until"], g["active"]) for g in grants] == [
            (deputy.pk, until.isoformat(), True)
        ]
    for conversation in (first, second):  # and the employee whose conversations it opens
        listed = detail(api_as(employee), conversation).json()["deputies"]
        assert listed == [
            {
                "deputy": {"id": deputy.pk, "employee_id": deputy.employee_id, "full_name": deputy.full_name},
                "until": until.isoformat(),
            }
        ]
        body = page(page_as(employee), conversation).content.decode()
        assert deputy.full_name in body
    assert detail(api_as(deputy), first).status_code == 200


def test_a_grant_for_one_conversation_shows_on_that_one_only(led, api_as):
    leader, employee, first, second = led
    deputy = factories.LeaderFactory()
    services.deputy_grant_create(leader=leader, deputy=deputy, until=in_days(3), conversation=first)
    assert [d["deputy"]["id"] for d in detail(api_as(employee), first).json()["deputies"]] == [deputy.pk]
    assert detail(api_as(employee), second).json()["deputies"] == []
    assert detail(api_as(deputy), second).status_code == 404


def test_a_grant_ends_by_itself_and_expire_grants_removes_its_rows(led, api_as, page_as):
    leader, employee, first, _second = led
    deputy = factories.LeaderFactory()
    grant = services.deputy_grant_create(leader=leader, deputy=deputy, until=in_days(1))
    assert detail(api_as(deputy), first).status_code == 200
    expire_grants_of(deputy)  # the calendar moves on; nothing has run yet
    assert detail(api_as(deputy), first).status_code == 404
    assert page(page_as(deputy), first).status_code == 404
    assert detail(api_as(employee), first).json()["deputies"] == []
    assert ConversationUserObjectPermission.objects.filter(user=deputy).exists()

    out = io.StringIO()
    call_command("expire_grants", stdout=out)
    assert out.getvalue().strip() == "1 deputy grant(s) ended."
    grant.refresh_from_db()
    assert grant.ended_at is not None
    assert not ConversationUserObjectPermission.objects.filter(user=deputy).exists()
    listed = api_as(deputy).get(f"{API}deputies/").json()["results"]
    assert [(g["id"], g["active"]) for g in listed] == [(grant.pk, False)]
    call_command("expire_grants", stdout=out)  # nothing left to end
    assert DeputyGrant.objects.get(pk=grant.pk).ended_at == grant.ended_at


def test_a_grant_ended_by_the_leader_disappears_from_the_conversation(led, api_as):
    leader, employee, first, _second = led
    deputy = factories.LeaderFactory()
    grant = services.deputy_grant_create(leader=leader, deputy=deputy, until=in_days(5))
    assert api_as(leader).delete(f"{API}deputies/{grant.pk}/").status_code == 204
    assert detail(api_as(employee), first).json()["deputies"] == []
    assert detail(api_as(deputy), first).status_code == 404


def test_a_deputy_can_follow_up_but_never_act_for_either_party(led, api_as):
    leader, employee, _first, second = led
    deputy = factories.LeaderFactory()
    services.deputy_grant_create(leader=leader, deputy=deputy, until=in_days(5))
    api = api_as(deputy)
    assert (
        api.post(f"{API}conversations/{second.pk}/follow-ups/", {"text": "Ok"}, format="json").status_code
        == 201
    )
    for action in ("amend", "close"):
        assert api.post(f"{API}conversations/{second.pk}/{action}/").status_code == 403
    workflow.conversation_amend(conversation_id=second.pk, actor=leader)
    workflow.conversation_submit(conversation_id=second.pk, actor=leader)
    version = second.versions.order_by("-number").first()
    body = {"version": version.number, "sha256": version.sha256}
    assert api.post(f"{API}conversations/{second.pk}/confirm/", body, format="json").status_code == 403
    assert api.get(f"{API}conversations/{second.pk}/access-log/").status_code == 403
