"""The fast formulations of the offline engine's hot paths against the straightforward ones.

Each speed-up in structure/facts/coverage/locators replaced a simple scan with a cheaper one that
must give the same answer; these tests run both on edge inputs and on random texts (fixed seeds)
built from the words the patterns look for, so a divergence shows as a concrete counterexample.
"""

from __future__ import annotations

import itertools
import random
import re

import pytest

from conftest import EXAMPLES_DIR
from fazhi_review import coverage
from fazhi_review.facts import extract
from fazhi_review.locate import paragraph_starts
from fazhi_review.models import NormalizedText, Span
from fazhi_review.normalize import normalize_text
from fazhi_review.structure import headings as structure_headings
from fazhi_review.structure import parts as structure_parts
from fazhi_review.text import CJK, CLAUSE_BREAK, SENTENCE, finditer_from, sentence_bounds

#: words the patterns under test react to, mixed with filler and every break character
_WORDS = [
    "书记", "党委书记", "镇长", "主任", "主要负责人", "主要领导", "第一责任人", "第一责任人职责", "履行", "落实",
    "压实", "法治", "法治政府建设", "法治建设", "职责", "责任", "工作", "全面", "推进", "认真", "一、", "（一）",
    "。", "；", "\n", "，", "！", "？", " ",
]


def _random_text(rng: random.Random, words: list[str], length: int) -> str:
    return "".join(rng.choice(words) for _ in range(length))


def _random_spans(rng: random.Random, text: str) -> list[Span]:
    cuts = sorted({0, len(text), *(rng.randrange(len(text) + 1) for _ in range(rng.randrange(4)))})
    return [Span(start=a, end=b) for a, b in itertools.pairwise(cuts) if rng.random() < 0.8]


def _first_responsible_by_finditer(text: str, spans: list[Span]) -> list[Span]:
    """The original formulation: ``finditer`` from every position of every span."""
    found = []
    for span in spans:
        for match in structure_parts._FIRST_RESPONSIBLE.finditer(text, span.start, span.end):
            if not structure_parts._is_heading_line(text, match.start()):
                found.append(Span(start=match.start(), end=match.end()))
    return found


@pytest.mark.parametrize(
    "text",
    [
        "镇党委书记认真履行推进法治建设第一责任人职责，带头学法。",
        "一是书记作为第一责任人。二是镇长落实法治政府建设责任；三是其他。",
        "书记\n第一责任人。镇长履行法治建设职责",  # a break between the two words: no match across it
        "工作全面推进。" * 30 + "党委书记切实履行法治建设第一责任人职责" + "，认真" * 40 + "。",  # a long sentence
        "主要负责人第一责任人职责；主要负责人第一责任人职责；",  # several matches, adjacent sentences
        "第一责任人职责",  # a short line without a sentence end: a heading, skipped
        "",
    ],
)
def test_first_responsible_sentences_match_finditer(text: str) -> None:
    spans = [Span(start=0, end=len(text))]
    assert structure_parts._first_responsible_segments(text, spans) == _first_responsible_by_finditer(text, spans)


def test_first_responsible_sentences_match_finditer_mid_sentence_spans() -> None:
    """A span that starts or ends inside a sentence is searched from its own start."""
    text = "镇长认真履行法治建设职责。党委书记是第一责任人职责所在，全年主持专题会议。" * 3
    for start in range(0, len(text), 3):
        for end in range(start, len(text) + 1, 7):
            spans = [Span(start=start, end=end)]
            assert structure_parts._first_responsible_segments(text, spans) == _first_responsible_by_finditer(text, spans)


@pytest.mark.parametrize("seed", range(40))
def test_first_responsible_sentences_match_finditer_random(seed: int) -> None:
    rng = random.Random(seed)
    text = _random_text(rng, _WORDS, rng.randrange(1, 400))
    spans = _random_spans(rng, text)
    assert structure_parts._first_responsible_segments(text, spans) == _first_responsible_by_finditer(text, spans)


# ---------------------------------------------------------------- facts: where a number can start

_FACT_WORDS = [
    "1", "25", ",", "34", "12,345", "3.5", "13,000", "１２", "٣", "一", "两", "十二", "三千", "百", "百分之", "百分之九十", "万", "亿", "余", "多",
    "件", "次", "人次", "个百分点", "%", "元", "万元", "项目", "人民", "处罚", "期间", "不少于", "不低于", "至少", "超过",
    "高达", "多达", "达到", "将近", "接近", "近", "最近", "约", "节约", "逾", "达", "送达", "以上", "以下", "左右", "第", "A",
    ".", "年", "“", "”", "工作", "，", "。",
]


