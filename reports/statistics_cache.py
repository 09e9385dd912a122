"""Snapshots of the statistics: computed once per state of the data, kept in Django's (shared) cache,
and answered from while at most `max_age()` seconds behind the data.

A *snapshot* is everything a statistics answer for one cycle is read from (`reports.statistics`: the
suppressed tables of the whole organisation for the cycle and the one before it), together with the
*version* it was computed at and the time it was computed. The version is the caller's (for the
statistics: the date and `statistics_queries.data_version()`, which sees every write however it
was made, so no write path has to remember to invalidate anything).

`snapshot(key, read_version, compute)` answers:
- *current*: the stored snapshot was computed at the version read now. Reading the version is the
  whole cost of such an answer.
- *recent*: the data changed since, but the snapshot is at most `max_age()` seconds old (setting
  `SAMTALE_STATISTICS_MAX_AGE`, default 600; 0 means always current). It is answered at once, with
  the time it was computed, and once it is `refresh_after()` seconds old (setting
  `SAMTALE_STATISTICS_REFRESH_AFTER`, default 60) a new snapshot is computed in the background: the
  caller's `refresh_later` enqueues a task for the worker (at most one waiting per key, and one
  computing at a time, under markers in the cache) for the requests after it. No web process starts a
  thread for it. Whole-organisation statistics take seconds to compute at 50,000 employees; nobody
  waits for them.
- otherwise (no snapshot, too old, or `usable` refuses it): computed now, stored and answered; or,
  when another request or process is computing it already, that one's snapshot is waited for.
`computed_at` is when the computation began (the figures are at least that old). A computation never
replaces a snapshot whose computation began later, and a snapshot an earlier release stored that can
no longer be read counts as none.
`python manage.py refresh_statistics` (cron, every few minutes) keeps the snapshots of the current
cycles recent, so that even the first request of the day is answered from one.

A snapshot counts as current only when the version read before computing it equals the one read
after: a write committed meanwhile could otherwise pass figures computed partly from the new data as
the old version's. Such a snapshot is stored as not current (answered while recent, then replaced).

What this cannot see: a transaction that wrote before another one but commits after it while a
computation runs between the two commits (the version after is the later one's, which may already be
the newest). The window is the length of one computation, and the next write corrects it.
"""

import dataclasses
import datetime
import hashlib
import logging
import pickle
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

TIMEOUT = 7 * 24 * 60 * 60  # a snapshot older than max_age() is never answered; this only frees space
LOCK_TIMEOUT = 10 * 60  # a background computation that died leaves its lock for at most this long
_PREFIX = "reports.statistics:"
_NOT_CURRENT = ("not current",)  # the version of a snapshot that mixes states: equal to no version


@dataclass(frozen=True)
class Snapshot:
    value: Any
    version: Hashable
    computed_at: datetime.datetime
    current: bool = True  # computed at the version read for this answer

    def age(self, now: datetime.datetime) -> float:
        return (now - self.computed_at).total_seconds()

    @property
    def stamp(self) -> tuple:
        return (self.computed_at, self.version)


def max_age() -> int:
    """How many seconds a snapshot may lag behind the data and still be answered (0: never)."""
    return max(0, int(getattr(settings, "SAMTALE_STATISTICS_MAX_AGE", 600)))


def refresh_after() -> int:
    """How old a snapshot that lags behind the data must be before a new one is computed in the
    background: while the organisation works, the data changes every second, and computing back to
    back would keep a core busy for figures nobody has asked for yet."""
    return max(0, int(getattr(settings, "SAMTALE_STATISTICS_REFRESH_AFTER", 60)))


def snapshot(
    key: Hashable,
    read_version: Callable[[], Hashable],
    compute: Callable[[], Any],
    refresh_later: Callable[[], None],
    usable: Callable[[Any], bool] = lambda value: True,
) -> Snapshot:
    """The snapshot for `key`: current, recent (and `refresh_later` asked for a new one), or computed
    now. `refresh_later` must lead to `refresh_queued(key, ...)` in the worker."""
    version = read_version()
    name = _cache_key(key)
    found = _load(name)
    if found is not None and usable(found.value):
        if found.version == version:
            return found
        age = found.age(timezone.now())
        if age <= max_age():
            if age >= refresh_after():
                queue_refresh(key, refresh_later)
            return dataclasses.replace(found, current=False)
    return _compute_now(name, read_version, compute, version, usable, found)


def refresh(key: Hashable, read_version: Callable[[], Hashable], compute: Callable[[], Any]) -> bool:
    """Compute and store the snapshot for `key` unless the stored one is current. True if computed."""
    version = read_version()
    name = _cache_key(key)
    found = _load(name)
    if found is not None and found.version == version:
        return False
    _compute_and_store(name, read_version, compute, version)
    return True


