"""Year-over-year checks for a township whose consecutive reports are both in the batch.

A 不足 admitted last year and admitted again this year was not rectified (or the text was
copied forward); a "比上年增加X，达到Y" whose implied last-year figure is not the one last year's
report stated is a figure to verify. Both are judged only where the evidence is unambiguous:
one report per township and year, same unit, and a subject that clearly matches.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from fazhi_review.batch.crosscheck import Doc, cross_finding, describe, normal
from fazhi_review.county import CrossFinding
from fazhi_review.models import Indicator

_SAME_SHORTCOMING = 80.0
_SAME_SUBJECT = 85.0
_MIN_SHORTCOMING_CHARS = 6
_NUM = r"(\d+(?:\.\d+)?)"
_UNIT = r"(人次|万元|小时|课时|学时|件|次|场|人|份|名|个|项|家|户|条|期|篇|起|元|册)"
_UP = r"(增加|增长|提高|多|上升|减少|下降|降低|少)了?"
_THAN = r"(?:比上年|比去年|较上年|较去年|同比)(?:同期)?"
#: 比上年增加12件，达到156件 — the subject stands before 比
_DELTA_FIRST = re.compile(_THAN + _UP + _NUM + _UNIT + r"[，,]?(?:达到|达|为|共|增至|降至|至)" + _NUM + _UNIT)
#: 156件，比上年增加12件 — the subject stands before the total
#: (a change with no unit of its own is in the total's unit, unless it is a rate: "比上年增长17.1%")
_TOTAL_FIRST = re.compile(_NUM + _UNIT + r"[，,]?" + _THAN + _UP + _NUM + "(?:" + _UNIT + r"|(?!\d|\.\d|\s*(?:[%％‰]|个百分点|倍|成)))")
_CLAUSE_START = re.compile(r"[。；;\n，,：:]")
_DOWN_WORDS = ("减少", "下降", "降低", "少")


@dataclass(frozen=True)
class Claim:
    subject: str
    delta: float
    total: float
    unit: str
    start: int
    end: int

    @property
    def implied_previous(self) -> float:
        return self.total - self.delta


def _subject(text: str, end: int) -> str:
    """The words before a figure, back to the start of its clause."""
    window = text[max(0, end - 40) : end]
    cut = max((m.end() for m in _CLAUSE_START.finditer(window)), default=0)
    return window[cut:].strip()


def claims(text: str) -> list[Claim]:
    found = []
    for match in _DELTA_FIRST.finditer(text):
        verb, delta, delta_unit, total, unit = match.groups()
        if delta_unit == unit:
            sign = -1 if verb in _DOWN_WORDS else 1
            found.append(Claim(_subject(text, match.start()), sign * float(delta), float(total), unit, match.start(), match.end()))
    for match in _TOTAL_FIRST.finditer(text):
        total, unit, verb, delta, delta_unit = match.groups()
        if delta_unit in (None, unit):
            sign = -1 if verb in _DOWN_WORDS else 1
            found.append(Claim(_subject(text, match.start()), sign * float(delta), float(total), unit, match.start(), match.end()))
    return [c for c in found if len(normal(c.subject)) >= 2]


def _last_year_figures(claim: Claim, previous: Doc) -> list[tuple[float, Indicator]]:
    subject = normal(claim.subject)
    scored = []
    for indicator in previous.summary.indicators:
        if indicator.unit != claim.unit:
            continue
        score = fuzz.partial_ratio(subject, normal(indicator.evidence.quote))
        if score >= _SAME_SUBJECT:
            scored.append((score, indicator))
    return sorted(scored, key=lambda pair: -pair[0])


def inconsistent_figures(previous: Doc, current: Doc) -> list[CrossFinding]:
    findings = []
    for claim in claims(current.text):
        figures = _last_year_figures(claim, previous)
        if not figures or any(abs(float(i.value) - claim.implied_previous) < 1e-6 for _, i in figures):
            continue
        stated = figures[0][1]
        implied = f"{claim.implied_previous:g}"
        explanation = (
            f"{describe(current)}称“{claim.subject}”比上年变化{claim.delta:+g}{claim.unit}、达到{claim.total:g}{claim.unit}，据此上年应为{implied}{claim.unit}；"
            f"但{describe(previous)}写的是{stated.value:g}{stated.unit}。请核对两份报告的数据。"
        )
        sides = [current.side(claim.start, claim.end), previous.side(stated.evidence.start, stated.evidence.end)]
        findings.append(cross_finding("inconsistent-figure", explanation, sides))
    return findings


def repeated_shortcomings(previous: Doc, current: Doc) -> list[CrossFinding]:
    earlier = [normal(s.evidence.quote) for s in previous.summary.shortcomings]
    findings = []
    for shortcoming in current.summary.shortcomings:
        key = normal(shortcoming.evidence.quote)
        if len(key) < _MIN_SHORTCOMING_CHARS or not earlier:
            continue
        match = process.extractOne(key, earlier, scorer=fuzz.ratio, score_cutoff=_SAME_SHORTCOMING)
        if match is None:
            continue
        before = previous.summary.shortcomings[match[2]]
        explanation = (
            f"{describe(current)}的不足“{shortcoming.text}”与{describe(previous)}的不足“{before.text}”基本相同（相似度{match[1]:.0f}%），"
            "上年查摆的问题可能未整改到位，或照抄了上年材料。"
        )
        sides = [current.side(shortcoming.evidence.start, shortcoming.evidence.end), previous.side(before.evidence.start, before.evidence.end)]
        findings.append(cross_finding("repeated-shortcoming", explanation, sides))
    return findings


def consecutive_years(docs: list[Doc]) -> list[tuple[Doc, Doc]]:
    """(last year, this year) per township, only where each year has exactly one report."""
    by_town: dict[str, dict[int, list[Doc]]] = defaultdict(lambda: defaultdict(list))
    for doc in docs:
        if doc.year is not None:
            by_town[doc.township][doc.year].append(doc)
    pairs = []
    for years in by_town.values():
        for year, reports in sorted(years.items()):
            previous = years.get(year - 1, [])
            if len(reports) == 1 and len(previous) == 1:
                pairs.append((previous[0], reports[0]))
    return pairs


def year_over_year(docs: list[Doc]) -> list[CrossFinding]:
    findings = []
    for previous, current in consecutive_years(docs):
        findings += repeated_shortcomings(previous, current)
        findings += inconsistent_figures(previous, current)
    return findings
