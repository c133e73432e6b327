"""Progress on stderr: a rich bar on a terminal, one plain line per report otherwise, or nothing.

A reviewer watching 300 reports wants done/total, time left, the file being read and how many
failed so far; a log file (CI, cron, a pipe) wants one greppable line per report instead.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Protocol, TextIO

from rich.console import Console

from fazhi_review.batch.job import JobResult


class Progress(Protocol):
    def start(self, total: int, already_done: int) -> None: ...
    def report_started(self, source: str) -> None: ...
    def report_done(self, result: JobResult) -> None: ...
    def stop(self) -> None: ...


class QuietProgress:
    def start(self, total: int, already_done: int) -> None:
        return None

    def report_started(self, source: str) -> None:
        return None

    def report_done(self, result: JobResult) -> None:
        return None

    def stop(self) -> None:
        return None


class PlainProgress:
    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stderr
        self._done = 0
        self._total = 0

    def start(self, total: int, already_done: int) -> None:
        self._total, self._done = total, already_done
        if already_done:
            print(f"已完成 {already_done}/{total}（上次运行的结果，未重新处理）", file=self._stream, flush=True)

    def report_started(self, source: str) -> None:
        return None  # a log gets one line per finished report, not two

    def report_done(self, result: JobResult) -> None:
        self._done += 1
        if result.ok:
            how = f"（与 {Path(result.duplicate_of).name} 内容相同）" if result.duplicate_of else "（缓存）" if result.cached else ""
            line = f"[{self._done}/{self._total}] ✓ {result.source}{how}"
        else:
            line = f"[{self._done}/{self._total}] ✗ {result.failure.reason if result.failure else result.source}"
        print(line, file=self._stream, flush=True)

    def stop(self) -> None:
        return None


class RichProgress:
    """The bar names a report being processed: the one in flight longest (workers take reports
    in order, so it is surely being worked on), and how many more are in flight with it."""

    def __init__(self, console: Console | None = None) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar

        self._bar = Bar(
            TextColumn("[bold]审阅"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("剩余"),
            TimeRemainingColumn(),
            TextColumn("失败 {task.fields[failed]}"),
            TextColumn("{task.fields[current]}", markup=False),
            console=console or Console(stderr=True),
            transient=False,
        )
        self._task = self._bar.add_task("batch", total=0, failed=0, current="")
        self._failed = 0
        #: sources in flight, oldest first (a dict keeps insertion order)
        self._running: dict[str, None] = {}

    def start(self, total: int, already_done: int) -> None:
        self._bar.update(self._task, total=total, completed=already_done)
        self._bar.start()

    def _current(self) -> str:
        if not self._running:
            return ""
        oldest = Path(next(iter(self._running))).name
        others = len(self._running) - 1
        return f"正在处理 {oldest}" + (f" 等{others + 1}份" if others else "")

    def report_started(self, source: str) -> None:
        self._running[source] = None
        self._bar.update(self._task, current=self._current())

    def report_done(self, result: JobResult) -> None:
        self._failed += 0 if result.ok else 1
        self._running.pop(result.source, None)
        self._bar.update(self._task, advance=1, failed=self._failed, current=self._current())

    def stop(self) -> None:
        self._bar.update(self._task, current="")
        self._bar.stop()


def make_progress(quiet: bool, stream: TextIO | None = None) -> Progress:
    if quiet:
        return QuietProgress()
    target = stream or sys.stderr
    return RichProgress() if target.isatty() and stream is None else PlainProgress(target)
