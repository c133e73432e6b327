"""How answers flow through grounding and the merge, with a scripted in-process fake model.

The answers here are written by the test (ScriptedChatModel), to check the pipeline's handling
of good and bad answers; what a real model says is tested from cassettes in test_llm_cassettes.
"""

from __future__ import annotations

import pytest
from conftest import EXAMPLES_DIR, assert_verbatim
from llm_fakes import ScriptedChatModel

from fazhi_review.analysis import Analysis, analyze_path
from fazhi_review.config import LLMSettings
from fazhi_review.llm.engine import LLMRun, summarize_llm
from fazhi_review.models import ReportSummary

XUMINGSI = EXAMPLES_DIR / "xumingsi-2023.txt"
YANGJIABO = EXAMPLES_DIR / "yangjiabo-2024.txt"


def _fact_id(analysis: Analysis, text: str) -> str:
    return next(f.id for f in analysis.facts if f.text == text)


def _good_answer(analysis: Analysis) -> dict:
    return {
        "overview": "许明寺镇报告成效较全，但缺少第一责任人部分且逾期报送。",
        "highlights": [{"text": "宣讲团入村宣讲", "quote": "宣讲团入村开院坝会宣讲50余次"}],
        "indicators": [{"fact_id": _fact_id(analysis, "211件"), "name": "人民调解件数"}],
        "shortcomings": [
            {"text": "综合行政执法亟待加强", "quote": "综合行政执法亟待加强", "has_reason": True},
            {"text": "规范性文件管理需加强", "quote": "规范性文件的管理还需加强"},
        ],
        "measures": [{"text": "加强合法性审查", "quote": "加强重大行政决策合法性审查", "addresses": [2]}],
        "risks": [
            {
                "kind": "self-reported-risk",
                "severity": "高",
                "explanation": "规范性文件未经合法性审查",
                "quote": "存在没有向上级有关部门及法律顾问咨询其合法性的问题",
            }
        ],
    }


def _run(analysis: Analysis, model: ScriptedChatModel, **settings: object) -> ReportSummary:
    config = LLMSettings(base_url="http://127.0.0.1:9/v1", model="scripted", **settings)
    return summarize_llm(analysis, LLMRun(settings=config, mode="json", create=model.create))




@pytest.fixture(scope="module")
def xumingsi() -> Analysis:
    return analyze_path(XUMINGSI)


def test_good_answer_is_grounded_with_original_offsets(xumingsi: Analysis) -> None:
    model = ScriptedChatModel([_good_answer(xumingsi)])
    summary = _run(xumingsi, model)
    original = xumingsi.document.text
    assert_verbatim(summary, original)
    assert summary.highlights[0].evidence.start == original.find("宣讲团入村开院坝会宣讲50余次")
    assert [(s.text, s.has_reason) for s in summary.shortcomings] == [("综合行政执法亟待加强", True), ("规范性文件管理需加强", False)]
    assert summary.measures[0].addresses == [1]  # 1-based "2" in the answer → index 1
    indicator = summary.indicators[0]
    assert (indicator.name, indicator.value, indicator.unit, indicator.category) == ("人民调解件数", 211, "件", "dispute_mediation")
    assert "211件" in indicator.evidence.quote
    assert summary.provenance.attempts == 1 and summary.provenance.dropped_claims == 0
    assert summary.provenance.usage.prompt_tokens == 100 and summary.provenance.calls == 1


def test_rule_findings_are_kept_and_judgement_added(xumingsi: Analysis) -> None:
    summary = _run(xumingsi, ScriptedChatModel([_good_answer(xumingsi)]))
    rule_ids = [r.rule_id for r in summary.risks if r.source == "rule"]
    assert rule_ids == [f.rule_id for f in xumingsi.findings]
    judgement = [r for r in summary.risks if r.source == "llm"]
    assert [(r.rule_id, r.severity) for r in judgement] == [("self-reported-risk", "高")]
    assert judgement[0].basis  # from the catalogue, not from the model


def test_quote_aligned_through_normalization_map() -> None:
    analysis = analyze_path(YANGJIABO)
    answer = {"highlights": [{"text": "法律顾问提供意见", "quote": "讨论决定重大事项提供法律意见16件"}]}
    summary = _run(analysis, ScriptedChatModel([answer]))
    evidence = summary.highlights[0].evidence
    assert evidence.quote == "讨论决定重大事项提供法律意见 16 件"  # the original has blanks the model left out
    assert analysis.document.text[evidence.start : evidence.end] == evidence.quote


