"""What every rule family receives: the stage outputs it may read, bundled once.

Families take one argument so adding an input (say, the ingest format) never changes every
signature; they must not re-parse files or text beyond the clean text they are given.
"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi_review.config import CheckProfile
from fazhi_review.models import Evidence, NormalizedText, NumericFact, Report, Span


@dataclass(frozen=True)
class CheckContext:
    norm: NormalizedText
    report: Report
    facts: list[NumericFact]
    profile: CheckProfile

    @property
    def text(self) -> str:
        return self.norm.text

    def evidence(self, start: int, end: int) -> Evidence | None:
        """Evidence in ORIGINAL offsets, or None for an empty/blank span (never a guessed one)."""
        start, end = max(start, 0), min(end, len(self.norm.text))
        while start < end and self.norm.text[start].isspace():
            start += 1
        while end > start and self.norm.text[end - 1].isspace():
            end -= 1
        if start >= end:
            return None
        return self.norm.evidence(start, end)

    def span_evidence(self, span: Span) -> Evidence | None:
        return self.evidence(span.start, span.end)
