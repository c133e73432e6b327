"""The engine stage: Analysis → claims (by a registered engine) → ReportSummary (``assemble``).

``ENGINES`` is the one table of engines: a name and how to start one from the LLM settings
(None when no endpoint is configured). A new engine is one module and one line here.
"""

from __future__ import annotations

from collections.abc import Callable

from fazhi_review.analysis import Analysis
from fazhi_review.config import LLMSettings
from fazhi_review.engine.assemble import assemble
from fazhi_review.engine.claims import Claims, Engine
from fazhi_review.engine.offline import OfflineEngine, summarize_offline
from fazhi_review.models import ReportSummary


def _llm(settings: LLMSettings | None) -> Engine:
    from fazhi_review.engine.llm import LLMEngine

    if settings is None:
        raise ValueError("the llm engine needs LLM settings")
    return LLMEngine(settings)


ENGINES: dict[str, Callable[[LLMSettings | None], Engine]] = {
    "offline": lambda settings: OfflineEngine(),
    "llm": _llm,
}


def summarize(analysis: Analysis, engine: Engine) -> ReportSummary:
    return assemble(analysis, engine.name, engine.claims(analysis))


__all__ = ["ENGINES", "Claims", "Engine", "OfflineEngine", "summarize", "summarize_offline"]
