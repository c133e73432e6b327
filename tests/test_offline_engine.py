"""The offline engine against the gold annotations, and the same report through every format.

Matching follows the gold README: an indicator is found when some emitted indicator has the
same value and unit and its evidence overlaps an occurrence of the gold quote in the original.
The scoring here is written independently of ``fazhi_review.evaluate`` so the two check each other.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLES_DIR, REPO, gold_cases
from fazhi_review.analysis import Analysis, analyze_document, analyze_path
from fazhi_review.engine import summarize_offline
from fazhi_review.models import REQUIRED_PARTS, Document, Evidence, ReportSummary, Span
from fixtures_formats import TXT_ENCODINGS, write_docx, write_html, write_pdf, write_txt

GOLD = gold_cases()
GOLD_IDS = [gold["report"].removesuffix(".txt") for gold, _ in GOLD]
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.txt"))
MIN_INDICATOR_RECALL = 0.95
MAX_OVERVIEW = 200


def positions(original: str, quote: str) -> list[tuple[int, int]]:
    """Every occurrence of ``quote`` in ``original`` as [start, end)."""
    found, start = [], original.find(quote)
    while start != -1:
        found.append((start, start + len(quote)))
        start = original.find(quote, start + 1)
    return found


def overlaps(evidence: Evidence | None, spans: list[tuple[int, int]]) -> bool:
    return evidence is not None and any(evidence.start < end and start < evidence.end for start, end in spans)


def all_evidence(summary: ReportSummary) -> list[tuple[str, Evidence]]:
    items: list[tuple[str, Evidence]] = []
    for kind in ("highlights", "indicators", "shortcomings", "measures"):
        items += [(kind, item.evidence) for item in getattr(summary, kind)]
    items += [("risks", risk.evidence) for risk in summary.risks if risk.evidence is not None]
    return items


def original_ranges(analysis: Analysis, spans: list[Span]) -> list[tuple[int, int]]:
    return [analysis.norm.to_original(s.start, s.end) for s in spans if s.end > s.start]


def inside(evidence: Evidence, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= evidence.start and evidence.end <= end for start, end in ranges)


@pytest.fixture(scope="module")
def summaries() -> dict[str, tuple[dict, str, Analysis, ReportSummary]]:
    result = {}
    for gold, original in GOLD:
        analysis = analyze_path(EXAMPLES_DIR / gold["report"])
        result[gold["report"]] = (gold, original, analysis, summarize_offline(analysis))
    return result


REPORTS = [gold["report"] for gold, _ in GOLD]


def test_examples_are_the_gold_reports() -> None:
    assert [p.name for p in EXAMPLES] == REPORTS
    for gold, original in GOLD:
        assert (EXAMPLES_DIR / gold["report"]).read_text(encoding="utf-8") == original


# ---------------------------------------------------------------- evidence


@pytest.mark.parametrize("report", REPORTS, ids=GOLD_IDS)
def test_every_evidence_is_verbatim(summaries: dict, report: str) -> None:
    _, original, _, summary = summaries[report]
    for kind, evidence in all_evidence(summary):
        assert original[evidence.start : evidence.end] == evidence.quote, f"{kind}: {evidence}"
        assert evidence.quote.strip() == evidence.quote


@pytest.mark.parametrize("report", REPORTS, ids=GOLD_IDS)
def test_items_quote_their_own_part(summaries: dict, report: str) -> None:
    """亮点 from the achievements part, 不足 from the shortcomings part, 措施 from the plan."""
    _, _, analysis, summary = summaries[report]
    parts = analysis.report.parts
    for kind, part in [("highlights", "achievements"), ("shortcomings", "shortcomings"), ("measures", "next_year_plan")]:
        ranges = original_ranges(analysis, parts[part])
        for item in getattr(summary, kind):
            assert inside(item.evidence, ranges), f"{kind} outside {part}: {item.evidence.quote}"


@pytest.mark.parametrize("report", REPORTS, ids=GOLD_IDS)
def test_plan_targets_are_not_indicators(summaries: dict, report: str) -> None:
    _, _, analysis, summary = summaries[report]
    plan = original_ranges(analysis, analysis.report.parts["next_year_plan"])
    for indicator in summary.indicators:
        assert not any(start <= indicator.evidence.start < end for start, end in plan), indicator.evidence.quote


@pytest.mark.parametrize("report", REPORTS, ids=GOLD_IDS)
def test_indicator_evidence_holds_its_number(summaries: dict, report: str) -> None:
    """The quote contains the number as written (ASCII or full-width) right before its unit."""
    _, _, _, summary = summaries[report]
    for indicator in summary.indicators:
        compact = "".join(indicator.evidence.quote.split())
        assert indicator.unit in compact, f"{indicator.unit} not in {compact}"
        assert indicator.name, indicator


# ---------------------------------------------------------------- against the gold


def test_indicator_recall_against_gold(summaries: dict) -> None:
    total, misses = 0, []
    for report in REPORTS:
        gold, original, _, summary = summaries[report]
        for item in gold["indicators"]:
            total += 1
            spans = positions(original, item["quote"])
            assert spans, f"gold quote not in {report}: {item['quote']}"
            if not any(
                float(ind.value) == float(item["value"]) and ind.unit == item["unit"] and overlaps(ind.evidence, spans)
                for ind in summary.indicators
            ):
                misses.append(f"{report}: {item['value']}{item['unit']} in {item['quote']!r}")
    recall = (total - len(misses)) / total
    assert recall >= MIN_INDICATOR_RECALL, f"recall {recall:.3f}; missed:\n" + "\n".join(misses)


@pytest.mark.parametrize("report", REPORTS, ids=GOLD_IDS)
def test_rule_findings_of_gold_are_reported(summaries: dict, report: str) -> None:
    gold, original, _, summary = summaries[report]
    missing = []
    for finding in gold["findings"]:
        if finding.get("judgement"):
            continue
        spans = positions(original, finding["quote"]) if finding["quote"] else []
        same_rule = [r for r in summary.risks if r.rule_id == finding["rule"]]
        if not any(r.evidence is None or not spans or overlaps(r.evidence, spans) for r in same_rule):
            missing.append(f"{finding['rule']} at {finding['quote']!r}")
    assert not missing, f"{report}: " + "; ".join(missing)


@pytest.mark.parametrize("report", REPORTS, ids=GOLD_IDS)
def test_risks_are_rule_findings(summaries: dict, report: str) -> None:
    _, _, analysis, summary = summaries[report]
    assert [r.rule_id for r in summary.risks] == [f.rule_id for f in analysis.findings]
    assert all(r.source == "rule" for r in summary.risks)


@pytest.mark.parametrize("report", REPORTS, ids=GOLD_IDS)
def test_gold_shortcomings_are_found(summaries: dict, report: str) -> None:
    gold, original, _, summary = summaries[report]
    for item in gold["shortcomings"]:
        spans = positions(original, item["quote"])
        assert spans, f"gold quote not in {report}: {item['quote']}"
        assert any(overlaps(s.evidence, spans) for s in summary.shortcomings), f"{report}: {item['quote']} not found"


@pytest.mark.parametrize("report", REPORTS, ids=GOLD_IDS)
def test_parts_match_gold(summaries: dict, report: str) -> None:
    gold, original, _, summary = summaries[report]
    assert {p: summary.parts.get(p) is not None for p in REQUIRED_PARTS} == {p: gold["parts"][p] for p in REQUIRED_PARTS}
    assert set(summary.parts) == {*REQUIRED_PARTS, "other"}
    for location in summary.parts.values():
        if location is not None:
            assert 0 <= location.start < location.end <= len(original)
            assert location.segments >= 1


def test_yangjiabo_fine_in_ten_thousands(summaries: dict) -> None:
    """“共罚款5万元” (a fact of the text): 5 万元 as written, 50000 元 normalised."""
    _, original, _, summary = summaries["yangjiabo-2024.txt"]
    spans = positions(original, "共罚款5万元")
    found = [i for i in summary.indicators if overlaps(i.evidence, spans) and i.unit == "万元"]
    assert len(found) == 1
    assert found[0].value == 5
    assert found[0].normalized_value == 50000
    assert found[0].normalized_unit == "元"


def test_xumingsi_qualifier(summaries: dict) -> None:
    """“宣讲50余次” (a fact of the text): 50 次 with the qualifier 余, not 50余 or 51."""
    _, original, _, summary = summaries["xumingsi-2023.txt"]
    spans = positions(original, "宣讲50余次")
    found = [i for i in summary.indicators if overlaps(i.evidence, spans)]
    assert [(i.value, i.unit, i.qualifier) for i in found] == [(50, "次", "余")]


def test_suhe_numbers_with_spaces(summaries: dict) -> None:
    """suhe-2021 writes “办结率达 99.3%” with a space: the value is still read, the quote verbatim."""
    _, original, _, summary = summaries["suhe-2021.txt"]
    spans = positions(original, "政务服务事项办结率达 99.3%")
    found = [i for i in summary.indicators if overlaps(i.evidence, spans)]
    assert [(i.value, i.unit) for i in found] == [(99.3, "%")]
    assert " 99.3%" in found[0].evidence.quote


def test_values_are_numbers(summaries: dict) -> None:
    for _, _, _, summary in summaries.values():
        for indicator in summary.indicators:
            assert isinstance(indicator.value, int | float) and not isinstance(indicator.value, bool)
            assert indicator.value >= 0
            if indicator.qualifier is not None:  # a qualifier is a word of the text, not an invention
                assert indicator.qualifier in indicator.evidence.quote, indicator


@pytest.mark.parametrize("report", REPORTS, ids=GOLD_IDS)
def test_measures_address_valid_shortcomings(summaries: dict, report: str) -> None:
    _, _, _, summary = summaries[report]
    assert summary.measures, "no measures"
    for measure in summary.measures:
        assert all(0 <= i < len(summary.shortcomings) for i in measure.addresses), measure.addresses
        assert len(set(measure.addresses)) == len(measure.addresses)


def test_yangjiabo_coordination_measure_addresses_coordination_shortcoming(summaries: dict) -> None:
    """Both sides name 协调推进机制 (a fact of the text)."""
    _, _, _, summary = summaries["yangjiabo-2024.txt"]
    target = next(i for i, s in enumerate(summary.shortcomings) if "协调推进机制" in s.text)
    measure = next(m for m in summary.measures if "协调推进机制" in m.text)
    assert target in measure.addresses


@pytest.mark.parametrize("report", REPORTS, ids=GOLD_IDS)
def test_overview_is_short(summaries: dict, report: str) -> None:
    gold, _, _, summary = summaries[report]
    assert 0 < len(summary.overview) <= MAX_OVERVIEW
    assert gold["meta"]["issuer"] in summary.overview


@pytest.mark.parametrize("report", REPORTS, ids=GOLD_IDS)
def test_meta_and_provenance(summaries: dict, report: str) -> None:
    gold, original, _, summary = summaries[report]
    assert summary.meta.issuer == gold["meta"]["issuer"]
    assert summary.meta.report_year == gold["meta"]["report_year"]
    assert summary.meta.characters == len(original)
    assert summary.meta.format == "txt"
    assert summary.provenance.engine == "offline"
    assert summary.provenance.calls == 0 and summary.provenance.dropped_claims == 0


# ---------------------------------------------------------------- schema


@pytest.fixture(scope="module")
def summary_schema() -> dict:
    return json.loads((REPO / "schemas" / "report_summary.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("report", REPORTS, ids=GOLD_IDS)
def test_summary_validates_against_exported_schema(summaries: dict, summary_schema: dict, report: str) -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema validates against schemas/; add it to [test]")
    _, _, _, summary = summaries[report]
    instance = json.loads(summary.model_dump_json())
    jsonschema.validators.validator_for(summary_schema).check_schema(summary_schema)
    jsonschema.validate(instance, summary_schema)
    assert ReportSummary.model_validate(instance) == summary


def test_schema_rejects_a_broken_summary(summaries: dict, summary_schema: dict) -> None:
    """The schema is not vacuous: an indicator without a value is refused."""
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema validates against schemas/; add it to [test]")
    _, _, _, summary = summaries["xumingsi-2023.txt"]
    instance = json.loads(summary.model_dump_json())
    del instance["indicators"][0]["value"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(instance, summary_schema)


# ---------------------------------------------------------------- the same report in every format

FORMATS = [*(f"txt-{variant}" for variant in TXT_ENCODINGS), "docx", "pdf", "html-utf8", "html-gb18030"]


def write_format(text: str, directory: Path, fmt: str) -> Path:
    if fmt.startswith("txt-"):
        return write_txt(text, directory, fmt.removeprefix("txt-"))
    if fmt == "docx":
        return write_docx(text, directory)
    if fmt == "pdf":
        return write_pdf(text, directory)
    return write_html(text, directory, encoding="utf-8" if fmt == "html-utf8" else "gb18030")


@pytest.fixture(scope="module")
def plain_indicators(summaries: dict) -> dict[str, list[tuple[float, str]]]:
    return {report: [(float(i.value), i.unit) for i in s.indicators] for report, (_, _, _, s) in summaries.items()}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("report", REPORTS, ids=GOLD_IDS)
def test_every_format_gives_the_same_indicators(plain_indicators: dict, report: str, fmt: str, tmp_path: Path) -> None:
    text = (EXAMPLES_DIR / report).read_text(encoding="utf-8")
    analysis = analyze_path(write_format(text, tmp_path, fmt))
    summary = summarize_offline(analysis)
    assert [(float(i.value), i.unit) for i in summary.indicators] == plain_indicators[report]
    original = analysis.document.text
    for kind, evidence in all_evidence(summary):
        assert original[evidence.start : evidence.end] == evidence.quote, f"{fmt} {kind}: {evidence}"


# ---------------------------------------------------------------- synthetic: reasons per shortcoming

SYNTHETIC = (
    "某某镇2024年法治政府建设情况报告\n"
    "一、主要举措和成效\n"
    "（一）推进依法决策。全年召开党委会研究重大行政决策12次，重大事项均经合法性审查。\n"
    "（二）加强普法宣传。开展普法宣传活动20场次，发放宣传资料3000余份。\n"
    "二、党政主要负责人履行推进法治建设第一责任人职责情况\n"
    "镇党委书记认真履行推进法治建设第一责任人职责，年内专题研究法治建设工作4次。\n"
    "三、存在的不足和原因\n"
    "（一）行政执法队伍力量薄弱。持证执法人员偏少。{reason}\n"
    "（二）普法宣传形式较为单一。宣传针对性不强。\n"
    "四、2025年主要工作安排\n"
    "（一）加强执法队伍建设，组织执法人员参加培训考试，增加持证执法人员。\n"
    "（二）创新普法宣传形式，增强宣传针对性。\n"
)


def summarize_text(text: str, tmp_path: Path) -> ReportSummary:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return summarize_offline(analyze_path(path))


def test_shortcoming_with_its_reason(tmp_path: Path) -> None:
    summary = summarize_text(SYNTHETIC.format(reason="究其原因，主要是执法培训投入不足。"), tmp_path)
    assert [s.text for s in summary.shortcomings] == ["行政执法队伍力量薄弱", "普法宣传形式较为单一"]
    assert [s.has_reason for s in summary.shortcomings] == [True, False]
    assert summary.parts["reasons"] is not None


def test_shortcomings_without_reasons(tmp_path: Path) -> None:
    summary = summarize_text(SYNTHETIC.format(reason=""), tmp_path)
    assert [s.has_reason for s in summary.shortcomings] == [False, False]
    assert summary.parts["reasons"] is None
    assert "missing-part:reasons" in {r.rule_id for r in summary.risks}


def test_synthetic_measures_address_their_shortcomings(tmp_path: Path) -> None:
    summary = summarize_text(SYNTHETIC.format(reason=""), tmp_path)
    assert [m.addresses for m in summary.measures] == [[0], [1]]
    assert [(float(i.value), i.unit) for i in summary.indicators] == [(12.0, "次"), (20.0, "场次"), (3000.0, "份"), (4.0, "次")]


# ---------------------------------------------------------------- 不足 under part-naming sub-headings

_PART_NAMING_VARIANTS = {
    "run-in points": (
        "三、存在的不足和原因\n"
        "（一）主要不足。一是依法行政能力有待提高，少数干部运用法治方式解决问题的能力不足；二是执法规范化程度不高，执法证据收集不够完整。\n"
        "（二）原因分析。一方面，干部学法多以集中学习为主，学用脱节；另一方面，综合执法改革时间较短，执法流程尚在磨合。\n",
        ["依法行政能力有待提高", "执法规范化程度不高"],
    ),
    "numbered points": (
        "三、存在的问题及原因\n"
        "（一）存在的问题\n"
        "1.法治宣传形式较为单一，群众参与度不高。\n"
        "2.行政执法人员数量不足，专业能力有待提升。\n"
        "（二）产生问题的原因\n"
        "主要是普法经费投入有限，执法人员培训机会较少。\n",
        ["法治宣传形式较为单一", "行政执法人员数量不足"],
    ),
    "one sentence under the part name": (
        "三、存在的不足\n"
        "（一）主要问题。部分村（社区）法律顾问作用发挥不充分，矛盾纠纷源头化解能力不强。\n"
        "（二）原因分析。村级法治力量薄弱，法律顾问服务时间有限。\n",
        ["法律顾问作用发挥不充分"],
    ),
}


@pytest.mark.parametrize("name", list(_PART_NAMING_VARIANTS))
def test_a_sub_heading_that_only_names_the_part_is_not_a_shortcoming(name: str) -> None:
    """"（一）主要不足" / "（二）原因分析" name parts of the report: the 不足 are the problems they
    introduce, and the causes are not listed as 不足 at all."""
    body, wanted = _PART_NAMING_VARIANTS[name]
    head = "某某镇2024年度法治政府建设情况报告\n一、主要举措和成效\n全年办理行政处罚案件12件，开展普法活动20场次。\n二、党政主要负责人履行推进法治建设第一责任人职责情况\n镇党委书记认真履行第一责任人职责。\n"
    tail = "四、2025年工作安排\n一是加强干部法治培训；二是规范执法程序。\n"
    text = head + body + tail
    summary = summarize_offline(analyze_document(Document(path="x.txt", format="txt", text=text, sha256="0" * 64)))
    texts = [s.text for s in summary.shortcomings]
    assert not any(t.strip("。") in {"主要不足", "原因分析", "存在的问题", "产生问题的原因", "主要问题"} for t in texts), texts
    assert not any("原因" in t for t in texts), texts
    for phrase in wanted:
        assert any(phrase in t for t in texts), (phrase, texts)
    for item in summary.shortcomings:
        assert text[item.evidence.start : item.evidence.end] == item.evidence.quote


@pytest.mark.parametrize("report", sorted(EXAMPLES_DIR.glob("*.txt")) + sorted((REPO / "tests" / "variants").rglob("*.txt")), ids=lambda p: p.stem)
def test_no_shortcoming_is_said_to_analyse_causes_when_the_report_is_found_to_give_none(report: Path) -> None:
    summary = summarize_offline(analyze_path(report))
    if any(risk.rule_id == "missing-part:reasons" for risk in summary.risks):
        assert not [s.text for s in summary.shortcomings if s.has_reason]


def test_markdown_says_a_part_found_in_several_places_is_shown_by_its_largest() -> None:
    from fazhi_review.render import render_markdown

    summary = summarize_offline(analyze_path(EXAMPLES_DIR / "suhe-2021.txt"))
    location = summary.parts["achievements"]
    assert location is not None and location.segments > 1
    row = next(line for line in render_markdown(summary).splitlines() if line.startswith("| 主要举措和成效"))
    assert f"{location.segments}处，最长一处第 {location.start}–{location.end} 字" in row
