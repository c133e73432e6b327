"""The offline 审阅意见: every sentence from a template filled with the summary's own facts.

Nothing here reads the report again: quotes, offsets, paragraph numbers and 纲要 coverage all
come from the ReportSummary, so ``fazhi review --from summary.json`` writes the same draft.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from itertools import groupby

from fazhi_review import __version__
from fazhi_review.checks.catalogue import RULE_PACK_VERSION
from fazhi_review.models import PART_LABELS, REQUIRED_PARTS, Evidence, ReportSummary, Risk
from fazhi_review.review.actions import action_text
from fazhi_review.review.model import (
    HighlightRef,
    Overall,
    ReviewAction,
    ReviewDraft,
    ReviewPoint,
    ReviewProvenance,
    ReviewSettings,
)
from fazhi_review.review.verdict import decide_verdict
from fazhi_review.text import CJK

_SEVERITY_ORDER = {"高": 0, "中": 1, "低": 2}
_MAX_HIGHLIGHTS = 4
_MAX_LISTED = 5
_SHORT_QUOTE = 24
_DIGIT = re.compile(r"\d")
_YOU = {"镇": "你镇", "乡": "你乡", "街道": "你街道"}
_GANGYAO = "《法治政府建设实施纲要（2021—2025年）》"


def cn_date(day: dt.date) -> str:
    """成文日期 as GB/T 9704 writes it: Arabic numerals, 年月日 in full, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def finding_id(index: int) -> str:
    return f"R{index + 1}"


def report_title(summary: ReportSummary) -> str:
    """The report as the letter names it: its own title in 《》; without one, described in plain
    words (a made-up name in 《》 would read as the report's real title), or "文件" when not even
    the issuer is known."""
    meta = summary.meta
    if meta.title:
        return f"《{meta.title.strip('《》')}》"
    if not (meta.issuer or meta.report_year):
        return "文件"
    year = f"{meta.report_year}年度" if meta.report_year else ""
    return f"{meta.issuer or ''}{year}法治政府建设情况报告"


def default_addressee(summary: ReportSummary) -> str:
    """The township's 党委 and 政府 (街道 and 开发区: 党工委 and 办事处/管委会), derived from the report's issuer."""
    issuer, level = summary.meta.issuer, summary.meta.level
    if not issuer:
        return "（报送单位未能从报告中识别，请填写）"  # a blank the reviewer sees, never sent as it is
    if level == "街道" or issuer.endswith("街道"):
        return f"{issuer}党工委、办事处"
    if level is None and issuer.endswith(("开发区", "高新区", "园区", "新区", "产业园", "工业园", "科技园", "物流园", "示范区", "试验区")):  # a zone's 党工委 and 管委会
        return f"{issuer}党工委、管委会"
    if level is None and issuer.endswith("局"):  # a county department is written to as itself
        return issuer
    if level in ("镇", "乡") and issuer.endswith(level):
        return f"{issuer}党委、{level}政府"
    return f"{issuer}党委、政府"


def _opening(summary: ReportSummary) -> str:
    you = _YOU.get(summary.meta.level or "", "你单位")
    label = "落款日期" if summary.meta.signed_source in (None, "落款") else f"网页所载{summary.meta.signed_source}"  # no 落款: say whose date
    signed = f"（{label}{cn_date(summary.meta.signed_date)}）" if summary.meta.signed_date else ""
    return f"{you}报送的{report_title(summary)}{signed}收悉。经审阅，现提出如下意见。"


def short(quote: str) -> str:
    """A quote short enough for a sentence, inner double quotes turned single (“‘…’”)."""
    flat = quote.replace("\n", " ").strip().replace("“", "‘").replace("”", "’")
    return flat if len(flat) <= _SHORT_QUOTE else flat[:_SHORT_QUOTE] + "……"


class _Locator:
    """第N段 for an original offset, from the summary's paragraph table (none when it is empty)."""

    def __init__(self, summary: ReportSummary) -> None:
        self._paragraphs = sorted(summary.paragraphs, key=lambda p: p.start)
        self._starts = [p.start for p in self._paragraphs]

    def paragraph(self, evidence: Evidence) -> int | None:
        if evidence.paragraph is not None:  # the locator's own number, as the summary shows it
            return evidence.paragraph
        position = bisect.bisect_right(self._starts, evidence.start) - 1
        if position < 0 or evidence.start >= self._paragraphs[position].end:
            return None
        return self._paragraphs[position].index

    def where(self, evidence: Evidence | None) -> str:
        if evidence is None:
            return ""
        number = self.paragraph(evidence)
        return f"见第{number}段“{short(evidence.quote)}”" if number else f"见原文“{short(evidence.quote)}”"


# ---------------------------------------------------------------- 一、总体评价


def _in_parts(summary: ReportSummary, evidence: Evidence, parts: tuple[str, ...]) -> bool:
    locations = [summary.parts.get(p) for p in parts]
    return any(loc is not None and loc.start <= evidence.start < loc.end for loc in locations)


