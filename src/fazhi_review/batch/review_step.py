"""The one place the batch calls the review command's code (the shared review contract).

Per-report 审阅意见 must be the ``fazhi review`` output, not a copy of it, so this module only
forwards: the review command's settings loader (CLI-less: fazhi.toml [review] over defaults),
``draft_review`` and the review command's renderer for Markdown and Word. When the contract
changes, this is the only file of batch/ to follow it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fazhi_review.models import ReportSummary
from fazhi_review.review import ReviewSettings, draft_review
from fazhi_review.review_pipeline import load_review_settings, render_draft


@dataclass(frozen=True)
class ReviewOutput:
    markdown: str
    docx: bytes
    verdict: str | None
    reasons: list[str] = field(default_factory=list)


def review_settings() -> ReviewSettings:
    """The settings ``fazhi review`` would use without flags, loaded once per batch."""
    return load_review_settings({})


def review_outputs(summary: ReportSummary, settings: ReviewSettings) -> ReviewOutput:
    draft = draft_review(summary, settings)
    return ReviewOutput(
        markdown=render_draft(draft, "markdown", None).decode("utf-8"),
        docx=render_draft(draft, "docx", None),
        verdict=draft.verdict,
        reasons=list(draft.verdict_reasons),
    )
