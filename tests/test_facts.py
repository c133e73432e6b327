"""The facts stage against the hand-written gold indicators, and its rules one by one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import GOLD_DIR, REPORTS_DIR
from fazhi_review.facts import CATEGORIES, categorize, extract_facts, label
from fazhi_review.facts.taxonomy import KEYWORDS, TAXONOMY
from fazhi_review.models import NormalizedText, NumericFact, Report, ReportMeta, Span
from fazhi_review.normalize import normalize_text
from fazhi_review.text import NumeralError, parse_number

GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))
MIN_RECALL = 0.95


def facts_of(text: str) -> list[NumericFact]:
    return extract_facts(normalize_text(text))


def only_fact(text: str) -> NumericFact:
    facts = facts_of(text)
    assert len(facts) == 1, f"expected one fact in {text!r}, got {[f.text for f in facts]}"
    return facts[0]


# ---------------------------------------------------------------- gold recall


def _same_value(fact: NumericFact, gold_value: str) -> bool:
    return abs(float(fact.value) - float(gold_value)) < 1e-9


def _gold_misses(gold_path: Path) -> tuple[int, list[str]]:
    """(number of gold indicators, descriptions of the ones no fact matches)."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    original = (REPORTS_DIR / gold["report"]).read_text(encoding="utf-8")
    norm = normalize_text(original)
    facts = extract_facts(norm)
    misses: list[str] = []
    for indicator in gold["indicators"]:
        q_start = original.find(indicator["quote"])
        assert q_start >= 0, f"gold quote not in report: {indicator['quote']}"
        q_end = q_start + len(indicator["quote"])
        found = False
        for fact in facts:
            f_start, f_end = norm.to_original(fact.span.start, fact.span.end)
            overlaps = f_start < q_end and q_start < f_end
            if overlaps and fact.unit == indicator["unit"] and _same_value(fact, indicator["value"]):
                found = True
                break
        if not found:
            misses.append(f"{gold['report']}: {indicator['value']}{indicator['unit']} in {indicator['quote']!r}")
    return len(gold["indicators"]), misses


def test_gold_files_exist() -> None:
    assert GOLD_FILES, "no gold files found"


def test_recall_against_gold_indicators() -> None:
    total = 0
    misses: list[str] = []
    per_report: list[str] = []
    for gold_path in GOLD_FILES:
        count, report_misses = _gold_misses(gold_path)
        total += count
        misses += report_misses
        per_report.append(f"{gold_path.stem}: {count - len(report_misses)}/{count}")
    recall = (total - len(misses)) / total
    assert recall >= MIN_RECALL, f"recall {recall:.3f} ({', '.join(per_report)}); missed:\n" + "\n".join(misses)


@pytest.mark.parametrize("gold_path", GOLD_FILES, ids=lambda p: p.stem)
def test_report_facts_are_consistent(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    norm = normalize_text((REPORTS_DIR / gold["report"]).read_text(encoding="utf-8"))
    facts = extract_facts(norm)
    assert [f.id for f in facts] == [f"F{i}" for i in range(1, len(facts) + 1)]
    assert [f.span.start for f in facts] == sorted(f.span.start for f in facts)
    for fact in facts:
        assert fact.text == norm.text[fact.span.start : fact.span.end]
        assert fact.clause.start <= fact.span.start and fact.span.end <= fact.clause.end
        assert fact.category in CATEGORIES
        assert fact.part is None
        # the quote a renderer shows must contain the number as the original wrote it
        digits = "".join(ch for ch in fact.text if ch.isdigit())
        quote = norm.span_evidence(fact.clause).quote
        assert digits in "".join(ch for ch in quote if ch.isdigit())


# ---------------------------------------------------------------- numerals


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("11", 11),
        ("13,000", 13000),
        ("99.53", 99.53),
        ("1.0", 1),
        ("十一", 11),
        ("十", 10),
        ("两万", 20000),
        ("三千余", 3000),
        ("一百二十", 120),
        ("一万二千", 12000),
        ("1.5万", 15000),
        ("2.5亿", 250_000_000),
    ],
)
def test_parse_number(written: str, expected: float) -> None:
    value = parse_number(written)
    assert value == expected
    assert isinstance(value, int) == float(expected).is_integer()


@pytest.mark.parametrize("written", ["", "abc", "百姓", "千", "十百千", "1.2.3"])
def test_parse_number_rejects(written: str) -> None:
    with pytest.raises(NumeralError):
        parse_number(written)


