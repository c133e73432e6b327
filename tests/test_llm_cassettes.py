"""The LLM path against a REAL local server (llama.cpp + Gemma 3 270M), replayed from cassettes.

Recorded by ``scripts/record-cassettes``; CI replays them with ``--record-mode=none
--block-network``. The model is a small BASE model: its answers are valid JSON full of junk. The
tests prove, on real wire traffic, that junk never reaches the output: each problem of an answer
is sent back in the next request (reask, problems only), a repeated answer stops the reasks, what
is still ungrounded is dropped and counted, truncation is reported, and the probe picks what the
server enforces. ``test_first_attempt`` records one first attempt per bundled sample, with the
server's own token counts of the report and the prompt parts (benchmarks/prompt_cost.py reads
them). Assertions are computed from the recorded traffic, never from hand-written answers.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES_DIR, assert_verbatim
from fazhi_review.analysis import Analysis, analyze_path
from fazhi_review.cli import app
from fazhi_review.config import LLMSettings
from fazhi_review.engine.assemble import assemble
from fazhi_review.engine.chunks import split_report
from fazhi_review.engine.llm import LLMRun, llm_claims
from fazhi_review.errors import LLMError
from fazhi_review.llm.client import REASK_MARK, openai_client
from fazhi_review.llm.probe import count_tokens, probe_endpoint
from fazhi_review.llm.prompt import build_listing, build_messages
from fazhi_review.llm.schema import Draft, Grounding
from fazhi_review.llm.transport import TruncatedOutputError
from fazhi_review.models import ReportSummary

pytestmark = pytest.mark.vcr

LOCAL_URL = "http://127.0.0.1:8765/v1"
LOCAL_MODEL = "gemma3-270m"
MAOJUN = EXAMPLES_DIR / "maojun-2024.txt"


def _settings(**overrides: Any) -> LLMSettings:
    return LLMSettings(base_url=LOCAL_URL, model=LOCAL_MODEL, **overrides)


def _run(analysis: Analysis, mode: str, **overrides: Any) -> ReportSummary:
    settings = _settings(**overrides)
    run = LLMRun(settings, mode, openai_client(settings).chat.completions.create)
    return assemble(analysis, "llm", llm_claims(analysis, run))


def _chat_exchanges(cassette: Any) -> list[tuple[dict, dict]]:
    """(request body, response body) of every recorded chat completion, in order."""
    pairs = []
    for request, response in zip(cassette.requests, cassette.responses, strict=False):
        if request.path.endswith("/chat/completions"):
            body = response["body"]["string"]
            pairs.append((json.loads(request.body), json.loads(body.decode() if isinstance(body, bytes) else body)))
    return pairs


def _answer_text(response: dict) -> str:
    message = response["choices"][0]["message"]
    calls = message.get("tool_calls")
    return calls[0]["function"]["arguments"] if calls else (message.get("content") or "")


def _problems(analysis: Analysis, response: dict) -> list[str] | None:
    """What grounding finds wrong with one recorded answer (None: not even a Draft)."""
    try:
        draft = Draft.model_validate_json(_answer_text(response))
    except ValueError:
        return None
    listing = build_listing(analysis, analysis.report.paragraphs)
    grounding = Grounding(analysis.norm, listing, {f.id: f for f in analysis.facts}, max_attempts=99)
    return [p.message for p in grounding.problems(draft)]




def _assert_reasks_carry_problems(analysis: Analysis, exchanges: list[tuple[dict, dict]]) -> None:
    """Every rejected answer's problems — and only they — are sent back in the next request."""
    for (request, response), (next_request, _) in itertools.pairwise(exchanges):
        reask = next_request["messages"][-1]["content"]
        problems = _problems(analysis, response)
        assert problems != [], "an answer with no problems must not be reasked"
        for problem in problems or []:
            assert problem in reask
        assert reask.startswith(REASK_MARK) and next_request["messages"][:-1] == request["messages"][: len(next_request["messages"]) - 1]


@pytest.fixture(scope="module")
def maojun() -> Analysis:
    return analyze_path(MAOJUN)


def test_probe_picks_what_the_local_server_enforces() -> None:
    settings = _settings()
    result = probe_endpoint(settings, openai_client(settings))
    assert result.reachable and result.model_listed and result.models == [LOCAL_MODEL]
    assert result.json_schema == "rejected"  # llama.cpp answers 500: only text / json_object
    assert result.json_object_schema == "enforced"
    assert result.tools == "enforced"
    assert result.recommended_mode == "json_object_schema"


SAMPLES = sorted(EXAMPLES_DIR.glob("*.txt"))


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_first_attempt(sample: Path, vcr: Any) -> None:
    """One first attempt per bundled sample, and the server's token counts of its parts."""
    analysis = analyze_path(sample)
    settings = _settings(max_attempts=1)
    summary = _run(analysis, "json_object_schema", max_attempts=1)
    messages = build_messages(analysis, build_listing(analysis, analysis.report.paragraphs))
    counts = {
        "report": count_tokens(settings, analysis.document.text),
        "system": count_tokens(settings, messages[0]["content"]),
        "user": count_tokens(settings, messages[1]["content"]),
    }
    exchanges = _chat_exchanges(vcr)
    assert len(exchanges) == 1 and summary.provenance.calls == summary.provenance.attempts == 1
    request, response = exchanges[0]
    assert request["response_format"] == {"type": "json_object", "schema": Draft.model_json_schema()}
    assert [m["content"] for m in request["messages"]] == [m["content"] for m in messages]  # no schema pasted in
    assert summary.provenance.usage.prompt_tokens == response["usage"]["prompt_tokens"]
    assert all(count > 0 for count in counts.values())
    problems = _problems(analysis, response)
    if problems is not None:
        assert summary.provenance.dropped_claims == len(problems)
    assert [r.rule_id for r in summary.risks if r.source == "rule"] == [f.rule_id for f in analysis.findings]
    assert_verbatim(summary, analysis.document.text)


