"""Errors the user sees: one Chinese line naming the file and what to do, plus an exit code."""

from __future__ import annotations

import errno


class FazhiError(Exception):
    """A failure we can explain to the user. ``exit_code`` 1 = failure, 2 = usage."""

    exit_code = 1

    def __init__(self, message: str, *, path: str | None = None, hint: str | None = None) -> None:
        self.path = path
        self.hint = hint
        self.message = message
        super().__init__(self.user_message())

    def user_message(self) -> str:
        text = f"{self.path}：{self.message}" if self.path else self.message
        return f"{text}。{self.hint}" if self.hint else text


class InputError(FazhiError):
    """The input file cannot be read as a report (empty, binary, scanned PDF, a format we do not
    read such as .xyz or .doc)."""


class UsageError(FazhiError):
    """Bad arguments: a missing file, a directory where a file is expected, conflicting flags."""

    exit_code = 2


class ConfigError(FazhiError):
    """Configuration is missing or inconsistent (endpoint, model, fazhi.toml)."""

    exit_code = 2


class LLMError(FazhiError):
    """The LLM endpoint failed in a way retries could not fix."""


def interrupted(error: BaseException) -> bool:
    """Whether ``error`` is a Ctrl-C or was raised because of one.

    An extension module whose import a Ctrl-C cuts short reports an ImportError instead
    (pybind11's "initialization failed", caused by the KeyboardInterrupt), pydantic-core a
    SchemaError naming it, and clean-up that fails while an interrupt unwinds chains it as the
    context: the user still pressed Ctrl-C.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        if type(current).__name__ == "SchemaError" and "KeyboardInterrupt" in str(current):
            return True  # pydantic-core building a model's validator keeps only the interrupt's name
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


#: the operating system's reasons, in the words a reviewer reads
_OS_REASONS = {
    errno.ENOENT: "文件或目录不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "操作不被允许（文件可能被锁定或设为只读）",
    errno.EROFS: "文件系统是只读的",
    errno.ENOSPC: "磁盘空间不足",
    errno.EISDIR: "这是一个目录",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.ELOOP: "符号链接形成了循环",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EEXIST: "已经存在",
    errno.EBUSY: "正被其他程序占用",
    errno.EIO: "读写出错（磁盘或网络盘故障）",
    errno.EDQUOT: "超出磁盘配额",
}


def os_reason(error: OSError) -> str:
    """Why an OS call failed, in Chinese ("没有权限"), else the system's own words."""
    return _OS_REASONS.get(error.errno or -1) or error.strerror or str(error)
