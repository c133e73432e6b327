"""Locators a reviewer can use: the page and paragraph of every evidence, from the original text.

Character offsets are exact but invisible in Word or a PDF viewer; "第3页 第12段" is what a
reviewer can find. Both are computed from ``Document.text`` alone, once, after the engine has
returned, so every engine's evidence gets the same locators. Pages are separated by "\\f" in the
text of a PDF (text layer or OCR); paragraphs are the text's non-empty lines (a .docx paragraph
or table row is one line, a .txt paragraph is a line).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from fazhi_review.models import Document, Evidence, ReportSummary

#: a line of the text (between \n, \r or \f); it is a paragraph unless it is blank
_LINE = re.compile(r"[^\n\r\f]+")
_OCR_NOTE = "正文由 OCR 从扫描件识别得到，引文与原件可能有个别识别错误，请对照原件核对。"


class Locator:
    """Page and paragraph of an offset by bisection over precomputed boundaries."""

    def __init__(self, document: Document) -> None:
        text = document.text
        self._paged = document.format == "pdf"
        self._page_breaks = [m.start() for m in re.finditer("\f", text)]
        self._line_starts = paragraph_starts(text)
        self._synthetic = sorted(document.synthetic)
        self._synthetic_starts = [start for start, _ in self._synthetic]
        self._text = text

    def page(self, offset: int) -> int | None:
        return bisect_right(self._page_breaks, offset) + 1 if self._paged else None

    def paragraph(self, offset: int) -> int | None:
        number = bisect_right(self._line_starts, offset)
        return number or None

    def locate(self, evidence: Evidence) -> Evidence:
        """The evidence with its locators, trimmed off any synthetic label it starts or ends in."""
        start, end = self._trim(evidence.start, evidence.end)
        update: dict[str, object] = {"page": self.page(start), "paragraph": self.paragraph(start)}
        if (start, end) != (evidence.start, evidence.end):
            update.update(start=start, end=end, quote=self._text[start:end])
        return evidence.model_copy(update=update)

    def _trim(self, start: int, end: int) -> tuple[int, int]:
        if not self._synthetic:  # most documents: nothing rendered by us to trim off
            return start, end
        inside = self._enclosing(start)
        if inside and inside[0] < start and inside[1] < end:
            start = inside[1]
        inside = self._enclosing(end - 1)
        if inside and inside[1] > end and inside[0] > start:
            end = inside[0]
        return start, end

    def _enclosing(self, offset: int) -> tuple[int, int] | None:
        index = bisect_right(self._synthetic_starts, offset) - 1
        if index >= 0 and offset < self._synthetic[index][1]:
            return self._synthetic[index]
        return None


def locate_summary(summary: ReportSummary, document: Document, locator: Locator | None = None) -> ReportSummary:
    """Give every evidence in ``summary`` its page/paragraph; note OCR text in meta and provenance.
    ``locator``: one already made for ``document`` (the engine's assemble shares it)."""
    locator = locator or Locator(document)
    sections: dict[str, list[Any]] = {}
    for name, index, evidence in summary.iter_evidence():
        if name not in sections:  # copied once per section, not per evidence (linear)
            sections[name] = list(getattr(summary, name))
        items = sections[name]
        items[index] = items[index].model_copy(update={"evidence": locator.locate(evidence)})
    update: dict[str, Any] = dict(sections)
    if document.ocr:
        update["meta"] = summary.meta.model_copy(update={"ocr": True})
        notes = summary.provenance.notes if _OCR_NOTE in summary.provenance.notes else [*summary.provenance.notes, _OCR_NOTE]
        update["provenance"] = summary.provenance.model_copy(update={"notes": notes})
    return summary.model_copy(update=update)


def paragraph_starts(text: str) -> list[int]:
    """Offsets where the text's non-empty lines start (paragraph N starts at index N-1)."""
    return [line.start() for line in _LINE.finditer(text) if not line.group(0).isspace()]


__all__ = ["Locator", "locate_summary", "paragraph_starts"]
