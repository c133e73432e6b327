"""Transport faults over real HTTP, against a scripted fault server on 127.0.0.1 only."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES_DIR
from llm_fakes import Reply, base_url, completion, fault_server
from typer.testing import CliRunner

from fazhi_review.cli import app
from fazhi_review.config import LLMSettings
from fazhi_review.errors import LLMError
from fazhi_review.llm.client import build_instructor, openai_client
from fazhi_review.llm.draft import Draft
from fazhi_review.llm.transport import Ledger, TruncatedOutputError

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


def test_json_mode_can_carry_the_schema_in_response_format() -> None:
    config = LLMSettings(base_url="http://127.0.0.1:9/v1", model="m")
    with fault_server([Reply(200, GOOD)]) as server:
        config = config.model_copy(update={"base_url": base_url(server)})
        schema = Draft.model_json_schema()
        client = build_instructor(openai_client(config).chat.completions.create, "json", config, Ledger(), schema)
        client.create(messages=MESSAGES, response_model=Draft, max_retries=0, model="m")
    assert server.received[0]["response_format"] == {"type": "json_object", "schema": schema}


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
