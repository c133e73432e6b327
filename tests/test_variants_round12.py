"""Red-team round 12: county portal pages copied whole and pasted into .txt, one portal template
per file (tests/variants/round12/).

The defects they found, each fixed with variants:
- a 相关文章 list after the 落款 ("·关于印发《…纲要（2015—2020年）》贯彻落实方案的通知　2016-06-12")
  gave a false 中 outdated-reference: a bulleted, dated article link is page furniture;
- the title ran into the line above it: a one-line menu ("首页 | 走进青阳 | … | 专题专栏 | 长者模式"),
  a welcome bar ("梅江县人民政府欢迎您！ 简体 | 繁體 | 无障碍 | 长者版"), the site's address
  ("www.pingchuan.gov.cn"), a catalogue cell "名称\t…" whose label was glued to the title and issuer.
A page pasted with no line break at all took its issuer from the breadcrumb ("政务白岩乡"); left
alone: its title keeps the page header (03).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import serious_rules, summary_of_file
from fazhi_review.chrome import is_chrome_line

ROUND12 = Path(__file__).parent / "variants" / "round12"
EXPECTED = {
    "01-town-catalogue-tabs-attachments-clean.txt": ("石门镇2024年度法治政府建设情况报告", "石门镇", set()),
    "02-street-navline-fontbar-share-clean.txt": ("沙河街道2024年法治政府建设年度报告", "沙河街道", set()),
    "04-town-blanklines-spaces-footer-clean.txt": ("新塘镇2024年度法治政府建设工作情况报告", "新塘镇", set()),
    "05-xiang-related-articles-firstresp-second-clean.txt": ("桃源乡2024年度法治政府建设情况报告", "桃源乡", set()),
    "06-town-printview-late-signature-DEFECT.txt": ("河口镇2024年法治政府建设情况报告", "河口镇", {"late-report"}),
    "07-town-no-signature-clockbar.txt": ("金沙镇2024年法治政府建设年度报告", "金沙镇", set()),
    "08-town-outdated-gangyao-qiwu-DEFECT.txt": ("柳林镇2024年度法治政府建设情况报告", "柳林镇", {"outdated-reference"}),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_title_issuer_and_only_the_real_findings(name: str) -> None:
    summary = summary_of_file(ROUND12 / name)
    title, issuer, findings = EXPECTED[name]
    assert (summary.meta.title, summary.meta.issuer) == (title, issuer)
    assert serious_rules(summary) == findings


def test_a_page_pasted_without_line_breaks_reads_its_parts_and_date() -> None:
    summary = summary_of_file(ROUND12 / "03-xiang-whole-page-no-breaks-clean.txt")
    assert str(summary.meta.signed_date) == "2025-02-19" and not serious_rules(summary)
    assert summary.meta.issuer == "白岩乡"  # not the breadcrumb's "乡镇政务白岩乡"


@pytest.mark.parametrize(
    ("line", "chrome"),
    [
        ("www.pingchuan.gov.cn", True),
        ("http://www.qy.gov.cn/art/2025/2/27/art_12.html", True),
        ("梅江县人民政府欢迎您！ 简体 | 繁體 | 无障碍 | 长者版", True),
        ("首页 | 走进青阳 | 政务公开 | 政务服务 | 互动交流 | 专题专栏 | 数据开放 | 无障碍 | 长者模式", True),
        ("·关于印发《法治政府建设实施纲要（2015—2020年）》贯彻落实方案的通知　2016-06-12", True),
        ("名称\t石门镇2024年度法治政府建设情况报告", True),
        ("依托区政务服务网(www.lihua.gov.cn)办理便民事项1260件。", False),
        ("石门镇人民政府", False),
        ("·开展宪法宣传周活动，覆盖群众3000余人次。", False),
    ],
)
def test_portal_furniture_lines(line: str, chrome: bool) -> None:
    assert is_chrome_line(line) is chrome
