"""HR's workspace: HR lands on the HR start page, and edits the conversation templates in the pages."""

import pytest
from django.test import Client
from django.urls import reverse

from conversations.cycles import template_services
from conversations.models import AgendaPoint, Template, TemplatePoint
from core.errors import NotAllowed
from tests import factories
from tests.organisation import page_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr():
    return factories.HRFactory()


@pytest.fixture
def template():
    template = factories.TemplateFactory(name="Standardmal")
    for order, text in enumerate(("Trivsel", "Mål", "Kompetanse")):
        factories.TemplatePointFactory(template=template, text=text, hint=f"Hint {text}", order=order)
    return template


def texts(template) -> list[str]:
    return list(template.points.order_by("order", "pk").values_list("text", flat=True))


def test_hr_lands_on_the_hr_start_page_and_others_on_waiting(hr, pair):
    response = page_client(hr).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("hr-home")
    leader, employee = pair
    assert page_client(employee).get("/").status_code == 200


def test_the_hr_start_page_links_to_each_part_of_the_workspace(hr, template):
    factories.CycleFactory(name="Medarbeidersamtaler 2027", template=template)
    body = page_client(hr).get(reverse("hr-home")).content.decode()
    for name in ("hr-cycles", "hr-statistics", "hr-templates", "goals:unit_goals", "web:waiting"):
        assert f'href="{reverse(name)}"' in body
    assert "Medarbeidersamtaler 2027" in body
    assert "Du har ingen samtaler" not in body


def test_hr_still_reaches_what_waits_on_them(hr):
    response = page_client(hr).get(reverse("web:waiting"))
    assert response.status_code == 200
    assert "Ingenting venter på deg nå." in response.content.decode()


@pytest.mark.parametrize("name", ["hr-home", "hr-templates"])
def test_hr_pages_are_for_hr_only(pair, name):
    leader, employee = pair
    assert page_client(leader).get(reverse(name)).status_code == 403
    assert Client().get(reverse(name)).status_code == 302  # to the login page


def test_a_template_page_is_403_for_others_and_404_when_missing(pair, hr, template):
    leader, _employee = pair
    assert page_client(leader).get(reverse("hr-template", args=[template.pk])).status_code == 403
    assert page_client(hr).get(reverse("hr-template", args=[template.pk + 1000])).status_code == 404


def test_hr_creates_a_template_and_adds_points_with_hints(hr):
    client = page_client(hr)
    response = client.post(reverse("hr-templates"), {"name": "Mal 2028"})
    assert response.status_code == 302
    template = Template.objects.get(name="Mal 2028")
    url = reverse("hr-template-point-add", args=[template.pk])
    client.post(url, {"new-text": "Hvordan har du det?", "new-hint": "Trivsel <b>og</b> belastning"})
    client.post(url, {"new-text": "Mål for året", "new-hint": ""})
    assert texts(template) == ["Hvordan har du det?", "Mål for året"]
    body = client.get(reverse("hr-template", args=[template.pk])).content.decode()
    assert "Trivsel &lt;b&gt;og&lt;/b&gt; belastning" in body  # user text is escaped


def test_an_empty_point_is_refused_with_the_form_kept(hr, template):
    response = page_client(hr).post(
        reverse("hr-template-point-add", args=[template.pk]), {"new-text": "", "new-hint": "Kept hint"}
    )
    assert response.status_code == 400
    assert "Kept hint" in response.content.decode()
    assert template.points.count() == 3


def test_hr_edits_moves_and_removes_points(hr, template):
    client = page_client(hr)
    first, second, third = template.points.order_by("order")
    client.post(
        reverse("hr-template-point-edit", args=[template.pk, second.pk]),
        {f"point-{second.pk}-text": "Mål og retning", f"point-{second.pk}-hint": "Enhetens mål"},
    )
    second.refresh_from_db()
    assert (second.text, second.hint) == ("Mål og retning", "Enhetens mål")
    client.post(reverse("hr-template-point-move", args=[template.pk, third.pk]), {"direction": "up"})
    assert texts(template) == ["Trivsel", "Kompetanse", "Mål og retning"]
    client.post(reverse("hr-template-point-move", args=[template.pk, first.pk]), {"direction": "up"})
    assert texts(template) == ["Trivsel", "Kompetanse", "Mål og retning"]  # the first stays first
    client.post(reverse("hr-template-point-delete", args=[template.pk, first.pk]))
    assert texts(template) == ["Kompetanse", "Mål og retning"]


def test_a_point_of_another_template_is_not_found(hr, template):
    other = factories.TemplateFactory(name="Annen")
    point = factories.TemplatePointFactory(template=other, text="Fremmed")
    response = page_client(hr).post(reverse("hr-template-point-delete", args=[template.pk, point.pk]))
    assert response.status_code == 404
    assert TemplatePoint.objects.filter(pk=point.pk).exists()


def test_a_leader_cannot_change_a_template(pair, template):
    leader, _employee = pair
    point = template.points.first()
    response = page_client(leader).post(reverse("hr-template-point-delete", args=[template.pk, point.pk]))
    assert response.status_code == 403
    assert TemplatePoint.objects.filter(pk=point.pk).exists()
    with pytest.raises(NotAllowed):
        template_services.template_point_create(actor=leader, template=template, text="Nei")


def test_new_conversations_start_with_the_edited_template(hr, template):
    cycle = factories.CycleFactory(template=template)
    template_services.template_point_create(actor=hr, template=template, text="Nytt tema", hint="Ny hjelp")
    conversation = factories.make_conversation(cycle=cycle)
    conversation_points = AgendaPoint.objects.filter(conversation=conversation, from_template=True)
    assert "Nytt tema" in set(conversation_points.values_list("text", flat=True))


def test_template_pages_cost_the_same_queries_for_many_points(hr, template, django_assert_max_num_queries):
    client = page_client(hr)
    for n in range(30):
        factories.TemplatePointFactory(template=template, text=f"Tema {n}", order=10 + n)
    for n in range(10):
        factories.TemplateFactory(name=f"Mal {n}")
        factories.CycleFactory(template=template)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("hr-template", args=[template.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("hr-templates")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("hr-home")).status_code == 200
