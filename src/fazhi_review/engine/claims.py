"""The claims contract: what any engine contributes to a summary, and the ``Engine`` protocol.

An engine reads an ``Analysis`` and returns ``Claims`` (the items it found, each with evidence,
plus what its run cost). It never builds the summary itself: meta, statutory parts, the rule
pack's findings and provenance are the same for every engine, so ``assemble`` adds them once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from fazhi_review.analysis import Analysis
from fazhi_review.models import Finding, Highlight, Indicator, Measure, Shortcoming

#: the sections an engine fills, in summary order (risks: only judgement; rules are added later)
SECTIONS = ("overview", "highlights", "indicators", "shortcomings", "measures")


@dataclass
class Claims:
    overview: str = ""
    highlights: list[Highlight] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    shortcomings: list[Shortcoming] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    #: judgement risks (source "llm"); the rule pack's findings are added by ``assemble``
    judgement: list[Finding] = field(default_factory=list)
    #: Provenance fields of this run beyond engine/tool/rule pack (model, mode, attempts, usage …)
    provenance: dict[str, Any] = field(default_factory=dict)


class Engine(Protocol):
    """One way to produce claims. Register a new engine in ``engine.ENGINES``."""

    name: str

    def claims(self, analysis: Analysis) -> Claims: ...
