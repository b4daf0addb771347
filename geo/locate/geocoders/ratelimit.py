"""Process-wide request spacing, one limiter per (provider, host).

geopy's RateLimiter spaces the *starts* of calls; here the interval runs from
the *end* of the previous request and the lock is held during the request, so
the service never sees two requests closer than the interval, whatever the
network jitter, and never two at once (Nominatim's policy asks for both).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class RequestSpacer:
    """Runs calls one at a time, at least ``min_interval_s`` after the previous one ended."""

    def __init__(self, min_interval_s: float) -> None:
        self.min_interval_s = min_interval_s
        self._lock = threading.Lock()
        self._last_end: float | None = None

    def call(self, func: Callable[[], T]) -> T:
        with self._lock:
            if self._last_end is not None:
                wait = self._last_end + self.min_interval_s - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            try:
                return func()
            finally:
                self._last_end = time.monotonic()


_REGISTRY: dict[tuple[str, str], RequestSpacer] = {}
_REGISTRY_LOCK = threading.Lock()


def spacer_for(provider: str, host: str, min_interval_s: float) -> RequestSpacer:
    """The shared spacer of this provider and host; the longest interval ever asked for wins."""
    with _REGISTRY_LOCK:
        spacer = _REGISTRY.get((provider, host))
        if spacer is None:
            spacer = _REGISTRY[(provider, host)] = RequestSpacer(min_interval_s)
        elif min_interval_s > spacer.min_interval_s:
            spacer.min_interval_s = min_interval_s
        return spacer
