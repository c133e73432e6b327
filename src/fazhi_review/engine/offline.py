"""The offline engine: an extractive ReportSummary from the deterministic stages, no network.

亮点 are the most specific sentences of the achievements part (numbers, named systems, firsts),
不足 and 整改措施 are the enumerated points of their parts, 量化指标 are the numeric facts and
合规风险 are the rule pack's findings. Every item quotes the original verbatim.
"""

from __future__ import annotations

import re

from fazhi_review.analysis import Analysis
from fazhi_review.engine.assemble import assemble, indicator_from_fact, is_plan_fact
from fazhi_review.engine.claims import Claims
from fazhi_review.engine.items import Item, clause_items, enumerated_items, sentences
from fazhi_review.engine.linking import link_measures
from fazhi_review.facts.taxonomy import categorize
from fazhi_review.models import Highlight, Measure, ReportSummary, Shortcoming, Span
from fazhi_review.text import MARKER_PREFIX

_MAX_HIGHLIGHTS = 8
_MIN_HIGHLIGHT_SCORE = 3
_HIGHLIGHT_MAX_CHARS = 160
_FIRSTS = re.compile(r"首次|首个|首创|率先|全(?:市|县|区|省)(?:第一|首)|示范|试点|创新|获评|荣获|表彰|先进")
_NAMED = re.compile(r"《[^》]{2,40}》|“[^”]{2,20}”")
_SYSTEM_WORDS = re.compile(r"制度|机制|平台|清单|台账|工作站|工作室")
_SHORTCOMING_WORDS = re.compile(r"不足|问题|有待|仍需|还需|不够|薄弱|亟待|尚未|欠缺|不平衡|不明显|不强|单一")
_PLAN_WORDS = re.compile(r"加强|推进|完善|提升|提高|落实|开展|健全|深化|强化|加大|推动")
_REASON_WORDS = re.compile(r"原因|由于|因为|导致")


def _highlight_score(analysis: Analysis, span: Span) -> int:
    sentence = analysis.norm.text[span.start : span.end]
    facts = sum(1 for f in analysis.facts if span.start <= f.span.start < span.end)
    score = 2 * min(facts, 3)
    score += 2 if _NAMED.search(sentence) else 0
    score += 1 if _SYSTEM_WORDS.search(sentence) else 0
    score += 3 if _FIRSTS.search(sentence) else 0
    return score


def highlights(analysis: Analysis) -> list[Highlight]:
    text = analysis.norm.text
    candidates = [s for s in sentences(text, analysis.report.parts["achievements"]) if len(s) <= _HIGHLIGHT_MAX_CHARS]
    scored = sorted(((_highlight_score(analysis, s), s) for s in candidates), key=lambda pair: (-pair[0], pair[1].start))
    chosen = sorted((s for score, s in scored[:_MAX_HIGHLIGHTS] if score >= _MIN_HIGHLIGHT_SCORE), key=lambda s: s.start)
    result = []
    for span in chosen:
        sentence = MARKER_PREFIX.sub("", text[span.start : span.end])
        result.append(Highlight(text=sentence, category=categorize(sentence), evidence=analysis.norm.span_evidence(span)))
    return result


def _items(analysis: Analysis, part: str, keep: re.Pattern[str]) -> list[Item]:
    spans = analysis.report.parts[part]
    text = analysis.norm.text
    return enumerated_items(text, analysis.report, spans) or clause_items(text, spans, keep)


def shortcomings(analysis: Analysis, items: list[Item]) -> list[Shortcoming]:
    text, norm = analysis.norm.text, analysis.norm
    reasons = analysis.report.parts["reasons"]
    result = []
    for item in items:
        body = text[item.extent.start : item.extent.end]
        has_reason = bool(_REASON_WORDS.search(body)) or any(item.extent.start <= r.start < item.extent.end for r in reasons)
        result.append(Shortcoming(text=text[item.headline.start : item.headline.end], has_reason=has_reason, evidence=norm.span_evidence(item.headline)))
    return result


def measures(analysis: Analysis, shortcoming_items: list[Item]) -> list[Measure]:
    """Plan points, each linked to the 不足 whose whole text (headline and body) it echoes."""
    text, norm = analysis.norm.text, analysis.norm
    items = _items(analysis, "next_year_plan", _PLAN_WORDS)
    shortcoming_texts = [text[i.extent.start : i.extent.end] for i in shortcoming_items]
    links = link_measures([text[i.extent.start : i.extent.end] for i in items], shortcoming_texts)
    return [
        Measure(text=text[item.headline.start : item.headline.end], addresses=addresses, evidence=norm.span_evidence(item.headline))
        for item, addresses in zip(items, links, strict=False)
    ]


def offline_claims(analysis: Analysis) -> Claims:
    """Every section from the deterministic stages; the overview is left to ``assemble``."""
    shortcoming_items = _items(analysis, "shortcomings", _SHORTCOMING_WORDS)
    return Claims(
        highlights=highlights(analysis),
        indicators=[indicator_from_fact(analysis, f) for f in analysis.facts if not is_plan_fact(analysis, f)],
        shortcomings=shortcomings(analysis, shortcoming_items),
        measures=measures(analysis, shortcoming_items),
    )


class OfflineEngine:
    """Extractive, no network: the engine used when no LLM is configured, and the LLM's fallback."""

    name = "offline"

    def claims(self, analysis: Analysis) -> Claims:
        return offline_claims(analysis)


def summarize_offline(analysis: Analysis) -> ReportSummary:
    return assemble(analysis, OfflineEngine.name, offline_claims(analysis))
