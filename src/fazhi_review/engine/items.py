"""Enumerated points (（一）…, 一是…) and sentences inside a statutory part, as clean-text spans.

The offline engine builds its 不足 and 整改措施 from the enumerated points (or, for a part
written as one paragraph, from its matching clauses) and its 亮点 from the sentences.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from fazhi_review.facts.tables import table_rows
from fazhi_review.models import Heading, Report, Span
from fazhi_review.text import CLAUSE, LINE_START_MARKER, sentence_spans

_HEADLINE_MAX = 30
#: a sentence shorter than this says nothing worth quoting
SENTENCE_MIN_CHARS = 8
_LEAD_IN = re.compile(r"^(?:尽管|虽然|虽|在.{0,20}方面虽然|全镇在|我镇在|但离|主要(?:是)?表现在)")
_BRACKET_TITLE = re.compile(r"\s*【[^】]*】\s*")
_CLAUSE_PREFIX = re.compile(r"^(?:但是?|同时|工作中|还|仍|依然|也)*(?:存在(?:着)?)?")


@dataclass(frozen=True)
class Item:
    """One enumerated point: its headline (what is quoted) and its whole extent."""

    headline: Span
    extent: Span


def _enclosing(span: Span, parts: list[Span], starts: list[int]) -> Span | None:
    """The part segment holding ``span``'s start, by bisection (segments are sorted, disjoint;
    ``starts`` are theirs, computed once per part rather than once per probe)."""
    index = bisect_right(starts, span.start) - 1
    return parts[index] if index >= 0 and span.start < parts[index].end else None


def _item_headings(report: Report, spans: list[Span]) -> list[Heading]:
    """The shallowest headings inside the part, below the heading that opens each section."""
    spans = sorted(spans, key=lambda p: p.start)
    starts = [p.start for p in spans]
    opening = set(starts) - _continued(report, spans) - _points_at_start(report, starts)
    inside = [h for h in report.headings if _enclosing(h.span, spans, starts) is not None and h.span.start not in opening]
    if not inside:
        return []
    top = min(h.level for h in inside)
    return [h for h in inside if h.level == top]


def _continued(report: Report, spans: list[Span]) -> set[int]:
    """Starts of segments that go on from the ones before them with a deeper heading: a merged
    part's sub-heading alone ("（一）存在问题") and then its points ("一是…", or "1." "2." each a
    segment of its own), where a point opens a segment but is a point, not the heading of one.
    ``spans`` are sorted."""
    level_at = {heading.span.start: heading.level for heading in report.headings}
    continued: set[int] = set()
    opened: int | None = None  # the level of the heading that opened the current run of segments
    for index, span in enumerate(spans):
        this = level_at.get(span.start)
        adjacent = index > 0 and span.start - spans[index - 1].end <= 1
        if adjacent and opened is not None and this is not None and this > opened:
            continued.add(span.start)
        else:
            opened = this
    return continued


def _points_at_start(report: Report, starts: list[int]) -> set[int]:
    """Segments opening on a "一是…" point: a point, never the heading of a segment (the body of a
    merged "存在的问题及下一步打算" part starts on its first 不足 "一是…；二是…")."""
    wanted = set(starts)
    return {h.span.start for h in report.headings if h.span.start in wanted and h.marker.rstrip().endswith("是")}


def headline_span(text: str, heading: Heading) -> Span:
    """The heading's words without the marker, cut at the first comma when long."""
    start = heading.span.start + len(heading.marker)
    end = heading.span.end
    while start < end and text[start].isspace():  # Word's numbering: "（一）\t行政执法…"
        start += 1
    while end > start and text[end - 1] in "。；！？，":
        end -= 1
    if end - start > _HEADLINE_MAX:
        comma = text.find("，", start, end)
        if comma != -1:
            end = comma
    return Span(start=start, end=end)


def enumerated_items(text: str, report: Report, spans: list[Span]) -> list[Item]:
    headings = _item_headings(report, spans)
    ordered = sorted(spans, key=lambda p: p.start)
    starts = [p.start for p in ordered]
    items = []
    for i, heading in enumerate(headings):
        part_end = _enclosing(heading.span, ordered, starts).end  # type: ignore[union-attr]  # _item_headings kept only enclosed ones
        end = min(headings[i + 1].span.start, part_end) if i + 1 < len(headings) else part_end
        items.append(Item(headline=headline_span(text, heading), extent=Span(start=heading.span.start, end=end)))
    return items


