"""The caller (`me/...`), tokens, cycles and deputy grants."""

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.metadata import SimpleMetadata
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from conversations import selectors, services
from conversations.access import deputy_selectors
from conversations.api.serializers.common import CycleSerializer
from conversations.api.serializers.export import PersonalExportSerializer
from conversations.api.serializers.people import (
    DeputyGrantInputSerializer,
    DeputyGrantSerializer,
    EmailDigestSerializer,
    MeSerializer,
    ReportSerializer,
    ShareHistorySerializer,
    TokenSerializer,
    WaitingSerializer,
)
from conversations.cycles import selectors as cycle_selectors
from conversations.models import Cycle, DeputyGrant
from conversations.notify import waiting
from conversations.privacy import export_selectors
from core.api import ApiView
from core.errors import NotAllowed
from core.schema import errors
from core.security import ClientAddressThrottle, cooloff_seconds
from identity import services as identity_services
from organization.models import User

TAG_ME = ["me"]


class TokenView(ApiView):
    """Exchange employee id and password for an API token (POST), or withdraw one's own (DELETE).
    People who have left cannot sign in. A token lasts SAMTALE_API_TOKEN_LIFETIME_DAYS."""

    # Open to anyone for POST (see `get_authenticators`, `get_permissions` for DELETE); answered in
    # JSON only; OPTIONS describes the sign-in form's fields (DRF's own metadata).
    authentication_classes: list = []
    permission_classes: list = []
    renderer_classes = [JSONRenderer]
    metadata_class = SimpleMetadata
    pagination_class = None
    serializer_class = AuthTokenSerializer
    # Throttled by the caller's address: password guessing is what it must slow down.
    throttle_classes = [ClientAddressThrottle]
    throttle_scope = "auth"

    @extend_schema(
        tags=["auth"],
        operation_id="auth_token_create",
        request=AuthTokenSerializer,
        responses={200: TokenSerializer, **errors(400, 403, 429)},
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        if not settings.SAMTALE_PASSWORD_LOGIN:
            raise PermissionDenied(
                _("Signing in with a password is switched off. Make a token on the API token page.")
            )
        serializer = self.get_serializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except ValidationError:
            # django-axes marks the request when the account, or the address, is locked after too many
            # failures.
            if getattr(request, "axes_locked_out", False):
                raise LockedOut(wait=cooloff_seconds()) from None
            raise
        token = identity_services.token_issue(user=serializer.validated_data["user"])
        return Response({"token": token.key, "expires": identity_services.token_expires_at(token)})

    def get_authenticators(self):
        if getattr(self, "request", None) is not None and self.request.method == "DELETE":
            return [auth() for auth in api_settings.DEFAULT_AUTHENTICATION_CLASSES]
        return super().get_authenticators()

    def get_permissions(self):
        if self.request.method == "DELETE":
            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(
        tags=["auth"],
        operation_id="auth_token_destroy",
        request=None,
        responses={204: None, **errors(401, 429)},
    )
    def delete(self, request, *args, **kwargs):
        """Withdraw the caller's API token at once (whichever way the caller signed in)."""
        identity_services.token_revoke(user=request.user)
        return Response(status=204)


class LockedOut(APIException):
    """429 with Retry-After (DRF's exception handler sends `wait` as that header)."""

    status_code = 429
    default_detail = _("Too many failed attempts. Try again later.")
    default_code = "locked_out"

    def __init__(self, wait: int):
        super().__init__()
        self.wait = wait


class MeWaitingView(ApiView):
    serializer_class = WaitingSerializer
    pagination_class = None  # one person's list, bounded by their open conversations: answered whole

    @extend_schema(tags=TAG_ME, responses={200: WaitingSerializer(many=True), **errors(401)})
    def get(self, request):
        """What waits on the caller across their open conversations (as employee, leader or deputy),
        oldest first, each with the page where it is done."""
        # A plain output function: the serializer only documents the shape (the list is read per
        # page view and per poll, so it is built without serializer fields).
        return Response([thing.as_json() for thing in waiting.waiting_on(request.user)])


class MeView(ApiView):
    serializer_class = MeSerializer

    @extend_schema(tags=TAG_ME, responses={200: MeSerializer, **errors(401)})
    def get(self, request):
        """The caller: who they are and which roles they hold."""
        # One query for the unit and the manager instead of one each.
        me = User.objects.select_related("unit", "manager").get(pk=request.user.pk)
        return Response(MeSerializer(me).data)


class MeReportsView(ApiView):
    serializer_class = ReportSerializer

    @extend_schema(tags=TAG_ME, responses={200: ReportSerializer(many=True), **errors(401, 404)})
    def get(self, request):
        """The caller's direct reports who are still in the organisation."""
        return self.paginated(selectors.direct_reports(request.user), ReportSerializer)


class MeExportView(ApiView):
    serializer_class = PersonalExportSerializer

    @extend_schema(tags=TAG_ME, responses={200: PersonalExportSerializer, **errors(401)})
    def get(self, request):
        """Everything stored about the caller, as JSON (the right of access)."""
        return Response(PersonalExportSerializer(export_selectors.personal_export(request.user)).data)


class ShareHistoryView(ApiView):
    serializer_class = ShareHistorySerializer

    @extend_schema(
        tags=TAG_ME,
        request=ShareHistorySerializer,
        responses={200: ShareHistorySerializer, **errors(400, 401)},
    )
    def post(self, request):
        """Show (or hide) the caller's closed conversations to their current leader."""
        data = self.validated(ShareHistorySerializer, request.data)
        services.history_share_set(employee=request.user, shared=data["shared"])
        return Response({"shared": request.user.shares_history})


class EmailDigestView(ApiView):
    serializer_class = EmailDigestSerializer

    @extend_schema(
        tags=TAG_ME,
        request=EmailDigestSerializer,
        responses={200: EmailDigestSerializer, **errors(400, 401)},
    )
    def post(self, request):
        """Choose one e-mail per thing or a daily digest."""
        data = self.validated(EmailDigestSerializer, request.data)
        services.email_digest_set(person=request.user, digest=data["digest"])
        return Response({"digest": request.user.email_digest})


class CycleListView(ApiView):
    serializer_class = CycleSerializer

    @extend_schema(tags=["cycles"], responses={200: CycleSerializer(many=True), **errors(401, 404)})
    def get(self, request):
        """All cycles, newest first."""
        return self.paginated(cycle_selectors.cycles(), CycleSerializer)

    @extend_schema(
        tags=["cycles"], request=CycleSerializer, responses={201: CycleSerializer, **errors(400, 401, 403)}
    )
    def post(self, request):
        """Create a cycle (HR only)."""
        if not request.user.is_hr:
            raise NotAllowed(_("Only HR can create cycles."))
        data = self.validated(CycleSerializer, request.data)
        cycle = Cycle(**data)
        cycle.full_clean()
        cycle.save()
        return Response(CycleSerializer(cycle).data, status=201)


class DeputyListView(ApiView):
    serializer_class = DeputyGrantInputSerializer

    @extend_schema(tags=["deputies"], responses={200: DeputyGrantSerializer(many=True), **errors(401, 404)})
    def get(self, request):
        """Deputy grants the caller gave as leader or received as deputy."""
        return self.paginated(deputy_selectors.deputy_grants(request.user), DeputyGrantSerializer)

    @extend_schema(
        tags=["deputies"],
        request=DeputyGrantInputSerializer,
        responses={201: DeputyGrantSerializer, **errors(400, 401, 403)},
    )
    def post(self, request):
        """Let a deputy see and follow up one or all of the caller's conversations until a date."""
        if not request.user.is_leader:
            raise NotAllowed(_("Only leaders can appoint a deputy."))
        data = self.validated(DeputyGrantInputSerializer, request.data)
        grant = services.deputy_grant_create(
            leader=request.user,
            deputy=data["deputy"],
            until=data["until"],
            conversation=data.get("conversation"),
        )
        return Response(DeputyGrantSerializer(grant).data, status=201)


class DeputyDetailView(ApiView):
    serializer_class = DeputyGrantSerializer

    @extend_schema(tags=["deputies"], responses={204: None, **errors(401, 403, 404)})
    def delete(self, request, pk):
        """End a grant now (the leader who gave it). Ending an ended grant changes nothing."""
        grant = (
            DeputyGrant.objects.filter(Q(leader=request.user) | Q(deputy=request.user), pk=pk)
            .select_related("leader", "deputy", "conversation")
            .first()
        )
        if grant is None:
            raise Http404
        services.deputy_grant_end(grant=grant, actor=request.user)
        return Response(status=204)
