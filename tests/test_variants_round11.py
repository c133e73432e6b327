"""Red-team round 11: parts headed as questions or slogans, parts out of order, causes inside each
不足 point, plans headed "新的一年" / "来年", one-line 落款, 工作总结 titles (tests/variants/round11/).

The defects they found, each fixed with variants:
- a plan headed "2025年准备怎么干？", "新的一年，我们将这样干", "新的一年，我们打算怎么做？" or
  "瞄准短板，持续发力" (read as a 不足 heading for its 短板): a false 高 missing-part:next_year_plan;
- a 第一责任人 part headed "书记乡长带头抓法治": a false 高 missing-part:first_responsible;
- causes written "主要是因为…" or "成因是…": a false 中 missing-part:reasons;
- an opening that lists all five parts' topics ("现将…第一责任人职责情况…报告如下") stood in for a
  missing 第一责任人 part: the real defect was missed;
- "受理…6104件，…315件，群众满意率98.7%" was checked as 315÷6104 (a false 低).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import serious_rules, summary_of_file, summary_of_text
from fazhi_review.models import REQUIRED_PARTS

ROUND11 = Path(__file__).parent / "variants" / "round11"
FILES = sorted(path.name for path in ROUND11.iterdir())
TRUE_FINDINGS = {
    "04-town-opening-lists-parts-DEFECT-no-first-resp.txt": {"missing-part:first_responsible"},
    "05-xiang-newyear-plan-oneline-seal-DEFECT-late.txt": {"late-report"},
}


@pytest.mark.parametrize("name", FILES)
def test_only_the_planted_defects_are_found(name: str) -> None:
    summary = summary_of_file(ROUND11 / name)
    assert serious_rules(summary) == TRUE_FINDINGS.get(name, set())
    assert not [risk.rule_id for risk in summary.risks if risk.rule_id == "rate-arithmetic"]
    if name not in TRUE_FINDINGS:
        assert all(summary.parts.get(part) for part in REQUIRED_PARTS)
        assert summary.measures and all(s.has_reason for s in summary.shortcomings)


REPORT = (
    "石岭镇2024年法治政府建设情况报告\n一、一年来，我们做了什么\n全年办理行政处罚案件12件，开展普法活动20场次。\n"
    "二、{leader}\n镇党委书记、镇长切实履行推进法治建设第一责任人职责，召开专题会议研究法治建设3次。\n"
    "三、需要改进的方面\n1.执法力量不足，{cause}人员编制紧张。\n2.普法形式单一，{cause}宣传经费有限。\n"
    "四、{plan}\n1.加强执法培训，全年不少于4次。\n2.创新普法形式，开通普法微信专栏。\n石岭镇人民政府　2025年2月10日\n"
)


@pytest.mark.parametrize(
    ("leader", "cause", "plan"),
    [
        ("书记镇长带头抓法治", "主要是因为", "2025年准备怎么干？"),
        ("党政主要负责人履职情况", "成因是", "新的一年，我们将这样干"),
        ("一把手亲自抓法治建设", "之所以如此，是因为", "补齐短板，持续发力"),
    ],
)
def test_question_and_slogan_headings(leader: str, cause: str, plan: str, tmp_path: Path) -> None:
    summary = summary_of_text(REPORT.format(leader=leader, cause=cause, plan=plan), tmp_path)
    assert not serious_rules(summary)
    assert [m.text for m in summary.measures] == ["加强执法培训，全年不少于4次", "创新普法形式，开通普法微信专栏"]
    assert all(s.has_reason for s in summary.shortcomings)


def test_a_heading_that_faces_the_problems_is_still_the_shortcomings(tmp_path: Path) -> None:
    text = REPORT.format(leader="党政主要负责人履职情况", cause="原因是", plan="2025年工作打算").replace("三、需要改进的方面", "三、聚焦短板，直面问题")
    summary = summary_of_text(text, tmp_path)
    assert [s.text[:6] for s in summary.shortcomings] == ["执法力量不足", "普法形式单一"]
    assert "next_year_plan" not in {p for p in REQUIRED_PARTS if not summary.parts.get(p)}


def test_an_opening_that_lists_the_parts_is_none_of_them(tmp_path: Path) -> None:
    text = (
        "石岭镇2024年法治政府建设情况报告\n现将我镇2024年推进法治政府建设的主要举措和成效、党政主要负责人履行推进法治建设第一责任人职责情况、"
        "存在的不足和原因、2025年工作安排报告如下。\n一、主要举措和成效\n全年办理行政处罚案件12件。\n二、存在的不足和原因\n执法力量不足，原因是编制紧张。\n"
        "三、2025年工作安排\n加强执法培训。\n石岭镇人民政府\n2025年2月10日\n"
    )
    assert "missing-part:first_responsible" in {risk.rule_id for risk in summary_of_text(text, tmp_path).risks}
