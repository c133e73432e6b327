"""Red-team round 2: the four known defects and the reports written to find more.

The defects: a saved portal page (.html) lost the page's 成文日期/发布日期 that its .txt paste kept;
a paste without line breaks whose part headings carry no number read as missing its parts (false
高); a 落款 with the date written before the issuer lost its date; a part answered only "无" read as
absent (其他需要报告的事项：无 is a complete answer; 存在的不足：无 is a heading over nothing, said so
as such). The reports vary what the earlier sets did not: 街道 with 党工委 wording and the date
above two issuer lines, a 乡 with renamed parts ("下一年度工作打算", "其他事项"), a portal paste
with a menu line and a Chinese-numeral 落款, Word auto-numbering flattened to "一、<tab>", 不足、原因
and 下一步 merged into one part, the 第一责任人 content as a sub-section of the achievements, and
four saved portal pages whose metadata block is a table (with and without colons), one info line,
or a <dl> list with a Chinese-numeral 成文日期.

For each file the table states what a careful reviewer reads in it: issuer, level, years, signing
date and its source, and exactly the findings it deserves.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import assert_verbatim
from fazhi_review.analysis import Analysis, analyze_path
from fazhi_review.checks import RULES
from fazhi_review.engine.offline import summarize_offline
from fazhi_review.models import REQUIRED_PARTS
from fazhi_review.render.rules import render_rules
from fazhi_review.text import year_number
from fixtures_formats import write_html

ROUND2 = Path(__file__).parent / "variants" / "round2"
VARIANTS = Path(__file__).parent / "variants"
REDTEAM = VARIANTS / "redteam"

Row = tuple[str, str, int, "int | None", dt.date, str, set[str]]
#: file → (issuer, level, report_year, plan_year, signed_date, signed_source, rule ids exactly)
EXPECTED: dict[str, Row] = {
    "r2-street-dangongwei.txt": ("清水街道", "街道", 2024, 2025, dt.date(2025, 1, 10), "落款", set()),
    "r2-xiang-renamed-plan.txt": ("龙井乡", "乡", 2024, None, dt.date(2025, 2, 12), "落款", set()),
    "r2-portal-cn-date.txt": ("三溪镇", "镇", 2024, 2025, dt.date(2025, 1, 28), "落款", set()),
    "r2-word-autonumber-tabs.txt": ("王家镇", "镇", 2024, 2025, dt.date(2025, 2, 14), "落款", set()),
    "r2-merged-shortcomings-plan.txt": ("桂花乡", "乡", 2024, None, dt.date(2025, 2, 10), "落款", set()),
    "r2-first-resp-subsection.txt": ("石岭镇", "镇", 2024, 2025, dt.date(2025, 2, 18), "落款", set()),
    "r2-oneline-unnumbered-xiang.txt": ("柏树乡", "乡", 2024, None, dt.date(2025, 2, 20), "落款", set()),
    "r2-oneline-unnumbered-street.txt": ("东湖街道", "街道", 2024, None, dt.date(2025, 2, 24), "落款", set()),
    "r2-date-issuer-one-line.txt": ("桥头镇", "镇", 2024, 2025, dt.date(2025, 2, 21), "落款", set()),
    "portal-catalogue-table.txt": ("白马乡", "乡", 2024, 2025, dt.date(2025, 3, 4), "成文日期", {"late-report"}),
    "portal-catalogue-table.html": ("白马乡", "乡", 2024, 2025, dt.date(2025, 3, 4), "成文日期", {"late-report"}),
    "portal-th-cn-date.html": ("柳林街道", "街道", 2024, 2025, dt.date(2025, 2, 26), "成文日期", set()),
    "portal-publish-only.html": ("青松镇", "镇", 2024, None, dt.date(2025, 2, 27), "发布日期", set()),
    "portal-dl-cn-date.html": ("芦溪镇", "镇", 2024, 2025, dt.date(2025, 2, 25), "成文日期", set()),
    # the planted problem: 存在的不足和原因 answered "无。"
    "r2-bad-shortcomings-none.txt": ("永丰镇", "镇", 2024, 2025, dt.date(2025, 2, 20), "落款", {"empty-part:shortcomings"}),
}
COMPLETE = sorted(name for name in EXPECTED if name != "r2-bad-shortcomings-none.txt")


@pytest.fixture(scope="module")
def analyses() -> dict[str, Analysis]:
    return {path.name: analyze_path(path) for path in sorted(ROUND2.iterdir())}


def _oneline(tmp_path: Path, source: Path, blanks: bool = True) -> Analysis:
    text = source.read_text(encoding="utf-8").replace("\n", "")
    path = tmp_path / source.name
    path.write_text(text if blanks else text.replace("\u3000", "").replace("\t", ""), encoding="utf-8")
    return analyze_path(path)


def _titles(analysis: Analysis) -> list[str]:
    return [s.heading.title for s in analysis.report.sections if s.heading is not None]


def test_every_fixture_is_in_the_table(analyses: dict[str, Analysis]) -> None:
    assert set(analyses) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_meta(analyses: dict[str, Analysis], name: str) -> None:
    issuer, level, year, plan_year, signed, source, _ = EXPECTED[name]
    meta = analyses[name].report.meta
    got = (meta.issuer, meta.level, meta.report_year, meta.plan_year, meta.signed_date, meta.signed_source)
    assert got == (issuer, level, year, plan_year, signed, source)
    assert meta.title is not None and "政务公开" not in meta.title and "网站" not in meta.title and len(meta.title) <= 60


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_are_exactly_the_real_ones(analyses: dict[str, Analysis], name: str) -> None:
    assert {f.rule_id for f in analyses[name].findings} == EXPECTED[name][6]


@pytest.mark.parametrize("name", COMPLETE)
def test_complete_report_has_every_required_part(analyses: dict[str, Analysis], name: str) -> None:
    report = analyses[name].report
    assert {p: report.part_present(p) for p in REQUIRED_PARTS} == dict.fromkeys(REQUIRED_PARTS, True)


@pytest.mark.parametrize("name", COMPLETE)
def test_summary_quotes_the_original(analyses: dict[str, Analysis], name: str) -> None:
    analysis = analyses[name]
    summary = summarize_offline(analysis)
    assert_verbatim(summary, analysis.document.text)
    assert summary.overview.startswith(EXPECTED[name][0])
    assert summary.shortcomings and summary.measures and summary.highlights


# ---------------------------------------------------------------- 1. a saved portal page's date


@pytest.mark.parametrize("name", ["portal-catalogue-table.html", "portal-th-cn-date.html", "portal-publish-only.html", "portal-dl-cn-date.html"])
def test_html_page_date_is_evidence_into_the_document_text(analyses: dict[str, Analysis], name: str) -> None:
    analysis = analyses[name]
    evidence = analysis.report.meta.signed_evidence
    assert evidence is not None
    assert analysis.document.text[evidence.start : evidence.end] == evidence.quote
    assert analysis.report.meta.signed_date is not None and year_number(evidence.quote[:4]) == analysis.report.meta.signed_date.year
    for chrome in ("成文日期", "发布日期", "索引号", "版权所有", "11500000MB"):  # the page's fields never reach the clean text
        assert chrome not in analysis.norm.text


def test_html_page_signs_like_its_txt_paste(analyses: dict[str, Analysis]) -> None:
    page, paste = analyses["portal-catalogue-table.html"], analyses["portal-catalogue-table.txt"]
    assert (page.report.meta.signed_date, page.report.meta.signed_source) == (paste.report.meta.signed_date, paste.report.meta.signed_source)
    late = [next(f for f in a.findings if f.rule_id == "late-report") for a in (page, paste)]
    assert [f.evidence.quote for f in late if f.evidence] == ["2025-03-04", "2025-03-04"]
    assert late[0].explanation == late[1].explanation and "成文日期" in late[0].explanation


def test_html_page_with_a_signature_keeps_the_signature(tmp_path: Path) -> None:
    """The page's own 发布时间 is a date of last resort: a 落款 always wins."""
    text = (VARIANTS / "reasons-separate-part.txt").read_text(encoding="utf-8")
    analysis = analyze_path(write_html(text, tmp_path))
    meta = analysis.report.meta
    assert (meta.signed_date, meta.signed_source) == (dt.date(2025, 2, 18), "落款")
    assert analysis.document.text.endswith("\n发布时间：2024-03-01")


