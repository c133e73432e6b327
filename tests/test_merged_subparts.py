"""A merged part "二、存在的问题及下一步打算" whose sub-headings split it: "（一）存在问题" on a
line of its own, then its points ("一是…；二是…", "1." "2." on lines of their own, or a 街道's
"（1）"), then "（二）下一步打算" and its points.

The sub-heading and each run of points are separate segments of the part, and the first point
stood at a segment's start, where the part's own heading usually stands: it was taken for that
heading, so the first 不足 and the first 措施 were lost ("1." and "2." each a segment lost all but
the last). A segment that goes on from the one before it with a deeper heading now keeps its
point (``engine.items._continued``); two parts side by side, each under its own heading of one
level (r4-split-plan-two-headings: "六、2025年工作思路" | "七、2025年具体措施"), are unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import read_variant
from fazhi_review.analysis import analyze_path
from fazhi_review.engine.offline import summarize_offline

VARIANTS = Path(__file__).parent / "variants"
SHORTCOMINGS = ["部分干部依法行政意识有待提高", "执法队伍力量不足，持证人员偏少"]
MEASURES = ["加强学法用法，全年组织集中学法不少于4次", "积极争取执法编制，充实执法力量"]


@pytest.mark.parametrize(
    ("name", "issuer", "level"),
    [("merged-subparts-yishi.txt", "桃花乡", "乡"), ("merged-subparts-numbered.txt", "杏林乡", "乡"), ("merged-subparts-street.txt", "梨园街道", "街道")],
)
def test_every_point_under_a_merged_parts_sub_headings_is_kept(name: str, issuer: str, level: str) -> None:
    summary = read_variant(VARIANTS / "round6-lead" / name, issuer, level, SHORTCOMINGS, MEASURES)
    assert not summary.risks


def test_two_plan_parts_under_headings_of_one_level_keep_their_points() -> None:
    summary = summarize_offline(analyze_path(VARIANTS / "round4" / "r4-split-plan-two-headings.txt"))
    texts = [m.text for m in summary.measures]
    assert "2025年具体措施" not in texts and len(texts) >= 3
