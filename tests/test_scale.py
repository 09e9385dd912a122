"""`seed_scale` at 500 people (the benchmark's organisation in small) and the measured endpoints on it.

The data is built once for the module (committed, wiped at the end); tests that write run inside their
own transaction as usual. The query counts asserted here are `demo.scale_data.QUERY_COUNTS`, which the
benchmark (bench/run_bench.py) counts again on 50,000 people: they must not grow with the organisation.
"""

import datetime
import json
from collections import Counter, defaultdict

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from conversations import fast_reads, selectors
from conversations.access.permissions import (
    _active_grants_by_leader,
    conversation_access,
    desired_perms,
    sync_conversation_permissions,
)
from conversations.api.serializers import output
from conversations.api.serializers.conversations import ConversationDetailSerializer, ConversationSerializer
from conversations.contract import canonical as contract
from conversations.models import (
    AccessLogEntry,
    Comment,
    Confirmation,
    ContractVersion,
    Conversation,
    ConversationUserObjectPermission,
    Cycle,
    DeputyGrant,
    FollowUp,
    Status,
    visible_conditions,
)
from demo.management.commands.seed_scale import wipe
from demo.scale_data import QUERY_COUNTS, TOP_UNIT, bench_calls
from organization.models import OrgUnit, User

PEOPLE = 500


def seed():
    call_command(
        "seed_scale", employees=PEOPLE, cycles=2, no_progress=True, check_foreign_keys=True, verbosity=0
    )