# ---------------------------------------------------------------- 2. unnumbered part headings pasted in one line

_ONE_LINE_TITLES = {
    "r2-oneline-unnumbered-xiang.txt": ["2024年法治政府建设主要举措和成效", "党政主要负责人履行推进法治建设第一责任人职责情况", "存在的不足和原因", "下一步工作打算", "其他需要报告的事项"],
    "r2-oneline-unnumbered-street.txt": ["工作开展情况", "主要负责人履行第一责任人职责情况", "存在问题和不足", "原因分析", "下一步工作打算", "其他事项"],
}


@pytest.mark.parametrize("name", sorted(_ONE_LINE_TITLES))
def test_one_line_unnumbered_headings_are_the_parts(analyses: dict[str, Analysis], name: str) -> None:
    analysis = analyses[name]
    assert "\n" not in analysis.document.text.strip()
    assert _titles(analysis) == _ONE_LINE_TITLES[name]


_ORDINARY_SENTENCES = [
    "年度工作计划均已完成。",
    "工作开展情况良好，群众满意度明显提升。",
    "存在的问题是部分群众法治意识不强。",
    "下一步工作打算已经街道党工委会议研究。",
    "究其原因：编制不足。",
    "整改措施得到有效落实。",
]


@pytest.mark.parametrize("sentence", _ORDINARY_SENTENCES)
def test_ordinary_sentences_in_a_one_line_paste_stay_sentences(tmp_path: Path, sentence: str) -> None:
    source = ROUND2 / "r2-oneline-unnumbered-street.txt"
    anchor = "“好差评”好评率99.9%。"
    path = tmp_path / source.name
    path.write_text(source.read_text(encoding="utf-8").replace(anchor, anchor + sentence), encoding="utf-8")
    analysis = analyze_path(path)
    assert _titles(analysis) == _ONE_LINE_TITLES[source.name]
    assert {f.rule_id for f in analysis.findings} == set()


