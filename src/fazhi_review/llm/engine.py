"""The LLM engine: the same ReportSummary as the offline engine, with judgement added by a model.

One call per report (per part when the report exceeds the context budget). The model names facts
by id and quotes the original; whatever it cannot ground is reasked, then dropped and counted.
The rule pack's findings are always kept; the model's judgement risks are added to them. Where the
model leaves a section empty after grounding, the offline engine's items fill it, and the
provenance says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from instructor.core.exceptions import InstructorRetryException

from fazhi_review.analysis import Analysis
from fazhi_review.checks.catalogue import make_finding
from fazhi_review.config import LLMSettings
from fazhi_review.engine.common import base_provenance, indicator_from_fact, part_locations, risk_from_finding, summary_meta
from fazhi_review.engine.linking import link_measures
from fazhi_review.engine.offline import summarize_offline
from fazhi_review.errors import LLMError
from fazhi_review.facts.taxonomy import categorize
from fazhi_review.llm.chunks import Chunk, split_report
from fazhi_review.llm.client import ChatCreate, build_instructor
from fazhi_review.llm.draft import MAX_OVERVIEW, Draft, Grounding, schema_hash
from fazhi_review.llm.grounding import align_quote
from fazhi_review.llm.prompt import build_messages, prompt_hash
from fazhi_review.llm.transport import Ledger
from fazhi_review.models import Highlight, Indicator, Measure, ReportSummary, Risk, Shortcoming, TokenUsage

_MAX_REASONS = 20


@dataclass
class Merged:
    """What the chunk answers add up to, before the summary is assembled."""

    overviews: list[str] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    shortcomings: list[Shortcoming] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    dropped_claims: int = 0
    dropped_reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def drop(self, reasons: list[str], claims: int | None = None) -> None:
        self.dropped_claims += len(reasons) if claims is None else claims
        self.dropped_reasons.extend(reasons)


@dataclass
class LLMRun:
    """One engine run's fixed inputs: the endpoint, the mode and how the model is reached."""

    settings: LLMSettings
    mode: str
    create: ChatCreate
    response_format_schema: dict[str, Any] | None = None


def _count_claims(error: InstructorRetryException) -> int:
    """How many items the last rejected answer held (1 when it was not even JSON)."""
    completion = error.last_completion
    try:
        message = completion.choices[0].message
        raw = message.tool_calls[0].function.arguments if message.tool_calls else message.content
        data = json.loads(raw)
        return max(1, sum(len(v) for v in data.values() if isinstance(v, list)) + bool(data.get("overview")))
    except Exception:
        return 1


def _ask(client: Any, run: LLMRun, analysis: Analysis, chunk: Chunk, total: int, ledger: Ledger, merged: Merged) -> Draft | None:
    grounding = Grounding(
        norm=analysis.norm,
        facts={f.id: f for f in analysis.facts},
        attempts=ledger.start_call(),
        max_attempts=run.settings.max_attempts,
    )
    try:
        draft = client.create(
            messages=build_messages(analysis, chunk.paragraphs, chunk.note(total)),
            response_model=Draft,
            max_retries=run.settings.max_attempts - 1,
            context={"grounding": grounding},
            model=run.settings.model,
            max_tokens=run.settings.max_tokens,
            temperature=run.settings.temperature,
        )
    except InstructorRetryException as error:
        if isinstance(error.__cause__, LLMError):
            raise error.__cause__ from None
        claims = _count_claims(error)
        reason = f"模型答案在 {error.n_attempts} 次尝试后仍不符合格式，整份丢弃（{claims} 条）：{str(error)[:160]}"
        merged.drop([reason], claims)
        merged.notes.append(f"{chunk.note(total) or '全文'}：模型未给出有效答案")
        return None
    merged.drop(grounding.dropped)
    return draft


def _merge(analysis: Analysis, draft: Draft, merged: Merged) -> None:
    norm, facts = analysis.norm, {f.id: f for f in analysis.facts}
    offset = len(merged.shortcomings)
    if draft.overview.strip():
        merged.overviews.append(draft.overview.strip())
    for item in draft.highlights:
        evidence = align_quote(norm, item.quote)
        if evidence:
            merged.highlights.append(Highlight(text=item.text, category=categorize(item.text + evidence.quote), evidence=evidence))
    for item in draft.indicators:
        fact = facts.get(item.fact_id.strip())
        if fact and fact.id not in merged.indicators:
            merged.indicators[fact.id] = indicator_from_fact(analysis, fact, name=item.name)
    for item in draft.shortcomings:
        evidence = align_quote(norm, item.quote)
        if evidence:
            merged.shortcomings.append(Shortcoming(text=item.text, has_reason=item.has_reason, evidence=evidence))
    for item in draft.measures:
        evidence = align_quote(norm, item.quote)
        if evidence:
            addresses = [offset + n - 1 for n in item.addresses if 0 <= offset + n - 1 < len(merged.shortcomings)]
            merged.measures.append(Measure(text=item.text, addresses=addresses, evidence=evidence))
    for item in draft.risks:
        evidence = align_quote(norm, item.quote)
        if evidence:
            finding = make_finding(item.kind, item.explanation, evidence=evidence, source="llm")
            merged.risks.append(risk_from_finding(finding).model_copy(update={"severity": item.severity}))


