"""Red-team round 19: eight reports as offices produce them (tests/variants/round19/): Word files
(numbering from heading styles, an indicator table with a two-row merged header, a report written
into a two-column form), portal pages (GBK, TRS editor, run-in <strong> headings) and PDFs with
running heads and page numbers; two carry one defect each.

Fixed:
- the form (a part's name in the left cell, its text in the right) gave three false 高 and a false
  中 missing-part: the name ran into its text; it is now a line of its own, as a heading;
- the table's header "类别 | 指标 | 数值 | 同比" over "2023年 | 2024年" was not read: the 同比
  column's "+29.3%" stood as 行政处罚案件's figure, last year's "95.4%" beside this year's;
- a PDF's two-line running head ("龙泉镇人民政府" / "法治政府建设年度报告") was the title;
- "24名持证执法人员中法律专业毕业的仅3人" named the 24 after the part.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import serious_rules, summary_of_file, summary_of_text
from fazhi_review.ingest import read_document
from fazhi_review.models import REQUIRED_PARTS
from fazhi_review.normalize import normalize_text

ROUND19 = Path(__file__).parent / "variants" / "round19"
COMPLETE = sorted(path.name for path in ROUND19.iterdir() if "DEFECT" not in path.name)
FORM = ROUND19 / "d3-xiang-form-table-label-content-2024.docx"
TABLE = ROUND19 / "d2-jiedao-indicator-table-merged-header-2024.docx"


@pytest.mark.parametrize("name", COMPLETE)
def test_a_complete_report_has_no_serious_finding_and_reads_whole(name: str) -> None:
    summary = summary_of_file(ROUND19 / name)
    assert not serious_rules(summary)
    assert all(summary.parts.get(part) for part in REQUIRED_PARTS)
    assert summary.shortcomings and summary.measures and all(s.has_reason for s in summary.shortcomings)
    assert summary.meta.plan_year == summary.meta.report_year + 1  # type: ignore[operator]
    assert summary.meta.signed_date is not None and summary.meta.issuer


@pytest.mark.parametrize(
    ("name", "rule"),
    [("h3-xiang-portal-gb2312-tables-DEFECT-planyear.html", "plan-year-mismatch"), ("p2-jiedao-pdf-redhead-oddeven-pageno-DEFECT-no-first-resp-2024.pdf", "missing-part:first_responsible")],
)
def test_the_planted_defect_alone_is_found(name: str, rule: str) -> None:
    assert serious_rules(summary_of_file(ROUND19 / name)) == {rule}


# ---------------------------------------------------------------- a report written into a form


def _form_text() -> str:
    return read_document(FORM).text


_NUMBERS = {"主要举措和成效": "一、", "党政主要负责人履行推进法治建设第一责任人职责情况": "二、", "存在的不足": "三、", "原因分析": "四、", "2025年主要工作安排": "五、"}


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda text: text, id="tabs"),
        pytest.param(lambda text: text.replace("\t", "　　"), id="blanks"),
        pytest.param(lambda text: "".join(f"{_NUMBERS.get(line.split(chr(9))[0], '')}{line}\n" for line in text.splitlines()), id="numbered"),
        pytest.param(lambda text: text.replace("存在的不足\t", "存在问题\t").replace("原因分析\t", "问题成因\t"), id="renamed"),
    ],
)
def test_a_form_rows_label_heads_its_text(variant: object, tmp_path: Path) -> None:
    summary = summary_of_text(variant(_form_text()), tmp_path)  # type: ignore[operator]
    assert not serious_rules(summary)
    assert all(summary.parts.get(part) for part in REQUIRED_PARTS)
    assert (len(summary.shortcomings), len(summary.measures)) == (4, 5)
    assert str(summary.meta.signed_date) == "2025-02-12"


def test_a_two_column_indicator_table_is_not_a_form() -> None:
    text = "主要指标\n行政处罚案件（件）\t38\n合法性审查（件）\t41\n法律顾问出具法律意见（份）\t20\n"
    assert "行政处罚案件（件）\t38" in normalize_text(text).text


def test_a_form_row_of_a_short_answer_stays_one_line() -> None:
    """Only a part's text (longer than a table cell) or the date is set under its label."""
    assert "报告单位杉木乡人民政府" in normalize_text(_form_text()).text


# ---------------------------------------------------------------- a header of two rows


