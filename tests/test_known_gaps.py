"""Known defects, each with the report that shows it, marked strict xfail: the test fails the day
the defect is fixed (XPASS), so whoever fixes it turns it into an ordinary test.

- half-width-marks.txt: a report typed with an English keyboard's marks ("52次,开展…;", "(一)",
  "…投入不足.") gets a false 中 missing-part:reasons, because "主要原因是…." is not read as a
  cause. Reading such marks as full-width in normalize fixes it, but changes the clean text of
  two bundled samples, so the LLM cassettes must be re-recorded with it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi_review.analysis import analyze_path
from fazhi_review.engine.offline import summarize_offline

GAPS = Path(__file__).parent / "variants" / "known-gaps"


@pytest.mark.xfail(strict=True, reason="half-width marks: the 原因 sentence ending in '.' is not read (see module docstring)")
def test_half_width_marks_give_no_false_missing_reasons() -> None:
    summary = summarize_offline(analyze_path(GAPS / "half-width-marks.txt"))
    assert not [r.rule_id for r in summary.risks if r.severity in ("高", "中")]
