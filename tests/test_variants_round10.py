"""Red-team round 10: the hidden set's axes mixed in each report (tests/variants/round10/): portal
pastes, 街道 and 乡, merged and renamed parts, Chinese-numeral dates, lost Word numbering, the
第一责任人 folded into the 成效, two reports with one real defect each (03, 04).

The defects they found, each fixed with variants:
- a merged part's plan opening "二〇二五年，我乡将重点做好以下工作：" (a Chinese-numeral year) was
  not read as the plan: a false 高 missing-part:next_year_plan, its points listed as 不足;
- "（二）原因分析。一是…；二是…" run in with its points: only the sub-heading was a cause, so the
  causes were listed as 不足 and no 不足 had its reason;
- a part headed "其他需要说明的情况" was not the optional 其他 part.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import serious_rules, summary_of_file, summary_of_text
from fazhi_review.models import REQUIRED_PARTS

ROUND10 = Path(__file__).parent / "variants" / "round10"
EXPECTED = {
    "01-street-portal-merged-clean.txt": (("城东街道", "街道", 2024, 2025), set()),
    "02-xiang-nonumber-renamed-clean.txt": (("白沙乡", "乡", 2024, 2025), set()),
    "03-xiang-no-first-resp-defect.txt": (("青石岭乡", "乡", 2024, None), {"missing-part:first_responsible"}),
    "04-street-portal-late-defect.txt": (("新华街道", "街道", 2024, 2025), {"late-report"}),
    "05-xiang-portal-nonumber-march1.txt": (("枫林乡", "乡", 2024, 2025), set()),
    "06-street-2023-renamed-jan.txt": (("和平街道", "街道", 2023, 2024), set()),
    "07-yaozu-xiang-portal-merged-measures.txt": (("龙潭瑶族乡", "乡", 2024, 2025), set()),
    "08-street-nonumber-firstresp-last.txt": (("南湖街道", "街道", 2024, 2025), set()),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_meta_parts_and_only_the_real_findings(name: str) -> None:
    summary = summary_of_file(ROUND10 / name)
    meta, findings = EXPECTED[name]
    assert (summary.meta.issuer, summary.meta.level, summary.meta.report_year, summary.meta.plan_year) == meta
    assert serious_rules(summary) == findings
    missing = {part for part in REQUIRED_PARTS if not summary.parts.get(part)}
    assert missing == ({"first_responsible"} if name.startswith("03") else set())


def test_the_other_part_under_another_verb() -> None:
    assert summary_of_file(ROUND10 / "06-street-2023-renamed-jan.txt").parts.get("other")


def test_causes_run_in_with_their_sub_heading() -> None:
    summary = summary_of_file(ROUND10 / "07-yaozu-xiang-portal-merged-measures.txt")
    assert len(summary.shortcomings) == 3 and all(s.has_reason for s in summary.shortcomings)


MERGED = (
    "石岭乡2024年法治政府建设情况报告\n一、主要举措和成效\n全年办理行政处罚案件12件，开展普法活动20场次。\n"
    "二、党政主要负责人履行推进法治建设第一责任人职责情况\n乡党委书记、乡长召开专题会议研究法治建设3次。\n"
    "三、存在的问题、原因及下一步打算\n{problems}\n{causes}\n{plan}\n{other}\n石岭乡人民政府\n二〇二五年二月十日\n"
)


@pytest.mark.parametrize(
    ("causes", "plan", "year"),
    [
        ("（二）原因分析。一是人员编制紧张；二是培训投入不足。", "（三）下一步打算。二〇二五年，我乡将重点做好以下工作：一是加强执法培训；二是创新普法形式。", 2025),
        ("（二）存在问题的原因：一是人员编制紧张；二是培训投入不足。", "二〇二五年度，全乡将着力抓好：一是加强执法培训；二是创新普法形式。", 2025),
        ("原因分析：一是人员编制紧张；二是培训投入不足。", "下一步，我乡将：一是加强执法培训；二是创新普法形式。", None),
    ],
    ids=["cn-year-sub-heading", "cn-year-du", "no-year"],
)
def test_variants_of_merged_causes_and_plan(causes: str, plan: str, year: int | None, tmp_path: Path) -> None:
    text = MERGED.format(problems="（一）存在的问题。一是执法力量不足；二是普法形式单一。", causes=causes, plan=plan, other="四、其他需要说明的情况\n无。")
    summary = summary_of_text(text, tmp_path)
    assert [s.text for s in summary.shortcomings] == ["执法力量不足", "普法形式单一"]
    assert all(s.has_reason for s in summary.shortcomings)
    assert [m.text for m in summary.measures] == ["加强执法培训", "创新普法形式"]
    assert summary.meta.plan_year == year and not serious_rules(summary)
    assert summary.parts.get("other")
