"""A 公文 as a Word file in the GB/T 9704-2012 layout (党政机关公文格式), with python-docx.

Fonts are set on the style AND on every run, each time with ``w:rFonts w:eastAsia``: Word and WPS
ignore ``font.name`` (the Latin slot) for Chinese text and fall back to another face otherwise,
and the built-in styles' theme-font attributes would override an explicit name, so they are
removed. With ``template`` the user's document (letterhead, 红头, their own styles) is opened, its
body cleared and the text written with its styles; only missing styles are added.

Without a template every document has the same styles, page setup and footers, so they are built
once per process (``_Base``) and only the body is written per document: a county batch writes
hundreds of these, and rebuilding the package each time was most of a report's time. A template
is opened once per file version and set of styles used (``_template_base``) for the same reason.
The result is the very package python-docx and zipfile would write (tests/test_docx_fast_writer.py).
"""

from __future__ import annotations

import functools
import io
import re
import struct
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from fazhi_review.render.gongwen import Block, GongwenDoc
from fazhi_review.render.review import review_gongwen
from fazhi_review.review.model import ReviewDraft

TITLE_FONT, BODY_FONT, HEADING1_FONT, HEADING2_FONT, PAGE_NUMBER_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
TITLE_SIZE, BODY_SIZE, PAGE_NUMBER_SIZE = Pt(22), Pt(16), Pt(14)  # 二号, 三号, 四号
#: 版心 225 mm / 22 lines ≈ 28.95 pt; 156 mm / 28 characters ≈ 15.79 pt
LINE_PITCH = Pt(28.95)
LINE_PITCH_TWIPS = 579
CHAR_SPACE = -847  # (15.79 pt - 16 pt) × 4096, Word's unit for the character grid
MARGINS_MM = {"top_margin": 37, "bottom_margin": 35, "left_margin": 28, "right_margin": 26}
_STYLES = {"Title": (TITLE_FONT, TITLE_SIZE), "Heading 1": (HEADING1_FONT, BODY_SIZE), "Heading 2": (HEADING2_FONT, BODY_SIZE), "Normal": (BODY_FONT, BODY_SIZE)}
_BLOCK_STYLE = {"heading1": "Heading 1", "heading2": "Heading 2", "paragraph": "Normal"}
_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_east_asian_font(element: Any, name: str) -> None:
    """``w:rFonts`` with every slot on ``name``: the East Asian one is what Chinese text uses."""
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in _THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)


def _drop(parent: Any, *tags: str) -> None:
    """Remove built-in decoration (Title's bottom border, letter spacing) a 公文 does not have."""
    for tag in tags:
        found = parent.find(qn(tag)) if parent is not None else None
        if found is not None:
            parent.remove(found)


def _style(document: Any, name: str, own: bool) -> Any:
    try:
        style = document.styles[name]
    except KeyError:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        own = True
    if own:
        font_name, size = _STYLES[name]
        set_east_asian_font(style.element, font_name)
        style.font.size, style.font.bold, style.font.italic = size, False, False
        style.font.color.rgb = RGBColor(0, 0, 0)
        fmt = style.paragraph_format
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE_PITCH
        fmt.space_before, fmt.space_after = Pt(0), Pt(0)
        _drop(style.element.pPr, "w:pBdr")
        _drop(style.element.rPr, "w:spacing", "w:kern")
    return style


def _page_setup(section: Any) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side, millimetres in MARGINS_MM.items():
        setattr(section, side, Mm(millimetres))
    section.footer_distance = Mm(24)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))


