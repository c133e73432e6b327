"""OCR of scanned PDF pages, with the optional extra ``fazhi-review[ocr]``.

RapidOCR (ONNX Runtime) ships its detection and recognition models inside the wheel, so OCR
runs locally with nothing downloaded at run time; pypdfium2 renders the pages. Both are
imported only here and only when a scan is met.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from typing import Any

from fazhi_review.errors import InputError

#: render scale over PDF points (72 dpi): 2.5 ≈ 180 dpi, enough for 仿宋 三号 body text
RENDER_SCALE = 2.5
_HINT = "请提供报告的 Word (.docx) / .txt 版本"


def available() -> bool:
    """True when the OCR extra is installed."""
    return all(importlib.util.find_spec(name) is not None for name in ("rapidocr_onnxruntime", "pypdfium2"))


@lru_cache(maxsize=1)
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def recognise_pages(data: bytes, indexes: list[int], path: str) -> dict[int, str]:
    """Text of the given 0-based pages, one line per recognised text line, top to bottom."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except Exception as exc:  # pdfium raises PdfiumError on what pypdf could still open
        raise InputError("无法渲染扫描件页面以进行 OCR", path=path, hint=_HINT) from exc
    try:
        return {index: _recognise(document[index]) for index in indexes}
    except InputError:
        raise
    except Exception as exc:  # onnxruntime / rendering failures
        raise InputError(f"OCR 识别失败（{type(exc).__name__}）", path=path, hint=_HINT) from exc
    finally:
        document.close()


def _recognise(page: Any) -> str:
    image = page.render(scale=RENDER_SCALE).to_numpy()
    result, _ = _engine()(image)
    return "\n".join(str(item[1]) for item in result or [])  # RapidOCR orders lines top to bottom
