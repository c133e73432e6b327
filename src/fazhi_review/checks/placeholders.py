"""placeholder: template text left unfilled in a signed report (@件, XX镇, ××, ＿＿, 【】, 某某).

Reports are written from a template passed down by the county; a placeholder that survives into
the signed version means a number or name was never filled in (DOMAIN.md, proofreading
categories). Each pattern is anchored so ordinary text never matches: XX only outside Latin
words, 〇〇 only outside a Chinese-numeral year (二〇〇八年), 某某 only where it stands for a
place or unit rather than an anonymised person (张某某 in a 以案释法 case is legitimate), empty
brackets only outside a tab-separated table row, where "（  ）" is the form's own answer box and the
answer sits in the next cell.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort

from fazhi_review.checks.catalogue import make_finding
from fazhi_review.checks.context import CheckContext
from fazhi_review.models import Finding
from fazhi_review.text import CJK, enclosing_sentence

_LATIN = "A-Za-zＡ-Ｚａ-ｚ"
_X = "XxＸｘ×"
_UNIT_AFTER = "件个人次起场份名家项条元万%"
_CN_NUM = "零〇○一二三四五六七八九十"
_EMPTY_BRACKETS = "空括号，括号内内容未填写"
#: a line with this many tab-separated cells is a flattened table row
_TABLE_CELLS = 3

#: (pattern, what the reviewer is told, needles); earlier patterns win where matches overlap. A
#: pattern can only match a text holding one of its needles: ``in`` tests are far cheaper than
#: a regex scan that starts with a look-behind, so a report without them skips the scan
_PATTERNS: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = [
    (re.compile(rf"(?<![{_LATIN}\d])[{_X}]{{1,4}}月[{_X}]{{1,2}}日"), "日期写成“X月X日”，未填写具体日期", tuple(_X)),
    (
        re.compile(r"(?<=\d)年月日|(?<=\d年)[ \t\u3000]+月[ \t\u3000]+日"),
        "日期只写了年份，月、日空缺",
        ("年月日", "年 ", "年\t", "年\u3000"),
    ),
    # not "@白沙镇发布" (a WeChat account mentioned by name: a name, not a unit, follows)
    (re.compile(rf"(?<![A-Za-z0-9._%+\-])@+(?:[{_UNIT_AFTER}](?![{CJK}]{{2}})|(?![{CJK}]))|@+(?![A-Za-z0-9{CJK}])"), "“@”占位，数字未填写", ("@",)),
    # not "/xx_fzzf/" (a web address's path)
    (re.compile(rf"(?<![{_LATIN}/_.\-])[XxＸｘ]{{2,}}(?![{_LATIN}/_.\-])"), "“XX”占位，名称或数字未填写", tuple("XxＸｘ")),
    (re.compile(r"×{2,}|＊{2,}"), "“××”占位，名称或数字未填写", ("××", "＊＊")),
    (re.compile(rf"(?<![{_LATIN}\d])[{_X}](?=[年月日{_UNIT_AFTER}号])"), "“X”占位，数字未填写", tuple(_X)),
    (re.compile(r"[_＿]{2,}"), "下划线空格未填写", ("_", "＿")),
    (re.compile(r"【\s*】|〔\s*〕|[（(]\s*[）)]|\[\s*\]"), _EMPTY_BRACKETS, ("【", "〔", "（", "(", "[")),
    # a template's instruction in brackets: "【填写】", "（请填写数字）", "[待补充]"
    (
        re.compile(r"[【〔\[（(]\s*(?:请|此处|在此)?(?:填写|填入|待填|待补充)[^】〕\]）)\n]{0,6}[】〕\]）)]"),
        "括号内是模板的填写提示，内容未填写",
        ("填写", "填入", "待填", "待补充"),
    ),
    # "张某某所承包的林地": a person made anonymous, with 所 the particle, not an office's name
    # "王某某诉某某镇人民政府行政赔偿案": the parties of a case retold, made anonymous as published
    (re.compile(rf"(?<![{CJK}])某某|(?<![诉告])某某(?=[镇乡村街社单部局办站年月日号])"), "“某某”占位，名称未填写", ("某某",)),
    (re.compile(rf"(?<![{_CN_NUM}])[〇○◯]{{2,}}(?![{_CN_NUM}])"), "“〇〇”占位，名称或数字未填写", tuple("〇○◯")),
]


def _matches(text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, explanation), earlier patterns taking precedence."""
    taken: list[tuple[int, int, str]] = []  # disjoint, kept sorted: one neighbour decides overlap
    for pattern, explanation, needles in _PATTERNS:
        if not any(needle in text for needle in needles):
            continue
        for match in pattern.finditer(text):
            start, end = match.start(), match.end()
            before = bisect_left(taken, (end,)) - 1  # the last taken match starting before ``end``
            if start == end or (before >= 0 and taken[before][1] > start) or _named_on_purpose(text, start, end):
                continue
            insort(taken, (start, end, explanation))
    return taken


#: a sentence that speaks of a name as a name: "以“××”代指", "“XX”为…品牌标识", "以“某某公司”匿名"
_NAMING_WORDS = re.compile(r"代指|代称|简称|标识|品牌|型号|匿名|化名|隐去")
#: a quotation the marks are only part of: a slogan or a brand ("“法治××行”", "“XX政务”")
_QUOTED = re.compile(r"“([^“”\n]{1,16})”")


def _named_on_purpose(text: str, start: int, end: int) -> bool:
    """Marks that are no unfilled blank: a model number ("XX-H6型"), a quoted slogan or brand that
    holds other words, or a sentence about naming. A false 高 costs a reviewer's trust."""
    after = text[end : end + 1]
    if after and (after in "-‐–" or (after.isascii() and after.isalnum())):
        return True
    if _NAMING_WORDS.search(enclosing_sentence(text, start, end)):
        return True
    for quoted in _QUOTED.finditer(text, max(0, start - 16), min(len(text), end + 16)):
        if quoted.start() < start and end < quoted.end() and len(quoted.group(1)) > end - start:
            return True
    return False


def _in_table_row(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    return text.count("\t", line_start, line_end if line_end != -1 else len(text)) >= _TABLE_CELLS - 1


def check(ctx: CheckContext) -> list[Finding]:
    findings = []
    for start, end, explanation in _matches(ctx.text):
        if explanation == _EMPTY_BRACKETS and _in_table_row(ctx.text, start):
            continue
        evidence = ctx.evidence(start, end)
        if evidence is None:
            continue
        findings.append(make_finding("placeholder", f"{explanation}：“{evidence.quote}”。", evidence))
    return findings