def queue_refresh(key: Hashable, refresh_later: Callable[[], None]) -> bool:
    """Call `refresh_later` (which enqueues a task) unless a refresh of `key` already waits for the
    worker: one pending computation at most. True if called."""
    if not cache.add(_cache_key(key) + ":queued", True, LOCK_TIMEOUT):
        return False
    refresh_later()
    return True


def refresh_queued(key: Hashable, read_version: Callable[[], Hashable], compute: Callable[[], Any]) -> bool:
    """The worker's side of `queue_refresh`: a new refresh may be queued from now on; compute unless
    the stored snapshot is current or another process computes it already. A failure is logged (the
    next request that finds the snapshot old queues it again). True if computed."""
    name = _cache_key(key)
    cache.delete(name + ":queued")
    if not _lock(name):
        return False
    try:
        return refresh(key, read_version, compute)
    except Exception:
        logger.exception("Statistics: computing a snapshot in the background failed")
        return False
    finally:
        _unlock(name)


def _compute_now(name, read_version, compute, version, usable, stale: Snapshot | None) -> Snapshot:
    """Computed while the request waits; but when another request or process is computing it already
    (many HR users at nine after a quiet night), wait up to wait_seconds() for its snapshot instead of
    computing the whole organisation once per request."""
    if not _lock(name):
        waited = _wait_for_newer(name, stale, usable)
        if waited is not None:
            return dataclasses.replace(waited, current=waited.version == version)
        return _compute_and_store(name, read_version, compute, version)
    try:
        return _compute_and_store(name, read_version, compute, version)
    finally:
        _unlock(name)


def _lock(name: str) -> bool:
    """Take the lock of `name`'s computation (one at a time, across processes). False if taken."""
    return cache.add(name + ":computing", True, LOCK_TIMEOUT)


def _unlock(name: str) -> None:
    cache.delete(name + ":computing")


_POLL_SECONDS = 0.1


def wait_seconds() -> float:
    """How long a request waits for another process's snapshot (SAMTALE_STATISTICS_WAIT_SECONDS)."""
    return float(settings.SAMTALE_STATISTICS_WAIT_SECONDS)


def _wait_for_newer(name: str, stale: Snapshot | None, usable) -> Snapshot | None:
    deadline = time.monotonic() + wait_seconds()
    while time.monotonic() < deadline:
        time.sleep(_POLL_SECONDS)
        found = _load(name)
        if found is not None and (stale is None or found.stamp != stale.stamp) and usable(found.value):
            return found
    return None


def _compute_and_store(name: str, read_version, compute, version=None) -> Snapshot:
    """Compute, and store unless a snapshot begun later was stored meanwhile. `computed_at` is when
    the computation began, so that a snapshot's age counts the time it took."""
    began = timezone.now()
    if version is None:
        version = read_version()
    value = compute()
    current = read_version() == version
    result = Snapshot(value, version if current else _NOT_CURRENT, began, current=current)
    _store(name, result)
    return result


# A snapshot of 5,000 units is about a megabyte pickled: reading it from the shared cache and unpickling
# it costs more than the rest of an answer. Each process keeps the last one it read of each key, and
# checks it against a small stamp (when computed, at what version) stored beside it.
_LOCAL: dict[str, Snapshot] = {}
_LOCAL_SIZE = 8
_LOCAL_LOCK = threading.Lock()  # the threads of a web process share it


def _load(name: str) -> Snapshot | None:
    """The stored snapshot, None if there is none or it cannot be read (e.g. pickled by an earlier
    release of the code: it is then computed again, never answered as an error)."""
    try:
        stamp = cache.get(_stamp_key(name))
        if stamp is None:
            return None
        local = _LOCAL.get(name)
        if local is not None and local.stamp == stamp:
            return local
        found = cache.get(name)
    except Exception:
        logger.warning("Statistics: a stored snapshot could not be read; computing it again", exc_info=True)
        return None
    if found is None or not isinstance(found, Snapshot):
        return None
    if found.stamp != stamp:
        # Two writers interleaved (value of one, stamp of the other): point the stamp at the value.
        cache.set(_stamp_key(name), found.stamp, TIMEOUT)
    _remember(name, found)
    return found


def _store(name: str, found: Snapshot) -> None:
    stamp = cache.get(_stamp_key(name))
    if stamp is not None and stamp[0] > found.computed_at:
        return  # a computation begun later stored its snapshot first: it wins
    cache.set(name, found, TIMEOUT)
    cache.set(_stamp_key(name), found.stamp, TIMEOUT)
    _remember(name, found)


def _stamp_key(name: str) -> str:
    return name + ":stamp"


def _remember(name: str, found: Snapshot) -> None:
    with _LOCAL_LOCK:
        _LOCAL.pop(name, None)
        _LOCAL[name] = found
        while len(_LOCAL) > _LOCAL_SIZE:
            del _LOCAL[next(iter(_LOCAL))]


def _cache_key(key: Hashable) -> str:
    return _PREFIX + hashlib.blake2b(pickle.dumps(key, protocol=5), digest_size=20).hexdigest()
