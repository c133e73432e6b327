"""Writing a command's output file: checked before any work, written atomically, never an input.

Every command that takes ``-o`` goes through here, so the same rules hold everywhere: the
extension decides the format unless ``--format`` says otherwise; an input is never overwritten
(compared by resolved path and by inode, so a hard link or ``./x`` spelling is caught); a
read-only target or an unwritable folder is refused with a Chinese line instead of a temp-file
traceback; the file appears whole or not at all, with the mode the user's umask gives.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

from fazhi_review.errors import FazhiError, UsageError, os_reason

#: the suffix of the temp files the atomic writer creates (a killed run may leave some behind)
TEMP_SUFFIX = ".tmp"

#: extension → format name, for every format any command writes; a command passes the subset
#: it can write as ``allowed``
EXTENSION_FORMATS: Mapping[str, str] = {
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "markdown",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".html": "html",
    ".htm": "html",
}


class OutputError(FazhiError):
    """The output file could not be written (permissions, disk full, read-only file system)."""


#: formats that are no text: a .txt -o cannot hold them
BINARY_FORMATS = frozenset({"docx", "xlsx"})


def format_for(out: Path | None, explicit: str | None, allowed: Iterable[str]) -> str:
    """The format to write: ``--format`` when given, else the -o extension, else the first allowed.

    An extension the command cannot write is a usage error, raised before any work is done; so is
    an extension that names another format than ``--format`` (JSON text in a .docx opens nowhere).
    A .txt -o takes any text format.
    """
    allowed = list(allowed)
    if explicit is not None:
        if explicit not in allowed:
            raise UsageError(f"不支持的输出格式 {explicit}", hint=f"可选：{'、'.join(allowed)}")
        named = EXTENSION_FORMATS.get(out.suffix.lower()) if out is not None and out.suffix.lower() != ".txt" else None
        if out is not None and out.suffix.lower() == ".txt" and explicit in BINARY_FORMATS:
            named = ".txt"  # a Word file named .txt opens as garbage in Notepad
        if named is not None and named != explicit:
            raise UsageError(
                f"-o 的扩展名 {out.suffix if out else ''} 与 --format {explicit} 不一致",
                path=str(out),
                hint="去掉 --format（由扩展名决定格式），或改用相符的扩展名",
            )
        return explicit
    if out is None:
        return allowed[0]
    suffix = out.suffix.lower()
    fmt = EXTENSION_FORMATS.get(suffix)
    if fmt is None or fmt not in allowed:
        shown = suffix or "（无扩展名）"
        usable = "、".join(ext for ext, name in EXTENSION_FORMATS.items() if name in allowed)
        raise UsageError(f"无法写出扩展名为 {shown} 的文件", path=str(out), hint=f"可用的扩展名：{usable}；或用 --format 指定格式")
    return fmt


def check_output_path(out: Path, inputs: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """Refuse an unusable -o before any work is done; returns the directory to write in."""
    shown = str(out)
    directory = out.parent if str(out.parent) else Path(".")
    try:
        if out.is_dir():
            raise UsageError("输出路径是一个目录", path=shown, hint="请在 -o 后写文件名")
        if not directory.is_dir():
            raise UsageError("输出目录不存在", path=shown, hint="请先创建目录，或换一个 -o 路径")
    except OSError as exc:
        raise UsageError(f"无法访问输出路径（{os_reason(exc)}）", path=shown, hint="请检查 -o 路径") from exc
    _refuse_inputs(out, inputs)
    _refuse_unwritable(out, directory)
    return directory


def write_text_atomic(path: Path, text: str) -> None:
    """UTF-8 text, written whole or not at all."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """A temp file in the target folder, then ``os.replace``: a failed run leaves no half file.
    A new file gets 0666 minus the umask (``os.open`` applies it), a replaced one keeps its mode."""
    directory = path.parent if str(path.parent) else Path(".")
    kept_mode = _existing_mode(path)
    handle, temp_name = _create_temp(directory, path.name)
    try:
        with open(handle, "wb", closefd=True) as stream:
            stream.write(data)
        if kept_mode is not None:
            os.chmod(temp_name, kept_mode)  # by name: os.fchmod does not exist on Windows
        os.replace(temp_name, path)
    except BaseException as exc:
        Path(temp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _write_error(path, exc) from exc
        raise


#: temp names are ``.<name>.<pid>.<n>.tmp``: unique per process without ``tempfile``'s random
#: names (a batch writes thousands of files; ``O_EXCL`` still refuses a leftover of the same name)
_TEMP_NUMBERS = itertools.count()


def _create_temp(directory: Path, name: str) -> tuple[int, str]:
    for _attempt in range(100):
        temp_name = os.path.join(directory, f".{name}.{os.getpid()}.{next(_TEMP_NUMBERS)}{TEMP_SUFFIX}")
        try:
            return os.open(temp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666), temp_name
        except FileExistsError:
            continue
        except OSError as exc:
            raise _write_error(directory / name, exc) from exc
    raise _write_error(directory / name, FileExistsError(17, "临时文件名已被占用"))


def _refuse_inputs(out: Path, inputs: Iterable[str | os.PathLike[str]]) -> None:
    for source in inputs:
        if _same_file(out, Path(source)):
            raise UsageError("输出文件就是输入文件（-o 不能与输入文件相同），不会覆盖输入", path=str(out), hint="请给 -o 换一个文件名")


def _same_file(first: Path, second: Path) -> bool:
    with contextlib.suppress(OSError):
        if first.resolve() == second.resolve():
            return True
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def _refuse_unwritable(out: Path, directory: Path) -> None:
    """A file without write permission is the user's "do not touch", even for root."""
    try:
        mode = out.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise UsageError(f"无法访问输出文件（{os_reason(exc)}）", path=str(out), hint="请换一个 -o 路径") from exc
    if mode is not None and not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise UsageError("输出文件是只读的，不会覆盖", path=str(out), hint="请换一个文件名，或先修改文件权限")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise UsageError("没有权限在输出目录中写文件", path=str(out), hint="请换一个可写的目录")


def _existing_mode(path: Path) -> int | None:
    """The permission bits of the file about to be replaced, None when there is none yet."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None


def _write_error(path: Path, exc: OSError) -> OutputError:
    if isinstance(exc, PermissionError):
        return OutputError("没有权限写入输出文件", path=str(path), hint="请换一个可写的目录或文件名")
    return OutputError(f"无法写入输出文件（{os_reason(exc)}）", path=str(path), hint="请检查磁盘空间和目录权限")