def test_a_line_opening_with_part_words_is_no_heading_where_the_author_broke_lines(tmp_path: Path) -> None:
    """Run-in part headings are read only on lines normalize broke; an author's paragraph that
    opens "存在的不足主要是…" is a sentence."""
    source = VARIANTS / "unnumbered-headings.txt"
    text = source.read_text(encoding="utf-8")
    before = _titles(analyze_path(source))
    first_heading = before[1]
    path = tmp_path / "report.txt"
    path.write_text(text.replace(first_heading, "存在的不足主要是个别村规民约不够规范，已督促整改。\n" + first_heading, 1), encoding="utf-8")
    assert _titles(analyze_path(path)) == before


#: pasted with its line breaks lost, a round-2 report reads the same (heading-numbering, 低, may
#: appear where a pasted "1." sub-point sits in the middle of a line)
@pytest.mark.parametrize("blanks", [True, False])
@pytest.mark.parametrize("name", sorted(n for n in COMPLETE if n.endswith(".txt") and "oneline" not in n))
def test_round2_report_pasted_without_line_breaks(tmp_path: Path, name: str, blanks: bool) -> None:
    analysis = _oneline(tmp_path, ROUND2 / name, blanks)
    issuer, level, year, plan_year, signed, source, rules = EXPECTED[name]
    meta = analysis.report.meta
    assert (meta.issuer, meta.level, meta.report_year, meta.plan_year, meta.signed_date, meta.signed_source) == (issuer, level, year, plan_year, signed, source)
    assert {f.rule_id for f in analysis.findings} - {"heading-numbering"} == rules
    assert {p: analysis.report.part_present(p) for p in REQUIRED_PARTS} == dict.fromkeys(REQUIRED_PARTS, True)