# ---------------------------------------------------------------- values, units, qualifiers


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier", "fact_text"),
    [
        ("执法人员十一人。", 11, "人", None, "十一人"),
        ("发放资料三千余份。", 3000, "份", "余", "三千余份"),
        ("服务群众一百二十人次。", 120, "人次", None, "一百二十人次"),
        ("宣讲50余次。", 50, "次", "余", "50余次"),
        ("培训时长达40多小时。", 40, "小时", "多", "40多小时"),
        ("全年学法培训不少于40课时。", 40, "课时", "不少于", "不少于40课时"),
        ("参加群众约50人。", 50, "人", "约", "约50人"),
        ("受理超过200件。", 200, "件", "超过", "超过200件"),
        ("覆盖近300户。", 300, "户", "近", "近300户"),
        ("受益群众100人以上。", 100, "人", "以上", "100人以上"),
        ("提供法律意见 16 件。", 16, "件", None, "16件"),
        ("外聘法律顾问1家。", 1, "家", None, "1家"),
        ("踏勘253家次。", 253, "家次", None, "253家次"),
        ("全镇共有９名工作人员。", 9, "名", None, "9名"),
        ("发放资料13,000份。", 13000, "份", None, "13,000份"),
        ("其中处罚一起，", 1, "起", None, "一起"),
        ("开展讲座两场。", 2, "场", None, "两场"),
    ],
)
def test_counts(text: str, value: float, unit: str, qualifier: str | None, fact_text: str) -> None:
    fact = only_fact(text)
    assert (fact.value, fact.unit, fact.qualifier, fact.text) == (value, unit, qualifier, fact_text)
    assert type(fact.value) is type(value)
    assert fact.normalized_value is None and fact.normalized_unit is None


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("办结率达 99.3%。", 99.3, "%", "达"),
        ("调解成功率99.53%。", 99.53, "%", None),
        ("合格率均为100%。", 100, "%", None),
        ("满意率为１００％。", 100, "%", None),
        ("参训率达百分之九十五以上。", 95, "%", "以上"),
        ("知晓率百分之百。", 100, "%", None),
        ("同比提高3个百分点。", 3, "个百分点", None),
    ],
)
def test_percentages(text: str, value: float, unit: str, qualifier: str | None) -> None:
    fact = only_fact(text)
    assert (fact.value, fact.unit, fact.qualifier) == (value, unit, qualifier)


@pytest.mark.parametrize(
    ("text", "value", "unit", "normalized_value", "normalized_unit"),
    [
        ("罚款200元。", 200, "元", None, None),
        ("共罚款5万元。", 5, "万元", 50000.0, "元"),
        ("罚款两万元。", 2, "万元", 20000.0, "元"),
        ("投入资金2.5亿元。", 2.5, "亿元", 250_000_000.0, "元"),
        ("受益群众1.5万人次。", 1.5, "万人次", 15000.0, "人次"),
    ],
)
def test_money_and_ten_thousands(
    text: str, value: float, unit: str, normalized_value: float | None, normalized_unit: str | None
) -> None:
    fact = only_fact(text)
    assert (fact.value, fact.unit) == (value, unit)
    assert (fact.normalized_value, fact.normalized_unit) == (normalized_value, normalized_unit)


def test_qualifier_after_ten_thousand() -> None:
    fact = only_fact("罚没款3万余元。")
    assert (fact.value, fact.unit, fact.qualifier, fact.normalized_value) == (3, "万元", "余", 30000.0)


# ---------------------------------------------------------------- what is not a fact


@pytest.mark.parametrize(
    "text",
    [
        "2024年，我镇",
        "2024年3月11日",
        "现将2023年度法治政府建设工作情况报告如下：",
        "苏发〔2021〕87号",
        "“4.15”全民国家安全教育日、“6.26”国际禁毒日、“12.4”宪法宣传周",
        "3月1日前报送",
        "一是建立健全领导小组。二是强化组织领导。",
        "第一责任人职责",
        "第3次会议",
        "（一）深入落实组织领导\n（二）提升法治素养",
        "1.落实第一责任人责任。\n2.落实领导干部学法活动。",
        "以“八五”普法为主线，七五普法",
        "《法治政府建设实施纲要（2021—2025年）》",
        "落实行政执法“三项制度”。",
        "严格落实“三重一大”事项集体决策要求",
        "坚持“五个不决策”，",
        "增强四个意识，做到两个维护。",
        "使信访工作“五个法治化”深入人心",
        "“六个”环节",
        "积极推行最多跑一次等便民措施",
        "实行一次性告知",
        "讲了一堂“习近平法治思想”专题课",
        "坚持党委中心组每季度学法一次，机关干部职工每两月学法一次的学法制度",
        "每年至少参加1次现场或网络旁听庭审",
        "千家万户，百姓满意",
        "认真贯彻落实党的二十大精神",
        "三月法治宣传月",
    ],
)
def test_not_facts(text: str) -> None:
    assert facts_of(text) == []


# ---------------------------------------------------------------- spans, clauses, ids


