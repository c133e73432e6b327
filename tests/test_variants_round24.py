"""Red-team round 24: ten .txt reports on the hidden set's axes (portal pages pasted whole, 街道,
乡 and 民族乡, parts merged or renamed, Chinese-numeral dates with 〇/○/零, Word numbering flattened
or lost), eight complete and two with one defect each (tests/variants/round24/).

Fixed: a 2024 report relying on 《物权法》 went unflagged because its sentence said "老旧片区" (the
bare 旧 counted as a history word); a portal's "【组配分类】法治政府建设年度报告" was the title and the
report year was lost with it; a space-separated menu ("网站首页 政府信息公开 政务服务 …") ran into the
title; the causes listed "1. 2. 3." under "（二）原因分析" in a merged part were 不足; chapter 9 of the
纲要 knew no "数字赋能", "一网统管" or "移动执法" (the letter said such reports did not cover it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import serious_rules, summary_of_file, summary_of_text
from fazhi_review.chrome import is_chrome_line
from fazhi_review.models import REQUIRED_PARTS

ROUND24 = Path(__file__).parent / "variants" / "round24"
COMPLETE = sorted(path.name for path in ROUND24.iterdir() if "DEFECT" not in path.name)
PORTAL = ROUND24 / "08-minzuxiang-portal-merged-buzu-yuanyin-plan-2024.txt"
PROPERTY_LAW = ROUND24 / "10-zhen-DEFECT-wuquanfa-current-2024.txt"


@pytest.mark.parametrize("name", COMPLETE)
def test_a_complete_report_has_no_serious_finding_and_reads_whole(name: str) -> None:
    summary = summary_of_file(ROUND24 / name)
    assert not serious_rules(summary)
    assert all(summary.parts.get(part) for part in REQUIRED_PARTS)
    assert 3 <= len(summary.shortcomings) <= 4 and all(s.has_reason for s in summary.shortcomings)
    assert summary.meta.plan_year == summary.meta.report_year + 1  # type: ignore[operator]
    assert summary.meta.title and "【" not in summary.meta.title and "首页" not in summary.meta.title


def test_the_property_law_relied_on_beside_an_old_quarter_is_found() -> None:
    assert serious_rules(summary_of_file(PROPERTY_LAW)) == {"outdated-reference"}


@pytest.mark.parametrize("place", ["老旧片区", "老旧小区", "旧城改造片区"])
def test_an_old_quarter_is_no_history_word(place: str, tmp_path: Path) -> None:
    text = PROPERTY_LAW.read_text(encoding="utf-8").replace("老旧片区", place)
    assert "outdated-reference" in serious_rules(summary_of_text(text, tmp_path))


@pytest.mark.parametrize("sentence", ["依照旧《物权法》办理的历史遗留问题已全部清理。", "对照旧法与民法典的差异开展专题培训。"])
def test_the_old_text_named_old_is_still_history(sentence: str, tmp_path: Path) -> None:
    text = PROPERTY_LAW.read_text(encoding="utf-8")
    start, end = text.index("严格依照《中华人民共和国物权法》"), text.index("开展征收补偿工作")
    text = text[:start] + sentence + text[end + len("开展征收补偿工作") :]
    assert "outdated-reference" not in serious_rules(summary_of_text(text, tmp_path))


def test_a_bracketed_catalogue_field_is_no_title() -> None:
    summary = summary_of_file(PORTAL)
    assert summary.meta.title == "鹤溪畲族乡2024年度法治政府建设工作报告" and summary.meta.report_year == 2024


@pytest.mark.parametrize(
    ("line", "chrome"),
    [
        ("【组配分类】法治政府建设年度报告", True),
        ("【索引号】330000-SYHX/2025-000008", True),
        ("网站首页 政府信息公开 政务服务 政民互动 专题专栏 数据发布", True),
        ("首页  新闻中心  信息公开  网上办事  互动交流  走进松阳", True),
        ("【存在的不足】执法人员不足", False),
        ("政务服务 全面提升 群众满意", False),
    ],
)
def test_catalogue_fields_and_menus(line: str, chrome: bool) -> None:
    assert is_chrome_line(line) is chrome


def test_causes_listed_under_their_sub_heading_are_no_shortcomings() -> None:
    summary = summary_of_file(PORTAL)
    assert [s.text[:6] for s in summary.shortcomings] == ["行政执法规范", "普法覆盖不均", "乡政府法治建"]


@pytest.mark.parametrize("name", ["04-jiedao-renamed-slogan-parts-2025.txt", "09-jiedao-DEFECT-rate-mismatch-2024.txt"])
def test_digital_platforms_cover_the_technology_chapter(name: str) -> None:
    chapter = next(c for c in summary_of_file(ROUND24 / name).coverage if c.chapter == 9)
    assert chapter.covered
