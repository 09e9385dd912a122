"""`python manage.py seed_demo`: a demo municipality with conversations in every state, and its logins.

Everything that touches a conversation goes through the services and the workflow, so rights, versions
and history are exactly what real use would produce. A second run finds the demo (the current cycle
with demo conversations), resets the demo passwords and prints the logins again; it creates nothing.
"""

import datetime
from contextlib import contextmanager

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from conversations import services
from conversations.contract import workflow
from conversations.models import (
    AgendaPoint,
    ContractVersion,
    Conversation,
    Cycle,
    Status,
    Template,
    TemplatePoint,
)
from core.audit import audited_command
from demo import crowd
from demo import demo_data as demo
from goals import services as goal_services
from goals import unit_goals
from goals.models import Expectation, Goal, Task, UnitGoal
from organization.models import PATH_SEPARATOR, OrgUnit, User

ITEM_MODELS = {"task": Task, "goal": Goal, "expectation": Expectation}
STEP_MINUTES = 4


def demo_exists() -> bool:
    return Conversation.objects.filter(
        cycle__name=demo.CURRENT_CYCLE, employee__employee_id__in=demo.DEMO_IDS
    ).exists()


def _day(today: datetime.date, days: int) -> datetime.date:
    return today + datetime.timedelta(days=days)


def _moment(today: datetime.date, days: int, minutes: int) -> datetime.datetime:
    start = datetime.datetime.combine(_day(today, days), datetime.time(10, 0))
    return timezone.make_aware(start) + datetime.timedelta(minutes=minutes)


