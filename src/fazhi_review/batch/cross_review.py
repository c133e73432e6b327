"""Cross-report findings in each report's own 审阅意见, not only in the county roll-up.

A township whose report copies another's, or repeats last year's 不足, must read that in the
letter it receives. The per-report 审阅意见 are written before the batch can see across reports,
so once the cross checks have run, every report a finding speaks to gets its 审阅意见 drafted
again — by the review command's code, from its summary with the finding added as one more risk
(evidence in this report, the explanation naming the other). The summary files stay exactly what
``fazhi summarize`` gives for the report alone.

Who a finding speaks to: both townships for ``copied-passage`` (either may have copied); only
this year's report for the year-over-year findings (last year's letter is long sent).
"""

from __future__ import annotations

from pathlib import Path

from fazhi_review.batch.cache import Manifest
from fazhi_review.batch.files import write_bytes_atomic, write_text_atomic
from fazhi_review.batch.job import summary_outputs
from fazhi_review.batch.review_step import review_outputs
from fazhi_review.county import CrossFinding, CrossSide, ReportRow, addressed_sides, report_label, reporter
from fazhi_review.models import Finding, ReportSummary
from fazhi_review.review import ReviewSettings


def cross_risks(findings: list[CrossFinding]) -> dict[str, list[Finding]]:
    """Report name → the findings that speak to it, as risks with evidence in that report."""
    risks: dict[str, list[Finding]] = {}
    for finding in findings:
        for side in addressed_sides(finding):
            risks.setdefault(side.report, []).append(
                Finding(
                    rule_id=finding.rule_id,
                    title=finding.title,
                    severity=finding.severity,
                    basis=finding.basis,
                    explanation=_in_own_letter(finding.explanation, side),
                    evidence=side.evidence,
                )
            )
    return risks


def _in_own_letter(explanation: str, side: CrossSide) -> str:
    """The finding as the township reads it in its own letter: "本报告" where the county's list
    names its report ("许明寺镇2023年度报告的不足…" → "本报告的不足…"); the other report keeps
    its name."""
    return explanation.replace(report_label(reporter(side.issuer, side.source_file), side.report_year), "本报告")


def with_cross_risks(summary: ReportSummary, risks: list[Finding]) -> ReportSummary:
    return summary.model_copy(update={"risks": [*summary.risks, *risks]})


def review_with_cross_findings(
    outdir: Path, rows: list[ReportRow], findings: list[CrossFinding], settings: ReviewSettings, manifest: Manifest
) -> list[ReportRow]:
    """Rewrite the 审阅意见 (.md, .docx) of every report a finding speaks to, and of every report
    whose letter still carries findings that are gone; return the rows with the verdicts those
    letters now carry (the roll-up lists them). The manifest notes what each letter carries."""
    updated, speaking_to = [], cross_risks(findings)
    for row in rows:
        risks = speaking_to.get(row.name, [])
        entry = manifest.reports.get(row.name)
        carried = entry.cross_findings if entry is not None else 0
        if not risks and not carried:
            updated.append(row)
            continue
        review = review_outputs(with_cross_risks(row.summary, risks), settings)
        paths = summary_outputs(row.name)
        write_text_atomic(outdir / paths["review_md"], review.markdown)
        write_bytes_atomic(outdir / paths["review_docx"], review.docx)
        if entry is not None:
            entry.cross_findings = len(risks)
        updated.append(row.model_copy(update={"verdict": review.verdict, "verdict_reasons": review.reasons}))
    return updated