# ---------------------------------------------------------------- 3. the date before the issuer

_LATE_SIGNATURE = "中共红旗镇委员会　红旗镇人民政府\n2025年3月15日"


@pytest.mark.parametrize(
    "signature",
    [
        "2025年3月15日\n中共红旗镇委员会　红旗镇人民政府",
        "2025年3月15日\n中共红旗镇委员会\n红旗镇人民政府",
        "2025年3月15日　　红旗镇人民政府",
        "二〇二五年三月十五日红旗镇人民政府（盖章）",
    ],
)
@pytest.mark.parametrize("one_line", [False, True])
def test_date_written_before_the_issuer_is_the_signing_date(tmp_path: Path, signature: str, one_line: bool) -> None:
    text = (REDTEAM / "rt-bad-late.txt").read_text(encoding="utf-8")
    assert _LATE_SIGNATURE in text
    text = text.replace(_LATE_SIGNATURE, signature)
    path = tmp_path / "report.txt"
    path.write_text(text.replace("\n", "") if one_line else text, encoding="utf-8")
    analysis = analyze_path(path)
    meta = analysis.report.meta
    assert (meta.issuer, meta.signed_date, meta.signed_source) == ("红旗镇", dt.date(2025, 3, 15), "落款")
    assert {f.rule_id for f in analysis.findings} == {"late-report"}
    assert analysis.report.part_present("other")  # the 落款 is cut off the body, not the part before it


# ---------------------------------------------------------------- 4. a part answered "无"


def test_shortcomings_answered_none_is_said_as_it_is(analyses: dict[str, Analysis]) -> None:
    analysis = analyses["r2-bad-shortcomings-none.txt"]
    (finding,) = analysis.findings
    assert finding.rule_id == "empty-part:shortcomings" and finding.severity == "高"
    assert finding.evidence is not None and finding.evidence.quote.startswith("三、存在的不足和原因") and finding.evidence.quote.endswith("无。")
    assert analysis.document.text[finding.evidence.start : finding.evidence.end] == finding.evidence.quote
    assert "标题" in finding.explanation and "“无”" in finding.explanation
    assert "未写" not in finding.explanation and "缺少" not in finding.title  # never "the part is missing"


_PLAN_BODY = "　　一是充实执法力量；二是创新普法宣传方式；三是深化法治乡村建设。"
_SHORT_BODY = "　　一是执法队伍力量不足；二是群众法治意识有待提高。原因在于执法编制有限，普法宣传方式单一。"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (_PLAN_BODY, "　　无。", {"empty-part:next_year_plan"}),
        (_SHORT_BODY, "　　无", {"empty-part:shortcomings"}),
        (_SHORT_BODY, "　　暂无。", {"empty-part:shortcomings"}),
        ("五、其他需要报告的情况\n　　无。", "五、其他需要报告的情况：无。", set()),
        ("五、其他需要报告的情况\n　　无。", "五、其他事项\n　　本年度无其他需要报告的事项。", set()),
    ],
)
@pytest.mark.parametrize("one_line", [False, True])
def test_a_part_answered_none(tmp_path: Path, old: str, new: str, expected: set[str], one_line: bool) -> None:
    text = (REDTEAM / "rt-bad-late.txt").read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new)
    path = tmp_path / "report.txt"
    path.write_text(text.replace("\n", "") if one_line else text, encoding="utf-8")
    analysis = analyze_path(path)
    assert {f.rule_id for f in analysis.findings} == {"late-report", *expected}
    assert analysis.report.part_present("other")


def test_reasons_answered_none_under_their_own_heading(tmp_path: Path) -> None:
    text = (VARIANTS / "reasons-separate-part.txt").read_text(encoding="utf-8")
    start, end = text.index("四、原因分析\n"), text.index("五、2025年工作安排")
    path = tmp_path / "report.txt"
    path.write_text(text[:start] + "四、原因分析\n无。\n" + text[end:], encoding="utf-8")
    findings = analyze_path(path).findings
    assert [(f.rule_id, f.severity) for f in findings] == [("empty-part:reasons", "中")]


