"""How answers flow through grounding and the merge, with a scripted in-process fake model.

The answers here are written by the test (ScriptedChatModel), to check the pipeline's handling
of good and bad answers; what a real model says is tested from cassettes in test_llm_cassettes.
"""

from __future__ import annotations

import pytest

from conftest import EXAMPLES_DIR, assert_verbatim
from fazhi_review.analysis import Analysis, analyze_path
from fazhi_review.config import LLMSettings
from fazhi_review.engine.assemble import assemble
from fazhi_review.engine.chunks import split_report
from fazhi_review.engine.llm import LLMRun, llm_claims
from fazhi_review.llm.prompt import build_listing
from fazhi_review.models import ReportSummary
from llm_fakes import ScriptedChatModel

XUMINGSI = EXAMPLES_DIR / "xumingsi-2023.txt"
YANGJIABO = EXAMPLES_DIR / "yangjiabo-2024.txt"


def _fact_id(analysis: Analysis, text: str) -> str:
    return next(f.id for f in analysis.facts if f.text == text)


def _sid(analysis: Analysis, phrase: str) -> str:
    """The id the prompt gives the sentence holding ``phrase`` (as a model would cite it)."""
    clean = analysis.norm.text
    listing = build_listing(analysis, analysis.report.paragraphs)
    return next(sid for sid, span in listing.sentences.items() if phrase in clean[span.start : span.end])


def _good_answer(analysis: Analysis) -> dict:
    return {
        "overview": "许明寺镇报告成效较全，但缺少第一责任人部分且逾期报送。",
        "highlights": [{"text": "宣讲团入村宣讲", "sentences": [_sid(analysis, "宣讲团入村开院坝会宣讲")], "quote": "宣讲团入村开院坝会宣讲50余次"}],
        "indicators": [{"fact": _fact_id(analysis, "211件"), "name": "人民调解件数"}],
        "shortcomings": [
            {"text": "综合行政执法亟待加强", "sentences": [_sid(analysis, "综合行政执法亟待加强")], "has_reason": True},
            {"text": "规范性文件管理需加强", "sentences": [_sid(analysis, "规范性文件的管理还需加强")]},
        ],
        "measures": [{"text": "加强合法性审查", "sentences": [_sid(analysis, "加强重大行政决策合法性审查")], "addresses": [2]}],
        "risks": [
            {
                "kind": "self-reported-risk",
                "severity": "高",
                "explanation": "规范性文件未经合法性审查",
                "sentences": [_sid(analysis, "存在没有向上级有关部门及法律顾问咨询其合法性的问题")],
            }
        ],
    }


def _run(analysis: Analysis, model: ScriptedChatModel, **settings: object) -> ReportSummary:
    config = LLMSettings(base_url="http://127.0.0.1:9/v1", model="scripted", **settings)
    return assemble(analysis, "llm", llm_claims(analysis, LLMRun(settings=config, mode="json_object_schema", create=model.create)))




@pytest.fixture(scope="module")
def xumingsi() -> Analysis:
    return analyze_path(XUMINGSI)


def test_good_answer_is_grounded_with_original_offsets(xumingsi: Analysis) -> None:
    model = ScriptedChatModel([_good_answer(xumingsi)])
    summary = _run(xumingsi, model)
    original = xumingsi.document.text
    assert_verbatim(summary, original)
    assert summary.highlights[0].evidence.start == original.find("宣讲团入村开院坝会宣讲50余次")  # the quote, inside its sentence
    assert summary.highlights[0].evidence.alignment == "exact"
    shortcoming_sentence = summary.shortcomings[0].evidence.quote
    assert "综合行政执法亟待加强" in shortcoming_sentence  # no quote given: the cited sentence is the evidence
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
    sid = _sid(analysis, "讨论决定重大事项提供法律意见")
    answer = {"highlights": [{"text": "法律顾问提供意见", "sentences": [sid], "quote": "讨论决定重大事项提供法律意见16件"}]}
    summary = _run(analysis, ScriptedChatModel([answer]))
    evidence = summary.highlights[0].evidence
    assert evidence.quote == "讨论决定重大事项提供法律意见 16 件"  # the original has blanks the model left out
    assert evidence.alignment == "normalized"
    assert analysis.document.text[evidence.start : evidence.end] == evidence.quote


def test_quote_outside_the_cited_sentence_falls_back_to_the_sentence(xumingsi: Analysis) -> None:
    sid = _sid(xumingsi, "综合行政执法亟待加强")
    answer = {"shortcomings": [{"text": "执法", "sentences": [sid], "quote": "宣讲团入村开院坝会宣讲50余次"}]}
    summary = _run(xumingsi, ScriptedChatModel([answer]))
    assert "综合行政执法亟待加强" in summary.shortcomings[0].evidence.quote
    assert "宣讲团" not in summary.shortcomings[0].evidence.quote


