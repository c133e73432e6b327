"""A batch killed for real (SIGKILL, no chance to clean up) resumes without redoing finished work;
what the progress shows meanwhile (a log line per report, or the bar on a terminal)."""

from __future__ import annotations

import io
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

from batch_helpers import EXAMPLES, copy_examples, offline_options, write
from fazhi_review.batch import run_batch
from fazhi_review.batch.cache import Manifest
from fazhi_review.batch.job import BatchEngine, JobResult
from fazhi_review.batch.progress import PlainProgress, RichProgress

_CHILD = "from fazhi_review.entry import main; main()"  # as the console script does


def _done(outdir: Path) -> set[str]:
    """Finished reports as a resuming run sees them: the manifest and its journal of later ones."""
    return {name for name, entry in Manifest.load(outdir).reports.items() if entry.status == "done"}


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_batch_resumes_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    for copy in range(3):  # enough reports that the kill lands mid-batch
        for path in EXAMPLES:
            write(folder / f"{path.stem}-{copy}.txt", path.read_text(encoding="utf-8") + f"\n（第{copy}份）\n")
    outdir = tmp_path / "out"
    command = [sys.executable, "-c", _CHILD, "batch", str(folder), "-o", str(outdir), "--engine", "offline", "--jobs", "1", "--quiet"]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not _done(outdir) and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()
    finished = _done(outdir)
    assert finished, "the child finished nothing before it was killed"
    total = len(list(folder.iterdir()))
    assert len(finished) < total, "the child finished everything; the kill came too late to test resuming"
    calls: list[str] = []
    original = BatchEngine.summarize
    monkeypatch.setattr(BatchEngine, "summarize", lambda self, path: calls.append(path.stem) or original(self, path))
    resumed = run_batch([folder], offline_options(outdir))
    assert resumed.succeeded == total and resumed.exit_code == 0
    assert not set(calls) & finished and len(calls) <= total - len(finished)
    assert not list(outdir.rglob("*.tmp"))


def test_plain_progress_is_one_line_per_report(tmp_path: Path) -> None:
    copy_examples(tmp_path / "in")
    write(tmp_path / "in" / "坏.docx", "not a docx")
    stream = io.StringIO()
    options = offline_options(tmp_path / "out", quiet=False, progress_stream=stream)
    run_batch([tmp_path / "in"], options)
    lines = stream.getvalue().splitlines()
    total = len(EXAMPLES) + 1
    assert len(lines) == total and all(line.startswith(f"[{n}/{total}]") for n, line in enumerate(lines, 1))
    assert sum("✗" in line for line in lines) == 1 and sum("✓" in line for line in lines) == len(EXAMPLES)


def _shown(console_file: io.StringIO) -> str:
    """What the terminal shows last: the final frame of the bar, without colour codes."""
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", console_file.getvalue()).splitlines()[-1]


def test_rich_progress_names_a_report_being_processed_and_counts_failures() -> None:
    screen = io.StringIO()
    progress = RichProgress(Console(file=screen, force_terminal=True, width=200))
    progress.start(total=4, already_done=1)
    progress.report_started("县/甲镇2024.txt")
    progress.report_started("县/乙镇2024.txt")
    progress._bar.refresh()
    assert "正在处理 甲镇2024.txt 等2份" in _shown(screen) and "1/4" in _shown(screen)
    progress.report_done(JobResult(name="甲镇2024", source="县/甲镇2024.txt", key="k", ok=True))
    progress._bar.refresh()
    assert "正在处理 乙镇2024.txt" in _shown(screen) and "甲镇" not in _shown(screen)
    assert "2/4" in _shown(screen) and "失败 0" in _shown(screen)
    progress.report_done(JobResult(name="乙镇2024", source="县/乙镇2024.txt", key="k", ok=False))
    progress._bar.refresh()
    assert "失败 1" in _shown(screen) and "3/4" in _shown(screen) and "正在处理" not in _shown(screen)
    progress.stop()


def test_a_batch_tells_the_progress_each_report_it_starts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy_examples(tmp_path / "in")
    events: list[tuple[str, str]] = []

    class Recording(PlainProgress):
        def report_started(self, source: str) -> None:
            events.append(("start", Path(source).name))

        def report_done(self, result: JobResult) -> None:
            events.append(("done", Path(result.source).name))

    monkeypatch.setattr("fazhi_review.batch.run.make_progress", lambda quiet, stream=None: Recording(io.StringIO()))
    run_batch([tmp_path / "in"], offline_options(tmp_path / "out", quiet=False))
    for path in EXAMPLES:
        assert events.index(("start", path.name)) < events.index(("done", path.name))
    assert len(events) == 2 * len(EXAMPLES)


