"""``fazhi eval``: score an engine/endpoint against gold annotations (../shared/gold format).

A gold file names its report in ``report``; each score says what was compared:
- parts: the five statutory parts present/absent as in gold;
- indicators: same value (numeric) and unit, and the evidence overlaps the gold quote;
- findings: same rule id, and the evidence overlaps the gold quote when both have one;
  split into rule findings and judgement findings (``"judgement": true``);
- ungrounded: claims the engine rejected and dropped (how much the model invents), and emitted
  quotes that are not verbatim (must always be 0).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from fazhi_review.analysis import analyze_path
from fazhi_review.errors import UsageError
from fazhi_review.models import REQUIRED_PARTS, Evidence, ReportSummary
from fazhi_review.pipeline import SummarizeOptions, summarize_analysis


@dataclass
class ReportScore:
    report: str
    characters: int
    parts_correct: int
    parts_total: int
    indicators_found: int
    indicators_gold: int
    indicators_emitted: int
    indicators_matching: int
    rule_findings_found: int
    rule_findings_gold: int
    judgement_findings_found: int
    judgement_findings_gold: int
    shortcomings_found: int
    shortcomings_gold: int
    dropped_claims: int
    ungrounded_emitted: int
    calls: int
    attempts: int
    prompt_tokens: int
    completion_tokens: int


def _positions(original: str, quote: str) -> list[tuple[int, int]]:
    found, start = [], original.find(quote)
    while start != -1:
        found.append((start, start + len(quote)))
        start = original.find(quote, start + 1)
    return found


def _overlaps(evidence: Evidence | None, spans: list[tuple[int, int]]) -> bool:
    return evidence is not None and any(evidence.start < end and start < evidence.end for start, end in spans)


def _indicator_matches(summary: ReportSummary, gold: dict[str, Any], original: str) -> tuple[int, int]:
    """(gold indicators found, emitted indicators that match some gold indicator)."""
    found, matching = 0, set()
    for item in gold.get("indicators", []):
        spans = _positions(original, item["quote"])
        hits = [i for i, ind in enumerate(summary.indicators) if float(ind.value) == float(item["value"]) and ind.unit == item["unit"] and _overlaps(ind.evidence, spans)]
        found += bool(hits)
        matching.update(hits)
    return found, len(matching)


def _finding_found(summary: ReportSummary, finding: dict[str, Any], original: str) -> bool:
    spans = _positions(original, finding["quote"]) if finding.get("quote") else []
    for risk in summary.risks:
        if risk.rule_id != finding["rule"]:
            continue
        if not spans or risk.evidence is None or _overlaps(risk.evidence, spans):
            return True
    return False


def _not_verbatim(summary: ReportSummary, original: str) -> int:
    return sum(1 for _, _, e in summary.iter_evidence() if original[e.start : e.end] != e.quote)


def score_report(summary: ReportSummary, gold: dict[str, Any], original: str) -> ReportScore:
    parts = gold.get("parts", {})
    correct = sum(1 for p in REQUIRED_PARTS if p in parts and (summary.parts.get(p) is not None) == bool(parts[p]))
    found, matching = _indicator_matches(summary, gold, original)
    findings = gold.get("findings", [])
    rule = [f for f in findings if not f.get("judgement")]
    judgement = [f for f in findings if f.get("judgement")]
    shortcomings = gold.get("shortcomings", [])
    p = summary.provenance
    return ReportScore(
        report=gold["report"],
        characters=len(original),
        parts_correct=correct,
        parts_total=sum(1 for part in REQUIRED_PARTS if part in parts),
        indicators_found=found,
        indicators_gold=len(gold.get("indicators", [])),
        indicators_emitted=len(summary.indicators),
        indicators_matching=matching,
        rule_findings_found=sum(_finding_found(summary, f, original) for f in rule),
        rule_findings_gold=len(rule),
        judgement_findings_found=sum(_finding_found(summary, f, original) for f in judgement),
        judgement_findings_gold=len(judgement),
        shortcomings_found=sum(1 for s in shortcomings if any(_overlaps(x.evidence, _positions(original, s["quote"])) for x in summary.shortcomings)),
        shortcomings_gold=len(shortcomings),
        dropped_claims=p.dropped_claims,
        ungrounded_emitted=_not_verbatim(summary, original),
        calls=p.calls,
        attempts=p.attempts,
        prompt_tokens=p.usage.prompt_tokens,
        completion_tokens=p.usage.completion_tokens,
    )


def evaluate(gold_dir: Path, reports_dir: Path, options: SummarizeOptions) -> list[ReportScore]:
    """Scores per gold file; a model that gives nothing grounded is scored, not an error."""
    options = replace(options, fallback="offline")
    gold_files = sorted(gold_dir.glob("*.json")) if gold_dir.is_dir() else []
    if not gold_files:
        raise UsageError("目录中没有 gold 标注文件（*.json）", path=str(gold_dir))
    scores = []
    for path in gold_files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        if "report" not in gold:
            continue
        analysis = analyze_path(reports_dir / gold["report"], options.profile)  # None: fazhi.toml [checks]
        summary = summarize_analysis(analysis, options)
        scores.append(score_report(summary, gold, analysis.document.text))
    return scores


def totals(scores: list[ReportScore]) -> dict[str, int]:
    keys = [k for k in asdict(scores[0]) if k != "report"] if scores else []
    return {k: sum(getattr(s, k) for s in scores) for k in keys}
