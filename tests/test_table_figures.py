"""Figures in a pasted table whose unit is not beside the number (``facts.tables``).

The 主要指标 table of a report puts the unit in a 单位 column or in the column's header, and its
main column holds bare numbers: "行政处罚案件\t件\t38\t17\t123.5%". Before, only the 增幅 cell (which
carries its "%") became an indicator; the year's 38 件 did not, and the quote of a table figure was
the bare cell ("123.5%"), which no reader can place. Variants: a 单位 column with this year first or
last, a unit in the header ("数量（件）", "2024年（万元）"), a Word table, and tables that must give
nothing (no unit anywhere, an index column, a schedule with dates, a plan table of targets).
A two-column table ("行政处罚案件（件）　　38") is read when normalize sees a run of three two-cell
rows or more, two of them with a figure: it keeps their cell gaps as tabs, and the unit may close
the row's name. A single line with one gap (a 落款 "中共…委员会　　…人民政府", a contact line) is no
table, and its gap is dropped as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import assert_verbatim
from fazhi_review.analysis import analyze_path
from fazhi_review.engine.offline import summarize_offline
from fazhi_review.models import ReportSummary
from fazhi_review.normalize import normalize_text
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


@pytest.mark.parametrize(
    "table",
    [
        "指标　　　　数值\n行政处罚案件（件）　　38\n法律顾问出具意见（份）　　46\n普法宣传活动（场次）　　22\n",  # pasted, full-width blanks
        "指标\t2024年\n行政处罚案件(件)\t38\n法律顾问出具意见(份)\t46\n普法宣传活动(场次)\t22\n",  # tabs, half-width brackets
        "主要指标    完成数\n行政处罚案件（件）    38\n法律顾问出具意见（份）    46\n普法宣传活动（场次）    22\n",  # ASCII blanks
    ],
    ids=["full-width-blanks", "tabs", "ascii-blanks"],
)
def test_a_two_column_table_with_the_unit_closing_the_name(tmp_path: Path, table: str) -> None:
    figures = _figures(_summary(tmp_path, table)[0])
    assert {name: value[:2] for name, value in figures.items()} == {"行政处罚案件": (38, "件"), "法律顾问出具意见": (46, "份"), "普法宣传活动": (22, "场次")}
    assert figures["行政处罚案件"][2].startswith("行政处罚案件") and figures["行政处罚案件"][2].endswith("38")


def test_a_word_two_column_table(tmp_path: Path) -> None:
    rows = [("项目", "数量（件）"), ("调解矛盾纠纷", "118"), ("办理行政复议", "3"), ("受理法律援助", "26")]
    path = write_docx_rows([*OPENING.splitlines(), "　　主要指标完成情况如下："], rows, CLOSING.splitlines(), tmp_path)
    analysis = analyze_path(path)
    summary = summarize_offline(analysis)
    assert_verbatim(summary, analysis.document.text)
    figures = _figures(summary)
    assert {name: value[:2] for name, value in figures.items() if value[1] == "件"} == {"调解矛盾纠纷": (118, "件"), "办理行政复议": (3, "件"), "受理法律援助": (26, "件")}


@pytest.mark.parametrize(
    "lines",
    [
        "中共青石镇委员会　　青石镇人民政府\n2025年2月20日\n",  # a joint 落款: one gap, one line
        "联系人：王明　　联系电话：12345678\n",  # a contact line
        "行政处罚案件（件）　　38\n法律顾问出具意见（份）　　46\n以上数据截至年底。\n",  # two rows: too few for a table
        "学雷锋普法活动　　3月5日\n宪法宣传日活动　　12月4日\n民法典宣传月　　5月\n",  # a schedule, no figure counted
    ],
    ids=["joint-signature", "contact", "two-rows", "schedule"],
)
def test_lines_with_one_gap_that_are_no_table(tmp_path: Path, lines: str) -> None:
    clean = normalize_text(lines).text
    if "3月5日" in lines:  # a run of rows without counted figures keeps its gaps, but yields no indicator
        summary, text = _summary(tmp_path, lines)
        start = text.index(lines)
        assert not [i for i in summary.indicators if start <= i.evidence.start < start + len(lines)]
    else:
        assert "\t" not in clean
