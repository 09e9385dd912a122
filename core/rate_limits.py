"""Counting events per key over a sliding window, in the shared cache (the same one DRF's throttles use).

Each key keeps the times of its recent events, as DRF's throttles do: an expiry-based counter would
lose its window on cache backends whose `incr` rewrites the entry with the default timeout (the
database cache). Two processes writing the same key at the same instant may lose one event, as DRF's
throttles may; a limit against guessing tolerates that.
"""

import math
import time
from dataclasses import dataclass

from django.core.cache import cache

KEY_PREFIX = "samtale-limit"


def now() -> float:
    """The clock the limits read (tests move it)."""
    return time.time()


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` events per `key` within any `window` seconds."""

    name: str
    limit: int
    window: int

    def _cache_key(self, key: str) -> str:
        return f"{KEY_PREFIX}:{self.name}:{key}"

    def _recent(self, key: str) -> list[float]:
        since = now() - self.window
        return [moment for moment in cache.get(self._cache_key(key), []) if moment > since]

    def reached(self, key: str) -> bool:
        """True when `key` already has `limit` events in the window: the next one is refused."""
        return len(self._recent(key)) >= self.limit

    def record(self, key: str) -> bool:
        """Count one event for `key`; True when the limit is reached with it (the next one is refused)."""
        events = [*self._recent(key), now()][-max(self.limit, 1) :]
        cache.set(self._cache_key(key), events, self.window)
        return len(events) >= self.limit

    def take(self, key: str) -> bool:
        """Count one event for `key` if the limit allows it; False (nothing counted) when it does not."""
        if self.reached(key):
            return False
        self.record(key)
        return True

    def retry_after(self, key: str) -> int:
        """Seconds until `key` may have an event again (0: now)."""
        recent = self._recent(key)
        if len(recent) < self.limit:
            return 0
        return max(1, math.ceil(recent[-self.limit] + self.window - now()))
