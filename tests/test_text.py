"""text.py's dates and years: Arabic and Chinese numerals (〇/○/零, 十/廿) read by one parser."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi_review.text import find_year, parse_date


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("2025年3月10日", dt.date(2025, 3, 10)),
        ("二〇二五年三月十日", dt.date(2025, 3, 10)),
        ("二○二五年三月十日", dt.date(2025, 3, 10)),
        ("二零二五年三月十日", dt.date(2025, 3, 10)),
        ("二〇二五年二月廿八日", dt.date(2025, 2, 28)),
        ("二〇二四年十二月三十一日", dt.date(2024, 12, 31)),
        ("2025-03-05", dt.date(2025, 3, 5)),
        ("2025.3.5", dt.date(2025, 3, 5)),
        (" 2025年 2月 1日 ", dt.date(2025, 2, 1)),
    ],
)
def test_parse_date(written: str, date: dt.date) -> None:
    assert parse_date(written) == date


@pytest.mark.parametrize("written", ["2025年2月30日", "二〇二五年十三月一日", "2025年3月", "某某镇人民政府2025年3月1日", "12025年3月1日"])
def test_parse_date_refuses_what_is_not_one_date(written: str) -> None:
    assert parse_date(written) is None


@pytest.mark.parametrize(
    ("text", "year"),
    [("关于二〇二四年度法治政府建设工作情况的报告", 2024), ("2023年法治政府建设", 2023), ("二○二二年", 2022), ("第12024年", None), ("没有年份", None)],
)
def test_find_year(text: str, year: int | None) -> None:
    assert find_year(text) == year
