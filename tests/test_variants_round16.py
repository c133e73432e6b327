"""Red-team round 16: ten complete, correct reports worded to provoke false findings
(tests/variants/round16/). Two drew false 高 placeholder findings, now fixed:
- a model number "XX-H6型执法记录仪", a quoted brand or slogan that holds other words ("“XX政务”",
  "“法治××行”"), and a sentence about naming ("以“××”代指当事人", "“XX”为…品牌标识",
  "以“某某公司”匿名") are no unfilled template text.
An unfilled "XX镇", "开展“XX”专项行动", "@件" and "【填写】" are still flagged.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import serious_rules, summary_of_file
from fazhi_review.checks.placeholders import _matches
from fazhi_review.models import REQUIRED_PARTS

ROUND16 = Path(__file__).parent / "variants" / "round16"
FILES = sorted(path.name for path in ROUND16.iterdir())


@pytest.mark.parametrize("name", FILES)
def test_no_false_finding_and_every_part(name: str) -> None:
    summary = summary_of_file(ROUND16 / name)
    assert not serious_rules(summary)
    assert all(summary.parts.get(part) for part in REQUIRED_PARTS)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("配发XX-H6型执法记录仪10台", False),
        ("开通“XX政务”小程序", False),
        ("“XX”为该公司品牌标识", False),
        ("开展“法治××行”活动", False),
        ("以“××”代指当事人", False),
        ("以“某某公司”匿名", False),
        ("XX镇人民政府", True),
        ("开展“XX”专项行动", True),
        ("全年办理@件", True),
        ("共XX件", True),
    ],
)
def test_marks_named_on_purpose_and_marks_left_unfilled(text: str, flagged: bool) -> None:
    assert bool(_matches(text)) is flagged


@pytest.mark.parametrize(
    ("point", "problem"),
    [
        ("一是矛盾纠纷调解成功率虽有提升，但土地流转类纠纷调解成功率仅为88.9%。", "土地流转类纠纷调解成功率仅为88.9%"),
        ("一是普法资料发放量大幅增长，但群众知晓率仅提高1.5个百分点。", "群众知晓率仅提高1.5个百分点"),
        ("一是执法力量与执法任务不匹配，持证人员仅13名，但任务逐年增加。", "执法力量与执法任务不匹配，持证人员仅13名，但任务逐年增加"),  # no concession: as written
    ],
)
def test_the_problem_after_a_conceded_success(point: str, problem: str, tmp_path: Path) -> None:
    from conftest import summary_of_text

    text = (
        "石岭镇2024年法治政府建设情况报告\n县委全面依法治县委员会办公室：\n2024年，我镇扎实推进法治政府建设，现将有关情况报告如下。\n"
        "一、主要举措和成效\n全年办理行政处罚案件24件，开展普法宣传活动20场次，发放宣传资料3000余份。\n"
        "二、党政主要负责人履行推进法治建设第一责任人职责情况\n镇党委书记、镇长认真履行第一责任人职责，召开专题会议研究法治建设3次。\n"
        f"三、存在的不足和原因\n{point}二是法制审核人员均为兼职。主要原因是编制紧张。\n四、2025年工作安排\n加强执法培训，全年不少于4次。\n"
        "石岭镇人民政府\n2025年2月10日\n"
    )
    assert summary_of_text(text, tmp_path).shortcomings[0].text == problem
