"""Red-team round 23: ten .txt reports arranging and naming the five parts as offices do
(tests/variants/round23/), eight complete and two with one defect each.

Three complete ones got a false 高:
- "一、主要工作开展及主要负责人履职情况" was the 第一责任人 part only (missing-part:achievements);
- "三、存在的不足、原因及2024年工作安排" written as plain paragraphs: its plan paragraph opens
  "2024年，街道将…" (no 我/全/本), so no plan was found (missing-part:next_year_plan);
- "第一部分 亮点纷呈 … 第四部分 精准发力": slogan-only 第N部分 headings were no headings, and the plan
  under "精准发力" was missed (missing-part:next_year_plan).
Also fixed: 不足 and measures written as one sentence's semicolon-kept clauses ("…还存在一些不足。
执法…；社区…；部分科室…。") gave the lead-in and "2024年" as points; the 纲要's chapter 8 (权力制约
和监督) knew no "主动公开" or "人大代表建议", so the letter said a report that reports them "未涉及" it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import serious_rules, summary_of_file, summary_of_text
from fazhi_review.models import REQUIRED_PARTS

ROUND23 = Path(__file__).parent / "variants" / "round23"
COMPLETE = sorted(path.name for path in ROUND23.iterdir() if "DEFECT" not in path.name)
MERGED = ROUND23 / "02-xiang-merged-fuzeren-inline-causes-2024.txt"
ONE_BLOCK = ROUND23 / "03-jiedao-dangongwei-oneblock-2023.txt"
SLOGANS = ROUND23 / "04-zhen-diyibufen-slogans-only-2024.txt"
PLAIN_PLAN = ROUND23 / "06-xiang-gongzuozongjie-xiabudasuan-2024.txt"


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", COMPLETE)
def test_a_complete_report_has_no_serious_finding_and_reads_whole(name: str) -> None:
    summary = summary_of_file(ROUND23 / name)
    assert not serious_rules(summary)
    assert all(summary.parts.get(part) for part in REQUIRED_PARTS)
    assert len(summary.shortcomings) >= 3 and all(s.has_reason for s in summary.shortcomings)
    assert len(summary.measures) >= 3 and not [m.text for m in summary.measures if m.text[:5].rstrip("年").isdigit()]
    assert summary.meta.plan_year == summary.meta.report_year + 1  # type: ignore[operator]


@pytest.mark.parametrize(
    ("name", "rule"), [("09-zhen-DEFECT-no-reasons-fuzeren-first-2024.txt", "missing-part:reasons"), ("10-xiang-DEFECT-no-plan-2024.txt", "missing-part:next_year_plan")]
)
def test_the_planted_defect_alone_is_found(name: str, rule: str) -> None:
    assert serious_rules(summary_of_file(ROUND23 / name)) == {rule}


@pytest.mark.parametrize("heading", ["一、主要工作开展及主要负责人履职情况", "一、工作成效和党政主要负责人履行第一责任人职责情况", "一、主要举措成效及书记乡长履职情况"])
def test_a_heading_naming_the_work_and_the_leaders_duty_fills_both(heading: str, tmp_path: Path) -> None:
    summary = summary_of_text(_read(MERGED).replace("一、主要工作开展及主要负责人履职情况", heading), tmp_path)
    assert summary.parts["achievements"] is not None and summary.parts["first_responsible"] is not None
    assert summary.highlights and not serious_rules(summary)


@pytest.mark.parametrize("opening", ["2024年，街道将坚持问题导向", "2024年，文昌街道将坚持问题导向", "2024年，我们街道将坚持问题导向"])
def test_a_plan_paragraph_naming_the_township_without_wo(opening: str, tmp_path: Path) -> None:
    summary = summary_of_text(_read(ONE_BLOCK).replace("2024年，街道将坚持问题导向", opening), tmp_path)
    assert summary.parts["next_year_plan"] is not None and summary.meta.plan_year == 2024


def test_shortcomings_and_measures_kept_apart_by_semicolons(tmp_path: Path) -> None:
    summary = summary_of_file(ONE_BLOCK)
    assert [s.text[:8] for s in summary.shortcomings] == ["执法事项下放后", "社区一级法治资源", "部分科室对重大行"]
    assert [m.addresses for m in summary.measures] == [[0], [1], [2]]
    plain = summary_of_file(PLAIN_PLAN)
    assert [m.text for m in plain.measures][:1] == ["健全干部学法用法长效机制"]


def test_two_semicolons_are_not_a_list(tmp_path: Path) -> None:
    """Fewer than three clauses: a sentence, not a list of points."""
    text = _read(ONE_BLOCK)
    start = text.index("执法事项下放后")
    end = text.index("个别事项公众参与环节组织得不够充分。") + len("个别事项公众参与环节组织得不够充分。")
    summary = summary_of_text(text[:start] + "执法事项下放后，执法文书仍有不规范之处；社区普法积极性不高。" + text[end:], tmp_path)
    assert len(summary.shortcomings) <= 2


@pytest.mark.parametrize(
    "numbering",
    [
        {},
        {"第一部分  ": "一、", "第二部分  ": "二、", "第三部分  ": "三、", "第四部分  ": "四、", "第五部分  ": "五、"},
    ],
)
def test_slogan_headings_say_what_they_head_by_what_they_open_with(numbering: dict[str, str], tmp_path: Path) -> None:
    text = _read(SLOGANS)
    for old, new in numbering.items():
        text = text.replace(old, new)
    summary = summary_of_text(text, tmp_path)
    assert not serious_rules(summary)
    assert all(summary.parts.get(part) for part in REQUIRED_PARTS) and summary.meta.plan_year == 2025
    assert len(summary.measures) >= 4


def test_a_slogan_section_opening_on_its_problems_sub_heading(tmp_path: Path) -> None:
    text = _read(SLOGANS).replace("第三部分  直面问题", "第三部分  砥砺前行")
    summary = summary_of_text(text, tmp_path)
    assert summary.parts["shortcomings"] is not None and not serious_rules(summary)


@pytest.mark.parametrize("name", ["03-jiedao-dangongwei-oneblock-2023.txt", "06-xiang-gongzuozongjie-xiabudasuan-2024.txt"])
def test_disclosure_and_deputies_suggestions_cover_the_oversight_chapter(name: str) -> None:
    chapter = next(c for c in summary_of_file(ROUND23 / name).coverage if c.chapter == 8)
    assert chapter.covered and {"主动公开", "人大代表建议"} & set(chapter.keywords)
