"""One limiter shared by every LLM worker, so a 429 slows the whole batch, not one thread.

The transport (llm/transport.py) retries a 429 for the worker that got it, honouring
Retry-After; without a shared pause the other N-1 workers would keep hammering the endpoint
meanwhile. The hook is the ``create`` callable the engine is given: ``SharedLimiter.wrap``
puts a wait in front of every HTTP attempt and notes every 429, without touching the transport.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

_DEFAULT_PAUSE = 1.0
_MAX_PAUSE = 120.0


def _retry_after(error: BaseException) -> float | None:
    """Seconds the server asked for, when the error is an HTTP 429; None otherwise."""
    if getattr(error, "status_code", None) != 429:
        return None
    response = getattr(error, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return min(max(float(value), 0.0), _MAX_PAUSE) if value is not None else _DEFAULT_PAUSE
    except ValueError:
        return _DEFAULT_PAUSE


class SharedLimiter:
    """Counts HTTP attempts and holds every worker until a 429's Retry-After has passed."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep
        self._paused_until = 0.0
        self.calls = 0
        self.throttled = 0

    def pause(self, seconds: float) -> None:
        with self._lock:
            self._paused_until = max(self._paused_until, self._clock() + seconds)
            self.throttled += 1

    def wait(self) -> float:
        """Block while the batch is paused; returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                remaining = self._paused_until - self._clock()
                if remaining <= 0:
                    self.calls += 1
                    return waited
            self._sleep(remaining)
            waited += remaining

    def wrap(self, create: Callable[..., Any]) -> Callable[..., Any]:
        def limited_create(**kwargs: Any) -> Any:
            self.wait()
            try:
                return create(**kwargs)
            except Exception as error:
                seconds = _retry_after(error)
                if seconds is not None:
                    self.pause(seconds)
                raise

        return limited_create
