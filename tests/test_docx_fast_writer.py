"""The fast Word writer (paragraph XML pieces joined with escaped text, zip records packed by hand)
against python-docx writing the same 公文 paragraph by paragraph and zipfile zipping it: every
package member, the member order and the container bytes must be the same. And the cache's lean
store writes what ``model_dump_json`` gave, atomically."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from conftest import EXAMPLES_DIR
from fazhi_review.analysis import analyze_path
from fazhi_review.batch.cache import Cache, CacheEntry
from fazhi_review.engine import summarize_offline
from fazhi_review.output import OutputError
from fazhi_review.render import docx as writer
from fazhi_review.render.docx import Block, GongwenDoc, gongwen_docx_bytes
from fazhi_review.render.review import review_gongwen
from fazhi_review.review import ReviewSettings, draft_review

EXAMPLES = sorted(EXAMPLES_DIR.glob("*.txt"))
SETTINGS = ReviewSettings(issuer="某县委依法治县办", date=dt.date(2026, 11, 23))


def gongwen(report: Path) -> GongwenDoc:
    return review_gongwen(draft_review(summarize_offline(analyze_path(report)), SETTINGS))


def by_python_docx(doc: GongwenDoc) -> bytes:
    """The same 公文 the slow way: a new styled document, each paragraph added by python-docx,
    saved by python-docx (which zips with zipfile)."""
    document = writer._styled_base()
    writer._write(document, doc, writer._StyleIds(document, own=True, ready=False))
    return writer._save(document)


def members(data: bytes) -> list[tuple[str, int, int, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return [(i.filename, i.compress_type, i.external_attr, archive.read(i)) for i in archive.infolist()]


@pytest.mark.parametrize("report", EXAMPLES, ids=lambda path: path.stem)
def test_every_member_equals_python_docx_for_each_example(report: Path) -> None:
    doc = gongwen(report)
    fast = gongwen_docx_bytes(doc)
    assert members(fast) == members(by_python_docx(doc))
    assert members(fast)[0][0] == "[Content_Types].xml"
    document = docx.Document(io.BytesIO(fast))
    expected = [doc.title, *([f"{doc.addressee}："] if doc.addressee else []), *(b.text for b in doc.blocks), doc.issuer, doc.date]
    assert [p.text for p in document.paragraphs] == expected
    kinds = {"heading1": "Heading 1", "heading2": "Heading 2", "paragraph": "Normal"}
    styles = [p.style.name for p in document.paragraphs]
    assert styles[0] == "Title" and styles[-2:] == ["Normal", "Normal"]
    assert styles[len(styles) - 2 - len(doc.blocks) : -2] == [kinds[b.kind] for b in doc.blocks]
    for paragraph in document.paragraphs:
        fonts = {run._r.rPr.rFonts.get(qn("w:eastAsia")) for run in paragraph.runs}
        assert fonts == {writer._STYLES[paragraph.style.name][0]}


AWKWARD = [
    "A & B <c> \"d\" 'e' &amp;",
    " 前后有空格 ",
    "\u3000全角空格开头",
    "",
    "𠀀扩展B区字与emoji😀",
    "含\t制表符",
    "换行\n与回车\r",
    "]]> 与 -- 注释样",
]


@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_texts_are_written_as_python_docx_writes_them(text: str) -> None:
    doc = GongwenDoc(title=text or "标题", addressee=text, blocks=[Block(kind="heading1", text=text), Block(kind="paragraph", text=text)], issuer=text, date="2026年1月2日")
    assert members(gongwen_docx_bytes(doc)) == members(by_python_docx(doc))


def test_a_character_xml_cannot_hold_is_left_out_by_both_writers(monkeypatch: pytest.MonkeyPatch) -> None:
    """A quote holding a control character (an ESC pasted from a terminal) once made the Word file
    unwritable; both writers now leave the character out, and still write the same document."""
    fixed = time.localtime(time.mktime((2026, 11, 23, 20, 31, 47, 0, 0, -1)))
    monkeypatch.setattr(time, "localtime", lambda *_: fixed)
    doc = GongwenDoc(title="标题\x0b", blocks=[Block(kind="paragraph", text="引文\x1b[0m照录")], issuer="某办", date="2026年1月2日")
    fast = gongwen_docx_bytes(doc)
    assert members(fast) == members(by_python_docx(doc))
    body = zipfile.ZipFile(io.BytesIO(fast)).read("word/document.xml").decode("utf-8")
    assert "引文[0m照录" in body and "\x1b" not in body and "\x0b" not in body
    gongwen_docx_bytes(GongwenDoc(title="其后照常", blocks=[], issuer="某办", date="2026年1月2日"))


def test_container_bytes_equal_zipfiles(monkeypatch: pytest.MonkeyPatch) -> None:
    """Same clock for both: then the packed records are the very bytes zipfile writes."""
    fixed = time.localtime(time.mktime((2026, 11, 23, 20, 31, 47, 0, 0, -1)))
    monkeypatch.setattr(time, "localtime", lambda *_: fixed)
    fast = gongwen_docx_bytes(gongwen(EXAMPLES[0]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, _, _, blob in members(fast):
            archive.writestr(name, blob)
    assert fast == buffer.getvalue()


@pytest.fixture(scope="module")
def entry() -> CacheEntry:
    analysis = analyze_path(EXAMPLES_DIR / "suhe-2021.txt")
    return CacheEntry(key="k" * 64, summary=summarize_offline(analysis), text=analysis.document.text)


def test_cache_store_writes_the_model_json_and_reads_back(entry: CacheEntry, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "nested" / ".fazhi-cache")
    cache.store(entry)
    assert cache.path(entry.key).read_bytes() == entry.model_dump_json().encode("utf-8")
    assert cache.load(entry.key) == entry
    assert cache.load_text(entry.key) == entry.text
    assert [p.name for p in cache.folder.iterdir()] == [f"{entry.key}.json"], "no temp file left"


def test_cache_entries_written_before_still_load(entry: CacheEntry, tmp_path: Path) -> None:
    """An entry as the previous writer left it (str JSON, encoded), and a broken one: a miss."""
    cache = Cache(tmp_path)
    cache.path(entry.key).write_text(entry.model_dump_json(), encoding="utf-8")
    assert cache.load(entry.key) == entry
    cache.path("cut").write_bytes(entry.model_dump_json().encode("utf-8")[:1000])
    assert cache.load("cut") is None


def test_cache_store_failure_is_an_output_error_without_leftovers(entry: CacheEntry, tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.path(entry.key).mkdir()  # os.replace cannot put a file over a directory
    with pytest.raises(OutputError):
        cache.store(entry)
    assert [p.name for p in tmp_path.iterdir()] == [f"{entry.key}.json"]


def by_python_docx_with(doc: GongwenDoc, template: Path) -> bytes:
    """The template path the slow way: the user's file opened, its body cleared, written."""
    document = docx.Document(str(template))
    writer._clear_body(document)
    writer._write(document, doc, writer._StyleIds(document, own=False, ready=False))
    return writer._save(document)