#: a point of a list written inside a paragraph without 一是: ①…②…, 第一，…第二，…, 首先…其次…
_LIST_MARK = re.compile(
    r"(?:(?<=^)|(?<=[\n：:；;。，,]))[ \t\u3000]*(?:[\u2460-\u2473]|第[一二三四五六七八九十]{1,3}[，,、：:]|(?:首先|其次|再次|最后)[，,、：:])",
    re.MULTILINE,
)
_LIST_END = re.compile(r"[。！？\n]")
_POINT_END = re.compile(r"[。；;！？]")
#: a clause before a colon that announces a list rather than states a problem ("执法力量薄弱：…")
_LIST_INTRO = re.compile(r"以下|如下|几点|几个|一些|几方面|主要|存在")


def listed_items(text: str, spans: list[Span]) -> list[Item]:
    """A part whose points are marked ①② or 第一，第二， (or 首先，其次，) instead of 一是/（一）:
    each point runs to the next mark, the last to its sentence's end; two marks make a list."""
    items = []
    for span in spans:
        marks = list(_LIST_MARK.finditer(text, span.start, span.end))
        if len(marks) < 2:
            continue
        for i, mark in enumerate(marks):
            start = mark.end()
            stop = _LIST_END.search(text, start, span.end)
            end = stop.start() + (text[stop.start()] != "\n") if stop else span.end
            if i + 1 < len(marks):
                end = min(end, marks[i + 1].start())
            items.append(Item(headline=_point_headline(text, start, end), extent=Span(start=start, end=end)))
    return items


def _point_headline(text: str, start: int, end: int) -> Span:
    """The point's words up to its closing mark, cut at the first comma when long (as a heading's)."""
    stop = _POINT_END.search(text, start, end)
    end = stop.start() if stop else end
    if end - start > _HEADLINE_MAX:
        comma = text.find("，", start, end)
        end = comma if comma != -1 else end
    return Span(start=start, end=end)


def _lead_in_or_heading(text: str, span: Span, start: int, end: int) -> bool:
    """A clause that introduces a list ("但仍存在以下不足：") or is a heading line, the part's own
    or numbered or bracketed ("三、存在的不足和原因", "【存在的不足及原因】"): neither is a point of
    the part (a short unpunctuated line of its own, "执法人员数量不足", still is)."""
    if text.startswith(("：", ":"), end) and _LIST_INTRO.search(text, start, end):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end != -1 else len(text)]
    headed = line_start <= span.start or bool(LINE_START_MARKER.match(line)) or line.startswith("【")
    return headed and len(line) <= 40 and not re.search(r"[。；！？]", line)


#: a run of points written as one sentence, kept apart by semicolons, needs this many of them
_MIN_SEMICOLON_POINTS = 3
_SEMICOLON_POINT_MIN = 6


def semicolon_items(text: str, spans: list[Span], keep: re.Pattern[str]) -> list[Item]:
    """A part whose points are one sentence's clauses kept apart by semicolons, after a lead-in
    ("…还存在一些不足。执法…掌握不够；社区…积极性不高；部分科室…不够充分。", or "…抓好整改
    落实：健全…；创新…；…"): each clause is a point, when three or more say what the part is about."""
    items: list[Item] = []
    for span in spans:
        for run in _SEMICOLON_RUN.finditer(text, span.start, span.end):
            clauses, at = [], run.start()
            for piece in re.split("[；;]", run.group()):
                stripped = piece.strip()
                start = at + piece.find(stripped) if stripped else at
                at += len(piece) + 1
                if len(stripped.rstrip("。")) >= _SEMICOLON_POINT_MIN:
                    clauses.append(Span(start=start, end=start + len(stripped.rstrip("。"))))
            if len(clauses) >= _MIN_SEMICOLON_POINTS and 2 * sum(1 for c in clauses if keep.search(text, c.start, c.end)) >= len(clauses):
                items.extend(Item(headline=_point_headline(text, c.start, c.end), extent=c) for c in clauses)
    return items


#: a sentence of clauses kept apart by semicolons, from the end of the lead-in before it (a
#: sentence end or a colon) to its own end
_SEMICOLON_RUN = re.compile(r"(?<=[。：:\n])[^。：:\n]+(?:[；;][^。：:\n；;]+){2,}。?")


#: a part written as this many paragraphs, none numbered, is a list of one point per paragraph
_PARAGRAPH_POINTS = range(2, 9)


