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
