"""Real-world inputs and outputs: safe -o, locators, `fazhi text`, Word numbering, Big5, LibreOffice,
OCR, the size guard, and the CLI's Chinese usage errors."""

from __future__ import annotations

import importlib.util
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES_DIR, assert_verbatim
from fazhi_review.analysis import analyze_document, analyze_path
from fazhi_review.cli import app
from fazhi_review.engine import summarize_offline
from fazhi_review.errors import InputError, UsageError
from fazhi_review.ingest import read_document
from fazhi_review.locate import Locator, locate_summary
from fazhi_review.models import Document, Evidence
from fazhi_review.output import check_output_path, format_for, write_text_atomic
from fixtures_formats import write_docx, write_pdf
from fixtures_numbering import LABELS, OUTLINE, STYLED_LABELS, typed_text, write_numbered_docx

EXAMPLE = EXAMPLES_DIR / "xumingsi-2023.txt"
TRADITIONAL = """某某鎮人民政府關於2024年度法治政府建設情況的報告
一、主要舉措和成效
（一）強化組織領導。鎮黨委、政府主要負責人切實履行推進法治建設第一責任人職責，全年召開專題會議4次。
（二）深化普法宣傳。全年開展普法宣傳活動36場次，發放宣傳資料5000餘份，受益群眾3000餘人次。
二、存在的問題和原因
一是行政執法隊伍專業化水平不高，執法人員法律知識儲備不足。主要原因是學習培訓不夠系統。
三、下一年度工作安排
繼續加強執法隊伍建設，完善培訓機制，提升依法行政能力。
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


# ---------------------------------------------------------------- output.py


def test_format_follows_the_extension_unless_format_is_given(tmp_path: Path) -> None:
    allowed = ["markdown", "json"]
    assert format_for(tmp_path / "摘要.json", None, allowed) == "json"
    assert format_for(tmp_path / "摘要.MD", None, allowed) == "markdown"
    assert format_for(tmp_path / "摘要.txt", None, allowed) == "markdown"
    assert format_for(tmp_path / "摘要.txt", "json", allowed) == "json"
    assert format_for(tmp_path / "摘要.json", "json", allowed) == "json"
    with pytest.raises(UsageError, match="不一致"):
        format_for(tmp_path / "摘要.json", "markdown", allowed)
    with pytest.raises(UsageError, match="不一致"):
        format_for(tmp_path / "审阅意见.docx", "json", ["markdown", "json", "docx"])
    assert format_for(None, None, allowed) == "markdown"
    for name in ["x.docx", "x.xyz", "noextension"]:
        with pytest.raises(UsageError):
            format_for(tmp_path / name, None, allowed)


def test_json_extension_writes_json(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "摘要.json"
    result = runner.invoke(app, ["summarize", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["meta"]["source_file"] == str(EXAMPLE)


def test_output_file_mode_follows_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "a.md", "x")
        os.umask(0o077)
        write_text_atomic(tmp_path / "b.md", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.md").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "b.md").stat().st_mode) == 0o600


def test_existing_output_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "a.md"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    write_text_atomic(out, "new")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640 and out.read_text(encoding="utf-8") == "new"


def test_existing_output_keeps_a_mode_the_umask_would_narrow(tmp_path: Path) -> None:
    out = tmp_path / "a.md"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o666)
    old = os.umask(0o022)
    try:
        write_text_atomic(out, "new")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666


def test_a_leftover_temp_of_the_same_name_is_neither_used_nor_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A killed run with the same process id left ``.a.md.<pid>.0.tmp``: the writer takes the
    next name instead of writing into (or over) it."""
    import itertools

    from fazhi_review import output

    monkeypatch.setattr(output, "_TEMP_NUMBERS", itertools.count())
    leftover = tmp_path / f".a.md.{os.getpid()}.0.tmp"
    leftover.write_text("leftover", encoding="utf-8")
    write_text_atomic(tmp_path / "a.md", "new")
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == "new"
    assert leftover.read_text(encoding="utf-8") == "leftover"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["a.md", leftover.name])


