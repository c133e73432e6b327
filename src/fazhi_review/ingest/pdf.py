"""PDF reports: the text layer, page by page.

Portals publish reports as PDFs printed from Word (a text layer) or scanned from the stamped
paper copy (no text layer). We do not OCR: a scanned PDF is refused with a clear way forward
rather than summarised from nothing.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from fazhi_review.errors import InputError

#: fewer visible characters per page than this means the pages are images (a page number or a
#: stamp's text is all a scan's "text layer" ever holds)
MIN_CHARS_PER_PAGE = 20

# pypdf logs recoverable oddities to stderr; our own errors say what the user needs
logging.getLogger("pypdf").setLevel(logging.ERROR)

_BROKEN_HINT = "请重新下载或导出 PDF，或提供报告的 Word (.docx) / .txt 版本"
_SCANNED_HINT = "请先用 OCR 软件识别成文字，或提供报告的 Word (.docx) / .txt 版本"
_ENCRYPTED_HINT = "请提供未加密的 PDF，或报告的 Word (.docx) / .txt 版本"


def extract(data: bytes, path: str) -> tuple[str, None]:
    """Pages' text joined with "\\n"; refuses encrypted, broken and scanned PDFs."""
    reader = _open(data, path)
    pages = _page_texts(reader, path)
    _check_text_layer(pages, path)
    return "\n".join(pages), None


def _check_text_layer(pages: list[str], path: str) -> None:
    """Refuse a scan, and a PDF most of whose pages are scans (we would summarise a fragment).

    One image page among text pages is normal: the stamped signature page is often scanned.
    """
    visible = [sum(1 for ch in text if not ch.isspace()) for text in pages]
    if sum(visible) < MIN_CHARS_PER_PAGE * max(len(pages), 1):
        raise InputError("PDF 没有文字层（可能是扫描件）", path=path, hint=_SCANNED_HINT)
    image_pages = sum(1 for count in visible if count < MIN_CHARS_PER_PAGE)
    if image_pages * 2 > len(pages):
        message = f"PDF 共 {len(pages)} 页，其中 {image_pages} 页没有文字层（可能是扫描件）"
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
