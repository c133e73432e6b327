"""outdated-reference: a 2021+ report leaning on documents, laws or wording that no longer apply.

Facts (DOMAIN.md): the 2015—2020 纲要 was superseded by the 2021—2025 纲要 (中发〔2021〕33号);
七五普法 ran 2016—2020, 八五 runs 2021—2025; the 民法典 (in force 2021-01-01) repealed 民法通则、
合同法、物权法、侵权责任法、婚姻法、继承法、收养法、担保法、民法总则; the old 纲要 goal read
"廉洁高效、守法诚信". "法制政府" for "法治政府" is a writing error in any year. A 2026—2030
纲要 or 九五 plan is unconfirmed, so nothing is said about them either way.

A sentence that itself says the old text was repealed or is being summed up (废止、收官、验收)
is history, not reliance, and is left alone.
"""

from __future__ import annotations

import re

from fazhi_review.checks.catalogue import make_finding
from fazhi_review.checks.context import CheckContext
from fazhi_review.models import Finding
from fazhi_review.text import enclosing_sentence

#: the year the 2021—2025 纲要, 八五普法 and 民法典 all took over
_NEW_ERA = 2021
_DASH = r"[—–\-－―~～至到]{1,2}"
_OLD_GANGYAO = re.compile(
    rf"纲要\s*[（(]\s*2015\s*年?\s*{_DASH}\s*2020\s*年?\s*[）)]"
    rf"|2015\s*年?\s*{_DASH}\s*2020\s*年?\s*[）)]?\s*》?[^。；\n]{{0,4}}法治政府建设实施纲要"
)
_QIWU = re.compile(r"[“\"「]?七五[”\"」]?\s*(?:普法|法治宣传教育)")
_OLD_GOAL = re.compile(r"廉洁高效[、，,]?\s*守法诚信")
_REPEALED = re.compile(
    r"民法通则|民法总则|(?<!劳动)(?<!劳务)合同法(?![律规])|物权法(?![律规定])|侵权责任法(?![律规])"
    r"|婚姻法(?![律规])|继承法(?![律规])|收养法(?![律规])|担保法(?![律规])"
)
_FAZHI_TYPO = re.compile(r"法制政府")
#: words that make a mention historical rather than current
_HISTORY = re.compile(r"废止|失效|取代|替代|收官|验收|总结|期间|回顾|原《|原“|旧")


def _outdated_rules() -> list[tuple[re.Pattern[str], str]]:
    return [
        (_OLD_GANGYAO, "报告年度为{year}年，仍引用已被《法治政府建设实施纲要（2021—2025年）》取代的2015—2020年纲要"),
        (_QIWU, "报告年度为{year}年，“七五”普法（2016—2020年）已结束，现行为“八五”普法（2021—2025年）"),
        (_OLD_GOAL, "报告年度为{year}年，仍使用旧纲要的目标表述“廉洁高效、守法诚信”，新纲要为“智能高效、廉洁诚信、人民满意”"),
        (_REPEALED, "报告年度为{year}年，“{quote}”已随民法典施行于2021年1月1日废止，不应再作为现行法律引用"),
    ]


def _era_findings(ctx: CheckContext, year: int) -> list[Finding]:
    findings = []
    text = ctx.text
    for pattern, template in _outdated_rules():
        for match in pattern.finditer(text):
            if _HISTORY.search(enclosing_sentence(text, match.start(), match.end())):
                continue
            evidence = ctx.evidence(match.start(), match.end())
            if evidence is None:
                continue
            explanation = template.format(year=year, quote=match.group(0)) + "。"
            findings.append(make_finding("outdated-reference", explanation, evidence))
    return findings


def _typo_findings(ctx: CheckContext) -> list[Finding]:
    findings = []
    for match in _FAZHI_TYPO.finditer(ctx.text):
        evidence = ctx.evidence(match.start(), match.end())
        if evidence is not None:
            findings.append(
                make_finding("outdated-reference", "“法制政府”应为“法治政府”（已不使用的旧提法或笔误）。", evidence)
            )
    return findings


def check(ctx: CheckContext) -> list[Finding]:
    """Era checks need the report year; without it only the 法制政府 wording is checked."""
    year = ctx.report.meta.report_year
    findings = _typo_findings(ctx)
    if year is not None and year >= _NEW_ERA:
        findings += _era_findings(ctx, year)
    return findings
