"""The one home of how Chinese report text is cut and read: character sets, heading markers,
sentence and clause boundaries, "which statutory part holds this span", and Chinese numerals.

Every stage imports these instead of defining its own: a break character or a numeral rule
changed here changes it everywhere, and no stage can disagree with another about where a
sentence ends. This is also the only module that calls cn2an (its grammar covers 两/〇/零 and
the 万–亿 positions that a hand-written converter gets wrong at the edges).
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache, lru_cache
from types import ModuleType
from typing import Final

from fazhi_review.models import ALL_PARTS, Part, Span

# ---------------------------------------------------------------- character sets

CJK: Final = "\u3400-\u4dbf\u4e00-\u9fff"
#: characters a Chinese numeral is written with (大写 壹贰… is not seen in these reports)
CN_NUMERAL_CHARS: Final = "零〇一二三四五六七八九十百千万亿两"
#: the numeral characters that may start a heading or list marker (一、 / （十二） / 三是)
CN_DIGITS: Final = "零〇一二三四五六七八九十百千万两"
#: year digits written one by one; zero appears as 〇, ○ (white circle), Ｏ or 零 in real documents
CN_YEAR_DIGITS: Final = {"〇": 0, "○": 0, "Ｏ": 0, "零": 0, "O": 0, "◯": 0, "0": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
#: punctuation after which a line is a finished sentence (a line break there is a real break)
SENTENCE_END: Final = "。！？；：!?;:…」』”）)】"

# ---------------------------------------------------------------- heading markers

#: heading markers, from level 1 down (GB/T 9704-2012: 一、 → （一） → 1. → （1）), plus 一是/二是
MARKER_PATTERNS: Final[dict[str, str]] = {
    "cn_dun": rf"(?P<n>[{CN_DIGITS}]{{1,3}})[、．.]",
    "paren_cn": rf"[（(](?P<n>[{CN_DIGITS}]{{1,3}})[）)]",
    "arabic_dot": r"(?P<n>\d{1,2})[.．、](?:(?!\d)|(?=20\d{2}年))",  # "1.2024年度…": a heading opening with its year
    "paren_arabic": r"[（(](?P<n>\d{1,2})[）)]",
    "yishi": rf"(?P<n>[{CN_DIGITS}]{{1,3}})是(?=[{CJK}“《A-Z]|20\d\d年)",  # "五是2025年底前…", "二是AI辅助…"
    # a 问题清单 / 整改清单 written as "问题1：…", "措施2：…"
    "labelled": r"(?:问题|不足|短板|措施|任务)(?P<n>\d{1,2})[：:]",
}
LINE_START_MARKER: Final = re.compile("|".join(f"(?:{p})" for p in MARKER_PATTERNS.values()).replace("?P<n>", ""))
#: a marker at the start of an item's text, to strip when the item is shown without it
MARKER_PREFIX: Final = re.compile(r"^(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])")
#: a table cell that is a year and nothing else ("2024年", "2023年度", "2024年（件）"): the second
#: row of a header whose figure column is split by year
YEAR_CELL: Final = re.compile(r"(?:20\d\d)年度?(?:[（(][^（）()]{1,6}[）)])?")
#: an unnumbered part heading opening a line its body runs on in (a paste without line breaks):
#: "存在的不足一是…", "主要负责人履职情况街道党工委书记…", "其他需要报告的情况无。" — short,
#: unpunctuated, holding a part's word, ending as part headings end, then a point, a colon, a
#: blank, "无" or a new sentence's first word (never 的/是/和/已…, which carry a sentence on)
RUN_IN_PART_HEADING: Final = re.compile(
    r"(?=[^。；，：:！？,;!?“”《》\s]{0,24}?(?:不足|存在|问题(?:和|与|及)|短板|差距|原因|成因|责任人|履职|述法|下一步|下步|下一年|明年"
    r"|工作(?:计划|思路|打算|安排|要点|开展|成效)|主要(?:安排|计划|举措|工作|做法)|其他需要报告|其他(?:情况|事项)|举措和成效))"
    r"(?!究其|分析|产生|出现|造成|形成|之所以|剖析|查找|主要原因)"  # "究其原因：…" opens a sentence, not a part
    r"(?:(?!一是|[（(]一[）)]|一、)[^。；，：:！？,;!?“”《》\s]){2,28}?(?:情况|成效|原因|成因|安排|计划|打算|思路|问题|不足|短板|举措|措施|做法|事项|分析|亮点)"
    r"(?=一是|[（(]一[）)]|一、|[：:]|$|[^的了是在有和与及等中上较很更都也还仍已将要可不未被把于良显均得，、。；：:])",
    re.MULTILINE,
)

# ---------------------------------------------------------------- sentence and clause boundaries

#: strong sentence ends only (。！？), as numbers and categories are read
SENTENCE_BREAK: Final = re.compile(r"[。！？\n!?]")
#: a sentence as a reader quotes it: a semicolon closes one too (一是…；二是…)
SENTENCE_OR_SEMICOLON_BREAK: Final = re.compile(r"[。；！？\n;!?]")
#: clause ends; a comma between digit groups (13,000) is not one (a class first, then the comma
#: test, so that the regex engine skips ahead to break characters instead of trying every one);
#: a tab is the cell gap normalize keeps in a pasted table row ("行政处罚案件\t件\t64\t52")
CLAUSE_BREAK: Final = re.compile(r"[，。；：！？\n\t;:!?,](?<!,(?=\d{3}))")
#: one sentence (semicolons close it), its closing mark included
SENTENCE: Final = re.compile(r"[^。；！？\n]+[。；！？]?")
#: one clause, without its closing mark
CLAUSE: Final = re.compile(r"[^，,。；！？：\n\t]+")
#: a mark that ends a sentence or a heading's title on its line
SENTENCE_MARK: Final = re.compile(r"[。；！？]")
#: marks after which a run-in point (一是…) may start
RUN_IN_AFTER: Final = "。；：，！？"


def sentence_bounds(text: str, spans: Iterable[tuple[int, int]], min_chars: int = 1) -> list[tuple[int, int]]:
    """(start, end) of the sentences inside the ``(start, end)`` stretches (semicolons close one),
    trimmed of blanks: ``sentence_spans`` without a model per sentence, for callers that keep few."""
    found = []
    for span_start, span_end in spans:
        for match in SENTENCE.finditer(text, span_start, span_end):
            sentence = match.group(0)
            stripped = sentence.strip()
            if len(stripped) >= min_chars:
                start = match.start() + len(sentence) - len(sentence.lstrip())  # where ``stripped`` starts
                found.append((start, start + len(stripped)))
    return found


def sentence_spans(text: str, spans: Iterable[Span], min_chars: int = 1) -> list[Span]:
    """The sentences inside ``spans`` (semicolons close one), trimmed of blanks."""
    return [Span(start=start, end=end) for start, end in sentence_bounds(text, ((s.start, s.end) for s in spans), min_chars)]


def finditer_from(pattern: re.Pattern[str], starts: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, pos, endpos)``, with ``pattern`` tried only where ``starts`` (a
    one-character class) matches. The caller guarantees that every match of ``pattern`` starts at
    such a character and that ``pattern`` matches no empty string; then the matches are the same
    (lookbehinds still see before ``pos``), but a pattern that opens with optional words,
    alternations or lookbehinds is not run at every character of a long text."""
    end = len(text) if endpos is None else endpos
    resume = pos
    for start in starts.finditer(text, pos, end):
        if start.start() >= resume:
            match = pattern.match(text, start.start(), end)
            if match:
                resume = match.end()
                yield match


