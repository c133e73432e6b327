"""What the model is asked to return (``Draft``), and the grounding validator behind reasks.

The model cites sentence ids (S3) and fact ids (F3) from the numbered listing instead of
re-typing quotes, so a claim's evidence is a sentence of the report by construction (or, when
the model adds a short ``quote``, the part of the cited sentence that quote aligns to). The
schema is bounded (items per list, characters per string) so that a small model closes its JSON
before max_tokens. Grounding needs the report, so it runs only when the validation context
carries a ``Grounding``: ids must exist, a fact a claim relies on must stand in a cited sentence,
numbers in free text must stand in the report. Before the last attempt every problem is sent
back (instructor reasks); on the last attempt — or as soon as the model repeats an earlier answer,
which a reask can no longer change — ungrounded claims are dropped and counted, never emitted.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, model_validator

from fazhi_review.evidence import align_quote, span_evidence
from fazhi_review.llm.prompt import Listing
from fazhi_review.models import Evidence, NormalizedText, NumericFact, Severity, Span

MAX_ITEMS = 8
MAX_TEXT = 80
MAX_QUOTE = 40
MAX_OVERVIEW = 200
MAX_CITED = 4
_NUMBER = re.compile(r"\d+(?:\.\d+)?")

JudgementKind = Literal["self-reported-risk", "off-scope-text", "generic-text", "unaddressed-shortcoming", "implausible-claim"]
SECTION_LABELS = {"overview": "概述", "highlights": "亮点", "indicators": "量化指标", "shortcomings": "不足", "measures": "整改措施", "risks": "风险"}


class _Item(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Cited(_Item):
    """A claim with its evidence: the sentences it rests on, optionally a phrase inside them."""

    sentences: list[str] = Field(default_factory=list, max_length=MAX_CITED, description="依据句编号，如 S3")
    quote: str = Field("", max_length=MAX_QUOTE, description="可选：所引句子中逐字摘录的短语")
    #: set by grounding: the evidence the citation resolved to (aligned once, used by the engine)
    _evidence: Evidence | None = PrivateAttr(None)

    @property
    def evidence(self) -> Evidence | None:
        return self._evidence


class DraftHighlight(_Cited):
    text: str = Field(max_length=MAX_TEXT, description="亮点，一句话概括")
    facts: list[str] = Field(default_factory=list, max_length=MAX_CITED, description="可选：所用数字的事实编号")


class DraftIndicator(_Item):
    fact: str = Field(max_length=8, description="事实编号，如 F3")
    name: str = Field(max_length=30, description="指标名称")


class DraftShortcoming(_Cited):
    text: str = Field(max_length=MAX_TEXT, description="不足，一句话概括")
    has_reason: bool = Field(False, description="报告是否分析了原因")


class DraftMeasure(_Cited):
    text: str = Field(max_length=MAX_TEXT, description="整改措施")
    addresses: list[int] = Field(default_factory=list, max_length=MAX_ITEMS, description="针对的不足序号（从 1 开始）")


class DraftRisk(_Cited):
    kind: JudgementKind
    severity: Severity
    explanation: str = Field(max_length=MAX_TEXT, description="为什么这是风险")


@cache
def _schema_json(model: type[BaseModel], args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]) -> str:
    return json.dumps(BaseModel.model_json_schema.__func__(model, *args, **dict(kwargs)), ensure_ascii=False)  # type: ignore[attr-defined]


class CachedSchema(BaseModel):
    """``model_json_schema`` generated once per class and arguments: instructor asks for it on
    every request (twice in JSON mode), pydantic regenerates it each time (~9 ms for ``Draft``),
    and a county batch sends hundreds of requests from threads that share one GIL. Each caller
    gets its own copy, because instructor edits the schema it is given."""

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return json.loads(_schema_json(cls, args, tuple(sorted(kwargs.items()))))


class Draft(CachedSchema):
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

    def claims(self) -> int:
        return len(self.highlights) + len(self.indicators) + len(self.shortcomings) + len(self.measures) + len(self.risks) + bool(self.overview)


@cache
def schema_hash() -> str:
    canonical = json.dumps(Draft.model_json_schema(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


@dataclass
class Problem:
    field: str
    index: int
    message: str


def _where(name: str, index: int) -> str:
    return f"{SECTION_LABELS[name]}第{index + 1}条"


@dataclass
class Grounding:
    """Validation context: the report to ground against, the attempts so far, what was dropped."""

    norm: NormalizedText
    listing: Listing
    facts: dict[str, NumericFact]
    max_attempts: int = 3
    #: answers received in this call, advanced by instructor's completion:response hook
    attempts: int = 0
    #: earlier answers of this call: a repeat means a reask cannot change anything
    seen: list[str] = field(default_factory=list)
    repeated: bool = False
    dropped: list[str] = field(default_factory=list)

    def on_response(self, response: Any) -> None:
        self.attempts += 1

    @property
    def last_attempt(self) -> bool:
        return self.attempts >= self.max_attempts

    def _invented_numbers(self, text: str) -> list[str]:
        return [n for n in _NUMBER.findall(text) if n not in self.norm.text]

    def _cited_span(self, ids: list[str]) -> tuple[Span | None, list[str]]:
        """The span from the first cited sentence to the last one adjacent to it; unknown ids."""
        known = [self.listing.sentences[i] for i in (s.strip().upper() for s in ids) if i in self.listing.sentences]
        unknown = [s for s in ids if s.strip().upper() not in self.listing.sentences]
        if not known:
            return None, unknown
        known.sort(key=lambda s: s.start)
        start, end = known[0].start, known[0].end
        for span in known[1:]:
            if span.start - end <= 2:
                end = span.end
        return Span(start=start, end=end), unknown

    def resolve(self, name: str, index: int, item: _Cited) -> list[Problem]:
        """Set the item's evidence from its citation (once), or say what is wrong with it."""
        span, unknown = self._cited_span(item.sentences)
        where = _where(name, index)
        if unknown:
            return [Problem(name, index, f"{where}：句子编号 {'、'.join(unknown)} 不存在")]
        if span is None:
            return [Problem(name, index, f"{where}：没有给出依据句编号（sentences）")]
        cited = {i.strip().upper() for i in item.sentences}
        for fact_id in getattr(item, "facts", []):
            holder = self.listing.fact_sentence.get(fact_id.strip().upper())
            if holder is None:
                return [Problem(name, index, f"{where}：事实编号 {fact_id} 不存在")]
            if holder not in cited:
                return [Problem(name, index, f"{where}：事实 {fact_id} 在 {holder}，不在所引的句子中")]
        free_text = getattr(item, "text", "") + getattr(item, "explanation", "")
        invented = self._invented_numbers(free_text)
        if invented:
            return [Problem(name, index, f"{where}：数字 {'、'.join(invented)} 在原文中没有出现")]
        inside = align_quote(self.norm, item.quote, within=span) if item.quote.strip() else None
        item._evidence = inside or span_evidence(self.norm, span)
        return []

    def problems(self, draft: Draft) -> list[Problem]:
        found: list[Problem] = []
        invented = self._invented_numbers(draft.overview)
        if invented:
            found.append(Problem("overview", 0, f"概述：数字 {'、'.join(invented)} 在原文中没有出现"))
        for name in ("highlights", "shortcomings", "measures", "risks"):
            for index, item in enumerate(getattr(draft, name)):
                found += self.resolve(name, index, item)
        for index, indicator in enumerate(draft.indicators):
            if indicator.fact.strip().upper() not in self.facts:
                found.append(Problem("indicators", index, f"{_where('indicators', index)}：事实编号「{indicator.fact}」不存在"))
        for index, measure in enumerate(draft.measures):
            bad = [n for n in measure.addresses if not 1 <= n <= len(draft.shortcomings)]
            if bad:
                found.append(Problem("measures.addresses", index, f"{_where('measures', index)}：针对的不足序号 {bad} 不存在"))
        return found

    def enforce(self, draft: Draft) -> None:
        """Raise (so instructor reasks) or — last attempt, or a repeated answer — drop and count."""
        found = self.problems(draft)
        answer = draft.model_dump_json()
        self.repeated = answer in self.seen
        self.seen.append(answer)
        if not found:
            return
        if not (self.last_attempt or self.repeated):
            raise ValueError("\n".join(p.message for p in found))
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
