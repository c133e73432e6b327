"""Find every quantity a reviewer could tabulate, with the clause that proves it.

A number is a fact only when a count, money or percent unit follows it. That single rule is what
keeps years (2024年), dates (3月11日, "4.15"), document numbers (〔2021〕87号), ordinals (1. / 一是
/ 第一) and plan names (八五, 2021—2025年) out: none of them is followed by such a unit. The few
cases the unit rule lets through are filtered explicitly:

- named sets: a small Chinese numeral with 个/项/张/条 inside quotes or before a set noun
  ("三项制度", "五个不决策", "四个意识", "三张清单") is a slogan, not a count;
- 一 used as a word: "一次性", "最多跑一次", "一件事一次办", "一堂课" — a lone Chinese 一 is a
  fact only when its unit closes the clause ("处罚一起，");
- frequencies: "每季度学法一次", "每年至少参加1次" state a rule or a rate per period, not a count
  of what happened, so a 次/场/期 count after 每+period in the same clause is not a fact.
  Requirements that are not per-period ("每名执法人员全年学法培训不少于40课时") stay facts.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from fazhi_review.facts.tables import other_year_cells, table_figures
from fazhi_review.facts.taxonomy import OTHER, categorize
from fazhi_review.models import NormalizedText, NumericFact, Part, Report, Span
from fazhi_review.text import (
    CLAUSE_BREAK,
    CN_NUMERAL_CHARS,
    SENTENCE_BREAK,
    BreakIndex,
    NumeralError,
    PartIndex,
    as_int_if_integral,
    parse_number,
)

__all__ = ["extract_facts"]

# Units, longest first where one is a prefix of another; lookaheads stop a unit that is really the
# first character of a word (处罚, 所有, 家庭, 期间, 条例, 台账, 天津, 人民, 个体 …).
_UNITS: Final = (
    "个百分点|个工作日|个月|场次|人次|家次|户次|件次|批次|课时|学时|小时|工作日|部门|平方米|公里"
    "|件|次|场|份|册|名(?![单称义额])|人(?![民员])|起(?![来草])|家(?![庭属长乡园])|卷|项(?!目)"
    "|个(?![体])|户(?![籍口])|条(?![例件款目])|期(?![间限待望])|批(?![准评复示])|篇|所(?![有以属在得])"
    "|处(?![罚理置分长室级所])|天(?![津然])|宗|套|台(?!账)|辆|张|幅|块|堂|轮|位|支|座|亩|吨|元|%|‰"
)
#: a count's digits: at most 15 before the point (a longer run of digits is an ID, a phone or a
#: typing slip, and would overflow a float once multiplied by 万 or 亿)
_ARABIC: Final = r"(?<![\d.A-Za-z第])\d{1,15}(?!\d)(?:,\d{3}){0,4}(?![,\d])(?:\.\d+)?"
_CHINESE: Final = rf"(?<![第周初{CN_NUMERAL_CHARS}])[{CN_NUMERAL_CHARS}]+"
# qualifiers before the number; lookbehinds drop words that merely end in 近/约/达 (最近, 节约, 送达)
_PRE: Final = (
    r"不少于|不低于|至少|超过|高达|多达|达到|将近|接近|(?<![最附临亲靠])近"
    r"|(?<![节制预签契公大])约|逾|(?<![下传到表送抵通发转直])达"
)
#: a table's 单位 cell or the unit in a column header ("件", "万元", "%")
_UNIT_CELL: Final = re.compile(rf"[千万亿]?(?:{_UNITS})")
_FACT_RE: Final = re.compile(
    rf"(?P<pre>{_PRE})?"
    rf"(?:百分之(?P<pct>{_ARABIC}|[{CN_NUMERAL_CHARS}]+(?:点[{CN_NUMERAL_CHARS}]+)?)"  # 百分之十二点五
    rf"|(?P<num>{_ARABIC}|{_CHINESE})(?P<q1>[余多])?(?P<mult>[千万亿])?(?P<q2>[余多])?(?P<unit>{_UNITS}))"
    r"(?P<post>以上|以下|左右)?"
)

# Where _FACT_RE can match. Trying it at every character was the stage's cost: a match starts at
# a number (or 百分之) that a unit follows, or at most _PRE_MAX characters before it, at a qualifier.
_PRE_WORDS: Final = re.sub(r"\(\?<!\[[^\]]*\]\)", "", _PRE).split("|")  # lookbehinds dropped
_PRE_FIRSTS: Final = frozenset(word[0] for word in _PRE_WORDS)
_PRE_MAX: Final = max(map(len, _PRE_WORDS))
_UNIT_FIRSTS: Final = "".join(sorted({unit[0] for unit in _UNITS.split("|")}))
#: a number's first character, where a unit may follow (a loose test: no lookarounds, any digits);
#: one class first, so that the regex engine skips to such characters
_NUMBER_AHEAD: Final = re.compile(
    rf"[\d{CN_NUMERAL_CHARS}](?=[\d,.{CN_NUMERAL_CHARS}]*[余多]?[千万亿]?[余多]?[{re.escape(_UNIT_FIRSTS)}]|(?<=百)分之)"
)
# strongest claim first: a bound says more than an approximation, which says more than 达
_QUALIFIER_RANK: Final = ("不少于", "不低于", "至少", "超过", "逾", "以上", "以下", "余", "多", "左右",
                          "将近", "接近", "近", "约", "高达", "多达", "达到", "达")
_SET_NOUN: Final = re.compile(r"制度|意识|全面|维护|自信|不|清单|环节|机制|原则|到位|工程|行动|一|坚持|必须|服务|作风")
_FREQUENCY: Final = re.compile(r"每(?:年|季度?|月|周|天|日|半年|学期|[两二三四五六]?个?月)")
_FREQUENCY_UNITS: Final = frozenset({"次", "场", "场次", "期", "堂", "轮"})
_CN_ONLY: Final = re.compile(rf"[{CN_NUMERAL_CHARS}]+")
_SET_UNITS: Final = frozenset({"个", "项", "张", "条"})
_BASE_MULTIPLIER: Final = {"万": 10_000, "亿": 100_000_000}


@dataclass(frozen=True)
class _Quantity:
    """A regex hit read into value, unit and qualifier, before it becomes a NumericFact."""

    value: int | float
    unit: str
    qualifier: str | None
    span: Span
    numeral: str  # the numeral as written, for the 一-as-a-word and named-set filters
    number_start: int  # where the numeral starts, the anchor for categorisation


def _split_multiplier(numeral: str, mult: str | None) -> tuple[str, str | None]:
    """两万元 → (两, 万): a Chinese numeral swallows its trailing 万/亿, which belongs to the unit."""
    if mult is None and len(numeral) > 1 and numeral[-1] in _BASE_MULTIPLIER and numeral[0] not in "万亿":
        return numeral[:-1], numeral[-1]
    return numeral, mult


def _qualifier(match: re.Match[str]) -> tuple[str | None, str | None]:
    """The one qualifier to keep, and the pre-number word if that is the one kept."""
    found = [q for q in (match["pre"], match["q1"], match["q2"], match["post"]) if q]
    if not found:
        return None, None
    best = min(found, key=_QUALIFIER_RANK.index)
    return best, (best if best == match["pre"] else None)


def _read(match: re.Match[str]) -> _Quantity | None:
    """Value/unit/qualifier/span of one hit, or None when the numeral does not parse."""
    qualifier, pre_kept = _qualifier(match)
    is_percent = match["pct"] is not None
    numeral, unit, mult = (match["pct"], "%", None) if is_percent else (match["num"], match["unit"], match["mult"])
    if not is_percent:
        numeral, mult = _split_multiplier(numeral, mult)
    try:
        value = parse_number("一百" if is_percent and numeral == "百" else numeral)  # 百分之百
    except NumeralError:
        return None
    if mult == "千":  # 3千份: 千 is part of the number, not a unit anyone tabulates in
        value, mult = as_int_if_integral(value * 1000), None
    start = match.start() if pre_kept or not match["pre"] else match.end("pre")
    end = match.end() if match["post"] and qualifier == match["post"] else match.end("pct" if is_percent else "unit")
    number_start = match.start("pct" if is_percent else "num")
    if _signed_cell(match.string, number_start):  # a table's change column: "-25.8%" is a fall
        value = -value if match.string[number_start - 1] in "-－−" else value
        start = number_start = number_start - 1
    return _Quantity(value, f"{mult or ''}{unit}", qualifier, Span(start=start, end=end), numeral, number_start)


def _signed_cell(text: str, number_start: int) -> bool:
    """A sign opening a cell or a line ("\t+20%", "\t-25.8%"); a dash inside words ("2021-2025")
    is no sign."""
    return number_start >= 1 and text[number_start - 1] in "+-－−" and (number_start == 1 or text[number_start - 2] in "\t\n")


def _in_quotes(text: str, clause_start: int, at: int) -> bool:
    """Whether ``at`` is inside a short “…” quotation (a slogan) within the clause."""
    before = text[clause_start:at]
    opened = max(before.rfind("“"), before.rfind("‘"), before.rfind("\""))
    closed = max(before.rfind("”"), before.rfind("’"))
    return opened > closed and len(before) - opened <= 3


def _is_named_set(text: str, clause_start: int, quantity: _Quantity) -> bool:
    """三项制度 / “五个法治化” / 四个意识: a small Chinese count that names a slogan."""
    if quantity.unit not in _SET_UNITS or not _CN_ONLY.fullmatch(quantity.numeral):
        return False
    if not isinstance(quantity.value, int) or quantity.value > 10:
        return False
    return _in_quotes(text, clause_start, quantity.span.start) or bool(_SET_NOUN.match(text, quantity.span.end))


def _is_word_one(text: str, quantity: _Quantity) -> bool:
    """一 as a word (一次性, 最多跑一次等, 一件事): a lone 一 counts only when its unit ends the clause."""
    if quantity.numeral != "一" or quantity.unit[0] in _BASE_MULTIPLIER:
        return False
    return quantity.span.end < len(text) and not CLAUSE_BREAK.match(text, quantity.span.end)


def _is_frequency(text: str, clause_start: int, quantity: _Quantity) -> bool:
    """每季度学法一次 / 每年至少参加1次: a rate per period, not a count of what was done."""
    return quantity.unit in _FREQUENCY_UNITS and bool(_FREQUENCY.search(text, clause_start, quantity.number_start))


def _category(text: str, clause: tuple[int, int], sentence: tuple[int, int], quantity: _Quantity) -> str:
    """Categorise on the clause; only when it names nothing, widen to what the sentence said
    before it (受益群众1700余人次 after 开展法治宣传活动74次), then to the whole sentence."""
    (clause_start, clause_end), (sentence_start, sentence_end) = clause, sentence
    key = categorize(text[clause_start:clause_end], quantity.number_start - clause_start)
    if key != OTHER:
        return key
    # first the clauses since the last semicolon: "调解成功198件；受理信访事项67件，按期办结率98.5%"
    # rates the 信访, not the 调解 the sentence counted more often
    segment_start = max(sentence_start, text.rfind("；", sentence_start, clause_start) + 1, text.rfind(";", sentence_start, clause_start) + 1)
    if segment_start > sentence_start:
        key = categorize(text[segment_start:clause_end], quantity.number_start - segment_start)
        if key != OTHER:
            return key
    anchor = quantity.number_start - sentence_start
    key = categorize(text[sentence_start:clause_end], anchor)
    key = key if key != OTHER else categorize(text[sentence_start:sentence_end], anchor)
    return key if key != OTHER else _heading_category(text, sentence_start)


#: a run-in sub-heading: "（三）开展法治宣传教育。" opening the line its figures stand on
_RUN_IN_HEADING = re.compile(r"[（(][一二三四五六七八九十]{1,2}[）)][^。；，\n]{2,20}。")


def _heading_category(text: str, sentence_start: int) -> str:
    """The category of the run-in sub-heading of the sentence's paragraph, when the sentence
    names none ("（三）开展法治宣传教育。组织“宪法进万家”等活动16场次")."""
    line_start = text.rfind("\n", 0, sentence_start) + 1
    heading = _RUN_IN_HEADING.match(text, line_start)
    return categorize(heading.group()) if heading is not None and heading.end() <= sentence_start else OTHER


def _part(parts: PartIndex | None, span: Span) -> Part | None:
    return parts.part_of(span) if parts is not None else None


def _normalized(value: int | float, unit: str) -> tuple[float | None, str | None]:
    """5 万元 → (50000.0, 元); None when the unit is already a base unit."""
    if len(unit) > 1 and unit[0] in _BASE_MULTIPLIER:
        return float(as_int_if_integral(round(value * _BASE_MULTIPLIER[unit[0]], 6))), unit[1:]
    return None, None


def _fact_matches(text: str) -> Iterator[re.Match[str]]:
    """``_FACT_RE.finditer(text)``, tried only where a match can start: at a number a unit may
    follow, or at a qualifier's first character up to ``_PRE_MAX`` characters before one.
    Windows are visited in text order, so the first match found is finditer's leftmost one."""
    resume = 0
    for number in _NUMBER_AHEAD.finditer(text):
        at = number.start()
        for start in range(max(resume, at - _PRE_MAX), at + 1):
            if start < at and text[start] not in _PRE_FIRSTS:
                continue
            match = _FACT_RE.match(text, start)
            if match:
                resume = match.end()
                yield match
                break


