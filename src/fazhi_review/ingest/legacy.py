"""Old Word/WPS formats (.doc, .wps, .rtf) through LibreOffice, when it is installed.

No maintained pure-Python reader handles .doc/.wps text reliably, while LibreOffice converts them
faithfully; so when ``soffice`` is on PATH the file is converted to .docx in a private temp
folder (with a time limit, a throwaway user profile so a running LibreOffice does not block it)
and read as one. Without it the caller keeps its "save as .docx" message.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from fazhi_review.errors import InputError, os_reason

#: seconds one conversion may take (a long report converts in a few seconds)
CONVERT_TIMEOUT = 120
_NAMES = ("soffice", "libreoffice")
_HINT = "请用 Word 或 WPS 打开后「另存为」.docx 格式再试"


def soffice_path() -> str | None:
    """The LibreOffice command on PATH, if any."""
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_to_docx(data: bytes, suffix: str, shown: str, soffice: str) -> bytes:
    """The .docx bytes LibreOffice makes of ``data``; raises InputError when it cannot."""
    with tempfile.TemporaryDirectory(prefix="fazhi-convert-") as folder:
        work = Path(folder)
        source = work / f"report{suffix}"
        source.write_bytes(data)
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "docx",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT, check=False, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            raise InputError(f"LibreOffice 转换超时（超过 {CONVERT_TIMEOUT} 秒）", path=shown, hint=_HINT) from exc
        except OSError as exc:
            raise InputError(f"无法运行 LibreOffice（{os_reason(exc)}）", path=shown, hint=_HINT) from exc
        converted = work / "out" / "report.docx"
        if not converted.is_file():
            raise InputError("LibreOffice 未能转换这个文件（可能已损坏或加密）", path=shown, hint=_HINT)
        return converted.read_bytes()
