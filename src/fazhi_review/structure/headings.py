"""Find numbered headings and enumerated points, and give each its nesting level.

Levels are assigned by nesting, not by style: a report that goes 一、 → 1. has 1. at level 2,
one that goes 一、 → （一） → 1. has it at level 3 (GB/T 9704-2012 only fixes the order).
Run-in points (一是…二是…) may stand mid-paragraph; they always sit one level below the
line heading they follow.
"""

from __future__ import annotations

import re

from fazhi_review.models import Heading, HeadingStyle, Paragraph, Span
from fazhi_review.text import CN_DIGITS, MARKER_PATTERNS, RUN_IN_AFTER, SENTENCE_MARK, finditer_from, small_number

_LINE_STYLES: tuple[HeadingStyle, ...] = ("cn_dun", "paren_cn", "arabic_dot", "paren_arabic", "labelled")
_LINE_MARKERS = {style: re.compile(MARKER_PATTERNS[style]) for style in _LINE_STYLES}
#: 一是 only after a line start or a clause break, so 统一是/唯一是 never count
_RUN_IN = re.compile(rf"(?:(?<=^)|(?<=\n)|(?<=[{RUN_IN_AFTER}]))(?:{MARKER_PATTERNS['yishi']})", re.MULTILINE)
#: where a run-in point can start (its numeral), so _RUN_IN's lookbehinds are not tried everywhere
_RUN_IN_START = re.compile(f"[{CN_DIGITS}]")
_MAX_TITLE = 60


def _title_span(text: str, start: int, line_end: int) -> Span:
    """The heading text: up to the first sentence end on its line, or the whole line."""
    found = SENTENCE_MARK.search(text, start, line_end)
    return Span(start=start, end=found.end() if found else min(line_end, start + _MAX_TITLE))


def _line_heading(text: str, para: Paragraph) -> tuple[HeadingStyle, re.Match[str]] | None:
    for style, pattern in _LINE_MARKERS.items():
        match = pattern.match(text, para.span.start, para.span.end)
        if match:
            return style, match
    return None


def _make(text: str, style: HeadingStyle, match: re.Match[str], level: int, line: Paragraph) -> Heading:
    span = _title_span(text, match.start(), line.span.end)
    title = text[match.end() : span.end].rstrip("。；！？")
    return Heading(
        level=level,
        style=style,
        marker=match.group(0),
        number=small_number(match.group("n")),
        title=title,
        span=span,
        line_start=line.span.start,
    )


def find_headings(text: str, paragraphs: list[Paragraph]) -> list[Heading]:
    """Every heading and run-in point in text order, with nesting levels."""
    headings: list[Heading] = []
    stack: list[HeadingStyle] = []
    for para in paragraphs:
        found = _line_heading(text, para)
        if found:
            style, match = found
            if style in stack:
                del stack[stack.index(style) + 1 :]
            else:
                # "二、" after a lone "（一）" run (its "一、" lost) is a top heading again, not
                # nested under "（一）"; other styles nest as met ("1." above "（一）" happens)
                if style == "cn_dun":
                    stack.clear()
                stack.append(style)
            headings.append(_make(text, style, match, len(stack), para))
        run_in_level = len(stack) + 1
        for match in finditer_from(_RUN_IN, _RUN_IN_START, text, para.span.start, para.span.end):
            headings.append(_make(text, "yishi", match, run_in_level, para))
    return headings


def split_paragraphs(text: str) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    for match in re.finditer(r"[^\n]+", text):
        paragraphs.append(Paragraph(index=len(paragraphs) + 1, span=Span(start=match.start(), end=match.end()), text=match.group(0)))
    return paragraphs