_YEAR_ONLY = re.compile(r"(?:截至|截止)?20\d\d年(?:年底|底|以来|全年|度)?")
_CLAUSES = re.compile(r"[^，,；;。]+")
_CONCISE_CHARS = 50
#: an indicator quoted from a table cell ("123.5%", "增长21.7%") says nothing cited alone
_WORDED = re.compile(rf"[{CJK}]{{4}}")
#: a table row's cell gap in a quote (a tab, or the blanks of a table pasted as text): a row of
#: three cells or more ("行政处罚案件\t件\t38") is an indicator for the tables, not a phrase for
#: the 总体评价; a two-cell one ("普法宣传活动\t22场次") reads as one once its gap is closed
_CELL_GAP = re.compile(r"\t|[ \u3000\xa0]{2,}")
_MAX_CITED_GAPS = 1


def _concise(text: str) -> str:
    """A highlight as the reviewer cites it: its clauses with numbers, or its opening words."""
    text = re.sub(r"[ \u3000]*[\t\n\f]\s*", "", text)  # a Word table row "普法宣传活动\t22场次", a PDF's wrap
    text = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*", "", text.strip()).rstrip("。；;，, ")
    text = re.sub(r"^(?:目前|同时|此外|另外|其中)[，,]", "", text)
    if len(text) <= _CONCISE_CHARS:
        return text
    clauses = [c.strip() for c in _CLAUSES.findall(text) if c.strip()]
    numbered = [c for c in clauses if _DIGIT.search(c) and not _YEAR_ONLY.fullmatch(c)]
    if numbered:
        return "，".join(numbered[:3])[: _CONCISE_CHARS * 2]
    opening: list[str] = []
    while clauses and sum(map(len, opening)) < _CONCISE_CHARS // 2:
        opening.append(clauses.pop(0))
    return "，".join(opening)


