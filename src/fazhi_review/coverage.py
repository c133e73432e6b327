"""The coverage stage: which of the ten chapters of the 纲要 (2021—2025) a report touches.

A reviewer notes a chapter the report never mentions (often 突发事件应对 or 科技保障) — a note
for the 审阅意见, not an error. The phrase table is data (``data/gangyao_chapters.toml``), so an
office can read and extend it without touching code. Evidence is sentence-level and verbatim.
"""

from __future__ import annotations

import tomllib
from bisect import bisect_right
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel

from fazhi_review.analysis import Analysis
from fazhi_review.locate import Locator
from fazhi_review.models import ChapterCoverage, NormalizedText, ParagraphLocation
from fazhi_review.text import sentence_bounds

#: sentences quoted per chapter: enough to show where, not a copy of the report
MAX_EVIDENCE = 3


class Chapter(BaseModel):
    number: int
    title: str
    phrases: list[str]


@cache
def chapters() -> tuple[Chapter, ...]:
    text = resources.files("fazhi_review").joinpath("data", "gangyao_chapters.toml").read_text(encoding="utf-8")
    return tuple(Chapter(**entry) for entry in tomllib.loads(text)["chapter"])


def _sentences(norm: NormalizedText) -> list[tuple[int, int]]:
    return sentence_bounds(norm.text, [(0, len(norm.text))])


def _sentence_hits(text: str, phrase: str, starts: list[int], ends: list[int]) -> list[int]:
    """Indexes (ascending, each once) of the sentences that hold ``phrase``: its occurrences in
    the whole text, each placed by bisection, instead of testing every phrase on every sentence."""
    hits: list[int] = []
    at = text.find(phrase)
    while at != -1:
        index = bisect_right(starts, at) - 1
        if index >= 0 and at + len(phrase) <= ends[index] and (not hits or hits[-1] != index):
            hits.append(index)
        at = text.find(phrase, at + 1)
    return hits


def chapter_coverage(norm: NormalizedText) -> list[ChapterCoverage]:
    """Keywords in the order a reader meets them (by first sentence, then table order), and the
    first ``MAX_EVIDENCE`` sentences holding any of them."""
    text = norm.text
    sentences = _sentences(norm)
    starts = [start for start, _ in sentences]
    ends = [end for _, end in sentences]
    result = []
    for chapter in chapters():
        first_seen: list[tuple[int, int, str]] = []
        holding: set[int] = set()
        for order, phrase in enumerate(chapter.phrases):
            hits = _sentence_hits(text, phrase, starts, ends)
            if hits:
                first_seen.append((hits[0], order, phrase))
                holding.update(hits)
        found = [phrase for _, _, phrase in sorted(first_seen)]
        evidence = [norm.evidence(*sentences[index]) for index in sorted(holding)[:MAX_EVIDENCE]]
        result.append(ChapterCoverage(chapter=chapter.number, title=chapter.title, covered=bool(evidence), keywords=found, evidence=evidence))
    return result


def paragraph_locations(analysis: Analysis, locator: Locator) -> list[ParagraphLocation]:
    """The report's paragraphs in original offsets, numbered as 第N段 is everywhere else: the
    non-empty line of the original holding the paragraph's start (``locate.Locator``), so the
    审阅意见 and the summary send the reader to the same line."""
    norm = analysis.norm
    locations = []
    for paragraph in analysis.report.paragraphs:
        if paragraph.span.end > paragraph.span.start:
            start, end = norm.to_original(paragraph.span.start, paragraph.span.end)
            locations.append(ParagraphLocation(index=locator.paragraph(start) or paragraph.index, start=start, end=end))
    return locations


def review_fields(analysis: Analysis, locator: Locator) -> dict[str, Any]:
    """The ReportSummary fields a 审阅意见 needs beyond the summary proper (one call per engine)."""
    return {"coverage": chapter_coverage(analysis.norm), "paragraphs": paragraph_locations(analysis, locator)}
