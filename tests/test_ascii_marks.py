"""Reports typed with an English keyboard's marks ("52次,开展…;", "(一)", "…投入不足.").

Before, "主要原因是…投入不足." was not read as a sentence, so the report got a false 中
missing-part:reasons; points kept a trailing ";" and indicator names ran over their heading
("(一)严格规范执法.全年办理…"). normalize now reads such marks as full-width ones, one character
for one, when most of the report's commas, semicolons and colons are half-width ones beside
Chinese (``normalize._read_ascii_marks``). A stray "," in a report of "，" is left as typed, so
the bundled samples (and the LLM cassettes recorded from them) keep their clean text.

Variants: a 镇 report with "一." headings, a 街道 report with "(1)" points, a URL, "1,260",
"9:30" and "98.5%.", a 乡 portal page pasted into one line, and a report with one stray ",".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import read_variant, serious_rules
from fazhi_review.analysis import analyze_path
from fazhi_review.engine.offline import summarize_offline
from fazhi_review.normalize import _read_ascii_marks, normalize_text

HERE = Path(__file__).parent
VARIANTS = HERE / "variants" / "ascii-marks"
EXAMPLES = sorted((HERE.parent / "examples").glob("*.txt"))


@pytest.mark.parametrize(
    ("name", "issuer", "level", "shortcomings", "measures"),
    [
        ("changlin-town-2024.txt", "长林镇", "镇", ["执法力量不足，持证执法人员仅7名", "普法宣传针对性不强"], ["加强执法队伍建设，组织执法培训4次", "开展精准普法，提升普法实效"]),
        ("lihua-street-2025.txt", "梨花街道", "街道", ["执法人员法律素养参差不齐", "社区法律顾问作用发挥不够充分"], ["开展执法人员轮训，全年不少于6次", "完善社区法律顾问考核办法"]),
        ("songshan-township-2025.txt", "松山乡", "乡", ["基层执法力量薄弱", "群众法治意识有待提高"], ["充实执法力量，争取新增持证人员2名", "创新普法方式，提升普法覆盖面"]),
        ("tanghe-town-stray-comma-2024.txt", "塘河镇", "镇", ["执法人员专业素质有待提高", "普法形式较为单一"], ["加强执法培训，全年组织培训不少于4次", "丰富普法形式，开展“以案释法”活动"]),
    ],
)
def test_a_report_in_half_width_marks_reads_like_one_in_full_width(name: str, issuer: str, level: str, shortcomings: list[str], measures: list[str]) -> None:
    summary = read_variant(VARIANTS / name, issuer, level, shortcomings, measures)
    assert not serious_rules(summary)


@pytest.mark.parametrize("name", ["changlin-town-2024.txt", "lihua-street-2025.txt", "songshan-township-2025.txt"])
def test_indicator_names_stop_at_the_sentence_the_author_ended(name: str) -> None:
    summary = summarize_offline(analyze_path(VARIANTS / name))
    names = [indicator.name for indicator in summary.indicators]
    assert len(names) >= 6
    for indicator_name in names:
        assert not set(indicator_name) & set(",;:.()\"。；"), indicator_name


def test_the_marks_that_are_not_chinese_punctuation_are_kept() -> None:
    text = "全年办理便民事项1,260件,满意率98.5%.上午9:30在www.lihua.gov.cn公布;一.主要举措,(一)规范执法."
    assert _read_ascii_marks(text) == "全年办理便民事项1,260件，满意率98.5%。上午9:30在www.lihua.gov.cn公布；一.主要举措，（一）规范执法。"


def test_the_reading_keeps_every_offset() -> None:
    original = (VARIANTS / "lihua-street-2025.txt").read_text(encoding="utf-8")
    read = _read_ascii_marks(original)
    assert len(read) == len(original)
    changed = {(a, b) for a, b in zip(original, read, strict=True) if a != b}
    assert changed == {(",", "，"), (";", "；"), (":", "："), (".", "。"), ("(", "（"), (")", "）"), ('"', "“"), ('"', "”")}


def test_a_stray_half_width_comma_is_left_as_typed() -> None:
    original = (VARIANTS / "tanghe-town-stray-comma-2024.txt").read_text(encoding="utf-8")
    assert _read_ascii_marks(original) == original
    assert "案件45件,开展" in normalize_text(original).text


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_the_bundled_samples_keep_their_clean_text(example: Path) -> None:
    """maojun-2024 and yangjiabo-2024 each have a stray ","; the cassettes were recorded from their clean text."""
    original = example.read_text(encoding="utf-8")
    assert _read_ascii_marks(original) == original