def test_input_is_never_the_output_by_any_spelling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = tmp_path / "report.txt"
    report.write_text("x", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(report)
    os.link(report, tmp_path / "hard.txt")
    monkeypatch.chdir(tmp_path)
    for spelling in ["report.txt", "./report.txt", str(report), "link.txt", "hard.txt", "sub/../report.txt"]:
        (tmp_path / "sub").mkdir(exist_ok=True)
        with pytest.raises(UsageError, match="输出文件就是输入文件"):
            check_output_path(Path(spelling), inputs=[report])
    assert check_output_path(Path("other.md"), inputs=[report]) == Path(".")


def test_read_only_target_is_refused_even_for_root(tmp_path: Path) -> None:
    out = tmp_path / "locked.md"
    out.write_text("keep", encoding="utf-8")
    out.chmod(0o444)
    with pytest.raises(UsageError, match="只读"):
        check_output_path(out)


def test_unwritable_folder_is_one_chinese_line(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The temp file cannot be created (a read-only folder or file system): no 内部错误, no temp name."""
    real_open = os.open

    def refuse(path: str, flags: int, mode: int = 0o777, *args: object, **kwargs: object) -> int:
        if str(path).endswith(".tmp"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    result = runner.invoke(app, ["summarize", str(EXAMPLE), "--engine", "offline", "-o", str(tmp_path / "out.md")])
    assert result.exit_code == 1
    assert result.stderr.startswith("错误: ") and result.stderr.count("\n") == 1
    assert "没有权限写入输出文件" in result.stderr and ".tmp" not in result.stderr and "内部错误" not in result.stderr


# ---------------------------------------------------------------- locators and `fazhi text`


def test_every_evidence_has_a_paragraph_that_holds_it() -> None:
    analysis = analyze_path(EXAMPLE)
    summary = locate_summary(summarize_offline(analysis), analysis.document)
    text = analysis.document.text
    lines = [line for line in text.split("\n") if line.strip()]
    evidences = [i.evidence for i in [*summary.highlights, *summary.indicators, *summary.shortcomings, *summary.measures]]
    evidences += [r.evidence for r in summary.risks if r.evidence]
    assert evidences
    for evidence in evidences:
        assert evidence.page is None and evidence.paragraph is not None
        first_line = text[evidence.start :].split("\n", 1)[0]
        assert lines[evidence.paragraph - 1].endswith(first_line)
    assert_verbatim(summary, text)


def test_pdf_evidence_has_its_page(tmp_path: Path) -> None:
    body = "\n".join(f"第{n}段：全年开展普法宣传活动{n}场次，受益群众{n * 100}人次。" for n in range(1, 120))
    document = read_document(write_pdf(body, tmp_path))
    assert document.text.count("\f") >= 1
    page_two = document.text.index("\f") + 1
    locator = Locator(document)
    assert locator.page(0) == 1 and locator.page(page_two) == 2
    evidence = Evidence(quote=document.text[page_two : page_two + 2], start=page_two, end=page_two + 2)
    assert locator.locate(evidence).page == 2


def test_markdown_shows_page_and_paragraph(runner: CliRunner) -> None:
    result = runner.invoke(app, ["summarize", str(EXAMPLE), "--format", "markdown"])
    assert result.exit_code == 0
    assert "段 原文第" in result.stdout


def test_text_command_prints_the_text_offsets_index(runner: CliRunner, tmp_path: Path) -> None:
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(EXAMPLE.read_bytes().replace(b"\n", b"\r\n"))
    printed = runner.invoke(app, ["text", str(crlf)])
    assert printed.exit_code == 0
    assert printed.stdout_bytes.decode("utf-8") == read_document(crlf).text  # CRLF kept: offsets index it
    data = json.loads(runner.invoke(app, ["summarize", str(crlf), "--format", "json"]).stdout)
    original = printed.stdout_bytes.decode("utf-8")
    for item in data["highlights"] + data["indicators"]:
        evidence = item["evidence"]
        assert original[evidence["start"] : evidence["end"]] == evidence["quote"]


# ---------------------------------------------------------------- Word auto-numbering


@pytest.mark.parametrize("variant", ["list", "headings", "styled-list"])
def test_word_numbering_is_rendered_and_marked_synthetic(tmp_path: Path, variant: str) -> None:
    document = read_document(write_numbered_docx(tmp_path, variant))
    labels = STYLED_LABELS if variant == "styled-list" else LABELS
    assert document.text == typed_text(labels)
    rendered = [document.text[start:end] for start, end in document.synthetic]
    assert rendered == ["一、", labels[1][0], labels[1][1], "二、", "三、", "四、"]
    analysis = analyze_document(document)
    for part in ["achievements", "first_responsible", "shortcomings", "next_year_plan"]:
        assert analysis.report.parts[part], part
    assert not [f for f in analysis.findings if f.rule_id.startswith("missing-part")]
    summary = locate_summary(summarize_offline(analysis), document)
    assert_verbatim(summary, document.text)
    for evidence in [i.evidence for i in [*summary.shortcomings, *summary.measures, *summary.highlights]]:
        assert not any(start < evidence.start < end or start < evidence.end < end for start, end in document.synthetic)


def test_without_the_labels_the_headings_are_still_found(tmp_path: Path) -> None:
    """Belt and braces: the same headings as plain unnumbered paragraphs (a Word file whose
    numbering was lost on the way) are recognised as headings by the structure stage too."""
    plain = "\n".join(line for _, line in OUTLINE)
    analysis = analyze_document(read_document(write_docx(plain, tmp_path)))
    assert not [f for f in analysis.findings if f.rule_id.startswith("missing-part")]


def test_typed_number_under_a_heading_style_is_not_doubled(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("一、主要举措和成效", style="Heading 1")
    document.add_paragraph("全年开展普法宣传活动36场次。")
    document.add_paragraph("存在的不足", style="Heading 1")
    path = tmp_path / "typed.docx"
    document.save(str(path))
    read = read_document(path)
    assert read.text == "一、主要举措和成效\n全年开展普法宣传活动36场次。\n一、存在的不足"
    assert [read.text[s:e] for s, e in read.synthetic] == ["一、"]


def test_synthetic_label_is_trimmed_off_evidence() -> None:
    document = Document(path="x.docx", format="docx", text="一、主要举措\n正文", sha256="0", synthetic=[(0, 2)])
    located = Locator(document).locate(Evidence(quote="、主要举措", start=1, end=6))
    assert (located.start, located.end, located.quote) == (2, 6, "主要举措")


# ---------------------------------------------------------------- encodings and old formats


def test_big5_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big5.txt"
    path.write_bytes(TRADITIONAL.encode("cp950"))
    document = read_document(path)
    assert document.text == TRADITIONAL and document.encoding == "cp950"


@pytest.mark.parametrize("codec", ["gb18030", "utf-8", "utf-16"])
def test_traditional_text_in_other_encodings_stays_put(tmp_path: Path, codec: str) -> None:
    path = tmp_path / f"{codec}.txt"
    path.write_bytes(TRADITIONAL.encode(codec))
    assert read_document(path).text == TRADITIONAL


@pytest.mark.parametrize("length", [30, 200, 2000, None])
def test_simplified_gb18030_is_never_taken_for_big5(tmp_path: Path, length: int | None) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")[:length]
    path = tmp_path / "gb.txt"
    path.write_bytes(text.encode("gb18030"))
    assert read_document(path).encoding == "gb18030"


def _fake_soffice(directory: Path, docx_source: Path) -> None:
    """A stand-in for LibreOffice: copies a prepared .docx to --outdir under the input's name."""
    script = directory / "soffice"
    script.write_text(
        f"""#!{sys.executable}
import shutil, sys
from pathlib import Path
args = sys.argv[1:]
out = Path(args[args.index("--outdir") + 1])
out.mkdir(parents=True, exist_ok=True)
shutil.copy({str(docx_source)!r}, out / (Path(args[-1]).stem + ".docx"))
""",
        encoding="utf-8",
    )
    script.chmod(0o755)


def test_doc_is_converted_through_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _fake_soffice(bin_dir, write_docx("一、主要举措和成效\n全年开展普法宣传活动36场次。", tmp_path))
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    doc_file = tmp_path / "报告.doc"
    doc_file.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    document = read_document(doc_file)
    assert document.format == "docx" and "全年开展普法宣传活动36场次" in document.text


def test_soffice_that_produces_nothing_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "soffice").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    (bin_dir / "soffice").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    doc_file = tmp_path / "报告.wps"
    doc_file.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(InputError, match="LibreOffice 未能转换"):
        read_document(doc_file)


# ---------------------------------------------------------------- OCR (only with the extra)


def _image_only_pdf(path: Path, pages: list[list[str]]) -> Path:
    """Pages that are pictures of text: no text layer at all."""
    import reportlab
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"), 36)
    images = []
    for lines in pages:
        image = Image.new("RGB", (900, 140 + 80 * len(lines)), "white")
        draw = ImageDraw.Draw(image)
        for number, line in enumerate(lines):
            draw.text((60, 60 + 80 * number), line, fill="black", font=font)
        images.append(image)
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=72)
    return path


