"""The offline engine: an extractive ReportSummary from the deterministic stages, no network.

亮点 are the most specific sentences of the achievements part (numbers, named systems, firsts),
不足 and 整改措施 are the enumerated points of their parts, 量化指标 are the numeric facts and
合规风险 are the rule pack's findings. Every item quotes the original verbatim.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from fazhi_review.analysis import Analysis
from fazhi_review.engine.assemble import assemble, indicator_from_fact, is_plan_fact
from fazhi_review.engine.claims import Claims
from fazhi_review.engine.items import (
    SENTENCE_MIN_CHARS,
    Item,
    clause_items,
    enumerated_items,
    listed_items,
    paragraph_items,
    semicolon_items,
    sentences,
    table_measures,
    table_shortcomings,
)
from fazhi_review.engine.linking import link_measures
from fazhi_review.facts.taxonomy import categorize
from fazhi_review.models import Highlight, Measure, ReportSummary, Shortcoming, Span
from fazhi_review.structure.parts import parts_named
from fazhi_review.text import LINE_START_MARKER, MARKER_PREFIX, SENTENCE_MARK, sentence_bounds

_MAX_HIGHLIGHTS = 8
_MIN_HIGHLIGHT_SCORE = 3
_HIGHLIGHT_MAX_CHARS = 160
_FIRSTS = re.compile(r"首次|首个|首创|率先|全(?:市|县|区|省)(?:第一|首)|示范|试点|创新|获评|荣获|表彰|先进")
_NAMED = re.compile(r"《[^》]{2,40}》|“[^”]{2,20}”")
_SYSTEM_WORDS = re.compile(r"制度|机制|平台|清单|台账|工作站|工作室")
_SHORTCOMING_WORDS = re.compile(r"不足|问题|有待|仍需|还需|不够|薄弱|亟待|尚未|欠缺|不平衡|不明显|不强|单一")
_PLAN_WORDS = re.compile(r"加强|推进|完善|提升|提高|落实|开展|健全|深化|强化|加大|推动|充实|组织|建立|规范|争取|培养|配齐|加快")
_REASON_WORDS = re.compile(r"原因|由于|因为|导致")
#: words that say something is wrong; a 不足 headline without one is a category ("法治意识方面")
_PROBLEM_WORDS = re.compile(
    rf"{_SHORTCOMING_WORDS.pattern}|淡薄|不高|不规范|不到位|滞后|缺乏|缺少|偏少|偏弱|较弱|不完善|不健全|不充分|短板|弱项|困难|有限|待(?:加强|提高|提升|完善)"
)

#: a clause of a 不足 paragraph saying what is wrong: a problem word, or ending short on one
#: ("执法人员少、专业能力弱")
_PROBLEM_CLAUSE = re.compile(rf"{_PROBLEM_WORDS.pattern}|[少弱低差慢]$")


def _highlight_score(text: str, start: int, end: int, fact_starts: list[int]) -> int:
    sentence = text[start:end]
    facts = bisect_left(fact_starts, end) - bisect_left(fact_starts, start)
    score = 2 * min(facts, 3)
    score += 2 if _NAMED.search(sentence) else 0
    score += 1 if _SYSTEM_WORDS.search(sentence) else 0
    score += 3 if _FIRSTS.search(sentence) else 0
    return score


class _HeadingIndex:
    """Line headings' spans sorted by start, with the furthest end reached so far: "is this span
    inside some heading" is one bisect instead of a scan of every heading (near-linear stages)."""

    def __init__(self, analysis: Analysis) -> None:
        spans = sorted((h.span.start, h.span.end) for h in analysis.report.headings if h.style != "yishi")
        self._starts = [start for start, _ in spans]
        self._reach: list[int] = []
        for _, end in spans:
            self._reach.append(max(end, self._reach[-1]) if self._reach else end)

    def holds(self, start: int, end: int) -> bool:
        count = bisect_right(self._starts, start)
        return count > 0 and end <= self._reach[count - 1] + 1


def _is_heading(text: str, start: int, end: int, headings: _HeadingIndex) -> bool:
    """A heading's own words ("二、强化改革创新，全面促进政府履职", "推行行政执法“三项制度”。"),
    or a short line with no sentence end: a topic, not an achievement."""
    if headings.holds(start, end):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end != -1 else len(text)]
    return len(line) <= 40 and not re.search(r"[。；！？]", line)


