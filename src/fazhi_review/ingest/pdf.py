"""PDF reports: the text layer, page by page.

Portals publish reports as PDFs printed from Word (a text layer) or scanned from the stamped
paper copy (no text layer). Pages are joined with a form feed ("\f") so page numbers survive
into every evidence's locator. A scanned PDF is read by OCR when the optional extra
``fazhi-review[ocr]`` is installed (``ingest/ocr.py``); otherwise it is refused with a clear way
forward rather than summarised from nothing.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from fazhi_review.errors import InputError
from fazhi_review.ingest.extracted import Extracted

#: fewer visible characters per page than this means the pages are images (a page number or a
#: stamp's text is all a scan's "text layer" ever holds)
MIN_CHARS_PER_PAGE = 20
#: between pages in the text: a line break for every later stage, a page for the locators
PAGE_BREAK = "\f"

# pypdf logs recoverable oddities to stderr; our own errors say what the user needs
logging.getLogger("pypdf").setLevel(logging.ERROR)

_BROKEN_HINT = "请重新下载或导出 PDF，或提供报告的 Word (.docx) / .txt 版本"
_SCANNED_HINT = '可安装 OCR 扩展（pip install "fazhi-review[ocr]"）后重试，或提供报告的 Word (.docx) / .txt 版本'
_ENCRYPTED_HINT = "请提供未加密的 PDF，或报告的 Word (.docx) / .txt 版本"


def extract(data: bytes, path: str) -> Extracted:
    """Pages' text joined with "\\f"; refuses encrypted and broken PDFs, OCRs or refuses scans."""
    reader = _open(data, path)
    pages = _page_texts(reader, path)
    image_pages = [index for index, text in enumerate(pages) if _visible(text) < MIN_CHARS_PER_PAGE]
    if not _is_scan(pages, image_pages):
        return Extracted(PAGE_BREAK.join(pages))
    from fazhi_review.ingest import ocr

    if not ocr.available():
        _refuse_scan(pages, image_pages, path)
    recognised = ocr.recognise_pages(data, image_pages, path)
    for index, text in recognised.items():
        pages[index] = text
    if sum(_visible(text) for text in recognised.values()) < MIN_CHARS_PER_PAGE:
        raise InputError("PDF 是扫描件，OCR 也没有识别出文字", path=path, hint="请确认扫描件清晰，或提供报告的 Word (.docx) / .txt 版本")
    return Extracted(PAGE_BREAK.join(pages), ocr=True)


def _visible(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def _is_scan(pages: list[str], image_pages: list[int]) -> bool:
    """A scan, or a PDF most of whose pages are scans (we would summarise a fragment).

    One image page among text pages is normal: the stamped signature page is often scanned.
    """
    too_little = sum(_visible(text) for text in pages) < MIN_CHARS_PER_PAGE * max(len(pages), 1)
    return too_little or len(image_pages) * 2 > len(pages)


def _refuse_scan(pages: list[str], image_pages: list[int], path: str) -> None:
    if len(image_pages) == len(pages) or sum(_visible(text) for text in pages) < MIN_CHARS_PER_PAGE * max(len(pages), 1):
        raise InputError("PDF 没有文字层（可能是扫描件）", path=path, hint=_SCANNED_HINT)
    message = f"PDF 共 {len(pages)} 页，其中 {len(image_pages)} 页没有文字层（可能是扫描件）"
    raise InputError(message, path=path, hint=_SCANNED_HINT)


def _open(data: bytes, path: str) -> Any:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
    except Exception as exc:  # pypdf raises PdfReadError, but also ValueError/KeyError on junk
        raise InputError("PDF 文件已损坏，无法读取", path=path, hint=_BROKEN_HINT) from exc
    if reader.is_encrypted:
        _decrypt(reader, path)
    return reader


def _decrypt(reader: Any, path: str) -> None:
    """An owner-password-only PDF opens with the empty user password; anything else is refused."""
    try:
        opened = reader.decrypt("")
    except Exception as exc:  # e.g. AES without the optional cryptography dependency
        raise InputError("PDF 已加密，无法解密", path=path, hint=_ENCRYPTED_HINT) from exc
    if not opened:
        raise InputError("PDF 已加密，需要密码才能打开", path=path, hint=_ENCRYPTED_HINT)


def _page_texts(reader: Any, path: str) -> list[str]:
    try:
        return [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # a damaged page tree or content stream
        raise InputError("PDF 文件已损坏，无法提取文字", path=path, hint=_BROKEN_HINT) from exc
