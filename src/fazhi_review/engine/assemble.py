"""The one assembly step: Analysis + an engine's Claims → ReportSummary.

Meta, statutory parts, the rule pack's findings, provenance and (when the engine gave none) the
overview are built here once, the same way for every engine. The helpers that turn a numeric fact
into an indicator live here too, because every engine tabulates facts the same way.
"""

from __future__ import annotations

import re

from fazhi_review import __version__
from fazhi_review.analysis import Analysis
from fazhi_review.checks.catalogue import RULE_PACK_VERSION
from fazhi_review.coverage import review_fields
from fazhi_review.engine.claims import Claims
from fazhi_review.evidence import span_evidence
from fazhi_review.facts.tables import header_labels
from fazhi_review.facts.taxonomy import label
from fazhi_review.locate import Locator, locate_summary
from fazhi_review.models import (
    ALL_PARTS,
    PART_LABELS,
    REQUIRED_PARTS,
    Indicator,
    NumericFact,
    PartLocation,
    Provenance,
    ReportSummary,
    Span,
    SummaryMeta,
)
from fazhi_review.text import CJK, CN_DIGITS, COMPARISON

_NAME_FILLER = re.compile(
    r"^(?:[\u2460-\u2473]|其中|同时|并且|并|还|仍|共计|共有|共|全年|累计|截至|截止|目前|今年|\d{4}年度?(?:全年|以来|年底)?|我(?:镇|乡|街道)|全(?:镇|乡|街道)"
    r"|[一二三四五六七八九十]{1,2}是|\d{1,2}[.．、](?!\d)|[（(][一二三四五六七八九十\d]{1,2}[）)])+"  # a point's number: "三是", "1."
)
#: what a point's number leaves before a count that is not the name ("三是对3件纠纷", "二是在9个村")
_LONE_PREPOSITION = frozenset("对在向从给与为")
#: a verb left at the end of the name once the filler is gone ("我镇共有" → "")
#: "违法行为58件": 为 ends a noun; "持证执法人员仅六名": 仅/只 qualify the figure, not the noun
_NAME_VERB_END = re.compile(r"(?:仅有|只有|仅|共有|共计|共|有|达到|达|(?<![行作])为)$")
_NAME_MAX = 24
#: an aside in brackets with no Chinese in it ("（www.lihua.gov.cn）", "(APP)") names nothing counted
_FOREIGN_ASIDE = re.compile(rf"[（(][^（）(){CJK}]{{1,40}}[）)]")
#: an earlier count of the same clause ("适用简易程序29件、普通程序18件"): the name starts after it
_EARLIER_COUNT = re.compile(r"^[^，。；]*\d[^\d、，。；]{0,3}[、和及与]|^[^，。；]*\d[^\d，。；]{0,12}?中(?=[^，。；]{0,16}?(?:具有|有|仅|只|占))")  # "…、", "11名持证执法人员中具有…"


def summary_meta(analysis: Analysis) -> SummaryMeta:
    meta, doc = analysis.report.meta, analysis.document
    return SummaryMeta(
        **meta.model_dump(exclude={"signed_span"}),
        source_file=doc.path,
        format=doc.format,
        encoding=doc.encoding,
        sha256=doc.sha256,
        characters=len(doc.text),
    )


def _section_heading(analysis: Analysis, span: Span) -> str | None:
    for section in analysis.report.sections:
        if section.heading and section.span.start <= span.start < section.span.end:
            return section.heading.marker + section.heading.title
    return None


def part_locations(analysis: Analysis) -> dict[str, PartLocation | None]:
    """Each part's largest segment, in ORIGINAL offsets; null when the part is absent."""
    locations: dict[str, PartLocation | None] = {}
    for part in ALL_PARTS:
        spans = [s for s in analysis.report.parts.get(part, []) if s.end > s.start]
        if not spans:
            locations[part] = None
            continue
        main = max(spans, key=len)
        start, end = analysis.norm.to_original(main.start, main.end)
        locations[part] = PartLocation(start=start, end=end, heading=_section_heading(analysis, main), segments=len(spans))
    return locations


def _tail_phrase(text: str) -> str:
    """The last phrase of a long name: after the last list or clause mark that leaves enough."""
    for mark in ("，", "；", "、", "等", "的"):
        cut = text.rfind(mark)
        if 0 <= cut < len(text) - 3:
            text = text[cut + 1 :]
        if len(text) <= _NAME_MAX:
            break
    return text[-_NAME_MAX:]


