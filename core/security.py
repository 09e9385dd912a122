"""Small hooks for the security libraries: who the client is, and when sign-in stops for an address."""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.shortcuts import render
from rest_framework.throttling import ScopedRateThrottle

from core.rate_limits import RateLimit

LOCKED_OUT_TEMPLATE = "registration/locked_out.html"


def axes_username(request, credentials=None) -> str | None:
    """The username django-axes counts failures for: from the credentials, a form or a JSON body."""
    sources = (credentials or {}, getattr(request, "data", None) or {}, getattr(request, "POST", None) or {})
    for source in sources:
        try:
            value = source.get("username") or source.get("employee_id")
        except AttributeError:  # a JSON body that is a list or a scalar
            continue
        if value:
            return str(value)[:255]
    return None


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_address(request) -> str:
    """The address the request came from, for every limit (DRF's throttles, django-axes, our own).

    With SAMTALE_TRUSTED_PROXY_COUNT = 0, REMOTE_ADDR: X-Forwarded-For is written by the client and
    proves nothing. Behind N proxies, each appending the address it was reached from, the chain
    `X-Forwarded-For, REMOTE_ADDR` ends with N addresses our proxies vouch for: the client is the one
    the outermost proxy saw, the N-th entry of X-Forwarded-For from the right (DRF's NUM_PROXIES rule).
    An entry that is not an address (the header came past fewer proxies than configured) is not used.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.SAMTALE_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    chain = [entry.strip() for entry in forwarded.split(",")]
    candidate = chain[-min(count, len(chain))]
    return candidate if _is_address(candidate) else remote


class ClientAddressThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, identifying anonymous clients by `client_address`."""

    def get_ident(self, request):
        return client_address(request)


def cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def failed_logins_per_address() -> RateLimit:
    """Failed sign-ins from one address, whatever the accounts, within the cool-off time."""
    return RateLimit("login-failures", settings.SAMTALE_LOGIN_FAILURES_PER_ADDRESS, cooloff_seconds())


class AddressLockingAxesHandler(AxesDatabaseHandler):
    """django-axes' database handler (an account is locked at one address after AXES_FAILURE_LIMIT
    failures) plus a lock of the address itself after SAMTALE_LOGIN_FAILURES_PER_ADDRESS failures at
    any accounts, so guessing one password at many accounts is stopped too. axes has one failure limit
    for all its lockout parameters, and the address needs a higher one: people behind one NAT share it.
    Failures while locked count as well, so a guesser who keeps trying stays locked."""

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or failed_logins_per_address().reached(
            client_address(request)
        )

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or self.is_whitelisted(request, credentials):
            return
        if failed_logins_per_address().record(client_address(request)):
            # What axes itself does when an account reaches its limit: the middleware (pages) and the
            # token view answer 429.
            request.axes_locked_out = True
            request.axes_credentials = credentials


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets (AXES_LOCKOUT_CALLABLE): 429, in the site's own layout."""
    seconds = cooloff_seconds()
    response = render(request, LOCKED_OUT_TEMPLATE, {"minutes": max(1, seconds // 60)}, status=429)
    response["Retry-After"] = str(seconds)
    return response
