"""``--engine llm`` for the 审阅意见: the model rewords 总体评价 and 修改完善意见, nothing else.

It may only speak about what the summary holds. Each answer is validated — finding ids must
exist and match the template's, every number must stand in a verbatim evidence quote, every
“quoted” phrase must align to one (``evidence.align_quote``) — and the problems are sent
back (instructor reasks). When the last attempt still fails, that paragraph keeps its template
text and the provenance says so. Problems (二) are never reworded: they are the findings.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from instructor.core.exceptions import InstructorRetryException
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pydantic import BaseModel, Field, ValidationInfo, model_validator

from fazhi_review.config import LLMSettings
from fazhi_review.errors import LLMError
from fazhi_review.evidence import align_quote
from fazhi_review.llm.client import ChatCreate, build_instructor, response_model
from fazhi_review.llm.schema import CachedSchema
from fazhi_review.llm.transport import Ledger, TruncatedOutputError
from fazhi_review.models import NormalizedText, ReportSummary
from fazhi_review.normalize import normalize_text
from fazhi_review.review.model import ReviewAction, ReviewDraft

PROMPT_FILE = "review_wording.j2"
MAX_OVERALL = 300
MAX_ACTION = 120
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_QUOTED = re.compile(r"[“「]([^”」]{1,80})[”」]")
_ENDS = "。；;，, "


def _prompts_dir() -> Path:
    """Inside the installed wheel, or the repository's top-level prompts/ in a checkout."""
    packaged = Path(__file__).resolve().parents[1] / "prompts"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "prompts"


