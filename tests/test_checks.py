"""Rule pack v1: gold recall and precision on the real reports, plus one positive and one
near-miss negative per rule family on short synthetic reports."""

from __future__ import annotations

import pytest
from conftest import GOLD_DIR, gold_cases as read_gold

from fazhi_review.checks import FAMILIES, RULE_PACK_VERSION, RULES, get_rule, make_finding, run_checks
from fazhi_review.config import CheckProfile
from fazhi_review.facts import extract_facts
from fazhi_review.models import Evidence, Finding
from fazhi_review.normalize import normalize_text
from fazhi_review.structure import parse_structure

GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))


def check(original: str, profile: CheckProfile | None = None) -> list[Finding]:
    """The whole pipeline up to checks, asserting the evidence contract on the way out."""
    norm = normalize_text(original)
    report = parse_structure(norm)
    findings = run_checks(norm, report, extract_facts(norm, report), profile)
    for finding in findings:
        if finding.evidence is not None:
            assert original[finding.evidence.start : finding.evidence.end] == finding.evidence.quote
    return findings


def of(findings: list[Finding], rule_id: str) -> list[Finding]:
    return [f for f in findings if f.rule_id == rule_id]


def quotes(findings: list[Finding], rule_id: str) -> list[str]:
    return [f.evidence.quote for f in of(findings, rule_id) if f.evidence]


def mini(
    year: int = 2023,
    plan: str = "2024年工作安排",
    signed: str = "2024年2月28日",
    extra: str = "",
    reasons: bool = True,
) -> str:
    """A small report holding all five statutory parts, so every rule is quiet on it by default."""
    reason = "产生上述问题的原因主要是学习培训不够系统，执法力量配备不足。\n" if reasons else ""
    return f"""青山镇{year}年法治政府建设情况报告
{year}年，青山镇在县委、县政府的坚强领导下，坚持依法行政，扎实推进法治政府建设。现将有关情况报告如下：
一、主要举措和成效
（一）健全依法决策机制。镇政府严格落实重大行政决策程序，全年开展合法性审查12件，聘请法律顾问1名。{extra}
（二）规范行政执法行为。全面推行行政执法三项制度，全年办理行政处罚案件8件，开展案卷评查2次。
二、党政主要负责人履行推进法治建设第一责任人职责情况
镇党委书记、镇长认真履行推进法治建设第一责任人职责，全年主持召开专题会议4次，带头学法6次。
三、存在的不足和原因
（一）执法队伍力量薄弱。持证执法人员仅5人，专业人员不足。
（二）普法形式较为单一。宣传方式以发放资料为主，群众参与度不高。
{reason}四、{plan}
（一）加强执法队伍建设。组织执法人员参加业务培训，提升执法能力。
（二）创新普法宣传方式。运用新媒体开展普法，提高群众参与度。
青山镇人民政府
{signed}
"""


# ---------------------------------------------------------------- catalogue


def test_catalogue_holds_every_rule_id_other_tools_rely_on() -> None:
    rules = {
        "missing-part:achievements": "高",
        "missing-part:first_responsible": "高",
        "missing-part:shortcomings": "高",
        "missing-part:reasons": "中",
        "missing-part:next_year_plan": "高",
        "heading-numbering": "低",
        "repeated-text": "低",
        "placeholder": "高",
        "outdated-reference": "中",
        "late-report": "中",
        "plan-year-mismatch": "中",
        "percent-over-100": "中",
        "thin-shortcomings": "中",
    }
    judgements = {
        "self-reported-risk": "高",
        "off-scope-text": "中",
        "generic-text": "低",
        "unaddressed-shortcoming": "中",
        "implausible-claim": "低",
    }
    for rule_id, severity in rules.items():
        assert RULES[rule_id].kind == "rule" and RULES[rule_id].severity == severity
    for rule_id, severity in judgements.items():
        assert RULES[rule_id].kind == "judgement" and RULES[rule_id].severity == severity
    assert RULE_PACK_VERSION == "v1"
    assert all(rule.title and rule.basis and rule.description for rule in RULES.values())


def test_make_finding_takes_title_severity_and_basis_from_the_catalogue() -> None:
    evidence = Evidence(quote="情况情况", start=3, end=7)
    finding = make_finding("repeated-text", "“情况”重复。", evidence)
    rule = get_rule("repeated-text")
    assert (finding.title, finding.severity, finding.basis) == (rule.title, rule.severity, rule.basis)
    assert finding.source == "rule" and finding.evidence == evidence
    assert make_finding("generic-text", "空泛", source="llm").source == "llm"
    with pytest.raises(KeyError):
        get_rule("no-such-rule")


# ---------------------------------------------------------------- gold


