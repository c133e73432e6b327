"""Clean what file conversions leave behind, keeping a map from every clean character back to
the original so evidence offsets always point into the original text.

Each cleanup is a regex substitution applied to (text, offsets) together: a replacement of the
same length maps character by character, a shorter or longer one maps every produced character
to the start of what it replaced, and a deletion leaves no trace in the clean text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fazhi_review.models import Document, NormalizedText
from fazhi_review.text import CJK, LINE_START_MARKER, SENTENCE_END

Replacement = str | Callable[[re.Match[str], str], str]

_FULLWIDTH = str.maketrans("０１２３４５６７８９％．", "0123456789%.")
_FULLWIDTH_CHARS = re.compile("[０-９％．]")
_BLANK = " \t\u3000\xa0"
_JOINABLE = rf"[{CJK}\d“《（(]"
#: a line this short is a title or signature fragment, never half of a broken sentence
_MIN_BROKEN_LINE = 16
#: a numbered line shorter than this with no closing punctuation is a heading, not a broken line
_MAX_HEADING_LINE = 50
_TITLE_END = re.compile(r"(报告|汇报|总结|文件|通知|意见)$")


def _substitute(text: str, offsets: list[int], pattern: re.Pattern[str], repl: Replacement) -> tuple[str, list[int]]:
    if pattern.search(text) is None:  # nothing to clean: no copy of a million-entry map
        return text, offsets
    out: list[str] = []
    out_offsets: list[int] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(text[last : match.start()])
        out_offsets.extend(offsets[last : match.start()])
        piece = repl if isinstance(repl, str) else repl(match, text)
        width = match.end() - match.start()
        if len(piece) == width:
            out_offsets.extend(offsets[match.start() : match.end()])
        else:
            out_offsets.extend([offsets[match.start()]] * len(piece))
        out.append(piece)
        last = match.end()
    out.append(text[last:])
    out_offsets.extend(offsets[last:])
    return "".join(out), out_offsets


def _join_broken_line(match: re.Match[str], text: str) -> str:
    """Drop a line break that falls inside a sentence (PDF line or page break)."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    previous = text[line_start : match.start()]
    following = text[match.end() : match.end() + 8]
    if (
        len(previous) >= _MIN_BROKEN_LINE
        and previous[-1] not in SENTENCE_END
        and not (LINE_START_MARKER.match(previous) and len(previous) < _MAX_HEADING_LINE)
        and not _TITLE_END.search(previous)
        and re.match(_JOINABLE, following)
        and not LINE_START_MARKER.match(following)
    ):
        return ""
    return "\n"


# (pattern, replacement) in the order they run
_CLEANUPS: list[tuple[re.Pattern[str], Replacement]] = [
    (re.compile("[\ufeff\u200b\u200c\u200d\u2060]"), ""),
    (re.compile(r"\r\n?|\f"), "\n"),  # a PDF's page break ("\f") is a line break
    (re.compile(r"\[bookmark:[^\]\n]*\]"), ""),
    (re.compile(r"\*\*"), ""),
    (re.compile(rf"^[{_BLANK}]+|[{_BLANK}]+$", re.MULTILINE), ""),
    (re.compile(rf"(?<=[{CJK}\d%，。；：、“”（）])[{_BLANK}]+(?=[{CJK}\d%，。；：、“”（）])"), ""),
    (re.compile(r"\n{2,}"), "\n"),
    (re.compile(r"\n"), _join_broken_line),
]


def normalize_text(original: str) -> NormalizedText:
    # a regex over the few full-width characters: str.translate is slow on CJK text (5 MB: 2 s)
    text = _FULLWIDTH_CHARS.sub(lambda match: match.group().translate(_FULLWIDTH), original)
    offsets = list(range(len(original)))
    for pattern, repl in _CLEANUPS:
        text, offsets = _substitute(text, offsets, pattern, repl)
    # a leading/trailing newline carries nothing
    while text.startswith("\n"):
        text, offsets = text[1:], offsets[1:]
    while text.endswith("\n"):
        text, offsets = text[:-1], offsets[:-1]
    # built here from checked parts: validating a million-entry offset list only costs time
    return NormalizedText.model_construct(original=original, text=text, offsets=offsets)


def normalize(document: Document) -> NormalizedText:
    return normalize_text(document.text)
