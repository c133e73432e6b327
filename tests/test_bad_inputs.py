"""The README's bad-input table, case by case: exit code, exactly one Chinese ``错误:`` line on
stderr, no traceback, nothing on stdout, and no file written or left half-written.

Each case builds its input in ``tmp_path`` and returns the command line; the table at the bottom
holds (case, exit code, words the error line must contain). The README table is generated from
the same cases, so the two cannot drift: see ``test_readme_table_lists_every_case``.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES_DIR, REPO
from fazhi_review.cli import app
from fixtures_formats import (
    write_binary,
    write_docx,
    write_encrypted_pdf,
    write_old_doc,
    write_partly_scanned_pdf,
    write_pdf,
    write_scanned_pdf,
)

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

EXAMPLE = EXAMPLES_DIR / "suhe-2021.txt"
SHORT = "某某镇2024年法治政府建设情况报告\n一、主要举措和成效\n全年开展普法宣传活动36场次，受益群众3000余人次。\n二、存在的不足\n执法人员专业能力有待提高。"
TRADITIONAL = "某某鎮2024年法治政府建設情況報告\n一、主要舉措和成效\n全年開展普法宣傳活動36場次，受益群眾3000餘人次。\n二、存在的問題\n執法人員專業能力有待提高。"
OFFLINE = ["--engine", "offline"]
Setup = Callable[[Path, pytest.MonkeyPatch], list[str]]


def _report(directory: Path, name: str = "report.txt") -> Path:
    path = directory / name
    path.write_bytes(EXAMPLE.read_bytes())
    return path


def _summarize(path: Path | str, *extra: str) -> list[str]:
    return ["summarize", str(path), *OFFLINE, *extra]


def _file(name: str, data: bytes) -> Setup:
    def setup(directory: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        path = directory / name
        path.write_bytes(data)
        return _summarize(path)

    return setup


def _broken_template(directory: Path, _monkeypatch: pytest.MonkeyPatch) -> list[str]:
    template = directory / "模板.docx"
    template.write_bytes(b"PK\x03\x04 broken" * 20)
    return ["review", str(_report(directory)), "--template", str(template), "-o", str(directory / "意见.docx")]


def _made(make: Callable[[Path], Path]) -> Setup:
    return lambda directory, monkeypatch: _summarize(make(directory))


def _without_soffice(name: str, data: bytes) -> Setup:
    def setup(directory: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        monkeypatch.setenv("PATH", str(directory / "no-bin"))
        return _file(name, data)(directory, monkeypatch)

    return setup


def _failing_soffice(directory: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    bin_dir = directory / "bin"
    bin_dir.mkdir()
    (bin_dir / "soffice").write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    (bin_dir / "soffice").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return _summarize(write_old_doc(directory))


def _scanned(directory: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import fazhi_review.ingest.ocr

    monkeypatch.setattr(fazhi_review.ingest.ocr, "available", lambda: False)
    return _summarize(write_scanned_pdf(directory))


def _mostly_scanned(directory: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import fazhi_review.ingest.ocr

    monkeypatch.setattr(fazhi_review.ingest.ocr, "available", lambda: False)
    return _summarize(write_partly_scanned_pdf(SHORT * 3, directory, scanned_pages=3))


def _truncated_pdf(directory: Path) -> Path:
    path = write_pdf(SHORT, directory, name="full.pdf")
    cut = directory / "truncated.pdf"
    cut.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 3])
    path.unlink()
    return cut


def _docx_as_doc(directory: Path) -> Path:
    path = write_docx(SHORT, directory, name="tmp.docx")
    target = directory / "报告.doc"
    path.rename(target)
    return target


def _symlink_loop(directory: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    (directory / "a.txt").symlink_to(directory / "b.txt")
    (directory / "b.txt").symlink_to(directory / "a.txt")
    return _summarize(directory / "a.txt")


def _dangling_symlink(directory: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    (directory / "link.txt").symlink_to(directory / "gone.txt")
    return _summarize(directory / "link.txt")


def _unreadable(directory: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    path = _report(directory)
    path.chmod(0o000)
    if os.geteuid() == 0:  # root reads any file: make the read fail the way it does for a user
        original = Path.read_bytes

        def denied(self: Path) -> bytes:
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return original(self)

        monkeypatch.setattr(Path, "read_bytes", denied)
    return _summarize(path)


def _through_a_file(directory: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return _summarize(_report(directory) / "inner.txt")


def _output(make_out: Callable[[Path, Path], Path], *extra: str) -> Setup:
    def setup(directory: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        report = _report(directory)
        return _summarize(report, "-o", str(make_out(directory, report)), *extra)

    return setup


def _hard_link(directory: Path, report: Path) -> Path:
    os.link(report, directory / "copy.md")
    return directory / "copy.md"


def _read_only(directory: Path, report: Path) -> Path:
    path = directory / "locked.md"
    path.write_text("keep", encoding="utf-8")
    path.chmod(0o444)
    return path


def _unwritable_folder(directory: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    folder = directory / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0:  # root may write anywhere: answer the access check as for a user
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda path, mode: False if Path(path) == folder else real_access(path, mode))
    return _summarize(_report(directory), "-o", str(folder / "out.md"))


def _toml(text: str, *args: str) -> Setup:
    def setup(directory: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        monkeypatch.chdir(directory)
        (directory / "fazhi.toml").write_text(text, encoding="utf-8")
        return list(args) if args else _summarize(_report(directory))

    return setup


class _NotFound(BaseHTTPRequestHandler):
    """A web server that is not an LLM endpoint: every path is an HTML 404 page."""

    def _reply(self) -> None:
        body = ("<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1>" + "<p>nginx</p>" * 50 + "</body></html>").encode()
        self.send_response(404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _reply

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def _html_404_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotFound)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def _llm(base_url: str) -> Setup:
    def setup(directory: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        monkeypatch.chdir(directory)
        (directory / "fazhi.toml").write_text("[llm]\ntransport_retries = 0\n", encoding="utf-8")
        report = _report(directory)
        return ["summarize", str(report), "--engine", "llm", "--base-url", base_url, "--model", "m", "--mode", "json"]

    return setup


#: (case as the README names it, setup, exit code, words the one error line contains)
CASES: list[tuple[str, Setup, int, str]] = [
    ("空文件", _file("empty.txt", b""), 1, "文件是空的"),
    ("只有空白的文件", _file("blank.txt", b" \n\t\r\n"), 1, "文件是空的"),
    ("二进制内容的 .txt", _made(write_binary), 1, "不是文本文件"),
    ("含 NUL 字节的 .txt", _file("nul.txt", b"\x00\x01\x02abc" * 300), 1, "不是文本文件"),
    ("不支持的扩展名 .xyz", _file("report.xyz", SHORT.encode()), 1, "不支持的文件格式 .xyz"),
    ("没有扩展名", _file("report", SHORT.encode()), 1, "无扩展名"),
    ("文件不存在", lambda d, m: _summarize(d / "missing.txt"), 2, "文件不存在"),
    ("路径是目录", lambda d, m: (d / "reports.txt").mkdir() or _summarize(d / "reports.txt"), 2, "是一个目录"),
    ("符号链接循环", _symlink_loop, 2, "符号链接形成了循环"),
    ("指向不存在文件的符号链接", _dangling_symlink, 2, "文件不存在"),
    ("没有读权限", _unreadable, 1, "没有权限读取"),
    ("路径中间是文件", _through_a_file, 2, "无法访问这个路径"),
    ("扫描件 PDF（未装 OCR 扩展）", _scanned, 1, "fazhi-review[ocr]"),
    ("大部分页是扫描件的 PDF", _mostly_scanned, 1, "没有文字层"),
    ("加密 PDF", _made(lambda d: write_encrypted_pdf(SHORT, d)), 1, "加密"),
    ("损坏的 PDF", _file("broken.pdf", b"%PDF-1.7\nthis is not a pdf at all" * 20), 1, "PDF"),
    ("截断的 PDF", _made(_truncated_pdf), 1, "PDF"),
    ("损坏的 .docx", _file("broken.docx", b"PK\x03\x04 not really a zip" * 20), 1, "不是有效的 Word"),
    ("本工具写出的审阅意见", _file("毛俊镇.审阅意见.md", "# 关于《毛俊镇2024年度法治政府建设情况报告》的审阅意见\n".encode()), 1, "不是乡镇报告"),
    ("Word 的临时锁定文件 ~$报告.docx", _file("~$报告.docx", b"\x06\x00" + "张三".encode("utf-16-le") + b"\x00" * 140), 1, "临时锁定文件"),
    ("改名为 .docx 的 .doc", _file("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600), 1, "旧版 Word (.doc) 文件"),
    ("没有文字的 .docx", _made(lambda d: write_docx("", d)), 1, "没有读到任何文字"),
    (".doc（未装 LibreOffice）", _without_soffice("报告.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600), 1, "不支持 旧版 Word (.doc)"),
    (".wps（未装 LibreOffice）", _without_soffice("报告.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600), 1, "WPS"),
    (".rtf（未装 LibreOffice）", _without_soffice("报告.rtf", b"{\\rtf1 abc}"), 1, "RTF"),
    ("LibreOffice 转换失败的 .doc", _failing_soffice, 1, "LibreOffice 未能转换"),
    ("OFD 版式文件", _file("报告.ofd", b"PK\x03\x04" + b"OFD.xml" * 100), 1, "另存为 PDF"),
    ("MHTML 中没有网页", _file("报告.mht", b"MIME-Version: 1.0\nContent-Type: multipart/related; boundary=b\n\n--b\nContent-Type: image/png\n\nxx\n--b--\n"), 1, "没有网页正文"),
    ("空的 .html", _file("page.html", b""), 1, "文件是空的"),
    ("只有标签没有文字的 .html", _file("page.html", b"<html><body><div></div></body></html>"), 1, "没有找到报告正文"),
    ("超过字数上限（--max-chars）", lambda d, m: _summarize(_report(d), "--max-chars", "1000"), 1, "超过上限"),
    ("--max-chars 为 0", lambda d, m: _summarize(_report(d), "--max-chars", "0"), 2, "--max-chars"),
    ("-o 与输入相同", _output(lambda d, r: r), 2, "输出文件就是输入文件"),
    ("-o 以另一种写法指向输入", _output(lambda d, r: d / "." / r.name), 2, "输出文件就是输入文件"),
    ("-o 是输入的硬链接", _output(_hard_link), 2, "输出文件就是输入文件"),
    ("-o 是只读文件", _output(_read_only), 2, "只读"),
    ("-o 所在目录不存在", _output(lambda d, r: d / "missing" / "out.md"), 2, "输出目录不存在"),
    ("-o 是目录", _output(lambda d, r: d), 2, "输出路径是一个目录"),
    ("-o 扩展名不能写（.docx）", _output(lambda d, r: d / "摘要.docx"), 2, "无法写出扩展名为 .docx"),
    ("-o 扩展名与 --format 不一致", _output(lambda d, r: d / "摘要.md", "--format", "json"), 2, "与 --format json 不一致"),
    ("-o 扩展名未知（.xyz）", _output(lambda d, r: d / "摘要.xyz"), 2, "无法写出扩展名为 .xyz"),
    ("-o 目录不可写", _unwritable_folder, 2, "没有权限在输出目录中写文件"),
    ("review 的 Word 输出写到 .txt", lambda d, m: ["review", str(_report(d)), "--format", "docx", "-o", str(d / "意见.txt")], 2, "与 --format docx 不一致"),
    ("review 的 --template 不是有效的 .docx", _broken_template, 2, "模板不是有效的 Word"),
    ("--format 取值无效", lambda d, m: _summarize(_report(d), "--format", "xml"), 2, "可选：markdown、json"),
    ("未知选项", lambda d, m: _summarize(_report(d), "--colour"), 2, "没有选项 --colour"),
    ("缺少文件参数", lambda d, m: ["summarize"], 2, "缺少"),
    ("多余的参数", lambda d, m: _summarize(_report(d), "extra.txt"), 2, "多余的参数"),
    ("未知命令", lambda d, m: ["summarise", "x.txt"], 2, "没有这个命令"),
    ("--offline 与 --engine llm 同用", lambda d, m: ["summarize", str(_report(d)), "--offline", "--engine", "llm"], 2, "不能同时使用"),
    ("--engine llm 但未配置服务", lambda d, m: ["summarize", str(_report(d)), "--engine", "llm"], 2, "需要配置 LLM 服务"),
    ("fazhi.toml 语法错误", _toml("[checks\ndeadline_month = 3\n"), 2, "配置文件格式错误"),
    ("[checks] 取值无效", _toml("[checks]\ndeadline_month = 13\n"), 2, "[checks] 配置无效"),
    ("[input] 取值无效", _toml("[input]\nmax_chars = -5\n"), 2, "[input] 配置无效"),
    ("LLM 服务连不上", _llm("http://127.0.0.1:9/v1"), 1, "无法连接"),
    ("doctor 未配置服务", lambda d, m: ["doctor"], 2, "fazhi doctor --base-url"),
    ("text 命令的文件不存在", lambda d, m: ["text", str(d / "missing.txt")], 2, "文件不存在"),
]
#: inputs that used to fail and now work: (case, setup, words stdout contains)
ACCEPTED: list[tuple[str, Setup, str]] = [
    ("Big5 编码的 .txt", _file("big5.txt", TRADITIONAL.encode("cp950")), "审阅摘要"),
    ("其实是 .docx 的 .doc", _made(_docx_as_doc), "审阅摘要"),
    ("CRLF 换行的 .txt", _file("crlf.txt", SHORT.replace("\n", "\r\n").encode()), "审阅摘要"),
]


def _listing(directory: Path) -> dict[str, bytes | None]:
    def content(path: Path) -> bytes | None:
        if path.is_symlink() or not path.is_file():
            return None
        try:
            with path.open("rb") as handle:  # not Path.read_bytes: one case makes that fail on purpose
                return handle.read()
        except PermissionError:
            return b"(unreadable)"

    return {str(p.relative_to(directory)): content(p) for p in directory.rglob("*")}


def _check_failure(result: object, code: int, words: str) -> None:
    stderr, stdout = result.stderr, result.stdout  # type: ignore[attr-defined]
    assert result.exit_code == code, stderr  # type: ignore[attr-defined]
    assert "Traceback" not in stderr and stdout == ""
    lines = stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("错误: ") and re.search(r"[\u4e00-\u9fff]", lines[0]) and words in lines[0], lines[0]


@pytest.mark.parametrize(("name", "setup", "code", "words"), CASES, ids=[case[0] for case in CASES])
def test_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, setup: Setup, code: int, words: str) -> None:
    work = tmp_path / "work"
    work.mkdir()
    args = setup(work, monkeypatch)
    before = _listing(work)
    result = CliRunner().invoke(app, args)
    _check_failure(result, code, words)
    assert _listing(work) == before, "a file was written, changed or left behind"


def test_http_404_endpoint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An endpoint that answers with a web server's HTML 404 page: one line, no HTML."""
    with _html_404_server() as url:
        args = _llm(url)(tmp_path, monkeypatch)
        before = _listing(tmp_path)
        result = CliRunner().invoke(app, args)
    _check_failure(result, 1, "HTTP 404")
    assert "<" not in result.stderr and _listing(tmp_path) == before


@pytest.mark.parametrize(("name", "setup", "words"), ACCEPTED, ids=[case[0] for case in ACCEPTED])
def test_accepted_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, setup: Setup, words: str) -> None:
    result = CliRunner().invoke(app, setup(tmp_path, monkeypatch))
    assert result.exit_code == 0, result.stderr
    assert words in result.stdout and "错误" not in result.stderr


def test_the_table_has_forty_cases() -> None:
    assert len(CASES) + 1 + len(ACCEPTED) >= 40


def test_readme_table_lists_every_case() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- bad-inputs:start -->", 1)[1].split("<!-- bad-inputs:end -->", 1)[0]
    for name, *_ in [*CASES, ("HTTP 404 的服务地址",), *ACCEPTED]:
        assert f"| {name} |" in section, name