@pytest.fixture(scope="module")
def gold_cases() -> list[tuple[dict, str, list[Finding]]]:
    """(gold, original, findings) per report, the pipeline run once per module."""
    return [(gold, original, check(original)) for gold, original in read_gold()]


def _occurrences(original: str, quote: str) -> list[tuple[int, int]]:
    """Every place the quote stands: a repeated passage is quoted by gold at its first copy,
    while the rule rightly points at the second (the one to delete)."""
    found, at = [], original.find(quote)
    while at != -1:
        found.append((at, at + len(quote)))
        at = original.find(quote, at + 1)
    return found


def test_gold_is_present() -> None:
    assert len(GOLD_FILES) >= 4


@pytest.mark.parametrize("index", range(len(GOLD_FILES)))
def test_every_rule_finding_in_gold_is_found_at_its_quote(gold_cases, index: int) -> None:
    gold, original, findings = gold_cases[index]
    for expected in gold["findings"]:
        if expected.get("judgement"):
            continue
        hits = of(findings, expected["rule"])
        assert hits, f"{gold['report']}: missing {expected['rule']} ({expected['note']})"
        if expected["quote"]:
            places = _occurrences(original, expected["quote"])
            assert places, "gold quote must be verbatim"
            assert any(
                h.evidence and any(h.evidence.start < end and start < h.evidence.end for start, end in places)
                for h in hits
            ), f"{gold['report']}: {expected['rule']} not at “{expected['quote']}”"


@pytest.mark.parametrize("index", range(len(GOLD_FILES)))
def test_no_rule_finding_outside_gold(gold_cases, index: int) -> None:
    """Precision: every rule finding on a real report is one the careful reader also made."""
    gold, _, findings = gold_cases[index]
    expected = {f["rule"] for f in gold["findings"]}
    extra = [(f.rule_id, f.evidence.quote if f.evidence else None) for f in findings if f.rule_id not in expected]
    assert extra == [], f"{gold['report']}: false positives {extra}"


# ---------------------------------------------------------------- the clean baseline


def test_a_complete_clean_report_has_no_findings() -> None:
    assert check(mini()) == []


# ---------------------------------------------------------------- parts


def test_missing_reasons_points_at_the_heading_that_promised_them() -> None:
    findings = check(mini(reasons=False))
    assert [f.rule_id for f in findings] == ["missing-part:reasons"]
    assert findings[0].evidence is not None and "不足和原因" in findings[0].evidence.quote


def test_missing_first_responsible_part_fires_without_evidence() -> None:
    text = mini().replace(
        "二、党政主要负责人履行推进法治建设第一责任人职责情况\n镇党委书记、镇长认真履行推进法治建设第一责任人职责，",
        "二、依法化解矛盾纠纷\n镇综治中心",
    )
    findings = check(text)
    assert [f.rule_id for f in of(findings, "missing-part:first_responsible")] == ["missing-part:first_responsible"]
    assert of(findings, "missing-part:first_responsible")[0].evidence is None
    assert of(findings, "missing-part:achievements") == []


# ---------------------------------------------------------------- heading numbering


def test_duplicate_level_one_number_fires_on_the_second_heading() -> None:
    findings = check(mini().replace("四、2024年工作安排", "三、2024年工作安排"))
    assert quotes(findings, "heading-numbering") == ["三、2024年工作安排"]


def test_skipped_number_fires() -> None:
    text = mini().replace("三、存在的不足和原因", "四、存在的不足和原因").replace("四、2024年工作安排", "五、2024年工作安排")
    assert quotes(check(text), "heading-numbering") == ["四、存在的不足和原因"]


def test_numbering_restarting_under_a_new_parent_is_fine() -> None:
    # every level-1 section of mini() restarts （一）（二）; the run-in 一是/二是 restart too
    text = mini(extra="一是完善制度。二是加强培训。").replace("提升执法能力。", "一是组织培训。二是开展考核。")
    assert of(check(text), "heading-numbering") == []


# ---------------------------------------------------------------- repeated text


def test_doubled_word_fires() -> None:
    findings = check(mini(extra="现将工作情况情况报告如下。"))
    assert quotes(findings, "repeated-text") == ["情况情况"]


@pytest.mark.parametrize(
    "phrase",
    ["常常", "人人有责、事事有人抓", "各个环节", "一一对照", "层层压实", "看看", "一步一步推进", "学习学习强国平台"],
)
def test_legitimate_reduplication_is_quiet(phrase: str) -> None:
    assert of(check(mini(extra=f"干部{phrase}落实责任。")), "repeated-text") == []


