"""Evidence is aligned in one place: exact, else through the normalisation map, else rejected."""

from __future__ import annotations

from conftest import EXAMPLES_DIR
from fazhi_review.analysis import analyze_path
from fazhi_review.engine import summarize_offline
from fazhi_review.evidence import align_quote, span_evidence
from fazhi_review.models import Document, NormalizedText, Span
from fazhi_review.normalize import normalize


def _norm(text: str) -> NormalizedText:
    return normalize(Document(path="x.txt", format="txt", text=text, sha256="0"))


def test_exact_quote_is_exact() -> None:
    norm = _norm("一、主要成效\n全年办理行政复议案件12件。\n")
    evidence = align_quote(norm, "办理行政复议案件12件")
    assert evidence is not None and evidence.alignment == "exact"
    assert norm.original[evidence.start : evidence.end] == evidence.quote


def test_quote_found_only_after_cleaning_is_normalized_and_verbatim() -> None:
    original = "全年办理行政复议案件 １２ 件。\n"
    norm = _norm(original)
    evidence = align_quote(norm, "办理行政复议案件12件")
    assert evidence is not None and evidence.alignment == "normalized"
    assert original[evidence.start : evidence.end] == evidence.quote == "办理行政复议案件 １２ 件"


def test_invented_or_too_short_quotes_are_rejected() -> None:
    norm = _norm("全年办理行政复议案件12件。\n")
    assert align_quote(norm, "获评全国示范镇") is None
    assert align_quote(norm, "案件") is None


def test_quote_confined_to_a_window_must_stand_inside_it() -> None:
    text = "甲镇开展普法宣传。乙镇开展普法宣传。"
    norm = _norm(text)
    second = Span(start=text.index("乙"), end=len(text))
    evidence = align_quote(norm, "开展普法宣传", within=second)
    assert evidence is not None and evidence.start == text.index("乙") + 2
    assert align_quote(norm, "甲镇开展", within=second) is None


def test_span_evidence_says_how_it_aligned() -> None:
    norm = _norm("全年办理案件 １２ 件。")
    clean_span = Span(start=0, end=len(norm.text))
    assert span_evidence(norm, clean_span).alignment == "normalized"
    assert span_evidence(_norm("全年办理案件12件。"), Span(start=0, end=4)).alignment == "exact"


def test_iter_evidence_walks_every_section() -> None:
    summary = summarize_offline(analyze_path(EXAMPLES_DIR / "xumingsi-2023.txt"))
    walked = list(summary.iter_evidence())
    expected = [*summary.highlights, *summary.indicators, *summary.shortcomings, *summary.measures]
    assert len(walked) == len(expected) + sum(1 for r in summary.risks if r.evidence)
    assert {section for section, _, _ in walked} >= {"highlights", "indicators", "risks"}
