"""Tasks, goals and expectations: created under their conversation, read and changed on their own."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.response import Response

from conversations import selectors, services
from conversations.access.permissions import MANAGE, VIEW, access_conversation, access_item
from conversations.api.serializers.conversations import ExpectationSerializer, GoalSerializer, TaskSerializer
from core.api import ApiView
from core.etag import expected_revision, with_etag
from core.schema import ETAG_HEADER, IF_MATCH, errors
from goals import services as goal_services
from goals.models import Expectation, Goal, Task


class ItemView(ApiView):
    model: type
    serializer_class: type

    def item_response(self, item, status=200) -> Response:
        item = selectors.item_detail(self.model, item)
        return with_etag(Response(self.serializer_class(item).data, status=status), item)


class ItemCreateView(ItemView):
    """POST conversations/{id}/<items>/: the leader adds an item while the draft is editable."""

    def post(self, request, pk):
        conversation = access_conversation(request.user, pk, MANAGE)
        data = self.validated(self.serializer_class, request.data)
        item = goal_services.item_create(
            model=self.model, conversation=conversation, actor=request.user, **data
        )
        return self.item_response(item, status=201)


class ItemDetailView(ItemView):
    """GET, PATCH, DELETE <items>/{id}/: the parties read; the leader changes while it is editable."""

    def get(self, request, pk):
        item = access_item(request.user, self.model, pk, VIEW)
        services.access_log_record(conversation=item.conversation, user=request.user, channel="api")
        return self.item_response(item)

    def patch(self, request, pk):
        item = access_item(request.user, self.model, pk, MANAGE)
        revision = expected_revision(request, item)
        serializer = self.serializer_class(data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        item = goal_services.item_update(
            item=item, actor=request.user, expected_revision=revision, **serializer.validated_data
        )
        return self.item_response(item)

    def delete(self, request, pk):
        item = access_item(request.user, self.model, pk, MANAGE)
        revision = expected_revision(request, item)
        goal_services.item_delete(item=item, actor=request.user, expected_revision=revision)
        return Response(status=204)


def _create_schema(serializer, tag):
    return extend_schema(
        tags=[tag],
        parameters=[ETAG_HEADER],
        request=serializer,
        responses={201: serializer, **errors(400, 401, 403, 404, 409)},
    )


def _detail_schema(serializer, tag):
    return {
        "get": extend_schema(
            tags=[tag], parameters=[ETAG_HEADER], responses={200: serializer, **errors(401, 404)}
        ),
        "patch": extend_schema(
            tags=[tag],
            parameters=[IF_MATCH, ETAG_HEADER],
            request=serializer,
            responses={200: serializer, **errors(400, 401, 403, 404, 409, 412, 428)},
        ),
        "delete": extend_schema(
            tags=[tag], parameters=[IF_MATCH], responses={204: None, **errors(401, 403, 404, 409, 412, 428)}
        ),
    }


@extend_schema_view(post=_create_schema(GoalSerializer, "goals"))
class GoalCreateView(ItemCreateView):
    model, serializer_class = Goal, GoalSerializer


@extend_schema_view(post=_create_schema(TaskSerializer, "tasks"))
class TaskCreateView(ItemCreateView):
    model, serializer_class = Task, TaskSerializer


@extend_schema_view(post=_create_schema(ExpectationSerializer, "expectations"))
class ExpectationCreateView(ItemCreateView):
    model, serializer_class = Expectation, ExpectationSerializer


@extend_schema_view(**_detail_schema(GoalSerializer, "goals"))
class GoalDetailView(ItemDetailView):
    model, serializer_class = Goal, GoalSerializer


@extend_schema_view(**_detail_schema(TaskSerializer, "tasks"))
class TaskDetailView(ItemDetailView):
    model, serializer_class = Task, TaskSerializer


@extend_schema_view(**_detail_schema(ExpectationSerializer, "expectations"))
class ExpectationDetailView(ItemDetailView):
    model, serializer_class = Expectation, ExpectationSerializer
