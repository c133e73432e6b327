"""Red-team round 16: ten complete, correct reports worded to provoke false findings
(tests/variants/round16/). Two drew false 高 placeholder findings, now fixed:
- a model number "XX-H6型执法记录仪", a quoted brand or slogan that holds other words ("“XX政务”",
  "“法治××行”"), and a sentence about naming ("以“××”代指当事人", "“XX”为…品牌标识",
  "以“某某公司”匿名") are no unfilled template text.
An unfilled "XX镇", "开展“XX”专项行动", "@件" and "【填写】" are still flagged.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import summary_of_file
from fazhi_review.checks.placeholders import _matches
from fazhi_review.models import REQUIRED_PARTS

ROUND16 = Path(__file__).parent / "variants" / "round16"
FILES = sorted(path.name for path in ROUND16.iterdir())


@pytest.mark.parametrize("name", FILES)
def test_no_false_finding_and_every_part(name: str) -> None:
    summary = summary_of_file(ROUND16 / name)
    assert not [risk.rule_id for risk in summary.risks if risk.severity in ("高", "中")]
    assert all(summary.parts.get(part) for part in REQUIRED_PARTS)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("配发XX-H6型执法记录仪10台", False),
        ("开通“XX政务”小程序", False),
        ("“XX”为该公司品牌标识", False),
        ("开展“法治××行”活动", False),
        ("以“××”代指当事人", False),
        ("以“某某公司”匿名", False),
        ("XX镇人民政府", True),
        ("开展“XX”专项行动", True),
        ("全年办理@件", True),
        ("共XX件", True),
    ],
)
def test_marks_named_on_purpose_and_marks_left_unfilled(text: str, flagged: bool) -> None:
    assert bool(_matches(text)) is flagged