def test_ungrounded_quote_is_reasked_then_accepted(xumingsi: Analysis) -> None:
    junk = {"highlights": [{"text": "1", "quote": "全镇实现了零事故零投诉零上访"}], "indicators": [{"fact_id": "F999", "name": "x"}]}
    model = ScriptedChatModel([junk, _good_answer(xumingsi)])
    summary = _run(xumingsi, model)
    assert summary.provenance.attempts == 2 and summary.provenance.dropped_claims == 0
    reask = model.requests[1]["messages"][-1]["content"]
    assert "全镇实现了零事故零投诉零上访" in reask and "F999" in reask
    assert summary.provenance.usage.prompt_tokens == 200  # failed attempts count too


def test_claims_still_ungrounded_after_last_attempt_are_dropped_and_counted(xumingsi: Analysis) -> None:
    answer = _good_answer(xumingsi)
    answer["highlights"].append({"text": "编造", "quote": "获评全国法治政府建设示范镇"})
    answer["measures"][0]["addresses"] = [2, 7]
    summary = _run(xumingsi, ScriptedChatModel([answer]), max_attempts=2)
    assert summary.provenance.attempts == 2
    assert summary.provenance.dropped_claims == 2  # the invented highlight and the address 7
    assert [h.evidence.quote for h in summary.highlights] == ["宣讲团入村开院坝会宣讲50余次"]
    assert summary.measures[0].addresses == [1]
    assert_verbatim(summary, xumingsi.document.text)


def test_dropping_a_shortcoming_renumbers_measure_links(xumingsi: Analysis) -> None:
    answer = _good_answer(xumingsi)
    answer["shortcomings"].insert(0, {"text": "编造", "quote": "财政资金使用不规范"})
    answer["measures"][0]["addresses"] = [3]
    summary = _run(xumingsi, ScriptedChatModel([answer]), max_attempts=1)
    assert [s.text for s in summary.shortcomings] == ["综合行政执法亟待加强", "规范性文件管理需加强"]
    assert summary.measures[0].addresses == [1]


def test_invalid_json_on_every_attempt_keeps_rules_and_says_so(xumingsi: Analysis) -> None:
    model = ScriptedChatModel(["这不是 JSON"])
    summary = _run(xumingsi, model, max_attempts=2)
    assert len(model.requests) == 2
    assert summary.provenance.dropped_claims == 1
    assert [r.rule_id for r in summary.risks] == [f.rule_id for f in xumingsi.findings]
    assert any("离线引擎" in note for note in summary.provenance.notes)
    assert_verbatim(summary, xumingsi.document.text)


def test_think_block_is_stripped(xumingsi: Analysis) -> None:
    import json

    content = "<think>先想一想：报告里有宣讲。</think>" + json.dumps(_good_answer(xumingsi), ensure_ascii=False)
    summary = _run(xumingsi, ScriptedChatModel([content]))
    assert summary.provenance.attempts == 1 and summary.highlights[0].text == "宣讲团入村宣讲"


def test_long_report_split_by_parts_and_merged() -> None:
    analysis = analyze_path(YANGJIABO)
    first = {"highlights": [{"text": "法律顾问", "quote": "外聘法律顾问（律师事务所）1家"}]}
    second = {
        "shortcomings": [{"text": "协调机制", "quote": "法治政府建设的协调推进机制还需完善"}],
        "measures": [{"text": "完善协调机制", "quote": "不断完善法治政府建设协调推进机制", "addresses": [1]}],
    }
    model = ScriptedChatModel([first, first, first, second])
    summary = _run(analysis, model, context_chars=1500)
    calls = len(model.requests)
    assert calls >= 3 and summary.provenance.calls == calls
    user_prompts = [r["messages"][-1]["content"] for r in model.requests]
    assert all(len(p) < len(analysis.norm.text) for p in user_prompts)  # no call sees the whole report
    assert "下一步推进法治建设主要安排" in user_prompts[-1] and "下一步推进法治建设主要安排" not in user_prompts[0]
    assert summary.measures[0].addresses == [0]
    assert_verbatim(summary, analysis.document.text)


def test_overview_with_numbers_not_in_the_report_is_dropped(xumingsi: Analysis) -> None:
    answer = _good_answer(xumingsi)
    answer["overview"] = "全镇开展普法活动9999场次。"
    summary = _run(xumingsi, ScriptedChatModel([answer]), max_attempts=1)
    assert "9999" not in summary.overview and summary.provenance.dropped_claims == 1
    assert any("概述" in note for note in summary.provenance.notes)
