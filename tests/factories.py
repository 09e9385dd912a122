"""factory_boy factories. People are created with ready reporting lines; conversations through services
so that rights are granted exactly as in production."""

import datetime

import factory
from django.utils import timezone

from conversations import services as conversation_services
from conversations.models import Cycle, Template, TemplatePoint
from goals import services as goal_services
from organization.models import OrgUnit, User

PASSWORD = "Samtale-test-1"


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"Enhet {n}")
    parent = None
    path = factory.LazyAttribute(lambda o: f"{o.parent.path}/{o.name}" if o.parent else o.name)
    depth = factory.LazyAttribute(lambda o: o.parent.depth + 1 if o.parent else 0)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("employee_id",)
        skip_postgeneration_save = True

    employee_id = factory.Sequence(lambda n: f"E{n:05d}")
    full_name = factory.Faker("name", locale="no_NO")
    email = factory.LazyAttribute(lambda o: f"{o.employee_id.lower()}@example.test")
    unit = factory.SubFactory(OrgUnitFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class LeaderFactory(UserFactory):
    is_leader = True


class HRFactory(UserFactory):
    is_hr = True


class TemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Template

    name = "Standardmal"


class TemplatePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplatePoint

    template = factory.SubFactory(TemplateFactory)
    text = factory.Sequence(lambda n: f"Tema {n}")
    order = factory.Sequence(lambda n: n)


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    name = factory.Sequence(lambda n: f"Medarbeidersamtaler {2027 + n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))


def make_pair(unit=None):
    """A leader with one direct report, in the same unit."""
    unit = unit or OrgUnitFactory()
    leader = LeaderFactory(unit=unit)
    employee = UserFactory(unit=unit, manager=leader)
    return leader, employee


def make_conversation(*, leader=None, employee=None, cycle=None, items=True):
    """A draft conversation created through the service, with one item of each kind when `items`."""
    if leader is None or employee is None:
        leader, employee = make_pair()
    conversation = conversation_services.conversation_create(actor=leader, employee=employee, cycle=cycle)
    if items:
        goal_services.task_create(conversation=conversation, actor=leader, title="Lede prosjekt X")
        goal_services.goal_create(
            conversation=conversation,
            actor=leader,
            title="Ferdigstille plan",
            kind="result",
            measure="Vedtatt plan",
        )
        goal_services.expectation_create(
            conversation=conversation, actor=leader, direction="leader_to_employee", text="Si fra tidlig"
        )
    conversation.refresh_from_db()
    return conversation
