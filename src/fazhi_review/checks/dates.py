"""late-report and plan-year-mismatch: the dates a report carries against the reporting calendar.

厅字〔2019〕28号 has townships report the previous year before 3月1日 and plan the next year
(DOMAIN.md). The deadline is a profile setting because provinces may set an earlier one; a
date ON the deadline day is not flagged (the wording "3月1日前" is read leniently). A report with
neither 落款 nor 成文日期 may still carry its portal's 发布日期; that is held to the public-disclosure
limit (4月1日前), since a page goes up after the report was sent.
"""

from __future__ import annotations

import datetime as dt
import re

from fazhi_review.checks.catalogue import make_finding
from fazhi_review.checks.context import CheckContext
from fazhi_review.config import CheckProfile
from fazhi_review.models import Evidence, Finding, ReportMeta, Span


def deadline(report_year: int, profile: CheckProfile) -> dt.date:
    """The last acceptable signing date; a day past month end (2月30日) clamps to month end."""
    return _day_after_report_year(report_year, profile.deadline_month, profile.deadline_day)


def disclosure_deadline(report_year: int, profile: CheckProfile) -> dt.date:
    """The last acceptable day to make the report public (向社会公开), read as leniently."""
    return _day_after_report_year(report_year, profile.disclosure_month, profile.disclosure_day)


def _day_after_report_year(report_year: int, month: int, day: int) -> dt.date:
    year = report_year + 1
    while day > 28:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1
    return dt.date(year, month, day)


def _lateness(meta: ReportMeta, profile: CheckProfile) -> tuple[dt.date, str, str] | None:
    """(due date, whose date, which time limit) — or None when the date is in time.

    A portal's 发布日期 is when the page went up, not when the report was sent: it is held to the
    public-disclosure limit (4月1日前), never to the reporting one (3月1日前)."""
    assert meta.signed_date is not None and meta.report_year is not None
    if meta.signed_source == "发布日期":
        due, whose, limit = disclosure_deadline(meta.report_year, profile), "网页所载发布日期（报告无落款和成文日期）", "向社会公开的时限"
    else:
        source = "落款日期" if meta.signed_source in (None, "落款") else f"网页所载{meta.signed_source}（报告无落款）"
        due, whose, limit = deadline(meta.report_year, profile), source, "报送时限"
    return (due, whose, limit) if meta.signed_date > due else None


def late_report(ctx: CheckContext) -> list[Finding]:
    meta = ctx.report.meta
    if meta.signed_date is None or meta.report_year is None:
        return []
    late = _lateness(meta, ctx.profile)
    if late is None:
        return []
    due, whose, limit = late
    evidence = ctx.span_evidence(meta.signed_span) if meta.signed_span else meta.signed_evidence
    signed = f"{meta.signed_date.year}年{meta.signed_date.month}月{meta.signed_date.day}日"
    explanation = (
        f"{meta.report_year}年度报告的{whose}为{signed}，晚于{due.year}年{due.month}月{due.day}日的{limit}"
        f"（晚{(meta.signed_date - due).days}天）。"
    )
    return [make_finding("late-report", explanation, evidence)]


def _plan_year_evidence(ctx: CheckContext, plan_year: int) -> Evidence | None:
    """Where the plan year is written: the plan's heading first, then the plan part, then anywhere."""
    written = re.compile(rf"{plan_year}\s*年")
    plan_spans = ctx.report.parts.get("next_year_plan", [])
    in_plan = [h.span for h in ctx.report.headings if any(p.start <= h.span.start < p.end for p in plan_spans)]
    for span in [*in_plan[:1], *plan_spans, Span(start=0, end=len(ctx.text))]:
        match = written.search(ctx.text, span.start, span.end)
        if match:
            return ctx.evidence(match.start(), match.end())
    return None


def plan_year_mismatch(ctx: CheckContext) -> list[Finding]:
    meta = ctx.report.meta
    if meta.plan_year is None or meta.report_year is None or meta.plan_year == meta.report_year + 1:
        return []
    explanation = (
        f"报告年度为{meta.report_year}年，下一年度安排应为{meta.report_year + 1}年，"
        f"但写的是{meta.plan_year}年。"
    )
    return [make_finding("plan-year-mismatch", explanation, _plan_year_evidence(ctx, meta.plan_year))]


def check(ctx: CheckContext) -> list[Finding]:
    return late_report(ctx) + plan_year_mismatch(ctx)
