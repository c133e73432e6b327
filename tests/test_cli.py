"""The command line through typer's CliRunner: exit codes, stdout holding only the result,
one ``错误:`` line on stderr for every failure, and never a traceback.

Click ≥ 8.2 always keeps stderr apart (``result.stdout`` / ``result.stderr``; ``result.output``
is both interleaved), so there is no ``mix_stderr`` to pass. Tests run in a temp cwd (conftest),
so every report path is absolute.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from conftest import EXAMPLES_DIR
from fazhi_review.checks.catalogue import RULES
from fazhi_review.cli import app, summarize_app
from fixtures_formats import write_binary, write_scanned_pdf

EXAMPLE = EXAMPLES_DIR / "xumingsi-2023.txt"
SUMMARY_KEYS = {"meta", "parts", "overview", "highlights", "indicators", "shortcomings", "measures", "risks", "provenance", "paragraphs", "coverage"}
MARKDOWN_SECTIONS = ["概述", "法定部分", "合规风险", "亮点", "量化指标"]
ENGINE_NOTICE = "未配置 LLM 服务"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def one_error_line(result: Result, name: str) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, f"expected one stderr line, got {lines}"
    assert lines[0].startswith("错误:"), lines[0]
    assert name in lines[0], f"{name} not named in {lines[0]}"
    return lines[0]


def summarize_json(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, ["summarize", str(EXAMPLE), "--format", "json", *args])


# ---------------------------------------------------------------- results on stdout


@pytest.mark.parametrize("report", sorted(EXAMPLES_DIR.glob("*.txt")), ids=lambda p: p.stem)
def test_json_on_stdout_notice_on_stderr(runner: CliRunner, report: Path) -> None:
    result = runner.invoke(app, ["summarize", str(report), "--format", "json"])
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)  # stdout holds the JSON and nothing else
    assert set(data) == SUMMARY_KEYS
    assert data["meta"]["source_file"] == str(report)
    assert data["provenance"]["engine"] == "offline"
    assert ENGINE_NOTICE in result.stderr
    assert ENGINE_NOTICE not in result.stdout


def test_json_evidence_is_verbatim(runner: CliRunner) -> None:
    result = summarize_json(runner)
    data = json.loads(result.stdout)
    original = EXAMPLE.read_text(encoding="utf-8")
    items = [item for kind in ("highlights", "indicators", "shortcomings", "measures") for item in data[kind]]
    evidences = [item["evidence"] for item in items] + [r["evidence"] for r in data["risks"] if r["evidence"]]
    assert evidences
    for evidence in evidences:
        assert original[evidence["start"] : evidence["end"]] == evidence["quote"]


def test_markdown_is_the_default(runner: CliRunner) -> None:
    result = runner.invoke(app, ["summarize", str(EXAMPLE)])
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    headings = [line.lstrip("#").strip() for line in result.stdout.splitlines() if line.startswith("## ")]
    for section in MARKDOWN_SECTIONS:
        assert any(h.startswith(section) for h in headings), f"no ## {section} in {headings}"
    assert "许明寺镇" in result.stdout
    assert ENGINE_NOTICE not in result.stdout


def test_offline_engine_flags_print_no_notice(runner: CliRunner) -> None:
    for flags in (["--engine", "offline"], ["--offline"]):
        result = summarize_json(runner, *flags)
        assert result.exit_code == 0, result.stderr
        assert set(json.loads(result.stdout)) == SUMMARY_KEYS
        assert ENGINE_NOTICE not in result.stderr


def test_summarize_console_app_matches_fazhi_summarize(runner: CliRunner) -> None:
    fazhi = summarize_json(runner)
    alone = runner.invoke(summarize_app, [str(EXAMPLE), "--format", "json"])
    no_traceback(alone)
    assert alone.exit_code == 0, alone.stderr
    assert json.loads(alone.stdout) == json.loads(fazhi.stdout)


def test_console_scripts_separate_stdout_and_stderr(tmp_path: Path) -> None:
    """The installed ``fazhi`` and ``summarize`` scripts, as a user runs them."""
    bin_dir = Path(sys.executable).parent
    outputs = []
    for command in (["fazhi", "summarize"], ["summarize"]):
        script = bin_dir / command[0]
        if not script.exists():
            pytest.skip(f"console script {script} not installed")
        env = {k: v for k, v in os.environ.items() if k not in ("FAZHI_BASE_URL", "OPENAI_BASE_URL", "FAZHI_MODEL")}
        done = subprocess.run(
            [str(script), *command[1:], str(EXAMPLE), "--format", "json"],
            capture_output=True, text=True, encoding="utf-8", cwd=tmp_path, env=env, timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        outputs.append(json.loads(done.stdout))
        assert ENGINE_NOTICE in done.stderr and "Traceback" not in done.stderr
    assert outputs[0] == outputs[1]


# ---------------------------------------------------------------- -o / --output


def test_output_file_written(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = summarize_json(runner, "-o", str(out))
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(summarize_json(runner).stdout)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # no temp file left


def test_output_overwrites_an_existing_file(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out.md"
    out.write_text("old", encoding="utf-8")
    result = runner.invoke(app, ["summarize", str(EXAMPLE), "--output", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("# ")


def test_output_into_missing_directory(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "missing" / "out.json"
    result = summarize_json(runner, "-o", str(out))
    no_traceback(result)
    assert result.exit_code == 2
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if line.startswith("错误:")]
    assert len(errors) == 1 and "out.json" in errors[0]
    assert not out.exists() and not out.parent.exists()
    assert list(tmp_path.iterdir()) == []


def test_output_onto_a_directory(runner: CliRunner, tmp_path: Path) -> None:
    result = summarize_json(runner, "-o", str(tmp_path))
    no_traceback(result)
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


def test_failed_write_leaves_nothing_half_written(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the final rename fails, neither the target nor a temp file is left behind."""
    out = tmp_path / "out.json"
    out.write_text("previous result", encoding="utf-8")

    def failing_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    result = summarize_json(runner, "-o", str(out))
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert any(line.startswith("错误:") for line in result.stderr.splitlines())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
    assert out.read_text(encoding="utf-8") == "previous result"


