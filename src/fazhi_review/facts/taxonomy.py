"""The one category taxonomy for quantities in a report: keys, Chinese labels, keyword rules.

Every stage that names a category (facts, LLM prompts and schemas, renderers, evaluation)
imports it from here, so a key added or renamed in one place cannot drift from the others.

Categorisation is by keywords scored by distance: a clause such as "按照每名行政执法人员全年学法
培训不少于40课时的要求" names both 执法人员 and 学法培训, and the word that sits next to the number
is the one the number counts. Words before the number weigh more than words after it, because
Chinese puts the thing counted (or the activity) ahead of the count: in "办结率100%，矛盾纠纷
排查137件" the 100% belongs to what came before, not to 矛盾纠纷.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

__all__ = ["CATEGORIES", "KEYWORDS", "OTHER", "TAXONOMY", "Category", "categorize", "label", "scores"]

OTHER: Final = "other"


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    #: words that put a quantity in this category; longer words win over words they contain
    keywords: tuple[str, ...]


TAXONOMY: Final[tuple[Category, ...]] = (
    Category(
        "law_enforcement_staff",
        "执法人员",
        ("执法人员", "执法证", "行政执法证", "执法证件", "持证", "执法队伍", "执法力量", "执法队员",
         "法制审核人员", "执法资格"),
    ),
    Category(
        "administrative_penalty",
        "行政处罚",
        ("行政处罚", "处罚", "罚款", "罚没", "行政强制", "责令整改", "责令改正", "责令停", "查处",
         "立案"),
    ),
    Category("case_file_review", "案卷评查", ("案卷评查", "案卷", "评查")),
    Category("administrative_reconsideration", "行政复议", ("行政复议", "复议")),
    Category(
        "administrative_litigation",
        "行政诉讼",
        ("行政诉讼", "诉讼", "行政应诉", "出庭应诉", "应诉", "败诉"),
    ),
    Category("legal_adviser", "法律顾问", ("法律顾问", "法律意见", "律师事务所", "公职律师", "顾问")),
    Category(
        "legality_review",
        "合法性审查",
        ("合法性审查", "合法性审核", "法制审核", "规范性文件", "备案审查", "重大行政决策", "合同审查"),
    ),
    Category(
        "law_publicity",
        "普法宣传",
        ("普法", "法治宣传", "法制宣传", "宣传", "宣讲", "讲座", "宣传单", "宣传资料", "小册子",
         "法律咨询", "受益群众", "法律明白人", "以案释法"),
    ),
    Category(
        "law_study",
        "学法培训",
        ("学法", "学习", "培训", "考试", "课时", "学时", "授课", "旁听庭审", "学习宣讲", "参考率",
         "报考率", "合格率", "学法用法"),
    ),
    Category(
        "dispute_mediation",
        "矛盾纠纷/调解",
        ("矛盾纠纷", "纠纷", "人民调解", "调解", "调处", "化解"),
    ),
    Category("petition", "信访", ("信访", "来信来访", "来信", "来访", "上访", "接访", "访民")),
    Category(
        "work_safety",
        "安全生产",
        ("安全生产", "安全隐患", "隐患", "安全检查", "生产安全", "事故", "消防", "交通安全"),
    ),
    Category(OTHER, "其他", ()),
)

#: key → Chinese label, in display order
CATEGORIES: Final[Mapping[str, str]] = MappingProxyType({c.key: c.label for c in TAXONOMY})
#: key → keywords
KEYWORDS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({c.key: c.keywords for c in TAXONOMY})

_KEYWORD_CATEGORY: Final[dict[str, str]] = {word: c.key for c in TAXONOMY for word in c.keywords}
# longest first, so that at one position 法治宣传 is taken before 宣传 and 学习宣讲 before 学习
_KEYWORD_RE: Final = re.compile("|".join(sorted(map(re.escape, _KEYWORD_CATEGORY), key=len, reverse=True)))
# 行政处罚法 / 行政复议法 / 安全生产法 name a law, not the activity; 法治/法律/法制/法规 do not
_LAW_NAME_AFTER: Final = re.compile(r"法(?![治律制规])|条例|规定|办法")
_BOOK_TITLE: Final = re.compile(r"《[^《》]*》")
_FIRST_DIGIT: Final = re.compile(r"\d|[零〇一二三四五六七八九十两](?=[零〇一二三四五六七八九十百千万两]*[余多]?[件次场人份册名起家卷项个户条期批篇所处天元%])")
#: key → its place in TAXONOMY: a tie in score goes to the category listed first
_ORDER: Final[Mapping[str, int]] = MappingProxyType({key: index for index, key in enumerate(CATEGORIES)})
#: a keyword after the number counts as if it were this many times farther away
_AFTER_PENALTY: Final = 2.0


def label(key: str) -> str:
    """The Chinese label shown to readers; unknown keys are a programming error, hence KeyError."""
    try:
        return CATEGORIES[key]
    except KeyError:
        raise KeyError(f"unknown fact category {key!r}; known: {', '.join(CATEGORIES)}") from None


def _default_anchor(text: str) -> int:
    """Where the number is when the caller did not say: the first quantity-looking numeral."""
    match = _FIRST_DIGIT.search(text)
    return match.start() if match else len(text)


def _hits(text: str) -> list[tuple[str, int, int]]:
    """Keyword hits (category, start, end), skipping words that only name a law or a document."""
    titles = [(m.start(), m.end()) for m in _BOOK_TITLE.finditer(text)] if "《" in text else []
    hits: list[tuple[str, int, int]] = []
    for match in _KEYWORD_RE.finditer(text):
        start, end = match.span()
        if titles and any(title_start <= start < title_end for title_start, title_end in titles):
            continue
        if _LAW_NAME_AFTER.match(text, end):
            continue
        hits.append((_KEYWORD_CATEGORY[match.group()], start, end))
    return hits


def scores(text: str, anchor: int | None = None) -> dict[str, float]:
    """Per-category score: each keyword hit adds 1 / (1 + its distance to the number)."""
    at = _default_anchor(text) if anchor is None else anchor
    totals: dict[str, float] = {}
    for key, start, end in _hits(text):
        distance = float(at - end) if end <= at else max(0, start - at) * _AFTER_PENALTY
        totals[key] = totals.get(key, 0.0) + 1.0 / (1.0 + distance)
    return totals


def categorize(text: str, anchor: int | None = None) -> str:
    """The category key for a quantity in ``text`` (a clause or sentence).

    ``anchor`` is the number's offset in ``text``; without it the first numeral followed by a
    count unit is taken. With no keyword at all the answer is ``"other"``, so callers can widen
    the context (clause → sentence) and ask again.
    """
    totals = scores(text, anchor)
    if not totals:
        return OTHER
    return max(totals, key=lambda key: (totals[key], -_ORDER[key]))