def test_json_object_schema_reasks_until_an_answer_repeats(maojun: Analysis, vcr: Any) -> None:
    summary = _run(maojun, "json_object_schema", max_attempts=3)
    exchanges = _chat_exchanges(vcr)
    provenance = summary.provenance
    assert provenance.calls == 1 and provenance.attempts == len(exchanges)
    _assert_reasks_carry_problems(maojun, exchanges)
    answers = [_answer_text(r) for _, r in exchanges]
    last_problems = _problems(maojun, exchanges[-1][1])
    if len(exchanges) < 3 and last_problems:  # stopped early with problems left: only because the answer repeated
        drafts = [Draft.model_validate_json(a).model_dump_json() for a in answers]
        assert drafts[-1] in drafts[:-1]
        assert any("与之前相同" in note for note in provenance.notes)
    if last_problems is None:  # not even a Draft: the whole answer is dropped and counted
        assert provenance.model_claims == 0 and provenance.dropped_claims >= 1
    else:
        assert provenance.dropped_claims == len(last_problems) and provenance.dropped_reasons == last_problems[:20]
    assert provenance.usage.prompt_tokens == sum(r["usage"]["prompt_tokens"] for _, r in exchanges)
    assert provenance.usage.completion_tokens == sum(r["usage"]["completion_tokens"] for _, r in exchanges)
    assert_verbatim(summary, maojun.document.text)


def test_tools_mode_on_the_local_server(maojun: Analysis, vcr: Any) -> None:
    summary = _run(maojun, "tools", max_attempts=1)  # a tools reask sends a `tool` message the Gemma template rejects
    exchanges = _chat_exchanges(vcr)
    assert all(request["tool_choice"]["type"] == "function" for request, _ in exchanges)
    assert summary.provenance.attempts == len(exchanges) and summary.provenance.mode == "tools"
    assert len(exchanges) == 1
    assert_verbatim(summary, maojun.document.text)


def test_json_schema_mode_is_rejected_by_the_local_server(maojun: Analysis, vcr: Any) -> None:
    with pytest.raises(LLMError) as raised:
        _run(maojun, "json_schema", transport_retries=0)
    assert "HTTP 500" in raised.value.user_message()
    assert len(vcr.requests) == 1


def test_md_json_is_not_enforced_so_the_model_runs_until_cut_off(maojun: Analysis, vcr: Any) -> None:
    with pytest.raises(TruncatedOutputError):
        _run(maojun, "md_json", max_tokens=256)
    exchanges = _chat_exchanges(vcr)
    assert len(exchanges) == 1, "truncation must fail fast, not loop through reasks"
    request, response = exchanges[0]
    assert "response_format" not in request and "tools" not in request  # nothing for the server to enforce
    assert response["choices"][0]["finish_reason"] == "length"
    assert _problems(maojun, response) is None  # what came back is not a Draft


def test_truncation_fails_fast_with_a_clear_message(maojun: Analysis, vcr: Any) -> None:
    with pytest.raises(TruncatedOutputError) as raised:
        _run(maojun, "json_object_schema", max_tokens=2)  # the shortest answer, "{ }", takes 4 tokens
    assert "截断" in raised.value.user_message()
    exchanges = _chat_exchanges(vcr)
    assert len(exchanges) == 1 and exchanges[0][1]["choices"][0]["finish_reason"] == "length"


def test_long_report_is_split_by_parts(vcr: Any) -> None:
    analysis = analyze_path(EXAMPLES_DIR / "yangjiabo-2024.txt")
    summary = _run(analysis, "json_object_schema", context_chars=2000, max_attempts=1)
    chunks = split_report(analysis.report, 2000)
    exchanges = _chat_exchanges(vcr)
    assert len(chunks) > 1 and summary.provenance.calls == len(chunks) == len(exchanges)
    for chunk, (request, _) in zip(chunks, exchanges, strict=False):
        prompt = request["messages"][-1]["content"]
        listing = build_listing(analysis, chunk.paragraphs)
        assert listing.text in prompt
        numbers = sorted(int(sid[1:]) for sid in listing.sentences)
        assert not re.search(rf"S{numbers[-1] + 1}(?!\d)", prompt)  # the next chunk's sentences are not sent
    assert [r.rule_id for r in summary.risks if r.source == "rule"] == [f.rule_id for f in analysis.findings]
    assert_verbatim(summary, analysis.document.text)


def test_cli_auto_engine_and_mode_end_to_end(monkeypatch: pytest.MonkeyPatch, vcr: Any) -> None:
    monkeypatch.setenv("FAZHI_BASE_URL", LOCAL_URL)
    monkeypatch.setenv("FAZHI_MODEL", LOCAL_MODEL)
    result = CliRunner().invoke(app, ["summarize", str(MAOJUN), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "使用 LLM 引擎" in result.stderr
    summary = ReportSummary.model_validate_json(result.stdout)
    assert summary.provenance.engine == "llm" and summary.provenance.mode == "json_object_schema"
    assert summary.provenance.attempts == len(_chat_exchanges(vcr)) - 4  # the probe made four calls
    assert_verbatim(summary, MAOJUN.read_text(encoding="utf-8"))