def _figures(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?", text)


def choose_highlights(summary: ReportSummary) -> list[HighlightRef]:
    """Up to four concrete points with numbers first; none when the summary has none."""
    with_numbers = [h for h in summary.highlights if _DIGIT.search(h.text)]
    indicators = [
        i
        for i in summary.indicators
        if _in_parts(summary, i.evidence, ("achievements", "first_responsible")) and _WORDED.search(i.evidence.quote) and len(_CELL_GAP.findall(i.evidence.quote)) <= _MAX_CITED_GAPS
    ]
    others = [h for h in summary.highlights if not _DIGIT.search(h.text)]
    chosen: list[HighlightRef] = []
    candidates = [(h.text, h.evidence) for h in with_numbers] + [(i.evidence.quote, i.evidence) for i in indicators] + [(h.text, h.evidence) for h in others]
    for text, evidence in candidates:
        if len(chosen) == _MAX_HIGHLIGHTS:
            break
        if any(c.evidence.start < evidence.end and evidence.start < c.evidence.end for c in chosen):
            continue
        concise = _concise(text)
        if any(_figures(concise) and _figures(concise) == _figures(c.text) for c in chosen):
            continue  # the same figures stated twice in the report (a summary paragraph, then its detail)
        chosen.append(HighlightRef(text=concise, evidence=evidence))
    return sorted(chosen, key=lambda h: h.evidence.start)


_ORDINALS = "一二三四"


_NOT_A_REPORT = "经核对，报送的文件不是年度法治政府建设情况报告，无法对照法定内容和《法治政府建设实施纲要（2021—2025年）》进行审阅。"


def _overall(summary: ReportSummary) -> Overall:
    present = [PART_LABELS[p] for p in REQUIRED_PARTS if summary.parts.get(p) is not None]
    if any(risk.rule_id == "not-a-report" for risk in summary.risks):
        # no praise of its "highlights", no 纲要 aspects to attend to "in future reports": it is no report
        return Overall(paragraphs=[_NOT_A_REPORT], parts_present=present, highlights=[], uncovered_chapters=[])
    year = f"{summary.meta.report_year}年度" if summary.meta.report_year else "本年度"
    if len(present) == len(REQUIRED_PARTS):
        structure = "报告结构完整，法定内容齐全，"
    elif present:
        structure = f"报告写明了{'、'.join(present)}等内容，"
    else:
        structure = "报告未能识别出法定的组成部分，"
    highlights = choose_highlights(summary)
    if highlights:
        points = "；".join(f"{_ORDINALS[i]}是{h.text}" for i, h in enumerate(highlights))
        first = f"{structure}较为具体地反映了{year}法治政府建设工作情况：{points}。"
    else:
        first = f"{structure}对{year}工作成效以定性叙述为主，未列出有具体数据支撑的工作亮点。"
    paragraphs = [first]
    uncovered = [c.title for c in summary.coverage if not c.covered]
    if uncovered and (summary.meta.report_year or 2021) >= 2021:
        names = "”“".join(uncovered)
        paragraphs.append(f"对照{_GANGYAO}，报告未涉及“{names}”等方面的内容，可在今后的工作和报告中予以关注。")
    return Overall(paragraphs=paragraphs, parts_present=present, highlights=highlights, uncovered_chapters=uncovered)


# ---------------------------------------------------------------- 二、存在的主要问题 / 三、修改完善意见


def _groups(risks: list[Risk]) -> list[list[tuple[int, Risk]]]:
    """Findings of one rule together, most severe first, then in order of first appearance."""
    indexed = list(enumerate(risks))
    first_seen: dict[str, int] = {}
    for index, risk in indexed:
        first_seen.setdefault(risk.rule_id, index)
    ordered = sorted(indexed, key=lambda pair: (_SEVERITY_ORDER[pair[1].severity], first_seen[pair[1].rule_id], pair[0]))
    return [list(group) for _, group in groupby(ordered, key=lambda pair: pair[1].rule_id)]


def _point_text(group: list[tuple[int, Risk]], locator: _Locator) -> str:
    head = group[0][1]
    details = []
    for _, risk in group[:_MAX_LISTED]:
        where = locator.where(risk.evidence)
        explanation = risk.explanation.rstrip("。")
        details.append(f"{explanation}，{where}" if where else explanation)
    more = f"等{len(group)}处" if len(group) > _MAX_LISTED else ""
    listed = "；".join(details) + more
    if head.source == "llm":
        return f"请核实：{head.title.removesuffix('（请核实）')}。{listed}，是否属实？依据：{head.basis}。"
    count = f"（共{len(group)}处）" if len(group) > 1 else ""
    return f"{head.title}{count}。{listed}。依据：{head.basis}。"


def problems_and_actions(summary: ReportSummary) -> tuple[list[ReviewPoint], list[ReviewAction]]:
    locator = _Locator(summary)
    points, actions = [], []
    for number, group in enumerate(_groups(summary.risks), start=1):
        head = group[0][1]
        ids = [finding_id(i) for i, _ in group]
        evidence = [r.evidence for _, r in group if r.evidence is not None]
        paragraphs = sorted({p for e in evidence if (p := locator.paragraph(e)) is not None})
        points.append(
            ReviewPoint(
                number=number, rule_id=head.rule_id, title=head.title, severity=head.severity, source=head.source,
                text=_point_text(group, locator), basis=head.basis, finding_ids=ids, evidence=evidence, paragraphs=paragraphs,
            )
        )  # fmt: skip
        quotes = list(dict.fromkeys(short(e.quote) for e in evidence))[:_MAX_LISTED]
        actions.append(ReviewAction(number=number, rule_id=head.rule_id, text=action_text(head.rule_id, quotes) + "。", finding_ids=ids, evidence=evidence))
    return points, actions


def _deadline_sentence(verdict: str, deadline: dt.date | None) -> str:
    if deadline is None:
        return "报告可按程序报送，并按规定向社会公开。"
    if verdict == "退回重报":
        return f"请于{cn_date(deadline)}前修改后重新报送。"
    if verdict == "修改完善后报送":
        return f"请于{cn_date(deadline)}前修改完善后重新报送。"
    return f"请于{cn_date(deadline)}前修改完善后按程序报送。"


def _provenance(summary: ReportSummary) -> ReviewProvenance:
    notes = []
    if not summary.paragraphs:
        notes.append("摘要未含段落位置，问题未注明第N段")
    if not summary.coverage:
        notes.append("摘要未含《纲要》覆盖情况，总体评价未作章节提示")
    return ReviewProvenance(
        tool_version=__version__,
        rule_pack=RULE_PACK_VERSION,
        summary_engine=summary.provenance.engine,
        source_file=summary.meta.source_file,
        source_sha256=summary.meta.sha256,
        wording={"overall": "template", "actions": "template"},
        notes=notes,
    )


def draft_offline(summary: ReportSummary, settings: ReviewSettings) -> ReviewDraft:
    date = settings.date or dt.date.today()
    points, actions = problems_and_actions(summary)
    verdict, reasons = decide_verdict(summary.risks, settings.policy)
    deadline = date + dt.timedelta(days=settings.deadline_days) if points else None
    return ReviewDraft(
        title=f"关于{'报送' if report_title(summary) == '文件' else ''}{report_title(summary)}的审阅意见",
        addressee=(settings.addressee or default_addressee(summary)).rstrip("：:"),
        opening=_opening(summary),
        overall=_overall(summary),
        problems=points,
        actions=actions,
        deadline=deadline,
        deadline_sentence=_deadline_sentence(verdict, deadline),
        verdict=verdict,
        verdict_reasons=reasons,
        issuer=letter_issuer(summary, settings),
        date=date,
        provenance=_provenance(summary),
    )


#: the office a report is addressed to, which is the one that answers it
_REVIEWING_OFFICE = re.compile(r"依法治[县区市旗州].{0,8}办公室|依法治[县区市旗州]办|司法局")


def letter_issuer(summary: ReportSummary, settings: ReviewSettings) -> str:
    """The configured issuer; unset, the office the report is addressed to ("区委全面依法治区委员会
    办公室" answers its 街道, not a 县委 office), else the placeholder the CLI warns about."""
    addressee = (summary.meta.addressee or "").rstrip("：: ")
    if settings.issuer_is_placeholder and _REVIEWING_OFFICE.search(addressee) and len(addressee) <= 30:
        return addressee
    return settings.issuer
