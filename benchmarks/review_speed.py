"""How long `fazhi review` takes offline, per bundled report: the median of N runs.

Two figures per report:
- in-process: ``run_review`` from the report file to a written Word file (ingest → … → summary →
  draft → .docx, atomically written), after one warm-up run;
- command: the ``fazhi review REPORT --offline -o x.docx`` command as a user runs it, in a fresh
  Python process each time (start-up and imports included).

    python benchmarks/review_speed.py               # N = 10 in-process, 3 command runs
    python benchmarks/review_speed.py --runs 20 --command-runs 5
    python benchmarks/review_speed.py --parts-only   # only the per-part CPU table below

Then, per report, the CPU (``time.process_time``, mean of --part-runs) of the parts a batch
repeats for every report: the Word 审阅意见 (``render_draft(draft, "docx", …)``) without and with
a ``--template`` letterhead, and the cache entry's store (a new key each time, as in a batch)
and load.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fazhi_review.analysis import analyze_path
from fazhi_review.batch.cache import Cache, CacheEntry
from fazhi_review.engine import summarize_offline
from fazhi_review.pipeline import SummarizeOptions
from fazhi_review.review import draft_review
from fazhi_review.review_pipeline import ReviewOptions, load_review_settings, render_draft, run_review

REPO = Path(__file__).resolve().parents[1]


def _quiet(message: str) -> None:
    """Notices (placeholder issuer, engine choice) are not what is measured."""


def review_once(report: Path, out: Path) -> None:
    options = ReviewOptions(report=report, output=out, flags={"issuer": "基准测试办"}, summarize=SummarizeOptions(engine="offline", notify=_quiet))
    run_review(options)


def median_in_process(report: Path, out: Path, runs: int) -> float:
    review_once(report, out)  # warm-up: imports, regex compilation, python-docx template
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        review_once(report, out)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_command(report: Path, out: Path, runs: int) -> float:
    fazhi = Path(sys.executable).with_name("fazhi")
    command = [str(fazhi) if fazhi.exists() else "fazhi", "review", str(report), "--offline", "--issuer", "基准测试办", "-o", str(out)]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cpu_ms(action: Callable[[], object], runs: int) -> float:
    action()  # warm-up: the writer's per-process base, the template's first opening
    start = time.process_time()
    for _ in range(runs):
        action()
    return (time.process_time() - start) / runs * 1000


def letterhead(path: Path) -> Path:
    import docx

    template = docx.Document()
    template.sections[0].header.paragraphs[0].text = "某县委全面依法治县委员会办公室（红头）"
    template.save(str(path))
    return path


def part_figures(runs: int, scratch: Path) -> None:
    template = letterhead(scratch / "红头.docx")
    cache = Cache(scratch / "cache")
    print(f"\nCPU per report, mean of {runs}:")
    print(f"{'report':<22}{'docx':>10}{'docx+template':>15}{'cache store':>13}{'cache load':>12}")
    for report in sorted((REPO / "examples").glob("*.txt")):
        figures = "".join(f"{ms:>{width}.2f} ms" for ms, width in zip(report_parts(report, template, cache, runs), (7, 12, 10, 9), strict=True))
        print(f"{report.name:<22}{figures}")


def report_parts(report: Path, template: Path, cache: Cache, runs: int) -> tuple[float, float, float, float]:
    analysis = analyze_path(report)
    summary = summarize_offline(analysis)
    draft = draft_review(summary, load_review_settings({"issuer": "基准测试办"}))
    keys = itertools.count()
    return (
        cpu_ms(lambda: render_draft(draft, "docx", None), runs),
        cpu_ms(lambda: render_draft(draft, "docx", template), runs),
        cpu_ms(lambda: cache.store(CacheEntry(key=f"{report.stem}-{next(keys)}", summary=summary, text=analysis.document.text)), runs),
        cpu_ms(lambda: cache.load(f"{report.stem}-0"), runs),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--command-runs", type=int, default=3)
    parser.add_argument("--part-runs", type=int, default=200)
    parser.add_argument("--parts-only", action="store_true")
    args = parser.parse_args()
    if args.parts_only:
        with tempfile.TemporaryDirectory() as scratch:
            part_figures(args.part_runs, Path(scratch))
        return
    print(f"{'report':<22}{'chars':>7}{'in-process median':>20}{'command median':>17}")
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "审阅意见.docx"
        for report in sorted((REPO / "examples").glob("*.txt")):
            chars = len(report.read_text(encoding="utf-8"))
            in_process = median_in_process(report, out, args.runs)
            command = median_command(report, out, args.command_runs) if args.command_runs else float("nan")
            print(f"{report.name:<22}{chars:>7}{in_process * 1000:>17.1f} ms{command * 1000:>14.0f} ms")
        part_figures(args.part_runs, Path(scratch))


if __name__ == "__main__":
    main()