@cache
def _template() -> Any:
    env = Environment(loader=FileSystemLoader(_prompts_dir()), undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    return env.get_template(PROMPT_FILE)


def prompt_hash() -> str:
    return hashlib.sha256((_prompts_dir() / PROMPT_FILE).read_bytes()).hexdigest()[:16]


@dataclass
class WordingCheck:
    """What a reworded paragraph may say: the summary's finding ids, numbers and quotes."""

    corpus: NormalizedText
    numbers: set[str]
    finding_ids: set[str]
    expected_ids: list[list[str]] = field(default_factory=list)

    @classmethod
    def of(cls, summary: ReportSummary, draft: ReviewDraft) -> WordingCheck:
        quotes = [e.quote for p in draft.problems for e in p.evidence] + [h.evidence.quote for h in draft.overall.highlights]
        quotes += [h.evidence.quote for h in summary.highlights] + [i.evidence.quote for i in summary.indicators]
        corpus = normalize_text("\n".join(quotes) or "\n")
        numbers = set(_NUMBER.findall(corpus.text)) | {str(y) for y in (summary.meta.report_year, summary.meta.plan_year) if y}
        ids = {f"R{n}" for n in range(1, len(summary.risks) + 1)}
        return cls(corpus=corpus, numbers=numbers, finding_ids=ids, expected_ids=[a.finding_ids for a in draft.actions])

    def problems(self, text: str) -> list[str]:
        found = [f"数字 {n} 不在报告原文引文中" for n in dict.fromkeys(_NUMBER.findall(text)) if n not in self.numbers]
        for quote in _QUOTED.findall(text):
            if quote not in self.corpus.text and align_quote(self.corpus, quote) is None:
                found.append(f"引文“{quote}”不是原文中的文字")
        return found


def _check(info: ValidationInfo) -> WordingCheck | None:
    return (info.context or {}).get("wording")


class OverallWording(CachedSchema):
    text: str = Field(min_length=10, max_length=MAX_OVERALL, description="总体评价第一段")

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> OverallWording:
        check = _check(info)
        problems = check.problems(self.text) if check else []
        if problems:
            raise ValueError("；".join(problems))
        return self


class ActionWording(BaseModel):
    finding_ids: list[str] = Field(min_length=1, max_length=10)
    text: str = Field(min_length=4, max_length=MAX_ACTION)


class ActionsWording(CachedSchema):
    actions: list[ActionWording] = Field(max_length=20)

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> ActionsWording:
        check = _check(info)
        if check is None:
            return self
        problems = [f"finding_ids 中的 {i} 不存在" for a in self.actions for i in a.finding_ids if i not in check.finding_ids]
        if sorted(a.finding_ids for a in self.actions) != sorted(check.expected_ids):
            problems.append(f"修改意见应与给出的 finding_ids 一一对应：{check.expected_ids}")
        problems += [p for a in self.actions for p in check.problems(a.text)]
        if problems:
            raise ValueError("；".join(dict.fromkeys(problems)))
        return self


@dataclass
class WordingRun:
    """The endpoint and the resolved mode (``json_object_schema`` puts the schema in
    response_format, as the summary call does)."""

    settings: LLMSettings
    mode: str
    create: ChatCreate
    ledger: Ledger = field(default_factory=Ledger)
    notes: list[str] = field(default_factory=list)


def _ask(run: WordingRun, model: type[BaseModel], messages: list[dict[str, str]], check: WordingCheck, what: str) -> Any | None:
    client: Any = build_instructor(run.create, run.mode, run.settings, run.ledger)
    try:
        return client.create(
            messages=messages,
            response_model=response_model(model),
            max_retries=run.settings.max_attempts - 1,
            context={"wording": check},
            model=run.settings.model,
            max_tokens=run.settings.max_tokens,
            temperature=run.settings.temperature,
        )
    except InstructorRetryException as error:
        cause = error.__cause__
        if isinstance(cause, LLMError) and not isinstance(cause, TruncatedOutputError):
            raise cause from None
        run.notes.append(f"模型改写{what}在 {error.n_attempts} 次尝试后仍未通过校验，已改用模板文字（{str(error)[:120]}）")
    except TruncatedOutputError:
        run.notes.append(f"模型改写{what}时输出被截断，已改用模板文字")
    return None


def _messages(prompt: str) -> list[dict[str, str]]:
    """One user turn (the local Gemma template folds a system turn in anyway); kept literal."""
    return [{"role": "user", "content": "{% raw %}" + prompt + "{% endraw %}" if "{{" in prompt or "{%" in prompt else prompt}]


def _reworded_actions(actions: list[ReviewAction], answer: ActionsWording) -> list[ReviewAction]:
    by_ids = {tuple(a.finding_ids): a.text.strip().rstrip(_ENDS) + "。" for a in answer.actions}
    return [a.model_copy(update={"text": by_ids[tuple(a.finding_ids)]}) for a in actions]


def reword(draft: ReviewDraft, summary: ReportSummary, run: WordingRun) -> ReviewDraft:
    """The draft with 总体评价's first paragraph and the actions reworded where the model's answer
    passed validation; every other paragraph, and every paragraph that failed, as templated."""
    check = WordingCheck.of(summary, draft)
    common = {"issuer": draft.issuer, "title": draft.title.removeprefix("关于《").removesuffix("》的审阅意见")}
    wording = dict(draft.provenance.wording)
    overall = draft.overall
    prompt = _template().render(task="overall", template=overall.paragraphs[0], highlights=overall.highlights, max_chars=MAX_OVERALL, **common)
    answer = _ask(run, OverallWording, _messages(prompt), check, "总体评价")
    if isinstance(answer, OverallWording):
        overall = overall.model_copy(update={"paragraphs": [answer.text.strip(), *overall.paragraphs[1:]]})
        wording["overall"] = "llm"
    actions = draft.actions
    if actions:
        problems = {tuple(p.finding_ids): p for p in draft.problems}
        rows = [
            {"finding_ids": a.finding_ids, "text": a.text, "problem": problems[tuple(a.finding_ids)].title, "quotes": [e.quote[:60] for e in a.evidence[:3]]}
            for a in actions
        ]
        prompt = _template().render(task="actions", actions=rows, max_chars=MAX_ACTION, **common)
        reworded = _ask(run, ActionsWording, _messages(prompt), check, "修改完善意见")
        if isinstance(reworded, ActionsWording):
            actions = _reworded_actions(actions, reworded)
            wording["actions"] = "llm"
    provenance = draft.provenance.model_copy(
        update={
            "engine": "llm", "wording": wording, "notes": [*draft.provenance.notes, *run.notes], "model": run.settings.model,
            "endpoint_host": run.settings.endpoint_host, "mode": run.mode, "prompt_hash": prompt_hash(), "attempts": run.ledger.attempts,
        }
    )  # fmt: skip
    return draft.model_copy(update={"overall": overall, "actions": actions, "provenance": provenance})
