"""Split a report too long for the context budget by statutory part, then by paragraphs.

One call per report on the happy path: a report within ``context_chars`` is one chunk. A longer
one is cut at part boundaries (a part is never split while it fits), and a part longer than the
budget is cut between paragraphs. Preface paragraphs (title, addressee) go with the first chunk.
"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi_review.models import PART_LABELS, Paragraph, Report


@dataclass(frozen=True)
class Chunk:
    paragraphs: list[Paragraph]
    parts: list[str]

    @property
    def chars(self) -> int:
        return sum(len(p.text) for p in self.paragraphs)

    def note(self, total: int) -> str | None:
        if total == 1:
            return None
        return "、".join(PART_LABELS.get(p, p) for p in self.parts) or "报告开头"


def _part_of(report: Report, paragraph: Paragraph) -> str:
    for part, spans in report.parts.items():
        if any(s.start <= paragraph.span.start < s.end or paragraph.span.start <= s.start < paragraph.span.end for s in spans):
            return part
    return "preface"


def _blocks(report: Report) -> list[tuple[str, list[Paragraph]]]:
    """Runs of consecutive paragraphs that belong to the same part."""
    blocks: list[tuple[str, list[Paragraph]]] = []
    for paragraph in report.paragraphs:
        part = _part_of(report, paragraph)
        if blocks and (blocks[-1][0] == part or part == "preface"):
            blocks[-1][1].append(paragraph)
        else:
            blocks.append((part, [paragraph]))
    return blocks


def split_report(report: Report, budget: int) -> list[Chunk]:
    chunks: list[Chunk] = []
    current: list[Paragraph] = []
    parts: list[str] = []
    filled = 0  # characters in ``current``, kept as a running sum (re-summing it was quadratic)
    for part, paragraphs in _blocks(report):
        size = sum(len(p.text) for p in paragraphs)
        if current and filled + size > budget:
            chunks.append(Chunk(current, parts))
            current, parts, filled = [], [], 0
        for paragraph in paragraphs:
            if current and filled + len(paragraph.text) > budget:
                chunks.append(Chunk(current, parts))
                current, parts, filled = [], [], 0
            current.append(paragraph)
            filled += len(paragraph.text)
            if part != "preface" and part not in parts:
                parts.append(part)
    if current:
        chunks.append(Chunk(current, parts))
    return chunks
