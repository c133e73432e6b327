"""Ingest: a report file → ``Document``, whose ``text`` every later offset points into.

One module per format; each turns the file's bytes into text and nothing more (cleanup is the
normalize stage's job, so the text stays what the file says). Every failure a user can meet
leaves here as a ``FazhiError`` naming the file and what to do; library exceptions never escape.
Format libraries are imported inside the format modules' functions so importing this package
stays cheap for commands that never read a .docx or .pdf.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path

from fazhi_review.errors import FazhiError, InputError, UsageError, os_reason
from fazhi_review.ingest import docx, html, legacy, pdf, txt
from fazhi_review.ingest.extracted import Extracted
from fazhi_review.models import Document, InputFormat
from fazhi_review.text import readable_path

Extractor = Callable[[bytes, str], "tuple[str, str | None] | Extracted"]

#: extension → format; the order is the one shown to users
SUPPORTED: dict[str, InputFormat] = {
    ".txt": "txt",
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".mht": "html",  # a page saved as one file (MHTML): the HTML reader unwraps it
    ".mhtml": "html",
}
_EXTRACTORS: dict[InputFormat, Extractor] = {
    "txt": txt.extract,
    "docx": docx.extract,
    "pdf": pdf.extract,
    "html": html.extract,
}
#: formats people do send, with the name we call them by; all are refused with a way forward
_OLD_FORMATS = {".doc": "旧版 Word (.doc)", ".wps": "WPS 文字 (.wps)", ".rtf": "RTF (.rtf)"}
#: formats an office does send and no library here reads, each with how to get a readable copy
_EXPORT_FIRST = {
    ".ofd": ("OFD 版式文件 (.ofd)", "请用数科 OFD 阅读器、福昕 OFD 版或 WPS 打开后另存为 PDF（带文字层）或 Word (.docx) 再运行"),
    ".ceb": ("CEB 版式文件 (.ceb)", "请用 Apabi Reader 打开后另存为 PDF（带文字层）再运行"),
}
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_HINT = "请确认选对了文件，或重新导出报告"

__all__ = ["SUPPORTED", "export_first", "is_own_output_name", "read_document", "supported_formats"]


#: the files fazhi writes, by name: "x.审阅意见.docx", "x.摘要.md", "县级汇总.md"
_OWN_NAME = re.compile(r".+\.(?:审阅意见\.(?:docx|md|json)|摘要\.(?:json|md))|(?:县级汇总|失败清单)\.(?:md|docx|json)")


def is_own_output_name(name: str) -> bool:
    """A file this tool wrote (a 审阅意见, a 摘要, a 县级汇总): never a township's report."""
    return bool(_OWN_NAME.fullmatch(name))


def read_document(path: str | os.PathLike[str], max_chars: int | None = None) -> Document:
    """Read one report file; raises only ``FazhiError`` subclasses.

    ``max_chars`` (None = no limit) refuses a text far beyond any real report before the later
    stages spend minutes on it.
    """
    shown = readable_path(path)
    file = Path(path)
    _check_is_file(file, shown)
    if is_own_output_name(file.name):
        raise InputError("这是本工具写出的审阅意见、摘要或县级汇总，不是乡镇报告", path=shown, hint="请选择乡镇报送的报告原件")
    if file.name.startswith("~$"):
        raise InputError(
            "这是 Word/WPS 打开文档时生成的临时锁定文件（~$ 开头），不是报告",
            path=shown,
            hint=f"请改用同一目录下的原文件（{file.name[2:]} 之类不带 ~$ 的文件）",
        )
    data = _read_bytes(file, shown)
    if not data.strip():
        _format_of(file, data, shown)  # an unsupported format says so before "empty"
        raise InputError("文件是空的", path=shown, hint=_EMPTY_HINT)
    readable = _converted(file, data, shown)
    fmt = _format_of(file, readable, shown)
    extracted = _extract(fmt, readable, shown)
    text = extracted.text
    if not text.strip():
        raise InputError("文件是空的（没有读到任何文字）", path=shown, hint=_EMPTY_HINT)
    if max_chars is not None and len(text) > max_chars:
        message = f"文件有 {len(text):,} 个字符，超过上限 {max_chars:,}（远超一份报告的篇幅）"
        raise InputError(message, path=shown, hint="请确认选对了文件；确需处理时用 --max-chars 或 fazhi.toml 的 [input] max_chars 调高上限")
    return Document(
        path=shown,
        format=fmt,
        encoding=extracted.encoding,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        ocr=extracted.ocr,
        synthetic=extracted.synthetic,
    )