def test_abort_stops_busy_workers_at_once() -> None:
    """Ctrl-C: workers ignore SIGINT, so a shutdown that waits would wait for whatever they are
    doing (or forever, for workers an interrupted start-up left without a shutdown message);
    abort terminates them."""
    import multiprocessing

    from fazhi_review.batch.scheduler import Workers

    workers = Workers(2)
    for _ in range(2):
        workers.pool().submit(time.sleep, 60)
    time.sleep(0.5)  # both workers have started sleeping
    started = time.monotonic()
    workers.abort()
    assert time.monotonic() - started < 10
    assert not multiprocessing.active_children()


def test_ctrl_c_cutting_short_an_extension_import_in_the_roll_up_exits_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The roll-up imports datasketch (and so scipy's pybind11 modules) late; a Ctrl-C inside
    such an import surfaces as ImportError("initialization failed") caused by the interrupt."""
    import multiprocessing

    from fazhi_review.batch.run import run_batch_command

    def interrupted_import(*args: object, **kwargs: object) -> None:
        raise ImportError("initialization failed") from KeyboardInterrupt()

    copy_examples(tmp_path / "in")
    monkeypatch.setattr("fazhi_review.batch.run.write_rollup", interrupted_import)
    assert run_batch_command([tmp_path / "in"], offline_options(tmp_path / "out", jobs=2)) == 130
    error = capsys.readouterr().err
    assert "已中断" in error and "汇总表、县级汇总和查看网页可能不全" in error  # the roll-up was cut short: said so
    assert not multiprocessing.active_children()


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc to look for leftover workers")
@pytest.mark.parametrize("delay", [0.15, 0.35, 0.8, 1.6, 2.4])
def test_ctrl_c_at_any_moment_exits_130_and_leaves_no_worker(tmp_path: Path, delay: float) -> None:
    """From the imports (0.15 s: typer, pydantic, the engine) to the roll-up: exit 130 with one
    Chinese line (or 0 when the batch had finished), never a traceback, no worker left."""
    child = _batch_of_copies(tmp_path, 10, stderr=subprocess.PIPE)
    time.sleep(delay)
    child.send_signal(signal.SIGINT)  # to the main process only, as `kill -INT` does
    try:
        _, stderr = child.communicate(timeout=60)
    finally:
        child.kill()
    assert child.returncode in (130, 0), stderr.decode()
    assert "Traceback" not in stderr.decode()
    assert child.returncode == 0 or "已中断" in stderr.decode()
    assert not _processes_mentioning(str(tmp_path / "out")), "worker processes left behind"


def _batch_of_copies(tmp_path: Path, copies: int, stderr: int) -> subprocess.Popen[bytes]:
    """``fazhi batch`` started as the console script starts it, on ``copies`` distinct copies of the examples."""
    folder = tmp_path / "in"
    for copy in range(copies):
        for path in EXAMPLES:
            write(folder / f"{path.stem}-{copy}.txt", path.read_text(encoding="utf-8") + f"\n（第{copy}份）\n")
    command = [sys.executable, "-c", _CHILD, "batch", str(folder), "-o", str(tmp_path / "out"), "--engine", "offline", "--quiet"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)


def _processes_mentioning(text: str) -> list[int]:
    """Live processes whose command line holds ``text`` (forked workers share the parent's)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
                state = next(line for line in (entry / "status").read_text().splitlines() if line.startswith("State:"))
            except (OSError, StopIteration):
                continue
            if text in cmdline and "zombie" not in state:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux's")
def test_a_batch_killed_outright_leaves_no_worker(tmp_path: Path) -> None:
    """kill -9 (or the OOM killer) gives the parent no chance to stop its workers: they go with it."""
    child = _batch_of_copies(tmp_path, 20, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(_processes_mentioning(str(tmp_path / "out"))) < 2:
        time.sleep(0.05)  # until the workers are forked
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _processes_mentioning(str(tmp_path / "out")):
        time.sleep(0.1)
    assert not _processes_mentioning(str(tmp_path / "out")), "worker processes left behind"
