"""Data shapes of a county batch: one row per report, cross-report findings, failures, the roll-up.

They live below ``render`` (imported by nothing but ``models``) so that the roll-up renderers
(xlsx, Markdown, 公文 docx, HTML viewer) and the batch scheduler share one vocabulary without
the renderers importing the scheduler.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import Literal

from pydantic import BaseModel, Field

from fazhi_review.models import Evidence, ReportSummary, Severity

Verdict = Literal["通过", "修改完善后报送", "退回重报"]
FailureCategory = Literal["输入错误", "输出错误", "用法错误", "配置错误", "模型服务错误", "内部错误"]


class CrossSide(BaseModel):
    """Where a cross-report finding stands in one of the reports (offsets into its original)."""

    report: str  # the report's output name (ReportRow.name)
    source_file: str
    issuer: str | None = None
    report_year: int | None = None
    evidence: Evidence


class CrossFinding(BaseModel):
    """A finding that needs two reports to see: its evidence is in both."""

    rule_id: str
    title: str
    severity: Severity
    basis: str
    explanation: str
    sides: list[CrossSide] = Field(min_length=2)


class ReportRow(BaseModel):
    """One report of the batch as the roll-up sees it."""

    name: str
    source_file: str
    summary: ReportSummary
    verdict: Verdict | None = None
    verdict_reasons: list[str] = Field(default_factory=list)

    @property
    def on_time(self) -> bool | None:
        """None when the signing date is unknown; the deadline itself is the rule pack's call."""
        if self.summary.meta.signed_date is None or self.summary.meta.report_year is None:
            return None
        return not any(r.rule_id == "late-report" for r in self.summary.risks)


def reporter(issuer: str | None, source_file: str) -> str:
    """Who a report is from: its issuer, or its file's name in quotation marks when the issuer is
    not read (so that a name like "报告-3" does not run into the year that follows it)."""
    return issuer or f"“{PurePath(source_file).name}”"


def report_label(who: str, year: int | None) -> str:
    """How a cross-report finding names a report ("许明寺镇2023年度报告"); a township's own
    letter finds its report by these words and calls it 本报告."""
    return f"{who}{f'{year}年度' if year else ''}报告"


#: cross-report rules whose every side is addressed (either township may have copied); the
#: others address their first side only, this year's report (last year's letter is long sent)
ADDRESS_EVERY_SIDE = frozenset({"copied-passage"})


def addressed_sides(finding: CrossFinding) -> list[CrossSide]:
    """The sides whose report's 审阅意见 carries the finding (and whose roll-up rows count it)."""
    return finding.sides if finding.rule_id in ADDRESS_EVERY_SIDE else finding.sides[:1]


class FailureRecord(BaseModel):
    file: str
    reason: str  # the Chinese message the user would have seen for this file alone
    category: FailureCategory
    exit_code: int


class SkippedFile(BaseModel):
    """A file found in an input folder and not read as a report (a scan, a spreadsheet, a lock
    file): listed with the failures, since a scanned report is still a report nobody reviewed."""

    file: str
    reason: str


class Rollup(BaseModel):
    """Everything the county roll-up and the viewer index are rendered from."""

    reports: list[ReportRow]
    cross_findings: list[CrossFinding] = Field(default_factory=list)
    failures: list[FailureRecord] = Field(default_factory=list)
    skipped: list[SkippedFile] = Field(default_factory=list)
    generated: dt.date = Field(default_factory=dt.date.today)

    def cross_for(self, name: str) -> list[tuple[CrossFinding, CrossSide]]:
        """This report's side of every cross-report finding that involves it (the viewer shows
        last year's side of a year-over-year finding too)."""
        return [(f, side) for f in self.cross_findings for side in f.sides if side.report == name]

    def cross_addressed_to(self, name: str) -> list[tuple[CrossFinding, CrossSide]]:
        """The findings this report's 审阅意见 carries, with its side: what the roll-up counts."""
        return [(f, side) for f in self.cross_findings for side in addressed_sides(f) if side.report == name]
