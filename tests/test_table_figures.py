"""Figures in a pasted table whose unit is not beside the number (``facts.tables``).

The 主要指标 table of a report puts the unit in a 单位 column or in the column's header, and its
main column holds bare numbers: "行政处罚案件\t件\t38\t17\t123.5%". Before, only the 增幅 cell (which
carries its "%") became an indicator; the year's 38 件 did not, and the quote of a table figure was
the bare cell ("123.5%"), which no reader can place. Variants: a 单位 column with this year first or
last, a unit in the header ("数量（件）", "2024年（万元）"), a Word table, and tables that must give
nothing (no unit anywhere, an index column, a schedule with dates, a plan table of targets).
A two-column table is not read: normalize keeps cell gaps only in rows of three cells or more (a
落款 "中共…委员会　　…人民政府" has one gap), so its cells run together before this stage.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import assert_verbatim
from fazhi_review.analysis import analyze_path
from fazhi_review.engine.offline import summarize_offline
from fazhi_review.models import ReportSummary
from fixtures_formats import write_docx_rows

OPENING = "青石镇2024年度法治政府建设情况报告\n县委全面依法治县委员会办公室：\n　　2024年，我镇深入学习贯彻习近平法治思想，现将有关情况报告如下。\n一、主要举措和成效\n"
CLOSING = (
    "二、党政主要负责人履行推进法治建设第一责任人职责情况\n镇党委书记召开专题会议研究法治建设工作。\n"
    "三、存在的不足和原因\n执法人员专业能力不足，主要原因是培训不够。\n"
    "四、2025年工作打算\n全年开展执法培训，提升执法水平。\n青石镇人民政府\n2025年2月20日\n"
)


def _summary(tmp_path: Path, table: str, name: str = "report.txt") -> tuple[ReportSummary, str]:
    text = OPENING + "　　主要指标完成情况如下：\n" + table + CLOSING
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    summary = summarize_offline(analyze_path(path))
    assert_verbatim(summary, text)
    return summary, text


def _figures(summary: ReportSummary) -> dict[str, tuple[float, str, str]]:
    return {i.name: (i.value, i.unit, i.evidence.quote) for i in summary.indicators}


def test_a_unit_column_gives_this_years_figure_with_its_row_as_the_quote(tmp_path: Path) -> None:
    table = "序号\t指标名称\t单位\t2024年\t2023年\t增幅\n1\t行政处罚案件\t件\t38\t17\t123.5%\n2\t法律顾问出具意见\t份\t46\t30\t53.3%\n"
    figures = _figures(_summary(tmp_path, table)[0])
    assert figures["行政处罚案件"] == (38, "件", "行政处罚案件\t件\t38")
    assert figures["法律顾问出具意见"] == (46, "份", "法律顾问出具意见\t份\t46")
    # the change column keeps its own figure, now quoted with the row that explains it
    assert figures["行政处罚案件增幅"] == (123.5, "%", "行政处罚案件\t件\t38\t17\t123.5%")
    assert not any(value == 17 for value, _, _ in figures.values()), "last year's column is not this year's figure"


def test_the_report_years_column_is_read_wherever_it_stands(tmp_path: Path) -> None:
    table = "项目\t单位\t2023年\t2024年\t同比\n罚没款金额\t万元\t18.6\t23.4\t增长25.8%\n执法案卷合格率\t%\t92.5\t96.8\t提高4.3个百分点\n"
    figures = _figures(_summary(tmp_path, table)[0])
    assert figures["罚没款金额"][:2] == (23.4, "万元") and figures["执法案卷合格率"][:2] == (96.8, "%")


@pytest.mark.parametrize(
    ("header", "unit"),
    [("指标\t数量（件）\t备注", "件"), ("工作内容\t2024年（万元）\t2023年（万元）", "万元"), ("事项\t完成数(单位：场次)\t计划数(单位：场次)", "场次")],
)
def test_a_unit_in_the_figure_columns_header(tmp_path: Path, header: str, unit: str) -> None:
    table = f"{header}\n化解矛盾纠纷\t126\t120\n开展普法宣传\t22\t20\n"
    figures = {value for value, found, _ in _figures(_summary(tmp_path, table)[0]).values() if found == unit}
    assert figures == {126, 22}


def test_a_word_table_with_a_unit_column(tmp_path: Path) -> None:
    rows = [("指标", "单位", "数量"), ("调解矛盾纠纷", "件", "118"), ("持证执法人员", "名", "10")]
    before = [*OPENING.splitlines(), "　　主要指标完成情况如下："]
    path = write_docx_rows(before, rows, CLOSING.splitlines(), tmp_path)
    analysis = analyze_path(path)
    summary = summarize_offline(analysis)
    assert_verbatim(summary, analysis.document.text)
    figures = _figures(summary)
    assert figures["调解矛盾纠纷"][:2] == (118, "件") and figures["持证执法人员"][:2] == (10, "名")


@pytest.mark.parametrize(
    "table",
    [
        "村名\t户数\t人口\n石桥村\t312\t1046\n青山村\t280\t905\n",  # no unit anywhere: nothing is guessed
        "序号\t工作事项\t责任单位\n1\t开展普法宣传\t司法所\n2\t调解矛盾纠纷\t综治中心\n",  # only an index column holds numbers
        "时间\t活动内容\t参加人数（人）\n3月5日\t学雷锋普法活动\t约60\n12月4日\t宪法宣传日活动\t80余\n",  # figure cells with words
    ],
    ids=["no-unit", "index-only", "not-bare"],
)
def test_tables_that_state_no_figure_give_none(tmp_path: Path, table: str) -> None:
    summary, text = _summary(tmp_path, table)
    table_start = text.index(table)
    assert not [i for i in summary.indicators if table_start <= i.evidence.start < table_start + len(table)]


def test_a_plan_table_of_targets_is_not_this_years_achievement(tmp_path: Path) -> None:
    text = OPENING + "　　全年开展普法活动20场次。\n" + CLOSING.replace(
        "全年开展执法培训，提升执法水平。\n", "全年开展执法培训，主要目标如下：\n指标\t单位\t2025年目标\n执法培训\t次\t6\n普法活动\t场次\t24\n"
    )
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    summary = summarize_offline(analyze_path(path))
    assert [(i.value, i.unit) for i in summary.indicators] == [(20, "场次")]


def test_the_overall_assessment_cites_sentences_not_table_rows(tmp_path: Path) -> None:
    """The 总体评价 cites concrete points; a row of the indicator table ("行政处罚案件件38") is
    not one, though its figure is an indicator."""
    from fazhi_review.review import draft_review

    table = "序号\t指标名称\t单位\t2024年\t2023年\t增幅\n1\t行政处罚案件\t件\t38\t17\t123.5%\n2\t法律顾问出具意见\t份\t46\t30\t53.3%\n"
    summary, _ = _summary(tmp_path, table.replace("\t", "    "))  # pasted as text, the cells apart by blanks
    assert {i.name for i in summary.indicators} >= {"行政处罚案件", "法律顾问出具意见"}
    draft = draft_review(summary)
    cited = [point.text for point in draft.overall.highlights]
    assert not [text for text in cited if "行政处罚案件" in text or "法律顾问出具意见" in text], cited


def test_a_portal_pages_table_with_a_unit_column(tmp_path: Path) -> None:
    """A saved portal page's <table> (cells in <p>, as UEditor writes them) comes out tab-led too."""
    rows = [("序号", "指标名称", "单位", "2024年", "2023年"), ("1", "行政处罚案件", "件", "38", "17"), ("2", "法律顾问出具意见", "份", "46", "30")]
    table = "<table>" + "".join("<tr>" + "".join(f"<td><p>{cell}</p></td>" for cell in row) + "</tr>" for row in rows) + "</table>"
    paragraphs = "".join(f"<p>{line}</p>" for line in (OPENING + "　　主要指标完成情况如下：").splitlines())
    closing = "".join(f"<p>{line}</p>" for line in CLOSING.splitlines())
    page = f"<html><head><meta charset='utf-8'><title>青石镇</title></head><body><div class='article'>{paragraphs}{table}{closing}</div></body></html>"
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    analysis = analyze_path(path)
    summary = summarize_offline(analysis)
    assert_verbatim(summary, analysis.document.text)
    figures = _figures(summary)
    assert figures["行政处罚案件"] == (38, "件", "行政处罚案件\t件\t38") and figures["法律顾问出具意见"][:2] == (46, "份")