_CJK_CHAR = re.compile(rf"[{CJK}]")


def _table_quote(text: str, clause: Span) -> Span:
    """The quote of a figure: its clause, or for a later cell of a pasted table row the row from
    its name cell to the figure ("行政处罚案件\t件\t38", not a bare "38" no reader can place)."""
    if clause.start == 0 or text[clause.start - 1] != "\t":
        return clause
    row_start = text.rfind("\n", 0, clause.start) + 1
    at = row_start
    cells = text[row_start : clause.start].split("\t")
    starts = [row_start + sum(len(cell) + 1 for cell in cells[:index]) for index in range(len(cells))]
    for cell, at in reversed(list(zip(cells, starts, strict=True))):  # the name nearest the figure
        if _names_the_row(cell):
            return Span(start=at + len(cell) - len(cell.lstrip()), end=clause.end)
    return clause


def _names_the_row(cell: str) -> bool:
    """A cell in words: not a 单位 cell ("万元"), not a figure ("1.2万余")."""
    cell = cell.strip()
    return len(_CJK_CHAR.findall(cell)) >= 2 and not _UNIT_ONLY.fullmatch(cell) and not cell[:1].isdigit()


#: a 单位 cell ("万元", "场次", "人次"): not the cell that names the row
_UNIT_ONLY = re.compile(r"[万亿千百]?(?:元|件|次|场次|人次|份|名|人|个|项|条|户|卷|期|篇|家|所|处|天|小时|平方米|公里)")


def _table_row_name(text: str, clause_start: int) -> str:
    """What a later cell of a pasted table row counts: the row's name cell and, for a bare number,
    its column's header ("行政处罚案件" + "增幅" for "1\t行政处罚案件\t件\t38\t17\t123.5%"); ""
    outside a table (normalize keeps a pasted row's cell gaps as tabs)."""
    if clause_start == 0 or text[clause_start - 1] != "\t":
        return ""
    row_start = text.rfind("\n", 0, clause_start) + 1
    row_end = text.find("\n", clause_start)
    cells = text[row_start : row_end if row_end != -1 else len(text)].split("\t")
    column = text.count("\t", row_start, clause_start)
    # the name nearest the figure: a merged 类别 column ("行政执法") may stand before it
    named = [cell for cell in cells[:column] if _names_the_row(cell)]
    name = _NAME_UNIT.sub("", named[-1]).strip() if named else ""
    if not name or _CJK_CHAR.match(cells[column]):
        return name
    header = header_labels(text, row_start)
    column += max(0, len(header) - len(cells))  # a row whose merged first cells are empty is short on the left
    label = _HEADER_UNIT.sub("", header[column]).strip() if column < len(header) else ""
    return name + (label if label not in _FIGURE_HEADERS and not any(c.isdigit() for c in label) else "")


#: a unit closing a row's name in a two-column table: "行政处罚案件（件）" (not "合法性审查（合同、决策）")
_NAME_UNIT = re.compile(r"[（(][^（）()、，]{1,4}[）)]$")
#: a unit in a table header: "数量（件）", "完成数(单位：场次)"
_HEADER_UNIT = re.compile(r"[（(][^（）()]{1,8}[）)]")
#: headers that only say "the figure": the row's name says what is counted
_FIGURE_HEADERS = frozenset({"数量", "数值", "数据", "完成数", "完成数量", "完成情况", "指标值", "合计", "总计", "总数", "实际完成", "本年", "今年", "全年"})


#: the words a clause opens with before its first number ("开展普法活动33场次" → "开展普法活动",
#: "办理行政处罚案件十二件" → "办理行政处罚案件")
_SUBJECT = re.compile(rf"[^\d，,。；：:\t\n]{{2,16}}?(?=[\d{CN_DIGITS}])")


def _previous_subject(text: str, clause_start: int) -> str:
    """What the clause before a comparison counted, within the same sentence ("" if none)."""
    if clause_start < 2 or text[clause_start - 1] not in "，,":
        return ""
    previous = max(text.rfind(mark, 0, clause_start - 1) for mark in "，,。；：:\n") + 1
    subject = _SUBJECT.match(text, previous, clause_start - 1)
    return _NAME_FILLER.sub("", subject.group()) if subject else ""


