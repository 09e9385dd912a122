"""factory_boy factories, one for every concrete model of the project's apps (history event models and
guardian's permission rows aside: those are written by the services).

People are created with ready reporting lines. Whatever a service creates is created through that
service (each such factory's `_create` calls it), so rights, history and versions are written exactly
as in production; those factories support `create()` only. A conversation is led by a new leader of a
new employee unless given; items, comments and agenda points are written by the conversation's leader
unless an `actor` is given; follow-ups go on a confirmed conversation, answers on one awaiting
confirmation. Rows that no service writes by itself (log rows, cached PDFs, outgoing e-mail) are
plain model factories.
"""

import datetime

import factory
from django.utils import timezone

from background.models import OutgoingEmail
from conversations import services as conversation_services
from conversations.models import (
    AccessLogEntry,
    AgendaPoint,
    Comment,
    Confirmation,
    ContractVersion,
    Conversation,
    Cycle,
    DeputyGrant,
    FollowUp,
    HistoryEntry,
    ItemResponse,
    Reminder,
    Status,
    Template,
    TemplatePoint,
)
from goals import proposals as goal_proposals
from goals import services as goal_services
from goals.models import Expectation, Goal, Proposal, Task, UnitGoal
from identity.models import ProvisioningClient, UserSession
from organization.models import OrgUnit, User
from reports.models import PdfArchive, RenderedPdf
from tests.workflow import confirm_latest, submit, walk

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


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


# --- conversations and what the parties write in them (through the services) ---------------------------


class ConversationFactory(factory.django.DjangoModelFactory):
    """A draft without items (`make_conversation` adds one of each kind; `conversation_in` walks one
    into a status)."""

    class Meta:
        model = Conversation

    leader = factory.SubFactory(LeaderFactory)
    employee = factory.SubFactory(
        UserFactory, unit=factory.SelfAttribute("..leader.unit"), manager=factory.SelfAttribute("..leader")
    )
    cycle = None

    @classmethod
    def _create(cls, model_class, *, leader, employee, **kwargs):
        return conversation_services.conversation_create(actor=leader, employee=employee, **kwargs)


class _WrittenInConversation(factory.django.DjangoModelFactory):
    """Something a party writes in a conversation, through the service that writes it (`WRITTEN_BY`);
    `actor` is the leader unless given."""

    class Meta:
        abstract = True

    conversation = factory.SubFactory(ConversationFactory)
    actor = factory.LazyAttribute(lambda o: o.conversation.leader)

    @classmethod
    def _create(cls, model_class, **kwargs):
        return WRITTEN_BY[model_class](**kwargs)


class TaskFactory(_WrittenInConversation):
    class Meta:
        model = Task

    title = factory.Sequence(lambda n: f"Oppgave {n}")


class GoalFactory(_WrittenInConversation):
    class Meta:
        model = Goal

    title = factory.Sequence(lambda n: f"Mål {n}")
    kind = "result"
    measure = "Vedtatt plan"


class ExpectationFactory(_WrittenInConversation):
    class Meta:
        model = Expectation

    direction = "leader_to_employee"
    text = factory.Sequence(lambda n: f"Forventning {n}")


class CommentFactory(_WrittenInConversation):
    class Meta:
        model = Comment

    text = factory.Sequence(lambda n: f"Kommentar {n}")


class AgendaPointFactory(_WrittenInConversation):
    class Meta:
        model = AgendaPoint

    text = factory.Sequence(lambda n: f"Agendapunkt {n}")


class ProposalFactory(_WrittenInConversation):
    """The employee proposes a task on a draft."""

    class Meta:
        model = Proposal

    actor = factory.LazyAttribute(lambda o: o.conversation.employee)
    kind = "task"
    title = factory.Sequence(lambda n: f"Forslag {n}")


class FollowUpFactory(_WrittenInConversation):
    """A note on a confirmed conversation (by default a new one)."""

    class Meta:
        model = FollowUp

    conversation = factory.LazyFunction(lambda: conversation_in(Status.CONFIRMED))
    text = factory.Sequence(lambda n: f"Oppfølging {n}")


class ItemResponseFactory(_WrittenInConversation):
    """The employee's answer on the goal of a conversation awaiting confirmation (by default a new one)."""

    class Meta:
        model = ItemResponse

    conversation = factory.LazyFunction(lambda: conversation_in(Status.AWAITING_CONFIRMATION))
    actor = factory.LazyAttribute(lambda o: o.conversation.employee)
    stance = "agree"
    goal = factory.LazyAttribute(lambda o: o.conversation.goals.order_by("id").first())