def enclosing_sentence(text: str, start: int, end: int) -> str:
    """The sentence (semicolons close one) holding [start, end): a local look, no index needed."""
    left = max(text.rfind(c, 0, start) for c in "。；！？\n") + 1
    rights = [i for i in (text.find(c, end) for c in "。；！？\n") if i != -1]
    return text[left : min(rights) if rights else len(text)]


class BreakIndex:
    """Break positions of one text, computed once, so that finding the sentence or clause around
    each of thousands of facts is a bisect rather than a rescan (keeps every stage near-linear)."""

    def __init__(self, text: str, pattern: re.Pattern[str]) -> None:
        self._length = len(text)
        self._breaks = [match.start() for match in pattern.finditer(text)]

    def around(self, start: int, end: int) -> Span:
        """The stretch holding [start, end) between two one-character breaks."""
        left, right = self.bounds(start, end)
        return Span(start=left, end=right)

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """``around`` as a (start, end) pair, for a caller that keeps few of them."""
        before = bisect.bisect_left(self._breaks, start)
        after = bisect.bisect_left(self._breaks, end)
        left = self._breaks[before - 1] + 1 if before else 0
        right = self._breaks[after] if after < len(self._breaks) else self._length
        return left, right


def part_of(parts: Mapping[str, list[Span]], span: Span) -> Part | None:
    """The statutory part whose segment holds ``span`` (the first in ALL_PARTS order)."""
    for part in ALL_PARTS:
        if any(seg.start <= span.start and span.end <= seg.end for seg in parts.get(part, [])):
            return part
    return None


