"""Map a report onto the statutory parts (厅字〔2019〕28号), judged by content, not headings alone.

A heading names what a section is meant to hold; the body decides what it holds. So a heading
"存在的不足和原因" with no reasons below makes `shortcomings` present but not `reasons`, and a
第一责任人 paragraph inside an achievements section makes `first_responsible` present.
"""

from __future__ import annotations

import re

from fazhi_review.models import ALL_PARTS, Heading, Paragraph, Part, Section, Span

#: heading words per part, checked in this order (a heading may name two parts)
_HEADING_WORDS: dict[Part, re.Pattern[str]] = {
    "other": re.compile(r"其他需要报告|其他情况"),
    "first_responsible": re.compile(r"第一责任人|主要负责人"),
    "shortcomings": re.compile(r"不足|问题|短板|差距|困难"),
    "reasons": re.compile(r"原因"),
    "next_year_plan": re.compile(
        r"下一步|下一年|明年|今后|努力方向|工作(?:计划|思路|打算|安排)|主要(?:安排|计划)|\d{4}年.{0,12}(?:计划|思路|打算|安排)"
    ),
    "achievements": re.compile(r"成效|举措|主要工作|工作开展|亮点|基本情况|做法|成绩"),
}
_PLAN_PARAGRAPH = re.compile(r"^(?:下一步|下一年|今后|明年|\d{4}年[，,]?我(?:镇|乡|街道)将)")
_SHORTCOMING_WORDS = re.compile(r"不足|问题|有待|仍需|还需|不够|薄弱|亟待|尚未|欠缺|差距")
_REASON_SENTENCE = re.compile(r"[^。；\n]*原因[^。；\n]*[。；]?")
_FIRST_RESPONSIBLE = re.compile(
    r"[^。；\n]*(?:主要负责人|主要领导|党政领导|党委书记|书记|镇长|乡长|主任)[^。；\n]*第一责任人[^。；\n]*"
    r"|[^。；\n]*第一责任人职责[^。；\n]*"
)
_MIN_BODY = 10


def _heading_parts(heading: Heading | None) -> list[Part]:
    if heading is None:
        return []
    return [part for part, words in _HEADING_WORDS.items() if words.search(heading.title)]


def _body(section_span: Span, heading: Heading | None) -> Span:
    start = heading.span.end if heading else section_span.start
    return Span(start=min(start, section_span.end), end=section_span.end)


def _paragraphs_in(paragraphs: list[Paragraph], span: Span) -> list[Paragraph]:
    return [p for p in paragraphs if p.span.start >= span.start and p.span.end <= span.end]


def _split_shortcomings_and_plan(text: str, paragraphs: list[Paragraph], body: Span) -> dict[Part, list[Span]]:
    """A section headed "存在问题及下一步工作计划": the plan starts at its first plan paragraph."""
    found: dict[Part, list[Span]] = {"shortcomings": [], "next_year_plan": []}
    in_plan = False
    for para in _paragraphs_in(paragraphs, body):
        in_plan = in_plan or bool(_PLAN_PARAGRAPH.match(para.text))
        found["next_year_plan" if in_plan else "shortcomings"].append(para.span)
    return found


def _classify_section(text: str, paragraphs: list[Paragraph], section: Section, seen_problems: bool) -> dict[Part, list[Span]]:
    body = _body(section.span, section.heading)
    if len(text[body.start : body.end].strip()) < _MIN_BODY:
        return {}
    named = _heading_parts(section.heading)
    if "shortcomings" in named and "next_year_plan" in named:
        return _split_shortcomings_and_plan(text, paragraphs, body)
    primary = [p for p in named if p != "reasons"]
    if primary:
        return {primary[0]: [section.span]}
    if section.heading is not None and not seen_problems:
        return {"achievements": [section.span]}
    return {}


def _reason_segments(text: str, shortcoming_spans: list[Span]) -> list[Span]:
    """Sentences in the body of the 不足 part that actually analyse causes."""
    found = []
    for span in shortcoming_spans:
        for match in _REASON_SENTENCE.finditer(text, span.start, span.end):
            sentence = match.group(0)
            if "原因" in sentence and not _is_heading_line(text, match.start()):
                found.append(Span(start=match.start(), end=match.end()))
    return found


def _is_heading_line(text: str, pos: int) -> bool:
    """True when pos lies on a line that is only a heading (short, no sentence end)."""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start : line_end if line_end != -1 else len(text)]
    return len(line) <= 40 and not re.search(r"[。；]", line)


def _first_responsible_segments(text: str, spans: list[Span]) -> list[Span]:
    found = []
    for span in spans:
        for match in _FIRST_RESPONSIBLE.finditer(text, span.start, span.end):
            if not _is_heading_line(text, match.start()):
                found.append(Span(start=match.start(), end=match.end()))
    return found


def assign_parts(text: str, paragraphs: list[Paragraph], sections: list[Section]) -> tuple[list[Section], dict[str, list[Span]]]:
    """Decide which parts each section fills; return the sections with parts and the part map."""
    parts: dict[str, list[Span]] = {part: [] for part in ALL_PARTS}
    classified: list[Section] = []
    seen_problems = False
    for section in sections:
        found = _classify_section(text, paragraphs, section, seen_problems)
        seen_problems = seen_problems or any(p in found for p in ("shortcomings", "next_year_plan"))
        for part, spans in found.items():
            parts[part].extend(spans)
        classified.append(section.model_copy(update={"parts": list(found)}))
    parts["reasons"].extend(_reason_segments(text, parts["shortcomings"]))
    if not parts["first_responsible"]:
        parts["first_responsible"] = _first_responsible_segments(text, parts["achievements"])
    for segments in parts.values():
        segments.sort(key=lambda s: s.start)
    return classified, parts


def is_shortcoming_text(text: str) -> bool:
    return bool(_SHORTCOMING_WORDS.search(text))