def _fact_spans(matches: object) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in matches]  # type: ignore[attr-defined]


@pytest.mark.parametrize("seed", range(60))
def test_fact_matches_equal_finditer_random(seed: int) -> None:
    rng = random.Random(seed)
    text = _random_text(rng, _FACT_WORDS, rng.randrange(1, 300))
    assert _fact_spans(extract._fact_matches(text)) == _fact_spans(extract._FACT_RE.finditer(text))


def test_fact_matches_equal_finditer_on_examples() -> None:
    for path in sorted(EXAMPLES_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found = _fact_spans(extract._fact_matches(text))
        assert found and found == _fact_spans(extract._FACT_RE.finditer(text)), path.name


def test_fact_windows_hold_every_qualifier() -> None:
    """A qualifier added to the pattern widens the windows too (they are derived from it)."""
    for word in ["不少于", "不低于", "至少", "超过", "高达", "多达", "达到", "将近", "接近", "近", "约", "逾", "达"]:
        text = f"工作{word}12件"
        assert [m.group(0) for m in extract._fact_matches(text)] == [f"{word}12件"]


def test_fact_windows_are_derived_from_plain_words() -> None:
    """The window sets are read off _PRE and _UNITS: each piece must start with a plain character
    (a new construct there must update the derivation, not silently narrow the windows)."""
    assert extract._PRE_WORDS and all(re.fullmatch(f"[{CJK}]+", word) for word in extract._PRE_WORDS)
    assert all(unit[0] not in "()[]|?\\" for unit in extract._UNITS.split("|"))


def test_fact_matches_inside_a_longer_number() -> None:
    """A number can start inside what the loose number test took as one (12,34件: 34件)."""
    for text in ["12,34件", "1.2.3人", "一二三四件", "第3次，共5.5万元", "百分之百，百分之九十五"]:
        assert _fact_spans(extract._fact_matches(text)) == _fact_spans(extract._FACT_RE.finditer(text))


# ---------------------------------------------------------------- coverage: phrases by occurrence


def _sentences_by_find(text: str) -> list[tuple[int, int]]:
    """The original sentence cut: each SENTENCE match stripped, located with ``find``."""
    spans = []
    for match in SENTENCE.finditer(text):
        stripped = match.group(0).strip()
        if stripped:
            start = match.start() + match.group(0).find(stripped)
            spans.append((start, start + len(stripped)))
    return spans


def _coverage_by_sentence(norm: NormalizedText) -> list[tuple[int, bool, list[str], list[tuple[int, int]]]]:
    """The original formulation: every phrase tested on every sentence, in text order."""
    result = []
    for chapter in coverage.chapters():
        found: list[str] = []
        evidence: list[tuple[int, int]] = []
        phrases = [p for p in chapter.phrases if p in norm.text]
        for start, end in _sentences_by_find(norm.text) if phrases else ():
            hits = [p for p in phrases if p in norm.text[start:end]]
            if hits:
                found += [h for h in hits if h not in found]
                if len(evidence) < coverage.MAX_EVIDENCE:
                    evidence.append((start, end))
        result.append((chapter.number, bool(evidence), found, evidence))
    return result


def _coverage_fast(norm: NormalizedText) -> list[tuple[int, bool, list[str], list[tuple[int, int]]]]:
    found = []
    for item in coverage.chapter_coverage(norm):
        spans = [(e.start, e.end) for e in item.evidence]
        found.append((item.chapter, item.covered, item.keywords, spans))
    return found


def _as_original(norm: NormalizedText, rows: list[tuple[int, bool, list[str], list[tuple[int, int]]]]) -> list[object]:
    return [(n, c, k, [(e.start, e.end) for e in (norm.evidence(s, t) for s, t in spans)]) for n, c, k, spans in rows]


_PHRASES = ["营商环境", "政务服务", "规范性文件", "备案审查", "执法人员", "执法证", "行政处罚", "法律顾问", "合法性审查", "重大行政决策"]
_COVERAGE_WORDS = [*_PHRASES, "营商", "环境", "执法", "人员", "规范", "文件", "。", "；", "！", "？", "\n", " ", "，", "工作", "全面"]


@pytest.mark.parametrize("seed", range(40))
def test_chapter_coverage_equals_per_sentence_scan_random(seed: int) -> None:
    rng = random.Random(seed)
    norm = normalize_text(_random_text(rng, _COVERAGE_WORDS, rng.randrange(1, 200)))
    assert _coverage_fast(norm) == _as_original(norm, _coverage_by_sentence(norm))


@pytest.mark.parametrize(
    "text",
    [
        "执法人员持执法证上岗，执法人员培训。营商环境持续优化；执法证核发。政务服务便民！",  # several phrases and repeats per sentence
        "营商\n环境；执法。人员",  # a phrase cut by a break is not in any sentence
        "行政处罚" * 5 + "。" + "规范性文件备案审查。" * 5,  # more sentences than the evidence kept
        "",
    ],
)
def test_chapter_coverage_equals_per_sentence_scan(text: str) -> None:
    norm = normalize_text(text)
    assert _coverage_fast(norm) == _as_original(norm, _coverage_by_sentence(norm))


def test_chapter_coverage_equals_per_sentence_scan_on_examples() -> None:
    for path in sorted(EXAMPLES_DIR.glob("*.txt")):
        norm = normalize_text(path.read_text(encoding="utf-8"))
        rows = _coverage_by_sentence(norm)
        assert any(covered for _, covered, _, _ in rows)
        assert _coverage_fast(norm) == _as_original(norm, rows), path.name


# ---------------------------------------------------------------- headings: run-in points

_RUN_IN_WORDS = ["一是", "二是", "十二是", "统一是", "一", "是", "三", "十", "“", "《", "工作", "A", "，", "。", "：", "；", "\n", " ", "一是1"]


def _run_in_spans(matches: object) -> list[tuple[tuple[int, int], str]]:
    return [(m.span(), m.group(0)) for m in matches]  # type: ignore[attr-defined]


@pytest.mark.parametrize("seed", range(40))
def test_run_in_points_equal_finditer_random(seed: int) -> None:
    """Every window, so the lookbehinds and ``^`` are tried at window starts inside lines too."""
    rng = random.Random(seed)
    text = _random_text(rng, _RUN_IN_WORDS, rng.randrange(1, 120))
    for start in range(0, len(text) + 1, 5):
        for end in range(start, len(text) + 1, 11):
            fast = finditer_from(structure_headings._RUN_IN, structure_headings._RUN_IN_START, text, start, end)
            assert _run_in_spans(fast) == _run_in_spans(structure_headings._RUN_IN.finditer(text, start, end)), (start, end)


# ---------------------------------------------------------------- sentences without a model each


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("min_chars", [1, 8])
def test_sentence_bounds_equal_the_stripped_find_cut(seed: int, min_chars: int) -> None:
    rng = random.Random(seed)
    text = _random_text(rng, ["工作", " ", "\u3000", "\t", "。", "；", "！", "？", "\n", "法治建设全面推进", "a"], rng.randrange(0, 200))
    expected = [(a, b) for a, b in _sentences_by_find(text) if b - a >= min_chars]
    assert sentence_bounds(text, [(0, len(text))], min_chars) == expected


# ---------------------------------------------------------------- locators: paragraph starts

_OLD_LINE = re.compile(r"[^\n\r\f]*\S[^\n\r\f]*")


@pytest.mark.parametrize("seed", range(40))
def test_paragraph_starts_equal_the_non_blank_line_pattern(seed: int) -> None:
    """Every kind of blank (\\u3000, \\xa0, \\v, \\x1c, \\x85, \\u2028) and every line break."""
    rng = random.Random(seed)
    pieces = ["工作", "a", " ", "\u3000", "\xa0", "\t", "\v", "\x1c", "\x85", "\u2028", "\n", "\r", "\r\n", "\f", "。"]
    text = _random_text(rng, pieces, rng.randrange(0, 120))
    assert paragraph_starts(text) == [m.start() for m in _OLD_LINE.finditer(text)]


# ---------------------------------------------------------------- clause breaks

_OLD_CLAUSE_BREAK = re.compile(r"[，。；：！？\n;:!?]|,(?!\d{3})")


@pytest.mark.parametrize("seed", range(30))
def test_clause_break_equals_the_alternation(seed: int) -> None:
    rng = random.Random(seed)
    text = _random_text(rng, [",", "1", "12", "123", "1234", "，", "。", "：", ":", ";", "工作", "\n", "?"], rng.randrange(0, 150))
    assert [m.span() for m in CLAUSE_BREAK.finditer(text)] == [m.span() for m in _OLD_CLAUSE_BREAK.finditer(text)]
    assert [bool(CLAUSE_BREAK.match(text, i)) for i in range(len(text))] == [bool(_OLD_CLAUSE_BREAK.match(text, i)) for i in range(len(text))]
