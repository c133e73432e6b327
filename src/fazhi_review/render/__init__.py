"""The render stage: ReportSummary → text for people (Markdown) or machines (JSON)."""

from __future__ import annotations

from typing import Literal

from fazhi_review.models import ReportSummary
from fazhi_review.render.markdown import render_markdown

OutputFormat = Literal["markdown", "json"]


def render_json(summary: ReportSummary) -> str:
    return summary.model_dump_json(indent=2) + "\n"


def render(summary: ReportSummary, output_format: OutputFormat) -> str:
    return render_json(summary) if output_format == "json" else render_markdown(summary)


__all__ = ["OutputFormat", "render", "render_json", "render_markdown"]
