"""The history and the access log as the parties read them: each entry names what it is about, internal
fields stay out, others' reads apart from the parties' own; dates in the one format."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations import services
from conversations.models import AgendaPoint
from goals import services as goal_services
from tests import factories
from tests.organisation import page_client

pytestmark = pytest.mark.django_db


def history_of(conversation, user, language="nb") -> str:
    response = page_client(user, language).get(reverse("web:history", args=[conversation.pk]))
    assert response.status_code == 200
    return response.content.decode()


def entries(body: str) -> list[str]:
    """Each history entry's text, tags and spaces squeezed out."""
    items = re.findall(r"<li>(.*?)</li>", body.split('class="timeline"', 1)[1], flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_each_item_entry_names_its_item(conversation):
    leader = conversation.leader
    goal = conversation.goals.get()
    goal_services.item_update(item=goal, actor=leader, measure="Vedtatt i bystyret")
    task = conversation.tasks.get()
    goal_services.item_delete(item=task, actor=leader)
    body = history_of(conversation, conversation.employee)
    texts = entries(body)
    assert any("Mål endret – Mål: «Ferdigstille plan»" in t for t in texts), texts
    assert any("Oppgave slettet – Oppgave: «Lede prosjekt X»" in t for t in texts), texts
    assert any("Forventning lagt til – Forventning: «Si fra tidlig»" in t for t in texts), texts


def test_a_renamed_item_is_named_as_it_was_at_each_entry(conversation):
    goal = conversation.goals.get()
    goal_services.item_update(item=goal, actor=conversation.leader, title="Ny tittel")
    texts = entries(history_of(conversation, conversation.leader))
    changed = next(t for t in texts if "Mål endret" in t)
    assert "«Ny tittel»" in changed


def test_the_order_of_items_is_not_shown(conversation):
    leader = conversation.leader
    goal_services.goal_create(conversation=conversation, actor=leader, title="Andre mål", kind="result")
    goal = conversation.goals.order_by("order").first()
    goal_services.item_update(item=goal, actor=leader, order=5)
    body = history_of(conversation, leader)
    assert "<dt>Rekkefølge</dt>" not in body and "<dt>Order</dt>" not in body
    assert "Rekkefølgen ble endret" in body


def test_a_private_agenda_point_is_not_named_to_the_other_party(conversation):
    employee, leader = conversation.employee, conversation.leader
    services.agenda_point_create(
        conversation=conversation, actor=employee, text="Min hemmelige plan", shared=False
    )
    services.agenda_point_create(conversation=conversation, actor=employee, text="Felles tema", shared=True)
    body = history_of(conversation, leader)
    assert "Min hemmelige plan" not in body
    assert "Tema: «Felles tema»" in body
    assert AgendaPoint.objects.filter(text="Min hemmelige plan").exists()


def test_dates_in_the_history_use_the_one_format(conversation):
    goal = conversation.goals.get()
    goal_services.item_update(item=goal, actor=conversation.leader, due_date=datetime.date(2027, 3, 5))
    assert "5. mars 2027" in history_of(conversation, conversation.leader)
    assert "5 March 2027" in history_of(conversation, conversation.leader, language="en")
    assert "2027-03-05" not in history_of(conversation, conversation.leader)


def test_history_queries_do_not_grow_with_its_length(conversation, django_assert_max_num_queries):
    leader, employee = conversation.leader, conversation.employee
    for n in range(15):
        goal = goal_services.goal_create(
            conversation=conversation, actor=leader, title=f"Mål {n}", kind="result"
        )
        goal_services.item_update(item=goal, actor=leader, title=f"Mål {n} endret")
        services.comment_create(conversation=conversation, actor=employee, text=f"Kommentar {n}", goal=goal)
    client = page_client(leader)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("web:history", args=[conversation.pk])).status_code == 200


def test_the_access_log_shows_others_apart_from_the_parties(conversation):
    employee, leader = conversation.employee, conversation.leader
    deputy = factories.LeaderFactory(full_name="Dina Stedfortreder")
    services.access_log_record(conversation=conversation, user=deputy, channel="web")
    services.access_log_record(conversation=conversation, user=leader, channel="pdf")
    services.access_log_record(conversation=conversation, user=employee, channel="web")
    body = page_client(employee).get(reverse("web:access_log", args=[conversation.pk])).content.decode()
    others, own = body.split('id="own-heading"', 1)
    assert "Dina Stedfortreder" in others
    assert leader.full_name not in others.split('id="others-heading"', 1)[1]
    assert leader.full_name in own and "Dina Stedfortreder" not in own
    today = timezone.localdate()
    assert f"{today.day}. " in own  # "5. desember 2026 kl. 10:15"
    assert " kl. " in own


def test_the_access_log_without_others_says_so(conversation):
    services.access_log_record(conversation=conversation, user=conversation.leader, channel="web")
    body = page_client(conversation.employee).get(reverse("web:access_log", args=[conversation.pk]))
    assert "Ingen andre enn dere to har åpnet samtalen." in body.content.decode()
