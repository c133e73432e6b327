"""Red-team round 7: twelve reports written the way townships write them (tests/variants/round7/).

The defects they found, each fixed with the report that showed it and two or three variants:
- a plan opening "针对上述问题，2025年我乡将重点抓好以下工作：一是…" inside a merged
  "三、存在的问题及下步打算" part was not read as the plan: a false 高 missing-part:next_year_plan,
  its four measures listed as 不足 and no plan year (``structure.parts._AFTER_PROBLEMS``);
- "（三）下一步打算" on a line of its own, "2025年，我乡将…" on the next: no plan year, so a wrong
  year could not be caught (``structure.meta._plan_year``);
- the 第一责任人 folded into the 成效 part as "镇党委书记、镇长作为全镇法治建设的“一把手”…书面述法":
  a false 高 missing-part:first_responsible;
- a 2022 report citing the 2015—2020 纲要 and its goal wording in a sentence that ends "…总结报告如下":
  the history word 总结 hid both (the report's framing "现将…报告如下" no longer counts);
- an indicator table aligned with blanks whose last column holds "+3" / "-1": the figure before the
  signed change kept its blanks, so no row was read;
- a portal breadcrumb "首页 - 政务公开 - … - 法治政府建设" ran into the title.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import assert_verbatim, serious_rules, summary_of_text
from fazhi_review.analysis import analyze_path
from fazhi_review.chrome import is_chrome_line
from fazhi_review.engine.offline import summarize_offline
from fazhi_review.models import REQUIRED_PARTS, ReportSummary

ROUND7 = Path(__file__).parent / "variants" / "round7"

EXPECTED_META = {
    "01-portal-street-2024.txt": ("青石街道", "街道", 2024, 2025),
    "02-xiang-merged-two-issuers-2024.txt": ("白沙乡", "乡", 2024, 2025),
    "03-renamed-parts-town-2024.txt": ("龙潭镇", "镇", 2024, 2025),
    "04-reordered-cn-date-2024.txt": ("石门镇", "镇", 2024, 2025),
    "05-street-no-numbering-2024.txt": ("东湖街道", "街道", 2024, 2025),
    "06-xiang-arabic-numbering-2024.txt": ("鹿鸣苗族乡", "乡", 2024, 2025),
    "07-first-resp-folded-2024.txt": ("清溪镇", "镇", 2024, 2025),
    "08-table-as-text-2024.txt": ("河口镇", "镇", 2024, 2025),
    "09-late-cn-numeral-date-2024.txt": ("桂花镇", "镇", 2024, 2025),
    "10-outdated-refs-2022.txt": ("石桥镇", "镇", 2022, 2023),
    "11-proper-town-2024.txt": ("安平镇", "镇", 2024, 2025),
    "12-portal-xiang-merged-plan-2024.txt": ("杨柳乡", "乡", 2024, 2025),
}


def _summary(name: str) -> ReportSummary:
    path = ROUND7 / name
    summary = summarize_offline(analyze_path(path))
    assert_verbatim(summary, path.read_text(encoding="utf-8"))
    return summary


@pytest.mark.parametrize("name", sorted(EXPECTED_META))
def test_every_report_has_its_meta_its_parts_and_no_false_finding(name: str) -> None:
    summary = _summary(name)
    meta = summary.meta
    assert (meta.issuer, meta.level, meta.report_year, meta.plan_year) == EXPECTED_META[name]
    assert all(summary.parts.get(part) for part in REQUIRED_PARTS)
    expected = {"09-late-cn-numeral-date-2024.txt": {"late-report"}, "10-outdated-refs-2022.txt": {"outdated-reference"}}.get(name, set())
    assert serious_rules(summary) == expected


def test_a_plan_answering_the_problems_just_listed_is_the_plan() -> None:
    summary = _summary("12-portal-xiang-merged-plan-2024.txt")
    assert summary.meta.title == "杨柳乡2024年法治政府建设年度报告"
    starts = ("加强法治培训", "加强执法队伍建设", "创新普法形式", "深化“枫桥经验”")
    assert len(summary.measures) == len(starts) and all(m.text.startswith(w) for m, w in zip(summary.measures, starts, strict=True))
    assert not [s.text for s in summary.shortcomings if s.text.startswith(("加强", "创新", "深化"))]


PLAN_REPORT = (
    "{issuer}2024年法治政府建设情况报告\n一、主要举措和成效\n全年办理行政处罚案件12件，开展普法活动20场次。\n"
    "二、党政主要负责人履行推进法治建设第一责任人职责情况\n{leader}召开专题会议研究法治建设3次。\n"
    "三、存在的问题及下一步打算\n一是执法力量不足；二是普法形式单一。主要原因是人员编制紧张。\n{plan}\n"
    "{issuer}人民政府\n2025年2月10日\n"
)


@pytest.mark.parametrize(
    ("plan", "year"),
    [
        ("针对以上不足，我镇将重点做好以下工作：一是加强执法培训；二是创新普法形式。", None),
        ("针对存在的问题，2025年街道将着力抓好：一是加强执法培训；二是创新普法形式。", 2025),
        ("针对上述问题和不足，2025年我镇将：一是加强执法培训；二是创新普法形式。", 2025),
    ],
    ids=["no-year", "street-year", "problems-and-shortfalls"],
)
def test_variants_of_a_plan_after_the_problems(plan: str, year: int | None, tmp_path: Path) -> None:
    summary = summary_of_text(PLAN_REPORT.format(issuer="石岭镇", leader="镇党委书记、镇长", plan=plan), tmp_path)
    assert summary.parts.get("next_year_plan") and summary.meta.plan_year == year
    assert [m.text for m in summary.measures] == ["加强执法培训", "创新普法形式"]
    assert [s.text for s in summary.shortcomings] == ["执法力量不足", "普法形式单一"]


def test_a_measure_already_taken_against_the_problems_is_no_plan(tmp_path: Path) -> None:
    plan = "针对上述问题，我镇已召开专题会议研究整改。"
    summary = summary_of_text(PLAN_REPORT.format(issuer="石岭镇", leader="镇党委书记、镇长", plan=plan), tmp_path)
    assert not summary.parts.get("next_year_plan")


def test_the_plan_year_on_the_line_after_the_plans_sub_heading() -> None:
    assert _summary("02-xiang-merged-two-issuers-2024.txt").meta.plan_year == 2025


FOLDED = (
    "{issuer}2024年法治政府建设情况报告\n县委全面依法治县委员会办公室：\n2024年，我们深入学习贯彻习近平法治思想，扎实推进法治政府建设，现将有关情况报告如下。\n"
    "一、主要举措和成效\n（一）强化组织领导。{sentence}\n（二）规范执法。全年办理行政处罚案件12件，重大执法决定法制审核率100%。\n"
    "（三）加强普法。开展普法宣传活动20场次，发放宣传资料3000余份。\n"
    "二、存在的不足和原因\n执法力量不足，主要原因是编制紧张。\n三、2025年工作打算\n加强执法培训，全年不少于4次。\n"
    "{issuer}人民政府\n2025年2月10日\n"
)


@pytest.mark.parametrize(
    ("issuer", "sentence", "present"),
    [
        ("石岭镇", "镇党委书记、镇长作为全镇法治建设的“一把手”，亲自部署重要工作。", True),
        ("石岭乡", "乡党委书记、乡长分别在县委全面依法治县委员会会议上书面述法。", True),
        ("石岭镇", "镇党委书记带头述法，接受党员群众评议。", True),
        ("石岭镇", "镇党委书记主持召开会议研究乡村振兴工作。", False),
    ],
    ids=["yibashou", "shufa-xiang", "shufa-lead", "no-duty"],
)
def test_the_first_responsible_folded_into_the_achievements(issuer: str, sentence: str, present: bool, tmp_path: Path) -> None:
    summary = summary_of_text(FOLDED.format(issuer=issuer, sentence=sentence), tmp_path)
    assert bool(summary.parts.get("first_responsible")) is present
    assert ("missing-part:first_responsible" in {r.rule_id for r in summary.risks}) is not present


def test_the_folded_first_responsible_of_the_red_team_report() -> None:
    summary = _summary("07-first-resp-folded-2024.txt")
    assert summary.parts.get("first_responsible")


def test_an_outdated_reference_beside_the_reports_own_summing_up_is_found() -> None:
    quotes = {risk.evidence.quote for risk in _summary("10-outdated-refs-2022.txt").risks if risk.evidence}
    assert {"纲要（2015—2020年）", "廉洁高效、守法诚信"} <= quotes


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("认真落实“七五”普法规划，现将工作总结报告如下。", True),  # 总结 in another clause
        ("在总结“七五”普法经验的基础上开展工作。", False),  # 总结 in the mention's own clause
        ("“七五”普法圆满收官，我镇启动“八五”普法。", False),
        ("“七五”普法规划确定的各项任务，已于2020年底前全部完成验收。", False),  # 验收 in the next clause
        ("认真落实“七五”普法规划，现将2022年工作情况总结报告如下。", True),  # the report's own framing
    ],
)
def test_a_history_word_counts_unless_it_is_the_reports_own_framing(sentence: str, found: bool, tmp_path: Path) -> None:
    text = FOLDED.format(issuer="石岭镇", sentence=sentence).replace("2024年", "2022年").replace("2025年", "2023年")
    summary = summary_of_text(text, tmp_path)
    assert any(r.rule_id == "outdated-reference" and r.evidence and "七五" in r.evidence.quote for r in summary.risks) is found


def test_a_table_aligned_with_blanks_and_a_signed_change_column() -> None:
    figures = {i.name: (i.value, i.unit) for i in _summary("08-table-as-text-2024.txt").indicators}
    assert figures["行政处罚案件"] == (58, "件") and figures["调解成功率"] == (98, "%")
    assert figures["行政复议、行政诉讼案件"] == (0, "件") and figures["普法宣传活动"] == (31, "场次")


@pytest.mark.parametrize("change", ["+3\n", "-1\n", "－2\n"])
def test_a_signed_change_after_blanks_keeps_the_row_apart(change: str, tmp_path: Path) -> None:
    table = "指标名称　　单位　　2023年　　2024年　　增减\n行政处罚案件　　件　　42　　58　　" + change + "普法宣传活动　　场次　　22　　31　　" + change
    text = f"石岭镇2024年法治政府建设情况报告\n一、主要举措和成效\n主要指标如下：\n{table}石岭镇人民政府\n2025年2月10日\n"
    figures = {i.name: (i.value, i.unit) for i in summary_of_text(text, tmp_path).indicators}
    assert figures["行政处罚案件"] == (58, "件") and figures["普法宣传活动"] == (31, "场次")


@pytest.mark.parametrize(
    ("line", "chrome"),
    [
        ("首页 - 政务公开 - 法定主动公开内容 - 法治政府建设", True),
        ("政务公开 － 法定主动公开内容 － 法治政府建设", True),
        ("一、2024年工作 - 亮点 - 成效", False),  # a heading, whatever its dashes
        ("《法治政府建设实施纲要（2021-2025年）》", False),
    ],
)
def test_a_breadcrumb_with_dashes(line: str, chrome: bool) -> None:
    assert is_chrome_line(line) is chrome


@pytest.mark.parametrize(
    ("sentence", "value", "name"),
    [
        ("11名持证执法人员中具有法律专业背景的仅1名。", 11, "持证执法人员"),
        ("11名持证执法人员中具有法律专业背景的仅1名。", 1, "具有法律专业背景的"),
        ("综合执法办公室6名执法人员中有4名为兼职。", 4, "兼职"),
        ("2024年度仍有2件文件超过有效期未清理。", 2, "文件超过有效期未清理"),
        ("镇党委书记并带头参加旁听庭审活动1次。", 1, "镇党委书记并带头参加旁听庭审活动"),
        ("全年并带头参加旁听庭审活动1次。", 1, "带头参加旁听庭审活动"),
    ],
)
def test_indicator_names_of_counts_inside_a_count(sentence: str, value: int, name: str, tmp_path: Path) -> None:
    summary = summary_of_text(FOLDED.format(issuer="石岭镇", sentence=sentence), tmp_path)
    assert name in [i.name for i in summary.indicators if i.value == value]
