"""Transport faults over real HTTP, against a scripted fault server on 127.0.0.1 only."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES_DIR
from fazhi_review.cli import app
from fazhi_review.config import LLMSettings
from fazhi_review.errors import LLMError
from fazhi_review.llm.client import REASK_MARK, build_instructor, openai_client
from fazhi_review.llm.schema import Draft
from fazhi_review.llm.transport import Ledger, TruncatedOutputError
from llm_fakes import Reply, base_url, completion, fault_server

# --block-network (CI) still lets these tests reach their own fault server on loopback
pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

GOOD = completion(json.dumps({"overview": "概述"}, ensure_ascii=False))
MESSAGES = [{"role": "user", "content": "请总结。"}]


def _ask(url: str, sleeps: list[float], **settings: object) -> tuple[Draft, Ledger]:
    config = LLMSettings(base_url=url, model="m", **settings)
    ledger = Ledger()
    client = build_instructor(openai_client(config).chat.completions.create, "json", config, ledger, sleep=sleeps.append)
    draft = client.create(messages=MESSAGES, response_model=Draft, max_retries=config.max_attempts - 1, model="m", max_tokens=config.max_tokens)
    return draft, ledger


def test_429_honours_retry_after() -> None:
    sleeps: list[float] = []
    with fault_server([Reply(429, {"error": {"message": "slow down"}}, {"Retry-After": "7"}), Reply(200, GOOD)]) as server:
        draft, ledger = _ask(base_url(server), sleeps)
    assert draft.overview == "概述"
    assert sleeps == [7.0] and len(server.received) == 2 and ledger.attempts == 1


def test_5xx_backs_off_exponentially_then_succeeds() -> None:
    sleeps: list[float] = []
    with fault_server([Reply(500, {}), Reply(503, {}), Reply(200, GOOD)]) as server:
        draft, _ = _ask(base_url(server), sleeps)
    assert draft.overview == "概述" and sleeps == [1.0, 2.0] and len(server.received) == 3


def test_persistent_500_gives_up_with_a_clear_error() -> None:
    sleeps: list[float] = []
    with fault_server([Reply(500, {"error": {"message": "boom"}})] * 3) as server, pytest.raises(Exception) as raised:
        _ask(base_url(server), sleeps, transport_retries=2)
    error = raised.value.__cause__ if not isinstance(raised.value, LLMError) else raised.value
    assert isinstance(error, LLMError) and "HTTP 500" in error.user_message()
    assert len(server.received) == 3 and sleeps == [1.0, 2.0]


def test_total_time_budget_stops_retrying() -> None:
    with fault_server([Reply(500, {})] * 5) as server, pytest.raises(Exception):
        _ask(base_url(server), [], transport_retries=10, time_budget=0.01)
    assert len(server.received) <= 2


def test_read_timeout_is_retried() -> None:
    with fault_server([Reply(200, GOOD, delay=1.0), Reply(200, GOOD)]) as server:
        draft, _ = _ask(base_url(server), [], request_timeout=0.3)
    assert draft.overview == "概述" and len(server.received) == 2


def test_client_errors_are_not_retried() -> None:
    sleeps: list[float] = []
    with fault_server([Reply(401, {"error": {"message": "bad key"}})]) as server, pytest.raises(Exception) as raised:
        _ask(base_url(server), sleeps)
    error = raised.value if isinstance(raised.value, LLMError) else raised.value.__cause__
    assert "API key" in error.user_message() and len(server.received) == 1 and sleeps == []


def test_malformed_json_is_reasked() -> None:
    with fault_server([Reply(200, completion("{\"overview\": ")), Reply(200, GOOD)]) as server:
        draft, ledger = _ask(base_url(server), [])
    assert draft.overview == "概述" and ledger.attempts == 2
    assert "Correct your JSON" in server.received[1]["messages"][-1]["content"]


def test_truncation_fails_fast_without_a_reask_loop() -> None:
    with fault_server([Reply(200, completion('{"overview": "概', finish_reason="length"))] * 3) as server, pytest.raises(Exception) as raised:
        _ask(base_url(server), [])
    error = raised.value if isinstance(raised.value, TruncatedOutputError) else raised.value.__cause__
    assert isinstance(error, TruncatedOutputError) and "截断" in error.user_message()
    assert len(server.received) == 1


def test_truncation_retries_once_with_more_tokens_when_configured() -> None:
    with fault_server([Reply(200, completion('{"overview": "概', finish_reason="length")), Reply(200, GOOD)]) as server:
        draft, _ = _ask(base_url(server), [], max_tokens=100, retry_max_tokens=400)
    assert draft.overview == "概述" and [r["max_tokens"] for r in server.received] == [100, 400]


def test_json_object_schema_mode_sends_the_schema_once() -> None:
    """Our mode: the schema rides in response_format only, the messages stay ours."""
    with fault_server([Reply(200, GOOD)]) as server:
        config = LLMSettings(base_url=base_url(server), model="m")
        client = build_instructor(openai_client(config).chat.completions.create, "json_object_schema", config, Ledger())
        client.create(messages=MESSAGES, response_model=Draft, max_retries=0, model="m")
    request = server.received[0]
    assert request["response_format"] == {"type": "json_object", "schema": Draft.model_json_schema()}
    assert request["messages"] == MESSAGES  # instructor's json mode would have pasted the schema here


def test_json_object_schema_reask_carries_only_the_problems() -> None:
    bad = completion(json.dumps({"highlights": [{"text": "亮点", "sentences": ["S1"]}] * 9}, ensure_ascii=False))
    with fault_server([Reply(200, bad), Reply(200, bad), Reply(200, GOOD)]) as server:
        config = LLMSettings(base_url=base_url(server), model="m")
        ledger = Ledger()
        client = build_instructor(openai_client(config).chat.completions.create, "json_object_schema", config, ledger)
        draft = client.create(messages=MESSAGES, response_model=Draft, max_retries=2, model="m")
    assert draft.overview == "概述" and ledger.attempts == 3
    for reask in server.received[1:]:
        assert reask["messages"][:-1] == MESSAGES  # the previous answer is not sent back
        last = reask["messages"][-1]["content"]
        assert last.startswith(REASK_MARK) and "highlights：条目过多或文字过长" in last
        assert "pydantic" not in last and "input_value" not in last and len(last) < 120


def test_cli_reports_endpoint_failure_in_one_chinese_line(tmp_path_factory: pytest.TempPathFactory) -> None:
    with open("fazhi.toml", "w", encoding="utf-8") as config:
        config.write("[llm]\ntransport_retries = 0\n")
    with fault_server([Reply(503, {"error": {"message": "overloaded"}})]) as server:
        result = CliRunner().invoke(
            app,
            ["summarize", str(EXAMPLES_DIR / "suhe-2021.txt"), "--engine", "llm", "--mode", "json", "--base-url", base_url(server), "--model", "m"],
        )
    assert result.exit_code == 1
    assert "错误: " in result.output and "HTTP 503" in result.output and "Traceback" not in result.output


def _summarize_against(server_url: str, *extra: str) -> object:
    return CliRunner().invoke(
        app,
        ["summarize", str(EXAMPLES_DIR / "suhe-2021.txt"), "--engine", "llm", "--mode", "json_object_schema", "--base-url", server_url, "--model", "m", *extra],
    )


def test_a_model_answering_garbage_is_not_hidden_behind_the_offline_result() -> None:
    """Issue 7 item 11: --engine llm and nothing from the model survived → exit 1, one Chinese line."""
    with open("fazhi.toml", "w", encoding="utf-8") as config:
        config.write("[llm]\nmax_attempts = 2\n")
    garbage = completion("<html>garbage</html>")
    with fault_server([Reply(200, garbage)] * 2) as server:
        result = _summarize_against(base_url(server))
    assert result.exit_code == 1 and result.stdout == ""  # type: ignore[attr-defined]
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and lines[0].startswith("错误: ") and "--fallback offline" in lines[0] and "Traceback" not in lines[0]


def test_fallback_offline_accepts_the_offline_result_and_says_so() -> None:
    with open("fazhi.toml", "w", encoding="utf-8") as config:
        config.write("[llm]\nmax_attempts = 2\n")
    garbage = completion("<html>garbage</html>")
    with fault_server([Reply(200, garbage)] * 2) as server:
        result = _summarize_against(base_url(server), "--fallback", "offline", "--format", "json")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "摘要全部来自离线引擎" in result.stderr  # type: ignore[attr-defined]
    provenance = json.loads(result.stdout)["provenance"]  # type: ignore[attr-defined]
    assert provenance["model_claims"] == 0 and provenance["engine"] == "llm"
    assert set(provenance["filled_from_offline"]) >= {"overview", "highlights"}
    reason = provenance["dropped_reasons"][0]
    assert "不是合法的 JSON" in reason and "pydantic" not in reason and "Traceback" not in reason


def test_a_summary_mostly_from_the_offline_engine_says_so_on_stderr() -> None:
    only_overview = completion(json.dumps({"overview": "报告内容较全面。"}, ensure_ascii=False))
    with fault_server([Reply(200, only_overview)]) as server:
        result = _summarize_against(base_url(server), "--format", "json")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    notices = [line for line in result.stderr.splitlines() if "离线引擎" in line]  # type: ignore[attr-defined]
    assert len(notices) == 1 and "主要来自离线引擎" in notices[0]
    assert json.loads(result.stdout)["overview"] == "报告内容较全面。"  # type: ignore[attr-defined]
