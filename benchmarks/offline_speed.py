"""How fast the offline path is: ingest → normalize → structure → facts → checks → summary.

For each example report, and for a long synthetic report made by concatenating one example
several times, prints the median wall time of N runs, characters per second, and the peak
Python memory of one run (tracemalloc, measured in a separate run so it does not slow the
timed ones).

    python benchmarks/offline_speed.py              # N = 20, the longest example ×10
    python benchmarks/offline_speed.py --runs 5 --repeat 20
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from fazhi_review.analysis import analyze_path
from fazhi_review.engine import summarize_offline

REPO = Path(__file__).resolve().parents[1]


def summarize(path: Path) -> int:
    """One full offline run from the file on disk; returns the number of indicators (kept alive)."""
    return len(summarize_offline(analyze_path(path)).indicators)


def median_seconds(path: Path, runs: int) -> float:
    summarize(path)  # warm-up: imports, regex compilation, cn2an tables
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        summarize(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_memory(path: Path) -> int:
    tracemalloc.start()
    try:
        summarize(path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def long_report(examples: list[Path], repeat: int, directory: Path) -> Path:
    """The longest example written ``repeat`` times in a row, as one .txt."""
    longest = max(examples, key=lambda p: len(p.read_text(encoding="utf-8")))
    text = "\n".join([longest.read_text(encoding="utf-8")] * repeat)
    path = directory / f"{longest.stem}-x{repeat}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def row(path: Path, runs: int) -> tuple[str, int, float, float, float, int]:
    characters = len(path.read_text(encoding="utf-8"))
    seconds = median_seconds(path, runs)
    return (path.stem, characters, seconds * 1000, characters / seconds, peak_memory(path) / 2**20, summarize(path))


def print_table(rows: list[tuple[str, int, float, float, float, int]], runs: int) -> None:
    header = ("report", "chars", f"median ms (N={runs})", "chars/s", "peak MiB", "indicators")
    cells = [header] + [(name, f"{chars}", f"{ms:.1f}", f"{rate:,.0f}", f"{mib:.1f}", f"{n}") for name, chars, ms, rate, mib, n in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    for number, cell_row in enumerate(cells):
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cell_row, widths, strict=False))))
        if number == 0:
            print("  ".join("-" * w for w in widths))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", "-n", type=int, default=20, help="timed runs per report (median is shown)")
    parser.add_argument("--repeat", type=int, default=10, help="copies of the longest example in the long report")
    parser.add_argument("--examples", type=Path, default=REPO / "examples", help="directory of .txt reports")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.repeat < 1:
        parser.error("--runs and --repeat must be at least 1")
    examples = sorted(args.examples.glob("*.txt"))
    if not examples:
        parser.error(f"no .txt reports in {args.examples}")
    with tempfile.TemporaryDirectory() as directory:
        paths = [*examples, long_report(examples, args.repeat, Path(directory))]
        rows = [row(path, args.runs) for path in paths]
    print(f"fazhi-review offline engine, Python {sys.version.split()[0]}")
    print_table(rows, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
