"""Red-team round 20: ten .txt reports of 2021–2024 (tests/variants/round20/; three GBK, one with a
BOM and CRLF), eight complete and two with one defect each.

Fixed: "在全面完成《…纲要（2015—2020年）》确定的各项目标任务的基础上" gave a false 中
outdated-reference; "（二）深层次原因" was a 4th 不足 and left the real ones "未分析原因"; the causes
run in after "（二）产生问题的原因。" were cut to the sub-heading; a plan pasted as a table
(序号 | 重点任务 | 责任单位 | 完成时限) gave its header as a measure and its rows with their numbers;
units 批次, 个工作日 and ‰ were read as 批, 个 and nothing; the 其他 part ran into the first of two
issuer lines of the 落款.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import serious_rules, summary_of_file, summary_of_text
from fazhi_review.ingest import read_document
from fazhi_review.models import REQUIRED_PARTS

ROUND20 = Path(__file__).parent / "variants" / "round20"
COMPLETE = sorted(path.name for path in ROUND20.iterdir() if "DEFECT" not in path.name)


def _text(name: str) -> str:
    return read_document(ROUND20 / name).text


@pytest.mark.parametrize("name", COMPLETE)
def test_a_complete_report_has_no_serious_finding_and_reads_whole(name: str) -> None:
    summary = summary_of_file(ROUND20 / name)
    assert not serious_rules(summary)
    assert all(summary.parts.get(part) for part in REQUIRED_PARTS)
    assert len(summary.shortcomings) == 3 and all(s.has_reason for s in summary.shortcomings)
    assert summary.meta.plan_year == summary.meta.report_year + 1  # type: ignore[operator]


@pytest.mark.parametrize(("name", "rule"), [("09-zhen-2022-DEFECT-empty-reasons.txt", "empty-part:reasons"), ("10-jiedao-2023-DEFECT-old-gangyao-current.txt", "outdated-reference")])
def test_the_planted_defect_alone_is_found(name: str, rule: str) -> None:
    assert serious_rules(summary_of_file(ROUND20 / name)) == {rule}


_OLD = "《法治政府建设实施纲要（2015—2020年）》"


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        (f"在全面完成{_OLD}确定的各项目标任务的基础上，认真贯彻新纲要。", False),
        (f"{_OLD}如期完成后，街道转入新纲要的实施。", False),
        (f"我街道圆满完成{_OLD}各项任务。", False),
        (f"街道继续以{_OLD}为工作指引，全面完成年度目标任务。", True),  # the 完成 is the year's, not the 纲要's
        (f"街道继续对照{_OLD}确定的目标任务推进工作。", True),
    ],
)
def test_an_old_plan_carried_out_to_its_end_is_history(sentence: str, flagged: bool, tmp_path: Path) -> None:
    text = _text("07-jiedao-2021-bom-crlf-history-refs.txt")
    start = text.index("一、")
    summary = summary_of_text(text[:start] + sentence + "\n" + text[start:], tmp_path)
    assert ("outdated-reference" in serious_rules(summary)) is flagged


@pytest.mark.parametrize("label", ["（二）深层次原因", "（二）客观原因", "（二）问题根源"])
def test_a_causes_sub_heading_is_no_shortcoming(label: str, tmp_path: Path) -> None:
    text = _text("02-jiedao-2022-gbk-mulu-problemlist.txt").replace("（二）深层次原因", label)
    summary = summary_of_text(text, tmp_path)
    assert len(summary.shortcomings) == 3 and all(s.has_reason for s in summary.shortcomings)
    assert not [s for s in summary.shortcomings if "原因" in s.text or "根源" in s.text]


@pytest.mark.parametrize("opening", ["（二）产生问题的原因。", "（二）存在问题的原因：", "（二）原因分析。"])
def test_causes_run_in_after_their_sub_heading_are_taken_whole(opening: str, tmp_path: Path) -> None:
    text = _text("06-xiang-2022-gbk-twoissuers-ducha-dot-plan.txt").replace("（二）产生问题的原因。", opening)
    summary = summary_of_text(text, tmp_path)
    reasons = summary.parts["reasons"]
    assert reasons is not None
    quoted = text[reasons.start : reasons.end]
    assert quoted.startswith(opening) and quoted.rstrip().endswith("培训覆盖不全面。")


@pytest.mark.parametrize("header", ["序号\t重点任务\t责任单位\t完成时限", "序号\t工作任务\t牵头单位\t时间节点", "序号\t任务内容\t责任单位\t完成时限"])
def test_a_plan_pasted_as_a_task_table(header: str, tmp_path: Path) -> None:
    text = _text("03-kaifaqu-2023-tabtable-fuyifa.txt").replace("序号\t重点任务\t责任单位\t完成时限", header)
    measures = [m.text for m in summary_of_text(text, tmp_path).measures]
    assert measures[0] == "配齐配强法治工作力量，增设专职法治工作人员1名" and len(measures) == 5
    assert not [m for m in measures if "\t" in m or "序号" in m or m[:1].isdigit()]


@pytest.mark.parametrize(
    ("clause", "value", "unit"),
    [("全年接待群众来访217批次", 217, "批次"), ("审批时间平均压缩至28个工作日", 28, "个工作日"), ("信访发生率0.83‰", 0.83, "‰"), ("办理依申请公开4件", 4, "件")],
)
def test_units_of_a_count(clause: str, value: float, unit: str, tmp_path: Path) -> None:
    text = _text("08-xiang-2024-gbk-firstresp-last-subsection.txt")
    start = text.index("一、")
    text = text[:start] + f"{clause}。\n" + text[start:]
    at = text.index(clause)
    found = [(i.value, i.unit) for i in summary_of_text(text, tmp_path).indicators if at <= i.evidence.start < at + len(clause)]
    assert (value, unit) in found


@pytest.mark.parametrize("name", ["01-xiang-2021-firstresp-opening-objsubj.txt", "06-xiang-2022-gbk-twoissuers-ducha-dot-plan.txt"])
def test_the_last_part_stops_before_the_issuers_of_the_signature(name: str) -> None:
    summary = summary_of_file(ROUND20 / name)
    text = _text(name)
    last = max((location for location in summary.parts.values() if location is not None), key=lambda location: location.start)
    assert not any(word in text[last.start : last.end] for word in ("委员会", "人民政府"))