def test_repeated_passage_fires_on_the_second_copy() -> None:
    passage = "组织法律顾问深入各村开展矛盾纠纷排查化解和法律咨询服务活动，推动基层依法治理走深走实"
    text = mini(extra=f"同时{passage}。").replace("提升执法能力。", f"提升执法能力，{passage}。")
    original = text
    hits = of(check(text), "repeated-text")
    assert len(hits) == 1 and hits[0].evidence is not None
    assert hits[0].evidence.start > original.find(passage)
    assert passage in hits[0].evidence.quote or hits[0].evidence.quote in passage


def test_repeated_short_phrase_and_cited_titles_are_quiet() -> None:
    title = "《法治政府建设与责任落实督察工作规定》《法治政府建设实施纲要（2021—2025年）》"
    text = mini(extra=f"认真贯彻{title}。严格执行重大行政决策程序规定。").replace(
        "提升执法能力。", f"落实{title}要求，严格执行重大行政决策程序规定。"
    )
    assert of(check(text), "repeated-text") == []


# ---------------------------------------------------------------- placeholders


@pytest.mark.parametrize(
    ("extra", "quote"),
    [
        ("全年受理行政复议案件@件。", "@件"),
        ("XX村开展普法活动。", "XX"),
        ("××村开展普法活动。", "××"),
        ("全年培训＿＿人次。", "＿＿"),
        ("全年培训【】人次。", "【】"),
        ("某某村开展普法活动。", "某某"),
        ("于X月X日召开专题会议。", "X月X日"),
        ("〇〇村开展普法活动。", "〇〇"),
    ],
)
def test_placeholder_fires(extra: str, quote: str) -> None:
    assert quotes(check(mini(extra=extra)), "placeholder") == [quote]


def test_blank_signing_date_is_a_placeholder() -> None:
    findings = check(mini(signed="2024年  月  日"))
    assert quotes(findings, "placeholder") == ["年  月  日"]


@pytest.mark.parametrize(
    "extra",
    [
        "利用LED屏幕和XXL号展板宣传。",
        "用Excel表格建立台账。",
        "二〇〇八年建立的制度继续执行。",
        "在以案释法中讲解张某某违法建设案。",
        "联系邮箱fzb@qq.com。",
        "全年开展宣传3×4次。",
    ],
)
def test_placeholder_near_misses_are_quiet(extra: str) -> None:
    assert of(check(mini(extra=extra)), "placeholder") == []


# ---------------------------------------------------------------- outdated references


@pytest.mark.parametrize(
    "extra",
    [
        "认真贯彻《法治政府建设实施纲要（2015—2020年）》。",
        "认真贯彻《法治政府建设实施纲要(2015-2020年)》。",
        "深入开展七五普法宣传。",
        "深入开展“七五”普法宣传。",
        "认真宣传《中华人民共和国合同法》。",
        "依据物权法调处纠纷。",
        "努力建设廉洁高效、守法诚信的法治政府。",
    ],
)
def test_outdated_reference_fires_in_a_2021_or_later_report(extra: str) -> None:
    assert len(of(check(mini(year=2021, plan="2022年工作安排", signed="2022年2月20日", extra=extra)), "outdated-reference")) == 1


@pytest.mark.parametrize(
    "extra",
    [
        "认真贯彻《法治政府建设实施纲要（2015—2020年）》。",
        "深入开展七五普法宣传。",
        "认真宣传合同法。",
    ],
)
def test_the_same_references_are_current_in_a_2019_report(extra: str) -> None:
    text = mini(year=2019, plan="2020年工作安排", signed="2020年2月20日", extra=extra)
    assert of(check(text), "outdated-reference") == []


@pytest.mark.parametrize(
    "extra",
    [
        "认真宣传《中华人民共和国劳动合同法》。",
        "学习民法典合同编和物权编。",
        "开展婚姻法律咨询。",
        "坚持物权法定原则。",
        "民法典施行后，合同法、物权法同时废止。",
        "完成“七五”普法总结验收。",
        "认真贯彻《法治政府建设实施纲要（2021—2025年）》，深化八五普法。",
        "严格落实法制审核制度。",
    ],
)
def test_outdated_reference_near_misses_are_quiet(extra: str) -> None:
    assert of(check(mini(extra=extra)), "outdated-reference") == []


def test_fazhi_written_as_fazhi_with_the_wrong_character_fires_in_any_year() -> None:
    text = mini(year=2019, plan="2020年工作安排", signed="2020年2月20日", extra="加快建设法制政府。")
    assert quotes(check(text), "outdated-reference") == ["法制政府"]


# ---------------------------------------------------------------- dates


def test_signing_after_the_deadline_is_late() -> None:
    findings = check(mini(signed="2024年3月11日"))
    assert quotes(findings, "late-report") == ["2024年3月11日"]


