"""The HTML pages through Django's test client: who sees what, forms that keep typed text, messages."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conversations import services
from conversations.models import AccessLogEntry, AgendaPoint, Comment, Conversation, DeputyGrant, Status
from goals import services as goal_services
from goals.models import Goal
from tests import factories
from tests.factories import conversation_in
from tests.organisation import page_client
from tests.workflow import latest_version, run_transition

pytestmark = pytest.mark.django_db


def url(name: str, conversation: Conversation, *args) -> str:
    return reverse(f"web:{name}", args=[conversation.pk, *args])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def outsider():
    return factories.UserFactory()


# --- start pages --------------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_in_bokmal_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="nb">' in response.content.decode()
    assert "Logg inn" in response.content.decode()


def test_login_with_employee_id_and_password(client, pair):
    leader, _employee = pair
    response = client.post(reverse("login"), {"username": leader.employee_id, "password": factories.PASSWORD})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200 and "<h1>Venter på deg</h1>" in home.content.decode()
    assert reverse("web:my_reports") in home.content.decode()


def test_home_is_what_waits_on_the_person(pair):
    """Home was a redirect to Mine medarbeidere / Mine samtaler; it is now Venter på deg (issue 15)."""
    leader, employee = pair
    conversation = conversation_in(Status.AWAITING_CONFIRMATION, leader=leader, employee=employee)
    body = page_client(employee).get("/").content.decode()
    assert "En versjon å bekrefte" in body
    assert reverse("web:conversation", args=[conversation.pk]) + "#respond" in body
    assert reverse("web:my_conversations") in body
    assert "Ingenting venter på deg nå." in page_client(leader).get("/").content.decode()


def test_my_reports_shows_status_and_who_it_waits_on(pair):
    leader, employee = pair
    other = factories.UserFactory(manager=leader, unit=leader.unit)
    cycle = factories.CycleFactory()
    conversation_in(Status.AWAITING_CONFIRMATION, leader=leader, employee=employee, cycle=cycle)
    response = page_client(leader).get(reverse("web:my_reports"))
    body = response.content.decode()
    assert response.status_code == 200
    assert employee.full_name in body and other.full_name in body
    assert "Venter på bekreftelse" in body
    assert "Venter på medarbeideren" in body and "En versjon å bekrefte" in body
    assert reverse("web:conversation_create", args=[other.pk]) in body
    # The cycle's PDFs as one ZIP are asked for on the page and made by the worker.
    assert f'action="{reverse("pdf-archive-request")}"' in body
    assert f'name="cycle" value="{cycle.pk}"' in body


def test_create_conversation_offers_carry_over_only_after_a_confirmed_contract(pair):
    leader, employee = pair
    client = page_client(leader)
    create_url = reverse("web:conversation_create", args=[employee.pk])
    assert "carry_over" not in client.get(create_url).content.decode()
    conversation_in(Status.CONFIRMED, leader=leader, employee=employee)
    assert "carry_over" in client.get(create_url).content.decode()
    cycle = factories.CycleFactory()
    response = client.post(
        create_url, {"cycle": cycle.pk, "scheduled_at": "2030-03-01T10:00", "carry_over": "on"}, follow=True
    )
    created = Conversation.objects.filter(employee=employee, cycle=cycle).get()
    assert response.redirect_chain[-1][0] == url("conversation", created)
    assert created.goals.count() == 1  # the open goal was carried over
    assert any("ble opprettet" in m for m in messages_of(response))


def test_create_conversation_for_someone_elses_report_is_not_found(pair):
    _leader, employee = pair
    other_leader = factories.LeaderFactory()
    response = page_client(other_leader).get(reverse("web:conversation_create", args=[employee.pk]))
    assert response.status_code == 404


def test_the_create_page_never_tells_whether_a_person_exists(pair):
    """Someone else's employee, someone who has left and ids nobody has: the same 404, read or posted."""
    leader, _employee = pair
    other_employee = factories.UserFactory()
    gone = factories.UserFactory(manager=leader, is_active=False)
    client = page_client(leader)
    answers = set()
    for pk in (other_employee.pk, gone.pk, leader.pk, 10**9, 2**70):
        page = f"/medarbeidere/{pk}/ny-samtale/"  # 2**70 is no id: the route itself does not match
        for response in (client.get(page), client.post(page, {"cycle": "", "scheduled_at": ""})):
            text = response.content.decode().replace(page, "PAGE")  # the language switch returns here
            answers.add((response.status_code, re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)))
    assert len(answers) == 1
    assert next(iter(answers))[0] == 404
    assert not Conversation.objects.exists()