def test_the_catalogue_lists_the_empty_part_rules() -> None:
    severities = {part: RULES[f"empty-part:{part}"].severity for part in REQUIRED_PARTS}
    assert severities == {"achievements": "高", "first_responsible": "高", "shortcomings": "高", "reasons": "中", "next_year_plan": "高"}
    listed = render_rules("markdown")
    assert all(f"empty-part:{part}" in listed for part in REQUIRED_PARTS)


# ---------------------------------------------------------------- more 落款 and title forms met in round 2


@pytest.mark.parametrize(
    ("signature", "date"),
    [
        ("红旗镇人民政府\n2025年3月15日\n（联系人：王某某，联系电话：0731-1234567）", dt.date(2025, 3, 15)),
        ("红旗镇人民政府\n2025年3月15日\n联系人：王某某　联系电话：0731-1234567", dt.date(2025, 3, 15)),
        ("红旗镇\n2025年3月15日", dt.date(2025, 3, 15)),
        ("红旗镇人民政府\n2025年元月15日", dt.date(2025, 1, 15)),
        ("红旗镇人民政府\n二〇二五年元月十五日", dt.date(2025, 1, 15)),
    ],
)
@pytest.mark.parametrize("one_line", [False, True])
def test_signature_forms(tmp_path: Path, signature: str, date: dt.date, one_line: bool) -> None:
    text = (REDTEAM / "rt-bad-late.txt").read_text(encoding="utf-8").replace(_LATE_SIGNATURE, signature)
    path = tmp_path / "report.txt"
    path.write_text(text.replace("\n", "") if one_line else text, encoding="utf-8")
    analysis = analyze_path(path)
    meta = analysis.report.meta
    assert (meta.issuer, meta.signed_date, meta.signed_source) == ("红旗镇", date, "落款")
    assert {f.rule_id for f in analysis.findings} == ({"late-report"} if date > dt.date(2025, 3, 1) else set())


@pytest.mark.parametrize(
    ("title", "issuer"),
    [
        ("2024年度红旗镇法治政府建设年度报告", "红旗镇"),
        ("关于2024年度红旗乡法治政府建设情况的报告", "红旗乡"),
        ("二〇二四年度红旗街道法治政府建设情况报告", "红旗街道"),
        ("万年乡2024年法治政府建设情况报告", "万年乡"),
    ],
)
def test_issuer_after_the_year_in_the_title(tmp_path: Path, title: str, issuer: str) -> None:
    text = (REDTEAM / "rt-bad-late.txt").read_text(encoding="utf-8")
    first_line = text.split("\n", 1)[0]
    body = text.replace(first_line, title, 1).replace(_LATE_SIGNATURE, "2025年2月20日")  # no issuer in the 落款
    path = tmp_path / "report.txt"
    path.write_text(body.replace("红旗镇", issuer), encoding="utf-8")
    meta = analyze_path(path).report.meta
    assert (meta.issuer, meta.report_year) == (issuer, 2024)


_MERGED_HEADING = "二、存在的不足、原因及下一步工作打算"
_PLAN_OPENING = "下一步，我乡将重点抓好以下工作："
_PROBLEMS_OPENING = "当前，我乡法治政府建设还存在一些薄弱环节："