#: a quantity with its clause and sentence (start, end)
_Hit = tuple[_Quantity, tuple[int, int], tuple[int, int]]


def _table_quantities(text: str, year: int | None, taken: list[_Quantity]) -> list[_Quantity]:
    """The figures of pasted tables whose unit is in a 单位 column or a header (``facts.tables``),
    except where the unit rule already found one."""
    covered = {quantity.number_start for quantity in taken}
    found = []
    for figure in table_figures(text, _UNIT_CELL, year):
        if figure.start not in covered:
            value = parse_number(figure.numeral)
            found.append(_Quantity(value, figure.unit, None, Span(start=figure.start, end=figure.end), figure.numeral, figure.start))
    return found


def _this_years(text: str, year: int | None, found: list[_Hit]) -> list[_Hit]:
    """Without the figures of a table's other year columns (``tables.other_year_cells``)."""
    cells = sorted(other_year_cells(text, year))
    if not cells:
        return found
    starts = [start for start, _end in cells]

    def in_a_cell(at: int) -> bool:
        index = bisect_right(starts, at) - 1
        return index >= 0 and at < cells[index][1]

    return [hit for hit in found if not in_a_cell(hit[0].span.start)]


def _quantities(text: str, year: int | None = None) -> list[_Hit]:
    """Every hit that survives the not-a-count filters, and every table figure, with its clause
    and sentence (start, end) pairs, in text order."""
    clauses = BreakIndex(text, CLAUSE_BREAK)
    sentences = BreakIndex(text, SENTENCE_BREAK)
    found: list[_Hit] = []
    for match in _fact_matches(text):
        quantity = _read(match)
        if quantity is None:
            continue
        clause = clauses.bounds(quantity.span.start, quantity.span.end)
        if _is_named_set(text, clause[0], quantity) or _is_word_one(text, quantity):
            continue
        if _is_frequency(text, clause[0], quantity):
            continue
        sentence = sentences.bounds(quantity.span.start, quantity.span.end)
        found.append((quantity, clause, sentence))
    if "\t" in text:
        found = _this_years(text, year, found)
    tabled = _table_quantities(text, year, [quantity for quantity, _, _ in found])
    if not tabled:
        return found
    for quantity in tabled:
        span = quantity.span.start, quantity.span.end
        found.append((quantity, clauses.bounds(*span), sentences.bounds(*span)))
    return sorted(found, key=lambda hit: hit[0].span.start)


def extract_facts(norm: NormalizedText, report: Report | None = None) -> list[NumericFact]:
    """All quantities in the clean text as NumericFacts (F1, F2, … in text order).

    Spans are clean-text offsets; ``norm.span_evidence(fact.clause)`` gives the quote.
    ``report`` only adds ``part``; without it every fact's part is None.
    """
    text = norm.text
    parts = PartIndex(report.parts) if report is not None else None
    facts: list[NumericFact] = []
    year = report.meta.report_year if report is not None else None
    for index, (quantity, clause, sentence) in enumerate(_quantities(text, year), start=1):
        normalized_value, normalized_unit = _normalized(quantity.value, quantity.unit)
        facts.append(
            NumericFact(
                id=f"F{index}",
                value=quantity.value,
                unit=quantity.unit,
                qualifier=quantity.qualifier,
                category=_category(text, clause, sentence, quantity),
                text=text[quantity.span.start : quantity.span.end],
                span=quantity.span,
                clause=Span(start=clause[0], end=clause[1]),
                part=_part(parts, quantity.span),
                normalized_value=normalized_value,
                normalized_unit=normalized_unit,
            )
        )
    return facts
