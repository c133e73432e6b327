"""The coverage stage: which of the ten chapters of the 纲要 (2021—2025) a report touches.

A reviewer notes a chapter the report never mentions (often 突发事件应对 or 科技保障) — a note
for the 审阅意见, not an error. The phrase table is data (``data/gangyao_chapters.toml``), so an
office can read and extend it without touching code. Evidence is sentence-level and verbatim.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel

from fazhi_review.analysis import Analysis
from fazhi_review.models import ChapterCoverage, Evidence, NormalizedText, ParagraphLocation, Report
from fazhi_review.text import SENTENCE

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
    spans = []
    for match in SENTENCE.finditer(norm.text):
        stripped = match.group(0).strip()
        if stripped:
            start = match.start() + match.group(0).find(stripped)
            spans.append((start, start + len(stripped)))
    return spans


def chapter_coverage(norm: NormalizedText) -> list[ChapterCoverage]:
    sentences = _sentences(norm)
    result = []
    for chapter in chapters():
        found: list[str] = []
        evidence: list[Evidence] = []
        phrases = [p for p in chapter.phrases if p in norm.text]  # most chapters miss most phrases
        for start, end in sentences if phrases else ():
            sentence = norm.text[start:end]
            hits = [p for p in phrases if p in sentence]
            if not hits:
                continue
            found += [h for h in hits if h not in found]
            if len(evidence) < MAX_EVIDENCE:
                evidence.append(norm.evidence(start, end))
        result.append(ChapterCoverage(chapter=chapter.number, title=chapter.title, covered=bool(evidence), keywords=found, evidence=evidence))
    return result


def paragraph_locations(norm: NormalizedText, report: Report) -> list[ParagraphLocation]:
    """The report's paragraphs in original offsets, numbered as the LLM prompt numbers them."""
    locations = []
    for paragraph in report.paragraphs:
        if paragraph.span.end > paragraph.span.start:
            start, end = norm.to_original(paragraph.span.start, paragraph.span.end)
            locations.append(ParagraphLocation(index=paragraph.index, start=start, end=end))
    return locations


def review_fields(analysis: Analysis) -> dict[str, Any]:
    """The ReportSummary fields a 审阅意见 needs beyond the summary proper (one call per engine)."""
    return {"coverage": chapter_coverage(analysis.norm), "paragraphs": paragraph_locations(analysis.norm, analysis.report)}
