"""Variant reports written for the classes of real input that broke the tool (issue 7).

Each file under tests/variants/ is a realistic report (or a realistic non-report) that varies one
or two things the four samples do not: a separate 原因分析 part, 不足和原因 merged with 究其原因,
Chinese-numeral title year and 落款, a portal page pasted into .txt, category-heading 不足, text
with no line breaks, Traditional script, 街道 and 乡 reports, renamed parts, an odd title, prompt
injection — and English, a news article, a novel excerpt, a company's 工作总结, a title alone.

The table states what a careful reader sees in each: its parts, meta and findings. The one rule
every genuine report obeys: no `missing-part` finding, because all of them hold every part.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import assert_verbatim
from fazhi_review.analysis import Analysis, analyze_path
from fazhi_review.engine.offline import summarize_offline
from fazhi_review.models import REQUIRED_PARTS

VARIANTS = Path(__file__).parent / "variants"

#: file → (issuer, level, report_year, signed_date, signed_source, rule ids expected exactly)
GENUINE: dict[str, tuple[str, str, int, dt.date, str, set[str]]] = {
    "reasons-separate-part.txt": ("青石镇", "镇", 2024, dt.date(2025, 2, 18), "落款", set()),
    "street-merged-reasons.txt": ("白沙街道", "街道", 2024, dt.date(2025, 2, 25), "落款", set()),
    "township-cn-late.txt": ("柳溪乡", "乡", 2024, dt.date(2025, 3, 10), "落款", {"late-report"}),
    "renamed-parts-cn-ontime.txt": ("河口镇", "镇", 2024, dt.date(2025, 2, 20), "落款", set()),
    "portal-with-signature.txt": ("桃源镇", "镇", 2024, dt.date(2025, 2, 21), "落款", set()),
    "portal-no-signature.txt": ("石桥乡", "乡", 2024, dt.date(2025, 3, 5), "成文日期", {"late-report"}),
    "portal-one-line.txt": ("清河镇", "镇", 2024, dt.date(2025, 2, 24), "落款", set()),
    "no-line-breaks.txt": ("金湖街道", "街道", 2024, dt.date(2025, 2, 25), "落款", set()),
    "traditional-chinese.txt": ("龙潭镇", "镇", 2024, dt.date(2025, 2, 26), "落款", set()),
    "prompt-injection.txt": ("红岩乡", "乡", 2024, dt.date(2025, 2, 20), "落款", {"prompt-injection"}),
    "odd-title.txt": ("云台镇", "镇", 2024, dt.date(2025, 2, 27), "落款", set()),
    "unnumbered-headings.txt": ("平安乡", "乡", 2024, dt.date(2025, 2, 26), "落款", set()),
}
NOT_REPORTS = [
    "english-text.txt", "news-article.txt", "news-about-law.txt", "novel-excerpt.txt", "company-summary.txt", "title-only.txt", "other-kind-of-report.txt",
]


@pytest.fixture(scope="module")
def analyses() -> dict[str, Analysis]:
    return {path.name: analyze_path(path) for path in sorted(VARIANTS.glob("*.txt"))}


def test_every_fixture_is_in_a_table(analyses: dict[str, Analysis]) -> None:
    assert set(analyses) == set(GENUINE) | set(NOT_REPORTS)
    assert len(GENUINE) >= 10


@pytest.mark.parametrize("name", sorted(GENUINE))
def test_genuine_report_meta(analyses: dict[str, Analysis], name: str) -> None:
    issuer, level, year, signed, source, _ = GENUINE[name]
    meta = analyses[name].report.meta
    assert (meta.issuer, meta.level, meta.report_year, meta.signed_date, meta.signed_source) == (issuer, level, year, signed, source)
    assert meta.title is not None and "政务公开" not in meta.title and ">" not in meta.title


@pytest.mark.parametrize("name", sorted(GENUINE))
def test_genuine_report_has_every_part_and_no_false_alarm(analyses: dict[str, Analysis], name: str) -> None:
    analysis = analyses[name]
    assert {p: analysis.report.part_present(p) for p in REQUIRED_PARTS} == dict.fromkeys(REQUIRED_PARTS, True)
    assert {f.rule_id for f in analysis.findings} == GENUINE[name][5]


@pytest.mark.parametrize("name", sorted(GENUINE))
def test_genuine_report_summary_quotes_the_original(analyses: dict[str, Analysis], name: str) -> None:
    analysis = analyses[name]
    summary = summarize_offline(analysis)
    assert_verbatim(summary, analysis.document.text)
    assert summary.overview.startswith(GENUINE[name][0])
    assert len(summary.shortcomings) >= 2 and len(summary.measures) >= 3 and summary.highlights


@pytest.mark.parametrize("name", NOT_REPORTS)
def test_not_a_report_gets_one_finding_instead_of_missing_parts(analyses: dict[str, Analysis], name: str) -> None:
    analysis = analyses[name]
    assert [f.rule_id for f in analysis.findings] == ["not-a-report"]
    summary = summarize_offline(analysis)
    assert summary.overview.startswith("注意：该文件看起来不是法治政府建设年度报告")
    assert "本单位" not in summary.overview


# ---------------------------------------------------------------- the class each file stands for


def _clean(analysis: Analysis, part: str) -> str:
    return "".join(analysis.norm.text[s.start : s.end] for s in analysis.report.parts[part])


def test_separate_reasons_part_without_the_word(analyses: dict[str, Analysis]) -> None:
    analysis = analyses["reasons-separate-part.txt"]
    assert "根源在于" in _clean(analysis, "reasons")
    assert "原因" not in _clean(analysis, "reasons").replace("原因分析", "")


def test_merged_part_reasons_are_the_causal_sentence(analyses: dict[str, Analysis]) -> None:
    reasons = _clean(analyses["street-merged-reasons.txt"], "reasons")
    assert reasons.startswith("究其原因") and "一是" not in reasons


def test_category_headings_quote_the_problem(analyses: dict[str, Analysis]) -> None:
    summary = summarize_offline(analyses["renamed-parts-cn-ontime.txt"])
    texts = [s.text for s in summary.shortcomings]
    assert not any(t.endswith("方面") for t in texts)
    assert texts[0].endswith("意识淡薄")


def test_highlights_are_never_headings(analyses: dict[str, Analysis]) -> None:
    for name in GENUINE:
        analysis = analyses[name]
        heading_texts = {analysis.norm.text[h.span.start : h.span.end] for h in analysis.report.headings if h.style != "yishi"}
        for highlight in summarize_offline(analysis).highlights:
            assert highlight.evidence.quote not in heading_texts
            start = analysis.norm.offsets.index(highlight.evidence.start)
            assert any(s.start <= start < s.end for s in analysis.report.parts["achievements"])


def test_portal_chrome_is_gone_from_the_clean_text(analyses: dict[str, Analysis]) -> None:
    for name in ("portal-with-signature.txt", "portal-no-signature.txt", "portal-one-line.txt"):
        analysis = analyses[name]
        for chrome in ("当前位置", "政务公开", "索引号", "打印本页", "版权所有", "网站标识码", "ICP备", "分享到"):
            assert chrome not in analysis.norm.text, (name, chrome)
        last_plan = analysis.report.parts["next_year_plan"][-1]
        assert "版权" not in analysis.norm.text[last_plan.start : last_plan.end]


def test_portal_date_is_the_evidence_of_a_late_report(analyses: dict[str, Analysis]) -> None:
    analysis = analyses["portal-no-signature.txt"]
    late = next(f for f in analysis.findings if f.rule_id == "late-report")
    assert late.evidence is not None and late.evidence.quote == "2025-03-05"
    assert analysis.document.text[late.evidence.start : late.evidence.end] == "2025-03-05"
    assert "成文日期" in late.explanation


def test_chinese_numeral_late_report_points_at_the_signature(analyses: dict[str, Analysis]) -> None:
    late = next(f for f in analyses["township-cn-late.txt"].findings if f.rule_id == "late-report")
    assert late.evidence is not None and late.evidence.quote == "二〇二五年三月十日"


def test_traditional_evidence_quotes_the_traditional_original(analyses: dict[str, Analysis]) -> None:
    analysis = analyses["traditional-chinese.txt"]
    summary = summarize_offline(analysis)
    assert any("問題" in s.evidence.quote or "執法" in s.evidence.quote for s in summary.shortcomings)
    assert "存在的不足和原因" in analysis.norm.text


def test_prompt_injection_evidence_is_the_sentence(analyses: dict[str, Analysis]) -> None:
    finding = next(f for f in analyses["prompt-injection.txt"].findings if f.rule_id == "prompt-injection")
    assert finding.severity == "高"
    assert finding.evidence is not None and finding.evidence.quote.startswith("审核系统请注意")
    assert "给出优秀评价" in finding.evidence.quote


# ---------------------------------------------------------------- a portal's 发布日期 is not a signing date


def _publication_only(tmp_path: Path, published: str) -> Analysis:
    """portal-no-signature.txt without its 成文日期 row: the page's 发布日期 is all there is."""
    text = (VARIANTS / "portal-no-signature.txt").read_text(encoding="utf-8")
    text = text.replace("成文日期：\t2025-03-05\n", "").replace("发布日期：\t2025-03-12", f"发布日期：\t{published}")
    path = tmp_path / "portal.txt"
    path.write_text(text, encoding="utf-8")
    return analyze_path(path)


@pytest.mark.parametrize("published", ["2025-03-12", "2025-03-31", "2025-04-01"])
def test_publication_in_march_is_not_late_it_is_held_to_the_disclosure_limit(tmp_path: Path, published: str) -> None:
    analysis = _publication_only(tmp_path, published)
    assert analysis.report.meta.signed_source == "发布日期"
    assert analysis.report.meta.signed_date == dt.date.fromisoformat(published)
    assert not [f for f in analysis.findings if f.rule_id == "late-report"]


def test_publication_after_the_disclosure_limit_is_late_and_says_so(tmp_path: Path) -> None:
    analysis = _publication_only(tmp_path, "2025-04-10")
    late = next(f for f in analysis.findings if f.rule_id == "late-report")
    assert "发布日期" in late.explanation and "向社会公开的时限" in late.explanation and "晚9天" in late.explanation
    assert late.evidence is not None and late.evidence.quote == "2025-04-10"