def test_scanned_pdf_is_read_by_ocr_with_pages(tmp_path: Path) -> None:
    from fazhi_review.ingest import ocr

    if not ocr.available():
        pytest.skip('the ocr extra is not installed (pip install "fazhi-review[ocr]")')
    pdf = _image_only_pdf(tmp_path / "scan.pdf", [["ANNUAL REPORT 2024", "Training sessions 36"], ["Cases handled 128"]])
    document = read_document(pdf)
    assert document.ocr
    first, second = document.text.split("\f")
    assert "2024" in first and "36" in first and "128" in second
    assert Locator(document).page(document.text.index("128")) == 2
    summary = locate_summary(summarize_offline(analyze_document(document)), document)
    assert summary.meta.ocr and any("OCR" in note for note in summary.provenance.notes)
    assert_verbatim(summary, document.text)


# ---------------------------------------------------------------- size guard and progress


def test_size_guard_refuses_before_the_stages_run(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(app, ["summarize", str(EXAMPLE), "--max-chars", "1000"])
    assert result.exit_code == 1 and "超过上限 1,000" in result.stderr and "--max-chars" in result.stderr
    (tmp_path / "fazhi.toml").write_text("[input]\nmax_chars = 1000\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["summarize", str(EXAMPLE)]).exit_code == 1
    assert runner.invoke(app, ["summarize", str(EXAMPLE), "--max-chars", "10000000"]).exit_code == 0


def test_progress_is_silent_off_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    import time

    from fazhi_review.progress import progress

    with progress("正在审阅…", delay=0.01):
        time.sleep(0.05)
    assert capsys.readouterr() == ("", "")


# ---------------------------------------------------------------- CLI polish


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("fazhi-review ")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["summarize", "--bogus"], "没有选项 --bogus"),
        (["summarize", str(EXAMPLE), "--format", "xml"], "可选：markdown、json"),
        (["summarize"], "缺少"),
        (["nosuch"], "没有这个命令"),
        (["summarize", str(EXAMPLE), "-o"], "需要一个值"),
        (["summarize", str(EXAMPLE), "--max-chars", "abc"], "需要一个整数"),
        (["summarize", "a.txt", "b.txt"], "多余的参数 b.txt"),
    ],
)
def test_usage_errors_are_one_chinese_line(runner: CliRunner, args: list[str], expected: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("错误: ") and expected in result.stderr
    assert "Usage" not in result.stderr and "╭" not in result.stderr and result.stdout == ""


def test_help_is_not_cut_at_80_columns() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from fazhi_review.cli import main; main()", "summarize", "--help"],
        capture_output=True, text=True, env={**os.environ, "COLUMNS": "80"}, check=False,
    )  # fmt: skip
    assert done.returncode == 0 and "…" not in done.stdout and "--max-chars" in done.stdout


