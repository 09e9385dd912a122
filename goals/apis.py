"""Unit goals over the API: everyone signed in reads; HR and the unit's leaders write."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from conversations.access.permissions import DECIDE_PROPOSAL, PROPOSE
from conversations.api.apis.dialogue import ConversationChildView
from core.api import ApiView
from core.etag import expected_revision, with_etag
from core.schema import ETAG_HEADER, IF_MATCH, errors
from goals import proposals, selectors, unit_goals
from goals.permissions import access_proposal, access_unit_goal
from goals.serializers import (
    ProposalDeclineSerializer,
    ProposalInputSerializer,
    ProposalSerializer,
    UnitGoalCopySerializer,
    UnitGoalCreateSerializer,
    UnitGoalFilterSerializer,
    UnitGoalSerializer,
    UnitGoalUpdateSerializer,
)

TAG = "unit-goals"


def _goal_response(goal, status=200) -> Response:
    return with_etag(Response(UnitGoalSerializer(goal).data, status=status), goal)


class UnitGoalListView(ApiView):
    serializer_class = UnitGoalCreateSerializer

    @extend_schema(
        tags=[TAG],
        parameters=[UnitGoalFilterSerializer],
        responses={200: UnitGoalSerializer(many=True), **errors(400, 401, 404)},
    )
    def get(self, request):
        """Unit goals, by unit path; filters `cycle`, `unit`, `for_employee`."""
        filters = self.validated(UnitGoalFilterSerializer, request.query_params)
        return self.paginated(selectors.unit_goals(**filters), UnitGoalSerializer)

    @extend_schema(
        tags=[TAG],
        parameters=[ETAG_HEADER],
        request=UnitGoalCreateSerializer,
        responses={201: UnitGoalSerializer, **errors(400, 401, 403)},
    )
    def post(self, request):
        """Publish a goal for a unit (HR: any unit; a leader: their unit and those below it)."""
        data = self.validated(UnitGoalCreateSerializer, request.data)
        goal = unit_goals.unit_goal_create(actor=request.user, **data)
        return _goal_response(goal, status=201)


class UnitGoalDetailView(ApiView):
    serializer_class = UnitGoalUpdateSerializer

    @extend_schema(
        tags=[TAG], parameters=[ETAG_HEADER], responses={200: UnitGoalSerializer, **errors(401, 404)}
    )
    def get(self, request, pk):
        return _goal_response(access_unit_goal(request.user, pk))

    @extend_schema(
        tags=[TAG],
        parameters=[IF_MATCH, ETAG_HEADER],
        request=UnitGoalUpdateSerializer,
        responses={200: UnitGoalSerializer, **errors(400, 401, 403, 404, 412, 428)},
    )
    def patch(self, request, pk):
        goal = access_unit_goal(request.user, pk)
        revision = expected_revision(request, goal)
        data = self.validated(UnitGoalUpdateSerializer, request.data)
        goal = unit_goals.unit_goal_update(goal=goal, actor=request.user, expected_revision=revision, **data)
        return _goal_response(access_unit_goal(request.user, goal.pk))

    @extend_schema(
        tags=[TAG], parameters=[IF_MATCH], responses={204: None, **errors(401, 403, 404, 409, 412, 428)}
    )
    def delete(self, request, pk):
        """Delete a goal; refused (409) while contract goals or other unit goals support it."""
        goal = access_unit_goal(request.user, pk)
        revision = expected_revision(request, goal)
        unit_goals.unit_goal_delete(goal=goal, actor=request.user, expected_revision=revision)
        return Response(status=204)


class UnitGoalCopyView(ApiView):
    serializer_class = UnitGoalCopySerializer

    @extend_schema(
        tags=[TAG],
        request=UnitGoalCopySerializer,
        responses={201: UnitGoalSerializer(many=True), **errors(400, 401, 403)},
    )
    def post(self, request):
        """Copy a cycle's unit goals into another cycle, with their supports links (HR)."""
        data = self.validated(UnitGoalCopySerializer, request.data)
        copies = unit_goals.unit_goals_copy(actor=request.user, **data)
        goals = selectors.unit_goals().filter(pk__in=[c.pk for c in copies])
        return Response(UnitGoalSerializer(goals, many=True).data, status=201)


PROPOSAL_TAGS = ["proposals"]


class ProposalListView(ConversationChildView):
    """The employee's proposals for the draft contract."""

    serializer_class = ProposalInputSerializer

    @extend_schema(
        tags=PROPOSAL_TAGS,
        summary="The employee's proposals and the leader's decisions, oldest first.",
        responses={200: ProposalSerializer(many=True), **errors(401, 404)},
    )
    def get(self, request, pk):
        return self.paginated(selectors.proposals(self.conversation(pk)), ProposalSerializer)

    @extend_schema(
        tags=PROPOSAL_TAGS,
        summary="Propose a goal, task or expectation (the employee, while the contract is a draft).",
        request=ProposalInputSerializer,
        responses={201: ProposalSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk):
        conversation = self.conversation(pk, PROPOSE)
        data = self.validated(ProposalInputSerializer, request.data)
        proposal = proposals.proposal_create(conversation=conversation, actor=request.user, **data)
        return Response(ProposalSerializer(proposal).data, status=201)


class ProposalAcceptView(ApiView):
    serializer_class = None

    @extend_schema(
        tags=PROPOSAL_TAGS,
        request=None,
        responses={200: ProposalSerializer, **errors(401, 403, 404, 409)},
    )
    def post(self, request, pk):
        """Accept a pending proposal (the leader): it becomes an item of the draft."""
        proposal = access_proposal(request.user, pk, DECIDE_PROPOSAL)
        proposal = proposals.proposal_accept(proposal=proposal, actor=request.user)
        return Response(ProposalSerializer(proposal).data)


class ProposalDeclineView(ApiView):
    serializer_class = ProposalDeclineSerializer

    @extend_schema(
        tags=PROPOSAL_TAGS,
        request=ProposalDeclineSerializer,
        responses={200: ProposalSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk):
        """Decline a pending proposal (the leader), with a reason the employee sees."""
        proposal = access_proposal(request.user, pk, DECIDE_PROPOSAL)
        data = self.validated(ProposalDeclineSerializer, request.data)
        proposal = proposals.proposal_decline(proposal=proposal, actor=request.user, reason=data["reason"])
        return Response(ProposalSerializer(proposal).data)