class PartIndex:
    """``part_of`` for many spans of one report: segments sorted once, each lookup a bisect."""

    def __init__(self, parts: Mapping[str, list[Span]]) -> None:
        self._segments = [(part, sorted(parts.get(part, []), key=lambda s: s.start)) for part in ALL_PARTS]

    def part_of(self, span: Span) -> Part | None:
        for part, segments in self._segments:
            index = bisect.bisect_right(segments, span.start, key=lambda s: s.start) - 1
            if index >= 0 and span.end <= segments[index].end:
                return part
        return None


# ---------------------------------------------------------------- Chinese numerals

#: multipliers a numeral may end with; 百/千 are folded into the value, 万/亿 kept by callers
MULTIPLIERS: Final[dict[str, int]] = {"百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
_ARABIC_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_CHINESE_NUMBER = re.compile(rf"[{CN_NUMERAL_CHARS}]+")
_MIXED_NUMBER = re.compile(r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?P<mult>[百千万亿])")


class NumeralError(ValueError):
    """The text is not a numeral we can read."""


def as_int_if_integral(value: float) -> int | float:
    """Keep ``5`` as ``5`` rather than ``5.0`` so facts print the way the report wrote them."""
    if isinstance(value, int):
        return value
    return int(value) if float(value).is_integer() else value


@cache
def numeral_parser() -> ModuleType:
    """cn2an, imported on first use: it compiles its grammar as it is imported (~0.25 s), which a
    run that reads no Chinese numeral (``--help``, ``rules``, a batch with nothing to redo) never
    needs. A batch imports it before forking its workers, so they share the parent's copy."""
    import cn2an

    return cn2an


def _parse_arabic(text: str) -> int | float:
    if "." not in text:
        return int(text.replace(",", ""))
    return as_int_if_integral(float(text.replace(",", "")))


def _parse_chinese(text: str) -> int | float:
    """cn2an in "normal" mode: the only mode that accepts 两 (两万, 两千) without also reading
    Arabic digits, which the caller has already routed elsewhere."""
    if text[0] in "百千万亿":
        # cn2an rejects a bare 百 and reads 千/万 as 1000/10000; in running text a numeral
        # starting with a position word is an idiom (千家万户, 百姓), so refuse it here.
        raise NumeralError(f"中文数字不能以位数开头：{text}")
    try:
        value = numeral_parser().cn2an(text, "normal")
    except (ValueError, KeyError, IndexError) as exc:
        raise NumeralError(f"无法解析的中文数字：{text}") from exc
    return as_int_if_integral(value)


_CN_DIGIT_VALUES: Final = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}


@lru_cache(maxsize=4096)  # reports repeat the same numerals; cn2an is slow
def parse_number(text: str) -> int | float:
    """Parse ``13,000`` / ``99.53`` / ``十一`` / ``两万`` / ``三千余`` / ``1.5万`` to a number.

    A trailing 余/多 (an approximation the extractor records as a qualifier) is ignored here so
    that ``三千余`` reads as 3000. Decimals stay float even when integral-looking (``1.0``),
    because the precision a report writes can matter to a reviewer.
    """
    core = text.strip().rstrip("余多")
    if not core:
        raise NumeralError("空数字")
    if _ARABIC_NUMBER.fullmatch(core):
        return _parse_arabic(core)
    mixed = _MIXED_NUMBER.fullmatch(core)
    if mixed:
        value = float(mixed["num"].replace(",", "")) * MULTIPLIERS[mixed["mult"]]
        return as_int_if_integral(round(value, 6))
    if _CHINESE_NUMBER.fullmatch(core):
        return _parse_chinese(core)
    whole, dot, fraction = core.partition("点")  # 百分之十二点五: digits after 点 read one by one
    if dot and _CHINESE_NUMBER.fullmatch(whole) and fraction and all(c in _CN_DIGIT_VALUES for c in fraction):
        return float(f"{_parse_chinese(whole)}.{''.join(str(_CN_DIGIT_VALUES[c]) for c in fraction)}")
    raise NumeralError(f"无法解析的数字：{text}")


