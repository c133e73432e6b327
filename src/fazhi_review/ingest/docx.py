"""Word (.docx) reports: body paragraphs and tables, in the order a reader sees them.

python-docx only opens the package; the text is read from the body XML directly because its
``Paragraph.text`` skips tracked insertions (``w:ins``) and its table API repeats merged cells,
and reports are often revised drafts with 成效/整改 tables.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from fazhi_review.errors import InputError
from fazhi_review.ingest.extracted import Extracted
from fazhi_review.ingest.numbering import Numbering, read_numbering

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
#: run containers whose text is not part of the paragraph's reading order (deleted text, text
#: boxes — read as lines of their own after the paragraph — and the duplicate fallback copy of
#: drawing content)
_SKIP_CONTAINERS = {f"{_W}del", f"{_W}moveFrom", f"{_W}txbxContent", f"{_MC}Fallback"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: table cells on one line are separated by this, rows are one line each
CELL_SEPARATOR = "\t"

_DOC_HINT = "请用 Word 或 WPS 打开后「另存为」.docx 格式再试"


def extract(data: bytes, path: str) -> Extracted:
    """Text of a .docx: one line per paragraph, one line per table row.

    A paragraph numbered by Word (list numbering or a Heading 1/2 style without a typed number)
    gets its label rendered in front, recorded as a synthetic range.
    """
    document = _open(data, path)
    numbering = read_numbering(document)
    lines: list[str] = []
    synthetic: list[tuple[int, int]] = []
    position = 0
    for label, line in _block_lines(document.element.body, numbering):
        if label:
            synthetic.append((position, position + len(label)))
        lines.append(label + line)
        position += len(label) + len(line) + 1
    return Extracted("\n".join(lines), None, synthetic)


def _open(data: bytes, path: str) -> Any:
    if data.startswith(_OLE_MAGIC):
        raise InputError("这是旧版 Word (.doc) 文件，只是扩展名写成了 .docx", path=path, hint=_DOC_HINT)
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx, zipfile and lxml raise many types on a damaged package
        raise InputError("不是有效的 Word (.docx) 文件，可能已损坏", path=path, hint=_DOC_HINT) from exc


def _block_lines(container: Any, numbering: Numbering | None) -> Iterator[tuple[str, str]]:
    """(label, line) of the paragraphs and tables directly in ``container`` (body, cell, content
    control); only body paragraphs get list labels (``numbering`` None inside tables)."""
    for child in container.iterchildren():
        if child.tag == f"{_W}p":
            text = _paragraph_text(child)
            if not text and _mark_deleted(child):
                continue  # a paragraph deleted with changes tracked: gone from the document, and from its numbering
            yield (numbering.label(child, text) if numbering is not None else ""), text
            for box in _text_boxes(child):
                yield from _block_lines(box, None)
        elif child.tag == f"{_W}tbl":
            yield from (("", row) for row in _table_lines(child))
        elif child.tag == f"{_W}sdt":
            for content in child.iterchildren(f"{_W}sdtContent"):
                yield from _block_lines(content, numbering)


def _text_boxes(paragraph: Any) -> Iterator[Any]:
    """The text boxes anchored in a paragraph, each once (not its VML fallback copy), after it.

    A 落款 is often set in a text box over the seal: skipped, the report has no signed date.
    """
    for box in paragraph.iter(f"{_W}txbxContent"):
        node = box.getparent()
        while node is not None and node is not paragraph and node.tag not in (f"{_MC}Fallback", f"{_W}txbxContent"):
            node = node.getparent()
        if node is paragraph:
            yield box


def _paragraph_text(paragraph: Any) -> str:
    """Runs in order, including tracked insertions and hyperlinks, excluding deletions and
    hidden text."""
    return "".join(run.text for run in paragraph.iter(f"{_W}r") if _in_reading_order(run, paragraph) and not _hidden(run))


def _mark_deleted(paragraph: Any) -> bool:
    """The paragraph mark itself is a tracked deletion (``w:pPr/w:rPr/w:del``)."""
    props = paragraph.find(f"{_W}pPr")
    marks = props.find(f"{_W}rPr") if props is not None else None
    return marks is not None and marks.find(f"{_W}del") is not None


def _hidden(run: Any) -> bool:
    """Hidden text (Word's 隐藏文字, ``w:vanish``) is neither shown nor printed: a template's
    filling instructions ("XX处填写本镇名称") hidden rather than deleted are no part of the report."""
    props = run.find(f"{_W}rPr")
    vanish = props.find(f"{_W}vanish") if props is not None else None
    return vanish is not None and vanish.get(f"{_W}val", "true") not in ("0", "false", "off")


def _in_reading_order(run: Any, paragraph: Any) -> bool:
    node = run.getparent()
    while node is not None and node is not paragraph:
        if node.tag in _SKIP_CONTAINERS:
            return False
        node = node.getparent()
    return True


def _table_lines(table: Any) -> Iterator[str]:
    """One line per row; a vertically merged cell's text is given once, in its first row.

    A horizontally merged cell is a single ``w:tc`` in the XML, so reading the XML rather than
    python-docx's cell grid already gives each merged cell once.
    """
    for row in table.iterchildren(f"{_W}tr"):
        cells = [_cell_text(cell) for cell in _row_cells(row)]
        yield CELL_SEPARATOR.join(cells)


def _row_cells(row: Any) -> Iterator[Any]:
    for child in row.iterchildren():
        if child.tag == f"{_W}tc":
            yield child
        elif child.tag == f"{_W}sdt":
            for content in child.iterchildren(f"{_W}sdtContent"):
                yield from content.iterchildren(f"{_W}tc")


def _cell_text(cell: Any) -> str:
    """A cell's paragraphs on the row's one line: a line break would cut the row in two, so that no
    line held its name and its figures (Word's merge leaves the merged cells' empty paragraphs in
    the first one: "行政执法" and three empty lines)."""
    if _continues_vertical_merge(cell):
        return ""
    return " ".join(text for label, line in _block_lines(cell, None) if (text := (label + line).strip()))


def _continues_vertical_merge(cell: Any) -> bool:
    for props in cell.iterchildren(f"{_W}tcPr"):
        for merge in props.iterchildren(f"{_W}vMerge"):
            return merge.get(f"{_W}val", "continue") == "continue"
    return False
