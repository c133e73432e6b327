"""A 目录 (table of contents) at the top of a report exported from Word.

Its entries are the report's headings again: read as headings they gave a part whose content
was the 目录's tail, the salutation and the opening paragraph ("下一年度主要安排：第105–221字"),
a false 文字重复 (the entry repeats the heading) and a false 标题序号 finding. The 目录 is now
dropped from the clean text (kept in the original, so offsets are unaffected): dot-led entries
anywhere, tab-led entries (how a .docx 目录 field's text comes out) only below a 目录 title.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import assert_verbatim
from fazhi_review.analysis import analyze_path
from fazhi_review.engine.offline import summarize_offline
from fazhi_review.models import REQUIRED_PARTS, ReportSummary
from fixtures_formats import write_docx

ROUND6 = Path(__file__).parent / "variants" / "round6-lead"
BODY = (
    "县委全面依法治县委员会办公室：\n　　2024年，我镇深入学习贯彻习近平法治思想，现将有关情况报告如下。\n"
    "一、主要举措和成效\n　　全年办理行政处罚案件12件，开展普法活动15场次。\n"
    "二、党政主要负责人履行推进法治建设第一责任人职责情况\n　　镇党委书记召开专题会议研究法治建设4次。\n"
    "三、存在的不足和原因\n　　执法人员专业能力不足，主要原因是培训不够。\n"
    "四、2025年工作打算\n　　全年组织执法培训不少于4次。\n青石镇人民政府\n2025年2月20日"
)
TAB_CONTENTS = "目录\n一、主要举措和成效\t1\n二、党政主要负责人履行推进法治建设第一责任人职责情况\t2\n三、存在的不足和原因\t3\n四、2025年工作打算\t3\n"
DOT_CONTENTS = "目　录\n一、主要举措和成效 ............................ 1\n二、党政主要负责人履行推进法治建设第一责任人职责情况 .... 2\n三、存在的不足和原因 ·························· 3\n四、2025年工作打算 ___________________________ 3\n"


def _check(summary: ReportSummary, text: str) -> None:
    assert_verbatim(summary, text)
    assert all(summary.parts.get(part) for part in REQUIRED_PARTS), summary.parts
    contents_end = text.index("县委全面依法治县委员会办公室")
    assert all(location.start >= contents_end for location in summary.parts.values() if location), "a part starts in the 目录"
    assert not [r.rule_id for r in summary.risks], [r.explanation for r in summary.risks]


def test_a_dot_led_contents_page_before_a_2025_report(tmp_path: Path) -> None:
    path = ROUND6 / "contents-dot-leaders-2025.txt"
    text = path.read_text(encoding="utf-8")
    summary = summarize_offline(analyze_path(path))
    assert_verbatim(summary, text)
    assert summary.meta.report_year == 2025 and str(summary.meta.signed_date) == "2026-01-20"
    assert summary.parts["next_year_plan"] is not None and text[summary.parts["next_year_plan"].start :].startswith("四、二〇二六年工作打算\n")
    assert not summary.risks
    names = {i.name for i in summary.indicators}  # Chinese numerals: 十二件 / 较上年增加三件 / 仅六名
    assert {"办理行政处罚案件", "办理行政处罚案件较上年增加", "持证执法人员"} <= names, names


@pytest.mark.parametrize("contents", [DOT_CONTENTS, TAB_CONTENTS], ids=["dots-and-rules", "tabs"])
def test_contents_pasted_into_a_text(tmp_path: Path, contents: str) -> None:
    text = "青石镇2024年度法治政府建设情况报告\n" + contents + BODY
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    _check(summarize_offline(analyze_path(path)), text)


def test_a_word_contents_field(tmp_path: Path) -> None:
    path = write_docx("青石镇2024年度法治政府建设情况报告\n" + TAB_CONTENTS + BODY, tmp_path)
    analysis = analyze_path(path)
    assert "目录\n一、主要举措和成效\t1" in analysis.document.text  # the entries come out tab-led
    _check(summarize_offline(analysis), analysis.document.text)


def test_a_two_cell_row_without_a_contents_title_stays(tmp_path: Path) -> None:
    text = BODY.replace("开展普法活动15场次。\n", "开展普法活动15场次。\n行政处罚案件\t12\n普法活动\t15\n")
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    analysis = analyze_path(path)
    assert "行政处罚案件" in analysis.norm.text.split("二、")[0].split("15场次。")[1]
