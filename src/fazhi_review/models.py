"""Data shapes passed between the pipeline stages, and the public ReportSummary.

This module imports nothing of ours (an import-linter contract keeps it so): every stage
depends on it, it depends on no stage.

Two kinds of offsets live here and must not be mixed:
- ``Span`` is a [start, end) interval in the *clean* text (``NormalizedText.text``), which is
  what structure, facts and checks work on;
- ``Evidence`` carries [start, end) in the *original* text (``Document.text``) and the verbatim
  quote ``original[start:end]``. Only ``NormalizedText.evidence`` turns one into the other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Part = Literal["achievements", "first_responsible", "shortcomings", "reasons", "next_year_plan", "other"]
#: The statutory parts a report must contain (厅字〔2019〕28号); "other" is optional.
REQUIRED_PARTS: tuple[Part, ...] = (
    "achievements",
    "first_responsible",
    "shortcomings",
    "reasons",
    "next_year_plan",
)
ALL_PARTS: tuple[Part, ...] = (*REQUIRED_PARTS, "other")
PART_LABELS: dict[str, str] = {
    "achievements": "主要举措和成效",
    "first_responsible": "党政主要负责人履行第一责任人职责情况",
    "shortcomings": "存在的不足",
    "reasons": "不足的原因",
    "next_year_plan": "下一年度主要安排",
    "other": "其他需要报告的情况",
}

Severity = Literal["高", "中", "低"]
#: how a quote was found in the original: verbatim, or only after the normalisation (full/half
#: width, blanks, broken lines) and mapped back through the offset map
Alignment = Literal["exact", "normalized"]
InputFormat = Literal["txt", "docx", "pdf", "html"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# ---------------------------------------------------------------- ingest / normalize


class Document(_Frozen):
    """A report file read into text. ``text`` is THE original all evidence points into."""

    path: str
    format: InputFormat
    encoding: str | None = None
    text: str
    sha256: str
    #: the text was recognised from page images (a scanned PDF), so it may hold OCR errors
    ocr: bool = False
    #: [start, end) ranges of ``text`` that are not characters of the file but rendered by us
    #: (Word's automatic list numbers such as "一、"); evidence never starts or ends inside one
    synthetic: list[tuple[int, int]] = Field(default_factory=list)


class Span(_Frozen):
    """[start, end) in the clean text."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


class Evidence(_Frozen):
    """A verbatim quote and its [start, end) offsets in the ORIGINAL text."""

    quote: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    alignment: Alignment = "exact"
    #: where a reviewer finds the quote: the PDF page (pages are separated by "\f" in the text)
    #: and the paragraph (the non-empty line of the text holding ``start``), both 1-based
    page: int | None = Field(None, ge=1)
    paragraph: int | None = Field(None, ge=1)

    @model_validator(mode="after")
    def _length_matches(self) -> Evidence:
        if self.end - self.start != len(self.quote):
            raise ValueError("evidence quote length must equal end - start")
        return self


class NormalizedText(BaseModel):
    """Clean text plus, for every clean character, the index of its original character.

    ``offsets`` has one entry per character of ``text`` (and no sentinel); a clean character that
    was produced by replacing an original one (全角 digit → ASCII) maps to that original one.
    """

    model_config = ConfigDict(frozen=True)

    original: str
    text: str
    offsets: list[int]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a clean [start, end) to the smallest original interval covering it."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) outside clean text of length {len(self.text)}")
        return self.offsets[start], self.offsets[end - 1] + 1

    def evidence(self, start: int, end: int) -> Evidence:
        """Evidence for clean [start, end): the original slice it came from, trimmed of blanks."""
        o_start, o_end = self.to_original(start, end)
        while o_start < o_end and self.original[o_start].isspace():
            o_start += 1
        while o_end > o_start and self.original[o_end - 1].isspace():
            o_end -= 1
        quote = self.original[o_start:o_end]
        alignment: Alignment = "exact" if quote == self.text[start:end].strip() else "normalized"
        return Evidence(quote=quote, start=o_start, end=o_end, alignment=alignment)

    def span_evidence(self, span: Span) -> Evidence:
        return self.evidence(span.start, span.end)


# ---------------------------------------------------------------- structure


HeadingStyle = Literal["cn_dun", "paren_cn", "arabic_dot", "paren_arabic", "yishi", "labelled"]


class Heading(_Frozen):
    """A numbered heading or enumerated point. ``level`` 1 is 一、; deeper levels follow."""

    level: int
    style: HeadingStyle
    marker: str
    number: int
    title: str
    span: Span  # the whole heading line (or, for 一是/1. run-in points, marker + first sentence)
    line_start: int  # clean offset where the heading's line starts


class Paragraph(_Frozen):
    index: int  # 1-based, as numbered in LLM prompts
    span: Span
    text: str


class Section(_Frozen):
    """A level-1 heading and its body, with the statutory part(s) its content fills."""

    heading: Heading | None
    span: Span
    parts: list[Part]


class ReportMeta(BaseModel):
    title: str | None = None
    issuer: str | None = None
    level: Literal["镇", "乡", "街道"] | None = None
    report_year: int | None = None
    plan_year: int | None = None
    signed_date: dt.date | None = None
    signed_span: Span | None = None
    #: where signed_date was read: the 落款, or a portal's catalogue block when there is no 落款
    signed_source: Literal["落款", "成文日期", "发布日期"] | None = None
    #: the portal date in ORIGINAL offsets (it is chrome, so it is not in the clean text)
    signed_evidence: Evidence | None = None
    addressee: str | None = None