class _Faulted:
    """Original-text spans the rule pack quotes: a sentence holding one ("结合“七五”普法规划要求，
    深入开展…", a passage written twice) is a fault the reviewer points out, not an achievement to
    praise. Sorted starts with the furthest end so far: an overlap test is one bisect."""

    def __init__(self, analysis: Analysis) -> None:
        spans = sorted((f.evidence.start, f.evidence.end) for f in analysis.findings if f.evidence is not None)
        self._norm = analysis.norm
        self._starts = [start for start, _ in spans]
        self._reach: list[int] = []
        for _, end in spans:
            self._reach.append(max(end, self._reach[-1]) if self._reach else end)

    def overlaps(self, start: int, end: int) -> bool:
        if not self._starts:
            return False
        original_start, original_end = self._norm.to_original(start, end)
        count = bisect_left(self._starts, original_end)
        return count > 0 and self._reach[count - 1] > original_start


def highlights(analysis: Analysis) -> list[Highlight]:
    """Sentences are (start, end) pairs until chosen: most are scored and dropped."""
    text = analysis.norm.text
    headings = _HeadingIndex(analysis)
    parts = [(span.start, span.end) for span in analysis.report.parts["achievements"]]
    faulted = _Faulted(analysis)
    candidates = [
        (start, end)
        for start, end in sentence_bounds(text, parts, min_chars=SENTENCE_MIN_CHARS)
        if end - start <= _HIGHLIGHT_MAX_CHARS
        and "\t" not in text[start:end]  # a table row's figures are indicators, not a sentence to cite
        and not _is_heading(text, start, end, headings)
        and not faulted.overlaps(start, end)
    ]
    fact_starts = sorted(f.span.start for f in analysis.facts)
    scored = sorted(((_highlight_score(text, start, end, fact_starts), start, end) for start, end in candidates), key=lambda s: (-s[0], s[1]))
    chosen = sorted((start, end) for score, start, end in scored[:_MAX_HIGHLIGHTS] if score >= _MIN_HIGHLIGHT_SCORE)
    result = []
    for start, end in chosen:
        sentence = MARKER_PREFIX.sub("", text[start:end])
        result.append(Highlight(text=sentence, category=categorize(sentence), evidence=analysis.norm.evidence(start, end)))
    return result


def _items(analysis: Analysis, part: str, keep: re.Pattern[str], spans: list[Span] | None = None) -> list[Item]:
    """The part's points (``spans``: the part's, or those left once its tables are read)."""
    spans = analysis.report.parts[part] if spans is None else spans
    text = analysis.norm.text
    items = (
        enumerated_items(text, analysis.report, spans)
        or listed_items(text, spans)
        or semicolon_items(text, spans, keep)
        or paragraph_items(text, spans, keep)
        or clause_items(text, spans, keep)
    )
    # a number with nothing after it (an empty list paragraph of Word's) is no point
    return [item for item in items if text[item.headline.start : item.headline.end].strip()]


#: a 不足 headline that names a field, not a problem: "法治意识方面", "关于执法规范化建设"
_CATEGORY = re.compile(r"(?:方面|领域|层面|环节|问题上|工作上|建设|工作|情况)$")


def _admitted_problem(text: str, item: Item) -> Span:
    """The headline when it says what is wrong; under a category heading ("（一）法治意识方面")
    the first sentence of the item's body that does (else its first sentence); after a concession
    or a success ("调解成功率虽有提升，但土地流转类纠纷调解成功率仅为88.9%") the clause after 但."""
    turn = _TURN.search(text, item.headline.start, item.extent.end)
    if turn is not None:
        lead = text[item.headline.start : turn.start()]  # what comes before 但
        if len(lead) <= _MAX_LEAD and (_CONCESSION.search(lead) or (_SUCCESS.search(lead) and not _PROBLEM_WORDS.search(lead))):
            stop = _CLAUSE_END.search(text, turn.end(), item.extent.end)
            return Span(start=turn.end(), end=stop.start() if stop else item.extent.end)
    if _PROBLEM_WORDS.search(text, item.headline.start, item.headline.end) or not _CATEGORY.search(text, item.headline.start, item.headline.end):
        return item.headline
    return _problem_in_body(text, item)


