"""Run the deterministic stages once: ingest → normalize → structure → facts → checks.

Every engine (offline, LLM) and every later stage takes an ``Analysis`` and never re-reads the
file or re-parses the text.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from fazhi_review.checks import run_checks
from fazhi_review.config import CheckProfile, load_check_profile
from fazhi_review.facts import extract_facts
from fazhi_review.ingest import read_document
from fazhi_review.models import Document, Finding, NormalizedText, NumericFact, Report
from fazhi_review.normalize import normalize
from fazhi_review.structure import parse_structure


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


def analyze_path(path: str | os.PathLike[str], profile: CheckProfile | None = None) -> Analysis:
    return analyze_document(read_document(path), profile)