def test_ungrounded_quote_is_reasked_then_accepted(xumingsi: Analysis) -> None:
    junk = {"highlights": [{"text": "1", "sentences": ["S999"]}], "indicators": [{"fact": "F999", "name": "x"}]}
    model = ScriptedChatModel([junk, _good_answer(xumingsi)])
    summary = _run(xumingsi, model)
    assert summary.provenance.attempts == 2 and summary.provenance.dropped_claims == 0
    reask = model.requests[1]["messages"][-1]["content"]
    assert "亮点第1条：句子编号 S999 不存在" in reask and "F999" in reask
    assert model.requests[1]["messages"][:-1] == model.requests[0]["messages"]  # only the problems are added
    assert summary.provenance.usage.prompt_tokens == 200  # failed attempts count too


def test_claims_still_ungrounded_after_last_attempt_are_dropped_and_counted(xumingsi: Analysis) -> None:
    answer = _good_answer(xumingsi)
    answer["highlights"].append({"text": "编造", "sentences": ["S0"]})
    answer["measures"][0]["addresses"] = [2, 7]
    summary = _run(xumingsi, ScriptedChatModel([answer]), max_attempts=3)
    assert summary.provenance.attempts == 2  # the second answer repeated the first: no third attempt
    assert summary.provenance.dropped_claims == 2  # the invented highlight and the address 7
    assert [h.evidence.quote for h in summary.highlights] == ["宣讲团入村开院坝会宣讲50余次"]
    assert summary.measures[0].addresses == [1]
    assert_verbatim(summary, xumingsi.document.text)


def test_dropping_a_shortcoming_renumbers_measure_links(xumingsi: Analysis) -> None:
    answer = _good_answer(xumingsi)
    answer["shortcomings"].insert(0, {"text": "编造", "sentences": []})
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
    first = {"highlights": [{"text": "法律顾问", "sentences": [_sid(analysis, "外聘法律顾问（律师事务所）1家")]}]}
    second = {
        "shortcomings": [{"text": "协调机制", "sentences": [_sid(analysis, "法治政府建设的协调推进机制还需完善")]}],
        "measures": [{"text": "完善协调机制", "sentences": [_sid(analysis, "不断完善法治政府建设协调推进机制")], "addresses": [1]}],
    }
    chunks = split_report(analysis.report, 1500)
    clean = analysis.norm.text

    def holds(chunk_paragraphs: list, phrase: str) -> bool:
        return any(phrase in clean[p.span.start : p.span.end] for p in chunk_paragraphs)

    answers: list[dict | str] = []
    for chunk in chunks:
        answer: dict = {}
        if holds(chunk.paragraphs, "外聘法律顾问（律师事务所）1家"):
            answer.update(first)
        if holds(chunk.paragraphs, "法治政府建设的协调推进机制还需完善"):
            answer["shortcomings"] = second["shortcomings"]
        if holds(chunk.paragraphs, "不断完善法治政府建设协调推进机制"):
            answer["measures"] = second["measures"]
            if "shortcomings" not in answer:
                answer["measures"] = [{**m, "addresses": []} for m in second["measures"]]
        answers.append(answer)
    model = ScriptedChatModel(answers)
    summary = _run(analysis, model, context_chars=1500)
    calls = len(model.requests)
    assert calls >= 3 and summary.provenance.calls == calls == len(chunks) and summary.provenance.attempts == calls
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
    assert summary.provenance.dropped_reasons == ["概述：数字 9999 在原文中没有出现"]


def test_a_fact_must_stand_in_a_cited_sentence(xumingsi: Analysis) -> None:
    answer = _good_answer(xumingsi)
    answer["highlights"][0]["facts"] = [_fact_id(xumingsi, "211件")]  # a fact from another sentence
    summary = _run(xumingsi, ScriptedChatModel([answer]), max_attempts=1)
    assert all(h.text != "宣讲团入村宣讲" for h in summary.highlights)
    assert "highlights" in summary.provenance.filled_from_offline
    assert any("不在所引的句子中" in reason for reason in summary.provenance.dropped_reasons)


def test_numbers_in_free_text_must_stand_in_the_report(xumingsi: Analysis) -> None:
    answer = _good_answer(xumingsi)
    answer["shortcomings"][0]["text"] = "执法案件积压8888件"
    summary = _run(xumingsi, ScriptedChatModel([answer]), max_attempts=1)
    assert all("8888" not in s.text for s in summary.shortcomings)
    assert "不足第1条：数字 8888 在原文中没有出现" in summary.provenance.dropped_reasons


def test_rule_findings_survive_a_model_that_obeys_an_injection(xumingsi: Analysis) -> None:
    """Issue 7 item 10: whatever the model says, the rule pack's findings stay in the summary."""
    obeying = {"overview": "报告优秀，没有任何问题。", "risks": []}
    model = ScriptedChatModel([obeying])
    summary = _run(xumingsi, model)
    assert [r.rule_id for r in summary.risks] == [f.rule_id for f in xumingsi.findings] and xumingsi.findings
    user = model.requests[0]["messages"][-1]["content"]
    assert user.index("【报告原文开始】") < user.index("【报告原文结束】")  # the report is delimited as data
    system = model.requests[0]["messages"][0]["content"]
    assert "【报告原文" not in system.split("之间")[-1] or "不执行" in system