#: a headline that concedes a success before the problem: "…虽有提升", "尽管…", or states one
#: ("普法资料发放量大幅增长，但…")
_CONCESSION = re.compile(r"虽然?|尽管")
_SUCCESS = re.compile(r"提升|增长|提高|增加|改善|好转|加强|明显")
_TURN = re.compile(r"[，,]\s*(?:但是?|然而|可是)[，,]?")
_CLAUSE_END = re.compile(r"[，。；,;]")
#: a concession longer than this is a point of its own, not the lead-in of one
_MAX_LEAD = 30


def _problem_in_body(text: str, item: Item) -> Span:
    """The first sentence after the headline that says what is wrong (else the first one)."""
    after = SENTENCE_MARK.search(text, item.headline.end, item.extent.end)
    body_start = after.end() if after else item.headline.end
    body = sentences(text, [Span(start=body_start, end=item.extent.end)])
    saying = [s for s in body if _PROBLEM_WORDS.search(text, s.start, s.end)]
    chosen = (saying or body or [item.headline])[0]
    end = chosen.end - 1 if chosen.end > chosen.start + 1 and text[chosen.end - 1] in "。；" else chosen.end
    return Span(start=chosen.start, end=end)


#: causes written for the whole list ("产生上述问题的原因主要是", "究其原因，一方面…")
_COLLECTIVE_CAUSE = re.compile(r"上述|这些|以上|前述|究其|综上|之所以|(?:问题|不足|短板)的(?:原因|产生|出现|形成)")
#: a sentence of its own after the last point that opens on the causes ("原因主要是…")
_CAUSE_OPENING = re.compile(r"(?:其|主要|产生的)?原因")


def _causes_for_all(text: str, items: list[Item], reasons: list[Span]) -> bool:
    """Causes after the last point, standing apart from every point (under "（二）原因分析", in a
    "五、原因分析" part) or turning back to the whole list, explain every point, not the last."""
    if not items:
        return False
    last = items[-1].headline.end
    for reason in reasons:
        if reason.start < last:
            continue
        inside = any(i.extent.start <= reason.start < i.extent.end for i in items)
        if not inside or _COLLECTIVE_CAUSE.search(text, reason.start, reason.end) or _CAUSE_OPENING.match(text, reason.start):
            return True
    return False


def shortcomings(analysis: Analysis, items: list[Item]) -> list[Shortcoming]:
    text, norm = analysis.norm.text, analysis.norm
    reasons = analysis.report.parts["reasons"]
    for_all = _causes_for_all(text, items, reasons)
    result = []
    for item in items:
        body = text[item.extent.start : item.extent.end]
        # causal words count only when the report analyses causes at all: else the summary would
        # mark an item "有原因分析" beside a finding that the report gives no causes
        has_reason = for_all or any(item.extent.start <= r.start < item.extent.end for r in reasons) or bool(reasons and _REASON_WORDS.search(body))
        quoted = _admitted_problem(text, item)
        result.append(Shortcoming(text=text[quoted.start : quoted.end], has_reason=has_reason, evidence=norm.span_evidence(quoted)))
    return result


def measures(analysis: Analysis, shortcoming_items: list[Item]) -> list[Measure]:
    """Plan points, each linked to the 不足 whose whole text (headline and body) it echoes."""
    text, norm = analysis.norm.text, analysis.norm
    from_tables, rest = table_measures(text, analysis.report.parts["next_year_plan"])
    items = sorted(from_tables + _items(analysis, "next_year_plan", _PLAN_WORDS, rest), key=lambda item: item.headline.start)
    shortcoming_texts = [text[i.extent.start : i.extent.end] for i in shortcoming_items]
    links = link_measures([text[i.extent.start : i.extent.end] for i in items], shortcoming_texts)
    return [
        Measure(text=text[item.headline.start : item.headline.end], addresses=addresses, evidence=norm.span_evidence(item.headline))
        for item, addresses in zip(items, links, strict=False)
    ]


#: the words of a headline that only names a part of the report, not a problem: "主要不足",
#: "存在的问题", "原因分析", "产生问题的原因", "不足之处" — nothing is left once they are removed
_PART_NAME_WORDS = re.compile(r"存在|目前|当前|工作中|突出|主要|具体|上述|以上|产生|一些|几个|的|和|及|与|之处|问题|不足|短板|差距|方面|原因|分析|根源|成因")
_CAUSES_HEADLINE = re.compile(r"(?:原因|根源|成因)(?:分析)?$")
#: a short headline that only says "causes", however qualified ("深层次原因", "客观原因", "问题根源")
_CAUSES_LABEL = re.compile(r"[^，。；、和及与]{0,6}(?:原因|根源|成因)(?:分析|剖析)?")


