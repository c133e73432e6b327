"""The LLM engine: claims from a model over any OpenAI-compatible endpoint, grounded by id.

One call per report (per part when the report exceeds the context budget). The model sees the
report's sentences numbered and its facts marked (see ``llm.prompt.Listing``) and cites ids;
whatever it cannot ground is reasked, then dropped and counted. Where the model leaves a section
empty after grounding, the offline engine's claims fill it and the provenance says which.
Meta, parts, rule findings and provenance are added by ``assemble``, as for every engine.

Three phases, so a batch can run the CPU-bound ones in worker processes and keep only the
waiting in its threads: ``plan_requests`` (listing and messages, no network), ``ask`` (the calls,
grounded and merged as each answer arrives) and ``finish_claims`` (dedupe, links, offline fill,
provenance). ``llm_claims`` runs the three in a row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import openai
from instructor.core.exceptions import InstructorRetryException
from instructor.v2.core.hooks import Hooks

from fazhi_review.analysis import Analysis
from fazhi_review.checks.catalogue import make_finding
from fazhi_review.config import LLMSettings
from fazhi_review.engine.assemble import indicator_from_fact
from fazhi_review.engine.chunks import split_report
from fazhi_review.engine.claims import Claims
from fazhi_review.engine.linking import link_measures
from fazhi_review.engine.offline import offline_claims
from fazhi_review.errors import LLMError
from fazhi_review.facts.taxonomy import categorize
from fazhi_review.llm.client import ChatCreate, build_instructor, openai_client, problem_lines, response_model
from fazhi_review.llm.prompt import Listing, build_listing, build_messages, prompt_hash
from fazhi_review.llm.schema import MAX_OVERVIEW, SECTION_LABELS, Draft, Grounding, schema_hash
from fazhi_review.llm.transport import Ledger
from fazhi_review.models import Finding, Highlight, Indicator, Measure, Shortcoming, TokenUsage

_MAX_REASONS = 20


@dataclass
class Merged:
    """What the chunk answers add up to, before the summary is assembled."""

    overviews: list[str] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    shortcomings: list[Shortcoming] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    risks: list[Finding] = field(default_factory=list)
    dropped_claims: int = 0
    dropped_reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    filled_from_offline: list[str] = field(default_factory=list)
    #: model claims kept after grounding, over all chunks
    kept: int = 0

    def drop(self, reasons: list[str], claims: int | None = None) -> None:
        self.dropped_claims += len(reasons) if claims is None else claims
        self.dropped_reasons.extend(reasons)


@dataclass
class LLMRun:
    """One engine run's fixed inputs: the endpoint, the mode and how the model is reached."""

    settings: LLMSettings
    mode: str
    create: ChatCreate


def _count_claims(error: InstructorRetryException) -> int:
    """How many items the last rejected answer held (1 when it was not even JSON)."""
    completion: Any = error.last_completion
    try:
        message = completion.choices[0].message
        raw = message.tool_calls[0].function.arguments if message.tool_calls else message.content
        data = json.loads(raw)
        return max(1, sum(len(v) for v in data.values() if isinstance(v, list)) + bool(data.get("overview")))
    except Exception:
        return 1


@dataclass(frozen=True)
class Request:
    """One call's input: the part of the report it covers, as the model sees it."""

    #: which parts a split report's call covers (None: the whole report in one call)
    note: str | None
    listing: Listing
    messages: list[dict[str, Any]]


@dataclass
class Answers:
    """What the calls of one report returned, merged; the input of ``finish_claims``."""

    merged: Merged
    ledger: Ledger
    calls: int


def warm_up() -> None:
    """Build what every call reuses (the prompt templates, the response model's schema) once, in
    the parent before a batch forks its workers: otherwise each worker compiles the templates for
    its first report and the first threads all build the schema at once, holding the first
    requests back."""
    from fazhi_review.llm.prompt import compile_templates

    compile_templates()
    response_model(Draft).model_json_schema()


def plan_requests(analysis: Analysis, settings: LLMSettings) -> list[Request]:
    """The calls a report needs (one per chunk), built without touching the network."""
    chunks = split_report(analysis.report, settings.context_chars)
    requests = []
    for chunk in chunks:
        listing = build_listing(analysis, chunk.paragraphs)
        note = chunk.note(len(chunks))
        requests.append(Request(note=note, listing=listing, messages=build_messages(analysis, listing, note)))
    return requests


def _ask(client: Any, run: LLMRun, analysis: Analysis, request: Request, merged: Merged) -> Draft | None:
    where = request.note or "全文"
    grounding = Grounding(norm=analysis.norm, listing=request.listing, facts={f.id: f for f in analysis.facts}, max_attempts=run.settings.max_attempts)
    hooks = Hooks()
    hooks.on("completion:response", grounding.on_response)
    try:
        draft: Draft = client.create(
            messages=request.messages,
            response_model=response_model(Draft),
            max_retries=run.settings.max_attempts - 1,
            context={"grounding": grounding},
            hooks=hooks,
            model=run.settings.model,
            max_tokens=run.settings.max_tokens,
            temperature=run.settings.temperature,
        )
    except InstructorRetryException as error:
        if isinstance(error.__cause__, LLMError):
            raise error.__cause__ from None
        claims = _count_claims(error)
        last = problem_lines(error.__cause__) if isinstance(error.__cause__, Exception) else []
        detail = "；".join(last[:3]) or "无法解析"
        merged.drop([f"{where}：模型的回答经 {error.n_attempts} 次尝试仍不符合格式，整份丢弃（{claims} 条）：{detail}"], claims)
        merged.notes.append(f"{where}：模型未给出有效答案")
        return None
    merged.drop(grounding.dropped)
    if grounding.repeated:
        merged.notes.append(f"{where}：模型第 {grounding.attempts} 次回答与之前相同，不再追问")
    merged.kept += draft.claims()
    return draft


