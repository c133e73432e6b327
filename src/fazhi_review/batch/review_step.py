"""The one place the batch calls the review command's code (the shared review contract).

Per-report 审阅意见 must be the ``fazhi review`` output, not a copy of it, so this module only
forwards: draft_review → render_review_markdown / review_docx_bytes. When the contract changes,
this is the only file of batch/ to follow it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fazhi_review.models import ReportSummary


@dataclass(frozen=True)
class ReviewOutput:
    markdown: str
    docx: bytes
    verdict: str | None
    reasons: list[str] = field(default_factory=list)


def review_outputs(summary: ReportSummary) -> ReviewOutput:
    from fazhi_review.render.docx import review_docx_bytes
    from fazhi_review.render.review import render_review_markdown
    from fazhi_review.review import draft_review

    draft = draft_review(summary)
    return ReviewOutput(
        markdown=render_review_markdown(draft),
        docx=review_docx_bytes(draft),
        verdict=draft.verdict,
        reasons=list(draft.verdict_reasons),
    )