def letterhead(path: Path, header: str, drop: str = "Heading 2", keep_section: bool = True) -> Path:
    template = docx.Document()
    template.sections[0].header.paragraphs[0].text = header
    template.add_paragraph("模板里原有的正文")
    template.styles.element.remove(template.styles[drop].element)
    if not keep_section:
        body = template.element.body
        body.remove(body.find(qn("w:sectPr")))
    template.save(str(path))
    return path


def test_template_documents_equal_python_docx_and_follow_edits(tmp_path: Path) -> None:
    template = letterhead(tmp_path / "红头.docx", "某县委全面依法治县委员会办公室（红头）")
    plain = GongwenDoc(title="只有正文", blocks=[Block(kind="paragraph", text="一段。")], issuer="某办", date="2026年1月2日")
    for doc in (*(gongwen(report) for report in EXAMPLES), plain):
        assert members(gongwen_docx_bytes(doc, template)) == members(by_python_docx_with(doc, template))
    assert b'w:styleId="Heading2"' not in dict((m[0], m[3]) for m in members(gongwen_docx_bytes(plain, template)))["word/styles.xml"]
    letterhead(template, "另一个红头，长度也不同", drop="Heading 1")
    edited = gongwen_docx_bytes(plain, template)
    assert members(edited) == members(by_python_docx_with(plain, template))
    assert "另一个红头" in docx.Document(io.BytesIO(edited)).sections[0].header.paragraphs[0].text


def test_template_without_a_section_is_written_the_slow_way(tmp_path: Path) -> None:
    template = letterhead(tmp_path / "无节.docx", "红头", keep_section=False)
    doc = gongwen(EXAMPLES[0])
    assert members(gongwen_docx_bytes(doc, template)) == members(by_python_docx_with(doc, template))


def test_template_with_a_non_ascii_part_name(tmp_path: Path) -> None:
    """A part named in Chinese (a letterhead's 图片) is zipped with the UTF-8 name flag, as zipfile does."""
    plain = letterhead(tmp_path / "plain.docx", "红头")
    template = tmp_path / "带图片.docx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Default Extension="bin" ContentType="application/octet-stream"/></Types>')
            if info.filename == "word/_rels/document.xml.rels":
                extra = '<Relationship Id="rIdLogo" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/图片.bin"/>'
                data = data.replace(b"</Relationships>", extra.encode("utf-8") + b"</Relationships>")
            target.writestr(info, data)
        target.writestr("word/media/图片.bin", b"\x89PNG not really")
    doc = gongwen(EXAMPLES[0])
    written = gongwen_docx_bytes(doc, template)
    assert members(written) == members(by_python_docx_with(doc, template))
    assert any(not name.isascii() for name, *_ in members(written))