def test_span_and_clause_offsets() -> None:
    norm = normalize_text("2024年，我镇进行行政处罚4起；处罚2起，其中处罚一起，罚款200元。")
    facts = extract_facts(norm)
    assert [f.text for f in facts] == ["4起", "2起", "一起", "200元"]
    assert [f.id for f in facts] == ["F1", "F2", "F3", "F4"]
    clauses = [norm.text[f.clause.start : f.clause.end] for f in facts]
    assert clauses == ["我镇进行行政处罚4起", "处罚2起", "其中处罚一起", "罚款200元"]


def test_clause_keeps_thousands_comma_and_breaks_on_ascii_comma() -> None:
    norm = normalize_text("发放资料13,000份,接待群众20人次")
    facts = extract_facts(norm)
    assert [norm.text[f.clause.start : f.clause.end] for f in facts] == ["发放资料13,000份", "接待群众20人次"]


def test_span_maps_to_original_with_spaces_and_fullwidth() -> None:
    original = "讨论决定重大事项提供法律意见 １６ 件，有效防范风险。"
    norm = normalize_text(original)
    (fact,) = extract_facts(norm)
    start, end = norm.to_original(fact.span.start, fact.span.end)
    assert original[start:end] == "１６ 件"
    assert "１６ 件" in norm.span_evidence(fact.clause).quote


def test_part_from_report() -> None:
    norm = normalize_text("一、成效\n开展普法活动3场次。\n二、不足\n持证执法人员仅2人。")
    split = norm.text.index("二、不足")
    report = Report(
        meta=ReportMeta(),
        headings=[],
        paragraphs=[],
        sections=[],
        parts={"achievements": [Span(start=0, end=split)], "shortcomings": [Span(start=split, end=len(norm.text))]},
    )
    facts = extract_facts(norm, report)
    assert [(f.text, f.part) for f in facts] == [("3场次", "achievements"), ("2人", "shortcomings")]
    assert [f.part for f in extract_facts(norm)] == [None, None]


def test_accepts_a_hand_built_normalized_text() -> None:
    norm = NormalizedText(original="共11件", text="共11件", offsets=[0, 1, 2, 3])
    assert [f.text for f in extract_facts(norm)] == ["11件"]


# ---------------------------------------------------------------- taxonomy


def test_taxonomy_keys_and_labels() -> None:
    assert list(CATEGORIES) == [
        "law_enforcement_staff",
        "administrative_penalty",
        "case_file_review",
        "administrative_reconsideration",
        "administrative_litigation",
        "legal_adviser",
        "legality_review",
        "law_publicity",
        "law_study",
        "dispute_mediation",
        "petition",
        "work_safety",
        "other",
    ]
    assert label("dispute_mediation") == "矛盾纠纷/调解"
    assert label("law_enforcement_staff") == "执法人员"
    assert label("other") == "其他"
    with pytest.raises(KeyError):
        label("nonsense")


def test_keywords_belong_to_one_category() -> None:
    words = [w for c in TAXONOMY for w in c.keywords]
    assert len(words) == len(set(words))
    assert set(KEYWORDS) == set(CATEGORIES)


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("持有执法证的执法人员只有11人", "law_enforcement_staff"),
        ("共罚款5万元", "administrative_penalty"),
        ("宣讲团入村开院坝会宣讲50余次", "law_publicity"),
        ("三是开展信访工作法治化宣讲进村社。宣讲团入村开院坝会宣讲50余次", "law_publicity"),
        ("人民调解211件", "dispute_mediation"),
        ("办理群众来信来访共11件", "petition"),
        ("排查出各类安全隐患110起", "work_safety"),
        ("全年共评查行政执法案卷5件", "case_file_review"),
        ("共受理行政复议案件1件", "administrative_reconsideration"),
        ("我镇共有1起行政诉讼案件", "administrative_litigation"),
        ("外聘法律顾问（律师事务所）1家", "legal_adviser"),
        ("审查规范性文件3件", "legality_review"),
        ("按照每名行政执法人员全年学法培训不少于40课时的要求", "law_study"),
        ("举办行政处罚法等法律法规学习宣讲活动8场次", "law_study"),
        ("累计巡河次数540次", "other"),
    ],
)
def test_categorize(clause: str, expected: str) -> None:
    assert categorize(clause) == expected


def test_categorize_prefers_the_words_nearest_the_number() -> None:
    text = "矛盾纠纷排查后，开展普法宣传活动6场次"
    assert categorize(text) == "law_publicity"
    assert categorize(text, anchor=text.index("后")) == "dispute_mediation"


def test_categories_widen_to_the_sentence_when_the_clause_names_nothing() -> None:
    facts = facts_of("全年办理群众来信来访共11件，办结率100%，矛盾纠纷排查137件，化解率100%。")
    assert [(f.text, f.category) for f in facts] == [
        ("11件", "petition"),
        ("100%", "petition"),
        ("137件", "dispute_mediation"),
        ("100%", "dispute_mediation"),
    ]
    (fact,) = facts_of("在各村开展法治宣传活动。合计1700余人次。")
    assert fact.category == "other"  # the previous sentence is not this sentence's context
