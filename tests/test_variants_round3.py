"""Red-team round 3: reports that vary what rounds 1 and 2 did not.

A 开发区 管委会 (not a township: named, no level), a title without its year (the year only in the
opening words and the 落款 二〇二六年), a 2025 report citing the 2021—2025 纲要 and 八五 普法 and a
2026 report summing them up (neither outdated), parts headed 第一部分…第五部分, unnumbered headings
over 一是…二是 paragraphs, a table pasted as space-separated columns with figures (1.2万余, 同比增长
15.6%, 百分之十二点五, 三成以上), a 附件说明 list above the 落款 and 抄送/印发 lines below it, a very
short but complete report, and a 乡 whose 第一责任人 content is spread through its achievements.

The defects they found: a table row pasted as text ran its cells together into one number
("38\t17\t123.5%" read as 3817123.5%) and its lines were joined into one; a 附件说明 list
("附件：1．… 2．…") raised heading-numbering; a title without a year left the report year empty;
百分之十二点五 read as 12%; a 开发区 had no issuer; pasted without breaks, a plan heading running
into its body ("2025年工作安排充实执法力量，开展…") read as the year's work (false 高 missing plan).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from conftest import assert_verbatim
from fazhi_review.analysis import Analysis, analyze_path
from fazhi_review.engine.offline import summarize_offline
from fazhi_review.facts.extract import extract_facts
from fazhi_review.models import REQUIRED_PARTS
from fazhi_review.normalize import normalize_text
from fazhi_review.review import draft_review
from fazhi_review.text import CJK, parse_number

ROUND3 = Path(__file__).parent / "variants" / "round3"
REDTEAM = Path(__file__).parent / "variants" / "redteam"

Row = tuple["str | None", "str | None", int, "int | None", dt.date, set[str]]
#: file → (issuer, level, report_year, plan_year, signed_date (all from the 落款), rule ids exactly)
EXPECTED: dict[str, Row] = {
    "r3-kaifaqu-guanweihui.txt": ("长河经济技术开发区", None, 2024, 2025, dt.date(2025, 2, 18), set()),
    "r3-title-no-year-2025.txt": ("清江乡", "乡", 2025, None, dt.date(2026, 1, 20), set()),
    "r3-town-2026-bawu.txt": ("平湖镇", "镇", 2026, 2027, dt.date(2027, 1, 22), set()),
    "r3-street-diyibufen.txt": ("凤鸣街道", "街道", 2024, 2025, dt.date(2025, 2, 13), set()),
    "r3-prose-only-yishi.txt": ("双龙镇", "镇", 2024, 2025, dt.date(2025, 2, 20), set()),
    "r3-county-bureau.txt": ("青山县司法局", None, 2024, 2025, dt.date(2025, 2, 14), set()),
    "r3-attachments-cc.txt": ("白沙镇", "镇", 2024, 2025, dt.date(2025, 2, 24), set()),
    "r3-very-short.txt": ("石桥乡", "乡", 2024, 2025, dt.date(2025, 2, 10), set()),
    "r3-table-spaces-figures.txt": ("云台镇", "镇", 2024, 2025, dt.date(2025, 2, 19), set()),
    "r3-xiang-first-resp-spread.txt": ("三岔乡", "乡", 2024, None, dt.date(2025, 2, 21), set()),
}


@pytest.fixture(scope="module")
def analyses() -> dict[str, Analysis]:
    return {path.name: analyze_path(path) for path in sorted(ROUND3.glob("*.txt"))}


def _oneline(tmp_path: Path, source: Path) -> Analysis:
    path = tmp_path / source.name
    path.write_text(source.read_text(encoding="utf-8").replace("\n", ""), encoding="utf-8")
    return analyze_path(path)


def test_every_fixture_is_in_the_table(analyses: dict[str, Analysis]) -> None:
    assert set(analyses) == set(EXPECTED)


def _meta_row(analysis: Analysis) -> tuple[object, ...]:
    meta = analysis.report.meta
    return (meta.issuer, meta.level, meta.report_year, meta.plan_year, meta.signed_date, meta.signed_source)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_meta(analyses: dict[str, Analysis], name: str) -> None:
    assert _meta_row(analyses[name]) == (*EXPECTED[name][:5], "落款")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_are_exactly_the_real_ones(analyses: dict[str, Analysis], name: str) -> None:
    assert {f.rule_id for f in analyses[name].findings} == EXPECTED[name][5]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_complete_report_has_every_required_part(analyses: dict[str, Analysis], name: str) -> None:
    report = analyses[name].report
    assert {p: report.part_present(p) for p in REQUIRED_PARTS} == dict.fromkeys(REQUIRED_PARTS, True)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_summary_quotes_the_original(analyses: dict[str, Analysis], name: str) -> None:
    analysis = analyses[name]
    summary = summarize_offline(analysis)
    assert_verbatim(summary, analysis.document.text)
    assert summary.overview.startswith(EXPECTED[name][0] or "")
    assert summary.shortcomings and summary.measures and summary.highlights


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_round3_report_pasted_without_line_breaks(tmp_path: Path, name: str) -> None:
    analysis = _oneline(tmp_path, ROUND3 / name)
    assert _meta_row(analysis) == (*EXPECTED[name][:5], "落款")
    assert {f.rule_id for f in analysis.findings} - {"heading-numbering"} == EXPECTED[name][5]
    assert {p: analysis.report.part_present(p) for p in REQUIRED_PARTS} == dict.fromkeys(REQUIRED_PARTS, True)


# ---------------------------------------------------------------- tables pasted as text


def _indicators(analysis: Analysis) -> dict[str, tuple[float, str]]:
    return {i.name: (i.value, i.unit) for i in summarize_offline(analysis).indicators}


def test_space_separated_table_cells_stay_apart(analyses: dict[str, Analysis]) -> None:
    indicators = _indicators(analyses["r3-table-spaces-figures.txt"])
    assert indicators["受理矛盾纠纷增长"] == (21.7, "%")
    assert indicators["行政处罚案件增长"] == (23.1, "%")
    assert indicators["调解成功率提高"] == (0.7, "个百分点")
    assert all(value < 10_000 for value, _ in indicators.values())  # no cells run together into one number


def test_tab_separated_table_cells_are_named_by_row_and_column() -> None:
    analysis = analyze_path(REDTEAM / "rt-table-tabs-wrap.txt")
    indicators = _indicators(analysis)
    assert indicators["行政处罚案件增幅"] == (123.5, "%")
    assert indicators["法律顾问出具意见增幅"] == (53.3, "%")
    rows = [line for line in analysis.norm.text.split("\n") if line.startswith(("1\t", "2\t", "3\t"))]
    assert len(rows) == 3  # each row its own line, not joined with the next


def test_review_cites_no_bare_table_cell() -> None:
    draft = draft_review(summarize_offline(analyze_path(REDTEAM / "rt-table-tabs-wrap.txt")))
    points = [h.text for h in draft.overall.highlights]
    assert points and all("\t" not in p and re.search(rf"[{CJK}]{{4}}", p) for p in points)


@pytest.mark.parametrize(
    "line",
    [
        "中共白沙镇委员会　　白沙镇人民政府",  # one gap: a 落款, not a table
        "一、\t加强组织领导",  # Word auto-numbering flattened to a tab
        "全年办理 行 政 处 罚 案 件 38 件",  # a PDF's letter spacing
    ],
)
def test_a_line_with_one_gap_is_no_table_row(line: str) -> None:
    assert "\t" not in normalize_text(line).text


def test_a_table_row_keeps_one_tab_per_cell_gap() -> None:
    norm = normalize_text("　　行政处罚案件      件      64        52        增长23.1%")
    assert norm.text == "行政处罚案件\t件\t64\t52\t增长23.1%"
    assert [f.value for f in extract_facts(norm)] == [23.1]


# ---------------------------------------------------------------- figures written in words


@pytest.mark.parametrize(
    ("numeral", "value"), [("十二点五", 12.5), ("九十八", 98), ("零点五", 0.5), ("二十点零五", 20.05)]
)
def test_chinese_decimal_numerals(numeral: str, value: float) -> None:
    assert parse_number(numeral) == value


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "qualifier"),
    [
        ("信访总量下降百分之十二点五。", 12.5, "%", None),
        ("案卷评查优秀率百分之九十八。", 98, "%", None),
        ("全年受理群众来信来访1.2万余件。", 1.2, "万件", "余"),
        ("办案量同比增长15.6%。", 15.6, "%", None),
    ],
)
def test_figures_in_words(sentence: str, value: float, unit: str, qualifier: str | None) -> None:
    (fact,) = extract_facts(normalize_text(sentence))
    assert (fact.value, fact.unit, fact.qualifier) == (value, unit, qualifier)


# ---------------------------------------------------------------- 附件说明, 抄送 and 印发


def test_attachment_list_is_neither_outline_nor_part(analyses: dict[str, Analysis]) -> None:
    analysis = analyses["r3-attachments-cc.txt"]
    assert analysis.report.meta.signed_date == dt.date(2025, 2, 24)  # the 落款, not the 印发 date (3月6日)
    other = "".join(analysis.norm.text[s.start : s.end] for s in analysis.report.parts["other"])
    assert "附件" not in other or other.index("附件") > other.index("无")


def test_attachment_list_after_a_numbered_plan_keeps_real_numbering_errors(tmp_path: Path) -> None:
    """The 附件 list is cut off; a duplicate number in the body above it is still reported."""
    text = (ROUND3 / "r3-attachments-cc.txt").read_text(encoding="utf-8").replace("　　2．创新", "　　1．创新")
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    assert {f.rule_id for f in analyze_path(path).findings} == {"heading-numbering"}


# ---------------------------------------------------------------- years and outdated references


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        # a 2025 report naming the 2021—2025 纲要 and 八五 普法 is current; 七五 is not
        ("r3-title-no-year-2025.txt", "全面完成“八五”普法规划目标", "深入实施“七五”普法规划", {"outdated-reference"}),
        (
            "r3-title-no-year-2025.txt",
            "《法治政府建设实施纲要（2021—2025年）》，以“八五”普法规划收官为契机",
            "《法治政府建设实施纲要（2015—2020年）》",
            {"outdated-reference"},
        ),
        ("r3-title-no-year-2025.txt", "2025年，清江乡", "清江乡", set()),  # no year anywhere but the 落款: none guessed
        # a 2026 report summing up the 2021—2025 纲要 and 八五: not flagged either way (DOMAIN.md)
        ("r3-town-2026-bawu.txt", "认真总结", "继续贯彻落实", set()),
    ],
)
def test_outdated_references_follow_the_report_year(tmp_path: Path, name: str, old: str, new: str, expected: set[str]) -> None:
    text = (ROUND3 / name).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert {f.rule_id for f in analyze_path(path).findings} == expected


@pytest.mark.parametrize(
    ("name", "addressee"), [("r3-kaifaqu-guanweihui.txt", "长河经济技术开发区党工委、管委会"), ("r3-county-bureau.txt", "青山县司法局")]
)
def test_a_unit_that_is_no_township_is_addressed_as_itself(analyses: dict[str, Analysis], name: str, addressee: str) -> None:
    assert draft_review(summarize_offline(analyses[name])).addressee == addressee


@pytest.mark.parametrize("name", ["r3-county-bureau.txt"])
def test_a_generic_word_for_townships_is_no_issuer(tmp_path: Path, name: str) -> None:
    """"指导全县12个乡镇" / "各乡镇" in the opening words name no township."""
    text = (ROUND3 / name).read_text(encoding="utf-8").replace("青山县司法局", "")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert analyze_path(path).report.meta.issuer is None


# ---------------------------------------------------------------- a report with no heading at all


def test_paragraphs_without_headings_are_read_by_what_they_say(analyses: dict[str, Analysis]) -> None:
    analysis = analyses["r3-prose-only-yishi.txt"]
    assert not any(section.heading for section in analysis.report.sections)
    text = analysis.norm.text
    shortcomings = "".join(text[s.start : s.end] for s in analysis.report.parts["shortcomings"])
    plan = "".join(text[s.start : s.end] for s in analysis.report.parts["next_year_plan"])
    assert shortcomings.startswith("同时也要看到") and plan.startswith("2025年，我镇将")


@pytest.mark.parametrize(
    ("old", "new", "missing"),
    [
        ("2025年，我镇将重点做好以下工作：一是加强干部学法培训；二是充实执法力量；三是深化法治乡村建设。", "", "next_year_plan"),
        ("同时也要看到，我镇法治政府建设还存在一些不足：一是部分干部依法行政意识不强；二是执法人员专业能力不足。究其原因，主要是学法培训流于形式，执法人员补充不及时。", "", "shortcomings"),
    ],
)
def test_a_headless_report_missing_a_part_is_still_told(tmp_path: Path, old: str, new: str, missing: str) -> None:
    """Read only when both the 不足 and the plan open paragraphs of their own: a report that
    lacks one of them is not guessed complete."""
    text = (ROUND3 / "r3-prose-only-yishi.txt").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "report.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    assert f"missing-part:{missing}" in {f.rule_id for f in analyze_path(path).findings}
