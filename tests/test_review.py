"""The 审阅意见 draft: every rule finding becomes a problem with its evidence, one action per
problem, a verdict from the policy; the same draft from the report and from its summary JSON."""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES_DIR, REPO
from fazhi_review.analysis import analyze_path
from fazhi_review.checks.catalogue import RULES, make_finding
from fazhi_review.cli import app
from fazhi_review.engine import summarize_offline
from fazhi_review.ingest import read_document
from fazhi_review.models import Evidence, ReportSummary, Risk
from fazhi_review.render.review import render_review_markdown
from fazhi_review.review import ReviewSettings, draft_review
from fazhi_review.review.actions import ACTIONS, action_text
from fazhi_review.review.draft import cn_date, default_addressee
from fazhi_review.review.model import VERDICTS, ReviewDraft, VerdictPolicy

EXAMPLES = sorted(EXAMPLES_DIR.glob("*.txt"))
FIXTURES = REPO / "tests" / "review_fixtures"
CLEAN = FIXTURES / "clean-town.txt"
PLAIN = FIXTURES / "plain-town.txt"
DATE = dt.date(2026, 11, 23)
SETTINGS = ReviewSettings(issuer="某县委依法治县办", date=DATE)


def summary_of(path: Path) -> ReportSummary:
    return summarize_offline(analyze_path(path))


def all_evidence(draft: ReviewDraft) -> list[Evidence]:
    found = [e for p in draft.problems for e in p.evidence] + [e for a in draft.actions for e in a.evidence]
    return found + [h.evidence for h in draft.overall.highlights]


# ---------------------------------------------------------------- the four bundled reports


@pytest.mark.parametrize("report", EXAMPLES, ids=lambda p: p.stem)
def test_every_rule_finding_is_a_problem_with_its_evidence(report: Path) -> None:
    summary = summary_of(report)
    draft = draft_review(summary, SETTINGS)
    assert summary.risks, "each bundled report has findings; the test would be vacuous otherwise"
    ids = [i for p in draft.problems for i in p.finding_ids]
    assert sorted(ids) == sorted(f"R{n}" for n in range(1, len(summary.risks) + 1))
    for point in draft.problems:
        for finding_id in point.finding_ids:
            risk = summary.risks[int(finding_id[1:]) - 1]
            assert risk.rule_id == point.rule_id
            assert risk.evidence is None or risk.evidence in point.evidence
            assert risk.title in point.text and risk.basis in point.text
    original = read_document(report).text
    for evidence in all_evidence(draft):
        assert original[evidence.start : evidence.end] == evidence.quote
    assert draft.verdict in VERDICTS and draft.verdict_reasons


@pytest.mark.parametrize("report", EXAMPLES, ids=lambda p: p.stem)
def test_one_action_per_problem_most_severe_first(report: Path) -> None:
    draft = draft_review(summary_of(report), SETTINGS)
    assert [(a.number, a.finding_ids) for a in draft.actions] == [(p.number, p.finding_ids) for p in draft.problems]
    order = "高中低"
    assert [order.index(p.severity) for p in draft.problems] == sorted(order.index(p.severity) for p in draft.problems)
    assert len({p.rule_id for p in draft.problems}) == len(draft.problems), "one point per rule"


