"""The checks stage: deterministic rules over the clean text, structure and facts → Finding[].

A text that does not read as a 法治政府建设 report gets the `not-a-report` finding (and any
`prompt-injection`) instead of the report rules: see ``genre``.

One module per rule family; the catalogue (titles, severities, bases) is in ``catalogue``. The
LLM path adds judgement findings on top of these and never drops them (DESIGN.md).
"""

from __future__ import annotations

from collections.abc import Callable

from fazhi_review.checks import balance, dates, genre, injection, numbering, numbers, parts, placeholders, references, repetition
from fazhi_review.checks.catalogue import RULE_PACK_VERSION, RULES, Rule, get_rule, make_finding
from fazhi_review.checks.context import CheckContext
from fazhi_review.config import CheckProfile
from fazhi_review.models import Finding, NormalizedText, NumericFact, Report

__all__ = ["FAMILIES", "RULES", "RULE_PACK_VERSION", "Rule", "get_rule", "make_finding", "run_checks"]

#: every rule family, in the order a reviewer reads them (structure first, wording last)
FAMILIES: tuple[Callable[[CheckContext], list[Finding]], ...] = (
    genre.check,
    injection.check,
    parts.check,
    dates.check,
    balance.check,
    numbering.check,
    references.check,
    placeholders.check,
    numbers.check,
    repetition.check,
)


def _key(finding: Finding) -> tuple[object, ...]:
    """Findings with the same rule at the same place say the same thing once."""
    evidence = finding.evidence
    where = (evidence.start, evidence.end) if evidence else finding.explanation
    return (finding.rule_id, where)


def _position(finding: Finding) -> tuple[int, int, int, str]:
    """Text order; findings without evidence (whole-report gaps) go last."""
    evidence = finding.evidence
    if evidence is None:
        return (1, 0, 0, "")  # stable: keeps family order (parts first)
    return (0, evidence.start, evidence.end, finding.rule_id)


def run_checks(
    norm: NormalizedText,
    report: Report,
    facts: list[NumericFact],
    profile: CheckProfile | None = None,
) -> list[Finding]:
    """Run every family; sorted by position in the original text, duplicates removed."""
    ctx = CheckContext(norm=norm, report=report, facts=list(facts), profile=profile or CheckProfile())
    seen: set[tuple[object, ...]] = set()
    findings: list[Finding] = []
    # a text that is not a report is told so once; rules about a report's parts would only mislead
    verdict = genre.judge(ctx)  # once: it picks the families and is the genre family's finding
    families = FAMILIES if verdict.is_report else (genre.check, injection.check)
    for family in families:
        for finding in genre.findings(ctx, verdict) if family is genre.check else family(ctx):
            key = _key(finding)
            if key not in seen:
                seen.add(key)
                findings.append(finding)
    return sorted(findings, key=_position)
