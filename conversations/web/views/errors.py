"""Error pages in the user's language. The 500 and 503 pages render without touching the database."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext

# How long a client should wait before trying again while the database is away (a restart or a
# failover takes seconds to a minute).
RETRY_AFTER_SECONDS = 30


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    # A path under the API that matches no route answers like the API does: JSON, not a page.
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    """handler500. Django calls it while handling the exception, so `sys.exception()` is that exception."""
    if database_unavailable(sys.exception()):
        return service_unavailable(request)
    try:
        body = loader.get_template("500.html").render({"minimal": True})
    except Exception:  # noqa: BLE001 - the error page must never fail itself
        body = "<h1>Server error (500)</h1>"
    return HttpResponseServerError(body)


def database_unavailable(error: BaseException | None) -> bool:
    """Whether `error`, or an error it was raised from or while handling, says the database cannot be
    reached or its connection broke (server down or restarting, too many connections, a lock that
    could not be had): a passing state, for which the client should try again rather than report a bug."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def service_unavailable(request) -> HttpResponse:
    """503 with Retry-After: JSON `{"detail": ...}` under /api/, else a plain page. Nothing here (nor in
    the template, rendered without the request's context processors) reads the database."""
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": gettext("The service is temporarily unavailable. Try again shortly.")}
        )
    else:
        try:
            body = loader.get_template("503.html").render({"minimal": True})
        except Exception:  # noqa: BLE001 - the error page must never fail itself
            body = "<h1>Service unavailable (503)</h1>"
        response = HttpResponse(body)
    response.status_code = 503
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
