"""Sign-in pages: the login page with the identity provider first, the OIDC flow's two ends, signing
out at both ends, and the person's own API token."""

from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from identity import services
from identity.oidc import LEFT, NO_CLAIM, REFUSAL_ATTRIBUTE, UNKNOWN

REFUSALS = {
    UNKNOWN: _(
        "You signed in at your organisation's identity provider, but you are not registered in Samtale. "
        "Ask HR to check that you are in the organisation's register."
    ),
    LEFT: _("You are registered as having left the organisation, so you can no longer sign in to Samtale."),
    NO_CLAIM: _(
        "The identity provider did not say which employee you are. Ask the administrator to check the "
        "sign-in settings (SAMTALE_OIDC_EMPLOYEE_ID_CLAIM)."
    ),
    "invalid": _(
        "The sign-in could not be verified, or it was already used. Start again from the login page."
    ),
    "provider": _("The identity provider did not answer. Try again in a little while."),
    "failed": _("The sign-in was not completed. Start again from the login page."),
}


def sso_context() -> dict:
    return {
        "sso_enabled": settings.SAMTALE_OIDC_ENABLED,
        "sso_name": settings.SAMTALE_OIDC_PROVIDER_NAME,
        "password_login": settings.SAMTALE_PASSWORD_LOGIN,
    }


def refused(request, reason: str, status: int):
    return render(
        request, "identity/refused.html", {"message": REFUSALS[reason], **sso_context()}, status=status
    )


class LoginView(auth_views.LoginView):
    """Django's login page, offering the identity provider first; the password form only while
    SAMTALE_PASSWORD_LOGIN is on (a password sent all the same is refused, 403)."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **sso_context()}

    def post(self, request, *args, **kwargs):
        if not settings.SAMTALE_PASSWORD_LOGIN:
            context = self.get_context_data(form=self.get_form_class()(request))
            return self.render_to_response(context, status=403)
        return super().post(request, *args, **kwargs)


class AuthenticationRequestView(OIDCAuthenticationRequestView):
    """Off to the identity provider, with state, nonce and the PKCE challenge (404 without OIDC)."""

    def get(self, request):
        if not settings.SAMTALE_OIDC_ENABLED:
            raise Http404
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """Back from the identity provider. A state not in the session (replayed, forged, or from another
    browser), an ID token that fails verification, or a provider that cannot be reached is refused
    with a page in the person's language, as is someone not in the organisation or who has left."""

    def get(self, request):
        if not settings.SAMTALE_OIDC_ENABLED:
            raise Http404
        try:
            return super().get(request)
        except SuspiciousOperation:
            return refused(request, "invalid", status=400)
        except requests.RequestException:
            return refused(request, "provider", status=502)

    def login_failure(self):
        if "code" in self.request.GET and "oidc_states" not in self.request.session:
            return refused(self.request, "invalid", status=400)
        return refused(self.request, getattr(self.request, REFUSAL_ATTRIBUTE, "failed"), status=403)


class LogoutView(auth_views.LogoutView):
    """Sign out here, and for a session begun at the identity provider, there too (RP-initiated logout:
    to the provider's end-session endpoint with the ID token as hint, back to the login page)."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        endpoint = settings.SAMTALE_OIDC_LOGOUT_ENDPOINT
        if not (id_token and endpoint and settings.SAMTALE_OIDC_ENABLED):
            return response
        params = {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }
        # The logout form's redirect leaves the site: the Content-Security-Policy's form-action allows the
        # provider's origin (settings).
        return HttpResponseRedirect(f"{endpoint}?{urlencode(params)}")


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    """The person's API token for clients and scripts: when it expires, a new one, or withdraw it."""
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.token_revoke(user=request.user)
        else:
            new_key = services.token_replace(user=request.user).key
    token = services.current_token(user=request.user)
    return render(
        request,
        "identity/api_token.html",
        {
            "token": token,
            "expires_at": services.token_expires_at(token) if token else None,
            "new_key": new_key,
            "lifetime_days": settings.SAMTALE_API_TOKEN_LIFETIME_DAYS,
        },
    )
