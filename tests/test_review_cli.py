"""`fazhi review` on the command line: formats by extension, settings from flags and fazhi.toml,
and every bad input as one ``错误:`` line with nothing written."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from conftest import EXAMPLES_DIR
from fazhi_review.cli import app

REPORT = EXAMPLES_DIR / "maojun-2024.txt"
PLACEHOLDER_NOTICE = "发文机关使用占位名称"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def summary_json(tmp_path: Path, runner: CliRunner) -> Path:
    path = tmp_path / "summary.json"
    result = runner.invoke(app, ["summarize", str(REPORT), "--offline", "--format", "json", "-o", str(path)])
    assert result.exit_code == 0, result.stderr
    return path


def failed_cleanly(result: Result, code: int | tuple[int, ...], *names: str) -> str:
    codes = code if isinstance(code, tuple) else (code,)
    assert result.exit_code in codes, (result.exit_code, result.stderr)
    assert "Traceback" not in result.output + result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误:"), lines
    for name in names:
        assert name in lines[0]
    return lines[0]


def review(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, ["review", *args])


def test_markdown_on_stdout_and_the_issuer_notice(runner: CliRunner) -> None:
    result = review(runner, str(REPORT), "--offline")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# 关于《")
    assert PLACEHOLDER_NOTICE in result.stderr
    named = review(runner, str(REPORT), "--offline", "--issuer", "某县委依法治县办")
    assert PLACEHOLDER_NOTICE not in named.stderr
    assert named.stdout.rstrip().splitlines()[-3] == "某县委依法治县办"


@pytest.mark.parametrize(("name", "marker"), [("意见.md", b"# "), ("意见.json", b"{"), ("意见.docx", b"PK\x03\x04")])
def test_the_extension_decides_the_format(runner: CliRunner, tmp_path: Path, name: str, marker: bytes) -> None:
    out = tmp_path / name
    result = review(runner, str(REPORT), "--offline", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert out.read_bytes().startswith(marker)
    assert [p.name for p in tmp_path.iterdir()] == [name], "no temp file left behind"


def test_format_flag_beats_the_extension(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "意见.txt"
    assert review(runner, str(REPORT), "--offline", "--format", "json", "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["verdict"]


@pytest.mark.parametrize(("name", "fmt"), [("意见.docx", "json"), ("意见.docx", "markdown"), ("意见.md", "docx")])
def test_a_format_flag_contradicting_the_extension_is_a_usage_error(runner: CliRunner, tmp_path: Path, name: str, fmt: str) -> None:
    out = tmp_path / name
    line = failed_cleanly(review(runner, str(REPORT), "--offline", "--format", fmt, "-o", str(out)), 2, "不一致")
    assert fmt in line and not out.exists() and list(tmp_path.iterdir()) == []


def test_settings_from_fazhi_toml_and_flags_on_top(runner: CliRunner) -> None:
    Path("fazhi.toml").write_text('[review]\nissuer = "配置里的办公室"\ndeadline_days = 30\ndate = 2026-01-10\n', encoding="utf-8")
    result = review(runner, str(REPORT), "--offline", "--format", "json")
    draft = json.loads(result.stdout)
    assert (draft["issuer"], draft["date"], draft["deadline"]) == ("配置里的办公室", "2026-01-10", "2026-02-09")
    flagged = json.loads(review(runner, str(REPORT), "--offline", "--format", "json", "--issuer", "命令行", "--date", "2026年2月1日").stdout)
    assert (flagged["issuer"], flagged["date"], flagged["deadline"]) == ("命令行", "2026-02-01", "2026-03-03")


def test_bad_settings_are_usage_errors(runner: CliRunner) -> None:
    failed_cleanly(review(runner, str(REPORT), "--offline", "--date", "明天"), 2, "明天")
    Path("fazhi.toml").write_text("[review]\ndeadline_days = 0\n", encoding="utf-8")
    failed_cleanly(review(runner, str(REPORT), "--offline"), 2, "[review]")


# ---------------------------------------------------------------- bad inputs


def test_missing_report_and_missing_summary(runner: CliRunner, tmp_path: Path) -> None:
    failed_cleanly(review(runner, str(tmp_path / "无.txt"), "--offline"), 2, "无.txt")
    failed_cleanly(review(runner, "--from", str(tmp_path / "无.json")), 2, "无.json")
    failed_cleanly(review(runner), 2)


@pytest.mark.parametrize("content", [b'{"meta": ', b"\xff\xfe\x00garbage", b"[]"], ids=["truncated", "binary", "not-an-object"])
def test_bad_summary_json(runner: CliRunner, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    out = tmp_path / "意见.md"
    failed_cleanly(review(runner, "--from", str(path), "-o", str(out)), 1, "bad.json")
    assert not out.exists()


def test_summary_from_an_older_schema(runner: CliRunner, summary_json: Path) -> None:
    data = json.loads(summary_json.read_text(encoding="utf-8"))
    del data["provenance"]
    data["risks"][0]["level"] = data["risks"][0].pop("severity")
    summary_json.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    line = failed_cleanly(review(runner, "--from", str(summary_json)), 1, "summary.json")
    assert "格式不符" in line and "fazhi summarize" in line


def test_hand_edited_evidence_is_refused(runner: CliRunner, summary_json: Path) -> None:
    data = json.loads(summary_json.read_text(encoding="utf-8"))
    with_evidence = next(r for r in data["risks"] if r["evidence"])
    with_evidence["evidence"]["end"] += 3
    summary_json.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert "不一致" in failed_cleanly(review(runner, "--from", str(summary_json)), 1)


def test_evidence_beyond_the_original_is_refused(runner: CliRunner, summary_json: Path) -> None:
    data = json.loads(summary_json.read_text(encoding="utf-8"))
    data["meta"]["characters"] = 100
    summary_json.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert "超出原文长度" in failed_cleanly(review(runner, "--from", str(summary_json)), 1)


def test_output_never_overwrites_the_input(runner: CliRunner, summary_json: Path) -> None:
    before = summary_json.read_bytes()
    failed_cleanly(review(runner, "--from", str(summary_json), "-o", str(summary_json)), 2, "不能与输入文件相同")
    assert summary_json.read_bytes() == before


def test_unknown_extension_and_docx_to_screen(runner: CliRunner, tmp_path: Path) -> None:
    failed_cleanly(review(runner, str(REPORT), "--offline", "-o", str(tmp_path / "意见.pdf")), 2, ".pdf")
    failed_cleanly(review(runner, str(REPORT), "--offline", "--format", "docx"), 2, "-o")
    assert list(tmp_path.iterdir()) == []


def test_output_directory_missing_or_unwritable(runner: CliRunner, tmp_path: Path) -> None:
    failed_cleanly(review(runner, str(REPORT), "--offline", "-o", str(tmp_path / "无此目录" / "意见.md")), 2, "输出目录不存在")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        failed_cleanly(review(runner, str(REPORT), "--offline", "-o", str(locked / "意见.docx")), (1, 2), "意见.docx")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_template_must_be_a_docx(runner: CliRunner, tmp_path: Path) -> None:
    failed_cleanly(review(runner, str(REPORT), "--offline", "--template", str(tmp_path / "无.docx"), "-o", str(tmp_path / "a.docx")), 2, "模板")


def test_a_failed_write_leaves_nothing_behind(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last step (rename into place) failing — a full disk, a lock — leaves no half file or temp."""
    import fazhi_review.output as output  # the one atomic writer the review command writes through

    def refuse(source: str, target: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output.os, "replace", refuse)
    failed_cleanly(review(runner, str(REPORT), "--offline", "-o", str(tmp_path / "意见.docx")), 1, "意见.docx")
    assert list(tmp_path.iterdir()) == []


