"""A web page saved as one file (.mht / .mhtml, "网页，单个文件"): the page and its images in one
MIME multipart/related message, the page's HTML quoted-printable or base64 encoded.

The standard library's ``email`` package reads the MIME; the page's HTML then goes through the
HTML reader (``ingest.html``), so it gets the same article extraction, portal dates and chrome
removal as the page saved as .html. The part's charset (its MIME header) describes its bytes and
wins over the page's own <meta>, which still names the charset the page was served in.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Sequence
from email.message import EmailMessage, Message

from fazhi_review.errors import InputError

#: an MHTML file opens with MIME headers and is multipart/related (a renamed .html too)
_MIME_START = re.compile(rb"\A(?:\s*[A-Za-z-]+:[^\n]*\n)+", re.MULTILINE)
_RELATED = re.compile(rb"multipart/related", re.IGNORECASE)
_HEAD_BYTES = 4096


def is_mhtml(data: bytes) -> bool:
    head = data[:_HEAD_BYTES]
    return bool(_MIME_START.match(head)) and bool(_RELATED.search(head))


def page_html(data: bytes, path: str) -> tuple[bytes, str | None, dict[str, str]]:
    """The saved page's HTML bytes, their charset (None when the part names none), and the pages
    of its frames (``frame_pages``), from one reading of the MIME message."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    pages = [p for p in message.walk() if p.get_content_type() == "text/html"]
    part = pages[0] if pages else None
    if not isinstance(part, EmailMessage):
        raise InputError("这个“网页，单个文件”（MHTML）里没有网页正文", path=path, hint="请在浏览器中打开后重新保存为“网页，仅 HTML”或复制正文到 .txt")
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        raise InputError("这个“网页，单个文件”（MHTML）的网页正文是空的", path=path, hint="请在浏览器中打开后重新保存，或复制正文到 .txt")
    return payload, part.get_content_charset(), frame_pages(pages[1:])


def frame_pages(parts: Sequence[Message]) -> dict[str, str]:
    """The pages of the page's frames, which a browser saves as parts of their own: their HTML by
    the address the page's <iframe src> gives them ("cid:frame-…@mhtml.blink", or the part's
    Content-Location). A report published in a frame is otherwise lost with its <iframe>."""
    frames: dict[str, str] = {}
    for part in parts:
        if not isinstance(part, EmailMessage):
            continue
        try:
            html = part.get_content()
        except (LookupError, UnicodeError):
            continue
        content_id = (part.get("Content-ID") or "").strip().strip("<>")
        location = (part.get("Content-Location") or "").strip()
        for key in (f"cid:{content_id}" if content_id else "", location):
            if key and isinstance(html, str):
                frames[key] = html
    return frames
