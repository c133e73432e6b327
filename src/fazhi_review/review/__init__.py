"""The review stage: a ReportSummary → the draft 审阅意见 (ReviewDraft) a reviewer edits and sends."""

from __future__ import annotations

from fazhi_review.models import ReportSummary
from fazhi_review.review.draft import draft_offline
from fazhi_review.review.model import ReviewDraft, ReviewSettings


def draft_review(summary: ReportSummary, settings: ReviewSettings | None = None) -> ReviewDraft:
    """The offline draft; every problem and action traced to the summary's findings and evidence."""
    return draft_offline(summary, settings or ReviewSettings())


__all__ = ["ReviewDraft", "ReviewSettings", "draft_review"]
