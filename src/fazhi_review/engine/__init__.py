"""The engine stage: Analysis → ReportSummary. The offline engine lives here; the LLM engine in llm/."""

from fazhi_review.engine.offline import summarize_offline

__all__ = ["summarize_offline"]
