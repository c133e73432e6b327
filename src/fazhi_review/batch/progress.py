"""Progress on stderr: a rich bar on a terminal, one plain line per report otherwise, or nothing.

A reviewer watching 300 reports wants done/total, time left, the file being read and how many
failed so far; a log file (CI, cron, a pipe) wants one greppable line per report instead.
"""

from __future__ import annotations

import sys
from typing import Protocol, TextIO

from fazhi_review.batch.job import JobResult


class Progress(Protocol):
    def start(self, total: int, already_done: int) -> None: ...
    def report_done(self, result: JobResult) -> None: ...
    def stop(self) -> None: ...


class QuietProgress:
    def start(self, total: int, already_done: int) -> None:
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

    def report_done(self, result: JobResult) -> None:
        self._done += 1
        if result.ok:
            how = "（缓存）" if result.cached else ""
            line = f"[{self._done}/{self._total}] ✓ {result.source}{how}"
        else:
            line = f"[{self._done}/{self._total}] ✗ {result.failure.reason if result.failure else result.source}"
        print(line, file=self._stream, flush=True)

    def stop(self) -> None:
        return None


class RichProgress:
    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar

        self._bar = Bar(
            TextColumn("[bold]审阅"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("剩余"),
            TimeRemainingColumn(),
            TextColumn("失败 {task.fields[failed]}"),
            TextColumn("{task.fields[current]}"),
            console=Console(stderr=True),
            transient=False,
        )
        self._task = self._bar.add_task("batch", total=0, failed=0, current="")
        self._failed = 0

    def start(self, total: int, already_done: int) -> None:
        self._bar.update(self._task, total=total, completed=already_done)
        self._bar.start()

    def report_done(self, result: JobResult) -> None:
        self._failed += 0 if result.ok else 1
        self._bar.update(self._task, advance=1, failed=self._failed, current=result.source[-40:])

    def stop(self) -> None:
        self._bar.stop()


def make_progress(quiet: bool, stream: TextIO | None = None) -> Progress:
    if quiet:
        return QuietProgress()
    target = stream or sys.stderr
    return RichProgress() if target.isatty() and stream is None else PlainProgress(target)
