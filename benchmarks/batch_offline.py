"""fazhi batch, offline engine: throughput per core after start-up, and peak memory by size.

Throughput: N reports (variants of the bundled examples) at --jobs = cores; the rate is taken
between the first and the last finished report, so pool start-up is excluded; it is printed for
the whole per-report job (analysis, summary, 审阅意见 .md/.docx, summary .json/.md) and for the
engine alone (ingest → summary, no files), so it is clear where the time goes. CPU per report is
split between the worker processes and the parent; the roll-up's workbook (汇总表.xlsx) and viewer
pages are written by worker processes while the parent writes the rest of the roll-up, so their
CPU counts in the workers' figure. The rate after start-up is printed twice: for the reports
(first to last finished report) and up to the end of the roll-up, whose workbook (openpyxl, one
cell at a time) is printed on its own.

Peak memory: the batch is run in a fresh child process per size; printed are the parent's
peak RSS (it holds the roll-up) and the largest worker's.

    python benchmarks/batch_offline.py                        # N=100; memory for 10, 100, 1000
    python benchmarks/batch_offline.py --reports 100 --sizes 10 100 --repeat 5
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TextIO, cast

from batch_llm_latency import make_reports

from fazhi_review.analysis import analyze_path
from fazhi_review.batch import BatchOptions, BatchResult, run_batch
from fazhi_review.batch.cache import Manifest
from fazhi_review.batch.review_step import review_outputs, review_settings
from fazhi_review.batch.rollup import load_docs
from fazhi_review.county import Rollup
from fazhi_review.engine import summarize_offline
from fazhi_review.pipeline import SummarizeOptions
from fazhi_review.render.xlsx import rollup_xlsx_bytes


class Stamps:
    """A progress stream that only notes when each report finished."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def write(self, text: str) -> int:
        if text.startswith("["):
            self.times.append(time.perf_counter())
        return len(text)

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False


def run(folder: Path, outdir: Path, jobs: int, stamps: Stamps | None = None) -> tuple[float, BatchResult]:
    options = BatchOptions(
        outdir=outdir,
        jobs=jobs,
        quiet=stamps is None,
        progress_stream=cast(TextIO, stamps),
        summarize=SummarizeOptions(engine="offline", notify=lambda _m: None),
    )
    start = time.perf_counter()
    result = run_batch([folder], options)
    assert result.succeeded == result.total, result.failures
    return time.perf_counter() - start, result


def batch(folder: Path, outdir: Path, jobs: int, stamps: Stamps | None = None) -> float:
    return run(folder, outdir, jobs, stamps)[0]


def cpu_seconds() -> tuple[float, float]:
    """CPU time of this process and of its finished children (the batch's worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def batch_cpu(folder: Path, outdir: Path, jobs: int) -> tuple[float, float]:
    before = cpu_seconds()
    batch(folder, outdir, jobs)
    after = cpu_seconds()
    return after[0] - before[0], after[1] - before[1]


def marginal_cpu(tmp: Path, count: int, jobs: int) -> None:
    """CPU per report, by difference of a small and a full batch: start-up (imports in every
    worker, the roll-up's fixed part) cancels out, and other programs on a shared machine do not
    count, so the figure holds where the wall-clock rate is at the mercy of the machine's load."""
    small = max(1, count // 10)
    make_reports(tmp / "small", small)
    parent_small, workers_small = batch_cpu(tmp / "small", tmp / "small-out", jobs)
    parent_full, workers_full = batch_cpu(tmp / "in", tmp / "cpu-out", jobs)
    extra = count - small
    workers, parent = (workers_full - workers_small) / extra, (parent_full - parent_small) / extra
    print(
        f"CPU per report after start-up: {workers * 1000:.1f} ms in the workers + {parent * 1000:.1f} ms in the parent (roll-up included)"
        f" = {1 / workers:.0f} reports/s per core of worker CPU (target ≥ 100)"
    )


def one_batch(folder: Path, outdir: Path, jobs: int) -> tuple[float, float, float, BatchResult]:
    """(wall, reports/s after start-up, reports/s from the first finished report to the end)."""
    stamps = Stamps()
    started = time.perf_counter()
    wall, result = run(folder, outdir, jobs, stamps)
    rate = (len(stamps.times) - 1) / (stamps.times[-1] - stamps.times[0])
    whole = (len(stamps.times) - 1) / (started + wall - stamps.times[0])
    return wall, rate, whole, result


def throughput(count: int, jobs: int, repeat: int) -> None:
    """The batch is run ``repeat`` times into fresh folders; every run is printed and the best is
    the figure (as timeit takes the minimum: a shared VM's other tenants only ever slow a run)."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_reports(Path(tmp) / "in", count)
        runs = [one_batch(Path(tmp) / "in", Path(tmp) / f"out{index}", jobs) for index in range(repeat)]
        for wall, rate, whole, _ in runs:
            print(f"  run: {wall:.2f} s wall, {rate / jobs:.1f} reports/s per core after start-up, {whole / jobs:.1f} with the roll-up")
        wall, rate, whole, result = max(runs, key=lambda found: found[1])
        print(
            f"batch of {count} at --jobs {jobs}, best of {repeat}: {wall:.2f} s wall; {rate:.1f} reports/s after start-up = {rate / jobs:.1f} reports/s per core (target ≥ 100)"
        )
        print(
            f"  with the roll-up ({result.rollup_seconds:.2f} s; 汇总表.xlsx alone ≈ {xlsx_seconds(Path(tmp) / 'out0'):.2f} s of openpyxl): "
            f"{max(found[2] for found in runs):.1f} reports/s from the first finished report to the end = {max(found[2] for found in runs) / jobs:.1f} per core"
        )
        marginal_cpu(Path(tmp), count, jobs)
        summarize_offline(analyze_path(paths[0]))
        start = time.perf_counter()
        for path in paths:
            summarize_offline(analyze_path(path))
        engine_rate = len(paths) / (time.perf_counter() - start)
        print(f"engine alone (ingest → summary, one core, no files): {engine_rate:.1f} reports/s per core")
        summary, settings = summarize_offline(analyze_path(paths[0])), review_settings()
        start = time.perf_counter()
        for _ in range(5):
            review_outputs(summary, settings)
        print(f"审阅意见 alone (fazhi review's draft + Markdown + Word writer): {(time.perf_counter() - start) / 5 * 1000:.0f} ms per report")


def xlsx_seconds(outdir: Path) -> float:
    """CPU seconds to build the county workbook from the batch's files (it runs in one worker)."""
    rows, _docs = load_docs(outdir, Manifest.load(outdir))
    rollup = Rollup(reports=rows, cross_findings=[], failures=[])
    start = time.process_time()
    rollup_xlsx_bytes(rollup)
    return time.process_time() - start


def memory_child(count: int, jobs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        make_reports(Path(tmp) / "in", count)
        wall = batch(Path(tmp) / "in", Path(tmp) / "out", jobs)
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{count:5d} reports: {wall:7.1f} s, peak RSS parent {parent:6.1f} MiB, largest worker {worker:6.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10, 100, 1000])
    parser.add_argument("--repeat", type=int, default=3, help="throughput runs; the best is the figure")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, args.jobs)
        return
    print(f"cores={os.cpu_count()} load average={os.getloadavg()[0]:.1f}")
    throughput(args.reports, args.jobs, args.repeat)
    for size in args.sizes:
        subprocess.run([sys.executable, __file__, "--memory-child", str(size), "--jobs", str(args.jobs)], check=True)


if __name__ == "__main__":
    main()
