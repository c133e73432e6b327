"""The 审阅意见 (reviewer's reply) as data: what the draft says and what each sentence rests on.

A finding id is ``R<n>``: the n-th entry (1-based) of the summary's ``risks`` list. The summary is
the draft's only input, so the id is stable for a given summary and checkable against it.
Every problem and action carries the ids it speaks for and the evidence of those findings, so a
draft is checked the same way a summary is: ``original[start:end] == quote``.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from fazhi_review.models import Evidence, Severity

Verdict = Literal["通过", "修改完善后报送", "退回重报"]
VERDICTS: tuple[Verdict, ...] = ("通过", "修改完善后报送", "退回重报")

#: the user is told to replace this with the real name of their office
DEFAULT_ISSUER = "县委全面依法治县委员会办公室"
DEFAULT_DEADLINE_DAYS = 15


def _high_only() -> list[Severity]:
    return ["高"]


class VerdictPolicy(BaseModel):
    """Which findings send a report back: provinces and offices differ, so none is hard-wired."""

    model_config = ConfigDict(extra="forbid")

    #: any of these rules fired → 退回重报 (unfilled template text, another unit's material inside)
    return_rule_ids: list[str] = Field(default_factory=lambda: ["placeholder", "off-scope-text", "not-a-report", "prompt-injection"])
    #: any finding of these severities → 修改完善后报送
    revise_severities: list[Severity] = Field(default_factory=_high_only)
    #: any of these rules fired → 修改完善后报送: the cross-report findings of ``fazhi batch`` are
    #: suspicions the township must verify (a shared sentence may quote the same county document)
    revise_rule_ids: list[str] = Field(default_factory=lambda: ["copied-passage", "repeated-shortcoming", "inconsistent-figure"])
    #: a missing statutory part (``missing-part:*``) → 修改完善后报送, whatever its severity
    revise_on_missing_part: bool = True

    @field_validator("return_rule_ids", "revise_rule_ids")
    @classmethod
    def _known_rules(cls, rule_ids: list[str]) -> list[str]:
        """A misspelt rule id would silently never fire (``fazhi rules`` lists them)."""
        from fazhi_review.checks.catalogue import RULES

        unknown = [rule_id for rule_id in rule_ids if rule_id not in RULES]
        if unknown:
            raise ValueError(f"没有这条规则：{'、'.join(unknown)}（运行 fazhi rules 查看全部规则编号）")
        return rule_ids


class ReviewSettings(BaseModel):
    """Who writes the reply, to whom, when, and how strict; CLI flags > fazhi.toml [review]."""

    model_config = ConfigDict(extra="forbid")

    issuer: str = Field(DEFAULT_ISSUER, min_length=1, description="发文机关")
    addressee: str | None = Field(None, description="主送；空则由报告单位推出，如“XX镇党委、镇政府”")
    date: dt.date | None = Field(None, description="成文日期；空则为当天")
    deadline_days: int = Field(DEFAULT_DEADLINE_DAYS, ge=1, le=365, description="修改期限（天）")
    policy: VerdictPolicy = Field(default_factory=VerdictPolicy)

    @property
    def issuer_is_placeholder(self) -> bool:
        return self.issuer == DEFAULT_ISSUER


class HighlightRef(BaseModel):
    """One highlight the 总体评价 names, with the quote it rests on."""

    text: str
    evidence: Evidence


class Overall(BaseModel):
    """一、总体评价: one or more paragraphs; ``highlights`` are the concrete points they cite."""

    paragraphs: list[str]
    parts_present: list[str] = Field(default_factory=list, description="报告具备的法定部分")
    highlights: list[HighlightRef] = Field(default_factory=list)
    uncovered_chapters: list[str] = Field(default_factory=list, description="报告未涉及的《纲要》章节（提示，不作问题）")


class ReviewPoint(BaseModel):
    """二、存在的主要问题 — one point per rule (its findings grouped), most severe first."""

    number: int = Field(ge=1)
    rule_id: str
    title: str
    severity: Severity
    source: Literal["rule", "llm"]
    text: str
    basis: str
    finding_ids: list[str] = Field(min_length=1)
    evidence: list[Evidence] = Field(default_factory=list)
    paragraphs: list[int] = Field(default_factory=list, description="证据所在段落（第N段，从1起）")


class ReviewAction(BaseModel):
    """三、修改完善意见 — one concrete action per problem point."""

    number: int = Field(ge=1)
    rule_id: str
    text: str
    finding_ids: list[str] = Field(min_length=1)
    evidence: list[Evidence] = Field(default_factory=list)


class ReviewProvenance(BaseModel):
    engine: Literal["offline", "llm"] = "offline"
    tool_version: str
    rule_pack: str
    summary_engine: str
    source_file: str
    source_sha256: str
    #: for each rewritable paragraph ("overall", "actions"): "template" or "llm"
    wording: dict[str, str] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    #: set when the wording engine is "llm"
    model: str | None = None
    endpoint_host: str | None = None
    mode: str | None = None
    prompt_hash: str | None = None
    attempts: int = 0


class ReviewDraft(BaseModel):
    """The draft 审阅意见 for one report."""

    title: str
    addressee: str
    opening: str
    overall: Overall
    problems: list[ReviewPoint]
    actions: list[ReviewAction]
    deadline: dt.date | None = None
    deadline_sentence: str
    verdict: Verdict
    verdict_reasons: list[str]
    issuer: str
    date: dt.date
    provenance: ReviewProvenance
