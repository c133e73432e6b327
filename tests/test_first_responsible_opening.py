"""The 第一责任人 written in the report's opening paragraph, before its first part heading.

A reviewer's trial found a false 高 ``missing-part:first_responsible`` for a report whose opening
said "镇党委书记、镇长认真履行推进法治建设第一责任人职责…". The opening counts only as prose: a
title or a "现将…报告如下：" line that names the 第一责任人 is no account of how it was done.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES_DIR
from fazhi_review.analysis import analyze_path

#: a report without any 第一责任人 content of its own
BASE = (EXAMPLES_DIR / "suhe-2021.txt").read_text(encoding="utf-8")
DUTY = "镇党委书记、镇长认真履行推进法治建设第一责任人职责，全年主持召开专题会议4次，研究解决法治建设重大问题。"


def _before_first_part(text: str, opening: str) -> str:
    cut = text.index("一、")
    return text[:cut] + opening + "\n" + text[cut:]


def _missing(tmp_path: Path, text: str) -> bool:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return "missing-part:first_responsible" in {f.rule_id for f in analyze_path(path).findings}


def test_the_base_report_lacks_the_part(tmp_path: Path) -> None:
    assert _missing(tmp_path, BASE)


@pytest.mark.parametrize(
    "opening",
    [
        DUTY,
        "今年以来，镇党政主要负责人切实履行推进法治建设第一责任人职责，带头学法、带头述法；",
        "镇党委书记认真履行第一责任人职责，坚持重大事项集体研究。镇长定期听取法治政府建设工作汇报。",
    ],
)
def test_the_part_written_in_the_opening_is_found(tmp_path: Path, opening: str) -> None:
    assert not _missing(tmp_path, _before_first_part(BASE, opening))


@pytest.mark.parametrize(
    "text",
    [
        "中共苏河镇委员会 苏河镇人民政府关于2021年度法治政府建设暨党政主要负责人履行推进法治建设第一责任人职责情况的报告\n" + BASE,
        _before_first_part(BASE, "现将我镇2021年度法治政府建设暨主要负责人履行推进法治建设第一责任人职责情况报告如下："),
    ],
)
def test_a_title_or_lead_in_naming_the_part_is_no_content(tmp_path: Path, text: str) -> None:
    assert _missing(tmp_path, text)
