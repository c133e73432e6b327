"""Word reports whose heading numbers are not characters of the file: three ways Word does it.

- ``list``: a numbering.xml list (chineseCounting "%1、" over "（%1）"), paragraphs with w:numPr;
- ``headings``: Heading 1 / Heading 2 styles and no number at all (Word shows none either; the
  outline level is the only structure);
- ``styled-list``: Heading 1 / Heading 2 styles linked to a list through the style's own
  w:numPr (chineseCountingThousand "%1、", level 2 ideographTraditional "（%2）" → （甲）).
"""

from __future__ import annotations

from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

TITLE = "某某镇人民政府关于2024年度法治政府建设情况的报告"
#: (level, heading text without number) and body paragraphs, in order; level 0 = 一、, 1 = （一）
OUTLINE: list[tuple[int | None, str]] = [
    (None, TITLE),
    (None, "县委全面依法治县委员会办公室："),
    (None, "2024年，我镇坚持以习近平法治思想为指导，全面推进法治政府建设，现将有关情况报告如下。"),
    (0, "主要举措和成效"),
    (1, "健全依法决策机制"),
    (None, "全年召开党委会研究重大行政决策事项12次，重大决策合法性审查率达到100%。"),
    (1, "深化普法宣传教育"),
    (None, "开展“法律进村居”活动36场次，发放宣传资料5000余份，受益群众3000余人次。"),
    (0, "党政主要负责人履行推进法治建设第一责任人职责情况"),
    (None, "镇党委书记、镇长带头学法，主持召开专题会议4次，研究解决法治建设重点问题。"),
    (0, "存在的不足和原因"),
    (None, "一是行政执法人员专业能力有待提高，执法程序还不够规范；二是基层群众法治意识仍需提升。究其原因，主要是学习培训不够系统。"),
    (0, "2025年工作安排"),
    (None, "加强执法队伍建设，每季度组织执法人员培训一次，完善行政执法公示制度，提升依法行政能力。"),
    (None, "某某镇人民政府"),
    (None, "2025年2月10日"),
]
LABELS = {0: ["一、", "二、", "三、", "四、"], 1: ["（一）", "（二）"]}
STYLED_LABELS = {0: ["一、", "二、", "三、", "四、"], 1: ["（甲）", "（乙）"]}


def typed_text(labels: dict[int, list[str]] = LABELS) -> str:
    """The text with the numbers typed in: what Word displays."""
    counters = {0: 0, 1: 0}
    lines = []
    for level, line in OUTLINE:
        if level is None:
            lines.append(line)
            continue
        if level == 0:
            counters[1] = 0
        lines.append(labels[level][counters[level]] + line)
        counters[level] += 1
    return "\n".join(lines)


def _numbering_xml(level_formats: list[tuple[str, str]]) -> str:
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(level_formats)
    )
    return f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="90">{levels}</w:abstractNum>', f'<w:num xmlns:w="{W_NS}" w:numId="7"><w:abstractNumId w:val="90"/></w:num>'


def _add_list(document: object, level_formats: list[tuple[str, str]]) -> None:
    from lxml import etree

    root = document.part.numbering_part.element  # type: ignore[attr-defined]
    abstract, num = _numbering_xml(level_formats)
    first_num = root.find(f"{{{W_NS}}}num")
    if first_num is not None:
        first_num.addprevious(etree.fromstring(abstract))
    else:
        root.append(etree.fromstring(abstract))
    root.append(etree.fromstring(num))


def _num_pr(ilvl: int) -> object:
    from lxml import etree

    return etree.fromstring(f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{ilvl}"/><w:numId w:val="7"/></w:numPr>')


def write_numbered_docx(directory: Path, variant: str) -> Path:
    """The OUTLINE as a .docx whose heading numbers come from Word, in one of three variants."""
    import docx

    document = docx.Document()
    if variant == "list":
        _add_list(document, [("chineseCounting", "%1、"), ("chineseCounting", "（%2）")])
    elif variant == "styled-list":
        _add_list(document, [("chineseCountingThousand", "%1、"), ("ideographTraditional", "（%2）")])
        for ilvl, name in enumerate(["Heading 1", "Heading 2"]):
            props = document.styles[name].element.get_or_add_pPr()
            props.insert(0, _num_pr(ilvl))
    for level, line in OUTLINE:
        if level is None:
            document.add_paragraph(line)
        elif variant == "list":
            paragraph = document.add_paragraph(line)
            paragraph._p.get_or_add_pPr().insert(0, _num_pr(level))
        else:
            document.add_paragraph(line, style="Heading 1" if level == 0 else "Heading 2")
    path = directory / f"numbered-{variant}.docx"
    document.save(str(path))
    return path