@pytest.fixture(scope="module")
def scale(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        seed()
        yield
        wipe()


pytestmark = pytest.mark.usefixtures("scale")


# --- the shape of the organisation ----------------------------------------------------------------------


@pytest.mark.django_db
def test_about_one_leader_per_ten_people_on_four_levels():
    assert User.objects.count() == PEOPLE
    leaders = User.objects.filter(is_leader=True).count()
    assert PEOPLE / 12 <= leaders <= PEOPLE / 8
    assert set(OrgUnit.objects.values_list("depth", flat=True)) == {0, 1, 2, 3}
    assert OrgUnit.objects.filter(depth=0).get().path == TOP_UNIT
    assert User.objects.filter(is_hr=True).exists()


@pytest.mark.django_db
def test_every_unit_has_one_leader_who_reports_to_the_leader_above():
    leader_of = dict(User.objects.filter(is_leader=True).values_list("unit_id", "id"))
    assert len(leader_of) == OrgUnit.objects.count() == User.objects.filter(is_leader=True).count()
    for unit in OrgUnit.objects.all():
        leader = User.objects.get(pk=leader_of[unit.pk])
        assert leader.manager_id == (leader_of[unit.parent_id] if unit.parent_id else None)
    # Everyone but the top leader has a manager, who is a leader.
    assert User.objects.filter(manager__isnull=True).count() == 1
    assert not User.objects.filter(manager__is_leader=False).exists()


@pytest.mark.django_db
def test_conversations_in_every_state_in_both_cycles():
    statuses = Counter(Conversation.objects.values_list("status", flat=True))
    assert set(statuses) == set(Status.values)
    assert Conversation.objects.values("cycle").distinct().count() == 2
    # Amendments in progress (a draft with a binding version) and contracts confirmed on a second version.
    assert Conversation.objects.filter(status=Status.DRAFT, confirmed_version__isnull=False).exists()
    assert ContractVersion.objects.filter(number=2).exists()
    confirmed = Conversation.objects.filter(confirmed_version__isnull=False)
    assert (
        4 <= sum(c.goals.count() + c.tasks.count() + c.expectations.count() for c in confirmed[:50]) / 50 <= 6
    )
    assert FollowUp.objects.filter(conversation__in=confirmed).count() > confirmed.count()


@pytest.mark.django_db
def test_versions_hold_the_canonical_content_and_confirmations_its_hash():
    conversations = Conversation.objects.select_related("employee", "leader", "cycle").filter(
        versions__isnull=False
    )
    for conversation in conversations.distinct():
        latest = conversation.versions.order_by("-number").first()
        canonical = contract.canonical_json(contract.contract_content(conversation))
        assert latest.canonical_json == canonical
        assert latest.sha256 == contract.sha256_of(canonical)
    for confirmation in Confirmation.objects.select_related("version"):
        assert confirmation.sha256 == confirmation.version.sha256
    binding = Conversation.objects.filter(confirmed_version__isnull=False)
    assert not binding.filter(confirmed_version__confirmation__isnull=True).exists()


@pytest.mark.django_db
def test_rights_are_exactly_what_the_services_grant():
    conversations = list(Conversation.objects.select_related("employee").order_by("pk"))
    grants = _active_grants_by_leader(c.leader_id for c in conversations)
    held = defaultdict(set)
    for conversation_id, user_id, codename in ConversationUserObjectPermission.objects.values_list(
        "content_object_id", "user_id", "permission__codename"
    ):
        held[conversation_id, user_id].add(codename)
    for conversation in conversations[::7]:
        wanted = {(conversation.pk, u): c for u, c in desired_perms(conversation, grants).items()}
        assert {k: v for k, v in held.items() if k[0] == conversation.pk} == wanted
    # And the service that keeps them in line finds nothing to change.
    before = ConversationUserObjectPermission.objects.count()
    sync_conversation_permissions(conversations)
    assert ConversationUserObjectPermission.objects.count() == before
    assert DeputyGrant.objects.filter(ended_at__isnull=True).exists()


@pytest.mark.django_db
def test_foreign_keys_hold():
    connection.check_constraints()


@pytest.mark.django_db
def test_seed_scale_runs_again_and_refuses_other_data():
    counts = (User.objects.count(), Conversation.objects.count())
    seed()
    assert (User.objects.count(), Conversation.objects.count()) == counts
    OrgUnit.objects.filter(depth=0).update(name="Annen kommune", path="Annen kommune")
    with pytest.raises(CommandError, match="did not make"):
        seed()


# --- the measured endpoints -----------------------------------------------------------------------------


def send(client, call, token: str):
    if call.session:  # a page: the client is signed in (see the test below)
        return client.get(call.path)
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    if call.method == "POST":
        return client.post(call.path, json.dumps(call.body), content_type="application/json", **headers)
    return client.get(call.path, **headers)


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", QUERY_COUNTS)
def test_query_count_of_each_measured_endpoint(endpoint, django_assert_num_queries):
    warm, measured = bench_calls(limit=10)[endpoint][:2]
    tokens = {c.user_id: Token.objects.get_or_create(user_id=c.user_id)[0].key for c in (warm, measured)}
    client = Client()
    if warm.session:
        client.force_login(User.objects.get(pk=warm.user_id))
    send(client, warm, tokens[warm.user_id])
    if measured.session:
        client.force_login(User.objects.get(pk=measured.user_id))
    with django_assert_num_queries(QUERY_COUNTS[endpoint]):
        response = send(client, measured, tokens[measured.user_id])
    assert response.status_code in (200, 201)


@pytest.mark.django_db
def test_the_detail_reads_what_the_prefetches_read():
    confirmed = Conversation.objects.filter(confirmed_version__isnull=False).order_by("pk")[:20]
    drafts = Conversation.objects.filter(status=Status.DRAFT, confirmed_version__isnull=True)[:5]
    for conversation in [*confirmed, *drafts]:
        fast = Conversation.objects.get(pk=conversation.pk)
        selectors.load_contract(fast)
        (slow,) = Conversation.objects.filter(pk=conversation.pk).prefetch_related(
            *selectors.contract_prefetches()
        )
        for attr in ("task_list", "goal_list", "expectation_list", "version_list"):
            fields = ("pk", "created_at", "updated_at", "due_date", "latest_status", "latest_progress")
            fields += ("number", "sha256", "submitted_at", "confirmed_at")
            rows = [[getattr(r, f, None) for f in fields] for r in getattr(fast, attr)]
            assert rows == [[getattr(r, f, None) for f in fields] for r in getattr(slow, attr)]
        assert any(v.confirmed_at for v in fast.version_list) == (
            conversation.confirmed_version_id is not None
        )


@pytest.mark.django_db
def test_the_visibility_filter_is_the_visibility_conditions():
    """`visible_to` selects what the conditions select, also for a deputy whose grant ran out
    yesterday (stale rights)."""
    leader = User.objects.filter(is_leader=True, unit__depth=3, reports__isnull=False).first()
    deputy = User.objects.filter(is_leader=True).exclude(pk=leader.pk).first()
    today = timezone.localdate()
    DeputyGrant.objects.create(leader=leader, deputy=deputy, until=today - datetime.timedelta(days=1))
    view = Permission.objects.get(codename="view_conversation")
    ConversationUserObjectPermission.objects.bulk_create(
        ConversationUserObjectPermission(content_object=c, user=deputy, permission=view)
        for c in Conversation.objects.filter(leader=leader)
    )
    people = [leader, deputy, *User.objects.filter(is_active=True).order_by("pk")[::25]]
    for person in people:
        expected = Conversation.objects.filter(visible_conditions(person.pk, today))
        assert set(Conversation.objects.visible_to(person)) == set(expected)
        # The API list's hand-written SQL selects the same, in the list's order.
        ordered = list(expected.order_by("-created_at", "-id").values_list("pk", flat=True))
        assert fast_reads.visible_conversation_ids(user=person) == ordered
    assert not Conversation.objects.visible_to(deputy).filter(leader=leader).exists()
    assert not set(fast_reads.visible_conversation_ids(user=deputy)) & {
        c.pk for c in Conversation.objects.filter(leader=leader)
    }
    DeputyGrant.objects.filter(deputy=deputy).update(until=today)
    assert Conversation.objects.visible_to(deputy).filter(leader=leader).exists()
    assert set(fast_reads.visible_conversation_ids(user=deputy)) >= {
        c.pk for c in Conversation.objects.filter(leader=leader)
    }


@pytest.mark.django_db
def test_a_list_page_reads_only_what_it_shows(django_assert_num_queries):
    for leader in User.objects.filter(is_leader=True).order_by("pk")[:10]:
        ids = selectors.visible_conversation_ids(user=leader)
        with django_assert_num_queries(1 if ids else 0):
            page = ConversationSerializer(selectors.conversations_in_order(ids), many=True).data
        full = ConversationSerializer(list(selectors.conversation_list(user=leader)), many=True).data
        assert json.dumps(page) == json.dumps(full)


@pytest.mark.django_db
def test_the_api_list_page_is_the_serializers_output(django_assert_num_queries):
    """The API's list page (`fast_reads.conversation_page`, hand-written SQL) and the explicit output
    of the ORM's objects (`output.conversation_list`) are DRF's ConversationSerializer output, for
    leaders, employees and HR, with and without filters."""
    cycle = Conversation.objects.order_by("-cycle_id").values_list("cycle_id", flat=True).first()
    people = [
        *User.objects.filter(is_leader=True).order_by("pk")[:8],
        *User.objects.filter(is_leader=False).order_by("pk")[:8],
        *User.objects.filter(is_hr=True).order_by("pk")[:2],
    ]
    compared = 0
    for person in people:
        for filters in ({}, {"cycle": cycle}, {"status": Status.CONFIRMED}):
            ids = selectors.visible_conversation_ids(user=person, **filters)[:50]
            objects = selectors.conversations_in_order(ids)
            expected = json.dumps(ConversationSerializer(objects, many=True).data)
            assert json.dumps(output.conversation_list(objects)) == expected
            with django_assert_num_queries(1 if ids else 0):
                page = fast_reads.conversation_page(ids)
            assert json.dumps(page) == expected
            compared += len(ids)
    assert compared > 50


@pytest.mark.django_db
def test_the_api_detail_is_the_serializers_output_of_the_orms_reads():
    """The API's detail reads (`fast_reads.conversation_access`, `fast_reads.load_contract`) load what
    the ORM loads, and `output.conversation_detail` writes DRF's ConversationDetailSerializer output:
    for the employee, the leader and a deputy, drafts and confirmed contracts."""
    confirmed = Conversation.objects.filter(confirmed_version__isnull=False).order_by("pk")[:15]
    drafts = Conversation.objects.filter(status=Status.DRAFT).order_by("pk")[:5]
    granted = DeputyGrant.objects.filter(ended_at__isnull=True).order_by("pk")[:5]
    cases = [(c.employee, c) for c in [*confirmed, *drafts]] + [(c.leader, c) for c in confirmed[:5]]
    for grant in granted:
        for conversation in Conversation.objects.filter(leader=grant.leader).order_by("pk")[:2]:
            cases.append((grant.deputy, conversation))
    with_contract = 0
    for user, conversation in cases:
        fast = fast_reads.conversation_access(user, conversation.pk)
        orm = conversation_access(user, conversation.pk, related=selectors.PERSON_FIELDS)
        assert (fast.perms, fast.holders) == (orm.perms, orm.holders)
        assert fields(fast.conversation) == fields(orm.conversation)
        for name in selectors.PERSON_FIELDS:
            assert fields(getattr(fast.conversation, name)) == fields(getattr(orm.conversation, name))
        fast_detail = selectors.conversation_detail(
            conversation=fast.conversation, user=user, access=fast, load=fast_reads.load_contract
        )
        orm_detail = selectors.conversation_detail(conversation=orm.conversation, user=user, access=orm)
        for attr in ("task_list", "goal_list", "expectation_list", "version_list"):
            assert [fields(o) for o in getattr(fast_detail, attr)] == [
                fields(o) for o in getattr(orm_detail, attr)
            ]
        expected = json.dumps(ConversationDetailSerializer(orm_detail).data)
        assert json.dumps(output.conversation_detail(orm_detail)) == expected
        assert json.dumps(output.conversation_detail(fast_detail)) == expected
        with_contract += bool(fast_detail.goal_list and fast_detail.version_list)
    assert with_contract >= 10
    user = User.objects.filter(is_active=True).first()
    for pk in (0, -1, 2**63, "x", Conversation.objects.order_by("-pk").first().pk + 1):
        with pytest.raises(Http404):
            fast_reads.conversation_access(user, pk)
    hidden = Conversation.objects.exclude(employee=user).exclude(leader=user).first()
    with pytest.raises(Http404):
        fast_reads.conversation_access(user, hidden.pk)


@pytest.mark.django_db
def test_the_list_ids_are_the_lists():
    """The ids of the API's list (`visible_conversation_ids`): the same ids in the same order as
    `conversation_list`, for every combination of filters, and none for a left user."""
    cycle = Conversation.objects.order_by("-cycle_id").values_list("cycle_id", flat=True).first()
    leaders = list(User.objects.filter(is_leader=True).order_by("pk")[:6])
    for leader in leaders:
        employee = Conversation.objects.filter(leader=leader).values_list("employee_id", flat=True).first()
        for filters in (
            {},
            {"status": Status.CONFIRMED},
            {"cycle": cycle},
            {"employee": employee},
            {"status": Status.DRAFT, "cycle": cycle, "employee": employee},
            {"status": ""},
        ):
            expected = list(selectors.conversation_list(user=leader, **filters).values_list("pk", flat=True))
            assert selectors.visible_conversation_ids(user=leader, **filters) == expected
            assert fast_reads.visible_conversation_ids(user=leader, **filters) == expected
    leaders[0].is_active = False
    assert selectors.visible_conversation_ids(user=leaders[0]) == []
    assert fast_reads.visible_conversation_ids(user=leaders[0]) == []


def fields(obj) -> dict | None:
    """An object's loaded column values (None for no object)."""
    if obj is None:
        return None
    return {name: value for name, value in vars(obj).items() if not name.startswith("_")}


@pytest.mark.django_db
def test_the_reads_of_a_request_are_the_orms():
    """Conversation with its relations, rights and the locked row: the same objects and values as the
    ORM reads; a missing or absurd id is a 404."""
    from django.db import transaction
    from django.http import Http404

    from conversations import services
    from conversations.access.permissions import ACCESS_RELATED, rights_holders

    for conversation in Conversation.objects.order_by("pk")[::40]:
        for related in (ACCESS_RELATED, selectors.PERSON_FIELDS, ("employee",)):
            access = conversation_access(conversation.employee, conversation.pk, related=related)
            orm = Conversation.objects.select_related(*related).get(pk=conversation.pk)
            assert access.conversation.__dict__.keys() == orm.__dict__.keys()
            for name in related:
                assert getattr(access.conversation, name) == getattr(orm, name)
                assert fields(getattr(access.conversation, name)) == fields(getattr(orm, name))
            assert fields(access.conversation) == fields(orm)
        held = defaultdict(set)
        for user_id, codename in ConversationUserObjectPermission.objects.filter(
            content_object=conversation
        ).values_list("user_id", "permission__codename"):
            held[user_id].add(codename)
        assert rights_holders(conversation) == {user: frozenset(c) for user, c in held.items()}
        with transaction.atomic():
            locked = services._fresh(conversation)
            assert (locked.employee, locked.leader, locked.status) == (
                conversation.employee,
                conversation.leader,
                conversation.status,
            )
    user = User.objects.filter(is_active=True).first()
    for pk in (0, -1, 2**63, "x", Conversation.objects.order_by("-pk").first().pk + 1):
        with pytest.raises(Http404):
            conversation_access(user, pk)


@pytest.mark.django_db
def test_unit_goals_about_three_per_unit_with_contracts_supporting_them():
    from conversations.models import Cycle
    from goals.models import Goal, UnitGoal
    from organization.models import OrgUnit

    assert UnitGoal.objects.count() == 3 * OrgUnit.objects.count() * Cycle.objects.count()
    below_top = UnitGoal.objects.exclude(unit__parent=None).select_related("unit", "supports__unit")
    for goal in below_top[:300]:
        assert goal.supports.cycle_id == goal.cycle_id
        assert goal.supports.unit_id == goal.unit.parent_id
    goals = Goal.objects.count()
    assert 0.45 * goals <= Goal.objects.filter(supports__isnull=False).count() <= 0.75 * goals
    linked = Goal.objects.filter(supports__isnull=False).select_related(
        "conversation__unit", "supports__unit"
    )
    for goal in linked[:300]:
        assert goal.supports.cycle_id == goal.conversation.cycle_id
        assert goal.conversation.unit.path.startswith(goal.supports.unit.path)


@pytest.mark.django_db
def test_the_leaders_direction_reads_in_five_queries(django_assert_num_queries):
    from conversations.models import Cycle
    from goals.selectors import direction
    from organization.models import User

    cycle = Cycle.objects.order_by("-starts_on").first()
    for leader in User.objects.filter(is_leader=True).select_related("unit").order_by("pk")[:3]:
        with django_assert_num_queries(5):
            data = direction(leader, cycle)
        assert len(data.goals) == 3


# --- what waits on whom (conversations.notify.waiting) ------------------------------------------------------


def add_every_waiting_kind(now):
    """On top of the seeded organisation: questions open and answered, asked by either side, on the
    contract or an item; items at risk or off track, replied to or not; statements read or not;
    proposals pending and declined (seen by the employee or not); conversations with no cycle (the
    default interval) and a cycle with a short one; deputies for the leaders concerned."""
    from goals.models import Proposal

    confirmed = list(Conversation.objects.filter(status=Status.CONFIRMED).order_by("pk")[:80])
    for i, conversation in enumerate(confirmed):
        add_dialogue(conversation, i, now - datetime.timedelta(days=150 - i, minutes=i))
    Conversation.objects.filter(pk__in=[c.pk for c in confirmed[::7]]).update(cycle=None)
    Cycle.objects.filter(pk=confirmed[1].cycle_id).update(check_in_days=30)
    drafts = list(Conversation.objects.filter(status=Status.DRAFT).order_by("pk")[:40])
    for i, conversation in enumerate(drafts):
        at = now - datetime.timedelta(days=40 - i, minutes=i)
        state = ("pending", "declined", "declined", "accepted")[i % 4]
        proposal = Proposal.objects.create(
            conversation=conversation, author_id=conversation.employee_id, kind="task", title="Forslag"
        )
        decided = (
            {"decided_at": at + datetime.timedelta(hours=1), "reason": "Nei"} if state != "pending" else {}
        )
        Proposal.objects.filter(pk=proposal.pk).update(created_at=at, state=state, **decided)
        if i % 8 == 1:  # the employee has seen the decline
            AccessLogEntry.objects.create(
                conversation=conversation,
                user_id=conversation.employee_id,
                channel="web",
                accessed_at=at + datetime.timedelta(hours=2),
            )
    add_deputies({c.leader_id for c in confirmed[:30] + drafts[:10]}, now)


def add_dialogue(conversation, i, at):
    from goals.models import Expectation, Goal, Task

    hour = datetime.timedelta(hours=1)
    sides = (conversation.employee_id, conversation.leader_id)
    asker, other = sides[i % 2], sides[1 - i % 2]
    model = (None, Goal, Task, Expectation)[i % 4]
    item = model.objects.filter(conversation=conversation).first() if model else None
    on_item = {model.__name__.lower(): item} if item else {}
    question = FollowUp.objects.create(
        conversation=conversation,
        author_id=asker,
        kind="question",
        text="Er vi på rett vei?",
        created_at=at,
        item_status="at_risk" if i % 9 == 0 else "",
        **on_item,
    )
    if i % 3 == 0:
        FollowUp.objects.create(
            conversation=conversation,
            author_id=other,
            kind="answer",
            answers=question,
            answer="talk",
            text="La oss snakke",
            created_at=at + hour,
        )
    if i % 2 == 0:
        FollowUp.objects.create(
            conversation=conversation,
            author_id=asker,
            text="Hm",
            created_at=at + 2 * hour,
            item_status=("at_risk", "off_track")[i % 4 // 2],
            **on_item,
        )
    if i % 10 == 0:  # a reply from the same side does not answer it; one from the other side does
        FollowUp.objects.create(
            conversation=conversation, author_id=sides[i % 20 // 10], text="Ok", created_at=at + 3 * hour
        )
    if i % 5 == 0:
        Comment.objects.create(
            conversation=conversation,
            author_id=conversation.employee_id,
            kind=Comment.Kind.STATEMENT,
            text="Mitt siste ord",
            created_at=at + 4 * hour,
        )
        if i % 15 == 0:
            AccessLogEntry.objects.create(
                conversation=conversation,
                user_id=conversation.leader_id,
                channel="web",
                accessed_at=at + 5 * hour,
            )


def add_deputies(leader_ids, now):
    view = Permission.objects.get(codename="view_conversation")
    leaders = sorted(leader_ids)
    for i, leader_id in enumerate(leaders):
        deputy_id = leaders[(i + 1) % len(leaders)]
        DeputyGrant.objects.create(
            leader_id=leader_id, deputy_id=deputy_id, until=now.date() + datetime.timedelta(days=10)
        )
        ConversationUserObjectPermission.objects.bulk_create(
            [
                ConversationUserObjectPermission(content_object=c, user_id=deputy_id, permission=view)
                for c in Conversation.objects.filter(leader_id=leader_id)
            ],
            ignore_conflicts=True,
        )


def role_in(thing, user_id) -> str:
    conversation = thing.conversation
    if user_id == conversation.employee_id:
        return "employee"
    return "leader" if user_id == conversation.leader_id else "deputy"


@pytest.mark.django_db
def test_what_waits_is_what_the_orms_reading_finds(django_assert_num_queries):
    """`waiting` (one SQL statement) finds for every person the same things, in the same order and
    the same JSON, as the ORM's reading of the rules (tests/conversations/waiting_orm.py), in one
    query; for the leaders' reports page (`waiting_in`) too."""
    from conversations.notify import waiting
    from tests.conversations import waiting_orm

    now = timezone.now()
    add_every_waiting_kind(now)
    found = Counter()
    with time_machine.travel(now, tick=False):
        for user in User.objects.order_by("pk"):
            with django_assert_num_queries(1 if user.is_active else 0):
                things = waiting.waiting_on(user)
            expected = waiting_orm.waiting_on(user)
            assert things == expected
            assert json.dumps([t.as_json() for t in things]) == json.dumps([t.as_json() for t in expected])
            found.update((role_in(t, user.pk), t.kind) for t in things)
        for leader in User.objects.filter(is_leader=True).order_by("pk")[::3]:
            ids = list(Conversation.objects.filter(leader=leader).values_list("pk", flat=True))
            with django_assert_num_queries(1 if ids else 0):
                things = waiting.waiting_in(ids, reader_id=leader.pk)
            expected = waiting_orm.waiting_in(Conversation.objects.filter(pk__in=ids), reader_id=leader.pk)
            assert sorted(things, key=everything) == sorted(expected, key=everything)
    every = {
        "employee": {"confirm", "question", "at_risk", "check_in", "proposal_declined"},
        "leader": {"draft", "change_request", "question", "at_risk", "statement", "check_in", "proposal"},
        "deputy": {"question", "at_risk", "statement"},
    }
    assert {(role, kind) for role, kinds in every.items() for kind in kinds} <= set(found)


def everything(thing) -> tuple:
    return (thing.since, thing.conversation.pk, thing.kind, thing.side, thing.entry_id or 0)