@pytest.mark.parametrize("signed", ["2024年2月28日", "2024年3月1日", "2023年12月20日"])
def test_signing_on_time_is_quiet(signed: str) -> None:
    assert of(check(mini(signed=signed)), "late-report") == []


def test_the_deadline_comes_from_the_profile() -> None:
    early = CheckProfile(deadline_month=1, deadline_day=31)
    assert quotes(check(mini(signed="2024年2月28日"), early), "late-report") == ["2024年2月28日"]


def test_plan_year_two_years_ahead_fires_at_the_plan_year() -> None:
    findings = check(mini(plan="2025年工作安排"))
    assert quotes(findings, "plan-year-mismatch") == ["2025年"]


def test_plan_without_a_year_is_quiet() -> None:
    assert of(check(mini(plan="下一步工作安排")), "plan-year-mismatch") == []


# ---------------------------------------------------------------- numbers


def test_percent_over_100_fires() -> None:
    findings = check(mini(extra="群众满意率达到101%。"))
    assert [f.evidence.quote for f in of(findings, "percent-over-100") if f.evidence] == ["群众满意率达到101%"]


@pytest.mark.parametrize("extra", ["群众满意率达到100%。", "调解案件同比增长120%。", "完成年度任务的120%。"])
def test_percent_of_100_and_growth_over_100_are_quiet(extra: str) -> None:
    assert of(check(mini(extra=extra)), "percent-over-100") == []


def test_count_and_precise_rate_that_cannot_agree_fire() -> None:
    findings = check(mini(extra="全年人民调解200件，调解成功率99.53%。"))
    assert quotes(findings, "rate-arithmetic") == ["200件，调解成功率99.53%"]
    assert findings[0].severity == "低"


@pytest.mark.parametrize(
    "extra",
    ["全年人民调解211件，调解成功率99.53%。", "全年人民调解200余件，调解成功率99.53%。", "全年人民调解200件，调解成功率99%。"],
)
def test_count_and_rate_that_agree_or_are_approximate_are_quiet(extra: str) -> None:
    assert of(check(mini(extra=extra)), "rate-arithmetic") == []


# ---------------------------------------------------------------- balance


_LONG_ACHIEVEMENTS = "".join(
    f"（{n}）推进第{n}项重点工作。镇政府围绕依法行政目标，完善工作制度，细化责任分工，强化督促检查，确保各项任务落到实处，取得明显成效。\n"
    for n in "三四五六七八九十"
) * 2


def test_one_sentence_shortcomings_after_long_achievements_are_thin() -> None:
    text = mini().replace("（二）规范行政执法行为。", _LONG_ACHIEVEMENTS + "（十一）规范行政执法行为。")
    text = text.replace(
        "（一）执法队伍力量薄弱。持证执法人员仅5人，专业人员不足。\n（二）普法形式较为单一。宣传方式以发放资料为主，群众参与度不高。\n",
        "我镇法治政府建设还存在一些薄弱环节。\n",
    )
    assert len(of(check(text), "thin-shortcomings")) == 1


def test_balanced_shortcomings_are_quiet() -> None:
    assert of(check(mini()), "thin-shortcomings") == []


def test_thin_ratio_comes_from_the_profile() -> None:
    half = _LONG_ACHIEVEMENTS[: len(_LONG_ACHIEVEMENTS) // 2]
    text = mini().replace("（二）规范行政执法行为。", half + "（十一）规范行政执法行为。")
    assert of(check(text), "thin-shortcomings") == []
    strict = CheckProfile(thin_shortcomings_ratio=0.5)
    assert len(of(check(text, strict), "thin-shortcomings")) == 1


# ---------------------------------------------------------------- run_checks


def test_findings_are_in_text_order_with_whole_report_gaps_last_and_deduplicated() -> None:
    text = mini(signed="2024年3月11日", reasons=False, extra="XX村情况情况良好。XX村")
    findings = check(text)
    placed = [f.evidence.start for f in findings if f.evidence]
    assert placed == sorted(placed)
    first_unplaced = next((i for i, f in enumerate(findings) if f.evidence is None), len(findings))
    assert all(f.evidence is None for f in findings[first_unplaced:])
    keys = [(f.rule_id, f.evidence.start if f.evidence else f.explanation) for f in findings]
    assert len(keys) == len(set(keys))
    assert {"placeholder", "repeated-text", "late-report", "missing-part:reasons"} <= {f.rule_id for f in findings}


def test_every_family_is_run_and_every_rule_id_it_emits_is_catalogued() -> None:
    assert len(FAMILIES) == 8
    text = mini(year=2021, plan="2023年工作安排", signed="2022年3月11日", extra="XX村七五普法情况情况，满意率101%。")
    assert all(f.rule_id in RULES and RULES[f.rule_id].kind == "rule" for f in check(text))
