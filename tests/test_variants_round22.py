"""Red-team round 22: inputs hunted for crashes (internal errors) in the genre's odd corners.

Fixed: a 不足 or plan point that is a number with no words ("1." or "（三）" alone, a part ending on
"4."; an empty numbered paragraph of Word's inside the 不足) made the summary fail with 内部错误
on an empty quote; a run of more digits than a count has (4,301 digits, or 306 before 万) did too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import serious_rules, summary_of_file, summary_of_text

ROUND22 = Path(__file__).parent / "variants" / "round22"
_BASE = (Path(__file__).parent / "variants" / "round18" / "06-jiedao-history-ducha-shufa-2024.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "text",
    [
        "三、不足\n（一）不足\n1.",
        "三、不足\n（一）不足\n1.\n",
        "某镇2024年法治政府建设情况报告\n三、存在的不足\n1.执法力量不足。\n2.\n3.普法形式单一。\n四、2025年工作安排\n（一）\n（二）加强执法培训。",
    ],
)
def test_a_point_with_no_words_is_no_point(text: str, tmp_path: Path) -> None:
    summary = summary_of_text(text, tmp_path)
    assert all(item.text.strip() for item in (*summary.shortcomings, *summary.measures))


def test_a_report_whose_last_point_is_a_bare_number(tmp_path: Path) -> None:
    end = _BASE.index("四、2025年工作安排")
    summary = summary_of_text(_BASE[:end] + "4.\n", tmp_path)
    assert all(s.text.strip() for s in summary.shortcomings)


def test_an_empty_numbered_word_paragraph_inside_the_shortcomings() -> None:
    summary = summary_of_file(ROUND22 / "docx-empty-numbered-item-in-buzu.docx")
    assert summary.shortcomings and all(s.text.strip() for s in summary.shortcomings)


@pytest.mark.parametrize("figure", ["1" * 4301 + "件", "1" * 306 + "万元", "9" * 16 + "亿元", "1" * 400])
def test_a_run_of_digits_no_count_has_is_no_figure(figure: str, tmp_path: Path) -> None:
    start = _BASE.index("一、")
    summary = summary_of_text(_BASE[:start] + f"全年办理行政处罚案件{figure}。\n" + _BASE[start:], tmp_path)
    assert not [i for i in summary.indicators if i.value >= 10**15]
    assert not serious_rules(summary)


@pytest.mark.parametrize("control", ["\x1b", "\x0b", "\x07"])
def test_a_letter_quoting_a_control_character_is_still_written_to_word(control: str, tmp_path: Path) -> None:
    """An ESC pasted from a terminal inside a 不足 made the Word 审阅意见 unwritable (内部错误)."""
    import io
    import zipfile

    from fazhi_review.batch.review_step import review_outputs, review_settings

    text = _BASE.replace("。", f"。{control}[0m")  # a colour reset after every sentence, as a terminal paste leaves
    summary = summary_of_text(text, tmp_path)
    letter = review_outputs(summary, review_settings())
    document = zipfile.ZipFile(io.BytesIO(letter.docx)).read("word/document.xml").decode("utf-8")
    assert control not in document and "审阅意见" in document
