"""Red-team round 18: ten reports (tests/variants/round18/), eight complete and two with one defect.

Four of the eight complete ones got a false 中 missing-part:reasons:
- a causes part headed "四、产生不足的原因" or "三、原因分析" whose causes are stated as lacks
  ("编制总量受控，补充渠道有限", "认识不到位，缺少操作规程") with no causal word;
- a part headed "七、短板弱项成因分析", read as more 不足;
- "（二）原因分析" on its own line inside a merged "存在问题、原因及下步打算" part, its causes in the
  next paragraph.
Also fixed: that merged part's "（三）2025年工作打算" gave no plan year; "五、领导班子“一把手”抓法治情况"
was not the 第一责任人 part; a portal's bar menu ("首页 | 街道概况 | 政务公开 | …") ran into the
title; indicator names kept a point's number ("三是对", "1.乡综合行政执法队…").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import serious_rules, summary_of_file, summary_of_text
from fazhi_review.chrome import is_chrome_line
from fazhi_review.models import REQUIRED_PARTS

ROUND18 = Path(__file__).parent / "variants" / "round18"
COMPLETE = sorted(path.name for path in ROUND18.iterdir() if "DEFECT" not in path.name)
TSV = ROUND18 / "05-zhen-tsv-table-2025.txt"
MERGED = ROUND18 / "03-zhen-wenti-xiabu-merged-2024.txt"
THEMATIC = ROUND18 / "08-zhen-thematic-headings-other-matters-2024.txt"


@pytest.mark.parametrize("name", COMPLETE)
def test_a_complete_report_has_no_serious_finding_and_every_part(name: str) -> None:
    summary = summary_of_file(ROUND18 / name)
    assert not serious_rules(summary)
    assert all(summary.parts.get(part) for part in REQUIRED_PARTS)
    assert summary.shortcomings and all(s.has_reason for s in summary.shortcomings)
    assert summary.meta.plan_year == summary.meta.report_year + 1  # type: ignore[operator]


@pytest.mark.parametrize(
    ("name", "rule"),
    [("09-zhen-DEFECT-no-first-resp-2024.txt", "missing-part:first_responsible"), ("10-jiedao-DEFECT-plan-year-2024.txt", "plan-year-mismatch")],
)
def test_the_planted_defect_alone_is_found(name: str, rule: str) -> None:
    assert serious_rules(summary_of_file(ROUND18 / name)) == {rule}


def _tsv_text() -> str:
    return TSV.read_text(encoding="utf-8")


@pytest.mark.parametrize("heading", ["四、产生不足的原因", "四、原因分析", "四、短板弱项成因分析", "四、问题成因剖析"])
@pytest.mark.parametrize(
    "causes",
    [
        "一是镇级编制总量受控，执法人员补充渠道有限；二是对政务新媒体的运用不够，公众参与决策的便利程度不高；三是村干部对村规民约的作用认识不足，存在照搬范本的现象。",
        "执法人员多为转岗人员，法律知识储备不足；对决策后评估认识不到位，缺少操作规程；村级法治经费紧张。",
    ],
)
def test_a_causes_part_stating_lacks_is_the_reasons(heading: str, causes: str, tmp_path: Path) -> None:
    text = _tsv_text()
    start, end = text.index("四、产生不足的原因"), text.index("五、2026年工作安排")
    summary = summary_of_text(text[:start] + f"{heading}\n\n{causes}\n\n" + text[end:], tmp_path)
    assert "missing-part:reasons" not in serious_rules(summary)
    assert summary.parts.get("reasons") is not None and len(summary.shortcomings) == 3


def test_a_causes_heading_over_only_achievements_is_still_not_the_reasons(tmp_path: Path) -> None:
    text = _tsv_text()
    start, end = text.index("四、产生不足的原因"), text.index("五、2026年工作安排")
    body = "四、原因分析\n\n全镇执法队伍建设取得新进展，群众满意度持续提升，各项工作走在全县前列。\n\n"
    assert summary_of_text(text[:start] + body + text[end:], tmp_path).parts.get("reasons") is None


@pytest.mark.parametrize("heading", ["七、工作中的薄弱环节及成因", "七、存在问题与原因分析"])
def test_a_heading_naming_problems_and_causes_is_not_the_causes_alone(heading: str, tmp_path: Path) -> None:
    """"薄弱环节及成因" names the 不足 as well: its problems are 不足, not causes."""
    text = THEMATIC.read_text(encoding="utf-8").replace("六、短板弱项", "六、主要困难").replace("七、短板弱项成因分析", heading)
    summary = summary_of_text(text, tmp_path)
    assert summary.parts.get("shortcomings") is not None


@pytest.mark.parametrize(
    ("sub_heading", "year"), [("（三）2025年工作打算", 2025), ("（三）二〇二五年工作计划", 2025), ("（三）2025年重点工作安排", 2025), ("（三）下步打算", None)]
)
def test_causes_on_the_line_after_their_sub_heading_and_the_plan_year_in_its_sub_heading(sub_heading: str, year: int | None, tmp_path: Path) -> None:
    summary = summary_of_text(MERGED.read_text(encoding="utf-8").replace("（三）2025年工作打算", sub_heading), tmp_path)
    assert "missing-part:reasons" not in serious_rules(summary)
    assert all(s.has_reason for s in summary.shortcomings) and len(summary.shortcomings) == 3
    assert summary.meta.plan_year == year


def test_a_year_in_a_sub_heading_that_is_not_the_plans_gives_no_plan_year(tmp_path: Path) -> None:
    text = MERGED.read_text(encoding="utf-8").replace("（三）2025年工作打算\n", "（三）2025年\n")
    assert summary_of_text(text, tmp_path).meta.plan_year is None


@pytest.mark.parametrize("heading", ["五、领导班子“一把手”抓法治情况", "五、“一把手”带头抓法治", "五、主要领导抓法治情况"])
def test_the_first_responsible_part_headed_by_the_one_in_charge(heading: str, tmp_path: Path) -> None:
    text = THEMATIC.read_text(encoding="utf-8").replace("五、领导班子“一把手”抓法治情况", heading)
    summary = summary_of_text(text, tmp_path)
    part = summary.parts.get("first_responsible")
    assert part is not None and part.heading is not None and heading in part.heading


@pytest.mark.parametrize(
    ("line", "chrome"),
    [
        ("首页 | 街道概况 | 政务公开 | 政务服务 | 互动交流 | 专题专栏", True),
        ("首页｜走进梅溪｜政务公开｜办事服务｜政民互动", True),
        ("网站首页丨乡情概况丨信息公开丨政务服务", True),
        ("政务公开 | 政务服务 | 法治政府建设情况报告", False),  # a title among the items is not a menu
        ("执法 | 普法 | 政务公开 | 政务服务", True),
    ],
)
def test_a_bar_menu_of_short_items_is_page_furniture(line: str, chrome: bool) -> None:
    assert is_chrome_line(line) is chrome


def test_the_title_under_a_bar_menu(tmp_path: Path) -> None:
    summary = summary_of_file(ROUND18 / "01-jiedao-portal-related-links-2024.txt")
    assert summary.meta.title == "南关街道2024年度法治政府建设情况报告"


@pytest.mark.parametrize(
    ("clause", "name"),
    [
        ("三是对3件涉及山林权属的纠纷开展联合调处。", "涉及山林权属的纠纷开展联合调处"),
        ("1.乡综合行政执法队现有持证执法人员9人。", "乡综合行政执法队现有持证执法人员"),
        ("（二）全年办理行政复议案件4件。", "办理行政复议案件"),
        ("在赶集日设摊宣传12次。", "在赶集日设摊宣传"),
    ],
)
def test_an_indicator_is_not_named_after_its_points_number(clause: str, name: str, tmp_path: Path) -> None:
    text = _tsv_text().replace("（七）自觉接受监督。", f"（七）自觉接受监督。{clause}")
    summary = summary_of_text(text, tmp_path)
    start = text.index(clause)
    names = [i.name for i in summary.indicators if start <= i.evidence.start < start + len(clause)]
    assert names and names[0] == name


_TABLE = "指标\t{a}\t{b}\t比上年增减\n矛盾纠纷化解率\t97.18%\t98.00%\t+0.82个百分点\n行政复议纠错率\t3.5%\t2.0%\t-1.5个百分点\n"


@pytest.mark.parametrize(("columns", "kept", "dropped"), [(("2024年", "2025年"), ["98%", "2%"], ["97.18%", "3.5%"]), (("2025年", "2024年"), ["97.18%", "3.5%"], ["98%", "2%"])])
def test_a_rate_in_last_years_column_is_not_this_years_indicator(columns: tuple[str, str], kept: list[str], dropped: list[str], tmp_path: Path) -> None:
    """A 2025 report's table "指标 | 2024年 | 2025年 | 比上年增减": the rate under 2024年 carries its
    "%" and was listed beside this year's as a second value of the same indicator."""
    table = _TABLE.format(a=columns[0], b=columns[1])
    text = _tsv_text().replace("（七）自觉接受监督。", table + "（七）自觉接受监督。")
    start = text.index(table)
    found = {f"{i.value:g}{i.unit}" for i in summary_of_text(text, tmp_path).indicators if start <= i.evidence.start < start + len(table)}
    assert set(kept) <= found and not set(dropped) & found, found


def test_a_table_without_years_keeps_every_rate(tmp_path: Path) -> None:
    table = "指标\t上半年\t全年\n矛盾纠纷化解率\t96.5%\t98.5%\n"
    text = _tsv_text().replace("（七）自觉接受监督。", table + "（七）自觉接受监督。")
    start = text.index(table)
    found = {f"{i.value:g}{i.unit}" for i in summary_of_text(text, tmp_path).indicators if start <= i.evidence.start < start + len(table)}
    assert {"96.5%", "98.5%"} <= found


@pytest.mark.parametrize("path", [ROUND18 / "04-zhen-word-autonumber-tabs-2024.txt", ROUND18.parent / "round2" / "r2-word-autonumber-tabs.txt"])
def test_a_points_text_starts_after_words_numbering_tab(path: Path) -> None:
    """"（一）\\t行政执法信息化水平不高": the 不足 and measures read "行政执法…", not "\\t行政执法…"."""
    summary = summary_of_file(path)
    texts = [item.text for item in (*summary.shortcomings, *summary.measures)]
    assert texts and all(text == text.strip() for text in texts), texts