def chinese_count(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (Word's chineseCounting list numbers, 1–99)."""
    digits = "〇一二三四五六七八九"
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    if not tens:
        return digits[ones]
    return f"{digits[tens] if tens > 1 else ''}十{digits[ones] if ones else ''}"


@lru_cache(maxsize=1024)
def small_number(numeral: str) -> int:
    """A heading or date number: 一 → 1, 十二 → 12, 廿三 → 23, 3 → 3; 0 when unreadable."""
    if numeral.isdigit():
        return int(numeral)
    numeral = numeral.replace("两", "二").replace("廿", "二十").replace("卅", "三十").replace("元", "一")  # 元月 = 一月
    try:
        return int(numeral_parser().cn2an(numeral, "smart"))
    except (ValueError, KeyError, IndexError):
        return 0


def year_number(digits: str) -> int | None:
    """A year written digit by digit: 二〇二四 / 二○二四 / 二零二四 / 2024 → 2024; None otherwise."""
    if digits.isdigit():
        return int(digits)
    if len(digits) != 4 or any(c not in CN_YEAR_DIGITS for c in digits):
        return None
    return int("".join(str(CN_YEAR_DIGITS[c]) for c in digits))


# ---------------------------------------------------------------- years and dates

_CN_YEAR = "".join(CN_YEAR_DIGITS)
#: a year as reports write it: 2024 or digit by digit 二〇二四 / 二○二四 / 二零二四
YEAR: Final = re.compile(rf"(?P<year>(?<!\d)20\d{{2}}(?!\d)|二[{_CN_YEAR}]{{3}})\s*年")
_CN_SMALL = "一二三四五六七八九十廿卅〇○零"
#: a full date, Arabic or Chinese numerals (二〇二五年三月十日, 2025年3月10日, 2025-03-10, 2025.3.10)
DATE: Final = re.compile(
    rf"(?P<year>(?<!\d)20\d{{2}}|二[{_CN_YEAR}]{{3}})\s*(?:年\s*(?P<month>\d{{1,2}}|[{_CN_SMALL}]{{1,2}}|元)\s*月"
    rf"\s*(?P<day>\d{{1,2}}|[{_CN_SMALL}]{{1,3}})\s*日|[-./](?P<m2>\d{{1,2}})[-./](?P<d2>\d{{1,2}})(?!\d))"
)

#: DATE without its named groups, to embed in other patterns (a name may stand only once in one)
DATE_UNNAMED: Final = re.sub(r"\?P<\w+>", "?:", DATE.pattern)


def find_year(text: str) -> int | None:
    """The first year written in ``text`` (Arabic or Chinese digits), as a number."""
    for match in YEAR.finditer(text):
        year = year_number(match["year"])
        if year is not None:
            return year
    return None


def date_from_match(match: re.Match[str]) -> dt.date | None:
    """A ``DATE`` match as a date; None when a part is unreadable or the day does not exist."""
    year = year_number(match["year"])
    month = small_number(match["month"] or match["m2"])
    day = small_number(match["day"] or match["d2"])
    if year is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str) -> dt.date | None:
    """``text`` read as one date and nothing else (a 落款 line, a 成文日期 value)."""
    match = DATE.fullmatch(text.strip())
    return date_from_match(match) if match else None


#: a comparison with an earlier period ("同比增长", "较上年提高", "比去年减少"): a figure after it is
#: a change, not a count of this year's work
COMPARISON: Final = re.compile(r"(?:同比|环比|较上年|比上年|较去年|比去年|较\d{4}年)(?:增加|增长|上升|提高|下降|减少|降低)?")


def readable_path(path: str | os.PathLike[str]) -> str:
    """A path as text that can be shown and written into JSON, Markdown and Excel.

    A file name that is not UTF-8 (a Windows ZIP unpacked on Linux keeps GBK bytes) comes back
    from the file system with lone surrogates, which no UTF-8 writer accepts: each such part of
    the path is read as GB18030 (Big5 for Traditional), else its bad bytes are replaced with "?".
    The file is still opened by its real path.
    """
    text = os.fspath(path)
    if not any("\udc80" <= char <= "\udcff" for char in text):
        return text
    return os.sep.join(_readable_part(os.fsencode(part)) for part in text.split(os.sep))


def _readable_part(raw: bytes) -> str:
    for encoding in ("utf-8", "gb18030", "big5"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace").replace("\ufffd", "?")
