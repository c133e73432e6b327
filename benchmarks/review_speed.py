"""How long `fazhi review` takes offline, per bundled report: the median of N runs.

Two figures per report:
- in-process: ``run_review`` from the report file to a written Word file (ingest → … → summary →
  draft → .docx, atomically written), after one warm-up run;
- command: the ``fazhi review REPORT --offline -o x.docx`` command as a user runs it, in a fresh
  Python process each time (start-up and imports included).

    python benchmarks/review_speed.py               # N = 10 in-process, 3 command runs
    python benchmarks/review_speed.py --runs 20 --command-runs 5
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fazhi_review.pipeline import SummarizeOptions
from fazhi_review.review_pipeline import ReviewOptions, run_review

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--command-runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'report':<22}{'chars':>7}{'in-process median':>20}{'command median':>17}")
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "审阅意见.docx"
        for report in sorted((REPO / "examples").glob("*.txt")):
            chars = len(report.read_text(encoding="utf-8"))
            in_process = median_in_process(report, out, args.runs)
            command = median_command(report, out, args.command_runs) if args.command_runs else float("nan")
            print(f"{report.name:<22}{chars:>7}{in_process * 1000:>17.1f} ms{command * 1000:>14.0f} ms")


if __name__ == "__main__":
    main()