def _field_runs(paragraph: Any, instruction: str) -> None:
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        elif kind == "text":
            run.text = text or ""
            continue
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def _page_number(footer: Any, odd: bool) -> None:
    """“— 1 —” in 四号 宋体, one character in from the outer edge: right on odd pages, left on even."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    for run in list(paragraph._p.r_lst):
        paragraph._p.remove(run)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        paragraph.paragraph_format.right_indent = PAGE_NUMBER_SIZE
    else:
        paragraph.paragraph_format.left_indent = PAGE_NUMBER_SIZE
    paragraph.add_run("— ")
    _field_runs(paragraph, " PAGE ")
    paragraph.add_run(" —")
    for run in paragraph.runs:
        set_east_asian_font(run._r, PAGE_NUMBER_FONT)
        run.font.size = PAGE_NUMBER_SIZE


def _clear_body(document: Any) -> None:
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


class _StyleIds:
    """Each style of one document resolved once: python-docx's name lookup (and its check for
    the default style) scans every style in styles.xml, which cost more than the writing itself."""

    def __init__(self, document: Any, own: bool, ready: bool) -> None:
        self.document, self.own, self.ready = document, own, ready
        self.ids: dict[str, str | None] = {}

    def __call__(self, name: str) -> str | None:
        if name not in self.ids:
            styles = self.document.styles
            style = styles[name] if self.ready else _style(self.document, name, self.own)
            if style.type != WD_STYLE_TYPE.PARAGRAPH:
                raise ValueError(f"assigned style is type {style.type}, need type {WD_STYLE_TYPE.PARAGRAPH}")
            # as python-docx's Paragraph.style: the default paragraph style is written as no w:pStyle
            self.ids[name] = None if style == styles.default(WD_STYLE_TYPE.PARAGRAPH) else style.style_id
        return self.ids[name]


def _add(document: Any, text: str, style_name: str, style_ids: _StyleIds, **fmt: Any) -> Any:
    paragraph = document.add_paragraph()
    paragraph._p.style = style_ids(style_name)
    run = paragraph.add_run(text)
    if style_ids.own:
        set_east_asian_font(run._r, _STYLES[style_name][0])
    for key, value in fmt.items():
        if key == "alignment":
            paragraph.alignment = value
        else:
            setattr(paragraph.paragraph_format, key, value)
    return paragraph


def _indent_two_chars(paragraph: Any) -> None:
    """First-line indent of two characters, in points and in character units (Word and WPS)."""
    paragraph.paragraph_format.first_line_indent = BODY_SIZE * 2
    paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")


#: one paragraph of the 公文: text, style name, two-character indent, paragraph format
Paragraph = tuple[str, str, bool, tuple[tuple[str, Any], ...]]


def _paragraphs(doc: GongwenDoc) -> Iterator[Paragraph]:
    """The 公文's paragraphs in order, each with its layout (the one place the layout is said)."""
    yield _xml_safe(doc.title), "Title", False, (("alignment", WD_ALIGN_PARAGRAPH.CENTER), ("space_after", LINE_PITCH))
    if doc.addressee:
        yield _xml_safe(f"{doc.addressee}："), "Normal", False, ()
    for block in doc.blocks:
        yield _xml_safe(block.text), _BLOCK_STYLE[block.kind], True, ()
    right = (("alignment", WD_ALIGN_PARAGRAPH.RIGHT), ("right_indent", BODY_SIZE * 4))
    yield _xml_safe(doc.issuer), "Normal", False, (("space_before", LINE_PITCH), *right)
    yield _xml_safe(doc.date), "Normal", False, right


#: characters XML 1.0 cannot hold (control characters other than tab and line breaks, lone
#: surrogates, U+FFFE/U+FFFF): a quote of a report carrying one (an ESC pasted from a terminal)
#: would make the Word file unwritable
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def _add_paragraph(document: Any, paragraph: Paragraph, style_ids: _StyleIds) -> Any:
    text, style_name, indent, fmt = paragraph
    added = _add(document, text, style_name, style_ids, **dict(fmt))
    if indent:
        _indent_two_chars(added)
    return added


def _write(document: Any, doc: GongwenDoc, style_ids: _StyleIds) -> None:
    for paragraph in _paragraphs(doc):
        _add_paragraph(document, paragraph, style_ids)


def _styled_base() -> Any:
    """The empty 公文: styles, page setup and footers, which do not depend on the text."""
    document = Document()
    _clear_body(document)
    for name in _STYLES:
        _style(document, name, own=True)
    document.settings.odd_and_even_pages_header_footer = True
    for section in document.sections:
        _page_setup(section)
        _page_number(section.footer, odd=True)
        _page_number(section.even_page_footer, odd=False)
    return document


