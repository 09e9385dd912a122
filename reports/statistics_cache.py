"""The statistics, computed once per state of the data they are computed from.

`cached(key, compute)` keeps a computed result in Django's cache under `key` (the request: cycle,
unit, min_group_size, date, and the content of the small tables the caller read: units, employees per
unit, cycles) together with a *data version* of the large tables, read in one query: the newest audit
event of conversations, goals, follow-up entries and comments (`core.audit`: database triggers write
one for every insert, update and delete, however it was made - services, admin, `QuerySet.update`,
bulk writes, raw SQL), and the number of conversations (retention deletes audit rows along with
conversations, so the newest event alone could fall back to an earlier value). No write path has to
remember to invalidate anything: a cached result is found again only while the data is what it was
computed from.

A result is stored only when the data version read before computing it equals the one read after:
a write committed meanwhile could otherwise file figures computed partly from the new data under the
old version. Reading the version is the whole cost of an answer from the cache.

What this cannot see: a transaction that wrote before another one but commits after it while a
computation runs between the two commits (the version after is the later one's, which may already be
the newest). The window is the length of one statistics computation, and the next write corrects it.
"""

import hashlib
import pickle
from collections.abc import Callable, Hashable

from django.core.cache import cache
from django.db import connection

from conversations.models import Comment, Conversation, FollowUp
from goals.models import Goal

TIMEOUT = 24 * 60 * 60  # the key holds the date: nothing is used beyond its day anyway
_PREFIX = "reports.statistics:"


def cached(key: Hashable, compute: Callable[[], dict]) -> dict:
    """The result for `key` at the current data version, computed (and stored) when not cached."""
    version = data_version()
    name = _cache_key(key, version)
    result = cache.get(name)
    if result is None:
        result = compute()
        if data_version() == version:
            cache.set(name, result, TIMEOUT)
    return result


def _cache_key(key: Hashable, version: tuple) -> str:
    digest = hashlib.blake2b(pickle.dumps((key, version), protocol=5), digest_size=20).hexdigest()
    return _PREFIX + digest


def data_version() -> tuple:
    """One row of sums over the conversations, goals, follow-ups and comments (see the module)."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        return tuple(cursor.fetchone())


def _version_sql() -> str:
    newest_events = ", ".join(
        f"(SELECT MAX(pgh_id) FROM {_table(_event_model(model))})"  # noqa: S608 - model tables
        for model in (Conversation, Goal, FollowUp, Comment)
    )
    return f"SELECT (SELECT COUNT(*) FROM {_table(Conversation)}), {newest_events}"  # noqa: S608 - model tables


def _event_model(model):
    """The audit event model of a tracked model (`core.audit.track`)."""
    return model.pgh_event_models["insert"]


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)