WRITTEN_BY = {
    Task: goal_services.task_create,
    Goal: goal_services.goal_create,
    Expectation: goal_services.expectation_create,
    Comment: conversation_services.comment_create,
    AgendaPoint: conversation_services.agenda_point_create,
    Proposal: goal_proposals.proposal_create,
    FollowUp: conversation_services.follow_up_create,
    ItemResponse: conversation_services.item_response_record,
}


class ContractVersionFactory(factory.django.DjangoModelFactory):
    """The version the leader submits (of a new draft with items unless given)."""

    class Meta:
        model = ContractVersion

    conversation = factory.LazyFunction(lambda: make_conversation())

    @classmethod
    def _create(cls, model_class, *, conversation):
        return submit(conversation)


class ConfirmationFactory(factory.django.DjangoModelFactory):
    """The employee's confirmation of the latest version (of a new submitted conversation unless given)."""

    class Meta:
        model = Confirmation

    conversation = factory.LazyFunction(lambda: conversation_in(Status.AWAITING_CONFIRMATION))

    @classmethod
    def _create(cls, model_class, *, conversation):
        return confirm_latest(conversation)


class DeputyGrantFactory(factory.django.DjangoModelFactory):
    """A grant from a leader to another leader for all the leader's conversations (or `conversation`)."""

    class Meta:
        model = DeputyGrant

    leader = factory.SubFactory(LeaderFactory)
    deputy = factory.SubFactory(LeaderFactory)
    until = factory.LazyFunction(lambda: in_days(7))
    conversation = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        return conversation_services.deputy_grant_create(**kwargs)


class UnitGoalFactory(factory.django.DjangoModelFactory):
    """A unit's goal in a cycle, written as the unit goals' service writes it (no actor's reach checked:
    the tests of that reach call `goals.unit_goals` themselves)."""

    class Meta:
        model = UnitGoal

    unit = factory.SubFactory(OrgUnitFactory)
    cycle = factory.SubFactory(CycleFactory)
    title = factory.Sequence(lambda n: f"Enhetsmål {n}")
    supports = None


# --- rows no service writes on its own: logs, caches, outgoing mail, sign-in ----------------------------


class HistoryEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HistoryEntry

    conversation = factory.SubFactory(ConversationFactory)
    actor = factory.LazyAttribute(lambda o: o.conversation.leader)
    action = "updated"


class AccessLogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessLogEntry

    conversation = factory.SubFactory(ConversationFactory)
    user = factory.LazyAttribute(lambda o: o.conversation.leader)
    channel = "web"


class ReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reminder

    conversation = factory.SubFactory(ConversationFactory)
    recipient = factory.LazyAttribute(lambda o: o.conversation.employee)
    kind = Reminder.Kind.AWAITING_CONFIRMATION
    key = factory.Sequence(lambda n: f"key-{n}")


class RenderedPdfFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RenderedPdf

    conversation = factory.SubFactory(ConversationFactory)
    language = "nb"
    key = factory.Sequence(lambda n: f"{n:064x}")
    body = b"%PDF-1.7"


class PdfArchiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PdfArchive

    leader = factory.SubFactory(LeaderFactory)
    cycle = factory.SubFactory(CycleFactory)
    language = "nb"


class OutgoingEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutgoingEmail

    event_key = factory.Sequence(lambda n: f"test:{n}")
    to = factory.Sequence(lambda n: f"mottaker{n}@example.test")
    subject = "Emne"
    body = "Tekst"
    next_attempt_at = factory.LazyFunction(timezone.now)


class ProvisioningClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProvisioningClient

    name = factory.Sequence(lambda n: f"Klient {n}")
    token_hash = factory.Sequence(lambda n: f"{n:064x}")


class UserSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserSession

    user = factory.SubFactory(UserFactory)
    session_key = factory.Sequence(lambda n: f"session{n:033d}")


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
    conversation = ConversationFactory(leader=leader, employee=employee, cycle=cycle)
    if items:
        TaskFactory(conversation=conversation, actor=leader, title="Lede prosjekt X")
        GoalFactory(
            conversation=conversation,
            actor=leader,
            title="Ferdigstille plan",
            kind="result",
            measure="Vedtatt plan",
        )
        ExpectationFactory(
            conversation=conversation, actor=leader, direction="leader_to_employee", text="Si fra tidlig"
        )
    conversation.refresh_from_db()
    return conversation


def conversation_in(status: str, *, leader=None, employee=None, cycle=None) -> Conversation:
    """A new conversation with one item of each kind, walked into `status` through the workflow."""
    conversation = make_conversation(leader=leader, employee=employee, cycle=cycle)
    return walk(conversation, status)


def grant_deputy(leader, *, conversation=None, days: int = 7):
    """A new leader named `leader`'s deputy for `days` (for one conversation, or all); returns the deputy."""
    return DeputyGrantFactory(leader=leader, until=in_days(days), conversation=conversation).deputy
