"""Retention: finished conversations are deleted, with everything attached, after the set periods.

A finished (closed or cancelled) conversation goes when it was closed longer ago than
SAMTALE_RETENTION_YEARS_AFTER_CLOSING, or when its employee left (marked by the org import) longer ago
than SAMTALE_RETENTION_YEARS_AFTER_LEAVING. Versions, confirmations, comments, follow-ups, items,
access log, history, rights and reminders go with it (database cascade), and so do the audit trail's
rows about all of them (`core.audit`), the deletion's own included.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from conversations.models import FINISHED_STATUSES, Conversation
from core import audit


def _years_ago(years: int) -> datetime.date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def expired_conversations():
    """Finished conversations past either retention period."""
    closed_before = _years_ago(settings.SAMTALE_RETENTION_YEARS_AFTER_CLOSING)
    left_before = _years_ago(settings.SAMTALE_RETENTION_YEARS_AFTER_LEAVING)
    closed_long_ago = Q(closed_at__date__lt=closed_before) | Q(
        closed_at__isnull=True, updated_at__date__lt=closed_before
    )
    employee_left_long_ago = Q(employee__is_active=False, employee__left_on__lt=left_before)
    return Conversation.objects.filter(status__in=FINISHED_STATUSES).filter(
        closed_long_ago | employee_left_long_ago
    )


@dataclass
class RetentionResult:
    conversations: list[int]
    deleted: Counter = field(default_factory=Counter)


@transaction.atomic
def apply_retention(*, dry_run: bool = False) -> RetentionResult:
    """Delete (or, with `dry_run`, only list) the expired conversations. Returns ids and rows per model."""
    queryset = expired_conversations()
    result = RetentionResult(conversations=sorted(queryset.values_list("pk", flat=True)))
    if dry_run or not result.conversations:
        return result
    _total, per_model = Conversation.objects.filter(pk__in=result.conversations).delete()
    result.deleted.update({label: n for label, n in per_model.items() if n})
    audit_rows = audit.purge_conversation_events(result.conversations)
    if audit_rows:
        result.deleted["audit events"] = audit_rows
    return result
