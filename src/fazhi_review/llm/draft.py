"""What the model is asked to return (``Draft``), and the grounding validator behind reasks.

The schema is bounded (items per list, characters per string) so that a small model closes its
JSON before max_tokens. Grounding needs the report, so it runs only when the validation context
carries a ``Grounding``: quotes must align to the original, fact ids and shortcoming numbers must
exist, an indicator's value must stand in its quote. Before the last attempt every problem is sent
back to the model (instructor reasks); on the last attempt ungrounded claims are dropped and
counted instead, so they are never emitted.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from fazhi_review.llm.grounding import align_quote
from fazhi_review.models import NormalizedText, NumericFact, Severity

MAX_ITEMS = 8
MAX_TEXT = 120
MAX_QUOTE = 160
MAX_OVERVIEW = 200
_NUMBER = re.compile(r"\d+(?:\.\d+)?")

JudgementKind = Literal["self-reported-risk", "off-scope-text", "generic-text", "unaddressed-shortcoming", "implausible-claim"]


class _Item(BaseModel):
    model_config = ConfigDict(extra="ignore")


class DraftHighlight(_Item):
    text: str = Field(max_length=MAX_TEXT, description="亮点，一句话概括")
    quote: str = Field(max_length=MAX_QUOTE, description="原文中逐字摘录的依据")


class DraftIndicator(_Item):
    fact_id: str = Field(max_length=8, description="所选数字事实的编号，如 F3")
    name: str = Field(max_length=40, description="指标名称，如 行政处罚案件数")


class DraftShortcoming(_Item):
    text: str = Field(max_length=MAX_TEXT, description="不足，一句话概括")
    quote: str = Field(max_length=MAX_QUOTE, description="原文中逐字摘录的依据")
    has_reason: bool = Field(False, description="报告是否分析了这条不足的原因")


class DraftMeasure(_Item):
    text: str = Field(max_length=MAX_TEXT, description="整改措施或下一年度安排")
    quote: str = Field(max_length=MAX_QUOTE, description="原文中逐字摘录的依据")
    addresses: list[int] = Field(default_factory=list, max_length=MAX_ITEMS, description="针对的不足序号（从 1 开始）")


class DraftRisk(_Item):
    kind: JudgementKind
    severity: Severity
    explanation: str = Field(max_length=MAX_TEXT, description="为什么这是风险")
    quote: str = Field(max_length=MAX_QUOTE, description="原文中逐字摘录的依据")


class Draft(BaseModel):
    """The model's answer for one report (or one part of a long report)."""

    model_config = ConfigDict(extra="ignore")

    overview: str = Field("", max_length=MAX_OVERVIEW, description="概述，不超过200字")
    highlights: list[DraftHighlight] = Field(default_factory=list, max_length=MAX_ITEMS)
    indicators: list[DraftIndicator] = Field(default_factory=list, max_length=MAX_ITEMS * 3)
    shortcomings: list[DraftShortcoming] = Field(default_factory=list, max_length=MAX_ITEMS)
    measures: list[DraftMeasure] = Field(default_factory=list, max_length=MAX_ITEMS)
    risks: list[DraftRisk] = Field(default_factory=list, max_length=MAX_ITEMS)

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> Draft:
        grounding = (info.context or {}).get("grounding")
        if isinstance(grounding, Grounding):
            grounding.enforce(self)
        return self


def schema_hash() -> str:
    canonical = json.dumps(Draft.model_json_schema(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


@dataclass
class Problem:
    field: str
    index: int
    message: str


@dataclass
class Grounding:
    """Validation context: the report to ground against, and what was dropped."""

    norm: NormalizedText
    facts: dict[str, NumericFact]
    #: attempts so far in this call, advanced by the transport once per answer received
    attempts: list[int] = field(default_factory=lambda: [0])
    max_attempts: int = 3
    dropped: list[str] = field(default_factory=list)

    @property
    def last_attempt(self) -> bool:
        return self.attempts[0] >= self.max_attempts

    def problems(self, draft: Draft) -> list[Problem]:
        found: list[Problem] = []
        invented = [n for n in _NUMBER.findall(draft.overview) if n not in self.norm.text]
        if invented:
            found.append(Problem("overview", 0, f"overview 中的数字 {invented} 在原文中没有出现"))
        for name in ("highlights", "shortcomings", "measures", "risks"):
            for index, item in enumerate(getattr(draft, name)):
                if align_quote(self.norm, item.quote) is None:
                    found.append(Problem(name, index, f"{name}[{index}].quote 不是原文中的逐字摘录：「{item.quote[:40]}」"))
        for index, indicator in enumerate(draft.indicators):
            found += self._indicator_problems(index, indicator)
        for index, measure in enumerate(draft.measures):
            bad = [n for n in measure.addresses if not 1 <= n <= len(draft.shortcomings)]
            if bad:
                found.append(Problem("measures.addresses", index, f"measures[{index}].addresses 含不存在的不足序号 {bad}"))
        return found

    def _indicator_problems(self, index: int, indicator: DraftIndicator) -> list[Problem]:
        fact = self.facts.get(indicator.fact_id.strip())
        if fact is None:
            return [Problem("indicators", index, f"indicators[{index}].fact_id「{indicator.fact_id}」不在给出的数字事实编号中")]
        clause = self.norm.text[fact.clause.start : fact.clause.end]
        if fact.text not in clause:
            return [Problem("indicators", index, f"indicators[{index}] 的数值不在其引文中")]
        return []

    def enforce(self, draft: Draft) -> None:
        """Raise (so instructor reasks) or, on the last attempt, drop and count."""
        found = self.problems(draft)
        if not found:
            return
        if not self.last_attempt:
            raise ValueError("以下内容无法在原文中核实，请只用原文逐字摘录并使用给定编号：\n" + "\n".join(p.message for p in found))
        self._drop(draft, found)

    def _drop(self, draft: Draft, found: list[Problem]) -> None:
        by_field: dict[str, set[int]] = {}
        for problem in found:
            by_field.setdefault(problem.field, set()).add(problem.index)
            self.dropped.append(problem.message)
        total = len(draft.shortcomings)
        for measure in draft.measures:
            measure.addresses = [n for n in measure.addresses if 1 <= n <= total]
        by_field.pop("measures.addresses", None)
        if by_field.pop("overview", None) is not None:
            draft.overview = ""
        kept_shortcomings = [i for i in range(len(draft.shortcomings)) if i not in by_field.get("shortcomings", set())]
        renumber = {old + 1: new + 1 for new, old in enumerate(kept_shortcomings)}
        for name, indexes in by_field.items():
            setattr(draft, name, [item for i, item in enumerate(getattr(draft, name)) if i not in indexes])
        for measure in draft.measures:
            measure.addresses = [renumber[n] for n in measure.addresses if n in renumber]