@pytest.mark.parametrize(
    "replacements",
    [
        [(_MERGED_HEADING, "二、存在的问题及下一步打算")],
        [(_MERGED_HEADING, "二、存在的问题、原因及下一步打算"), (_PROBLEMS_OPENING, "（一）存在的问题。" + _PROBLEMS_OPENING), (_PLAN_OPENING, "（二）下一步工作打算。")],
        [(_MERGED_HEADING, "二、存在问题和2025年工作计划"), (_PLAN_OPENING, "2025年，我乡将重点抓好以下工作：")],
        [(_MERGED_HEADING, "二、存在的不足和今后努力方向"), (_PLAN_OPENING, "今后，我乡将重点抓好以下工作：")],
    ],
)
@pytest.mark.parametrize("one_line", [False, True])
def test_merged_problems_and_plan_part(tmp_path: Path, replacements: list[tuple[str, str]], one_line: bool) -> None:
    text = (ROUND2 / "r2-merged-shortcomings-plan.txt").read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "report.txt"
    path.write_text(text.replace("\n", "") if one_line else text, encoding="utf-8")
    analysis = analyze_path(path)
    assert {p: analysis.report.part_present(p) for p in REQUIRED_PARTS} == dict.fromkeys(REQUIRED_PARTS, True)
    assert {f.rule_id for f in analysis.findings} == set()
    plan = "".join(analysis.norm.text[s.start : s.end] for s in analysis.report.parts["next_year_plan"])
    assert "执法力量仍然薄弱" not in plan and "充实执法力量" in plan


_ROUND2_RENAMED = [
    ("四、2025年推进法治政府建设的主要安排", "四、2025年法治政府建设重点工作"),
    ("四、2025年推进法治政府建设的主要安排", "四、工作展望"),
    ("四、2025年推进法治政府建设的主要安排", "四、2025年工作设想"),
    ("三、存在的不足和原因", "三、当前面临的挑战和原因"),
    ("二、党政主要负责人履行推进法治建设第一责任人职责情况", "二、党政主要负责人履职情况"),
    ("二、党政主要负责人履行推进法治建设第一责任人职责情况", "二、党政主要负责人述法情况"),
    ("（一）", "（一）加强统筹谋划。"),  # a sub-heading's 谋划 is the year's work, not next year's plan
]


@pytest.mark.parametrize(("old", "new"), _ROUND2_RENAMED)
@pytest.mark.parametrize("one_line", [False, True])
def test_renamed_headings_met_in_round2(tmp_path: Path, old: str, new: str, one_line: bool) -> None:
    text = (REDTEAM / "rt-bad-late.txt").read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path = tmp_path / "report.txt"
    path.write_text(text.replace("\n", "") if one_line else text, encoding="utf-8")
    assert {f.rule_id for f in analyze_path(path).findings} == {"late-report"}


_CN = "一二三四五六七八九十"


def _paren_top(text: str) -> str:
    """Word auto-numbering set to "（一）" for the parts and "1." below them."""
    text = re.sub(r"(?m)^([\s\u3000]*)（([一二三四五六七八九十])）", lambda m: f"{m.group(1)}{_CN.index(m.group(2)) + 1}.", text)
    return re.sub(r"(?m)^([\s\u3000]*)([一二三四五六七八九十])、", lambda m: f"{m.group(1)}（{m.group(2)}）", text)


def _arabic_top(text: str) -> str:
    """Arabic part numbers: "1．2024年度推进…" (the number runs into the year)."""
    return re.sub(r"(?m)^([\s\u3000]*)([一二三四五六七八九十])、", lambda m: f"{m.group(1)}{_CN.index(m.group(2)) + 1}．", text)


@pytest.mark.parametrize("style", [_paren_top, _arabic_top])
@pytest.mark.parametrize("one_line", [False, True])
@pytest.mark.parametrize("source", [REDTEAM / "rt-bad-late.txt", VARIANTS / "reasons-separate-part.txt", VARIANTS / "street-merged-reasons.txt"])
def test_other_part_numbering_styles(tmp_path: Path, style: Callable[[str], str], one_line: bool, source: Path) -> None:
    original = analyze_path(source)
    text = style(source.read_text(encoding="utf-8"))
    path = tmp_path / source.name
    path.write_text(text.replace("\n", "") if one_line else text, encoding="utf-8")
    analysis = analyze_path(path)
    assert {f.rule_id for f in analysis.findings} - {"heading-numbering"} == {f.rule_id for f in original.findings}
    assert analysis.report.meta.plan_year == original.report.meta.plan_year
