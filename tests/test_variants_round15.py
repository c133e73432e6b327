"""Red-team round 15: complete, correct reports written to provoke a false 高 or 中 (tests/variants/round15/).

The false findings they drew, each fixed with variants:
- "当事人张某某所承包林地" (a person made anonymous; 所 the particle) → a false 高 placeholder;
- a title with no year over a date line "（2025年2月20日）" → report year 2025 and a false 中
  plan-year-mismatch (a date line is when the report was signed);
- "重大合同法制审核率100%" → a false 中: 合同法 read inside 合同法制审核;
- "“七五”普法末年（2020年）…" → a false 中: 末年 places it in the past;
- causes written "从主观上讲…；客观上…" → a false 中 missing-part:reasons;
- "从“法制政府”到“法治政府”一字之变" → a false 中: the old word quoted as a contrast is no slip.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import serious_rules, summary_of_file, summary_of_text
from fazhi_review.checks.placeholders import _matches
from fazhi_review.models import REQUIRED_PARTS

ROUND15 = Path(__file__).parent / "variants" / "round15"
FILES = sorted(path.name for path in ROUND15.iterdir())
TRUE_FINDINGS = {"09-zhen-shanhe-DEFECT-late.txt": {"late-report"}, "10-jiedao-xiguan-DEFECT-old-gangyao.txt": {"outdated-reference"}}


@pytest.mark.parametrize("name", FILES)
def test_complete_reports_draw_no_false_finding(name: str) -> None:
    summary = summary_of_file(ROUND15 / name)
    assert serious_rules(summary) == TRUE_FINDINGS.get(name, set())
    assert all(summary.parts.get(part) for part in REQUIRED_PARTS)


def test_a_date_line_under_a_yearless_title_is_no_report_year() -> None:
    meta = summary_of_file(ROUND15 / "01-zhen-gaoqiao-date-under-title.txt").meta
    assert (meta.report_year, meta.plan_year) == (2024, 2025)


@pytest.mark.parametrize(("text", "flagged"), [("当事人张某某所承包林地", False), ("某某所", True), ("某某镇某某村", True), ("在某某镇开展", True)])
def test_a_person_made_anonymous_is_no_placeholder(text: str, flagged: bool) -> None:
    assert bool(_matches(text)) is flagged


REPORT = (
    "石岭镇2022年法治政府建设情况报告\n县委全面依法治县委员会办公室：\n2022年，我镇深入学习贯彻习近平法治思想，扎实推进法治政府建设，现将有关情况报告如下。\n"
    "一、主要举措和成效\n{sentence}全年办理行政处罚案件24件，开展普法宣传活动20场次，发放宣传资料3000余份。\n"
    "二、党政主要负责人履行推进法治建设第一责任人职责情况\n镇党委书记、镇长认真履行推进法治建设第一责任人职责，召开专题会议研究法治建设3次。\n"
    "三、存在的不足和原因\n执法力量不足，持证执法人员偏少。{cause}\n四、2023年工作安排\n加强执法培训，全年组织培训不少于4次。\n石岭镇人民政府\n2023年2月10日\n"
)


@pytest.mark.parametrize(
    ("sentence", "cause", "rules"),
    [
        ("重大合同法制审核率100%。", "原因是编制紧张。", set()),
        ("“七五”普法末年（2020年），群众法律知识知晓率为71.3%。", "原因是编制紧张。", set()),
        ("从“法制政府”到“法治政府”，一字之变意义深远。", "原因是编制紧张。", set()),
        ("全年审查合同12份。", "从主观上讲，学习不够；客观上，编制紧张。", set()),
        ("依据《合同法》审查合同12份。", "原因是编制紧张。", {"outdated-reference"}),  # still caught
        ("扎实推进法制政府建设。", "原因是编制紧张。", {"outdated-reference"}),
    ],
)
def test_variants_that_look_outdated_or_causeless(sentence: str, cause: str, rules: set[str], tmp_path: Path) -> None:
    summary = summary_of_text(REPORT.format(sentence=sentence, cause=cause), tmp_path)
    assert serious_rules(summary) == rules