def test_doctor_hint_names_options_doctor_has(runner: CliRunner) -> None:
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 2 and "--engine" not in result.stderr and "--base-url" in result.stderr


def test_http_404_html_body_is_not_dumped() -> None:
    import openai

    httpx = pytest.importorskip("httpx2") if importlib.util.find_spec("httpx2") else pytest.importorskip("httpx")

    from fazhi_review.llm.transport import describe_api_error

    body = "<html><head><title>404 Not Found</title><style>body{x}</style></head><body><h1>Not Found</h1>" + "<p>x</p>" * 200 + "</body></html>"
    response = httpx.Response(404, text=body, request=httpx.Request("POST", "http://127.0.0.1:9/v1/chat/completions"))
    message = describe_api_error(openai.NotFoundError(body, response=response, body=None), "127.0.0.1")
    assert "HTTP 404" in message and "<" not in message and "\n" not in message and len(message) < 200


def test_schema_export_outside_the_repo_needs_a_target(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "fazhi_review.schema_export"]
    helped = subprocess.run([*run, "--help"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert helped.returncode == 0 and "directory" in helped.stdout and not (tmp_path / "--help").exists()
    refused = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert refused.returncode == 2 and refused.stderr.startswith("错误:") and list(tmp_path.iterdir()) == []
