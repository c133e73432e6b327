"""Ingest: every format yields the report's text, and every bad input a clear FazhiError."""

from __future__ import annotations

import hashlib
import os
import random
from pathlib import Path

import pytest

from fazhi_review.errors import FazhiError, InputError, UsageError
from fazhi_review.ingest import read_document
from fazhi_review.ingest.html import is_chrome_line
from fazhi_review.normalize import normalize_text
from fixtures_formats import (
    DOCX_TABLE_TEXT,
    PORTAL_CHROME,
    TXT_ENCODINGS,
    write_binary,
    write_docx,
    write_docx_with_table,
    write_encrypted_pdf,
    write_html,
    write_old_doc,
    write_partly_scanned_pdf,
    write_pdf,
    write_scanned_pdf,
    write_txt,
)

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.txt"))
#: the portal template's "发布时间：2024-03-01 10:20 来源：… 浏览次数：" line, as the HTML reader keeps it
PAGE_DATE_LINE = "发布时间：2024-03-01"
SHORT_REPORT = (
    "某某镇2024年法治政府建设情况报告\n\n一、主要举措和成效\n全年开展普法宣传12场。\n"
    "二、存在的不足\n执法队伍力量不足。"
)


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(params=EXAMPLES, ids=lambda path: path.stem)
def example(request: pytest.FixtureRequest) -> str:
    return request.param.read_text(encoding="utf-8")


def test_examples_exist() -> None:
    assert len(EXAMPLES) == 4


# ---------------------------------------------------------------- txt


@pytest.mark.parametrize("variant", list(TXT_ENCODINGS))
def test_txt_round_trips_every_encoding(example: str, variant: str, tmp_path: Path) -> None:
    path = write_txt(example, tmp_path, variant)
    doc = read_document(path)
    utf8 = read_document(write_txt(example, tmp_path, "utf8"))
    assert doc.text == utf8.text == example
    assert doc.format == "txt"
    assert doc.encoding is not None
    assert path.read_bytes().decode(doc.encoding) == doc.text  # the recorded name decodes the file


@pytest.mark.parametrize(
    ("variant", "encoding"),
    [("utf8", "utf-8"), ("utf8-bom", "utf-8-sig"), ("gb18030", "gb18030"), ("utf16", "utf-16"),
     ("utf16le-nobom", "utf-16-le")],
)  # fmt: skip
def test_txt_records_encoding(variant: str, encoding: str, tmp_path: Path) -> None:
    assert read_document(write_txt(EXAMPLES[0].read_text("utf-8"), tmp_path, variant)).encoding == encoding


def test_txt_gbk_and_utf16_be(tmp_path: Path) -> None:
    text = EXAMPLES[0].read_text("utf-8")
    (tmp_path / "gbk.txt").write_bytes(text.encode("gbk"))
    (tmp_path / "be.txt").write_bytes(text.encode("utf-16-be"))
    assert read_document(tmp_path / "gbk.txt").text == text
    be = read_document(tmp_path / "be.txt")
    assert (be.text, be.encoding) == (text, "utf-16-be")


def test_document_fields(tmp_path: Path) -> None:
    path = write_txt(SHORT_REPORT, tmp_path)
    doc = read_document(str(path))
    assert doc.path == str(path)
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert read_document(path).path == str(path)  # a Path is shown as given, too


def test_txt_keeps_original_line_endings(tmp_path: Path) -> None:
    (tmp_path / "crlf.txt").write_bytes(SHORT_REPORT.replace("\n", "\r\n").encode("utf-8"))
    assert read_document(tmp_path / "crlf.txt").text == SHORT_REPORT.replace("\n", "\r\n")


def test_uppercase_extension(tmp_path: Path) -> None:
    (tmp_path / "REPORT.TXT").write_text(SHORT_REPORT, encoding="utf-8")
    assert read_document(tmp_path / "REPORT.TXT").text == SHORT_REPORT


# ---------------------------------------------------------------- docx