def test_create_conversation_keeps_typed_values_on_error(pair):
    leader, employee = pair
    response = page_client(leader).post(
        reverse("web:conversation_create", args=[employee.pk]), {"scheduled_at": "not a time", "cycle": ""}
    )
    assert response.status_code == 400
    assert 'value="not a time"' in response.content.decode()


# --- the conversation page: who sees it -------------------------------------------------------------


@pytest.mark.parametrize("name", ["conversation", "history", "access_log", "compare"])
def test_parties_see_the_pages_and_outsiders_get_404(conversation, name):
    for user in (conversation.leader, conversation.employee):
        assert page_client(user).get(url(name, conversation)).status_code == 200
    for stranger in (outsider(), factories.HRFactory()):
        response = page_client(stranger).get(url(name, conversation))
        assert response.status_code == 404
        assert "Fant ikke siden" in response.content.decode()


def test_opening_the_page_is_logged(conversation):
    page_client(conversation.employee).get(url("conversation", conversation))
    entry = AccessLogEntry.objects.get(conversation=conversation)
    assert (entry.user, entry.channel) == (conversation.employee, "web")


def test_missing_conversation_is_404(pair):
    leader, _ = pair
    assert page_client(leader).get("/samtaler/999999/").status_code == 404


def test_leader_sees_add_forms_and_the_employee_does_not(conversation):
    leader_page = page_client(conversation.leader).get(url("conversation", conversation)).content.decode()
    employee_page = page_client(conversation.employee).get(url("conversation", conversation)).content.decode()
    for kind in ("task", "goal", "expectation"):
        assert f'id="add-{kind}"' in leader_page
        assert f'id="add-{kind}"' not in employee_page
    assert "Send til bekreftelse" in leader_page
    assert "Send til bekreftelse" not in employee_page
    assert "Mine forventninger til medarbeideren" in leader_page
    assert "Leders forventninger til meg" in employee_page


def test_employee_posting_a_leader_action_gets_the_403_page(conversation):
    response = page_client(conversation.employee).post(
        url("item_add", conversation, "task"), {"task-title": "Noe"}
    )
    assert response.status_code == 403
    assert "Du har ikke lov" in response.content.decode()


# --- recording the agreement ----------------------------------------------------------------------------


def test_adding_an_item_redirects_with_a_message(conversation):
    client = page_client(conversation.leader)
    response = client.post(
        url("item_add", conversation, "goal"),
        {"goal-kind": "development", "goal-title": "Lære Django", "goal-measure": "Kurs tatt"},
        follow=True,
    )
    assert conversation.goals.filter(title="Lære Django", kind=Goal.Kind.DEVELOPMENT).exists()
    assert "Målet ble lagt til." in messages_of(response)
    assert "autofocus" in response.content.decode()


