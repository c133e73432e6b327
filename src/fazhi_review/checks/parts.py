"""missing-part:<part>: a statutory part of the annual report is absent in substance.

厅字〔2019〕28号 fixes what the report contains (DOMAIN.md). The structure stage has already
judged each part by content, not by headings alone; this family only words the gap. Where a
heading promises the part (“存在的不足和原因”) but the body does not deliver it, the heading is
the evidence — the reviewer sees exactly what was claimed and not written. A part whose heading
stands over a bare "无" is not missing: empty-part:<part> says what is there (the heading, "无").
"""

from __future__ import annotations

import re

from fazhi_review.checks.catalogue import make_finding
from fazhi_review.checks.context import CheckContext
from fazhi_review.models import PART_LABELS, REQUIRED_PARTS, Evidence, Finding
from fazhi_review.structure.parts import answered_none, parts_named

_EXPLANATIONS: dict[str, str] = {
    "achievements": "报告未写上一年度推进法治政府建设的主要举措和成效。",
    "first_responsible": "报告没有党政主要负责人履行推进法治建设第一责任人职责、加强法治政府建设有关情况的内容。",
    "shortcomings": "报告未写法治政府建设存在的不足。",
    "reasons": "报告列出了不足，但未分析产生不足的原因。",
    "next_year_plan": "报告未写下一年度推进法治政府建设的主要安排。",
}
#: heading words that promise a part; used only to point at the promise, never to decide presence
_PROMISES: dict[str, re.Pattern[str]] = {
    "achievements": re.compile(r"成效|举措"),
    "first_responsible": re.compile(r"第一责任人"),
    "shortcomings": re.compile(r"不足|问题"),
    "reasons": re.compile(r"原因"),
    "next_year_plan": re.compile(r"下一步|下一年|安排|计划|思路"),
}


def _promising_heading(ctx: CheckContext, part: str) -> Evidence | None:
    words = _PROMISES[part]
    for heading in ctx.report.headings:
        if heading.level == 1 and heading.style != "yishi" and words.search(heading.title):
            return ctx.span_evidence(heading.span)
    return None


def _explain(ctx: CheckContext, part: str, promised: bool) -> str:
    if part == "reasons" and not ctx.report.part_present("shortcomings"):
        return "报告既未写存在的不足，也未分析原因。"
    if promised:
        return f"标题写到了这部分内容，但正文没有相应内容：{_EXPLANATIONS[part]}"
    return _EXPLANATIONS[part]


def _answered_none(ctx: CheckContext, part: str) -> Evidence | None:
    """The part's own section, when it holds nothing but "无" (the heading is there: not missing)."""
    for section in ctx.report.sections:
        if section.heading is not None and part in parts_named(section.heading.title) and answered_none(ctx.text, section):
            return ctx.span_evidence(section.span)
    return None


def check(ctx: CheckContext) -> list[Finding]:
    findings = []
    empty: set[str] = set()
    for part in REQUIRED_PARTS:
        if ctx.report.part_present(part):
            continue
        if part == "reasons" and "shortcomings" in empty:
            continue  # 不足 answered "无" leave no causes to ask about: that finding says it all
        answered = _answered_none(ctx, part)
        if answered is not None:
            empty.add(part)
            findings.append(make_finding(f"empty-part:{part}", f"报告写了“{PART_LABELS[part]}”这一部分的标题，但内容只有“无”。", answered))
            continue
        evidence = _promising_heading(ctx, part)
        findings.append(make_finding(f"missing-part:{part}", _explain(ctx, part, evidence is not None), evidence))
    return findings
