"""The Word file in GB/T 9704-2012 layout, read back with python-docx: page setup, East Asian
fonts, heading levels, page-number footers, 落款, and the same text as the Markdown draft."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from typer.testing import CliRunner

from conftest import EXAMPLES_DIR
from fazhi_review.analysis import analyze_path
from fazhi_review.cli import app
from fazhi_review.engine import summarize_offline
from fazhi_review.render.docx import Block, GongwenDoc, gongwen_docx_bytes, review_docx_bytes
from fazhi_review.render.review import render_review_markdown
from fazhi_review.review import ReviewSettings, draft_review
from fazhi_review.review.model import ReviewDraft

FONTS = {"Title": "方正小标宋简体", "Normal": "仿宋_GB2312", "Heading 1": "黑体", "Heading 2": "楷体_GB2312"}


@pytest.fixture(scope="module")
def draft() -> ReviewDraft:
    summary = summarize_offline(analyze_path(EXAMPLES_DIR / "maojun-2024.txt"))
    return draft_review(summary, ReviewSettings(issuer="某县委依法治县办", date=dt.date(2026, 11, 23)))


def open_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def east_asian(element: object) -> str | None:
    fonts = element.find(qn("w:rPr") + "/" + qn("w:rFonts"))  # type: ignore[attr-defined]
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def texts(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def markdown_texts(markdown: str) -> list[str]:
    return [re.sub(r"^#+ ", "", block) for block in markdown.strip().split("\n\n")]


def test_page_setup_is_a4_with_gbt9704_margins_and_grid(draft: ReviewDraft) -> None:
    document = open_docx(review_docx_bytes(draft))
    section = document.sections[0]
    close = lambda length, mm: abs(length - Mm(mm)) < Mm(0.1)  # noqa: E731 - twips round-trip
    assert close(section.page_width, 210) and close(section.page_height, 297)
    assert close(section.top_margin, 37) and close(section.bottom_margin, 35)
    assert close(section.left_margin, 28) and close(section.right_margin, 26)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"
    normal = document.styles["Normal"].paragraph_format
    assert normal.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert abs(normal.line_spacing.pt - 28.95) < 0.05
    text_height = Mm(297 - 37 - 35)
    assert round(text_height / normal.line_spacing) == 22, "22 lines fill the 225 mm 版心"


def test_east_asian_fonts_on_styles_and_runs(draft: ReviewDraft) -> None:
    document = open_docx(review_docx_bytes(draft))
    for name, font in FONTS.items():
        assert east_asian(document.styles[name].element) == font, name
    assert document.styles["Title"].font.size == Pt(22)
    assert document.styles["Normal"].font.size == Pt(16)
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            assert east_asian(run._r) == FONTS[paragraph.style.name], paragraph.text


def test_title_heading_levels_indent_and_closing(draft: ReviewDraft) -> None:
    document = open_docx(review_docx_bytes(draft))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    title = paragraphs[0]
    assert title.style.name == "Title" and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.text == draft.title
    assert paragraphs[1].text == "毛俊镇党委、镇政府：" and not paragraphs[1].paragraph_format.first_line_indent
    level1 = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert level1 == ["一、总体评价", "二、存在的主要问题", "三、修改完善意见"]
    body = [p for p in paragraphs if p.style.name == "Normal"][1:-2]
    assert body and all(p.paragraph_format.first_line_indent == Pt(32) for p in body)
    assert all(p._p.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200" for p in body)
    issuer, date = paragraphs[-2:]
    assert (issuer.text, date.text) == ("某县委依法治县办", "2026年11月23日")
    assert issuer.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_text_equals_the_markdown_draft(draft: ReviewDraft) -> None:
    document = open_docx(review_docx_bytes(draft))
    assert texts(document) == markdown_texts(render_review_markdown(draft))


def test_page_numbers_odd_right_even_left(draft: ReviewDraft) -> None:
    document = open_docx(review_docx_bytes(draft))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, alignment in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == alignment
        instructions = [e.text.strip() for e in paragraph._p.iter(qn("w:instrText"))]
        assert instructions == ["PAGE"]
        assert paragraph.text == "— 1 —"
        assert all(east_asian(run._r) == "宋体" and run.font.size == Pt(14) for run in paragraph.runs)


def test_second_level_headings_use_kaiti() -> None:
    doc = GongwenDoc(
        title="测试标题",
        addressee="某镇党委、镇政府",
        blocks=[Block(kind="heading1", text="一、总体"), Block(kind="heading2", text="（一）分项"), Block(kind="paragraph", text="正文。")],
        issuer="某办",
        date="2026年1月2日",
    )
    document = open_docx(gongwen_docx_bytes(doc))
    styled = {p.text: p.style.name for p in document.paragraphs}
    assert styled["（一）分项"] == "Heading 2" and styled["一、总体"] == "Heading 1"
    assert east_asian(document.styles["Heading 2"].element) == "楷体_GB2312"


def _template(path: Path) -> Path:
    template = docx.Document()
    template.styles["Normal"].font.name = "模板字体"
    template.sections[0].header.paragraphs[0].text = "某县委全面依法治县委员会办公室（红头）"
    template.add_paragraph("模板里原有的正文")
    template.save(str(path))
    return path


def test_template_keeps_its_letterhead_and_styles(draft: ReviewDraft, tmp_path: Path) -> None:
    document = open_docx(review_docx_bytes(draft, _template(tmp_path / "红头.docx")))
    assert document.sections[0].header.paragraphs[0].text == "某县委全面依法治县委员会办公室（红头）"
    assert "模板里原有的正文" not in texts(document)
    assert document.styles["Normal"].font.name == "模板字体"
    assert texts(document) == markdown_texts(render_review_markdown(draft))


def test_cli_writes_word_with_a_template(tmp_path: Path) -> None:
    out = tmp_path / "审阅意见.docx"
    args = ["review", str(EXAMPLES_DIR / "suhe-2021.txt"), "--offline", "-o", str(out), "--template", str(_template(tmp_path / "t.docx"))]
    result = CliRunner().invoke(app, [*args, "--issuer", "某办"])
    assert result.exit_code == 0, result.stderr
    document = open_docx(out.read_bytes())
    assert texts(document)[0].startswith("关于《") and texts(document)[-2] == "某办"
