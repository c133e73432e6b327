"""repeated-text: a word typed twice (情况情况) and a passage pasted twice in one report.

Both are the commonest traces of copy-editing in these reports (DOMAIN.md, proofreading
categories). Chinese legitimately reduplicates single characters (常常、人人、事事、层层、一一、
看看), so only units of two or more characters count, and a small allowlist covers the two-character
reduplications that are real words (一次一次, 学习学习强国).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

import numpy as np

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


def _doublings(text: str) -> Iterator[re.Match[str]]:
    """``_DOUBLED.finditer(text)``, trying the regex only where it can match.

    A unit of two to four characters followed by itself starts at p only if text[p:p+2] recurs
    at p+2, p+3 or p+4: numpy finds those few positions, instead of the regex trying three unit
    lengths at every character. Left to right, skipping what a match consumed, as finditer does.
    """
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    possible = np.zeros(len(codes), dtype=bool)
    for unit in (2, 3, 4):
        count = len(codes) - unit - 1  # starts p with p + unit + 1 inside the text
        if count > 0:
            possible[:count] |= (codes[:count] == codes[unit : unit + count]) & (codes[1 : 1 + count] == codes[unit + 1 : unit + 1 + count])
    next_at = 0
    for start in np.flatnonzero(possible).tolist():
        if start >= next_at and (match := _DOUBLED.match(text, start)):
            next_at = match.end()
            yield match


def doubled_words(ctx: CheckContext) -> list[Finding]:
    findings = []
    text = ctx.text
    for match in _doublings(text):
        unit = match.group(1)
        if _legit_doubling(unit, text[match.end() : match.end() + 4]):
            continue
        evidence = ctx.evidence(match.start(), match.end())
        findings.append(make_finding("repeated-text", f"“{unit}”连续重复出现，疑为多打，请删去一个。", evidence))
    return findings


def _own_length(passage: str) -> int:
    """Characters of a passage outside 《》 titles: citing the same document twice is normal."""
    return len(_TITLE_QUOTE.sub("", passage).strip(_SEPARATORS))


#: polynomial k-gram hash modulo 2**64 (numpy's uint64 wraps around): an odd base has an inverse
_BASE = 0x9E3779B97F4A7C15
_BASE_INVERSE = pow(_BASE, -1, 2**64)


def _window_hashes(codes: np.ndarray, width: int) -> np.ndarray:
    """A hash of every ``width``-character window: sum of code · base^position over the window,
    shifted back to position 0 by the inverse power, from one prefix sum — linear, in numpy,
    in place where it can (a 5-million-character text makes each array 40 MB)."""
    weighted = np.full(len(codes), _BASE, dtype=np.uint64)
    weighted[0] = 1
    np.cumprod(weighted, out=weighted)
    weighted *= codes
    prefix = np.zeros(len(codes) + 1, dtype=np.uint64)
    np.cumsum(weighted, out=prefix[1:])
    del weighted
    hashes: np.ndarray = np.full(len(codes) - width + 1, _BASE_INVERSE, dtype=np.uint64)
    hashes[0] = 1
    np.cumprod(hashes, out=hashes)
    hashes *= prefix[width:] - prefix[:-width]
    return hashes


def _plain_repeats(text: str, min_chars: int) -> list[tuple[int, int, int]]:
    """The same scan one position at a time: the fallback when two different k-grams share a hash."""
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


def _common_length(text: str, a: int, b: int, known: int, limit: int) -> int:
    """Length of the common run of text[a:] and text[b:], at least ``known``, at most ``limit``.

    Galloping over slice comparisons: a long pasted copy costs a few C comparisons, not one
    Python step per character.
    """
    low, step = known, 1
    while low < limit:  # text[a:a+low] == text[b:b+low]; widen by doubling steps
        high = min(low + step, limit)
        if text[a + low : a + high] != text[b + low : b + high]:
            while high - low > 1:  # the mismatch is in (low, high]: halve
                middle = (low + high) // 2
                if text[a + low : a + middle] == text[b + low : b + middle]:
                    low = middle
                else:
                    high = middle
            return low
        low, step = high, 2 * step
    return low


def _repeats(text: str, min_chars: int) -> list[tuple[int, int, int]]:
    """(first start, second start, length) of maximal non-overlapping repeats, left to right.

    A k-gram index finds where the second copy begins; extending forward gives its full length
    (never across a newline nor into the second copy). Scanning left to right, the first
    repeated k-gram of a copy is already its leftmost start; the scan then jumps past the copy,
    so a k-gram is looked up among the positions the scan has visited.
    """
    if len(text) < min_chars:
        return []
    found = _indexed_repeats(text, min_chars)
    return found if found is not None else _plain_repeats(text, min_chars)


def _indexed_repeats(text: str, min_chars: int) -> list[tuple[int, int, int]] | None:
    """The scan over candidates only; None when a hash collision makes the index unreliable.

    Only a position whose k-gram occurred earlier can start a copy: numpy hashes every window
    and finds those candidates and each k-gram's first position, and the Python loop runs over
    the candidates alone (a Python step per character cost 2–5 ms a report). Every look-up is
    confirmed on the text, so the result is the plain scan's.
    """
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    candidates, candidate_firsts = _candidates(codes, min_chars)
    skipped = bytearray(len(text))  # positions inside an extended copy: never visited
    visited_first: dict[int, int] = {}  # a k-gram's first position → its first VISITED position
    found: list[tuple[int, int, int]] = []
    n, next_at, index = len(text), 0, 0
    while index < len(candidates):
        i = int(candidates[index])
        index += 1
        if i < next_at:
            index = int(np.searchsorted(candidates, next_at))
            continue
        j = int(candidate_firsts[index - 1])
        if skipped[j]:  # the k-gram's first occurrence lay inside a copy the scan jumped over
            j = visited_first.setdefault(j, i)
        if j != i and text[j : j + min_chars] != text[i : i + min_chars]:
            return None
        if j + min_chars <= i:
            line_end = text.find("\n", i + min_chars)
            limit = min(i - j, n - i, (line_end if line_end != -1 else n) - i)
            length = _common_length(text, j, i, min_chars, limit)
            found.append((j, i, length))
            skipped[i + 1 : i + length] = b"\x01" * (length - 1)
            next_at = i + length
    return found


def _candidates(codes: np.ndarray, min_chars: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions whose k-gram (without a newline) occurred earlier, ascending, and where it first
    occurred (by hash: ``_indexed_repeats`` confirms each on the text)."""
    count = len(codes) - min_chars + 1
    hashes = _window_hashes(codes, min_chars)
    ordered = np.sort(hashes)
    if not (ordered[1:] == ordered[:-1]).any():  # no k-gram occurs twice (most reports): one sort, done
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    del ordered
    _, first_index, group = np.unique(hashes, return_index=True, return_inverse=True)
    del hashes
    firsts = first_index[group.reshape(-1)]
    del group
    newlines = np.zeros(len(codes) + 1, dtype=np.int32)
    np.cumsum(codes == ord("\n"), out=newlines[1:])
    repeated = firsts < np.arange(count)
    repeated &= newlines[min_chars:] == newlines[:count]  # windows without a newline
    positions = np.flatnonzero(repeated)
    return positions, firsts[positions]


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