@contextmanager
def _clock(moment: datetime.datetime):
    """Let `timezone.now()` answer `moment`, so the story's rows carry the dates they would have had.

    Model defaults hold a reference to `timezone.now` itself, so patching that name would not reach
    them; the function reads `datetime.now` from its module, which is what is swapped here.
    """

    class Frozen(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return moment.astimezone(tz)

    original = timezone.datetime
    timezone.datetime = Frozen
    try:
        yield
    finally:
        timezone.datetime = original


# --- organisation -------------------------------------------------------------------------------------


def _ensure_units() -> dict[str, OrgUnit]:
    units: dict[str, OrgUnit] = {}
    for full_path in demo.UNITS:
        parent = None
        names = full_path.split(PATH_SEPARATOR)
        for depth, name in enumerate(names):
            path = PATH_SEPARATOR.join(names[: depth + 1])
            if path not in units:
                units[path], _created = OrgUnit.objects.get_or_create(
                    path=path, defaults={"name": name, "parent": parent, "depth": depth}
                )
            parent = units[path]
    return units


def _ensure_people(password_hash: str) -> dict[str, User]:
    """Create or update the demo people. A changed manager moves access as the org import would."""
    units = _ensure_units()
    people: dict[str, User] = {}
    for person in demo.PEOPLE:
        old_manager_id = (
            User.objects.filter(employee_id=person.employee_id).values_list("manager_id", flat=True).first()
        )
        user, created = User.objects.update_or_create(
            employee_id=person.employee_id,
            defaults={
                "full_name": person.full_name,
                "email": person.email,
                "unit": units[person.unit],
                "manager": people.get(person.manager),
                "is_leader": person.leader,
                "is_hr": person.hr,
                "is_active": True,
                "left_on": None,
                "password": password_hash,
            },
        )
        if not created and old_manager_id != user.manager_id:
            services.employee_manager_changed(employee=user)
        people[person.employee_id] = user
    return people


def _ensure_admin(password_hash: str) -> None:
    """The superuser, in the HR unit: someone without a unit would be a group of one in HR's
    statistics, and hiding it would hide figures of the whole organisation."""
    User.objects.update_or_create(
        employee_id=demo.ADMIN_ID,
        defaults={
            "unit": OrgUnit.objects.filter(path=demo.HR_UNIT).first(),
            "full_name": demo.ADMIN_NAME,
            "email": demo.ADMIN_EMAIL,
            "is_staff": True,
            "is_superuser": True,
            "is_active": True,
            "password": password_hash,
        },
    )


def _ensure_cycles(today: datetime.date) -> dict[str, Cycle]:
    template, created = Template.objects.get_or_create(name=demo.TEMPLATE_NAME)
    if created:
        TemplatePoint.objects.bulk_create(
            TemplatePoint(template=template, text=text, hint=hint, order=order)
            for order, (text, hint) in enumerate(demo.TEMPLATE_POINTS)
        )
    cycles = {}
    for name, (starts, deadline) in demo.CYCLES.items():
        cycles[name], _created = Cycle.objects.get_or_create(
            name=name,
            defaults={
                "starts_on": _day(today, starts),
                "deadline": _day(today, deadline),
                "template": template,
            },
        )
    return cycles


# --- conversations ------------------------------------------------------------------------------------


def _item_fields(data: dict, today: datetime.date) -> dict:
    fields = {k: v for k, v in data.items() if k not in ("model", "due")}
    if "due" in data:
        fields["due_date"] = _day(today, data["due"]) if data["due"] is not None else None
    if "supports" in data:
        path, title = data["supports"]
        fields["supports"] = UnitGoal.objects.get(
            cycle__name=demo.CURRENT_CYCLE, unit__path=path, title=title
        )
    return fields


def _ensure_unit_goals(cycles: dict[str, Cycle], hr: User) -> None:
    """The current cycle's unit goals on three levels, published by HR, each after the one it supports."""
    cycle = cycles[demo.CURRENT_CYCLE]
    units = {u.path: u for u in OrgUnit.objects.all()}
    published: dict[tuple[str, str], UnitGoal] = {}
    for path, title, description, supports in demo.UNIT_GOALS:
        existing = UnitGoal.objects.filter(cycle=cycle, unit=units[path], title=title).first()
        published[(path, title)] = existing or unit_goals.unit_goal_create(
            actor=hr,
            unit=units[path],
            cycle=cycle,
            title=title,
            description=description,
            supports=published[supports] if supports else None,
        )


class Play:
    """Plays one Story through the services, each step at its own moment."""

    def __init__(self, story: demo.Story, *, today, cycles: dict[str, Cycle], people: dict[str, User]):
        self.story = story
        self.today = today
        self.people = people
        self.employee = people[story.employee]
        self.leader = self.employee.manager
        self.cycle = cycles[story.cycle]
        self.conversation: Conversation | None = None

    def run(self) -> Conversation:
        story = self.story
        with _clock(_moment(self.today, story.created, 0)):
            self.conversation = services.conversation_create(
                actor=self.leader,
                employee=self.employee,
                cycle=self.cycle,
                scheduled_at=_moment(self.today, story.meeting, -60),
                carry_over=story.carry_over,
            )
        recorded_on = min(story.meeting, max(story.created, -1))
        timeline = [demo.Step(recorded_on, "record_items")]
        timeline += sorted(story.steps, key=lambda step: step.day)
        for minutes, step in enumerate(timeline, start=1):
            with _clock(_moment(self.today, step.day, minutes * STEP_MINUTES)):
                getattr(self, f"do_{step.action}")(step)
        return self.conversation

    # helpers

    def actor(self, who: str) -> User:
        return {demo.LEADER: self.leader, demo.EMPLOYEE: self.employee}.get(who) or self.people[who]

    def item(self, step: demo.Step) -> dict:
        if step.item is None:
            return {}
        kind, key = step.item
        items = getattr(self.conversation, f"{kind}s")
        found = items.get(text__startswith=key) if kind == "expectation" else items.get(title=key)
        return {kind: found}

    # actions

    def do_record_items(self, step):
        for data in self.story.items:
            goal_services.item_create(
                model=ITEM_MODELS[data["model"]],
                conversation=self.conversation,
                actor=self.leader,
                **_item_fields(data, self.today),
            )
        if self.story.meeting < 0:
            self.conversation = services.conversation_update(
                conversation=self.conversation,
                actor=self.leader,
                held_on=_day(self.today, self.story.meeting),
            )

    def do_add(self, step):
        model = ITEM_MODELS[step.data["model"]]
        goal_services.item_create(
            model=model,
            conversation=self.conversation,
            actor=self.leader,
            **_item_fields(step.data, self.today),
        )

    def do_update(self, step):
        (item,) = self.item(step).values()
        goal_services.item_update(item=item, actor=self.leader, **_item_fields(step.data, self.today))

    def do_agenda(self, step):
        services.agenda_point_create(
            conversation=self.conversation,
            actor=self.actor(step.by),
            text=step.text,
            shared=step.data.get("shared", True),
        )

    def do_share_agenda(self, step):
        point = AgendaPoint.objects.get(conversation=self.conversation, text=step.text)
        services.agenda_point_share(point=point, actor=self.actor(step.by))

    def do_submit(self, step):
        workflow.conversation_submit(conversation_id=self.conversation.pk, actor=self.leader)

    def do_respond(self, step):
        services.item_response_record(
            conversation=self.conversation,
            actor=self.employee,
            stance=step.data["stance"],
            comment=step.text,
            **self.item(step),
        )

    def do_confirm(self, step):
        latest = ContractVersion.objects.filter(conversation=self.conversation).order_by("-number").first()
        workflow.conversation_confirm(
            conversation_id=self.conversation.pk,
            actor=self.employee,
            version=latest.number,
            sha256=latest.sha256,
        )

    def do_request_changes(self, step):
        workflow.conversation_request_changes(
            conversation_id=self.conversation.pk, actor=self.employee, comment=step.text
        )

    def do_comment(self, step):
        services.comment_create(
            conversation=self.conversation, actor=self.actor(step.by), text=step.text, **self.item(step)
        )

    def do_statement(self, step):
        services.statement_create(conversation=self.conversation, actor=self.employee, text=step.text)

    def do_follow_up(self, step):
        services.follow_up_create(
            conversation=self.conversation,
            actor=self.actor(step.by),
            text=step.text,
            progress=step.data["progress"],
            item_status=step.data["item_status"],
            **self.item(step),
        )

    def do_amend(self, step):
        workflow.conversation_amend(conversation_id=self.conversation.pk, actor=self.leader)

    def do_close(self, step):
        workflow.conversation_close(conversation_id=self.conversation.pk, actor=self.leader)

    def do_cancel(self, step):
        workflow.conversation_cancel(conversation_id=self.conversation.pk, actor=self.leader)

    def do_grant_deputy(self, step):
        services.deputy_grant_create(
            leader=self.leader,
            deputy=self.people[step.data["deputy"]],
            until=_day(self.today, step.data["until"]),
        )


def build_demo(password_hash: str, *, with_crowd: bool = True) -> None:
    people = _ensure_people(password_hash)
    _ensure_admin(password_hash)
    today = timezone.localdate()
    cycles = _ensure_cycles(today)
    _ensure_unit_goals(cycles, next(p for p in people.values() if p.is_hr))
    for story in demo.STORIES:
        Play(story, today=today, cycles=cycles, people=people).run()
    if with_crowd:
        crowd.build_crowd(password_hash=password_hash, cycles=cycles, today=today, clock=_clock)


def reset_passwords(password_hash: str) -> None:
    _ensure_admin(password_hash)
    User.objects.filter(employee_id__in=demo.DEMO_IDS).update(password=password_hash)


class Command(BaseCommand):
    help = "Create a demo organisation (Oslo kommune) with conversations in every state; print the logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-crowd",
            action="store_true",
            help="Only the story's people, without the few hundred colleagues that give HR real figures.",
        )

    @audited_command
    def handle(self, *args, **options):
        # One hash for everyone: they share one published password, and hashing it per person
        # (hundreds of milliseconds each) would make the command slow.
        password_hash = make_password(demo.DEMO_PASSWORD)
        if demo_exists():
            reset_passwords(password_hash)
            self.stdout.write(_("The demo organisation already exists; the demo passwords were reset."))
        else:
            # The story's notifications are news to nobody: the demo addresses are on example.org.
            with (
                override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
                transaction.atomic(),
            ):
                build_demo(password_hash, with_crowd=not options["without_crowd"])
            self.stdout.write(self.style.SUCCESS(_("Created the demo organisation.")))
        self.stdout.write(self.logins_table())

    def logins_table(self) -> str:
        people = {
            u.employee_id: u
            for u in User.objects.select_related("unit").filter(employee_id__in=demo.DEMO_IDS)
        }
        statuses = dict(
            Conversation.objects.filter(cycle__name=demo.CURRENT_CYCLE, employee__in=people.values())
            .order_by("created_at")
            .values_list("employee__employee_id", "status")
        )
        header = (_("Username"), _("Name"), _("Roles"), _("Unit"), demo.CURRENT_CYCLE, _("Password"))
        rows = [(demo.ADMIN_ID, demo.ADMIN_NAME, _("superuser, /admin/"), "", "", demo.DEMO_PASSWORD)]
        for employee_id in demo.DEMO_IDS:
            user = people.get(employee_id)
            if user is None:  # removed by hand since the demo was made
                continue
            unit = user.unit.name if user.unit_id else ""
            status = Status(statuses[employee_id]).label if employee_id in statuses else "–"
            rows.append(
                (employee_id, user.full_name, ", ".join(user.roles), unit, status, demo.DEMO_PASSWORD)
            )
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
        lines = [
            "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
            for row in [header, *rows]
        ]
        lines.insert(1, "  ".join("-" * width for width in widths))
        return "\n" + "\n".join(line.rstrip() for line in lines) + "\n"
