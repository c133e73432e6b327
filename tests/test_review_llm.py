"""The LLM wording of a 审阅意见 against the REAL local server, replayed from cassettes recorded
with ``pytest tests/test_review_llm.py --record-mode=rewrite`` (server: gemma3-270m on
127.0.0.1:8765, see local-llm notes). The model is a small base model: whatever it says, the
draft that comes out must be valid — a paragraph is the model's only when it passed validation,
otherwise it is the template text and the provenance says so."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from conftest import EXAMPLES_DIR
from fazhi_review.analysis import analyze_path
from fazhi_review.config import LLMSettings
from fazhi_review.engine import summarize_offline
from fazhi_review.llm.client import openai_client
from fazhi_review.review import ReviewSettings, draft_review
from fazhi_review.review.wording import WordingCheck, WordingRun, reword

pytestmark = pytest.mark.vcr

LOCAL_URL = "http://127.0.0.1:8765/v1"
LOCAL_MODEL = "gemma3-270m"


def _chat_bodies(cassette: Any) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in cassette.requests if r.path.endswith("/chat/completions")]


def test_local_model_wording_is_validated_or_replaced_by_the_template(vcr: Any) -> None:
    summary = summarize_offline(analyze_path(EXAMPLES_DIR / "maojun-2024.txt"))
    draft = draft_review(summary, ReviewSettings(issuer="某县委依法治县办", date=dt.date(2026, 11, 23)))
    settings = LLMSettings(base_url=LOCAL_URL, model=LOCAL_MODEL, mode="json_object_schema", max_attempts=2, max_tokens=320)
    run = WordingRun(settings, "json_object_schema", openai_client(settings).chat.completions.create)
    result = reword(draft, summary, run)

    check = WordingCheck.of(summary, draft)
    if result.provenance.wording["overall"] == "llm":
        assert check.problems(result.overall.paragraphs[0]) == []
    else:
        assert result.overall.paragraphs == draft.overall.paragraphs
        assert any("总体评价" in note for note in result.provenance.notes)
    if result.provenance.wording["actions"] == "llm":
        assert all(check.problems(a.text) == [] for a in result.actions)
    else:
        assert result.actions == draft.actions
        assert any("修改完善意见" in note for note in result.provenance.notes)
    assert result.problems == draft.problems and result.verdict == draft.verdict

    bodies = _chat_bodies(vcr)
    assert len(bodies) == result.provenance.attempts >= 2
    assert draft.overall.paragraphs[0] in bodies[0]["messages"][-1]["content"], "the template is what the model rewords"
    assert bodies[0]["response_format"]["type"] == "json_object"
    reasks = [b for b in bodies if len(b["messages"]) > 1]
    assert all("不" in b["messages"][-1]["content"] or "error" in b["messages"][-1]["content"].lower() for b in reasks)
    assert result.provenance.model == LOCAL_MODEL and result.provenance.endpoint_host == "127.0.0.1"


def test_cli_from_summary_with_the_llm_engine(vcr: Any, tmp_path: Any) -> None:
    """The command wires the engine choice through: --from makes no summary call, only wording calls."""
    from typer.testing import CliRunner

    from fazhi_review.cli import app

    runner = CliRunner()
    summary_path = tmp_path / "summary.json"
    made = runner.invoke(app, ["summarize", str(EXAMPLES_DIR / "suhe-2021.txt"), "--offline", "--format", "json", "-o", str(summary_path)])
    assert made.exit_code == 0, made.stderr
    out = tmp_path / "意见.json"
    args = ["review", "--from", str(summary_path), "--engine", "llm", "--base-url", LOCAL_URL, "--model", LOCAL_MODEL, "--mode", "json_object_schema"]
    result = runner.invoke(app, [*args, "--date", "2026-11-23", "--issuer", "某县委依法治县办", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    draft = json.loads(out.read_text(encoding="utf-8"))
    provenance = draft["provenance"]
    assert provenance["engine"] == "llm" and provenance["model"] == LOCAL_MODEL and provenance["mode"] == "json_object_schema"
    assert set(provenance["wording"]) == {"overall", "actions"}
    assert len(_chat_bodies(vcr)) == provenance["attempts"] >= 2
    assert all("Authorization" not in str(r.headers) for r in vcr.requests)