def test_validation_error_keeps_typed_text(conversation):
    response = page_client(conversation.leader).post(
        url("item_add", conversation, "goal"),
        {"goal-kind": "result", "goal-title": "", "goal-measure": "Typed measure that must survive"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Typed measure that must survive" in body
    assert 'class="error-summary"' in body
    assert 'href="#id_goal-title"' in body
    assert 'aria-invalid="true"' in body


def test_edit_and_delete_an_item(conversation):
    client = page_client(conversation.leader)
    task = conversation.tasks.get()
    edit_url = url("item_edit", conversation, "task", task.pk)
    assert client.get(edit_url).status_code == 200
    response = client.post(edit_url, {"title": "Nytt navn", "revision": task.revision}, follow=True)
    task.refresh_from_db()
    assert task.title == "Nytt navn"
    assert "Endringen ble lagret." in messages_of(response)
    stale = client.post(edit_url, {"title": "Gammel", "revision": 1})
    assert stale.status_code == 400
    delete_url = url("item_delete", conversation, "task", task.pk)
    asked = client.post(delete_url, {"revision": task.revision})  # without scripts: a page asks first
    assert asked.status_code == 200
    assert 'name="confirmed" value="yes"' in asked.content.decode()
    assert conversation.tasks.exists()
    response = client.post(delete_url, {"revision": task.revision, "confirmed": "yes"}, follow=True)
    assert not conversation.tasks.exists()
    assert messages_of(response)


def test_agenda_private_point_is_only_seen_by_its_author(conversation):
    employee_client = page_client(conversation.employee)
    employee_client.post(
        url("agenda_add", conversation), {"agenda-text": "Min hemmelige forberedelse", "agenda-private": "on"}
    )
    point = AgendaPoint.objects.get(conversation=conversation)
    assert not point.shared
    assert (
        "Min hemmelige forberedelse"
        in employee_client.get(url("conversation", conversation)).content.decode()
    )
    leader_page = page_client(conversation.leader).get(url("conversation", conversation)).content.decode()
    assert "Min hemmelige forberedelse" not in leader_page
    assert (
        page_client(conversation.leader).post(url("agenda_share", conversation, point.pk)).status_code == 404
    )
    employee_client.post(url("agenda_share", conversation, point.pk))
    assert (
        "Min hemmelige forberedelse"
        in page_client(conversation.leader).get(url("conversation", conversation)).content.decode()
    )


# --- the workflow through the pages ---------------------------------------------------------------------


def test_submit_then_employee_sees_version_and_hash(conversation):
    response = page_client(conversation.leader).post(url("transition", conversation, "submit"), follow=True)
    conversation.refresh_from_db()
    assert conversation.status == Status.AWAITING_CONFIRMATION
    assert "Avtalen ble sendt til bekreftelse." in messages_of(response)
    page = page_client(conversation.employee).get(url("conversation", conversation)).content.decode()
    version = latest_version(conversation)
    assert version.sha256 in page
    assert "Bekreft avtalen" in page and "Be om endringer" in page


def test_unknown_transition_is_404(conversation):
    assert (
        page_client(conversation.leader).post(url("transition", conversation, "explode")).status_code == 404
    )


def test_item_response_requires_a_comment_when_disagreeing(conversation_factory):
    conversation = conversation_factory(Status.AWAITING_CONFIRMATION)
    goal = conversation.goals.get()
    client = page_client(conversation.employee)
    key = f"goal-{goal.pk}"
    response = client.post(url("respond", conversation, key), {f"r-{key}-stance": "disagree"})
    assert response.status_code == 400
    response = client.post(
        url("respond", conversation, key),
        {f"r-{key}-stance": "disagree", f"r-{key}-comment": "For vagt"},
        follow=True,
    )
    assert "Svaret ditt ble lagret." in messages_of(response)
    leader_page = page_client(conversation.leader).get(url("conversation", conversation)).content.decode()
    assert "Uenig" in leader_page and "For vagt" in leader_page


def test_request_changes_needs_a_comment_and_keeps_nothing_lost(conversation_factory):
    conversation = conversation_factory(Status.AWAITING_CONFIRMATION)
    client = page_client(conversation.employee)
    response = client.post(url("request_changes", conversation), {"changes-comment": "  "})
    assert response.status_code == 400
    conversation.refresh_from_db()
    assert conversation.status == Status.AWAITING_CONFIRMATION
    response = client.post(
        url("request_changes", conversation), {"changes-comment": "Endre målet"}, follow=True
    )
    conversation.refresh_from_db()
    assert conversation.status == Status.CHANGES_REQUESTED
    assert Comment.objects.filter(conversation=conversation, kind=Comment.Kind.CHANGE_REQUEST).exists()
    assert messages_of(response)


def test_confirm_needs_the_exact_version_and_hash(conversation_factory):
    conversation = conversation_factory(Status.AWAITING_CONFIRMATION)
    version = latest_version(conversation)
    client = page_client(conversation.employee)
    response = client.post(
        url("confirm", conversation), {"version": version.number, "sha256": "0" * 64}, follow=True
    )
    conversation.refresh_from_db()
    assert conversation.status == Status.AWAITING_CONFIRMATION
    assert any("hash" in m.lower() or "versjon" in m.lower() for m in messages_of(response))
    response = client.post(
        url("confirm", conversation), {"version": version.number, "sha256": version.sha256}, follow=True
    )
    conversation.refresh_from_db()
    assert conversation.status == Status.CONFIRMED
    assert "Du bekreftet versjon 1 av avtalen." in messages_of(response)


def test_follow_up_and_statement_after_confirming(conversation_factory):
    conversation = conversation_factory(Status.CONFIRMED)
    goal = conversation.goals.get()
    employee_client = page_client(conversation.employee)
    response = employee_client.post(
        url("follow_up", conversation),
        {
            "followup-text": "Godt i gang",
            "followup-item": f"goal-{goal.pk}",
            "followup-progress": "40",
            "followup-item_status": "on_track",
        },
        follow=True,
    )
    assert conversation.follow_ups.filter(goal=goal, progress=40).exists()
    assert messages_of(response)
    bad = employee_client.post(
        url("follow_up", conversation), {"followup-text": "Over", "followup-progress": "140"}
    )
    assert bad.status_code == 400 and "Over" in bad.content.decode()
    employee_client.post(url("statement", conversation), {"statement-text": "Mitt siste ord"})
    assert conversation.comments.filter(kind=Comment.Kind.STATEMENT, text="Mitt siste ord").exists()
    leader_client = page_client(conversation.leader)
    leader_client.post(url("follow_up", conversation), {"followup-text": "Enig, bra jobba"})
    page = leader_client.get(url("conversation", conversation)).content.decode()
    assert "Mitt siste ord" in page and "Godt i gang" in page and "Enig, bra jobba" in page
    assert "På rett vei" in page


def test_leader_replies_to_an_item_with_a_comment(conversation_factory):
    conversation = conversation_factory(Status.CHANGES_REQUESTED)
    goal = conversation.goals.get()
    key = f"goal-{goal.pk}"
    response = page_client(conversation.leader).post(
        url("item_comment", conversation, key), {f"c-{key}-text": "Jeg har presisert målet"}, follow=True
    )
    assert conversation.comments.filter(goal=goal, text="Jeg har presisert målet").exists()
    assert "Kommentaren din ble lagt til." in messages_of(response)


def test_amend_close_and_compare(conversation_factory):
    conversation = conversation_factory(Status.CONFIRMED)
    client = page_client(conversation.leader)
    client.post(url("transition", conversation, "amend"))
    task = conversation.tasks.get()
    client.post(url("item_add", conversation, "task"), {"task-title": "Ny oppgave"})
    client.post(
        url("item_delete", conversation, "task", task.pk), {"revision": task.revision, "confirmed": "yes"}
    )
    goal = conversation.goals.get()
    client.post(
        url("item_edit", conversation, "goal", goal.pk),
        {"kind": "result", "title": "Ferdigstille planen innen mai", "revision": goal.revision},
    )
    client.post(url("transition", conversation, "submit"))
    page = client.get(url("compare", conversation) + "?a=1&b=2").content.decode()
    assert "Lagt til" in page and "Fjernet" in page and "Endret" in page
    assert "Ny oppgave" in page and "Ferdigstille planen innen mai" in page
    version = latest_version(conversation)
    run_transition(conversation, "confirm", version=version.number, sha256=version.sha256)
    response = client.post(url("transition", conversation, "close"), follow=True)
    conversation.refresh_from_db()
    assert conversation.status == Status.CLOSED
    assert "Samtalen ble avsluttet." in messages_of(response)


def test_history_lists_the_steps(conversation_factory):
    conversation = conversation_factory(Status.CONFIRMED)
    page = page_client(conversation.employee).get(url("history", conversation)).content.decode()
    assert "Sendt til bekreftelse" in page and "Avtalen ble bekreftet" in page


def test_calendar_invitation(conversation):
    Conversation.objects.filter(pk=conversation.pk).update(scheduled_at=timezone.now())
    response = page_client(conversation.employee).get(url("calendar", conversation))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content


def test_calendar_without_a_time_explains_why(conversation):
    response = page_client(conversation.employee).get(url("calendar", conversation), follow=True)
    assert messages_of(response)


# --- deputies and shared history ------------------------------------------------------------------------


def test_deputy_grant_and_end(conversation):
    leader = conversation.leader
    deputy = factories.LeaderFactory()
    client = page_client(leader)
    until = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    response = client.post(
        reverse("web:deputies"), {"deputy": deputy.employee_id, "until": until}, follow=True
    )
    grant = DeputyGrant.objects.get(leader=leader, deputy=deputy)
    assert messages_of(response)
    assert page_client(deputy).get(url("conversation", conversation)).status_code == 200
    deputy_page = page_client(deputy).get(reverse("web:my_conversations")).content.decode()
    assert conversation.employee.full_name in deputy_page
    # A deputy may comment but not manage.
    assert page_client(deputy).post(url("transition", conversation, "submit")).status_code == 403
    asked = client.post(reverse("web:deputy_end", args=[grant.pk]))  # without scripts: a page asks first
    assert asked.status_code == 200 and 'name="confirmed" value="yes"' in asked.content.decode()
    assert page_client(deputy).get(url("conversation", conversation)).status_code == 200
    client.post(reverse("web:deputy_end", args=[grant.pk]), {"confirmed": "yes"})
    assert page_client(deputy).get(url("conversation", conversation)).status_code == 404


def test_deputy_form_keeps_input_on_unknown_person(pair):
    leader, _ = pair
    response = page_client(leader).post(
        reverse("web:deputies"), {"deputy": "NOBODY-42", "until": "2999-01-01"}
    )
    assert response.status_code == 400
    assert 'value="NOBODY-42"' in response.content.decode()


def test_only_the_granting_leader_can_end_a_grant(conversation):
    deputy = factories.UserFactory()
    grant = DeputyGrant.objects.create(
        leader=conversation.leader, deputy=deputy, until=timezone.localdate() + datetime.timedelta(days=2)
    )
    assert page_client(deputy).post(reverse("web:deputy_end", args=[grant.pk])).status_code == 404


def test_share_history_toggle(pair):
    _leader, employee = pair
    client = page_client(employee)
    response = client.post(reverse("web:share_history"), {"shared": "on"}, follow=True)
    employee.refresh_from_db()
    assert employee.shares_history
    assert messages_of(response)
    client.post(reverse("web:share_history"), {})
    employee.refresh_from_db()
    assert not employee.shares_history


# --- language, CSRF, errors ------------------------------------------------------------------------------


def test_english_pages(conversation):
    page = page_client(conversation.leader, "en").get(url("conversation", conversation)).content.decode()
    assert '<html lang="en">' in page
    assert "Send for confirmation" in page and "Draft" in page
    assert "Send til bekreftelse" not in page and "Utkast" not in page


def test_language_switch_sets_the_cookie(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_csrf_is_enforced(conversation):
    client = Client(enforce_csrf_checks=True)
    client.force_login(conversation.leader)
    response = client.post(url("transition", conversation, "submit"))
    assert response.status_code == 403
    conversation.refresh_from_db()
    assert conversation.status == Status.DRAFT


def test_error_pages_render_in_both_languages(rf):
    from conversations.web.views import errors

    request = rf.get("/")
    request.user = factories.UserFactory()
    from django.utils import translation

    with translation.override("en"):
        assert b"Page not found" in errors.page_not_found(request).content
        assert b"Something went wrong" in errors.server_error(request).content
        assert errors.permission_denied(request).status_code == 403
    with translation.override("nb"):
        assert "Fant ikke siden" in errors.page_not_found(request).content.decode()
        assert "Noe gikk galt" in errors.server_error(request).content.decode()


def test_leader_changes_the_meeting_time_and_a_stale_form_is_refused(conversation):
    client = page_client(conversation.leader)
    revision = conversation.revision
    response = client.post(
        url("meeting_time", conversation),
        {"meeting-scheduled_at": "2030-05-02T09:30", "meeting-revision": revision},
        follow=True,
    )
    conversation.refresh_from_db()
    assert conversation.scheduled_at is not None
    assert "Tidspunktet ble lagret." in messages_of(response)
    stale = client.post(
        url("meeting_time", conversation),
        {"meeting-scheduled_at": "2031-01-01T08:00", "meeting-revision": revision},
    )
    assert stale.status_code == 400
    assert "2031-01-01T08:00" in stale.content.decode()
    assert page_client(conversation.employee).post(url("meeting_time", conversation), {}).status_code == 403


def _queries_for_page(client, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_conversation_page_queries_do_not_grow_with_its_content(conversation_factory):
    small = conversation_factory(Status.CONFIRMED)
    large = conversation_factory(Status.CONFIRMED)
    run_transition(large, "amend")
    for n in range(12):
        goal_services.task_create(conversation=large, actor=large.leader, title=f"T{n}")
        goal_services.goal_create(conversation=large, actor=large.leader, title=f"G{n}", kind="development")
        services.comment_create(conversation=large, actor=large.employee, text=f"C{n}")
        services.follow_up_create(conversation=large, actor=large.employee, text=f"F{n}", progress=n)
        services.agenda_point_create(conversation=large, actor=large.employee, text=f"A{n}")
    for user in ("leader", "employee"):
        small_count = _queries_for_page(page_client(getattr(small, user)), url("conversation", small))
        large_count = _queries_for_page(page_client(getattr(large, user)), url("conversation", large))
        assert large_count == small_count, user


def test_my_reports_queries_do_not_grow_with_the_number_of_reports(pair):
    leader, employee = pair
    client = page_client(leader)
    # Counted with one conversation: with none, what waits in them is not read at all (4 queries less).
    conversation_in(Status.AWAITING_CONFIRMATION, leader=leader, employee=employee)
    few = _queries_for_page(client, reverse("web:my_reports"))
    for _ in range(8):
        report = factories.UserFactory(manager=leader, unit=leader.unit)
        conversation_in(Status.AWAITING_CONFIRMATION, leader=leader, employee=report)
    assert _queries_for_page(client, reverse("web:my_reports")) == few
