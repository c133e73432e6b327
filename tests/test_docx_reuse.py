"""The Word writer reuses one styled base document per process: nothing of one document may leak
into the next, so every package part equals the one a fresh process writes for the same 公文."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx

from fazhi_review.render.docx import Block, GongwenDoc, gongwen_docx_bytes

FIRST = GongwenDoc(
    title="关于某镇2024年度法治政府建设情况报告的审阅意见",
    addressee="某镇党委、镇政府",
    blocks=[
        Block(kind="heading1", text="一、总体评价"),
        Block(kind="heading2", text="（一）分项"),
        Block(kind="paragraph", text="正文第一段。\t含制表符"),
        Block(kind="paragraph", text="正文第二段。"),
        Block(kind="paragraph", text=" 前导空格\n换行"),
    ],
    issuer="某县委依法治县办",
    date="2026年11月23日",
)
SECOND = GongwenDoc(title="另一份意见", addressee="", blocks=[Block(kind="paragraph", text="只有一段。")], issuer="某办", date="2026年1月2日")

FRESH = """
import sys
from pathlib import Path
from fazhi_review.render.docx import Block, GongwenDoc, gongwen_docx_bytes
doc = GongwenDoc.model_validate_json(Path(sys.argv[1]).read_text(encoding="utf-8"))
template = Path(sys.argv[3]) if len(sys.argv) > 3 else None
Path(sys.argv[2]).write_bytes(gongwen_docx_bytes(doc, template))
"""


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def written_fresh(doc: GongwenDoc, tmp_path: Path, template: Path | None = None) -> dict[str, bytes]:
    """The same document from a new interpreter, where no base document exists yet."""
    source, target = tmp_path / "doc.json", tmp_path / "fresh.docx"
    source.write_text(doc.model_dump_json(), encoding="utf-8")
    args = [sys.executable, "-c", FRESH, str(source), str(target), *([str(template)] if template else [])]
    subprocess.run(args, check=True, capture_output=True)
    return members(target.read_bytes())


def test_documents_written_in_one_process_equal_a_fresh_one(tmp_path: Path) -> None:
    first = gongwen_docx_bytes(FIRST)
    second = gongwen_docx_bytes(SECOND)
    again = gongwen_docx_bytes(FIRST)
    assert members(first)["word/document.xml"] == members(again)["word/document.xml"]
    assert members(again) == written_fresh(FIRST, tmp_path), "every part, not only the body"
    assert members(second) == written_fresh(SECOND, tmp_path)
    assert [p.text for p in docx.Document(io.BytesIO(second)).paragraphs] == ["另一份意见", "只有一段。", "某办", "2026年1月2日"]


def _template(path: Path) -> Path:
    """A letterhead with no Heading 2 style: the writer must add it to this document only."""
    template = docx.Document()
    template.styles["Normal"].font.name = "模板字体"
    template.sections[0].header.paragraphs[0].text = "某县委全面依法治县委员会办公室（红头）"
    template.add_paragraph("模板里原有的正文")
    styles = template.styles.element
    styles.remove(template.styles["Heading 2"].element)
    template.save(str(path))
    return path


def test_template_documents_do_not_leak_into_each_other_or_the_default(tmp_path: Path) -> None:
    template = _template(tmp_path / "红头.docx")
    default_before = gongwen_docx_bytes(SECOND)
    with_template = gongwen_docx_bytes(FIRST, template)
    without_heading2 = gongwen_docx_bytes(SECOND, template)
    assert members(with_template) == written_fresh(FIRST, tmp_path, template)
    assert members(without_heading2) == written_fresh(SECOND, tmp_path, template)
    assert b'w:styleId="Heading2"' in members(with_template)["word/styles.xml"]
    assert b'w:styleId="Heading2"' not in members(without_heading2)["word/styles.xml"], "a style added for one document stays there"
    default_after = gongwen_docx_bytes(SECOND)
    assert members(default_after) == members(default_before) == written_fresh(SECOND, tmp_path)
