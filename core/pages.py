"""Pages about the service itself, open to everyone (signed in or not)."""

import datetime

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

# When the statement's content was last checked against the service; change it with the content.
STATEMENT_UPDATED = datetime.date(2026, 12, 5)


@require_safe
def accessibility_statement(request):
    """The accessibility statement (tilgjengelighetserklæring), after uutilsynet's model: the
    conformance status against WCAG 2.1 AA, how it was tested, the known deviations, contact and
    where to complain."""
    context = {"contact": settings.SAMTALE_ACCESSIBILITY_CONTACT, "updated": STATEMENT_UPDATED}
    return render(request, "core/accessibility.html", context)