def _merge(analysis: Analysis, draft: Draft, merged: Merged) -> None:
    """Grounded items only: grounding resolved each citation to evidence once, here it is used."""
    facts = {f.id: f for f in analysis.facts}
    offset = len(merged.shortcomings)
    if draft.overview.strip():
        merged.overviews.append(draft.overview.strip())
    for item in draft.highlights:
        if item.evidence:
            merged.highlights.append(Highlight(text=item.text, category=categorize(item.text + item.evidence.quote), evidence=item.evidence))
    for indicator in draft.indicators:
        fact = facts.get(indicator.fact.strip().upper())
        if fact and fact.id not in merged.indicators:
            merged.indicators[fact.id] = indicator_from_fact(analysis, fact, name=indicator.name)
    for shortcoming in draft.shortcomings:
        if shortcoming.evidence:
            merged.shortcomings.append(Shortcoming(text=shortcoming.text, has_reason=shortcoming.has_reason, evidence=shortcoming.evidence))
    for measure in draft.measures:
        if measure.evidence:
            addresses = [offset + n - 1 for n in measure.addresses if 0 <= offset + n - 1 < len(merged.shortcomings)]
            merged.measures.append(Measure(text=measure.text, addresses=addresses, evidence=measure.evidence))
    for risk in draft.risks:
        if risk.evidence:
            finding = make_finding(risk.kind, risk.explanation, evidence=risk.evidence, source="llm")
            merged.risks.append(finding.model_copy(update={"severity": risk.severity}))


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


def _fill_from_offline(analysis: Analysis, merged: Merged) -> None:
    """Sections the model left empty after grounding take the offline engine's claims."""
    offline = offline_claims(analysis)
    for name in ("highlights", "indicators", "shortcomings", "measures"):
        if getattr(merged, name):
            continue
        mine = getattr(offline, name)
        setattr(merged, name, {i.fact_id: i for i in mine} if name == "indicators" else mine)
        if mine:
            merged.filled_from_offline.append(name)
            merged.notes.append(f"模型未给出有据可查的{SECTION_LABELS[name]}，已用离线引擎的结果补充")


def _claims(settings: LLMSettings, mode: str, merged: Merged, ledger: Ledger, calls: int) -> Claims:
    overview = "".join(merged.overviews)[:MAX_OVERVIEW]
    if not overview:
        merged.filled_from_offline.insert(0, "overview")
        merged.notes.append("模型未给出概述，已用离线引擎的概述")
    provenance = {
        "model": settings.model,
        "endpoint_host": settings.endpoint_host,
        "mode": mode,
        "prompt_hash": prompt_hash(),
        "schema_hash": schema_hash(),
        "calls": calls,
        "attempts": ledger.attempts,
        "usage": TokenUsage(prompt_tokens=ledger.prompt_tokens, completion_tokens=ledger.completion_tokens),
        "dropped_claims": merged.dropped_claims,
        "dropped_reasons": merged.dropped_reasons[:_MAX_REASONS],
        "model_claims": merged.kept,
        "filled_from_offline": merged.filled_from_offline,
        "notes": merged.notes,
    }
    return Claims(
        overview=overview,
        highlights=merged.highlights,
        indicators=list(merged.indicators.values()),
        shortcomings=merged.shortcomings,
        measures=merged.measures,
        judgement=merged.risks,
        provenance=provenance,
    )


def ask(analysis: Analysis, requests: list[Request], run: LLMRun) -> Answers:
    """The calls, in order; each answer is grounded (reasked or dropped) and merged as it comes."""
    ledger = Ledger()
    client = build_instructor(run.create, run.mode, run.settings, ledger)
    merged = Merged()
    for request in requests:
        draft = _ask(client, run, analysis, request, merged)
        if draft is not None:
            _merge(analysis, draft, merged)
    return Answers(merged=merged, ledger=ledger, calls=len(requests))


def finish_claims(analysis: Analysis, answers: Answers, settings: LLMSettings, mode: str) -> Claims:
    """Everything after the calls; needs no client, so it can run in another process."""
    merged = answers.merged
    _dedupe(merged)
    _link_unlinked(merged)
    _fill_from_offline(analysis, merged)
    return _claims(settings, mode, merged, answers.ledger, answers.calls)


def llm_claims(analysis: Analysis, run: LLMRun) -> Claims:
    answers = ask(analysis, plan_requests(analysis, run.settings), run)
    return finish_claims(analysis, answers, run.settings, run.mode)


def resolve_mode(settings: LLMSettings, client: openai.OpenAI) -> str:
    """The configured mode, or for ``auto`` what the (cached) probe found the server enforces."""
    from fazhi_review.llm.probe import resolved_mode

    return resolved_mode(settings, lambda: client)


@dataclass
class LLMEngine:
    """The model's claims over an OpenAI-compatible endpoint. Nothing touches the network until
    ``claims`` runs: then the client is built and mode ``auto`` resolved through the probe."""

    settings: LLMSettings
    name: str = "llm"

    def claims(self, analysis: Analysis) -> Claims:
        client = openai_client(self.settings)
        run = LLMRun(settings=self.settings, mode=resolve_mode(self.settings, client), create=client.chat.completions.create)
        return llm_claims(analysis, run)
