"""Red-team round 9: edge cases of the genre (tests/variants/round9/; 05 is a text-layer PDF).

The defects they found, each fixed with the report that showed it and variants:
- a report with no 不足 part that admits a problem after each 成效 ("……。但也存在…的问题。") and
  gives their causes in a closing sentence got a false 高 missing-part:shortcomings and a false
  中 missing-part:reasons, and its measures were linked to nothing;
- "评查案卷【填写】卷" (a template's instruction left in brackets) was not flagged;
- "知晓率提升至118%" was not flagged (提升 read as a growth, which may exceed 100%);
- "调解纠纷120件，成功118件，成功率99.5%" was explained as "118件按99.5%计算为117.41" (the rate is
  118 of 120: 98.3%); "二次办理…满意率98.9%" and "由上年的61.4%" gave false 低 findings.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import serious_rules, summary_of_file, summary_of_text
from fazhi_review.checks.placeholders import _matches
from fazhi_review.models import REQUIRED_PARTS, ReportSummary

ROUND9 = Path(__file__).parent / "variants" / "round9"
FILES = sorted(path.name for path in ROUND9.iterdir())
#: the 高/中 findings that are right: 07's rates over 100%, 08's template text
TRUE_FINDINGS = {"07-arithmetic-mixed-2024.txt": {"percent-over-100"}, "08-placeholder-one-place-2024.txt": {"placeholder"}}


def _summary(name: str) -> ReportSummary:
    return summary_of_file(ROUND9 / name)


@pytest.mark.parametrize("name", FILES)
def test_every_part_found_and_no_false_finding(name: str) -> None:
    summary = _summary(name)
    assert all(summary.parts.get(part) for part in REQUIRED_PARTS)
    assert serious_rules(summary) == TRUE_FINDINGS.get(name, set())


def test_a_report_submitted_the_next_january() -> None:
    meta = _summary("01-town-2025-yuanyue-2026.txt").meta
    assert (meta.report_year, meta.plan_year, str(meta.signed_date)) == (2025, 2026, "2026-01-15")


def test_problems_admitted_after_each_achievement_are_the_shortcomings() -> None:
    summary = _summary("06-shortcomings-inside-achievements-2024.txt")
    assert len(summary.shortcomings) >= 6 and all(s.has_reason for s in summary.shortcomings)
    assert sum(1 for m in summary.measures if m.addresses) >= 3


ADMITTED = (
    "石岭镇2024年法治政府建设情况报告\n一、主要举措和成效\n（一）规范执法。全年办理行政处罚案件24件。{first}\n"
    "（二）加强普法。开展普法活动20场次。{second}\n{causes}\n"
    "二、党政主要负责人履行推进法治建设第一责任人职责情况\n镇党委书记召开专题会议研究法治建设3次。\n"
    "三、2025年工作安排\n一是加强执法培训；二是创新普法形式。\n石岭镇人民政府\n2025年2月10日\n"
)


@pytest.mark.parametrize(
    ("first", "second", "causes", "reasons"),
    [
        ("但也存在案卷文书不规范的问题。", "但仍存在普法形式单一的问题。", "产生上述问题的原因主要是缺少法律专业人才。", True),
        ("同时也要看到，执法力量还存在不足。", "但普法覆盖面还不够广。", "", False),
    ],
    ids=["with-causes", "without-causes"],
)
def test_variants_of_problems_admitted_inside_the_achievements(first: str, second: str, causes: str, reasons: bool, tmp_path: Path) -> None:
    summary = summary_of_text(ADMITTED.format(first=first, second=second, causes=causes), tmp_path)
    rules = {risk.rule_id for risk in summary.risks}
    assert "missing-part:shortcomings" not in rules and len(summary.shortcomings) == 2
    assert ("missing-part:reasons" in rules) is not reasons


def test_a_report_that_admits_nothing_still_misses_its_shortcomings(tmp_path: Path) -> None:
    text = ADMITTED.format(first="执法文书全部规范。", second="群众普遍满意。", causes="")
    assert "missing-part:shortcomings" in {risk.rule_id for risk in summary_of_text(text, tmp_path).risks}


@pytest.mark.parametrize(
    ("text", "flagged"),
    [("评查案卷【填写】卷", True), ("共（请填写数字）件", True), ("[待补充]", True), ("（补充说明见附件）", False), ("时间（待定）", False), ("补充协议（2份）", False)],
)
def test_a_templates_instruction_left_in_brackets(text: str, flagged: bool) -> None:
    assert bool(_matches(text)) is flagged


def test_rates_over_100_and_a_rate_that_does_not_match_its_counts() -> None:
    risks = _summary("07-arithmetic-mixed-2024.txt").risks
    over = [r.evidence.quote for r in risks if r.rule_id == "percent-over-100" and r.evidence]
    assert any("提升至118%" in quote for quote in over)
    arithmetic = [r.explanation for r in risks if r.rule_id == "rate-arithmetic"]
    assert arithmetic == ["118件÷120件＝98.3%，与所写的99.5%不符，请核对其中一个数字。"]


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("全年调解纠纷120件，成功118件，成功率99.5%。", True),
        ("全年调解纠纷211件，成功210件，成功率99.53%。", False),
        ("对不满意事项实行二次办理，满意率98.9%。", False),
        ("参与企业达到38个，参与率由上年的61.4%提升至70.4%。", False),
        ("群众满意度由上年的95%提高到96.5%。", False),
    ],
)
def test_rate_arithmetic_variants(sentence: str, flagged: bool, tmp_path: Path) -> None:
    text = ADMITTED.format(first=sentence, second="但仍存在普法形式单一的问题。", causes="原因主要是人员不足，导致上述问题。")
    assert any(r.rule_id == "rate-arithmetic" for r in summary_of_text(text, tmp_path).risks) is flagged


def test_a_wechat_article_loses_its_emoji_but_not_its_list_marks() -> None:
    from fazhi_review.normalize import normalize_text

    assert normalize_text("🔷 二、存在问题\n❶加强执法；❷创新普法。\n受益12.6万次🔥，").text == "二、存在问题\n❶加强执法；❷创新普法。\n受益12.6万次，"
    summary = _summary("10-wechat-paste-emoji-2024.txt")
    assert summary.meta.title == "桃源镇2024年法治政府建设情况报告"
    assert not any(ord(char) >= 0x1F000 for highlight in summary.highlights for char in highlight.text)


def test_a_pdfs_wrapped_numbered_points_are_not_cut_at_the_line_end() -> None:
    measures = [m.text for m in _summary("05-maling-town-textlayer-2024.pdf").measures]
    assert measures[0] == "争取充实执法力量" and not any(m.endswith(("不", "制")) for m in measures)


WRAPPED = (
    "　　石岭镇2024年法治政府建设情况报告\n"
    "　　2024年，石岭镇坚持以习近平法治思想为指导，认真落实\n法治政府建设实施纲要，扎实推进依法行政，现将有关情况\n报告如下。\n"
    "　　一、主要举措和成效\n"
    "　　全年办理行政处罚案件24件，开展普法宣传活动20场次，\n受益群众3000余人次，群众满意率持续提升。\n"
    "　　二、党政主要负责人履行推进法治建设第一责任人职责情况\n"
    "　　镇党委书记、镇长认真履行推进法治建设第一责任人职责，\n主持召开专题会议研究法治建设3次。\n"
    "　　三、存在的不足和原因\n"
    "　　执法力量不足，主要原因是编制紧张。\n"
    "　　四、2025年工作安排\n"
    "　　（一）充实执法力量，2025年新增持证执法人员不\n少于3名，开展执法人员全员培训。\n"
    "　　（二）创新普法方式，开通普法微信专栏并定期\n更新内容。\n"
    "　　石岭镇人民政府\n　　2025年2月10日\n"
)


def test_wrapped_numbered_points_are_joined_where_the_document_wraps(tmp_path: Path) -> None:
    summary = summary_of_text(WRAPPED, tmp_path)
    # a long point is cited to its first comma, a short one whole: neither stops at the wrap
    assert [m.text for m in summary.measures] == ["充实执法力量", "创新普法方式，开通普法微信专栏并定期更新内容"]
    assert "新增持证执法人员不少于3名" in _clean(WRAPPED)


def test_indented_headings_over_unindented_bodies_stay_headings(tmp_path: Path) -> None:
    """A paste whose headings alone are indented has no wrapped paragraph: nothing is joined."""
    text = (
        "石岭镇2024年法治政府建设情况报告\n　　一、主要举措和成效\n全年办理行政处罚案件24件。\n"
        "　　（一）规范执法，提升执法水平和执法质量\n全年组织执法培训4次。\n"
        "　　（二）加强普法，营造良好法治氛围和社会环境\n开展普法活动20场次。\n"
    )
    assert "（一）规范执法，提升执法水平和执法质量\n全年" in _clean(text)


def _clean(text: str) -> str:
    from fazhi_review.normalize import normalize_text

    return normalize_text(text).text
