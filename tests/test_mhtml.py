"""A portal page saved as one file (.mht / .mhtml, "网页，单个文件"): the page inside a MIME
multipart/related message, quoted-printable or base64, its charset in the MIME header. It reads
exactly as the same page saved as .html (same text, so the same evidence offsets), whatever its
extension; one with no page inside is refused with a way forward."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from conftest import EXAMPLES_DIR, assert_verbatim
from fazhi_review.analysis import analyze_path
from fazhi_review.batch.discovery import discover
from fazhi_review.engine.offline import summarize_offline
from fazhi_review.errors import InputError
from fixtures_formats import write_html, write_mhtml

TEXT = (EXAMPLES_DIR / "maojun-2024.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("encoding", "charset", "transfer", "name"),
    [("utf-8", "utf-8", "quoted-printable", "report.mht"), ("gb18030", "gb2312", "base64", "report.mhtml"), ("utf-8", "utf-8", "base64", "saved-as.html")],
    ids=["chrome-utf8-qp", "ie-gb2312-base64", "renamed-html"],
)
def test_an_mhtml_page_reads_as_the_html_page(tmp_path: Path, encoding: str, charset: str, transfer: str, name: str) -> None:
    page = write_html(TEXT, tmp_path, encoding=encoding, name="page.html")
    saved = write_mhtml(page, tmp_path, charset, transfer, name=name)
    analysis = analyze_path(saved)
    assert analysis.document.format == "html"
    assert analysis.document.text == analyze_path(page).document.text
    assert "当前位置" not in analysis.document.text and "版权所有" not in analysis.document.text
    summary = summarize_offline(analysis)
    assert_verbatim(summary, analysis.document.text)
    assert summary.meta.issuer == "毛俊镇" and summary.meta.report_year == 2024


def test_an_mhtml_without_a_page_is_refused_with_a_way_forward(tmp_path: Path) -> None:
    message = EmailMessage()
    message["Subject"] = "saved page"
    message.set_content("只有文字", subtype="plain")
    message.make_related()
    message.add_related(b"\x89PNG" * 10, maintype="image", subtype="png")
    path = tmp_path / "empty.mht"
    path.write_bytes(message.as_bytes())
    with pytest.raises(InputError) as raised:
        analyze_path(path)
    assert "empty.mht" in raised.value.user_message() and "没有网页正文" in raised.value.user_message()


def test_a_county_folder_reads_mht_files(tmp_path: Path) -> None:
    page = write_html(TEXT, tmp_path, name="page.html")
    county = tmp_path / "县"
    county.mkdir()
    write_mhtml(page, county, "utf-8", name="毛俊镇.mht")
    assert [p.name for p in discover([county]).files] == ["毛俊镇.mht"]


@pytest.mark.parametrize(
    ("page_title", "body", "expected"),
    [
        ("杨家坝法治报告", "<p>杨家泊镇2024年法治政府建设情况报告</p>", "杨家泊镇2024年法治政府建设情况报告"),  # the body's own title wins
        ("杨家泊镇2024年法治政府建设情况报告_某县人民政府", "<p>2025-02-20</p>", "杨家泊镇2024年法治政府建设情况报告"),  # none in the body: <title>
        ("杨家坝法治报告", "<p>发布日期：2025-02-20</p><p>杨家泊镇2024年法治政府建设情况报告</p>", "杨家泊镇2024年法治政府建设情况报告"),
    ],
)
def test_a_pages_title_tag_stands_in_only_for_a_missing_title(tmp_path: Path, page_title: str, body: str, expected: str) -> None:
    """A short <title> ("杨家坝法治报告", with a typo) must not become the report's title in the 审阅意见."""
    page = tmp_path / "报告.html"
    content = "<p>一、主要举措和成效</p><p>全年办理行政处罚案件12件，开展普法活动20场次。</p>"
    page.write_text(f"<html><head><meta charset='utf-8'><title>{page_title}</title></head><body>{body}{content}</body></html>", encoding="utf-8")
    assert analyze_path(page).report.meta.title == expected
