"""How the offline path scales with the size of the input: time and peak memory per size.

A synthetic report of N characters is made by repeating the bundled examples (so every stage
has real headings, numbers, 不足 and plans to work on), written to a temp file and run through
the whole offline path: ingest → normalize → structure → facts → checks → offline engine →
locators, with the cycle collector paused as ``fazhi summarize`` runs. The size guard is bypassed (``max_chars=None``). Each size runs in its own process
(after one warm-up run there), so its peak resident memory (ru_maxrss) is its own; sizes up to
50k take the median of five runs, since a shared machine makes one short run noisy. Prints, per
size, the wall time of each stage and of the whole run and the peak RSS, then the ratio
time(largest)/time(50k): linear is 100 for 5M/50k, the target is ≤ 150. ``--tracemalloc``
adds the peak Python allocation (slow).

    python benchmarks/scale.py                       # 5k, 50k, 500k, 5M characters
    python benchmarks/scale.py --sizes 5000 50000 --tracemalloc
    python benchmarks/scale.py --shape tables --sizes 5000 50000 500000   # long pasted tables

``--shape tables`` makes the same sizes mostly of pasted tables: a 主要指标 table whose rows hold
figures under a two-row header (类别 | 指标 | 数值 | 同比 over 2023年 | 2024年) and a 问题 | 整改措施
table of sentences, one row after another, so the per-row readers (figures, header labels,
column-named tables) show whether they stay linear in the number of rows.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fazhi_review.analysis import Analysis, cycle_collection_paused
from fazhi_review.checks import run_checks
from fazhi_review.engine import summarize_offline
from fazhi_review.facts import extract_facts
from fazhi_review.ingest import read_document
from fazhi_review.normalize import normalize
from fazhi_review.structure import parse_structure

REPO = Path(__file__).resolve().parents[1]
SIZES = [5_000, 50_000, 500_000, 5_000_000]


def synthetic_report(chars: int, shape: str = "prose") -> str:
    """The examples one after another, cut to ``chars`` characters; or, for ``shape`` "tables",
    one example followed by two long pasted tables filling the rest."""
    base = "\n".join(path.read_text(encoding="utf-8") for path in sorted((REPO / "examples").glob("*.txt")))
    if shape == "prose":
        return (base * (chars // len(base) + 1))[:chars]
    head = base[: min(len(base), chars // 4)]
    figures = ["类别\t指标\t数值\t同比", "\t\t2023年\t2024年\t"]
    problems = ["问题\t整改措施"]
    row = 0
    while len(head) + sum(map(len, figures)) + sum(map(len, problems)) < chars:
        row += 1
        figures.append(f"执法\t第{row}项指标（件）\t{row}\t{row + 3}\t+{300 // row}%")
        problems.append(f"第{row}项工作的执法文书仍有不规范之处。\t组织第{row}批执法人员开展专项培训，年内完成整改。")
    return (head + "\n" + "\n".join(figures) + "\n\n" + "\n".join(problems) + "\n")[:chars]


def run_stages(path: Path) -> dict[str, float]:
    """Seconds per stage for one full offline run."""
    times: dict[str, float] = {}

    def timed(name: str, step: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        result = step()
        times[name] = time.perf_counter() - start
        return result

    document = timed("ingest", lambda: read_document(path))
    norm = timed("normalize", lambda: normalize(document))
    report = timed("structure", lambda: parse_structure(norm))
    facts = timed("facts", lambda: extract_facts(norm, report))
    findings = timed("checks", lambda: run_checks(norm, report, facts))
    analysis = Analysis(document=document, norm=norm, report=report, facts=facts, findings=findings)
    # the engine column is claims + assemble, which also adds coverage and the page/paragraph locators
    timed("engine", lambda: summarize_offline(analysis))
    times["total"] = sum(times.values())
    return times


def peak_mib(path: Path) -> float:
    tracemalloc.start()
    try:
        run_stages(path)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def measure_one(chars: int, python_memory: bool, shape: str = "prose") -> dict[str, float]:
    """One size in this process: a warm-up run on a small input, then the timed run."""
    with tempfile.TemporaryDirectory() as folder:
        warm = Path(folder) / "warm.txt"
        warm.write_text(synthetic_report(5_000), encoding="utf-8")
        run_stages(warm)  # imports, regex compilation
        path = Path(folder) / f"report-{chars}.txt"
        path.write_text(synthetic_report(chars, shape), encoding="utf-8")
        runs = []
        for _ in range(max(1, min(5, 250_000 // chars))):  # small sizes: the median of a few runs
            with cycle_collection_paused():  # as `fazhi summarize` runs
                runs.append(run_stages(path))
        times = sorted(runs, key=lambda run: run["total"])[len(runs) // 2]
        times["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if python_memory:
            times["py_mib"] = peak_mib(path)
        return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES, help="input sizes in characters")
    parser.add_argument("--tracemalloc", action="store_true", help="also measure peak Python allocation (slow)")
    parser.add_argument("--shape", choices=["prose", "tables"], default="prose", help="prose: the examples repeated; tables: long pasted tables")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one, args.tracemalloc, args.shape)))
        return
    stages = ["ingest", "normalize", "structure", "facts", "checks", "engine", "total"]
    extra = ["rss_mib", *(["py_mib"] if args.tracemalloc else [])]
    print("| chars | " + " | ".join(f"{s} s" for s in stages) + " | peak RSS MiB |" + (" peak Python MiB |" if args.tracemalloc else ""))
    print("|" + " --- |" * (len(stages) + 1 + len(extra)))
    totals: dict[int, float] = {}
    for chars in args.sizes:
        command = [sys.executable, __file__, "--one", str(chars), "--shape", args.shape, *(["--tracemalloc"] if args.tracemalloc else [])]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            sys.exit(f"size {chars:,} failed:\n{done.stderr}")
        times = json.loads(done.stdout)
        totals[chars] = times["total"]
        cells = [f"{times[s]:.2f}" for s in stages] + [f"{times[e]:.0f}" for e in extra]
        print(f"| {chars:,} | " + " | ".join(cells) + " |", flush=True)
    if 50_000 in totals and len(totals) > 1:
        largest = max(totals)
        print(f"\ntime({largest:,}) / time(50,000) = {totals[largest] / totals[50_000]:.0f}  (linear: {largest / 50_000:.0f}; target ≤ 150 for 5M)")


if __name__ == "__main__":
    main()
