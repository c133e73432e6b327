"""Coverage of the 纲要 (2021—2025): ten chapters from the packaged phrase table, sentence-level
verbatim evidence, and the draft's note on the chapters a report does not touch."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from conftest import EXAMPLES_DIR
from fazhi_review.analysis import analyze_document, analyze_path
from fazhi_review.coverage import chapter_coverage, chapters
from fazhi_review.engine import summarize_offline
from fazhi_review.ingest import read_document
from fazhi_review.models import Document
from fazhi_review.normalize import normalize, normalize_text
from fazhi_review.review import ReviewSettings, draft_review

EXAMPLES = sorted(EXAMPLES_DIR.glob("*.txt"))


def _document(text: str) -> Document:
    return Document(path="synthetic.txt", format="txt", encoding="utf-8", text=text, sha256="0" * 64)


def test_the_phrase_table_ships_in_the_package() -> None:
    table = chapters()
    assert [c.number for c in table] == list(range(1, 11))
    assert table[5].title == "健全突发事件应对体系"
    assert all(c.phrases for c in table)


@pytest.mark.parametrize("report", EXAMPLES, ids=lambda p: p.stem)
def test_coverage_evidence_is_verbatim_sentences(report: Path) -> None:
    summary = summarize_offline(analyze_path(report))
    original = read_document(report).text
    assert [c.chapter for c in summary.coverage] == list(range(1, 11))
    assert any(c.covered for c in summary.coverage) and not all(c.covered for c in summary.coverage)
    for chapter in summary.coverage:
        assert chapter.covered == bool(chapter.evidence) == bool(chapter.keywords)
        for evidence in chapter.evidence:
            assert original[evidence.start : evidence.end] == evidence.quote
            clean = re.sub(r"\s", "", normalize_text(evidence.quote).text)
            assert any(k in clean for k in chapter.keywords), clean


def test_a_chapter_is_covered_only_when_a_phrase_stands_in_the_text() -> None:
    with_plan = normalize(_document("一、应急管理\n我镇修订完善应急预案3个，组织应急演练2次。\n"))
    without = normalize(_document("一、工作情况\n我镇开展普法宣传活动5场次。\n"))
    emergency = next(c for c in chapter_coverage(with_plan) if c.chapter == 6)
    assert emergency.covered and emergency.keywords == ["应急管理", "应急预案", "应急演练"]
    assert emergency.evidence[1].quote == "我镇修订完善应急预案3个，组织应急演练2次。"
    assert not next(c for c in chapter_coverage(without) if c.chapter == 6).covered


def test_draft_notes_uncovered_chapters_without_calling_them_problems() -> None:
    summary = summarize_offline(analyze_path(EXAMPLES_DIR / "suhe-2021.txt"))
    draft = draft_review(summary, ReviewSettings(date=dt.date(2026, 11, 23)))
    uncovered = [c.title for c in summary.coverage if not c.covered]
    assert uncovered and draft.overall.uncovered_chapters == uncovered
    note = draft.overall.paragraphs[-1]
    assert note.startswith("对照《法治政府建设实施纲要（2021—2025年）》") and all(t in note for t in uncovered)
    assert not any("纲要" in p.text and "未涉及" in p.text for p in draft.problems)


def test_no_note_when_every_chapter_is_covered_or_coverage_is_absent() -> None:
    summary = summarize_offline(analyze_path(EXAMPLES_DIR / "maojun-2024.txt"))
    covered = [c.model_copy(update={"covered": True}) for c in summary.coverage]
    for variant in (summary.model_copy(update={"coverage": covered}), summary.model_copy(update={"coverage": []})):
        draft = draft_review(variant, ReviewSettings(date=dt.date(2026, 11, 23)))
        assert draft.overall.uncovered_chapters == [] and len(draft.overall.paragraphs) == 1
    assert "摘要未含《纲要》覆盖情况" in " ".join(draft.provenance.notes)


def test_analysis_of_a_document_fills_paragraph_locations() -> None:
    summary = summarize_offline(analyze_document(_document("标题\n第一段。\n第二段。\n")))
    assert [(p.index, p.start, p.end) for p in summary.paragraphs] == [(1, 0, 2), (2, 3, 7), (3, 8, 12)]
