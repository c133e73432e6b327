"""repeated-text: a word typed twice (情况情况) and a passage pasted twice in one report.

Both are the commonest traces of copy-editing in these reports (DOMAIN.md, proofreading
categories). Chinese legitimately reduplicates single characters (常常、人人、事事、层层、一一、
看看), so only units of two or more characters count, and a small allowlist covers the two-character
reduplications that are real words (一次一次, 学习学习强国).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from fazhi_review.checks.catalogue import make_finding
from fazhi_review.checks.context import CheckContext
from fazhi_review.models import Finding
from fazhi_review.text import CJK, CN_DIGITS

_DOUBLED = re.compile(rf"([{CJK}]{{2,4}})\1")
#: (unit, text that must follow) pairs where the doubling is a name, not a typo
_NAMES_AFTER: dict[str, str] = {"学习": "强国"}
_TITLE_QUOTE = re.compile(r"《[^》\n]{1,60}》")
_SEPARATORS = "，。；：、,.;: \n"
#: a passage may not start on a closing mark nor end on an opening one (that would split a pair)
_LEAD_TRIM = _SEPARATORS + "”’）)》」"
_TAIL_TRIM = _SEPARATORS + "“‘（(《「"


def _legit_doubling(unit: str, following: str) -> bool:
    """Reduplications that are Chinese, not typos: 一步一步, 哈哈哈哈, 十二十二, 学习学习强国."""
    if len(set(unit)) == 1 or all(c in CN_DIGITS for c in unit):
        return True
    if len(unit) == 2 and unit[0] == "一":
        return True
    name_tail = _NAMES_AFTER.get(unit)
    return name_tail is not None and following.startswith(name_tail)


def doubled_words(ctx: CheckContext) -> list[Finding]:
    findings = []
    text = ctx.text
    for match in _DOUBLED.finditer(text):
        unit = match.group(1)
        if _legit_doubling(unit, text[match.end() : match.end() + 4]):
            continue
        evidence = ctx.evidence(match.start(), match.end())
        findings.append(make_finding("repeated-text", f"“{unit}”连续重复出现，疑为多打，请删去一个。", evidence))
    return findings


def _own_length(passage: str) -> int:
    """Characters of a passage outside 《》 titles: citing the same document twice is normal."""
    return len(_TITLE_QUOTE.sub("", passage).strip(_SEPARATORS))


def _repeats(text: str, min_chars: int) -> list[tuple[int, int, int]]:
    """(first start, second start, length) of maximal non-overlapping repeats, left to right.

    A k-gram index finds where the second copy begins; extending forward gives its full length.
    Scanning left to right, the first repeated k-gram of a copy is already its leftmost start.
    """
    first_at: dict[int, int] = {}  # hash of the k-gram: a million k-gram strings would cost ~180 MB
    found = []
    i, n = 0, len(text)
    while i <= n - min_chars:
        gram = text[i : i + min_chars]
        j = first_at.setdefault(hash(gram), i)  # one hash and one look-up per position
        if j + min_chars <= i and "\n" not in gram and text[j : j + min_chars] == gram:
            length = min_chars
            while i + length < n and j + length < i and text[j + length] == text[i + length] and text[i + length] != "\n":
                length += 1
            found.append((j, i, length))
            i += length
            continue
        i += 1
    return found


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _LEAD_TRIM:
        start += 1
    while end > start and text[end - 1] in _TAIL_TRIM:
        end -= 1
    return start, end


def _paragraph_number(ctx: CheckContext, pos: int) -> int | None:
    paragraphs = ctx.report.paragraphs  # in text order
    index = bisect_right(paragraphs, pos, key=lambda p: p.span.start) - 1
    if index >= 0 and pos < paragraphs[index].span.end:
        return paragraphs[index].index
    return None


def repeated_passages(ctx: CheckContext) -> list[Finding]:
    """The second copy is the evidence: it is the one to delete, and the first is cited by place."""
    findings = []
    text = ctx.text
    for first, second, length in _repeats(text, ctx.profile.repeated_passage_min_chars):
        start, end = _trimmed(text, second, second + length)
        if _own_length(text[start:end]) < ctx.profile.repeated_passage_min_chars:
            continue
        evidence = ctx.evidence(start, end)
        if evidence is None:
            continue
        para = _paragraph_number(ctx, first)
        where = f"第{para}段" if para else "前文"
        first_start, _ = _trimmed(text, first, first + length)
        head = text[first_start : first_start + 12]
        findings.append(
            make_finding(
                "repeated-text",
                f"这段{end - start}字的文字与{where}（‘{head}……’）重复，疑为复制粘贴，请删除或合并。",
                evidence,
            )
        )
    return findings


def check(ctx: CheckContext) -> list[Finding]:
    return doubled_words(ctx) + repeated_passages(ctx)
