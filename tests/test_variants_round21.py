"""Red-team round 21: Word and web pages as offices make them (tests/variants/round21/): numbering
restarted with "设置编号值", tracked changes and soft breaks, a 落款 in a text box, the 不足 as a
"问题 | 整改措施" table, a 目录 and an annex table in a text box, a report shown in an <iframe>
(srcdoc, and saved by Chrome as .mhtml with the frame as a part of its own), a print view, an IE
.mht and a WeChat article.

Fixed: a tracked-deleted numbered paragraph (or an empty one) crashed the summary (exit 1, 内部错误)
on a point with no words; the report in an <iframe> was dropped (a false 高 not-a-report); the
不足 written as a table were not read; Word's start overrides and lists continued across instances
were not followed; a WeChat byline and buttons were read as text (a false 低 repeated-text); a
cause's 三是 became a 不足 when its point ran on to the part's end.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import serious_rules, summary_of_file, summary_of_text
from fazhi_review.errors import InputError
from fazhi_review.ingest import read_document
from fazhi_review.models import REQUIRED_PARTS
from fazhi_review.normalize import normalize_text

ROUND21 = Path(__file__).parent / "variants" / "round21"
COMPLETE = sorted(path.name for path in ROUND21.iterdir() if "DEFECT" not in path.name)


@pytest.mark.parametrize("name", COMPLETE)
def test_a_complete_report_has_no_serious_finding_and_reads_whole(name: str) -> None:
    summary = summary_of_file(ROUND21 / name)
    assert not serious_rules(summary)
    assert all(summary.parts.get(part) for part in REQUIRED_PARTS)
    assert len(summary.shortcomings) == 3 and all(s.has_reason for s in summary.shortcomings)
    assert summary.measures and all(m.text.strip() for m in summary.measures)
    assert summary.meta.plan_year == summary.meta.report_year + 1  # type: ignore[operator]
    assert summary.meta.signed_date is not None


@pytest.mark.parametrize(
    ("name", "rule"),
    [("d3-xiang-textbox-signoff-problem-table-DEFECT-late-2024.docx", "late-report"), ("h4-zhen-wechat-sections-inline-styles-DEFECT-hetongfa-2024.html", "outdated-reference")],
)
def test_the_planted_defect_alone_is_found(name: str, rule: str) -> None:
    assert serious_rules(summary_of_file(ROUND21 / name)) == {rule}


# ---------------------------------------------------------------- Word


@pytest.mark.parametrize("name", ["d2-jiedao-tracked-changes-softbreaks-2025.docx", "d5-jiedao-trailing-empty-numbered-item-2025.docx"])
def test_a_numbered_paragraph_with_no_words_is_no_point(name: str) -> None:
    """A tracked-deleted list item is gone, numbers and all (Word shows （一）–（四）); an empty list
    paragraph after the last item is no measure. Both crashed the summary."""
    text = read_document(ROUND21 / name).text
    summary = summary_of_file(ROUND21 / name)
    assert [m.text for m in summary.measures] == ["加强执法队伍建设", "盘活社区普法阵地", "深化矛盾纠纷源头治理", "健全责任落实机制"]
    assert "七五" not in text  # deleted text is never read


def test_the_tracked_deleted_item_takes_no_number() -> None:
    text = read_document(ROUND21 / "d2-jiedao-tracked-changes-softbreaks-2025.docx").text
    plan = text[text.index("2026年") :]
    assert "（四）健全责任落实机制" in plan and "（五）" not in plan


def test_words_start_override_and_a_list_continued() -> None:
    """Parts 三 and 四 on a second list instance set to start at 3 ("设置编号值")."""
    text = read_document(ROUND21 / "d1-zhen-manualfmt-listnum-setvalue-footnote-2024.docx").text
    assert "三、存在的不足及原因" in text and "四、2025年工作安排" in text
    summary = summary_of_file(ROUND21 / "d1-zhen-manualfmt-listnum-setvalue-footnote-2024.docx")
    assert summary.parts["shortcomings"] is not None and summary.parts["shortcomings"].heading == "三、存在的不足及原因"


def test_shortcomings_written_as_a_problem_table() -> None:
    summary = summary_of_file(ROUND21 / "d3-xiang-textbox-signoff-problem-table-DEFECT-late-2024.docx")
    assert [s.text[:10] for s in summary.shortcomings] == ["执法人员数量少、专业", "普法宣传形式较为单一", "村规民约修订不及时，"]


_PROBLEMS = [
    ("执法人员数量少、专业化程度不高，9名执法人员均为兼职。", "选派执法人员参加培训，年内新增持证执法人员2名。"),
    ("普法宣传形式较为单一，对留守老人宣传效果不明显。", "开展“法律明白人”入户宣讲，每季度不少于1次。"),
]


@pytest.mark.parametrize("header", ["问题\t整改措施", "存在问题\t整改措施\t责任单位\t完成时限", "主要问题\t整改举措"])
def test_a_problem_table_in_a_txt(header: str, tmp_path: Path) -> None:
    base = (ROUND21.parent / "round18" / "06-jiedao-history-ducha-shufa-2024.txt").read_text(encoding="utf-8")
    start, end = base.index("三、存在的不足和原因"), base.index("四、2025年工作安排")
    columns = header.count("\t") + 1
    rows = "\n".join("\t".join([problem, measure, "街道司法所", "2025年6月底"][:columns]) for problem, measure in _PROBLEMS)
    causes = "产生上述问题的原因：一是街道编制紧张，执法力量补充不足；二是普法工作缺少专项经费。"
    text = base[:start] + f"三、存在的不足和原因\n经对照检查，还存在以下问题：\n{header}\n{rows}\n{causes}\n" + base[end:]
    summary = summary_of_text(text, tmp_path)
    assert [s.text for s in summary.shortcomings] == [problem for problem, _ in _PROBLEMS]
    assert not serious_rules(summary)


def test_a_form_row_is_no_table_of_columns() -> None:
    assert "报告单位杉木乡人民政府" in normalize_text("报告单位\t杉木乡人民政府\n报告年度\t2024年度\n").text


# ---------------------------------------------------------------- web pages


_FRAMED = """<html><head><meta charset="utf-8"><title>门户</title></head><body>
<div class="nav">首页 | 政务公开 | 政务服务</div>
<iframe {attr}></iframe>
<div class="footer">版权所有：某县人民政府</div></body></html>"""


def test_a_report_in_an_iframe_srcdoc_is_read(tmp_path: Path) -> None:
    inner = (ROUND21.parent / "round18" / "06-jiedao-history-ducha-shufa-2024.txt").read_text(encoding="utf-8")
    paragraphs = "".join(f"<p>{line}</p>" for line in inner.splitlines() if line.strip())
    srcdoc = paragraphs.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    page = tmp_path / "framed.html"
    page.write_text(_FRAMED.format(attr=f'srcdoc="{srcdoc}"'), encoding="utf-8")
    summary = summary_of_file(page)
    assert not serious_rules(summary) and all(summary.parts.get(part) for part in REQUIRED_PARTS)


def test_an_iframe_of_another_address_is_not_fetched(tmp_path: Path) -> None:
    page = tmp_path / "framed.html"
    page.write_text(_FRAMED.format(attr='src="https://example.gov.cn/report.html"'), encoding="utf-8")
    try:
        text = read_document(page).text
    except InputError as error:  # nothing but the page's own furniture: no report in it
        assert "没有找到报告正文" in str(error)
    else:
        assert len(text) < 40, text


def test_chromes_saved_frame_part_is_read() -> None:
    text = read_document(ROUND21 / "h5-jiedao-chrome-mhtml-iframe-part-2024.mhtml").text
    assert "三、存在的不足" in text or "存在的不足" in text


@pytest.mark.parametrize(
    ("line", "dropped"),
    [
        ("清水镇人民政府 清水发布 2025年02月27日 11:30 湖南", True),
        ("桃源发布　2025-01-22 18:30", True),
        ("编辑：刘芳　审核：陈立新", True),
        ("阅读原文", True),
        ("预览时标签不可点", True),
        ("清水镇人民政府", False),
        ("2025年2月26日", False),
    ],
)
def test_a_wechat_articles_byline_and_buttons(line: str, dropped: bool) -> None:
    text = f"某镇2024年法治政府建设情况报告\n{line}\n一、主要举措和成效\n全年办理行政处罚案件36件。"
    assert (line not in normalize_text(text).text) is dropped


def test_a_causes_third_point_running_on_is_no_shortcoming() -> None:
    summary = summary_of_file(ROUND21 / "h4-zhen-wechat-sections-inline-styles-DEFECT-hetongfa-2024.html")
    assert not [s.text for s in summary.shortcomings if "培训指导" in s.text]