def paragraph_items(text: str, spans: list[Span], keep: re.Pattern[str]) -> list[Item]:
    """A part whose points are paragraphs with no number (Word heading styles kept the headings,
    the points were typed plainly): each paragraph that states a point is one, quoted to its first
    sentence (cut at the first comma when long), not split into clauses."""
    paragraphs = []
    for span in spans:
        at = span.start
        for line in text[span.start : span.end].split("\n"):
            start = at + len(line) - len(line.lstrip())
            at += len(line) + 1
            stripped = line.strip()
            if stripped.endswith(("：", ":")) or _LEAD_IN.match(stripped):
                continue  # "在肯定成绩的同时，…还存在以下不足：": the list's lead-in, no point
            if len(stripped) >= 8 and not _lead_in_or_heading(text, span, start, start + len(stripped)):
                paragraphs.append(Span(start=start, end=start + len(stripped)))
    kept = sum(1 for p in paragraphs if keep.search(text, p.start, p.end))
    if len(paragraphs) not in _PARAGRAPH_POINTS or 2 * kept < len(paragraphs):
        return []  # paragraphs that mostly do not say what the part is about are not its points
    items = []
    for paragraph in paragraphs:
        prefix = _CLAUSE_PREFIX.match(text[paragraph.start : paragraph.end])  # "但也存在…的问题" (its ^ anchors the slice)
        start = paragraph.start + (prefix.end() if prefix and paragraph.start + prefix.end() < paragraph.end else 0)
        items.append(Item(headline=_point_headline(text, start, paragraph.end), extent=paragraph))
    return items


def clause_items(text: str, spans: list[Span], keep: re.Pattern[str]) -> list[Item]:
    """Fallback for a part written as one paragraph: its clauses that match ``keep``."""
    items = []
    for span in spans:
        for match in CLAUSE.finditer(text, span.start, span.end):
            title = _BRACKET_TITLE.match(match.group(0))  # "【存在的不足及原因】对照…": the heading is no point
            clause = match.group(0)[title.end() :] if title else match.group(0)
            if _LEAD_IN.match(clause) or not keep.search(clause) or _lead_in_or_heading(text, span, match.start(), match.end()):
                continue
            prefix = _CLAUSE_PREFIX.match(clause)
            start = match.end() - len(clause) + (prefix.end() if prefix else 0)
            if match.end() - start >= 4:
                items.append(Item(headline=Span(start=start, end=match.end()), extent=Span(start=start, end=match.end())))
    return items


def sentences(text: str, spans: list[Span]) -> list[Span]:
    """Sentences long enough to say something (8+ characters)."""
    return sentence_spans(text, spans, min_chars=SENTENCE_MIN_CHARS)


#: the header of a 整改清单's measures column: "整改措施", "具体措施", "工作举措", "整改内容"
_MEASURE_HEADER = re.compile(r"(?:整改|具体|工作|主要|落实)?(?:措施|举措)|整改(?:内容|任务|事项|方向)|(?:重点|主要|具体|工作)(?:任务|工作|内容|事项)|任务(?:内容|名称)?")


def table_measures(text: str, spans: list[Span]) -> tuple[list[Item], list[Span]]:
    """A 整改清单 pasted as a table inside the part ("序号 问题 整改措施 责任单位 完成时限"): each row's
    measures cell is one point, the row its extent (so the 问题 cell links it to its 不足).
    Returns the points and the part's spans with the tables cut out, for the other readers."""
    return _table_points(text, spans, _MEASURE_HEADER)


#: a table column holding the 不足: "问题", "存在问题", "主要问题", "问题表现", "不足"
_PROBLEM_HEADER = re.compile(r"(?:存在的?|主要|突出)?(?:问题|不足)(?:表现|描述|清单|内容)?")


def table_shortcomings(text: str, spans: list[Span]) -> tuple[list[Item], list[Span]]:
    """The 不足 written as a table inside the part ("问题 | 整改措施"): each row's problem cell is
    one 不足. Returns them and the part's spans with the tables cut out."""
    return _table_points(text, spans, _PROBLEM_HEADER)


def _table_points(text: str, spans: list[Span], header: re.Pattern[str]) -> tuple[list[Item], list[Span]]:
    items: list[Item] = []
    tables: list[Span] = []
    for rows in table_rows(text):
        block = Span(start=rows[0][0].start, end=rows[-1][-1].end)
        if not any(span.start <= block.start < span.end for span in spans):
            continue
        column = next((i for i, cell in enumerate(rows[0]) if header.fullmatch(cell.text)), None)
        if column is None:
            continue
        tables.append(block)
        for row in rows[1:]:
            if column < len(row) and len(row[column].text) >= 4:
                cell = row[column]
                items.append(Item(headline=Span(start=cell.start, end=cell.end), extent=Span(start=row[0].start, end=row[-1].end)))
    return items, _without(spans, tables)


def _without(spans: list[Span], holes: list[Span]) -> list[Span]:
    """``spans`` with the ``holes`` cut out."""
    pieces = []
    for span in spans:
        start = span.start
        for hole in sorted(holes, key=lambda h: h.start):
            if hole.end <= start or hole.start >= span.end:
                continue
            if hole.start > start:
                pieces.append(Span(start=start, end=hole.start))
            start = max(start, hole.end)
        if start < span.end:
            pieces.append(Span(start=start, end=span.end))
    return pieces
