"""Red-team round 4: genre features rounds 1–3 did not vary.

Lists written ①②③, "第一，…第二，…" and "首先…其次…最后" inside one paragraph; part headings in
【】 and headings with "（一）" only; the plan before the 不足; the plan split over two headings
("六、2025年工作思路" / "七、2025年具体措施"); 落款 dates "2025.2.20", "2025-02-20", "2025年02月20日" and
"二〇二五年二月二十日" on its own line under the issuer; a report citing 七五普法 and the laws the
民法典 repealed as history (and one citing 七五普法 as its current plan); a tab-separated table with
万元 / 个百分点 / 同比; a 街道 with its 党工委; a 土家族乡 whose year is only in its title (二〇二四年度);
a long report with ten nested sub-sections and a "（二）原因分析" sub-heading under its 不足; an
attachment (附件 + a statistics table) printed after the 落款.

The defects they found: causes under a "（二）原因分析" sub-heading line were not read as causes
(a false missing-part:reasons, verdict 修改完善后报送); "在“七五”普法取得成效的基础上" and "“七五”普法
时期的老做法" were called outdated; ①/第一/首先 points were not split (the 不足 became the part's
heading line and a lead-in "以下不足", one point lost, measures lost); a plan heading
"2025年具体措施" after the 不足 held no part, so its three measures were lost; indicator names
kept the list mark ("②重大行政决策事项") and an earlier count ("适用简易程序29件、普通程序"); with an
attachment after the 落款 the signed date was not found (the 落款 was looked for in the last lines only).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import assert_verbatim
from fazhi_review.analysis import Analysis, analyze_path
from fazhi_review.engine.offline import summarize_offline
from fazhi_review.models import REQUIRED_PARTS
from fazhi_review.review import draft_review

ROUND4 = Path(__file__).parent / "variants" / "round4"
ROUND3 = Path(__file__).parent / "variants" / "round3"

Row = tuple[str, "str | None", int, "int | None", dt.date, set[str]]
#: file → (issuer, level, report_year, plan_year, signed_date (from the 落款), rule ids exactly)
EXPECTED: dict[str, Row] = {
    "r4-circled-dot-date.txt": ("柳塘镇", "镇", 2024, 2025, dt.date(2025, 2, 20), set()),
    "r4-bracket-headings-iso-date.txt": ("金沙镇", "镇", 2024, 2025, dt.date(2025, 2, 20), set()),
    "r4-paren-only-cn-date-line.txt": ("青石镇", "镇", 2024, None, dt.date(2025, 2, 20), set()),
    "r4-plan-before-shortcomings.txt": ("桃源镇", "镇", 2024, 2025, dt.date(2025, 2, 18), set()),
    "r4-split-plan-two-headings.txt": ("沙河镇", "镇", 2024, 2025, dt.date(2025, 2, 19), set()),
    "r4-historical-references.txt": ("石门镇", "镇", 2024, 2025, dt.date(2025, 2, 21), set()),
    "r4-table-wanyuan-tongbi.txt": ("龙泉镇", "镇", 2024, 2025, dt.date(2025, 2, 17), set()),
    "r4-street-dangongwei-yishi-para.txt": ("红星街道", "街道", 2024, 2025, dt.date(2025, 2, 24), set()),
    "r4-minzu-xiang-cn-year-title.txt": ("龙潭土家族乡", "乡", 2024, None, dt.date(2025, 2, 14), set()),
    "r4-very-long-nested.txt": ("长岭镇", "镇", 2024, 2025, dt.date(2025, 2, 25), set()),
    "r4-shouxian-qici-true-outdated.txt": ("白马乡", "乡", 2024, 2025, dt.date(2025, 2, 20), {"outdated-reference"}),
    "r4-attachment-table-after-signature.txt": ("马鞍镇", "镇", 2024, 2025, dt.date(2025, 2, 26), set()),
}


@pytest.fixture(scope="module")
def analyses() -> dict[str, Analysis]:
    return {path.name: analyze_path(path) for path in sorted(ROUND4.glob("*.txt"))}


def _shortcomings(analysis: Analysis) -> list[str]:
    return [s.text for s in summarize_offline(analysis).shortcomings]


def _measures(analysis: Analysis) -> list[str]:
    return [m.text for m in summarize_offline(analysis).measures]


def test_every_fixture_is_in_the_table(analyses: dict[str, Analysis]) -> None:
    assert set(analyses) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_meta(analyses: dict[str, Analysis], name: str) -> None:
    meta = analyses[name].report.meta
    row = (meta.issuer, meta.level, meta.report_year, meta.plan_year, meta.signed_date, meta.signed_source)
    assert row == (*EXPECTED[name][:5], "落款")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_are_exactly_the_real_ones(analyses: dict[str, Analysis], name: str) -> None:
    findings = analyses[name].findings
    assert {f.rule_id for f in findings} == EXPECTED[name][5]
    assert not [f for f in findings if f.severity == "高"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_complete_report_has_every_required_part(analyses: dict[str, Analysis], name: str) -> None:
    report = analyses[name].report
    assert {p: report.part_present(p) for p in REQUIRED_PARTS} == dict.fromkeys(REQUIRED_PARTS, True)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_summary_quotes_the_original(analyses: dict[str, Analysis], name: str) -> None:
    analysis = analyses[name]
    summary = summarize_offline(analysis)
    assert_verbatim(summary, analysis.document.text)
    assert summary.overview.startswith(EXPECTED[name][0])
    assert len(summary.shortcomings) >= 2 and len(summary.measures) >= 3 and summary.highlights


# ---------------------------------------------------------------- causes under a sub-heading


def test_causes_under_a_cause_sub_heading_are_the_reasons(analyses: dict[str, Analysis]) -> None:
    analysis = analyses["r4-very-long-nested.txt"]
    text = analysis.norm.text
    reasons = [text[s.start : s.end] for s in analysis.report.parts["reasons"]]
    assert reasons == [next(line.strip() for line in text.split("\n") if line.strip().startswith("一是专业执法人员引进难"))]
    assert draft_review(summarize_offline(analysis)).verdict == "通过"


def test_a_merged_part_heading_is_no_cause_sub_heading() -> None:
    # "三、存在的不足及原因分析" heads the part: its 不足 list is not a cause block
    analysis = analyze_path(Path(__file__).parent / "variants" / "redteam" / "rt-party-gov-cn-year.txt")
    text = analysis.norm.text
    reasons = [text[s.start : s.end] for s in analysis.report.parts["reasons"]]
    assert reasons and not any("依法行政意识" in r for r in reasons)
    assert len(_shortcomings(analysis)) == 3


# ---------------------------------------------------------------- outdated references as history


def test_seventh_pufa_named_as_the_past_is_not_outdated(analyses: dict[str, Analysis]) -> None:
    assert analyses["r4-historical-references.txt"].findings == []


def test_seventh_pufa_named_as_the_current_plan_still_is(analyses: dict[str, Analysis]) -> None:
    [finding] = analyses["r4-shouxian-qici-true-outdated.txt"].findings
    assert finding.severity == "中" and finding.evidence.quote == "“七五”普法"


# ---------------------------------------------------------------- ①, 第一, 首先 lists


def test_circled_number_points_are_the_measures(analyses: dict[str, Analysis]) -> None:
    assert _measures(analyses["r4-circled-dot-date.txt"]) == [
        "加强执法队伍建设，年内组织执法人员专题培训不少于4次",
        "发挥法律顾问作用，推动村级法律顾问每月驻村不少于1天",
        "规范执法全过程记录，配齐执法记录仪",
        "深入实施“八五”普法规划，迎接中期评估后的总结验收",
    ]


def test_diyi_dier_points_are_the_shortcomings(analyses: dict[str, Analysis]) -> None:
    found = _shortcomings(analyses["r4-circled-dot-date.txt"])
    assert len(found) == 3
    assert found[1].startswith("村级法律顾问作用发挥不充分")
    assert not any("、" in s[:3] or s.endswith("不足") for s in found)  # no heading line, no "以下不足"


def test_shouxian_qici_zuihou_points(analyses: dict[str, Analysis]) -> None:
    analysis = analyses["r4-shouxian-qici-true-outdated.txt"]
    assert [s[:8] for s in _shortcomings(analysis)] == ["干部法治思维有待", "执法人员配备不足", "普法宣传方式传统"]
    assert [m[:6] for m in _measures(analysis)] == ["加强干部法治", "积极争取县级", "创新普法载体"]


def test_a_bracket_heading_is_no_shortcoming(analyses: dict[str, Analysis]) -> None:
    found = _shortcomings(analyses["r4-bracket-headings-iso-date.txt"])
    assert found and not any("【" in s for s in found)


def test_one_paragraph_shortcomings_without_the_usual_words() -> None:
    # "执法人员少、专业能力弱，村级合同审查不到位。": the part's heading line was its only 不足
    analysis = analyze_path(ROUND3 / "r3-very-short.txt")
    assert _shortcomings(analysis) == ["执法人员少、专业能力弱", "村级合同审查不到位"]
    assert _measures(analysis) == ["充实执法力量", "开展合同专项审查", "每半年组织一次执法培训"]


# ---------------------------------------------------------------- a plan over two headings


def test_a_year_measures_heading_after_the_shortcomings_is_the_plan(analyses: dict[str, Analysis]) -> None:
    analysis = analyses["r4-split-plan-two-headings.txt"]
    measures = _measures(analysis)
    assert len(measures) == 3 and measures[0].startswith("组织执法人员参加新法新规培训")
    plan = next(s for s in analysis.report.sections if s.heading and s.heading.title == "2025年具体措施")
    assert plan.parts == ["next_year_plan"]


def test_an_achievements_heading_is_not_taken_for_measures(analyses: dict[str, Analysis]) -> None:
    sections = analyses["r4-very-long-nested.txt"].report.sections
    assert [s.parts for s in sections if s.heading and "举措" in s.heading.title] == [["achievements"]]


# ---------------------------------------------------------------- indicator names


def _indicators(analysis: Analysis) -> dict[str, tuple[float, str]]:
    return {i.name: (i.value, i.unit) for i in summarize_offline(analysis).indicators}


def test_indicator_names_drop_the_list_mark_and_an_earlier_count(analyses: dict[str, Analysis]) -> None:
    indicators = _indicators(analyses["r4-circled-dot-date.txt"])
    assert indicators["重大行政决策事项"] == (6, "项")
    assert indicators["审核镇政府签订的合同"] == (34, "份")
    assert indicators["普通程序"] == (18, "件")
    assert not any(name[0] in "①②③④" for name in indicators)


def test_table_with_wanyuan_and_percentage_points(analyses: dict[str, Analysis]) -> None:
    indicators = _indicators(analyses["r4-table-wanyuan-tongbi.txt"])
    assert indicators["罚没款金额增长"] == (25.8, "%")
    assert indicators["执法案卷合格率提高"] == (4.3, "个百分点")
    assert indicators["法律顾问服务费用"] == (3.5, "万元")
    assert indicators["化解率"] == (97.7, "%")


def test_a_comparison_clause_is_named_by_what_it_compares(analyses: dict[str, Analysis]) -> None:
    # "开展普法活动33场次，同比增加8场次": "同比增加" alone does not say what rose
    indicators = _indicators(analyses["r4-table-wanyuan-tongbi.txt"])
    assert indicators["开展普法活动同比增加"] == (8, "场次")
    assert indicators["信访事项同比下降"] == (14.3, "%")
    assert indicators["化解率较上年提高"] == (1.2, "个百分点")
    assert not any(name.startswith(("同比", "较上年")) for name in indicators)


def test_a_sentence_the_rules_fault_is_not_praised(analyses: dict[str, Analysis]) -> None:
    # "结合“七五”普法规划要求，深入开展…18场次": flagged outdated, so not a 亮点 in the 总体评价
    analysis = analyses["r4-shouxian-qici-true-outdated.txt"]
    summary = summarize_offline(analysis)
    assert summary.highlights and not any("七五" in h.text for h in summary.highlights)
    draft = draft_review(summary)
    assert not any("七五" in h.text for h in draft.overall.highlights)
    assert any("七五" in p.text for p in draft.problems)


@pytest.mark.parametrize(
    "name",
    [
        "r4-circled-dot-date.txt",  # "产生上述问题的原因主要是：…" after ①②③
        "r4-very-long-nested.txt",  # under its own "（二）原因分析" sub-heading
        "r4-split-plan-two-headings.txt",  # a part of its own, "五、原因分析"
        "r4-table-wanyuan-tongbi.txt",  # "原因是…" opening a sentence after the last point
    ],
)
def test_causes_written_after_the_list_explain_every_point(analyses: dict[str, Analysis], name: str) -> None:
    found = summarize_offline(analyses[name]).shortcomings
    assert len(found) >= 2 and all(s.has_reason for s in found)


def test_the_signature_above_an_attachment_table(tmp_path: Path) -> None:
    analysis = analyze_path(ROUND4 / "r4-attachment-table-after-signature.txt")
    meta = analysis.report.meta
    assert meta.signed_span is not None
    assert analysis.norm.text[meta.signed_span.start : meta.signed_span.end] == "2025年2月26日"
    # the same attachment after a 落款 whose issuer is two bodies on one line, the date in Chinese
    source = (ROUND4 / "r4-paren-only-cn-date-line.txt").read_text(encoding="utf-8")
    path = tmp_path / "with-attachment.txt"
    path.write_text(source + "\n\n附件\n\n主要指标统计表\n\n序号\t指标\t单位\t数值\n1\t行政处罚案件\t件\t58\n2\t法律意见\t份\t32\n", encoding="utf-8")
    assert analyze_path(path).report.meta.signed_date == dt.date(2025, 2, 20)


@pytest.mark.parametrize(
    ("name", "point", "with_cause"),
    [
        (
            "r4-street-dangongwei-yishi-para.txt",
            "一是综合执法改革后执法事项大幅增加，执法人员业务能力与新职责不相适应；",
            "一是综合执法改革后执法事项大幅增加，执法人员业务能力与新职责不相适应，原因是培训跟不上；",
        ),
        (
            "r4-minzu-xiang-cn-year-title.txt",
            "一是乡综合执法人员少、专业人员缺乏；",
            "一是乡综合执法人员少、专业人员缺乏，主要由于编制有限；",
        ),
    ],
)
def test_a_point_followed_by_its_own_cause_stays_a_shortcoming(tmp_path: Path, name: str, point: str, with_cause: str) -> None:
    source = (ROUND4 / name).read_text(encoding="utf-8")
    assert point in source
    path = tmp_path / name
    path.write_text(source.replace(point, with_cause), encoding="utf-8")
    analysis = analyze_path(path)
    found = summarize_offline(analysis).shortcomings
    assert len(found) == len(_shortcomings(analyze_path(ROUND4 / name)))
    headline = point[2:].split("，")[0].rstrip("；。")
    assert any(s.text.startswith(headline) and s.has_reason for s in found)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_round4_report_pasted_without_line_breaks(tmp_path: Path, analyses: dict[str, Analysis], name: str) -> None:
    path = tmp_path / name
    path.write_text((ROUND4 / name).read_text(encoding="utf-8").replace("\n", ""), encoding="utf-8")
    analysis = analyze_path(path)
    meta = analysis.report.meta
    assert (meta.issuer, meta.level, meta.report_year, meta.plan_year, meta.signed_date) == EXPECTED[name][:5]
    assert {f.rule_id for f in analysis.findings} - {"heading-numbering"} == EXPECTED[name][5]
    assert {p: analysis.report.part_present(p) for p in REQUIRED_PARTS} == dict.fromkeys(REQUIRED_PARTS, True)
    # "四、2025年工作安排第一，…", "【2025年工作安排】一是…": the first point too, and no heading as a 不足
    assert _shortcomings(analysis) == _shortcomings(analyses[name])
    assert _measures(analysis) == _measures(analyses[name])


@pytest.mark.parametrize(
    "name",
    [
        "r4-plan-before-shortcomings.txt",  # "二是个别村“两" | "委”干部…" under a run-in "（一）存在问题。"
        "r4-table-wanyuan-tongbi.txt",  # "同比增长1" | "2%"
        "r4-split-plan-two-headings.txt",  # "发放宣传资料8" | "000余份"
        "r4-very-long-nested.txt",  # "按时办结率99." | "6%", "…县法院" | "、县检察院…"
    ],
)
def test_a_pdf_wrapped_line_reads_as_the_text_does(tmp_path: Path, analyses: dict[str, Analysis], name: str) -> None:
    from fixtures_formats import write_pdf

    pdf = analyze_path(write_pdf((ROUND4 / name).read_text(encoding="utf-8"), tmp_path))
    text = analyses[name]
    assert _shortcomings(pdf) == _shortcomings(text)
    assert _measures(pdf) == _measures(text)
    assert sorted((i.name, i.value) for i in summarize_offline(pdf).indicators) == sorted((i.name, i.value) for i in summarize_offline(text).indicators)
    assert_verbatim(summarize_offline(pdf), pdf.document.text)


@pytest.mark.parametrize(
    "source",
    [
        "redteam/rt-no-breaks-cn-dates.txt",  # "（二" | "）规范行政决策": a wrap before a closing bracket
        "portal-one-line.txt",  # a portal's catalogue lines above one long line keep the average down
        "round2/r2-oneline-unnumbered-street.txt",  # "好评率99" | ".9%", "同考核" | "。"
        "redteam/rt-unnumbered-renamed.txt",  # "…掌握不够及时" | "。" (the lone "。" was dropped as chrome)
    ],
)
def test_a_pdf_of_a_text_without_paragraph_breaks(tmp_path: Path, source: str) -> None:
    """Its lines are only the PDF's wraps: once joined it is one line, to be cut at its headings
    like a paste without breaks (it read as a text with no parts: five false 高 findings)."""
    from fixtures_formats import write_pdf

    path = Path(__file__).parent / "variants" / source
    pdf, text = analyze_path(write_pdf(path.read_text(encoding="utf-8"), tmp_path)), analyze_path(path)
    assert not [f.rule_id for f in pdf.findings if f.severity == "高"]
    assert {p: pdf.report.part_present(p) for p in REQUIRED_PARTS} == dict.fromkeys(REQUIRED_PARTS, True)
    assert pdf.report.meta.report_year == text.report.meta.report_year
    assert pdf.report.meta.signed_date == text.report.meta.signed_date
    assert _shortcomings(pdf) == _shortcomings(text) and _measures(pdf) == _measures(text)


@pytest.mark.parametrize(
    ("name", "causes"),
    [
        ("r4-street-dangongwei-yishi-para.txt", "究其原因，一方面是街道专业法律人才少，另一方面是培训考核机制不健全。"),
        ("r4-table-wanyuan-tongbi.txt", "原因是执法保障投入不足，普法工作缺乏统筹。"),
    ],
)
def test_causes_moved_under_their_own_sub_heading(tmp_path: Path, name: str, causes: str) -> None:
    # the same causes set under a "（二）原因分析" line of their own, worded without 原因/由于
    source = (ROUND4 / name).read_text(encoding="utf-8")
    assert causes in source
    path = tmp_path / name
    path.write_text(source.replace(causes, "\n　　（二）原因分析\n　　一是专业法律人才少；二是培训考核机制不健全。"), encoding="utf-8")
    analysis = analyze_path(path)
    assert analysis.report.part_present("reasons")
    assert "missing-part:reasons" not in {f.rule_id for f in analysis.findings}


def test_a_year_measures_heading_in_another_report(tmp_path: Path) -> None:
    source = (ROUND4 / "r4-table-wanyuan-tongbi.txt").read_text(encoding="utf-8")
    path = tmp_path / "measures.txt"
    path.write_text(source.replace("四、2025年工作安排", "四、2025年主要措施"), encoding="utf-8")
    analysis = analyze_path(path)
    assert analysis.report.part_present("next_year_plan") and not analysis.findings
    assert len(_measures(analysis)) == 3


def test_comparison_names_in_the_long_report(analyses: dict[str, Analysis]) -> None:
    indicators = _indicators(analyses["r4-very-long-nested.txt"])
    assert indicators["安排执法经费同比增长"] == (12.5, "%")


def test_a_placeholder_sentence_is_not_praised() -> None:
    summary = summarize_offline(analyze_path(Path(__file__).parent / "variants" / "redteam" / "rt-bad-placeholder.txt"))
    assert "placeholder" in {r.rule_id for r in summary.risks}
    assert summary.highlights and not any("@" in h.text for h in summary.highlights)


def test_a_problem_before_a_colon_is_still_a_shortcoming(tmp_path: Path) -> None:
    # "以下不足：" announces a list; "执法力量薄弱：全乡仅有…" states a problem and its detail
    source = (ROUND3 / "r3-very-short.txt").read_text(encoding="utf-8")
    path = tmp_path / "colon.txt"
    path.write_text(source.replace("执法人员少、专业能力弱，", "执法力量薄弱：全乡仅有执法人员6名；"), encoding="utf-8")
    assert _shortcomings(analyze_path(path)) == ["执法力量薄弱", "村级合同审查不到位"]


def test_short_unpunctuated_problem_lines_are_shortcomings(tmp_path: Path) -> None:
    # one problem a line, no marks: these are the points, not headings (only the part's own
    # heading line, a numbered or a 【】 one is skipped)
    source = (ROUND3 / "r3-very-short.txt").read_text(encoding="utf-8")
    path = tmp_path / "lines.txt"
    path.write_text(source.replace("执法人员少、专业能力弱，村级合同审查不到位。", "执法人员数量不足\n村级合同审查不到位\n"), encoding="utf-8")
    assert _shortcomings(analyze_path(path)) == ["执法人员数量不足", "村级合同审查不到位"]
