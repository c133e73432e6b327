"""Run the deterministic stages once: ingest → normalize → structure → facts → checks.

Every engine (offline, LLM) and every later stage takes an ``Analysis`` and never re-reads the
file or re-parses the text.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fazhi_review.checks import run_checks
from fazhi_review.config import CheckProfile, load_check_profile, load_input_limits
from fazhi_review.facts import extract_facts
from fazhi_review.ingest import read_document
from fazhi_review.models import Document, Finding, NormalizedText, NumericFact, Report
from fazhi_review.normalize import normalize
from fazhi_review.structure import parse_structure


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Run a whole summary without Python's cycle collector.

    The stages build millions of acyclic objects for a long text (offsets, spans, facts);
    reference counting frees them all, while every full pass of the cycle collector re-scans
    everything alive, which made a 5 MB text take a quarter longer than linear growth would.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class Analysis:
    document: Document
    norm: NormalizedText
    report: Report
    facts: list[NumericFact]
    findings: list[Finding]


def analyze_document(document: Document, profile: CheckProfile | None = None) -> Analysis:
    """``profile`` None: the [checks] table of fazhi.toml (the one place it is loaded), else defaults."""
    profile = profile if profile is not None else load_check_profile()
    norm = normalize(document)
    report = parse_structure(norm)
    facts = extract_facts(norm, report)
    findings = run_checks(norm, report, facts, profile)
    return Analysis(document=document, norm=norm, report=report, facts=facts, findings=findings)


def analyze_path(path: str | os.PathLike[str], profile: CheckProfile | None = None, max_chars: int | None = None) -> Analysis:
    """``max_chars`` None = the configured limit (fazhi.toml [input], default 2 million)."""
    limit = load_input_limits(max_chars).max_chars
    return analyze_document(read_document(path, max_chars=limit), profile)
