"""The conversation page's in-place changes (htmx partials), answering in one pass, the confirmation
steps and the deputy name search, through Django's test client.

An htmx request is the same post with the `HX-Request` and `HX-Target` headers; the answer is then the
targeted section alone (never a whole page), with the status, the next step and the messages swapped
out of band. Without the headers the same views redirect back or re-render the page, as before."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations.models import DeputyGrant, HistoryEntry, ItemResponse, Status
from goals.models import Goal
from tests import factories
from tests.conversations.test_views import url
from tests.organisation import page_client

pytestmark = pytest.mark.django_db


def htmx(target: str) -> dict:
    return {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": target}


def is_partial(response) -> bool:
    body = response.content.decode()
    return "<html" not in body and "<body" not in body


# --- recording the agreement in place ------------------------------------------------------------------


def test_adding_a_task_with_htmx_answers_with_the_agreement_section_only(conversation):
    client = page_client(conversation.leader)
    response = client.post(
        url("item_add", conversation, "task"), {"task-title": "Ny oppgave"}, **htmx("contract")
    )
    assert response.status_code == 200
    assert is_partial(response)
    body = response.content.decode()
    assert '<section id="contract"' in body and "Ny oppgave" in body
    assert 'id="next-step" hx-swap-oob="true"' in body  # "Neste steg" follows the agreement
    assert 'id="status-line" hx-swap-oob="true"' in body
    assert "Oppgaven ble lagt til." in body  # the message, in the live region
    # The cursor is back in the task form for the next one.
    assert re.search(r'<input[^>]*name="task-title"[^>]*autofocus', body)
    assert conversation.tasks.filter(title="Ny oppgave").exists()


def test_the_same_post_without_htmx_redirects_to_the_page(conversation):
    response = page_client(conversation.leader).post(
        url("item_add", conversation, "task"), {"task-title": "Ny oppgave"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?added=task")


def test_the_goal_kind_stays_where_the_leader_left_it(conversation):
    client = page_client(conversation.leader)
    data = {"goal-kind": "development", "goal-title": "Lære mer"}
    partial = client.post(url("item_add", conversation, "goal"), data, **htmx("contract")).content.decode()
    assert re.search(r'<input[^>]*name="goal-kind" value="development"[^>]*checked', partial)
    # Without scripts: the redirect carries it, and the page's new form has it chosen.
    response = client.post(url("item_add", conversation, "goal"), {**data, "goal-title": "Lære enda mer"})
    assert "keep=development" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert re.search(r'<input[^>]*name="goal-kind" value="development"[^>]*checked', page)


def test_the_expectation_direction_stays_and_a_forged_one_is_ignored(conversation):
    client = page_client(conversation.leader)
    data = {"expectation-direction": "employee_to_leader", "expectation-text": "Jevnlige samtaler"}
    partial = client.post(
        url("item_add", conversation, "expectation"), data, **htmx("contract")
    ).content.decode()
    assert re.search(
        r'<input[^>]*name="expectation-direction" value="employee_to_leader"[^>]*checked', partial
    )
    page = client.get(url("conversation", conversation) + "?added=expectation&keep=<b>x</b>").content.decode()
    assert re.search(r'<input[^>]*name="expectation-direction" value="leader_to_employee"[^>]*checked', page)
    assert "<b>x</b>" not in page


def test_a_refused_add_keeps_the_text_and_its_summary_links_to_the_field(conversation):
    client = page_client(conversation.leader)
    response = client.post(
        url("item_add", conversation, "goal"),
        {"goal-kind": "relational", "goal-title": "", "goal-measure": "Målt <script>x</script>"},
        **htmx("contract"),
    )
    assert response.status_code == 400
    assert is_partial(response)
    body = response.content.decode()
    assert 'class="error-summary"' in body
    assert 'href="#id_goal-title"' in body
    assert "Målt &lt;script&gt;x&lt;/script&gt;" in body and "<script>x" not in body
    assert re.search(r'<input[^>]*name="goal-kind" value="relational"[^>]*checked', body)


def test_an_item_is_edited_in_place(conversation):
    client = page_client(conversation.leader)
    task = conversation.tasks.get()
    edit = url("item_edit", conversation, "task", task.pk)
    form = client.get(edit, **htmx(f"task-{task.pk}"))
    assert form.status_code == 200 and is_partial(form)
    body = form.content.decode()
    assert f'<li class="item item--editing" id="task-{task.pk}">' in body
    assert f'name="edit-task-{task.pk}-title"' in body
    prefix = f"edit-task-{task.pk}"
    refused = client.post(
        edit, {f"{prefix}-title": "", f"{prefix}-revision": task.revision}, **htmx(f"task-{task.pk}")
    )
    assert refused.status_code == 400 and "item--editing" in refused.content.decode()
    saved = client.post(
        edit, {f"{prefix}-title": "Nytt navn", f"{prefix}-revision": task.revision}, **htmx(f"task-{task.pk}")
    )
    assert saved.status_code == 200
    assert saved["HX-Retarget"] == "#contract" and saved["HX-Reswap"] == "outerHTML"
    assert '<section id="contract"' in saved.content.decode()
    task.refresh_from_db()
    assert task.title == "Nytt navn"


def test_deleting_an_item_asks_first_then_answers_with_the_agreement(conversation):
    client = page_client(conversation.leader)
    goal = conversation.goals.get()
    delete = url("item_delete", conversation, "goal", goal.pk)
    asked = client.post(delete, {"revision": goal.revision})
    assert asked.status_code == 200
    body = asked.content.decode()
    assert "Vil du slette «Ferdigstille plan» fra avtalen?" in body
    assert f'name="revision" value="{goal.revision}"' in body and 'name="confirmed" value="yes"' in body
    assert Goal.objects.filter(pk=goal.pk).exists()
    done = client.post(delete, {"revision": goal.revision, "confirmed": "yes"}, **htmx("contract"))
    assert done.status_code == 200 and is_partial(done)
    assert not Goal.objects.filter(pk=goal.pk).exists()
    # The page marks the form for the script's dialog.
    page = client.get(url("conversation", conversation)).content.decode()
    assert 'data-confirm="Vil du slette «Lede prosjekt X» fra avtalen?"' in page
    assert '<dialog id="confirm-dialog"' in page


def test_cancelling_asks_first(conversation):
    client = page_client(conversation.leader)
    cancel = url("transition", conversation, "cancel")
    asked = client.post(cancel)
    assert asked.status_code == 200 and "Vil du avlyse samtalen?" in asked.content.decode()
    conversation.refresh_from_db()
    assert conversation.status == Status.DRAFT
    client.post(cancel, {"confirmed": "no"})
    conversation.refresh_from_db()
    assert conversation.status == Status.DRAFT
    client.post(cancel, {"confirmed": "yes"})
    conversation.refresh_from_db()
    assert conversation.status == Status.CANCELLED


def test_submitting_needs_no_confirmation(conversation):
    page_client(conversation.leader).post(url("transition", conversation, "submit"))
    conversation.refresh_from_db()
    assert conversation.status == Status.AWAITING_CONFIRMATION


def test_the_date_held_is_recorded_on_the_page(conversation):
    client = page_client(conversation.leader)
    client.post(
        url("meeting_time", conversation),
        {
            "meeting-scheduled_at": "",
            "meeting-held_on": "2030-03-04",
            "meeting-revision": conversation.revision,
        },
    )
    conversation.refresh_from_db()
    assert conversation.held_on == datetime.date(2030, 3, 4)
    page = client.get(url("conversation", conversation)).content.decode()
    assert "Dato holdt" in page and 'value="2030-03-04"' in page


def test_a_follow_up_with_htmx_answers_with_the_follow_up_section(conversation_factory):
    conversation = conversation_factory(Status.CONFIRMED)
    client = page_client(conversation.employee)
    response = client.post(
        url("follow_up", conversation),
        {"followup-text": "Går fint", "followup-kind": "note"},
        **htmx("follow-up"),
    )
    assert response.status_code == 200 and is_partial(response)
    body = response.content.decode()
    assert '<section id="follow-up"' in body and "Går fint" in body
    # Each item's latest status is shown with it: the agreement comes along, out of band.
    assert re.search(r'<section id="contract"[^>]*hx-swap-oob="true"', body)


def test_a_section_the_page_does_not_know_is_a_whole_page(conversation):
    response = page_client(conversation.leader).post(
        url("item_add", conversation, "task"), {"task-title": "X"}, **htmx("main")
    )
    assert response.status_code == 302


# --- answering all items in one pass -------------------------------------------------------------------


def _stance_key(item, kind):
    return f"r-{kind}-{item.pk}-stance"


def test_agree_to_everything_not_answered_in_one_post(conversation_factory):
    conversation = conversation_factory(Status.AWAITING_CONFIRMATION)
    goal = conversation.goals.get()
    client = page_client(conversation.employee)
    page = client.get(url("conversation", conversation)).content.decode()
    assert 'form="respond-all"' in page and "Enig i alt som ikke er besvart" in page
    assert "Du har svart på 0 av 3 punkter." in page
    response = client.post(
        url("respond_all", conversation),
        {
            _stance_key(goal, "goal"): "agree_with_comment",
            f"r-goal-{goal.pk}-comment": "Ja, men",
            "agree_rest": "yes",
        },
        **htmx("contract"),
    )
    assert response.status_code == 200 and is_partial(response)
    body = response.content.decode()
    assert "3 svar er lagret." in body
    assert 'id="answered-count" hx-swap-oob="true"' in body and "Du har svart på 3 av 3 punkter." in body
    stances = dict(ItemResponse.objects.filter(conversation=conversation).values_list("goal", "stance"))
    assert stances[goal.pk] == "agree_with_comment"
    assert ItemResponse.objects.filter(conversation=conversation, stance="agree").count() == 2


def test_one_refused_answer_saves_nothing_and_keeps_every_answer_given(conversation_factory):
    conversation = conversation_factory(Status.AWAITING_CONFIRMATION)
    goal, task = conversation.goals.get(), conversation.tasks.get()
    response = page_client(conversation.employee).post(
        url("respond_all", conversation),
        {_stance_key(goal, "goal"): "disagree", _stance_key(task, "task"): "agree", "agree_rest": "yes"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="respond-errors"' in body and f'href="#id_r-goal-{goal.pk}-comment"' in body
    assert re.search(rf'<input[^>]*name="r-task-{task.pk}-stance" value="agree"[^>]*checked', body)
    assert not ItemResponse.objects.filter(conversation=conversation).exists()


def test_an_unchanged_answer_is_not_recorded_again(conversation_factory):
    conversation = conversation_factory(Status.AWAITING_CONFIRMATION)
    goal = conversation.goals.get()
    client = page_client(conversation.employee)
    data = {_stance_key(goal, "goal"): "agree"}
    client.post(url("respond_all", conversation), data)
    answered = HistoryEntry.objects.filter(conversation=conversation, action="item_response").count()
    client.post(url("respond_all", conversation), data)
    assert HistoryEntry.objects.filter(conversation=conversation, action="item_response").count() == answered


def test_only_the_employee_answers_and_only_while_awaiting(conversation_factory):
    awaiting = conversation_factory(Status.AWAITING_CONFIRMATION)
    assert (
        page_client(awaiting.leader).post(url("respond_all", awaiting), {"agree_rest": "yes"}).status_code
        == 403
    )
    assert page_client(factories.UserFactory()).post(url("respond_all", awaiting), {}).status_code == 404
    draft = factories.make_conversation()
    response = page_client(draft.employee).post(url("respond_all", draft), {"agree_rest": "yes"})
    assert response.status_code == 400
    assert not ItemResponse.objects.filter(conversation=draft).exists()


# --- choosing a deputy by name -------------------------------------------------------------------------


@pytest.fixture
def people(pair):
    leader, employee = pair
    unit = factories.OrgUnitFactory(name="Drift")
    return {
        "leader": leader,
        "employee": employee,
        "kari": factories.LeaderFactory(full_name="Kari Nordmann", unit=unit),
        "karin": factories.LeaderFactory(full_name="Karin Nord", unit=unit),
        "gone": factories.LeaderFactory(full_name="Kari Borte", is_active=False),
        "hr": factories.HRFactory(full_name="Kari Personal"),
        "worker": factories.UserFactory(full_name="Kari Arbeider"),
    }


def _search(user, text, **headers):
    return page_client(user).get(reverse("web:deputy_search"), {"deputy": text}, **headers)


def test_the_name_search_offers_only_the_leaders_the_user_may_choose(people):
    response = _search(people["leader"], "kari", **htmx("deputy-candidates"))
    assert response.status_code == 200 and is_partial(response)
    body = response.content.decode()
    assert "Kari Nordmann" in body and "Karin Nord" in body
    for name in ("Kari Borte", "Kari Personal", "Kari Arbeider"):
        assert name not in body  # left, HR only, not a leader
    assert body.count('name="pick"') == 2


def test_the_name_search_never_offers_the_user_themself(people):
    body = _search(people["leader"], people["leader"].full_name[:5], **htmx("x")).content.decode()
    assert f'value="{people["leader"].pk}"' not in body


def test_the_name_search_needs_two_letters_and_is_for_leaders_only(people):
    assert 'name="pick"' not in _search(people["leader"], "k", **htmx("x")).content.decode()
    assert _search(people["employee"], "kari", **htmx("x")).status_code == 403
    assert _search(people["hr"], "kari", **htmx("x")).status_code == 403


def test_the_name_search_query_count_does_not_grow(people, django_assert_max_num_queries):
    for n in range(12):
        factories.LeaderFactory(full_name=f"Kari Nummer {n}")
    client = page_client(people["leader"])
    with django_assert_max_num_queries(8):
        body = client.get(reverse("web:deputy_search"), {"deputy": "kari"}, **htmx("x")).content.decode()
    assert body.count('name="pick"') == 10


def _grant(user, **data):
    until = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    return page_client(user).post(reverse("web:deputies"), {"until": until, **data})


def test_a_unique_name_grants_the_deputy(people):
    response = _grant(people["leader"], deputy="nordmann")
    assert response.status_code == 302
    assert DeputyGrant.objects.filter(leader=people["leader"], deputy=people["kari"]).exists()


def test_a_name_with_several_matches_asks_which_one_and_keeps_the_text(people):
    response = _grant(people["leader"], deputy="Kari")
    assert response.status_code == 400
    body = response.content.decode()
    assert body.count('name="pick"') == 2 and 'value="Kari"' in body
    assert not DeputyGrant.objects.exists()
    response = _grant(people["leader"], deputy="Kari", pick=people["karin"].pk)
    assert response.status_code == 302
    assert DeputyGrant.objects.get().deputy == people["karin"]


def test_a_pick_outside_the_choices_is_refused_like_nobody(people):
    for outsider in ("hr", "worker", "gone", "employee"):
        response = _grant(people["leader"], deputy="Kari", pick=people[outsider].pk)
        assert response.status_code == 400
        assert "Stedfortrederen må være en leder" in response.content.decode()
    assert not DeputyGrant.objects.exists()


def test_the_search_button_works_without_scripts(people):
    response = _grant(people["leader"], deputy="karin", search="yes")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Karin Nord" in body and 'name="pick"' in body
    assert not DeputyGrant.objects.exists()
