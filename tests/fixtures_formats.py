"""Write one report's text in every input format we read, so tests never need binary fixtures.

Plain module (not a conftest): ``from fixtures_formats import write_txt, ...``. Every writer
takes the report text and a directory and returns the written path.

The PDF writer uses reportlab's built-in ``STSong-Light`` CID font (Adobe-GB1, ``UniGB-UCS2-H``
encoding): no font file is needed, so it works on a bare CI machine, and pypdf maps the
predefined CMap back to Unicode, so the text layer extracts as the Chinese that was drawn.
"""

from __future__ import annotations

import html
from pathlib import Path

#: (file suffix, codec) for each plain-text variant; "utf-16" writes a BOM
TXT_ENCODINGS: dict[str, str] = {
    "utf8": "utf-8",
    "utf8-bom": "utf-8-sig",
    "gb18030": "gb18030",
    "utf16": "utf-16",
    "utf16le-nobom": "utf-16-le",
}
#: a text layer line of at most this many characters fits the A4 page at 10 pt
PDF_CHARS_PER_LINE = 48

PORTAL_CHROME = ("老年模式", "无障碍", "当前位置", "打印", "关闭", "分享到", "网站首页", "政务公开", "互动交流")


def write_txt(text: str, directory: Path, variant: str = "utf8") -> Path:
    """The report as a .txt in one of ``TXT_ENCODINGS``."""
    path = directory / f"report-{variant}.txt"
    path.write_bytes(text.encode(TXT_ENCODINGS[variant]))
    return path


def write_docx(text: str, directory: Path, name: str = "report.docx") -> Path:
    """One Word paragraph per line of ``text``."""
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    path = directory / name
    document.save(str(path))
    return path


def write_docx_with_table(directory: Path) -> Path:
    """Paragraph, a 3×3 table with a horizontal and a vertical merge, paragraph.

    The expected text is ``DOCX_TABLE_TEXT``.
    """
    import docx

    document = docx.Document()
    document.add_paragraph("一、主要举措")
    table = document.add_table(rows=3, cols=3)
    for row, values in enumerate([("项目", "数量", "备注"), ("培训", "12次", "全年"), ("普法", "30场", "")]):
        for col, value in enumerate(values):
            table.cell(row, col).text = value
    table.cell(0, 1).merge(table.cell(0, 2)).text = "数量及备注"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "合计"
    document.add_paragraph("二、存在的不足")
    path = directory / "table.docx"
    document.save(str(path))
    return path


def write_docx_rows(before: list[str], rows: list[tuple[str, ...]], after: list[str], directory: Path, name: str = "table-report.docx") -> Path:
    """Paragraphs, a Word table of ``rows`` (the first is its header), paragraphs."""
    import docx

    document = docx.Document()
    for line in before:
        document.add_paragraph(line)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, values in enumerate(rows):
        for col, value in enumerate(values):
            table.cell(row, col).text = value
    for line in after:
        document.add_paragraph(line)
    path = directory / name
    document.save(str(path))
    return path


DOCX_TABLE_TEXT = "一、主要举措\n项目\t数量及备注\n培训\t12次\t合计\n普法\t30场\t\n二、存在的不足"


def write_pdf(text: str, directory: Path, name: str = "report.pdf") -> Path:
    """A PDF with a real text layer; long lines are wrapped as a PDF printed from Word would be."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = directory / name
    page = canvas.Canvas(str(path), pagesize=A4)
    _width, height = A4
    y = height - 60
    for line in _wrapped(text):
        if y < 60:
            page.showPage()
            y = height - 60
        page.setFont("STSong-Light", 10)
        page.drawString(50, y, line)
        y -= 15
    page.save()
    return path


def _wrapped(text: str) -> list[str]:
    lines: list[str] = []
    for line in text.split("\n"):
        while len(line) > PDF_CHARS_PER_LINE:
            lines.append(line[:PDF_CHARS_PER_LINE])
            line = line[PDF_CHARS_PER_LINE:]
        lines.append(line)
    return lines


def write_scanned_pdf(directory: Path, pages: int = 2, name: str = "scanned.pdf") -> Path:
    """Pages with only drawn shapes: what a scan looks like to a text extractor."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = directory / name
    page = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        page.rect(50, 50, 400, 600, stroke=1, fill=0)
        page.circle(300, 700, 40, fill=1)
        page.showPage()
    page.save()
    return path


