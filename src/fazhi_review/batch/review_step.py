"""The one place the batch calls the review command's code (the shared review contract).

Per-report 审阅意见 must be the ``fazhi review`` output, not a copy of it, so this module only
forwards: the review command's settings loader (CLI-less: fazhi.toml [review] over defaults),
``draft_review`` and the review command's renderer for Markdown and Word. When the contract
changes, this is the only file of batch/ to follow it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from fazhi_review.models import ReportSummary
from fazhi_review.review import ReviewSettings, draft_review
from fazhi_review.review_pipeline import load_review_settings, render_draft


@dataclass(frozen=True)
class ReviewOutput:
    markdown: str
    docx: bytes
    verdict: str | None
    reasons: list[str] = field(default_factory=list)


def review_settings(flags: dict[str, Any] | None = None) -> ReviewSettings:
    """The settings ``fazhi review`` would use with these flags (batch: --issuer), loaded once per batch."""
    return load_review_settings(flags or {})


def letters_key(settings: ReviewSettings) -> str:
    """What the 审阅意见 are written with: a change (another issuer, deadline, policy in fazhi.toml)
    rewrites every letter, from the cached summaries (no model call). An unset date (today's) is
    left out, or every letter would be redone each day."""
    import hashlib

    data = settings.model_dump(mode="json", exclude={"date"} if settings.date is None else set())
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def review_outputs(summary: ReportSummary, settings: ReviewSettings) -> ReviewOutput:
    draft = draft_review(summary, settings)
    return ReviewOutput(
        markdown=render_draft(draft, "markdown", None).decode("utf-8"),
        docx=render_draft(draft, "docx", None),
        verdict=draft.verdict,
        reasons=list(draft.verdict_reasons),
    )
