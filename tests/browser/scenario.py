"""One small organisation with conversations in the states the pages must show, built through the
services. Shared by the accessibility and translation tests; text content is neutral (no words of
either interface language) so the language checks see only the interface."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from conversations import services
from conversations.contract import workflow
from goals import services as goal_services
from goals.models import UnitGoal
from tests import factories
from tests.workflow import confirm_latest


@dataclass(frozen=True)
class Scenario:
    leader: object
    employee: object
    waiting_employee: object
    new_employee: object
    outsider: object
    amended: object  # confirmed once, now amended: two versions, follow-ups, a statement
    awaiting: object  # waiting for the employee's confirmation

    def pages(self):
        """(name, user, path) for every main page."""
        amended, awaiting = self.amended.pk, self.awaiting.pk
        goal = self.amended.goals.order_by("pk").first()
        return [
            ("my employees", self.leader, "/medarbeidere/"),
            ("create conversation", self.leader, f"/medarbeidere/{self.new_employee.pk}/ny-samtale/"),
            ("conversation leader amendment", self.leader, f"/samtaler/{amended}/"),
            ("edit goal", self.leader, f"/samtaler/{amended}/punkter/goal/{goal.pk}/"),
            ("compare versions", self.leader, f"/samtaler/{amended}/sammenlign/?a=1&b=2"),
            ("history", self.leader, f"/samtaler/{amended}/historikk/"),
            ("access log", self.employee, f"/samtaler/{amended}/innsynslogg/"),
            ("deputies", self.leader, "/stedfortredere/"),
            ("my conversations", self.employee, "/samtaler/"),
            ("conversation employee amendment", self.employee, f"/samtaler/{amended}/"),
            ("conversation employee awaiting", self.waiting_employee, f"/samtaler/{awaiting}/"),
            ("conversation leader awaiting", self.leader, f"/samtaler/{awaiting}/"),
            ("unit goals", self.leader, "/enhetsmal/"),
            ("edit unit goal", self.leader, f"/enhetsmal/{UnitGoal.objects.order_by('pk').first().pk}/"),
            ("direction", self.leader, "/retning/"),
            ("403 page", self.employee, f"/samtaler/{amended}/punkter/goal/{goal.pk}/"),
            ("404 page", self.outsider, f"/samtaler/{amended}/"),
        ]


def _items(conversation, leader) -> None:
    goal_services.task_create(conversation=conversation, actor=leader, title="Plan X", description="Phase 1")
    for kind, title in (("result", "Target A"), ("development", "Target B"), ("relational", "Target C")):
        goal_services.goal_create(
            conversation=conversation, actor=leader, title=title, kind=kind, measure="42"
        )
    goal_services.expectation_create(
        conversation=conversation, actor=leader, direction="leader_to_employee", text="Item L"
    )
    goal_services.expectation_create(
        conversation=conversation, actor=leader, direction="employee_to_leader", text="Item E"
    )


def build_scenario() -> Scenario:
    unit = factories.OrgUnitFactory(name="Unit 7")
    leader = factories.LeaderFactory(unit=unit, full_name="Anna Alfa")
    employee = factories.UserFactory(unit=unit, manager=leader, full_name="Bo Beta")
    waiting_employee = factories.UserFactory(unit=unit, manager=leader, full_name="Cy Gamma")
    new_employee = factories.UserFactory(unit=unit, manager=leader, full_name="Di Delta")
    outsider = factories.LeaderFactory(full_name="Ed Epsilon")  # a deputy for a while: a leader
    template = factories.TemplateFactory(name="T-1")
    factories.TemplatePointFactory(template=template, text="Point 1", hint="Hint 1")
    cycle = factories.CycleFactory(name="Round 2027", template=template)

    amended = services.conversation_create(
        actor=leader, employee=employee, cycle=cycle, scheduled_at=timezone.now() + datetime.timedelta(days=3)
    )
    _items(amended, leader)
    services.agenda_point_create(conversation=amended, actor=employee, text="Private 1", shared=False)
    workflow.conversation_submit(conversation_id=amended.pk, actor=leader)
    goal = amended.goals.order_by("pk").first()
    services.item_response_record(
        conversation=amended, actor=employee, stance="disagree", comment="Reason 1", goal=goal
    )
    workflow.conversation_request_changes(conversation_id=amended.pk, actor=employee, comment="Change 1")
    services.comment_create(conversation=amended, actor=leader, text="Reply 1", goal=goal)
    goal_services.item_update(item=goal, actor=leader, title="Target A2")
    workflow.conversation_submit(conversation_id=amended.pk, actor=leader)
    confirm_latest(amended, employee)
    services.follow_up_create(
        conversation=amended, actor=employee, text="Step 1", goal=goal, progress=30, item_status="on_track"
    )
    services.statement_create(conversation=amended, actor=employee, text="Statement 1")
    workflow.conversation_amend(conversation_id=amended.pk, actor=leader)
    unit_goal = factories.UnitGoalFactory(unit=unit, cycle=cycle, title="Target U1", description="U1")
    factories.UnitGoalFactory(
        unit=factories.OrgUnitFactory(name="Unit 8", parent=unit),
        cycle=cycle,
        title="Target U2",
        supports=unit_goal,
    )
    goal_services.item_update(item=amended.goals.order_by("pk").first(), actor=leader, supports=unit_goal)
    services.access_log_record(conversation=amended, user=employee, channel="web")

    awaiting = services.conversation_create(actor=leader, employee=waiting_employee, cycle=cycle)
    _items(awaiting, leader)
    workflow.conversation_submit(conversation_id=awaiting.pk, actor=leader)

    services.deputy_grant_create(
        leader=leader,
        deputy=outsider,
        until=timezone.localdate() + datetime.timedelta(days=5),
        conversation=amended,
    )
    services.deputy_grant_end(grant=leader.deputy_grants_given.get(), actor=leader)
    services.deputy_grant_create(
        leader=leader,
        deputy=factories.LeaderFactory(full_name="Fa Zeta"),
        until=timezone.localdate() + datetime.timedelta(days=30),
    )
    return Scenario(leader, employee, waiting_employee, new_employee, outsider, amended, awaiting)