class Report(BaseModel):
    """A structured report. All spans are clean-text offsets."""

    meta: ReportMeta
    headings: list[Heading]
    paragraphs: list[Paragraph]
    sections: list[Section]
    #: every clean-text segment judged to fill a part, in text order; [] when absent
    parts: dict[str, list[Span]]

    def part_present(self, part: Part) -> bool:
        return bool(self.parts.get(part))


# ---------------------------------------------------------------- facts


class NumericFact(_Frozen):
    """A quantity as written: ``value`` and ``unit`` exactly as in the text (5, 万元)."""

    id: str  # F1, F2, … in text order
    value: int | float
    unit: str
    qualifier: str | None = None  # 余/多/近/约/以上/不少于 …
    category: str  # a key of facts.taxonomy.CATEGORIES
    text: str  # the number and unit as they stand in the clean text
    span: Span  # number + unit
    clause: Span  # the clause around it, used as the quote
    part: Part | None = None
    normalized_value: float | None = None  # in base units: 5 万元 → 50000
    normalized_unit: str | None = None


# ---------------------------------------------------------------- checks


class Finding(_Frozen):
    """A compliance risk: found by a rule (``source="rule"``) or judged by a model (``"llm"``)."""

    rule_id: str
    title: str
    severity: Severity
    basis: str
    explanation: str
    evidence: Evidence | None = None
    source: Literal["rule", "llm"] = "rule"


# ---------------------------------------------------------------- the summary (public output)


class SummaryMeta(ReportMeta):
    """The report's own meta (as structure found it) plus where the text came from."""

    #: a clean-text offset: internal to the pipeline, never set or exported in the summary
    signed_span: Span | None = Field(None, exclude=True)
    source_file: str
    format: InputFormat
    encoding: str | None = None
    sha256: str
    characters: int
    #: the text came from OCR of a scanned PDF
    ocr: bool = False


class PartLocation(BaseModel):
    """Where a statutory part stands in the original text (its largest segment)."""

    start: int
    end: int
    heading: str | None = None
    segments: int = 1


class Highlight(BaseModel):
    text: str
    category: str
    evidence: Evidence


class Indicator(BaseModel):
    name: str
    category: str
    value: int | float
    unit: str
    qualifier: str | None = None
    normalized_value: float | None = None
    normalized_unit: str | None = None
    fact_id: str | None = None
    evidence: Evidence


class Shortcoming(BaseModel):
    text: str
    has_reason: bool
    evidence: Evidence


class Measure(BaseModel):
    text: str
    addresses: list[int] = Field(default_factory=list, description="indexes into shortcomings")
    evidence: Evidence


#: the summary's name for a Finding: one model, whether a rule or a model found it
Risk = Finding


class ParagraphLocation(BaseModel):
    """A paragraph's [start, end) in the ORIGINAL text, so a later stage can say 第N段 without re-parsing."""

    index: int = Field(ge=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class ChapterCoverage(BaseModel):
    """Whether the report touches one chapter of the 纲要 (2021—2025), with the sentences that do."""

    chapter: int = Field(ge=1)
    title: str
    covered: bool
    keywords: list[str] = Field(default_factory=list, description="在报告中找到的关键词")
    evidence: list[Evidence] = Field(default_factory=list)


class TokenUsage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0


class Provenance(BaseModel):
    #: a name registered in engine.ENGINES ("offline", "llm")
    engine: str
    tool_version: str
    rule_pack: str
    model: str | None = None
    endpoint_host: str | None = None
    mode: str | None = None
    prompt_hash: str | None = None
    schema_hash: str | None = None
    calls: int = 0
    attempts: int = 0
    usage: TokenUsage = Field(default_factory=TokenUsage)
    dropped_claims: int = 0
    dropped_reasons: list[str] = Field(default_factory=list)
    #: LLM engine: claims of the model that survived grounding (0: nothing from the model)
    model_claims: int | None = None
    #: sections the offline engine filled because the model gave nothing grounded for them
    filled_from_offline: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class ReportSummary(BaseModel):
    """The validated summary of one report; the same shape from every engine."""

    meta: SummaryMeta
    parts: dict[str, PartLocation | None]
    overview: str
    highlights: list[Highlight]
    indicators: list[Indicator]
    shortcomings: list[Shortcoming]
    measures: list[Measure]
    risks: list[Finding]
    provenance: Provenance
    #: the report's paragraphs in original offsets (for 第N段 in a 审阅意见); [] from older engines
    paragraphs: list[ParagraphLocation] = Field(default_factory=list)
    #: the 纲要 (2021—2025) chapters the report covers; [] when not computed
    coverage: list[ChapterCoverage] = Field(default_factory=list)

    def iter_evidence(self) -> Iterator[tuple[str, int, Evidence]]:
        """(section, index, evidence) for every item that carries evidence, in section order.

        The one list of evidence-bearing sections: tests, eval and render walk this instead of
        naming the sections each time.
        """
        sections: list[tuple[str, Sequence[Highlight | Indicator | Shortcoming | Measure | Finding]]] = [
            ("highlights", self.highlights),
            ("indicators", self.indicators),
            ("shortcomings", self.shortcomings),
            ("measures", self.measures),
            ("risks", self.risks),
        ]
        for name, items in sections:
            for index, item in enumerate(items):
                if item.evidence is not None:
                    yield name, index, item.evidence
