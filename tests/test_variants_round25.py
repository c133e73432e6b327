"""Red-team round 25: defects hidden by ordinary words (tests/variants/round25/). One complete
2024 report, each copy with one outdated reference planted in a sentence that also holds a word
which usually looks back (成果, 过渡期间, 回顾性, 对比, 总结…基础上, 回顾, 新旧…衔接).

Seven of them went unflagged: one such word anywhere in the sentence made any mention history. Now
those words count only when nothing applies the mention — no verb of applying before its title
("依据《婚姻法》", "继续深化“七五”普法", "依据《民法通则》和《担保法》"), no "继续对照…推进落实", no old
wording set as the goal ("…守法诚信的法治政府"); the words that always mean the past (废止, 收官, 原《,
旧《, 完成…的基础上, 表现突出) still do, and 衔接/过渡 do when the successor is named beside it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import serious_rules, summary_of_file, summary_of_text

ROUND25 = Path(__file__).parent / "variants" / "round25"
_BASE = (Path(__file__).parent / "variants" / "round18" / "06-jiedao-history-ducha-shufa-2024.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(path.name for path in ROUND25.iterdir()))
def test_an_outdated_reference_beside_a_looking_back_word_is_found(name: str) -> None:
    summary = summary_of_file(ROUND25 / name)
    assert serious_rules(summary) == {"outdated-reference"}


@pytest.mark.parametrize(
    "sentence",
    [
        "在“七五”普法取得成效的基础上，深入实施“八五”普法规划。",
        "对照“七五”普法规划和“八五”普法规划的衔接要求，完善普法责任清单。",
        "《法治政府建设实施纲要（2015—2020年）》实施期间，街道建成法治文化阵地6处。",
        "回顾“七五”普法期间的做法，总结经验用于“八五”普法。",
        "民法典施行后，《合同法》同时废止，街道据此修订合同范本。",
    ],
)
def test_the_past_spoken_of_as_past_is_still_no_finding(sentence: str, tmp_path: Path) -> None:
    start = _BASE.index("一、")
    summary = summary_of_text(_BASE[:start] + sentence + "\n" + _BASE[start:], tmp_path)
    assert "outdated-reference" not in serious_rules(summary)
