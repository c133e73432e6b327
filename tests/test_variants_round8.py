"""Red-team round 8: formats and less common writers (tests/variants/round8/; the .docx and .html
were generated with python-docx and by hand as a county portal saves its pages).

The defects they found, each fixed with the report that showed it and variants:
- a Word indicator table with a merged 类别 column: the merge leaves empty paragraphs in the first
  cell, which cut the row over several lines, so every figure came from the 同比 column
  ("持证执法人员+ 20 %") and this year's were lost; the rows below the merged cell lost their first
  cell (cleaned as a leading blank); and a "-25.8%" change was read as 25.8;
- a 问题清单 written "问题1：…问题4：" gave fragments instead of its four 不足; its 整改清单 pasted as a
  table ("序号 问题 整改措施 责任单位 完成时限") gave the 问题 cells as measures;
- "五是2025年底前完成…" was not a point, so the fifth measure was lost;
- a 产业园管委会 had no issuer, so the letter was addressed to a blank;
- the letter was signed by the 县委 office though the report is addressed to 区委依法治区办, and its
  总体评价 cited the same two figures twice.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import serious_rules, summary_of_file, summary_of_text
from fazhi_review.models import REQUIRED_PARTS, ReportSummary
from fazhi_review.review import draft_review

ROUND8 = Path(__file__).parent / "variants" / "round8"
FILES = sorted(path.name for path in ROUND8.iterdir())


def _summary(name: str) -> ReportSummary:
    return summary_of_file(ROUND8 / name)


@pytest.mark.parametrize("name", FILES)
def test_no_false_finding_and_every_statutory_part(name: str) -> None:
    summary = _summary(name)
    present = {part for part in REQUIRED_PARTS if summary.parts.get(part)}
    # t04 and t05 give no causes at all: their 中 missing-part:reasons is right; h03 is signed late
    expected = {"t04-yishi-runin-renamed-2024.txt": {"missing-part:reasons"}, "t05-problem-list-rectification-table-2024.txt": {"missing-part:reasons"}}
    expected["h03-portal-street-h4-wenhao-2024.html"] = {"late-report"}
    assert serious_rules(summary) == expected.get(name, set())
    assert present | ({"reasons"} if name in expected and name.startswith("t0") else set()) == set(REQUIRED_PARTS)


def test_a_word_table_with_a_merged_category_column() -> None:
    figures = {i.name: (i.value, i.unit) for i in _summary("d02-word-table-indicators-2024.docx").indicators}
    assert figures["持证执法人员"] == (12, "人") and figures["行政处罚案件"] == (23, "件") and figures["罚没款"] == (5.8, "万元")
    assert figures["行政处罚案件同比"] == (-25.8, "%") and figures["持证执法人员同比"] == (20, "%")
    assert "行政执法" not in figures  # the category is no indicator's name


CATEGORY_TABLE = (
    "石岭镇2024年法治政府建设情况报告\n一、主要举措和成效\n主要指标如下：\n类别\t指标\t单位\t2024年\t2023年\t同比\n"
    "行政执法\t持证执法人员\t人\t12\t10\t+20%\n\t行政处罚案件\t件\t23\t31\t-25.8%\n决策审查\t合同审查\t份\t41\t36\t{change}\n"
    "二、存在的不足和原因\n执法力量不足，主要原因是编制紧张。\n三、2025年工作打算\n加强执法培训。\n石岭镇人民政府\n2025年2月10日\n"
)


@pytest.mark.parametrize("change", ["+13.9%", "－13.9%", "持平"])
def test_a_pasted_table_whose_merged_category_cells_are_empty(change: str, tmp_path: Path) -> None:
    figures = {i.name: (i.value, i.unit) for i in summary_of_text(CATEGORY_TABLE.format(change=change), tmp_path).indicators}
    assert figures["持证执法人员"] == (12, "人") and figures["行政处罚案件"] == (23, "件") and figures["合同审查"] == (41, "份")
    assert figures["行政处罚案件同比"] == (-25.8, "%")
    assert figures.get("合同审查同比") == {"+13.9%": (13.9, "%"), "－13.9%": (-13.9, "%"), "持平": None}[change]


def test_a_dash_inside_words_is_no_sign(tmp_path: Path) -> None:
    text = CATEGORY_TABLE.format(change="+1%").replace("加强执法培训。", "落实2021-2025年规划，全年培训执法人员-3次。")
    assert all(i.value >= 0 for i in summary_of_text(text, tmp_path).indicators if "规划" in i.evidence.quote)


def test_a_problem_list_and_its_rectification_table() -> None:
    summary = _summary("t05-problem-list-rectification-table-2024.txt")
    assert [s.text for s in summary.shortcomings] == ["执法程序不够规范", "征收补偿程序存在瑕疵", "法治人才短缺", "普法宣传针对性不强"]
    table = [m for m in summary.measures if m.evidence.quote.startswith(("开展案卷", "对已签订", "配备专职", "在快递"))]
    # each row's measure answers its own row's 问题 (the first also shares 执法 words with 法治人才短缺)
    assert [m.addresses for m in table] == [[0, 2], [1], [2], [3]]
    assert not [m for m in summary.measures if m.text in {"执法程序不够规范", "征收补偿程序存在瑕疵"}]


LISTED = (
    "石岭街道2024年法治政府建设情况报告\n一、主要举措和成效\n全年办理行政处罚案件12件，开展普法活动20场次。\n"
    "二、党政主要负责人履行推进法治建设第一责任人职责情况\n街道党工委书记召开专题会议研究法治建设3次。\n"
    "三、存在的不足和原因\n{first}执法力量不足。\n{second}普法形式单一。\n主要原因是人员编制紧张。\n"
    "四、2025年工作安排\n{header}\n1\t执法力量不足\t争取增加执法编制，组织执法培训4次\t综合执法队\t2025年6月底\n"
    "2\t普法形式单一\t开设普法微信专栏，开展以案释法活动\t司法所\t2025年9月底\n石岭街道办事处\n2025年2月10日\n"
)


@pytest.mark.parametrize(
    ("first", "second", "header"),
    [
        ("问题1：", "问题2：", "序号\t问题\t整改措施\t责任单位\t完成时限"),
        ("不足1：", "不足2：", "序号\t存在问题\t具体措施\t责任单位\t完成时限"),
        ("1.", "2.", "序号\t问题\t整改举措\t责任单位\t完成时限"),
    ],
)
def test_variants_of_problem_lists_and_rectification_tables(first: str, second: str, header: str, tmp_path: Path) -> None:
    summary = summary_of_text(LISTED.format(first=first, second=second, header=header), tmp_path)
    assert [s.text for s in summary.shortcomings] == ["执法力量不足", "普法形式单一"]
    assert [(m.text, m.addresses) for m in summary.measures] == [
        ("争取增加执法编制，组织执法培训4次", [0]),
        ("开设普法微信专栏，开展以案释法活动", [1]),
    ]


def test_a_run_in_point_opening_with_a_year() -> None:
    measures = [m.text for m in _summary("t04-yishi-runin-renamed-2024.txt").measures]
    assert len(measures) == 5 and measures[-1].startswith("2025年底前完成全乡合同协议电子台账建设")


def test_a_zone_named_as_an_industrial_park() -> None:
    summary = _summary("t01-chanyeyuan-guanweihui-2024.txt")
    assert summary.meta.issuer == "绿色食品产业园"
    assert draft_review(summary).addressee == "绿色食品产业园党工委、管委会"


def test_the_letter_is_signed_by_the_office_the_report_is_addressed_to() -> None:
    draft = draft_review(_summary("h03-portal-street-h4-wenhao-2024.html"))
    assert draft.issuer == "区委全面依法治区委员会办公室"
    cited = [h.text for h in draft.overall.highlights]
    assert len(cited) == len(set(cited)) and not any(a != b and a in b for a in cited for b in cited)
