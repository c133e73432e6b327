"""Word's automatic numbering: the "一、" / "（一）" / "1." a reader sees but the text does not hold.

Reports are often typed with Word's list numbering (numbering.xml, ``w:numPr``) or with Heading
1/2 styles and no typed number at all; the characters of the heading are then "主要举措和成效",
and the structure stage, which finds parts by their markers, would miss them. So the reader
renders each paragraph's list label as Word would display it, and the Document records those
labels as synthetic ranges.

Only what reports use is rendered: decimal, chineseCounting(Thousand), ideographTraditional
(甲乙丙), enclosed circles, letters and roman numerals in an ``lvlText`` such as "%1、" or
"（%1）". Bullets and unknown formats render nothing (they never number a part).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fazhi_review.text import LINE_START_MARKER, chinese_count

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([12])$", re.IGNORECASE)
#: the report's own title set in Heading 1 ("石门镇2024年法治政府建设情况报告"): no part, no label
_TITLE_LIKE = re.compile(r"(?:报告|汇报|总结)$")
#: labels for Heading 1 / Heading 2 paragraphs that carry no number at all (GB/T 9704 levels)
_HEADING_LABELS = {0: ("chineseCounting", "%1、"), 1: ("chineseCounting", "（%2）")}


#: a level not numbered yet (a list may start at 0: "w:start=0")
_UNSTARTED = -1


@dataclass(frozen=True)
class Level:
    fmt: str
    text: str
    start: int = 1


@dataclass
class Numbering:
    """numbering.xml and the paragraph styles, plus the running counters of one document."""

    levels: dict[str, dict[int, Level]] = field(default_factory=dict)  # numId → ilvl → Level
    styles: dict[str, tuple[str | None, int, int | None]] = field(default_factory=dict)  # styleId → (numId, ilvl, heading level)
    counters: dict[str, list[int]] = field(default_factory=dict)
    #: numId → its abstract definition: list instances of one definition count on together
    lists: dict[str, str] = field(default_factory=dict)
    #: numId → {ilvl: start}: Word's "设置编号值"/"重新开始编号" (w:startOverride), applied at the
    #: instance's first paragraph of that level
    restarts: dict[str, dict[int, int]] = field(default_factory=dict)

    def label(self, paragraph: Any, text: str) -> str:
        """The label Word shows before this paragraph, or ""."""
        num_id, ilvl, heading = self._numbering_of(paragraph)
        if num_id is not None and num_id in self.levels:
            restart = self.restarts.get(num_id, {}).pop(ilvl, None)  # once: the instance's first paragraph of the level
            return self._next(self.lists.get(num_id, num_id), ilvl, self.levels[num_id], restart)
        if heading is not None and not LINE_START_MARKER.match(text.lstrip()) and not _TITLE_LIKE.search(text.strip()):
            levels = {lvl: Level(fmt, pattern) for lvl, (fmt, pattern) in _HEADING_LABELS.items()}
            return self._next("heading-style", heading, levels)
        return ""

    def _numbering_of(self, paragraph: Any) -> tuple[str | None, int, int | None]:
        props = paragraph.find(f"{_W}pPr")
        style_id = None
        if props is not None:
            num_pr = props.find(f"{_W}numPr")
            if num_pr is not None:
                num_id = _val(num_pr.find(f"{_W}numId"))
                return (None if num_id in (None, "0") else num_id), int(_val(num_pr.find(f"{_W}ilvl")) or 0), None
            style_id = _val(props.find(f"{_W}pStyle"))
        return self.styles.get(style_id or "", (None, 0, None))

    def _next(self, key: str, ilvl: int, levels: dict[int, Level], restart: int | None = None) -> str:
        level = levels.get(ilvl)
        if level is None or level.fmt in ("bullet", "none"):
            return ""
        counts = self.counters.setdefault(key, [_UNSTARTED] * 9)
        while len(counts) <= ilvl:
            counts.append(_UNSTARTED)
        counts[ilvl] = restart if restart is not None else counts[ilvl] + 1 if counts[ilvl] != _UNSTARTED else level.start
        for deeper in range(ilvl + 1, len(counts)):
            counts[deeper] = _UNSTARTED
        return re.sub(r"%(\d)", lambda m: _format(levels, int(m.group(1)) - 1, counts), level.text)


def _format(levels: dict[int, Level], ilvl: int, counts: list[int]) -> str:
    level = levels.get(ilvl)
    number = counts[ilvl] if ilvl < len(counts) and counts[ilvl] != _UNSTARTED else (level.start if level else 1)
    return render_number(number, level.fmt if level else "decimal")


def render_number(number: int, fmt: str) -> str:
    """One counter in a Word number format."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "japaneseCounting"):
        return chinese_count(number)
    if fmt == "ideographTraditional" and 0 < number <= len(_HEAVENLY_STEMS):
        return _HEAVENLY_STEMS[number - 1]
    if fmt == "decimalEnclosedCircle" and 0 < number <= 20:
        return chr(0x2460 + number - 1)
    if fmt in ("upperLetter", "lowerLetter") and 0 < number <= 26:
        letter = chr(ord("A") + number - 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and number > 0:
        roman = _roman(number)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(number)


def _roman(number: int) -> str:
    out = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def _val(node: Any) -> str | None:
    return None if node is None else node.get(f"{_W}val")


def read_numbering(document: Any) -> Numbering:
    """The numbering definitions and numbered/heading styles of a python-docx Document."""
    numbering = Numbering()
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        root = None
    if root is not None:
        numbering.levels, numbering.lists, numbering.restarts = _levels(root)
    try:
        styles_root = document.part.styles.element
    except (KeyError, NotImplementedError, AttributeError):
        return numbering
    numbering.styles = _styles(styles_root)
    return numbering


def _levels(root: Any) -> tuple[dict[str, dict[int, Level]], dict[str, str], dict[str, dict[int, int]]]:
    """Per list instance (numId): its levels, its abstract definition, its start overrides."""
    abstract: dict[str, dict[int, Level]] = {}
    for node in root.iterchildren(f"{_W}abstractNum"):
        levels = {}
        for lvl in node.iterchildren(f"{_W}lvl"):
            start = _val(lvl.find(f"{_W}start"))
            levels[int(lvl.get(f"{_W}ilvl", "0"))] = Level(
                fmt=_val(lvl.find(f"{_W}numFmt")) or "decimal",
                text=_val(lvl.find(f"{_W}lvlText")) or "",
                start=int(start) if start and start.isdigit() else 1,
            )
        abstract[node.get(f"{_W}abstractNumId", "")] = levels
    result, lists, restarts = {}, {}, {}
    for num in root.iterchildren(f"{_W}num"):
        target = _val(num.find(f"{_W}abstractNumId"))
        if target in abstract and target is not None:
            num_id = num.get(f"{_W}numId", "")
            result[num_id], lists[num_id] = abstract[target], f"abstract-{target}"
            overrides = {int(o.get(f"{_W}ilvl", "0")): _val(o.find(f"{_W}startOverride")) for o in num.iterchildren(f"{_W}lvlOverride")}
            restarts[num_id] = {ilvl: int(start) for ilvl, start in overrides.items() if start and start.isdigit()}
    return result, lists, restarts


def _styles(root: Any) -> dict[str, tuple[str | None, int, int | None]]:
    """styleId → (numId, ilvl) of a numbered style, or the heading level of a Heading 1/2 style."""
    styles: dict[str, tuple[str | None, int, int | None]] = {}
    for style in root.iterchildren(f"{_W}style"):
        if style.get(f"{_W}type") != "paragraph":
            continue
        style_id = style.get(f"{_W}styleId", "")
        props = style.find(f"{_W}pPr")
        num_pr = props.find(f"{_W}numPr") if props is not None else None
        num_id = _val(num_pr.find(f"{_W}numId")) if num_pr is not None else None
        if num_id not in (None, "0"):
            styles[style_id] = (num_id, int(_val(num_pr.find(f"{_W}ilvl")) or 0), None)  # type: ignore[union-attr]
            continue
        heading = _heading_level(style, props)
        if heading is not None:
            styles[style_id] = (None, 0, heading)
    return _inherited(root, styles)


def _inherited(root: Any, styles: dict[str, tuple[str | None, int, int | None]]) -> dict[str, tuple[str | None, int, int | None]]:
    """A custom style based on a numbered or Heading style ("二级标题" based on Heading 2) numbers
    its paragraphs as its parent does, unless it says otherwise."""
    parents = {
        style.get(f"{_W}styleId", ""): _val(style.find(f"{_W}basedOn"))
        for style in root.iterchildren(f"{_W}style")
        if style.get(f"{_W}type") == "paragraph"
    }
    for style_id in parents:
        ancestor = parents.get(style_id)
        for _ in range(_MAX_STYLE_DEPTH):
            if style_id in styles or ancestor is None:
                break
            if ancestor in styles:
                styles[style_id] = styles[ancestor]
                break
            ancestor = parents.get(ancestor)
    return styles


#: how far up a style's basedOn chain its numbering is looked for
_MAX_STYLE_DEPTH = 5


def _heading_level(style: Any, props: Any) -> int | None:
    """0 for Heading 1, 1 for Heading 2 (by name or by outline level)."""
    name = _val(style.find(f"{_W}name")) or ""
    match = _HEADING_STYLE.match(name.strip())
    if match:
        return int(match.group(1)) - 1
    outline = _val(props.find(f"{_W}outlineLvl")) if props is not None else None
    return int(outline) if outline in ("0", "1") else None