def test_failed_input_leaves_existing_output_alone(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("previous result", encoding="utf-8")
    result = runner.invoke(app, ["summarize", str(tmp_path / "missing.txt"), "-o", str(out)])
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "previous result"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


# ---------------------------------------------------------------- engine choice


def test_engine_llm_without_endpoint(runner: CliRunner) -> None:
    result = summarize_json(runner, "--engine", "llm")
    no_traceback(result)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误:")
    assert any("\u4e00" <= c <= "\u9fff" for c in lines[0])
    assert "LLM" in lines[0]


def test_offline_with_engine_llm_is_a_usage_error(runner: CliRunner) -> None:
    result = summarize_json(runner, "--offline", "--engine", "llm")
    no_traceback(result)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误:") and "--offline" in lines[0]


def test_unknown_option_value_is_a_usage_error(runner: CliRunner) -> None:
    result = summarize_json(runner, "--engine", "gpt")
    assert result.exit_code == 2
    assert result.stdout == ""


# ---------------------------------------------------------------- bad inputs


def _empty(directory: Path) -> Path:
    path = directory / "empty.txt"
    path.write_bytes(b"")
    return path


def _unknown_extension(directory: Path) -> Path:
    path = directory / "report.xyz"
    path.write_text("某某镇2024年法治政府建设情况报告\n一、主要举措和成效\n全年开展普法宣传12场。", encoding="utf-8")
    return path


def _directory(directory: Path) -> Path:
    path = directory / "reports.txt"
    path.mkdir()
    return path


BAD_INPUTS = {
    # name: (make the input, exit code): 1 = the content cannot be read, 2 = no such file to read
    "empty": (_empty, 1),
    "binary": (write_binary, 1),
    "unknown-extension": (_unknown_extension, 1),
    "scanned-pdf": (write_scanned_pdf, 1),
    "missing": (lambda d: d / "missing.txt", 2),
    "directory": (_directory, 2),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
@pytest.mark.parametrize("output_format", ["markdown", "json"])
def test_bad_input(runner: CliRunner, tmp_path: Path, case: str, output_format: str, without_ocr: None) -> None:
    make, exit_code = BAD_INPUTS[case]
    path = make(tmp_path)
    result = runner.invoke(app, ["summarize", str(path), "--format", output_format])
    no_traceback(result)
    assert result.exit_code == exit_code, result.stderr
    assert result.stdout == ""
    one_error_line(result, path.name)


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_in_summarize_app(runner: CliRunner, tmp_path: Path, case: str, without_ocr: None) -> None:
    make, exit_code = BAD_INPUTS[case]
    path = make(tmp_path)
    result = runner.invoke(summarize_app, [str(path)])
    no_traceback(result)
    assert result.exit_code == exit_code
    one_error_line(result, path.name)


def test_internal_error_is_one_line_without_traceback(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    import fazhi_review.pipeline

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(fazhi_review.pipeline, "summarize_to_text", broken)
    result = summarize_json(runner)
    no_traceback(result)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误:") and "FAZHI_DEBUG" in lines[0]


def test_ctrl_c_during_an_extension_import_is_an_interrupt(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """pybind11 turns a KeyboardInterrupt raised while its module initialises into
    ImportError("initialization failed") caused by it: that is still Ctrl-C (exit 130), not an
    internal error."""
    import fazhi_review.pipeline

    def interrupted_import(*args: object, **kwargs: object) -> str:
        raise ImportError("initialization failed") from KeyboardInterrupt()

    monkeypatch.setattr(fazhi_review.pipeline, "summarize_to_text", interrupted_import)
    result = summarize_json(runner)
    no_traceback(result)
    assert result.exit_code == 130
    assert result.stderr.strip() == "错误: 已中断"


def test_interrupted_follows_causes_and_contexts() -> None:
    from fazhi_review.errors import interrupted

    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise OSError("clean-up failed")  # noqa: B904 - the implicit context is what is tested
    except OSError as error:
        assert interrupted(error)
    assert interrupted(ImportError("initialization failed").with_traceback(None)) is False
    caused = ImportError("initialization failed")
    caused.__cause__ = KeyboardInterrupt()
    assert interrupted(caused)
    looped = ValueError("a")
    looped.__context__ = ValueError("b")
    looped.__context__.__context__ = looped
    assert not interrupted(looped)


def test_a_validator_build_cut_short_by_ctrl_c_is_an_interrupt() -> None:
    """pydantic-core builds a model's validator on first use; a Ctrl-C inside gives a SchemaError
    that keeps only the interrupt's name in its message."""
    from pydantic_core import SchemaError

    from fazhi_review.errors import interrupted

    assert interrupted(SchemaError('Error building "model" validator:\n  KeyboardInterrupt: '))
    assert not interrupted(SchemaError('Error building "model" validator:\n  ValueError: bad'))


def test_ctrl_c_outside_a_commands_body_is_said_once(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """typer turns a Ctrl-C while it parses the command line into a silent exit 130."""
    import fazhi_review.cli

    def interrupted_parse(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fazhi_review.cli.ChineseCommand, "parse_args", interrupted_parse)
    result = summarize_json(runner)
    no_traceback(result)
    assert result.exit_code == 130
    assert result.stderr.strip() == "错误: 已中断"


def test_the_console_script_reports_a_ctrl_c_during_its_imports(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """fazhi_review.entry imports the CLI (typer, pydantic, the engine) inside its handler."""
    import signal

    from fazhi_review import entry

    def interrupted_import() -> None:
        raise KeyboardInterrupt

    previous = signal.getsignal(signal.SIGINT)
    try:
        with pytest.raises(SystemExit) as done:
            entry._run(lambda: interrupted_import)  # type: ignore[arg-type, return-value]
    finally:
        signal.signal(signal.SIGINT, previous)
    assert done.value.code == 130
    assert capsys.readouterr().err.strip() == "错误: 已中断"


# ---------------------------------------------------------------- rules and help


def test_rules_lists_every_rule(runner: CliRunner) -> None:
    result = runner.invoke(app, ["rules"])
    no_traceback(result)
    assert result.exit_code == 0
    for rule_id in RULES:
        assert f"`{rule_id}`" in result.stdout, rule_id


def test_rules_json(runner: CliRunner) -> None:
    result = runner.invoke(app, ["rules", "--format", "json"])
    no_traceback(result)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [row["id"] for row in data["rules"]] == list(RULES)
    for row in data["rules"]:
        assert row["severity"] in ("高", "中", "低")
        assert row["title"] and row["basis"]


@pytest.mark.parametrize("args", [["summarize", "--help"], ["doctor", "--help"], ["eval", "--help"], ["rules", "--help"], ["--help"]], ids=" ".join)
def test_help_shows_examples(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert "示例" in result.stdout, f"`fazhi {' '.join(args)}` shows no 示例"


_COMMANDS = ["summarize", "review", "doctor", "eval", "batch", "rules", "text"]


@pytest.mark.parametrize("args", [[command, "--help"] for command in _COMMANDS] + [["--help"]], ids=" ".join)
def test_help_is_chinese_throughout(runner: CliRunner, args: list[str]) -> None:
    """click's own words (headings, [required], the --help line) are translated too."""
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    for english in ("Usage:", "Options:", "Arguments:", "Commands:", "[required]", "[default:", "Show this message", "[OPTIONS]"):
        assert english not in result.stdout, f"`fazhi {' '.join(args)}` shows {english!r}"
    assert result.stdout.startswith("用法: fazhi") and "显示帮助并退出" in result.stdout


def test_summarize_app_help_shows_examples(runner: CliRunner) -> None:
    result = runner.invoke(summarize_app, ["--help"])
    assert result.exit_code == 0
    assert "示例" in result.stdout
    assert "--format" in result.stdout


def test_no_arguments_shows_usage(runner: CliRunner) -> None:
    result = runner.invoke(app, [])
    assert result.exit_code in (0, 2)
    assert "summarize" in result.output


def test_ctrl_c_during_the_opencc_import_is_not_taken_for_a_missing_wheel(monkeypatch: pytest.MonkeyPatch) -> None:
    """script._converter reads a text as is when OpenCC is not installed; an import cut short by
    Ctrl-C must stay an interrupt, not silently switch Traditional conversion off."""
    import builtins

    from fazhi_review import script

    real_import = builtins.__import__

    def importing(name: str, *args: object, **kwargs: object) -> object:
        if name == "opencc":
            raise ImportError("initialization failed") from KeyboardInterrupt()
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    script._converter.cache_clear()
    monkeypatch.setattr(builtins, "__import__", importing)
    try:
        with pytest.raises(KeyboardInterrupt):
            script._converter()
        monkeypatch.setitem(sys.modules, "opencc", None)  # a machine without the wheel
        monkeypatch.setattr(builtins, "__import__", real_import)
        assert script._converter() is None
    finally:
        script._converter.cache_clear()


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ("[checks]\ndeadline_month = 13\n", "deadline_month：应不大于 12"),
        ("[input]\nmax_chars = -5\n", "max_chars：应不小于 1"),
        ("[checks\n", "第1行第8列附近不符合 TOML 格式"),
    ],
)
def test_configuration_errors_name_the_key_in_chinese(runner: CliRunner, table: str, words: str) -> None:
    Path("fazhi.toml").write_text(table, encoding="utf-8")
    result = runner.invoke(app, ["summarize", str(EXAMPLES_DIR / "suhe-2021.txt"), "--engine", "offline"])
    assert result.exit_code == 2 and words in result.stderr
    assert not re.search(r"[A-Z][a-z]+ (?:should|than|at the end)", result.stderr), result.stderr


def test_a_misspelt_command_gets_the_suggestion_in_chinese(runner: CliRunner) -> None:
    result = runner.invoke(app, ["summarise", "x.txt"])
    assert result.exit_code == 2 and "是否想用 'summarize'" in result.stderr and "Did you mean" not in result.stderr


def test_a_review_setting_out_of_range_names_the_flag(runner: CliRunner) -> None:
    result = runner.invoke(app, ["review", str(EXAMPLES_DIR / "suhe-2021.txt"), "--deadline-days", "-5"])
    assert result.exit_code == 2 and "deadline_days：应不小于 1" in result.stderr and "--deadline-days" in result.stderr


def test_quiet_hides_the_notices(runner: CliRunner) -> None:
    result = runner.invoke(app, ["summarize", "-q", str(EXAMPLE)])
    assert result.exit_code == 0 and result.stderr == ""


def test_an_empty_input_folder_is_named(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "空目录").mkdir()
    result = runner.invoke(app, ["batch", str(tmp_path / "空目录"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "空目录" in result.stderr and "没有找到可读取的报告文件" in result.stderr


def test_help_shows_no_python_types(runner: CliRunner) -> None:
    result = runner.invoke(app, ["batch", "--help"])
    assert result.exit_code == 0 and "<list" not in result.stdout and "Path]" not in result.stdout


def test_the_systems_reasons_are_said_in_chinese() -> None:
    import errno

    from fazhi_review.errors import os_reason

    assert os_reason(PermissionError(errno.EACCES, "Permission denied")) == "没有权限"
    assert os_reason(OSError(errno.EPERM, "Operation not permitted")).startswith("操作不被允许")
    assert os_reason(OSError(errno.ENOENT, "No such file or directory")) == "文件或目录不存在"
    assert os_reason(OSError(errno.EXDEV, "Invalid cross-device link")) == "Invalid cross-device link"  # kept when unknown


def test_a_misspelt_rule_id_in_the_policy_is_refused(runner: CliRunner) -> None:
    """It would never fire: a report the office meant to send back would pass."""
    Path("fazhi.toml").write_text('[review.policy]\nreturn_rule_ids = ["placeholdr"]\n', encoding="utf-8")
    result = runner.invoke(app, ["review", str(EXAMPLES_DIR / "suhe-2021.txt")])
    assert result.exit_code == 2 and "没有这条规则：placeholdr" in result.stderr and "fazhi rules" in result.stderr


def test_a_configuration_error_names_the_file(runner: CliRunner) -> None:
    Path("fazhi.toml").write_text("[checks]\ndeadline_month = 13\n", encoding="utf-8")
    result = runner.invoke(app, ["summarize", str(EXAMPLES_DIR / "suhe-2021.txt"), "--engine", "offline"])
    assert result.exit_code == 2 and "fazhi.toml：[checks] 配置无效" in result.stderr