def _table_indicators(text: str, tmp_path: Path) -> dict[str, str]:
    summary = summary_of_text(text, tmp_path)
    return {i.name: f"{i.value:g}{i.unit}" for i in summary.indicators if "\t" in i.evidence.quote}


@pytest.mark.parametrize("years", ["2023年\t2024年", "2023年度\t2024年度"])
def test_a_column_split_by_year_under_a_merged_header(years: str, tmp_path: Path) -> None:
    body = read_document(TABLE).text
    text = body.replace("\t\t2023年\t2024年\t", "\t\t" + years + "\t")
    found = _table_indicators(text, tmp_path)
    assert found["行政处罚案件"] == "53件" and found["评查执法案卷"] == "25卷" and found["行政复议、行政诉讼案件"] == "2件"
    assert found["调解成功率"] == "97.2%" and found["行政处罚案件同比"] == "29.3%"
    assert "95.4%" not in found.values()


def test_a_one_row_header_is_read_as_before(tmp_path: Path) -> None:
    body = read_document(TABLE).text
    text = body.replace("类别\t指标\t数值\t同比\n\t\t2023年\t2024年\t", "类别\t指标\t2023年\t2024年\t同比")
    found = _table_indicators(text, tmp_path)
    assert found["行政处罚案件"] == "53件" and found["调解成功率"] == "97.2%" and "95.4%" not in found.values()


# ---------------------------------------------------------------- a PDF's running head


_BODY_1 = "一、主要举措和成效\n全年办理行政处罚案件36件，开展案卷评查1次，评查案卷\n"
_BODY_2 = "12卷，无行政复议案件。\n二、存在的不足\n"


@pytest.mark.parametrize(
    ("head", "title", "kept"),
    [
        ("龙泉镇人民政府\n法治政府建设年度报告", "龙泉镇2025年法治政府建设情况报告", ["龙泉镇2025年法治政府建设情况报告"]),
        ("龙泉镇2025年法治政府建设情况报告", "龙泉镇2025年法治政府建设情况报告", ["龙泉镇2025年法治政府建设情况报告"]),
        ("中共龙泉镇委员会\n龙泉镇人民政府\n年度报告", "龙泉镇2025年法治政府建设情况报告", ["龙泉镇2025年法治政府建设情况报告"]),
        ("龙泉镇人民政府文件", "龙泉镇2025年法治政府建设情况报告", ["龙泉镇人民政府文件", "龙泉镇2025年法治政府建设情况报告"]),
    ],
)
def test_a_running_head_of_several_lines_leaves_the_title(head: str, title: str, kept: list[str]) -> None:
    original = f"{head}\n{title}\n{_BODY_1}- 1 -\f{head}\n{_BODY_2}- 2 -"
    clean = normalize_text(original).text
    assert clean.split("\n")[: len(kept)] == kept
    assert "评查案卷12卷" in clean and "- 2 -" not in clean
    assert clean.count(head.split("\n")[0]) == (1 if head.split("\n")[0] in kept else 0)


def test_the_title_of_a_pdf_under_a_two_line_running_head() -> None:
    assert summary_of_file(ROUND19 / "p1-zhen-pdf-running-header-dash-pageno-2025.pdf").meta.title == "龙泉镇2025年法治政府建设情况报告"


# ---------------------------------------------------------------- a part of a count


@pytest.mark.parametrize(
    ("clause", "names"),
    [
        ("24名持证执法人员中法律专业毕业的仅3人", {24: "持证执法人员", 3: "法律专业毕业的"}),
        ("31名执法人员中50岁以上的有13名", {31: "执法人员", 13: "50岁以上的"}),
        ("8名执法人员中仅1人具有法律专业背景", {8: "执法人员", 1: "具有法律专业背景"}),
    ],
)
def test_the_whole_and_its_part_are_named_apart(clause: str, names: dict[int, str], tmp_path: Path) -> None:
    base = (ROUND19.parent / "round18" / "05-zhen-tsv-table-2025.txt").read_text(encoding="utf-8")
    text = base.replace("（七）自觉接受监督。", f"（七）自觉接受监督。全镇{clause}。")
    summary = summary_of_text(text, tmp_path)
    at = text.index(f"全镇{clause}")
    found = {int(i.value): i.name for i in summary.indicators if at <= i.evidence.start < at + len(clause) + 2}
    assert found == names
