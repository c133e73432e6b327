"""Red-team round 14: reports as messy as the real ones (tests/variants/round14/): titles broken
over two or three centred lines, a 民族乡, "我们", parts numbered 第一、第二…, points 1）2）3）, a
letter closing "特此报告", one late and one without its 第一责任人 part.

No false finding; fixed:
- a title broken over lines kept only its last line ("建设情况报告", "报告"); the lines above it
  that begin it are joined, unless the last line is a whole title (it names its unit or year:
  a portal's site name above "新塘镇2024年度…报告" stays apart);
- "关于报送梅溪镇…的报告" gave the issuer 报送梅溪镇;
- "其他需报告的情况", and an other part answered "无。" then closed by "特此报告。", were not found.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import serious_rules, summary_of_file, summary_of_text

ROUND14 = Path(__file__).parent / "variants" / "round14"
EXPECTED = {
    "01-zhen-qinglong.txt": ("青龙镇2024年度法治政府建设情况报告", "青龙镇", set()),
    "02-xiang-baishui.txt": ("白水乡人民政府关于二〇二四年度法治政府建设情况的报告", "白水乡", set()),
    "03-jiedao-dongcheng-DEFECT-no-first-responsible.txt": ("东城街道办事处2024年法治政府建设情况报告", "东城街道", {"missing-part:first_responsible"}),
    "04-minzuxiang-yangliuping.txt": ("杨柳坪土家族乡2024年法治政府建设情况报告", "杨柳坪土家族乡", set()),
    "05-zhen-women-huashan.txt": ("花山镇关于2024年度法治政府建设工作情况的报告", "花山镇", set()),
    "06-zhen-diyi-shiqiao.txt": ("石桥镇2023年法治政府建设工作报告", "石桥镇", set()),
    "07-xiang-subitems-longtan.txt": ("龙潭乡2024年度法治政府建设情况报告", "龙潭乡", set()),
    "08-letter-tejibaogao-DEFECT-late.txt": ("关于报送梅溪镇2024年度法治政府建设情况的报告", "梅溪镇", {"late-report"}),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_title_issuer_findings_and_the_other_part(name: str) -> None:
    summary = summary_of_file(ROUND14 / name)
    title, issuer, findings = EXPECTED[name]
    assert (summary.meta.title, summary.meta.issuer) == (title, issuer)
    assert serious_rules(summary) == findings
    if name.startswith(("02", "08")):
        assert summary.parts.get("other")


BODY = "\n一、主要举措和成效\n全年办理行政处罚案件12件。\n二、存在的不足和原因\n执法力量不足，原因是编制紧张。\n三、2025年工作安排\n加强执法培训。\n石岭镇人民政府\n2025年2月10日\n"


@pytest.mark.parametrize(
    ("head", "title"),
    [
        ("石岭镇关于2024年度\n法治政府建设情况的报告", "石岭镇关于2024年度法治政府建设情况的报告"),
        ("石岭镇\n2024年法治政府建设\n情况报告", "石岭镇2024年法治政府建设情况报告"),
        ("平川县人民政府\n石岭镇2024年法治政府建设情况报告", "石岭镇2024年法治政府建设情况报告"),  # a site's name above a whole title
    ],
)
def test_a_title_broken_over_lines(head: str, title: str, tmp_path: Path) -> None:
    assert summary_of_text(head + BODY, tmp_path).meta.title == title
