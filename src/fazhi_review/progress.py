"""A spinner on stderr for runs long enough to make a user wonder whether anything is happening.

Shown only on a terminal and only after ``delay`` seconds, so quick runs, pipes, CI logs and
tests see nothing; stdout is never touched.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: seconds a run may take silently
DEFAULT_DELAY = 1.5


@contextmanager
def progress(message: str, delay: float = DEFAULT_DELAY) -> Iterator[None]:
    """Show ``message`` with a spinner on stderr if the body is still running after ``delay``."""
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        yield
        return
    status: list[Any] = []
    lock = threading.Lock()

    def start() -> None:
        with lock:
            if status == []:
                status.append(console.status(message, spinner="dots"))
                status[0].start()

    timer = threading.Timer(delay, start)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            if status:
                status[0].stop()
            status.append(None)
