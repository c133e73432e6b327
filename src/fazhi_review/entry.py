"""The console scripts' entry points: a Ctrl-C at any moment is one Chinese line and exit 130.

``fazhi_review.cli`` imports typer, pydantic and the engine; a Ctrl-C during those imports (the
first ~0.2 s) happened before any handler of ours and printed a Python traceback. This module
imports only the standard library until the command runs, and once the command has finished a
late Ctrl-C (while worker processes are joined at exit) no longer replaces its exit code.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable

INTERRUPTED = 130


def _run(load: Callable[[], Callable[[], None]]) -> None:
    code: int | str | None = 0
    try:
        load()()
    except SystemExit as done:
        code = done.code
    except KeyboardInterrupt:
        print("错误: 已中断", file=sys.stderr)
        code = INTERRUPTED
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)


def _fazhi() -> Callable[[], None]:
    from fazhi_review.cli import main as fazhi_main

    return fazhi_main


def _summarize() -> Callable[[], None]:
    from fazhi_review.cli import summarize_main

    return summarize_main


def main() -> None:
    """``fazhi``."""
    _run(_fazhi)


def summarize_main() -> None:
    """``summarize``: the same as ``fazhi summarize``."""
    _run(_summarize)
