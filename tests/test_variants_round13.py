"""Red-team round 13: Word documents numbered by Word (tests/variants/round13/, made with
python-docx: multilevel lists, split or overridden lists, "List Number" points, Heading styles
with no number, a custom heading style, a right-aligned 落款 with a Chinese-numeral date).

No false finding; the defects were in what the reader made of the numbering:
- the report's own title set in Heading 1 got a synthetic "一、" (and the letter would have quoted
  《一、石门镇…报告》);
- a custom style based on Heading 2 was not numbered as its parent, so its （一）（二）（三）
  measures were read as body text and cut into eleven clauses;
- 不足 typed as plain paragraphs under a Heading-style heading were cut into ten clauses: each
  paragraph is now one point (its lead-in "…存在以下不足：" none).
Left alone: Word's list-level overrides ("set numbering value") and a list continued across
instances are not followed, so such headings carry other numbers than Word shows (f02, f03);
no finding depends on them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import serious_rules, summary_of_file, summary_of_text
from fazhi_review.models import REQUIRED_PARTS

ROUND13 = Path(__file__).parent / "variants" / "round13"
FILES = sorted(path.name for path in ROUND13.iterdir())
DEFECT = "f08-xiang-auto-DEFECT-no-first-resp-part-2024.docx"


@pytest.mark.parametrize("name", FILES)
def test_every_document_reads_with_three_points_each_and_no_false_finding(name: str) -> None:
    summary = summary_of_file(ROUND13 / name)
    expected = {"missing-part:first_responsible"} if name == DEFECT else set()
    assert serious_rules(summary) == expected
    assert (len(summary.shortcomings), len(summary.measures)) == (3, 3)
    assert not summary.meta.title.startswith("一、")
    if name != DEFECT:
        assert all(summary.parts.get(part) for part in REQUIRED_PARTS)


PLAIN = (
    "石岭镇2024年法治政府建设情况报告\n一、主要举措和成效\n全年办理行政处罚案件12件，开展普法活动20场次。\n"
    "二、党政主要负责人履行推进法治建设第一责任人职责情况\n镇党委书记召开专题会议研究法治建设3次。\n"
    "三、存在的不足和原因\n{intro}执法力量仍然薄弱，持证执法人员仅6名，原因是编制紧张。\n"
    "普法宣传针对性不强，对外出务工人员覆盖不够，主要是因为宣传形式单一。\n"
    "四、2025年工作安排\n充实执法力量，争取新增持证执法人员2名。\n创新普法形式，开通普法微信专栏。\n"
    "石岭镇人民政府\n2025年2月10日\n"
)


@pytest.mark.parametrize("intro", ["", "在肯定成绩的同时，我们也清醒地认识到还存在以下不足：\n", "对照上级要求，我镇工作中还存在一些问题：\n"])
def test_points_typed_as_plain_paragraphs(intro: str, tmp_path: Path) -> None:
    summary = summary_of_text(PLAIN.format(intro=intro), tmp_path)
    # one point per paragraph, each quoted from its start (a short one whole, a long one to its first comma)
    assert [s.text[:8] for s in summary.shortcomings] == ["执法力量仍然薄弱", "普法宣传针对性不"]
    assert [m.text for m in summary.measures] == ["充实执法力量，争取新增持证执法人员2名", "创新普法形式，开通普法微信专栏"]
    assert all(s.has_reason for s in summary.shortcomings)