def test_verdict_policy_from_fazhi_toml(runner: CliRunner) -> None:
    strict = json.loads(review(runner, str(REPORT), "--offline", "--format", "json").stdout)
    assert strict["verdict"] == "修改完善后报送"
    Path("fazhi.toml").write_text("[review.policy]\nrevise_on_missing_part = false\nrevise_severities = []\n", encoding="utf-8")
    lenient = json.loads(review(runner, str(REPORT), "--offline", "--format", "json").stdout)
    assert lenient["verdict"] == "通过" and lenient["problems"] == strict["problems"]


def test_addressee_and_deadline_flags(runner: CliRunner) -> None:
    result = review(runner, str(REPORT), "--offline", "--addressee", "毛俊镇人民政府", "--deadline-days", "10", "--date", "2026-12-25", "--issuer", "某办")
    lines = result.stdout.split("\n\n")
    assert lines[1] == "毛俊镇人民政府："
    assert "请于2027年1月4日前修改完善后重新报送。" in lines
    assert lines[-1].strip() == "2026年12月25日"


def test_a_quote_changed_by_hand_is_caught_against_the_report(runner: CliRunner, summary_json: Path) -> None:
    """The same length and offsets, other words: only the report itself can tell."""
    data = json.loads(summary_json.read_text(encoding="utf-8"))
    with_evidence = next(r for r in data["risks"] if r["evidence"])
    with_evidence["evidence"]["quote"] = "伪" * len(with_evidence["evidence"]["quote"])
    summary_json.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    line = failed_cleanly(review(runner, "--from", str(summary_json)), 1, "summary.json")
    assert "与原报告不符" in line and "伪伪" in line


def test_without_the_report_the_quotes_are_said_to_be_unchecked(runner: CliRunner, summary_json: Path) -> None:
    data = json.loads(summary_json.read_text(encoding="utf-8"))
    data["meta"]["source_file"] = "/不存在/报告.txt"
    summary_json.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = review(runner, "--from", str(summary_json))
    assert result.exit_code == 0 and "引文未能与原文逐字核对" in result.stderr


def test_a_highlight_rewritten_by_hand_is_caught_against_its_quote(runner: CliRunner, summary_json: Path) -> None:
    """Its quote and offsets kept, its words changed: the letter would praise what the report never says."""
    data = json.loads(summary_json.read_text(encoding="utf-8"))
    data["highlights"][0]["text"] = "获评全国法治政府建设示范镇，群众满意度100%"
    summary_json.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    line = failed_cleanly(review(runner, "--from", str(summary_json)), 1, "summary.json")
    assert "不是其引文所说的内容" in line