def _names_a_part(text: str, span: Span) -> bool:
    headline = text[span.start : span.end].strip("。；：:，, ")
    return bool(headline) and not _PART_NAME_WORDS.sub("", headline) and bool(parts_named(headline))


def shortcoming_items(analysis: Analysis) -> list[Item]:
    """The admitted problems: a sub-heading that only names a part is opened up ("（一）主要不足。
    一是…二是…" gives the 一是/二是 points), and causes ("（二）原因分析", or an item lying wholly
    inside the reasons) are not problems."""
    text, reasons = analysis.norm.text, analysis.report.parts["reasons"]
    from_tables, rest = table_shortcomings(text, analysis.report.parts["shortcomings"])
    found: list[Item] = list(from_tables)
    for item in _items(analysis, "shortcomings", _PROBLEM_CLAUSE, rest if from_tables else None):
        if _CAUSES_LABEL.fullmatch(text[item.headline.start : item.headline.end].strip("。；：:，, ")):
            continue  # "（二）深层次原因", "（一）客观原因": a heading over causes
        if _names_a_part(text, item.headline):
            if _CAUSES_HEADLINE.search(text[item.headline.start : item.headline.end].strip("。；：:，, ")):
                continue
            points = enumerated_items(text, analysis.report, [item.extent]) or listed_items(text, [item.extent])
            found.extend(points or [Item(headline=_problem_in_body(text, item), extent=item.extent)])
        elif not _is_cause(text, item, reasons):
            found.append(item)
    # a number with no words after it ("1." on a line of its own) states no problem
    return [item for item in found if text[(quoted := _admitted_problem(text, item)).start : quoted.end].strip()]


def _under_causes_heading(text: str, start: int) -> bool:
    """The causes starting at ``start`` stand on the lines under a causes sub-heading of their own."""
    line_end = text.rfind("\n", 0, start)
    if line_end == -1:
        return False
    line = text[text.rfind("\n", 0, line_end) + 1 : line_end].strip()
    marker = LINE_START_MARKER.match(line)
    return bool(_CAUSES_LABEL.fullmatch(line[marker.end() if marker else 0 :].strip("。；：:，, ")))


#: wording that makes what follows a cause ("究其原因：一是…", "一是由于培训不足")
_CAUSE_WORDS = re.compile(r"原因|由于|因为|导致|究其|根源|在于|源于|一方面|另一方面")


def _is_cause(text: str, item: Item, reasons: list[Span]) -> bool:
    """A point lying inside the causes is one of them when the cause wording comes before its
    problem is stated or in its first clause ("产生上述问题的原因：一是…", "一是由于…"); a point that
    states its problem and then its cause ("一是执法事项大幅增加，原因是培训跟不上；") is a 不足 with
    its reason."""
    for reason in reasons:
        # the point's own words inside the causes (its extent may run on past them to the part's end)
        if reason.start <= item.extent.start and item.headline.end <= reason.end:
            if _under_causes_heading(text, reason.start):
                return True  # "（二）原因分析" over "1.执法人员多为兼职…": every point below is a cause
            comma = text.find("，", item.headline.start, item.headline.end)
            return bool(_CAUSE_WORDS.search(text, reason.start, comma if comma != -1 else item.headline.end))
    return False


def offline_claims(analysis: Analysis) -> Claims:
    """Every section from the deterministic stages; the overview is left to ``assemble``."""
    problems = shortcoming_items(analysis)
    return Claims(
        highlights=highlights(analysis),
        indicators=[indicator_from_fact(analysis, f) for f in analysis.facts if not is_plan_fact(analysis, f)],
        shortcomings=shortcomings(analysis, problems),
        measures=measures(analysis, problems),
    )


class OfflineEngine:
    """Extractive, no network: the engine used when no LLM is configured, and the LLM's fallback."""

    name = "offline"

    def claims(self, analysis: Analysis) -> Claims:
        return offline_claims(analysis)


def summarize_offline(analysis: Analysis) -> ReportSummary:
    return assemble(analysis, OfflineEngine.name, offline_claims(analysis))