def export_first(suffix: str) -> str | None:
    """For a format no reader here reads but offices send (.ofd), what it is and how to get a
    readable copy; None for other suffixes."""
    found = _EXPORT_FIRST.get(suffix.lower())
    return f"{found[0]}：{found[1]}" if found else None


def supported_formats() -> str:
    """The supported extensions as users should read them: ".txt .docx .pdf .html .htm"."""
    return " ".join(SUPPORTED)


def _check_is_file(file: Path, shown: str) -> None:
    if file.is_symlink() and _is_symlink_loop(file):
        raise UsageError("符号链接形成了循环，指不到任何文件", path=shown, hint="请检查这个链接指向哪里，或直接指定报告文件")
    try:
        exists, is_dir = file.exists(), file.is_dir()
    except OSError as exc:  # e.g. a path component that is not a directory, name too long
        message = f"无法访问这个路径（{os_reason(exc)}）"
        raise UsageError(message, path=shown, hint="请检查路径是否正确") from exc
    if not exists:
        blocking = next((parent for parent in file.parents if parent.is_file()), None)
        if blocking is not None:
            raise UsageError(f"无法访问这个路径（{blocking.name} 是文件，不是目录）", path=shown, hint="请检查路径是否正确")
        raise UsageError("文件不存在", path=shown, hint="请检查路径和文件名是否正确")
    if is_dir:
        raise UsageError("这是一个目录，不是文件", path=shown, hint="请指定目录中的某个报告文件")


def _is_symlink_loop(file: Path) -> bool:
    try:
        file.resolve(strict=True)
    except RuntimeError:  # Python < 3.13 reports a loop this way
        return True
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def _read_bytes(file: Path, shown: str) -> bytes:
    try:
        return file.read_bytes()
    except PermissionError as exc:
        hint = "请检查文件权限，或把文件复制到自己的目录再试"
        raise InputError("没有权限读取这个文件", path=shown, hint=hint) from exc
    except OSError as exc:
        hint = "请确认文件完整、没有被其他程序占用"
        raise InputError(f"无法读取文件（{os_reason(exc)}）", path=shown, hint=hint) from exc


def _converted(file: Path, data: bytes, shown: str) -> bytes:
    """An old Word/WPS file as .docx bytes through LibreOffice when it is installed, else as is."""
    suffix = file.suffix.lower()
    if suffix not in _OLD_FORMATS or data.startswith(_ZIP_MAGIC):
        return data
    soffice = legacy.soffice_path()
    if soffice is None:
        return data
    return legacy.convert_to_docx(data, suffix, shown, soffice)


def _format_of(file: Path, data: bytes, shown: str) -> InputFormat:
    """Format by extension; a .doc that is really a .docx (a ZIP package) is read as one."""
    suffix = file.suffix.lower()
    if suffix in SUPPORTED:
        return SUPPORTED[suffix]
    if suffix in _OLD_FORMATS and data.startswith(_ZIP_MAGIC):
        return "docx"  # a .docx saved under an old name, or converted by LibreOffice
    if suffix in _OLD_FORMATS:
        raise InputError(
            f"不支持 {_OLD_FORMATS[suffix]} 格式",
            path=shown,
            hint="请用 Word 或 WPS 打开后「另存为」.docx 格式再试，或安装 LibreOffice（soffice）后重试",
        )
    if suffix in _EXPORT_FIRST:
        name, how = _EXPORT_FIRST[suffix]
        raise InputError(f"不支持 {name} 格式", path=shown, hint=how)
    shown_suffix = suffix or "（无扩展名）"
    raise InputError(
        f"不支持的文件格式 {shown_suffix}",
        path=shown,
        hint=f"支持的格式：{supported_formats()}；其他格式请先另存为其中一种",
    )


def _extract(fmt: InputFormat, data: bytes, shown: str) -> Extracted:
    """Run the format's extractor; anything it did not foresee still becomes an InputError."""
    try:
        result = _EXTRACTORS[fmt](data, shown)
        return result if isinstance(result, Extracted) else Extracted(*result)
    except FazhiError:
        raise
    except RecursionError as exc:
        hint = "请另存为 .docx 或 .txt 再试"
        raise InputError("文件结构嵌套过深，无法读取", path=shown, hint=hint) from exc
    except Exception as exc:
        raise InputError(
            f"无法读取 {fmt} 文件（{type(exc).__name__}）",
            path=shown,
            hint="文件可能已损坏；请重新导出，或提供报告的 .txt 版本",
        ) from exc
