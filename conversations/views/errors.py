"""Error pages in the user's language. The 500 page renders without touching the database."""

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    # A path under the API that matches no route answers like the API does: JSON, not a page.
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    try:
        body = loader.get_template("500.html").render({"minimal": True})
    except Exception:  # noqa: BLE001 - the error page must never fail itself
        body = "<h1>Server error (500)</h1>"
    return HttpResponseServerError(body)
