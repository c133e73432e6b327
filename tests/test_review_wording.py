"""How the model's wording of a 审阅意见 is validated, reasked and, failing that, replaced by the
template text. The model here is ``ScriptedChatModel``, a scripted in-process FAKE of
``chat.completions.create`` (tests/llm_fakes.py): it tests the validation and fallback logic with
answers written in the test, never what a real model says (the cassette test does that)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import EXAMPLES_DIR
from fazhi_review.analysis import analyze_path
from fazhi_review.config import LLMSettings
from fazhi_review.engine import summarize_offline
from fazhi_review.models import ReportSummary
from fazhi_review.review import ReviewSettings, draft_review
from fazhi_review.review.model import ReviewDraft
from fazhi_review.review.wording import WordingCheck, WordingRun, reword
from llm_fakes import ScriptedChatModel

SETTINGS = LLMSettings(base_url="http://127.0.0.1:1/v1", model="scripted", max_attempts=2)


@pytest.fixture(scope="module")
def summary() -> ReportSummary:
    return summarize_offline(analyze_path(EXAMPLES_DIR / "maojun-2024.txt"))


@pytest.fixture(scope="module")
def draft(summary: ReportSummary) -> ReviewDraft:
    return draft_review(summary, ReviewSettings(issuer="某县委依法治县办", date=dt.date(2026, 11, 23)))


def _run(answers: list[dict[str, Any] | str]) -> tuple[WordingRun, ScriptedChatModel]:
    fake = ScriptedChatModel(answers)
    return WordingRun(SETTINGS, "json", fake.create), fake


def _actions(draft: ReviewDraft, text: str = "请按要求修改") -> dict[str, Any]:
    return {"actions": [{"finding_ids": a.finding_ids, "text": f"{text}{'甲乙丙丁戊己庚辛'[i]}项"} for i, a in enumerate(draft.actions)]}


GOOD_OVERALL = {"text": "报告全面反映了毛俊镇推进法治政府建设的情况，学法率、报考率、合格率均为100%，成效较为明显。"}


def test_grounded_answers_replace_the_template(summary: ReportSummary, draft: ReviewDraft) -> None:
    run, fake = _run([GOOD_OVERALL, _actions(draft)])
    result = reword(draft, summary, run)
    assert result.overall.paragraphs[0] == GOOD_OVERALL["text"]
    assert result.overall.paragraphs[1:] == draft.overall.paragraphs[1:]
    assert [a.text for a in result.actions] == [f"请按要求修改{'甲乙丙丁戊己庚辛'[i]}项。" for i in range(len(draft.actions))]
    assert [a.finding_ids for a in result.actions] == [a.finding_ids for a in draft.actions]
    assert [a.evidence for a in result.actions] == [a.evidence for a in draft.actions]
    assert result.problems == draft.problems, "the problems are the findings; they are never reworded"
    assert result.provenance.engine == "llm" and result.provenance.wording == {"overall": "llm", "actions": "llm"}
    assert len(fake.requests) == 2 and result.provenance.attempts == 2


def test_an_invented_number_is_reasked_then_the_template_is_kept(summary: ReportSummary, draft: ReviewDraft) -> None:
    invented = {"text": "报告全面反映了全镇办理行政处罚案件37件的情况，成效较为明显。"}
    run, fake = _run([invented, invented, _actions(draft)])
    result = reword(draft, summary, run)
    assert result.overall.paragraphs == draft.overall.paragraphs
    assert result.provenance.wording["overall"] == "template"
    assert any("总体评价" in note and "模板文字" in note for note in result.provenance.notes)
    reask = fake.requests[1]["messages"][-1]["content"]
    assert "37" in reask, "the reask tells the model which number is not in the report"
    assert result.provenance.wording["actions"] == "llm"


def test_unknown_or_missing_finding_ids_are_rejected(summary: ReportSummary, draft: ReviewDraft) -> None:
    wrong = {"actions": [{"finding_ids": ["R99"], "text": "补充原因分析"}]}
    run, _ = _run([GOOD_OVERALL, wrong, wrong])
    result = reword(draft, summary, run)
    assert result.actions == draft.actions
    assert result.provenance.wording == {"overall": "llm", "actions": "template"}


def test_quotes_must_align_to_the_evidence(summary: ReportSummary, draft: ReviewDraft) -> None:
    check = WordingCheck.of(summary, draft)
    assert check.problems("将“情况情况”改正") == []
    assert check.problems("将「情况 情况」改正") == [], "aligned after the report's own cleanup"
    assert check.problems("删去“从未出现过的一句话”") == ["引文“从未出现过的一句话”不是原文中的文字"]
    assert check.problems("学法率为100%") == [] and check.problems("学法率为99%") == ["数字 99 不在报告原文引文中"]
