"""Configuration precedence (flag > env > fazhi.toml > default) and the engine choice notices."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi_review.config import LLMOptions, load_check_profile, load_llm_settings, load_review_table
from fazhi_review.errors import ConfigError, UsageError
from fazhi_review.pipeline import SummarizeOptions, choose_engine


def _toml(text: str) -> None:
    Path("fazhi.toml").write_text(text, encoding="utf-8")


def test_precedence_flag_over_env_over_toml(monkeypatch: pytest.MonkeyPatch) -> None:
    _toml('[llm]\nbase_url = "http://127.0.0.1:1/v1"\nmodel = "from-toml"\nmax_attempts = 5\n')
    assert load_llm_settings().model == "from-toml" and load_llm_settings().max_attempts == 5
    monkeypatch.setenv("FAZHI_MODEL", "from-env")
    assert load_llm_settings().model == "from-env"
    assert load_llm_settings(LLMOptions(model="from-flag")).model == "from-flag"
    assert load_llm_settings(LLMOptions(model=None)).model == "from-env"  # an absent flag is not an override


def test_fazhi_variables_win_over_openai_fallbacks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://openai.example/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-fallback")
    settings = load_llm_settings()
    assert settings.base_url == "http://openai.example/v1" and settings.api_key.get_secret_value() == "sk-fallback"
    monkeypatch.setenv("FAZHI_BASE_URL", "http://127.0.0.1:2/v1")
    assert load_llm_settings().base_url == "http://127.0.0.1:2/v1"
    assert "sk-fallback" not in repr(load_llm_settings())  # secrets never print


def test_user_config_dir_is_read_when_cwd_has_none(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "fazhi-review").mkdir()
    (tmp_path / "fazhi-review" / "fazhi.toml").write_text('[checks]\ndeadline_month = 2\n', encoding="utf-8")
    assert load_check_profile().deadline_month == 2


def test_settings_are_reread_after_every_change_of_fazhi_toml(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Parsing is cached per process, yet a rewrite of the same size, a new working directory and
    a caller that mutates what it got never see stale settings."""
    _toml("[checks]\ndeadline_month = 2\n")
    assert load_check_profile().deadline_month == 2
    _toml("[checks]\ndeadline_month = 4\n")  # same length, same inode, maybe the same mtime
    assert load_check_profile().deadline_month == 4
    _toml('[checks]\ndeadline_month = 4\n[review]\nissuer = "办公室"\n')
    table = load_review_table()
    table["issuer"] = "changed by a caller"
    assert load_review_table()["issuer"] == "办公室"
    monkeypatch.chdir(tmp_path)  # no fazhi.toml here
    assert load_check_profile().deadline_month == 3


def test_bad_toml_is_a_clear_config_error() -> None:
    _toml("[llm\nmodel=")
    with pytest.raises(ConfigError) as raised:
        load_llm_settings()
    assert "fazhi.toml" in raised.value.user_message() and raised.value.exit_code == 2


def test_auto_without_endpoint_says_it_uses_offline() -> None:
    notes: list[str] = []
    assert choose_engine(SummarizeOptions(engine="auto", notify=notes.append)).name == "offline"
    assert notes == ["提示：未配置 LLM 服务，使用离线引擎。"]


def test_remote_endpoint_gets_a_notice_unless_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAZHI_BASE_URL", "https://api.deepseek.com/v1")
    monkeypatch.setenv("FAZHI_MODEL", "deepseek-chat")
    notes: list[str] = []
    engine = choose_engine(SummarizeOptions(engine="llm", notify=notes.append))
    assert engine.name == "llm" and engine.settings.endpoint_host == "api.deepseek.com"  # type: ignore[attr-defined]
    assert len(notes) == 1 and "api.deepseek.com" in notes[0] and "不在本机" in notes[0]
    quiet: list[str] = []
    choose_engine(SummarizeOptions(engine="llm", quiet=True, notify=quiet.append))
    assert quiet == []


def test_loopback_endpoint_gets_no_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAZHI_BASE_URL", "http://localhost:11434/v1")
    monkeypatch.setenv("FAZHI_MODEL", "qwen2.5")
    notes: list[str] = []
    choose_engine(SummarizeOptions(engine="llm", notify=notes.append))
    assert notes == []


def test_offline_flag_guarantees_the_offline_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAZHI_BASE_URL", "https://api.example.com/v1")
    monkeypatch.setenv("FAZHI_MODEL", "m")
    assert choose_engine(SummarizeOptions(engine="auto", offline=True, notify=lambda _: None)).name == "offline"
    with pytest.raises(UsageError):
        choose_engine(SummarizeOptions(engine="llm", offline=True))


def test_checks_table_of_fazhi_toml_is_honoured_by_eval_too(tmp_path: Path) -> None:
    """Regression: ``fazhi eval`` used the default profile while summarize read [checks]."""
    from conftest import EXAMPLES_DIR
    from fazhi_review.analysis import analyze_path
    from fazhi_review.evaluate import evaluate

    report = EXAMPLES_DIR / "xumingsi-2023.txt"
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "x.json").write_text('{"report": "xumingsi-2023.txt", "findings": [{"rule": "late-report"}]}', encoding="utf-8")
    default_late = any(f.rule_id == "late-report" for f in analyze_path(report).findings)
    _toml("[checks]\ndeadline_month = 12\ndeadline_day = 31\n")
    relaxed_late = any(f.rule_id == "late-report" for f in analyze_path(report).findings)
    assert default_late and not relaxed_late, "the fixture must be late by default and on time with the relaxed deadline"
    score = evaluate(gold, EXAMPLES_DIR, SummarizeOptions(engine="offline"))[0]
    assert score.rule_findings_found == 0  # eval ran with fazhi.toml's [checks], as summarize does