def _first_of_each(items: list[Any]) -> tuple[list[Any], dict[int, int]]:
    """Items with a new evidence position (per rule id for risks), and old → new index."""
    seen: dict[tuple[str, int | None], int] = {}
    kept: list[Any] = []
    index: dict[int, int] = {}
    for old, item in enumerate(items):
        key = (getattr(item, "rule_id", ""), item.evidence.start if item.evidence else None)
        if key not in seen:
            seen[key] = len(kept)
            kept.append(item)
        index[old] = seen[key]
    return kept, index


def _dedupe(merged: Merged) -> None:
    """A split report's calls may quote the same passage twice; keep the first of each."""
    merged.shortcomings, renumber = _first_of_each(merged.shortcomings)
    merged.measures = [m.model_copy(update={"addresses": sorted({renumber[a] for a in m.addresses})}) for m in merged.measures]
    merged.highlights = _first_of_each(merged.highlights)[0]
    merged.measures = _first_of_each(merged.measures)[0]
    merged.risks = _first_of_each(merged.risks)[0]


def _link_unlinked(merged: Merged) -> None:
    """Measures from a chunk without the 不足 (a split report) are linked by shared words."""
    texts = [s.text + s.evidence.quote for s in merged.shortcomings]
    for index, measure in enumerate(merged.measures):
        if not measure.addresses:
            links = link_measures([measure.text + measure.evidence.quote], texts)[0]
            merged.measures[index] = measure.model_copy(update={"addresses": links})


def _fill_from_offline(analysis: Analysis, merged: Merged) -> ReportSummary:
    offline = summarize_offline(analysis)
    labels = {"highlights": "亮点", "indicators": "量化指标", "shortcomings": "不足", "measures": "整改措施"}
    for name, label in labels.items():
        mine = getattr(merged, name)
        if not mine:
            setattr(merged, name, getattr(offline, name) if name != "indicators" else {i.fact_id: i for i in offline.indicators})
            if getattr(offline, name):
                merged.notes.append(f"模型未给出有据可查的{label}，已用离线引擎的结果补充")
    return offline


def _summary(analysis: Analysis, run: LLMRun, merged: Merged, ledger: Ledger, calls: int) -> ReportSummary:
    offline = _fill_from_offline(analysis, merged)
    overview = "".join(merged.overviews)[:MAX_OVERVIEW]
    if not overview:
        overview = offline.overview
        merged.notes.append("模型未给出概述，已用离线引擎的概述")
    judgement = sorted(merged.risks, key=lambda r: r.evidence.start if r.evidence else 0)
    provenance = base_provenance(
        "llm",
        model=run.settings.model,
        endpoint_host=run.settings.endpoint_host,
        mode=run.mode,
        prompt_hash=prompt_hash(),
        schema_hash=schema_hash(),
        calls=calls,
        attempts=ledger.attempts,
        usage=TokenUsage(prompt_tokens=ledger.prompt_tokens, completion_tokens=ledger.completion_tokens),
        dropped_claims=merged.dropped_claims,
        dropped_reasons=merged.dropped_reasons[:_MAX_REASONS],
        notes=merged.notes,
    )
    return ReportSummary(
        meta=summary_meta(analysis),
        parts=part_locations(analysis),
        overview=overview,
        highlights=merged.highlights,
        indicators=list(merged.indicators.values()),
        shortcomings=merged.shortcomings,
        measures=merged.measures,
        risks=[risk_from_finding(f) for f in analysis.findings] + judgement,
        provenance=provenance,
    )


def summarize_llm(analysis: Analysis, run: LLMRun) -> ReportSummary:
    ledger = Ledger()
    client = build_instructor(run.create, run.mode, run.settings, ledger, run.response_format_schema)
    chunks = split_report(analysis.report, run.settings.context_chars)
    merged = Merged()
    for chunk in chunks:
        draft = _ask(client, run, analysis, chunk, len(chunks), ledger, merged)
        if draft is not None:
            _merge(analysis, draft, merged)
    _dedupe(merged)
    _link_unlinked(merged)
    return _summary(analysis, run, merged, ledger, len(chunks))
