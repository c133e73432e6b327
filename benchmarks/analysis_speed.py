"""CPU milliseconds per report for each stage of the offline path, and for each rule family.

The batch target is 100 reports a second per core, so what counts is CPU time per report of
ordinary length: this runs every examples/*.txt ``--rounds`` times (after one warm-up round) and
prints the mean CPU ms per report (``time.process_time``, so other processes on a shared machine
do not count) of: reading fazhi.toml (input limits + check profile), ingest, normalize,
structure, facts, checks (then each rule family on its own), and the offline engine.

    python benchmarks/analysis_speed.py               # 20 rounds
    python benchmarks/analysis_speed.py --rounds 50
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from fazhi_review.analysis import Analysis, cycle_collection_paused
from fazhi_review.checks import FAMILIES, run_checks
from fazhi_review.checks.context import CheckContext
from fazhi_review.config import load_check_profile, load_input_limits
from fazhi_review.engine import summarize_offline
from fazhi_review.facts import extract_facts
from fazhi_review.ingest import read_document
from fazhi_review.normalize import normalize
from fazhi_review.structure import parse_structure

REPO = Path(__file__).resolve().parents[1]
T = TypeVar("T")


def one_report(path: Path, seconds: dict[str, float]) -> None:
    """One offline run of ``path``, adding each stage's CPU seconds to ``seconds``."""

    def timed(name: str, step: Callable[[], T]) -> T:
        start = time.process_time()
        result = step()
        seconds[name] += time.process_time() - start
        return result

    def config() -> Any:
        limits = load_input_limits(None)
        return limits, load_check_profile()

    limits, profile = timed("config", config)
    document = timed("ingest", lambda: read_document(path, max_chars=limits.max_chars))
    norm = timed("normalize", lambda: normalize(document))
    report = timed("structure", lambda: parse_structure(norm))
    facts = timed("facts", lambda: extract_facts(norm, report))
    findings = timed("checks", lambda: run_checks(norm, report, facts, profile))
    analysis = Analysis(document=document, norm=norm, report=report, facts=facts, findings=findings)
    timed("engine", lambda: summarize_offline(analysis))
    ctx = CheckContext(norm=norm, report=report, facts=list(facts), profile=profile)
    for family in FAMILIES:  # again, one family at a time (run_checks skips some for a non-report)
        timed(f"  checks.{family.__module__.rsplit('.', 1)[-1]}", lambda family=family: family(ctx))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20, help="timed rounds over the examples")
    args = parser.parse_args()
    examples = sorted((REPO / "examples").glob("*.txt"))
    chars = sum(len(path.read_text(encoding="utf-8")) for path in examples) / len(examples)
    warm: dict[str, float] = defaultdict(float)
    for path in examples:  # imports, regex compilation, OpenCC, caches
        one_report(path, warm)
    seconds: dict[str, float] = defaultdict(float)
    with cycle_collection_paused():  # as `fazhi summarize` and `fazhi batch` run
        for _ in range(args.rounds):
            for path in examples:
                one_report(path, seconds)
    reports = args.rounds * len(examples)
    per_report = {name: 1000 * total / reports for name, total in seconds.items()}
    print(f"CPU ms per report: {len(examples)} examples (mean {chars:,.0f} characters) x {args.rounds} rounds")
    print("| stage | CPU ms/report |")
    print("| --- | ---: |")
    for name, ms in per_report.items():
        print(f"| {name} | {ms:.2f} |")
    stages = ("config", "ingest", "normalize", "structure", "facts", "checks", "engine")
    front = ("config", "normalize", "checks")
    print(f"| **total** | **{sum(per_report[s] for s in stages):.2f}** |")
    print(f"| front (config + normalize + checks) | {sum(per_report[s] for s in front):.2f} |")


if __name__ == "__main__":
    main()