@pytest.mark.parametrize("report", EXAMPLES, ids=lambda p: p.stem)
def test_from_summary_json_gives_the_same_draft(report: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    summary_path = tmp_path / "summary.json"
    made = runner.invoke(app, ["summarize", str(report), "--offline", "--format", "json", "-o", str(summary_path)])
    assert made.exit_code == 0, made.stderr
    args = ["--format", "json", "--date", "2026-11-23", "--issuer", "某县委依法治县办"]
    direct = runner.invoke(app, ["review", str(report), "--offline", *args])
    again = runner.invoke(app, ["review", "--from", str(summary_path), *args])
    assert direct.exit_code == 0 and again.exit_code == 0, direct.stderr + again.stderr
    assert json.loads(direct.stdout) == json.loads(again.stdout)
    draft = ReviewDraft.model_validate_json(direct.stdout)
    assert any(p.paragraphs for p in draft.problems if p.evidence), "paragraph numbers survive the JSON round trip"


def test_maojun_draft_reads_like_a_reply() -> None:
    markdown = render_review_markdown(draft_review(summary_of(EXAMPLES_DIR / "maojun-2024.txt"), SETTINGS))
    assert markdown.startswith("# 关于《毛俊镇2024年度法治政府建设行政执法情况报告》的审阅意见\n")
    assert "毛俊镇党委、镇政府：" in markdown
    for heading in ("## 一、总体评价", "## 二、存在的主要问题", "## 三、修改完善意见"):
        assert heading in markdown
    assert "补充“不足的原因”部分" in markdown
    assert "请于2026年12月8日前修改完善后重新报送。" in markdown
    assert "审阅结论：修改完善后报送。" in markdown
    assert markdown.rstrip().endswith("某县委依法治县办\n\n2026年11月23日")
    assert "第13段“二、存在的不足”" in markdown


# ---------------------------------------------------------------- clean, plain and synthetic cases


def test_clean_report_gets_no_problems_and_passes() -> None:
    summary = summary_of(CLEAN)
    assert summary.risks == []
    draft = draft_review(summary, SETTINGS)
    assert draft.problems == [] and draft.actions == []
    assert draft.verdict == "通过"
    assert draft.deadline is None
    markdown = render_review_markdown(draft)
    assert "未发现需要指出的问题" in markdown and "报告无需修改" in markdown
    assert "请于" not in markdown
    assert len(draft.overall.highlights) >= 2
    assert all(any(ch.isdigit() for ch in h.text) for h in draft.overall.highlights), "highlights cite their numbers"


def test_report_without_highlights_gets_none_invented() -> None:
    summary = summary_of(PLAIN)
    assert summary.highlights == [] and summary.indicators == []
    draft = draft_review(summary, SETTINGS)
    assert draft.overall.highlights == []
    text = "".join(draft.overall.paragraphs)
    assert "一是" not in text and "未列出有具体数据支撑的工作亮点" in text
    assert draft.addressee == "白沙乡党委、乡政府"


def test_highlights_stripped_from_a_rich_summary_are_not_invented() -> None:
    summary = summary_of(EXAMPLES_DIR / "yangjiabo-2024.txt").model_copy(update={"highlights": [], "indicators": []})
    draft = draft_review(summary, SETTINGS)
    assert draft.overall.highlights == []
    assert "一是" not in "".join(draft.overall.paragraphs)


def _with_risks(*risks: Risk) -> ReportSummary:
    return summary_of(CLEAN).model_copy(update={"risks": list(risks)})


def _risk(rule_id: str, quote: str | None = None, source: str = "rule") -> Risk:
    evidence = Evidence(quote=quote, start=0, end=len(quote)) if quote else None
    return make_finding(rule_id, f"说明：{rule_id}。", evidence, source)  # type: ignore[arg-type]


def test_placeholder_sends_the_report_back_and_policy_is_configurable() -> None:
    summary = _with_risks(_risk("placeholder", "@件"), _risk("repeated-text", "情况情况"))
    draft = draft_review(summary, SETTINGS)
    assert draft.verdict == "退回重报"
    assert any("placeholder" in reason for reason in draft.verdict_reasons)
    assert "将“@件”填写为实际内容" in draft.actions[0].text
    lenient = SETTINGS.model_copy(update={"policy": VerdictPolicy(return_rule_ids=[])})
    assert draft_review(summary, lenient).verdict == "修改完善后报送"
    none = SETTINGS.model_copy(update={"policy": VerdictPolicy(return_rule_ids=[], revise_severities=[])})
    assert draft_review(summary, none).verdict == "通过"


def test_missing_part_of_medium_severity_still_asks_for_revision() -> None:
    draft = draft_review(_with_risks(_risk("missing-part:reasons")), SETTINGS)
    assert draft.verdict == "修改完善后报送"
    assert draft.problems[0].evidence == [] and draft.problems[0].finding_ids == ["R1"]
    only_low = draft_review(_with_risks(_risk("heading-numbering", "二、")), SETTINGS)
    assert only_low.verdict == "通过" and only_low.deadline_sentence.startswith("请于")


def test_same_rule_twice_is_one_grouped_point() -> None:
    draft = draft_review(_with_risks(_risk("repeated-text", "情况情况"), _risk("percent-over-100", "120%"), _risk("repeated-text", "工作工作")), SETTINGS)
    assert [p.rule_id for p in draft.problems] == ["percent-over-100", "repeated-text"]
    grouped = draft.problems[1]
    assert grouped.finding_ids == ["R1", "R3"] and "（共2处）" in grouped.text
    assert "“情况情况”、“工作工作”" in draft.actions[1].text


def test_llm_judgement_is_worded_as_a_question() -> None:
    draft = draft_review(_with_risks(_risk("self-reported-risk", "征收拆迁程序不规范", source="llm")), SETTINGS)
    assert draft.problems[0].text.startswith("请核实")
    assert "是否属实？" in draft.problems[0].text


def test_outdated_reference_action_names_the_current_document() -> None:
    text = action_text("outdated-reference", ["《法治政府建设实施纲要（2015—2020年）》"])
    assert "更正为现行《法治政府建设实施纲要（2021—2025年）》" in text
    assert "“八五”普法" in action_text("outdated-reference", ["七五普法"])


def test_every_catalogue_rule_has_an_action() -> None:
    assert set(RULES) <= set(ACTIONS)


def test_dates_addressee_and_deadline() -> None:
    assert cn_date(dt.date(2026, 1, 5)) == "2026年1月5日"
    summary = summary_of(CLEAN)
    street = summary.model_copy(update={"meta": summary.meta.model_copy(update={"issuer": "城关街道", "level": "街道"})})
    assert default_addressee(street) == "城关街道党工委、办事处"
    unknown = summary.model_copy(update={"meta": summary.meta.model_copy(update={"issuer": None, "level": None})})
    assert "请填写" in default_addressee(unknown)  # a visible blank, not the label "报告单位"
    draft = draft_review(_with_risks(_risk("placeholder", "XX")), SETTINGS.model_copy(update={"deadline_days": 30}))
    assert draft.deadline == dt.date(2026, 12, 23)
    assert draft.deadline_sentence == "请于2026年12月23日前修改后重新报送。"
    assert draft_review(summary, ReviewSettings(addressee="青石镇人民政府：")).addressee == "青石镇人民政府"


def test_cross_report_findings_ask_for_revision_not_return_by_default() -> None:
    for rule_id in ("copied-passage", "repeated-shortcoming", "inconsistent-figure"):
        draft = draft_review(_with_risks(_risk(rule_id, "一段与其他乡镇报告相同的文字")), SETTINGS)
        assert draft.verdict == "修改完善后报送", rule_id
        assert any(rule_id in reason for reason in draft.verdict_reasons)
    lenient = SETTINGS.model_copy(update={"policy": VerdictPolicy(revise_rule_ids=[])})
    assert draft_review(_with_risks(_risk("copied-passage", "一段文字")), lenient).verdict == "通过"


VARIANT_REPORTS = sorted((REPO / "tests" / "variants").rglob("*.txt"))


@pytest.mark.parametrize("report", EXAMPLES + VARIANT_REPORTS, ids=lambda p: p.stem)
def test_the_letter_sends_the_reader_to_the_paragraph_the_summary_names(report: Path) -> None:
    """第N段 in the 审阅意见 is the paragraph locator of the same evidence in the summary (the
    N-th non-empty line of the original), and the summary's paragraph table numbers the same way."""
    analysis = analyze_path(report)
    summary = summarize_offline(analysis)
    draft = draft_review(summary, SETTINGS)
    for point in draft.problems:
        assert point.paragraphs == sorted({e.paragraph for e in point.evidence if e.paragraph is not None}), point.text
    text = analysis.document.text
    line_starts = [m.start() for m in re.finditer(r"[^\n\r\f]*\S[^\n\r\f]*", text)]
    for location in summary.paragraphs:
        assert location.index == bisect.bisect_right(line_starts, location.start), text[location.start : location.start + 20]


def test_a_file_that_is_no_report_gets_no_praise_and_no_made_up_title() -> None:
    """Its "highlights" are not praised, no 纲要 aspects are commended "for future reports", and
    a title it does not have is not quoted in 《》."""
    summary = summary_of(Path(__file__).parent / "variants" / "english-text.txt")
    assert any(risk.rule_id == "not-a-report" for risk in summary.risks) and summary.meta.title is None
    draft = draft_review(summary)
    assert draft.title == "关于报送文件的审阅意见" and "《" not in draft.opening
    assert draft.overall.paragraphs == [draft.overall.paragraphs[0]] and "不是年度法治政府建设情况报告" in draft.overall.paragraphs[0]
    assert not draft.overall.highlights and not draft.overall.uncovered_chapters