def _save(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _deflate(blob: bytes) -> bytes:
    """What zipfile's ZIP_DEFLATED writes for ``blob`` (raw deflate at zlib's default level)."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return compressor.compress(blob) + compressor.flush()


#: zipfile's record layouts (local header, central directory entry, end of central directory)
_LOCAL, _CENTRAL, _END = struct.Struct("<4s2B4HL2L2H"), struct.Struct("<4s4B4HL2L5H2L"), struct.Struct("<4s4H2LH")
_VERSION, _ATTRIBUTES = 20, 0o600 << 16  # deflate's "version needed"; writestr's -rw-------
#: a text python-docx writes other than as one w:t: tabs and breaks become w:tab / w:br, and a
#: character XML cannot hold makes lxml refuse the document, as it always did
_NOT_PLAIN = re.compile("[^\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MARK = "FAZHIMARK"


class _Unsupported(Exception):
    """A package the fast writer cannot split into constant parts and paragraph pieces."""


class _Member:
    """One package part, deflated with its CRC: the constant ones once per process."""

    def __init__(self, name: str, blob: bytes) -> None:
        # as zipfile: an ASCII name as is, any other in UTF-8 with the language-encoding flag
        self.name, self.flags = (name.encode("ascii"), 0) if name.isascii() else (name.encode("utf-8"), 0x800)
        self.size, self.crc, self.deflated = len(blob), zlib.crc32(blob), _deflate(blob)
        if max(self.size, len(self.deflated)) >= zipfile.ZIP64_LIMIT:  # a template's huge media
            raise _Unsupported


def _zip(members: list[_Member]) -> bytes:
    """The bytes zipfile writes for these members (deflated, -rw-------, stamped now), with the
    records packed here: zipfile's per-member CRC, header rewrite and stream objects were most
    of a document's time, for parts that never change. Packages stay far below the ZIP64 sizes.
    """
    year, month, day, hour, minute, second = time.localtime(time.time())[:6]
    dosdate, dostime = (year - 1980) << 9 | month << 5 | day, hour << 11 | minute << 5 | second // 2
    system = zipfile.ZipInfo().create_system
    parts: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for m in members:
        fields = (m.flags, zipfile.ZIP_DEFLATED, dostime, dosdate, m.crc, len(m.deflated), m.size, len(m.name))
        local = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, *fields, 0)
        central.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, system, _VERSION, 0, *fields, 0, 0, 0, 0, _ATTRIBUTES, offset) + m.name)
        parts += (local, m.name, m.deflated)
        offset += len(local) + len(m.name) + len(m.deflated)
    directory = b"".join(central)
    if offset + len(directory) >= zipfile.ZIP64_LIMIT:
        raise _Unsupported
    end = _END.pack(b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), offset, 0)
    return b"".join((*parts, directory, end))


class _Base:
    """The process's styled, empty 公文, built once: only its body changes between documents.

    Every other package member (styles, footers, settings, theme…) is deflated once. Each
    paragraph layout is made once by python-docx and kept as its serialised XML around a marker
    text; a document's body is those pieces joined with its escaped texts, exactly what lxml
    would serialise, and zipped with the constant members as python-docx's ``save`` would (same
    members, order, compression). A text with tabs, breaks or characters XML cannot hold goes
    through python-docx itself. The lock keeps two threads from sharing the lxml body.
    """

    def __init__(self, document: Any, style_ids: _StyleIds) -> None:
        self.document, self.style_ids = document, style_ids
        self.body_member = self.document.part.partname.membername
        with zipfile.ZipFile(io.BytesIO(_save(self.document))) as archive:
            blobs = [(info.filename, archive.read(info)) for info in archive.infolist()]
        self.members = [None if name == self.body_member else _Member(name, blob) for name, blob in blobs]
        self.empty_body = self.document.part.blob
        opening = self.empty_body.find(b"<w:body>")
        if opening < 0:  # a template without a section (its body written as <w:body/>)
            raise _Unsupported
        self.head = self.empty_body[: opening + len(b"<w:body>")]
        self.lock = threading.Lock()
        self.shapes: dict[tuple[str, bool, tuple[tuple[str, Any], ...]], tuple[bytes, bytes]] = {}

    def _shape(self, style_name: str, indent: bool, fmt: tuple[tuple[str, Any], ...]) -> tuple[bytes, bytes]:
        """The serialised paragraph python-docx makes for this layout, split where its text goes."""
        shape = self.shapes.get((style_name, indent, fmt))
        if shape is None:
            with self.lock:
                try:
                    _add_paragraph(self.document, (_MARK, style_name, indent, fmt), self.style_ids)
                    with_mark = self.document.part.blob
                finally:
                    _clear_body(self.document)
            tail = len(self.empty_body) - len(self.head)
            if not (with_mark.startswith(self.head) and with_mark.endswith(self.empty_body[len(self.head) :])):
                raise _Unsupported
            before, found, after = with_mark[len(self.head) : len(with_mark) - tail].partition(f"<w:t>{_MARK}</w:t>".encode())
            if not found:
                raise _Unsupported
            shape = self.shapes[(style_name, indent, fmt)] = (before, after)
        return shape

    def _body_lxml(self, doc: GongwenDoc) -> bytes:
        """The body as python-docx writes it, for texts with tabs, breaks or invalid characters."""
        with self.lock:
            try:
                for text, style_name, indent, fmt in _paragraphs(doc):
                    _add_paragraph(self.document, (text, style_name, indent, fmt), self.style_ids)
                return bytes(self.document.part.blob)
            finally:
                _clear_body(self.document)

    def body(self, doc: GongwenDoc) -> bytes:
        paragraphs = list(_paragraphs(doc))
        if any(_NOT_PLAIN.search(text) for text, *_ in paragraphs):
            return self._body_lxml(doc)
        pieces = [self.head]
        for text, style_name, indent, fmt in paragraphs:
            before, after = self._shape(style_name, indent, fmt)
            pieces.append(before)
            if text:  # python-docx's add_t, as lxml serialises it
                escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                pieces.append(b'<w:t xml:space="preserve">' if len(text.strip()) < len(text) else b"<w:t>")
                pieces += (escaped.encode("utf-8"), b"</w:t>")
            pieces.append(after)
        pieces.append(self.empty_body[len(self.head) :])
        return b"".join(pieces)

    def docx_bytes(self, doc: GongwenDoc) -> bytes:
        body = _Member(self.body_member, self.body(doc))
        return _zip([body if member is None else member for member in self.members])


@functools.cache
def _base() -> _Base:
    document = _styled_base()
    return _Base(document, _StyleIds(document, own=True, ready=True))


@functools.lru_cache(maxsize=8)
def _template_base(path: str, stamp: tuple[int, int], styles: tuple[str, ...]) -> _Base | None:
    """A user's template opened once per (file, modification time and size, styles the text
    uses): parsing its styles for every report of a batch was most of that report's time. The
    styles it lacks are added in the order a document first uses them, as the writer always did,
    so a document gets exactly the styles.xml it got before. None: written the slow way."""
    document = Document(path)
    _clear_body(document)
    style_ids = _StyleIds(document, own=False, ready=False)
    for name in styles:
        style_ids(name)
    try:
        return _Base(document, style_ids)
    except _Unsupported:
        return None


def _with_template(doc: GongwenDoc, template: Path) -> bytes:
    try:
        stat = template.stat()
    except OSError:
        stat = None
    if stat is not None:
        styles = tuple(dict.fromkeys(style_name for _, style_name, _, _ in _paragraphs(doc)))
        base = _template_base(str(template.resolve()), (stat.st_mtime_ns, stat.st_size), styles)
        if base is not None:
            try:
                return base.docx_bytes(doc)
            except _Unsupported:
                pass
    document = Document(str(template))
    _clear_body(document)
    _write(document, doc, _StyleIds(document, own=False, ready=False))
    return _save(document)


def warm_up() -> None:
    """Build the process's base document now: a batch does it once before forking its workers,
    which then start with it (each would build its own for its first report), and the county
    公文 at the end reuses it."""
    _base()


def gongwen_docx_bytes(doc: GongwenDoc, template: Path | None = None) -> bytes:
    """The .docx bytes; the caller writes them atomically."""
    return _base().docx_bytes(doc) if template is None else _with_template(doc, template)


def review_docx_bytes(draft: ReviewDraft, template: Path | None = None) -> bytes:
    return gongwen_docx_bytes(review_gongwen(draft), template)


__all__ = ["Block", "GongwenDoc", "gongwen_docx_bytes", "review_docx_bytes"]
