"""The structure stage: clean text → Report (meta, headings, paragraphs, sections, parts)."""

from __future__ import annotations

import re

from fazhi_review.models import Heading, NormalizedText, Paragraph, Report, Section, Span
from fazhi_review.structure.headings import find_headings, split_paragraphs
from fazhi_review.structure.meta import extract_meta
from fazhi_review.structure.parts import assign_parts, parts_named
from fazhi_review.text import LINE_START_MARKER, RUN_IN_PART_HEADING

__all__ = ["parse_structure"]


def _body_end(text: str, paragraphs: list[Paragraph], signed_span: Span | None) -> int:
    """Where the report body stops: before the 落款 block (issuer line + date), if any."""
    if signed_span is None:
        return len(text)
    end = text.rfind("\n", 0, signed_span.start) + 1  # the issuer may share the date's line
    previous = [p for p in paragraphs if p.span.end <= signed_span.start]
    if previous and len(previous[-1].text) <= 30 and not previous[-1].text.endswith("。"):
        end = previous.pop().span.start
        # a second issuer on a line of its own above ("中共青岗乡委员会" over "青岗乡人民政府")
        while previous and len(previous[-1].text) <= 30 and _ISSUER_LINE.search(previous[-1].text):
            end = previous.pop().span.start
    return max(end - 1, 0) if end > 0 and text[end - 1] == "\n" else end


_ISSUER_LINE = re.compile(r"(?:人民政府|委员会|办事处|党委|党工委|管委会)(?:[（(]盖章[）)])?$")


#: an unnumbered heading line is short and carries no punctuation
_BARE_HEADING_MAX = 30
_BARE_PUNCT = re.compile(r"[。；，！？,;!?]")  # "存在的不足、原因及下一步工作打算" is one heading
_PART_MARKER = re.compile(r"第[一二三四五六七八九十]{1,2}部分[\s：:]*")
#: where a run-in body starts after a part's words: a sentence end or its first point
_RUN_IN_BODY_START = re.compile(r"[。；]|(?=[一二三四五六七八九十]是)|(?=[（(]一[）)])|(?=一、)")


def _bare_part_headings(paragraphs: list[Paragraph], body_end: int, norm: NormalizedText) -> list[Heading]:
    """Unnumbered lines that name a statutory part ("存在的问题", "下一步工作打算"): part headings
    of a report whose numbering was lost (Word auto-numbering, a page copied without its list
    labels). Synthetic headings: they bound sections but are not listed among the report's headings.
    On a line of a paste without breaks the body runs on after the words ("存在的不足一是…")."""
    found = []
    # "第一部分 亮点纷呈 … 第四部分 精准发力": with two such lines or more, each heads a part
    # whatever its words; a lone "第三部分 …" only when it names one
    in_numbered_parts = sum(1 for para in paragraphs if _PART_MARKER.match(para.text)) >= _MIN_NUMBERED_PARTS
    for para in paragraphs[1:]:
        part_heading = _part_heading(para, in_numbered_parts) if para.span.start < body_end else None
        if part_heading is not None:
            found.append(part_heading)
            continue
        line = para.text.rstrip("：:")
        if para.span.start >= body_end or LINE_START_MARKER.match(line):
            continue
        if len(line) > _BARE_HEADING_MAX or _BARE_PUNCT.search(line):
            run_in = RUN_IN_PART_HEADING.match(line) if _virtual_line(norm, para.span.start) else None
            if run_in is None or not parts_named(run_in.group(0)):
                continue
            line, span = run_in.group(0), Span(start=para.span.start, end=para.span.start + run_in.end())
        else:
            span = para.span
        if parts_named(line):
            found.append(Heading(level=1, style="cn_dun", marker="", number=0, title=line, span=span, line_start=para.span.start))
    return found


def _virtual_line(norm: NormalizedText, start: int) -> bool:
    """The line starting at ``start`` was broken by normalize (a paste without line breaks), not
    by the author: in the original, no line break precedes it."""
    index = norm.offsets[start] - 1
    while index >= 0 and norm.original[index] in " \t\u3000\xa0":
        index -= 1
    return index >= 0 and norm.original[index] not in "\n\r"


_MIN_NUMBERED_PARTS = 2
#: this many 第N部分 headings over （一） headings are the report's parts even when named by slogans
_MIN_SLOGAN_PARTS = 3


def _part_heading(para: Paragraph, in_numbered_parts: bool = False) -> Heading | None:
    """"第三部分 存在的不足和原因", maybe with its body run in after it (text pasted without line
    breaks: "第三部分存在的不足和原因一是…"): the words up to the first point or sentence end."""
    marker = _PART_MARKER.match(para.text)
    if marker is None:
        return None
    title = _RUN_IN_BODY_START.split(para.text[marker.end() :], maxsplit=1)[0][:_BARE_HEADING_MAX].rstrip("：:")
    if not parts_named(title) and not (in_numbered_parts and title and not _BARE_PUNCT.search(title)):
        return None
    span = Span(start=para.span.start, end=para.span.start + marker.end() + len(title))
    return Heading(level=1, style="cn_dun", marker=marker.group(0), number=0, title=title, span=span, line_start=para.span.start)


def _sections(text: str, headings: list[Heading], body_end: int, paragraphs: list[Paragraph], norm: NormalizedText) -> list[Section]:
    tops = [h for h in headings if h.level == 1 and h.style != "yishi" and h.line_start < body_end]
    bare = _bare_part_headings(paragraphs, body_end, norm)
    bare_parts = set().union(*(parts_named(h.title) for h in bare))
    top_parts = set().union(*(parts_named(h.title) for h in tops))
    numbered_parts = [h for h in bare if h.marker]  # "第一部分 亮点纷呈", "第三部分 砥砺前行"
    if len(bare_parts) >= 2 and len(bare_parts) > len(top_parts):
        tops = bare  # the numbered headings are subsections; the part headings lost their numbers
    elif len(numbered_parts) >= _MIN_SLOGAN_PARTS and not any(h.style == "cn_dun" for h in tops):
        tops = bare  # 第N部分 over （一）（二）: the parts, however they are named
    sections = []
    if tops and tops[0].line_start > 0:
        sections.append(Section(heading=None, span=Span(start=0, end=max(tops[0].line_start - 1, 0)), parts=[]))
    for i, heading in enumerate(tops):
        end = tops[i + 1].line_start - 1 if i + 1 < len(tops) else body_end
        sections.append(Section(heading=heading, span=Span(start=heading.line_start, end=end), parts=[]))
    if not tops:
        sections.append(Section(heading=None, span=Span(start=0, end=body_end), parts=[]))
    return sections


def parse_structure(norm: NormalizedText) -> Report:
    text = norm.text
    paragraphs = split_paragraphs(text)
    headings = find_headings(text, paragraphs)
    draft_meta = extract_meta(text, paragraphs, [])
    body_end = _body_end(text, paragraphs, draft_meta.signed_span)
    sections, parts = assign_parts(text, paragraphs, _sections(text, headings, body_end, paragraphs, norm))
    plan_headings = [s.heading for s in sections if s.heading and "next_year_plan" in s.parts]
    plan_openings = [text[span.start : span.end] for span in parts["next_year_plan"][:2]]
    meta = extract_meta(text, paragraphs, plan_headings, norm.original, plan_openings)
    return Report(meta=meta, headings=headings, paragraphs=paragraphs, sections=sections, parts=parts)
