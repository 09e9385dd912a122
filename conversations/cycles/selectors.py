"""The cycles' reads (samtalerunder): all of them, and the one running now. They never write."""

from django.db.models import QuerySet
from django.utils import timezone

from conversations.models import Cycle


def cycles() -> QuerySet:
    return Cycle.objects.order_by("-starts_on", "-id")


def started_cycles() -> QuerySet:
    return Cycle.objects.filter(starts_on__lte=timezone.localdate()).order_by("-starts_on", "-pk")


def current_cycle() -> Cycle | None:
    """The latest cycle (by start) that has started."""
    return started_cycles().first()