def write_partly_scanned_pdf(text: str, directory: Path, scanned_pages: int) -> Path:
    """The text's pages followed by ``scanned_pages`` image-only pages."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in (write_pdf(text, directory, name="text-part.pdf"), write_scanned_pdf(directory, scanned_pages)):
        writer.append(PdfReader(part))
    path = directory / "partly-scanned.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def write_encrypted_pdf(text: str, directory: Path) -> Path:
    """A PDF that needs a user password to open."""
    from pypdf import PdfReader, PdfWriter

    plain = write_pdf(text, directory, name="plain.pdf")
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    path = directory / "encrypted.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def write_html(
    text: str,
    directory: Path,
    encoding: str = "utf-8",
    name: str = "report.html",
    title: str | None = None,
) -> Path:
    """A saved-portal-like page: banner, nav, breadcrumb, toolbar and footer around the article.

    The <title> is ``title`` (default: the report's first line) plus the site's name, as portals
    write it; the article's <p> elements are the report's non-blank lines.
    """
    lines = [line for line in text.split("\n") if line.strip()]
    paragraphs = "\n".join(f"      <p>{html.escape(line)}</p>" for line in lines)
    charset = "gb2312" if encoding == "gb18030" else encoding
    page_title = html.escape((title if title is not None else lines[0]).strip())
    page = _PORTAL_TEMPLATE.format(charset=charset, title=page_title, paragraphs=paragraphs)
    path = directory / name
    path.write_bytes(page.encode(encoding))
    return path


_PORTAL_TEMPLATE = """<!DOCTYPE html>
<html>
<head>
  <meta http-equiv="Content-Type" content="text/html; charset={charset}">
  <title>{title}_某某县人民政府</title>
  <style>.zoom {{ font-size: 16px; }}</style>
  <script>var oldMode = "老年模式";</script>
</head>
<body>
  <div class="topbar"><a href="#" id="oldModel">老年模式</a> | <a href="#" class="wza">无障碍</a></div>
  <div class="header"><h1>某某县人民政府</h1></div>
  <div class="nav">
    <ul><li><a href="/">网站首页</a></li><li><a href="/zwgk">政务公开</a></li>
    <li><a href="/hdjl">互动交流</a></li></ul>
  </div>
  <div class="main-wrap">
    <div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 法治政府建设</div>
    <div>当前位置：首页 &gt; 政务公开</div>
    <div class="article">
      <div class="info">发布时间：2024-03-01 10:20 来源：某某镇人民政府 浏览次数：</div>
      <div>【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>
      <div id="zoom" class="TRS_Editor">
{paragraphs}
      </div>
      <div class="fj">附件：<a href="/files/report.docx">报告全文.docx</a></div>
      <div class="bottom-bar"><a href="#">打印</a>  <a href="#">关闭</a></div>
      <div>【打印本页】 【关闭窗口】</div>
      <div class="bdsharebuttonbox">分享到：<a class="bds_weixin"></a><a class="bds_tsina"></a></div>
      <div>分享到：</div>
    </div>
    <div class="sidebar"><h3>相关新闻</h3><ul><li><a href="/1">某某镇召开法治工作会议</a></li>
      <li><a href="/2">某某镇开展普法宣传</a></li><li><a href="/3">某某镇学法用法考试</a></li></ul></div>
  </div>
  <div class="footer">主办：某某县人民政府办公室 版权所有 <a href="#">网站地图</a></div>
</body>
</html>
"""


def write_mhtml(page: Path, directory: Path, charset: str, transfer: str = "quoted-printable", name: str = "report.mht") -> Path:
    """``page`` (a file from ``write_html``) saved as one file, as a browser does: a MIME
    multipart/related message with the page in ``charset`` and ``transfer`` encoding, then an image."""
    from email.message import EmailMessage

    text = page.read_bytes().decode("gb18030" if charset.lower() in ("gb2312", "gbk") else charset)
    message = EmailMessage()
    message["Subject"] = "saved page"
    message["Snapshot-Content-Location"] = "http://www.example.gov.cn/zwgk/fzzf/report.html"
    message.set_content(text, subtype="html", charset=charset, cte=transfer)
    message.make_related()
    message.add_related(bytes(range(256)) * 4, maintype="image", subtype="png", cid="<logo@example>")
    path = directory / name
    path.write_bytes(message.as_bytes())
    return path


def write_old_doc(directory: Path) -> Path:
    """The start of an OLE compound file: what a Word 97-2003 .doc begins with."""
    path = directory / "report.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "毛俊镇".encode("utf-16-le") * 40)
    return path


def write_binary(directory: Path, name: str = "image.txt") -> Path:
    """PNG-like bytes under a .txt name."""
    path = directory / name
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    return path


#: numbering.xml as Word writes a 公文 outline: "一、" / "（一）" / "1." on levels 0–2 (abstractNum 90)
_WORD_OUTLINE_NUMBERING = """<w:abstractNum {ns} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/><w:lvlJc w:val="left"/></w:lvl>
</w:abstractNum>"""
_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
#: a text box as Word 2010+ saves it: the drawing in mc:Choice, the VML copy in mc:Fallback
_TEXT_BOX_RUN = """<w:r {ns} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
  xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
  xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent>
  <mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent>
    <w:p><w:r><w:t>{text}</w:t></w:r></w:p>
  </w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>
  <mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>
    <w:p><w:r><w:t>{text}</w:t></w:r></w:p>
  </w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>
</mc:AlternateContent></w:r>"""


def write_word_outline_docx(blocks: list[tuple[str, object]], directory: Path, name: str = "report.docx") -> Path:
    """A report laid out the way Word users do it, from ``blocks`` of (kind, value):

    "title" / "para" (a line; "\\v" inside becomes a Shift+Enter soft break), "h1"/"h2"/"h3" (a
    paragraph numbered by Word's automatic "一、" / "（一）" / "1." list — the number is not in the
    text), "right" (a right-aligned 落款 line), "table" (rows of cells), "textbox" (a floating
    text box anchored in an empty paragraph). Every page has a header with the office's name
    and a footer "— PAGE —".
    """
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(_WORD_OUTLINE_NUMBERING.format(ns=_W_NS)))
    numbering.append(parse_xml(f'<w:num {_W_NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    levels = {"h1": 0, "h2": 1, "h3": 2}
    for kind, value in blocks:
        if kind == "table":
            rows = list(value)  # type: ignore[call-overload]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
            continue
        paragraph = document.add_paragraph()
        if kind == "textbox":
            paragraph._p.append(parse_xml(_TEXT_BOX_RUN.format(ns=_W_NS, text=html.escape(str(value)))))
            continue
        for index, piece in enumerate(str(value).split("\v")):
            if index:
                paragraph.add_run().add_break()
            paragraph.add_run(piece)
        if kind in levels:
            props = paragraph._p.get_or_add_pPr()
            props.append(parse_xml(f'<w:numPr {_W_NS}><w:ilvl w:val="{levels[kind]}"/><w:numId w:val="90"/></w:numPr>'))
        elif kind == "title":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    section = document.sections[0]
    section.header.paragraphs[0].text = "青山镇人民政府办公室"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    footer._p.append(parse_xml(f'<w:fldSimple {_W_NS} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    footer.add_run(" —")
    path = directory / name
    document.save(str(path))
    return path


def write_pdf_running_heads(text: str, directory: Path, header: str, lines_per_page: int = 40, name: str = "report.pdf") -> Path:
    """A PDF printed from Word: ``header`` drawn at the top of every page before the body and
    the page number "— N —" (GB/T 9704) at the bottom after it, so both sit in the text layer
    between one page's last line and the next page's first."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = directory / name
    page = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    lines = _wrapped(text)
    pages = [lines[at : at + lines_per_page] for at in range(0, len(lines), lines_per_page)]
    for number, body in enumerate(pages, start=1):
        page.setFont("STSong-Light", 9)
        page.drawCentredString(width / 2, height - 40, header)
        page.setFont("STSong-Light", 10)
        y = height - 70
        for line in body:
            page.drawString(50, y, line)
            y -= 15
        page.setFont("STSong-Light", 9)
        page.drawCentredString(width / 2, 30, f"— {number} —")
        page.showPage()
    page.save()
    return path