def indicator_name(analysis: Analysis, fact: NumericFact) -> str:
    """What is counted: the clause words before the number, or after it when those say nothing."""
    text = analysis.norm.text
    before = _NAME_FILLER.sub("", _FOREIGN_ASIDE.sub("", text[fact.clause.start : fact.span.start]).strip("，,：: "))
    before = _NAME_VERB_END.sub("", _EARLIER_COUNT.sub("", before))
    if before in _LONE_PREPOSITION:
        before = ""
    after = text[fact.span.end : fact.clause.end].strip("，。；,：: ")
    row = _table_row_name(text, fact.clause.start)
    if row:  # a cell of a pasted table row: the row's first cell names what is counted
        return (row + before)[:_NAME_MAX] if row not in before else before
    if COMPARISON.fullmatch(before):
        before = _previous_subject(text, fact.clause.start) + before
    if len(before) >= 2:
        return _tail_phrase(before) if len(before) > _NAME_MAX else before
    return (before + _AFTER_NAME.match(after)["noun"])[:_NAME_MAX] or fact.text  # type: ignore[index]  # matches any text


#: the noun after a leading count, up to where the clause turns to a part of it ("11名持证执法人员中
#:具有…", "24名持证执法人员中法律专业毕业的仅3人" → 持证执法人员); else the clause's rest ("14个村全部配备法律顾问")
_AFTER_NAME = re.compile(r"(?:为|是)?(?P<noun>.*?)(?=中[^，。；]{0,16}?(?:具有|有|仅|只|占)|$)")  # "4名为兼职" → 兼职


def indicator_from_fact(analysis: Analysis, fact: NumericFact, name: str | None = None) -> Indicator:
    return Indicator(
        name=name or indicator_name(analysis, fact),
        category=fact.category,
        value=fact.value,
        unit=fact.unit,
        qualifier=fact.qualifier,
        normalized_value=fact.normalized_value,
        normalized_unit=fact.normalized_unit,
        fact_id=fact.id,
        evidence=span_evidence(analysis.norm, _table_quote(analysis.norm.text, fact.clause)),
    )


def is_plan_fact(analysis: Analysis, fact: NumericFact) -> bool:
    """Targets in next year's plan are not achievements; they are not tabulated."""
    return fact.part == "next_year_plan"


def default_overview(analysis: Analysis, summary: ReportSummary) -> str:
    """The overview when an engine writes none: counts of what the summary holds (or, for a file
    that is not a report at all, that warning first)."""
    meta = analysis.report.meta
    not_report = next((r for r in summary.risks if r.rule_id == "not-a-report"), None)
    if not_report is not None:
        return f"注意：{not_report.explanation}（{len(analysis.document.text)}字）"
    who = meta.issuer or "本单位"
    year = f"{meta.report_year}年度" if meta.report_year else ""
    missing = [PART_LABELS[p] for p in REQUIRED_PARTS if summary.parts.get(p) is None]
    high = sum(1 for r in summary.risks if r.severity == "高")
    categories = sorted({label(i.category) for i in summary.indicators if i.category != "other"})[:4]
    parts = [
        f"{who}{year}法治政府建设报告（{len(analysis.document.text)}字）",
        f"缺少{'、'.join(missing)}" if missing else "法定五部分齐全",
        f"列出量化指标{len(summary.indicators)}项" + (f"（{'、'.join(categories)}等）" if categories else ""),
        f"不足{len(summary.shortcomings)}条、整改措施{len(summary.measures)}条",
        f"规则检查发现合规风险{len(summary.risks)}项" + (f"，其中高风险{high}项" if high else ""),
    ]
    return "；".join(parts) + "。"


def assemble(analysis: Analysis, engine: str, claims: Claims) -> ReportSummary:
    """The summary, once: rule findings first, then the engine's judgement in text order."""
    judgement = sorted(claims.judgement, key=lambda r: r.evidence.start if r.evidence else 0)
    locator = Locator(analysis.document)  # one for the paragraph table and every evidence
    summary = ReportSummary(
        meta=summary_meta(analysis),
        parts=part_locations(analysis),
        overview=claims.overview,
        highlights=claims.highlights,
        indicators=claims.indicators,
        shortcomings=claims.shortcomings,
        measures=claims.measures,
        risks=[*analysis.findings, *judgement],
        provenance=Provenance(engine=engine, tool_version=__version__, rule_pack=RULE_PACK_VERSION, **claims.provenance),
        **review_fields(analysis, locator),
    )
    if not summary.overview:
        summary = summary.model_copy(update={"overview": default_overview(analysis, summary)})
    return locate_summary(summary, analysis.document, locator)