def test_docx_paragraphs(example: str, tmp_path: Path) -> None:
    doc = read_document(write_docx(example, tmp_path))
    assert doc.text == example
    assert (doc.format, doc.encoding) == ("docx", None)


def test_docx_table_keeps_body_order_and_merged_cells_once(tmp_path: Path) -> None:
    assert read_document(write_docx_with_table(tmp_path)).text == DOCX_TABLE_TEXT


def test_docx_tracked_insertion_kept_and_deletion_dropped(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    paragraph = document.add_paragraph("开展培训")
    paragraph._p.append(parse_xml(f'<w:ins {w} w:id="1" w:author="a"><w:r><w:t>12场</w:t></w:r></w:ins>'))
    paragraph._p.append(parse_xml(f'<w:del {w} w:id="2" w:author="a"><w:r><w:delText>10场</w:delText></w:r></w:del>'))
    document.save(str(tmp_path / "tracked.docx"))
    assert read_document(tmp_path / "tracked.docx").text == "开展培训12场"


# ---------------------------------------------------------------- pdf


def test_pdf_text_layer(example: str, tmp_path: Path) -> None:
    doc = read_document(write_pdf(example, tmp_path))
    assert squash(doc.text) == squash(example)
    assert (doc.format, doc.encoding) == ("pdf", None)


def test_pdf_pages_joined_in_order(tmp_path: Path) -> None:
    text = "\n".join(f"第{n}行：法治政府建设情况" for n in range(120))  # three pages
    doc = read_document(write_pdf(text, tmp_path))
    assert squash(doc.text) == squash(text)


# ---------------------------------------------------------------- html


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_html_article_only(example: str, encoding: str, tmp_path: Path) -> None:
    doc = read_document(write_html(example, tmp_path, encoding=encoding))
    assert squash(doc.text) == squash(example + PAGE_DATE_LINE)
    assert doc.format == "html"
    assert doc.encoding == encoding


@pytest.mark.parametrize("name", ["report.html", "report.htm"])
def test_html_lines_are_the_report_lines(name: str, tmp_path: Path) -> None:
    doc = read_document(write_html(SHORT_REPORT, tmp_path, name=name))
    assert doc.text == "\n".join([*(line for line in SHORT_REPORT.split("\n") if line), PAGE_DATE_LINE])


def test_html_chrome_absent(tmp_path: Path) -> None:
    """Only the page's date survives, as one "label：date" line after the article (the signing
    date of last resort); normalize drops it from the clean text like any chrome line."""
    text = read_document(write_html(SHORT_REPORT, tmp_path)).text
    assert text.endswith("\n" + PAGE_DATE_LINE)
    for chrome in (*PORTAL_CHROME, "字体", "来源", "浏览次数", "相关新闻", "附件", "某某县人民政府"):
        assert chrome not in text
    assert "发布时间" not in normalize_text(text).text


def test_html_title_goes_first_when_not_in_body(tmp_path: Path) -> None:
    body = SHORT_REPORT.split("\n", 1)[1]
    path = write_html(body, tmp_path, title="某某镇2024年法治政府建设情况报告")
    assert read_document(path).text.split("\n")[0] == "某某镇2024年法治政府建设情况报告"


@pytest.mark.parametrize(
    "line",
    ["打印 关闭", "【打印本页】 【关闭窗口】", "分享到：", "【字体：大 中 小】", "老年模式 | 无障碍",
     "当前位置：首页 > 政务公开 > 法治政府建设", "首页 > 政务公开", "发布时间：2024-03-01 10:20 来源：某某镇",
     "上一篇：某某镇召开法治工作会议", "附件：报告全文.docx", "附件1：考核表.xlsx", "相关新闻"],
)  # fmt: skip
def test_chrome_lines(line: str) -> None:
    assert is_chrome_line(line)


@pytest.mark.parametrize(
    "line",
    ["一、主要举措和成效", "全年开展普法宣传12场，打印宣传资料3000份。", "附件：考核表", "（一）", "2024年3月1日"],
)
def test_report_lines_are_not_chrome(line: str) -> None:
    assert not is_chrome_line(line)


# ---------------------------------------------------------------- bad inputs


def _raises(error: type[FazhiError], path: Path) -> FazhiError:
    with pytest.raises(error) as caught:
        read_document(path)
    assert path.name in str(caught.value)
    assert caught.value.hint
    return caught.value


def test_missing_file(tmp_path: Path) -> None:
    assert "文件不存在" in _raises(UsageError, tmp_path / "nope.txt").message


def test_directory(tmp_path: Path) -> None:
    (tmp_path / "reports.txt").mkdir()
    assert "目录" in _raises(UsageError, tmp_path / "reports.txt").message


def test_unknown_extension_lists_formats(tmp_path: Path) -> None:
    (tmp_path / "report.xyz").write_text(SHORT_REPORT, encoding="utf-8")
    error = _raises(InputError, tmp_path / "report.xyz")
    for suffix in (".txt", ".docx", ".pdf", ".html", ".htm"):
        assert suffix in str(error)


@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t ", "\ufeff　\n".encode("utf-8"), "\n".encode("utf-16")])
def test_empty_file(content: bytes, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(content)
    assert "文件是空的" in _raises(InputError, tmp_path / "empty.txt").message


def test_binary_with_nul_bytes(tmp_path: Path) -> None:
    _raises(InputError, write_binary(tmp_path))


def test_binary_without_nul_bytes(tmp_path: Path) -> None:
    noise = random.Random(7)
    (tmp_path / "noise.txt").write_bytes(bytes(noise.randrange(1, 256) for _ in range(4000)))
    _raises(InputError, tmp_path / "noise.txt")


def test_scanned_pdf(tmp_path: Path, without_ocr: None) -> None:
    error = _raises(InputError, write_scanned_pdf(tmp_path))
    assert "PDF 没有文字层（可能是扫描件）" in error.message
    assert "OCR" in (error.hint or "") and "fazhi-review[ocr]" in (error.hint or "")


def test_scanned_signature_page_is_fine(tmp_path: Path) -> None:
    doc = read_document(write_partly_scanned_pdf(SHORT_REPORT, tmp_path, scanned_pages=1))
    assert squash(doc.text) == squash(SHORT_REPORT)


def test_mostly_scanned_pdf(tmp_path: Path, without_ocr: None) -> None:
    error = _raises(InputError, write_partly_scanned_pdf(SHORT_REPORT * 5, tmp_path, scanned_pages=3))
    assert "共 4 页，其中 3 页没有文字层" in error.message


def test_encrypted_pdf(tmp_path: Path) -> None:
    assert "加密" in _raises(InputError, write_encrypted_pdf(SHORT_REPORT, tmp_path)).message


@pytest.mark.parametrize("name", ["broken.pdf", "broken.docx"])
def test_broken_files(name: str, tmp_path: Path) -> None:
    junk = b"%PDF-1.7\n" + bytes(range(1, 200)) if name.endswith("pdf") else b"PK\x03\x04junk"
    (tmp_path / name).write_bytes(junk)
    _raises(InputError, tmp_path / name)


def test_old_word_doc(tmp_path: Path) -> None:
    assert ".docx" in (_raises(InputError, write_old_doc(tmp_path)).hint or "")


def test_old_word_doc_renamed_to_docx(tmp_path: Path) -> None:
    path = write_old_doc(tmp_path).rename(tmp_path / "renamed.docx")
    assert ".doc" in _raises(InputError, path).message


def test_docx_saved_as_doc_is_read(tmp_path: Path) -> None:
    path = write_docx(SHORT_REPORT, tmp_path).rename(tmp_path / "report.doc")
    assert read_document(path).text == SHORT_REPORT


def test_html_without_report(tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_text("<html><body><div class='nav'>首页</div></body></html>", encoding="utf-8")
    _raises(InputError, tmp_path / "empty.html")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_txt(SHORT_REPORT, tmp_path)

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert "权限" in _raises(InputError, path).message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_for_real(tmp_path: Path) -> None:
    path = write_txt(SHORT_REPORT, tmp_path)
    path.chmod(0)
    _raises(InputError, path)
