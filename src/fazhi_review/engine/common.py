"""Pieces of a ReportSummary that every engine builds the same way from an Analysis."""

from __future__ import annotations

import re

from fazhi_review import __version__
from fazhi_review.analysis import Analysis
from fazhi_review.checks.catalogue import RULE_PACK_VERSION
from fazhi_review.models import (
    ALL_PARTS,
    Finding,
    Indicator,
    NumericFact,
    PartLocation,
    Provenance,
    Risk,
    Span,
    SummaryMeta,
)

_NAME_FILLER = re.compile(r"^(?:其中|同时|共计|共有|共|全年|累计|截至|截止|目前|今年|\d{4}年(?:全年|以来|年底)?|我(?:镇|乡|街道)|全(?:镇|乡|街道))+")
#: a verb left at the end of the name once the filler is gone ("我镇共有" → "")
_NAME_VERB_END = re.compile(r"(?:共有|共计|共|有|达到|达|为)$")
_NAME_MAX = 24


def summary_meta(analysis: Analysis) -> SummaryMeta:
    meta, doc = analysis.report.meta, analysis.document
    return SummaryMeta(
        title=meta.title,
        issuer=meta.issuer,
        level=meta.level,
        report_year=meta.report_year,
        plan_year=meta.plan_year,
        signed_date=meta.signed_date,
        addressee=meta.addressee,
        source_file=doc.path,
        format=doc.format,
        encoding=doc.encoding,
        sha256=doc.sha256,
        characters=len(doc.text),
    )


def _section_heading(analysis: Analysis, span: Span) -> str | None:
    for section in analysis.report.sections:
        if section.heading and section.span.start <= span.start < section.span.end:
            return section.heading.marker + section.heading.title
    return None


def part_locations(analysis: Analysis) -> dict[str, PartLocation | None]:
    """Each part's largest segment, in ORIGINAL offsets; null when the part is absent."""
    locations: dict[str, PartLocation | None] = {}
    for part in ALL_PARTS:
        spans = [s for s in analysis.report.parts.get(part, []) if s.end > s.start]
        if not spans:
            locations[part] = None
            continue
        main = max(spans, key=len)
        start, end = analysis.norm.to_original(main.start, main.end)
        locations[part] = PartLocation(start=start, end=end, heading=_section_heading(analysis, main), segments=len(spans))
    return locations


def risk_from_finding(finding: Finding) -> Risk:
    return Risk(**finding.model_dump())


def _tail_phrase(text: str) -> str:
    """The last phrase of a long name: after the last list or clause mark that leaves enough."""
    for mark in ("，", "；", "、", "等", "的"):
        cut = text.rfind(mark)
        if 0 <= cut < len(text) - 3:
            text = text[cut + 1 :]
        if len(text) <= _NAME_MAX:
            break
    return text[-_NAME_MAX:]


def indicator_name(analysis: Analysis, fact: NumericFact) -> str:
    """What is counted: the clause words before the number, or after it when those say nothing."""
    text = analysis.norm.text
    before = _NAME_FILLER.sub("", text[fact.clause.start : fact.span.start].strip("，,：: "))
    before = _NAME_VERB_END.sub("", before)
    after = text[fact.span.end : fact.clause.end].strip("，。；,：: ")
    if len(before) >= 2:
        return _tail_phrase(before) if len(before) > _NAME_MAX else before
    return (before + after)[:_NAME_MAX] or fact.text


def indicator_from_fact(analysis: Analysis, fact: NumericFact, name: str | None = None) -> Indicator:
    return Indicator(
        name=name or indicator_name(analysis, fact),
        category=fact.category,
        value=fact.value,
        unit=fact.unit,
        qualifier=fact.qualifier,
        normalized_value=fact.normalized_value,
        normalized_unit=fact.normalized_unit,
        fact_id=fact.id,
        evidence=analysis.norm.span_evidence(fact.clause),
    )


def base_provenance(engine: str, **fields: object) -> Provenance:
    return Provenance(engine=engine, tool_version=__version__, rule_pack=RULE_PACK_VERSION, **fields)  # type: ignore[arg-type]


def is_plan_fact(analysis: Analysis, fact: NumericFact) -> bool:
    """Targets in next year's plan are not achievements; they are not tabulated."""
    return fact.part == "next_year_plan"
