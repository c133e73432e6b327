"""Red-team round 17: eight complete reports worded to provoke false findings (tests/variants/round17/).

Fixed: causes under "（二）问题根源" were a 4th 不足 and the part "missing" (a false 中); "五、展望2025"
gave no plan year; "二是AI辅助…" was no point (a false 低 heading-numbering, a 不足 lost).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import serious_rules, summary_of_file
from fazhi_review.models import REQUIRED_PARTS

ROUND17 = Path(__file__).parent / "variants" / "round17"
FILES = sorted(path.name for path in ROUND17.iterdir())


@pytest.mark.parametrize("name", FILES)
def test_no_finding_three_points_and_the_plan_year(name: str) -> None:
    summary = summary_of_file(ROUND17 / name)
    assert not serious_rules(summary)
    assert not [risk.rule_id for risk in summary.risks if risk.rule_id == "heading-numbering"]
    assert all(summary.parts.get(part) for part in REQUIRED_PARTS)
    assert len(summary.shortcomings) == 3 and all(s.has_reason for s in summary.shortcomings)
    assert summary.meta.plan_year == 2025
