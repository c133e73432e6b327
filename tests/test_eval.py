"""`fazhi eval`: scores computed against gold, for the offline engine and for doctored summaries."""

from __future__ import annotations

import json

import pytest
from conftest import GOLD_DIR, REPORTS_DIR, gold_cases
from typer.testing import CliRunner

from fazhi_review.analysis import analyze_path
from fazhi_review.cli import app
from fazhi_review.engine import summarize_offline
from fazhi_review.evaluate import evaluate, score_report, totals
from fazhi_review.models import Evidence
from fazhi_review.pipeline import SummarizeOptions


@pytest.fixture(scope="module")
def offline_scores() -> list:
    return evaluate(GOLD_DIR, REPORTS_DIR, SummarizeOptions(engine="offline"))


def test_offline_engine_meets_the_foundation_bar(offline_scores: list) -> None:
    total = totals(offline_scores)
    assert len(offline_scores) == len(gold_cases())
    assert total["parts_correct"] == total["parts_total"]
    assert total["indicators_found"] >= 0.95 * total["indicators_gold"]
    assert total["rule_findings_found"] == total["rule_findings_gold"]
    assert total["ungrounded_emitted"] == 0 and total["dropped_claims"] == 0
    assert total["calls"] == 0 and total["prompt_tokens"] == 0


def test_scores_drop_when_the_summary_loses_what_gold_expects() -> None:
    gold, original = next((g, o) for g, o in gold_cases() if g["report"] == "xumingsi-2023.txt")
    summary = summarize_offline(analyze_path(REPORTS_DIR / gold["report"]))
    full = score_report(summary, gold, original)
    fewer = summary.model_copy(update={"indicators": summary.indicators[1:], "risks": [r for r in summary.risks if r.rule_id != "late-report"]})
    worse = score_report(fewer, gold, original)
    assert worse.indicators_found == full.indicators_found - 1
    assert worse.rule_findings_found == full.rule_findings_found - 1


def test_a_misplaced_quote_is_counted_as_ungrounded() -> None:
    gold, original = gold_cases()[0]
    summary = summarize_offline(analyze_path(REPORTS_DIR / gold["report"]))
    moved = summary.highlights[0].evidence
    bad = summary.highlights[0].model_copy(update={"evidence": Evidence(quote=moved.quote, start=moved.start + 1, end=moved.end + 1)})
    doctored = summary.model_copy(update={"highlights": [bad, *summary.highlights[1:]]})
    assert score_report(doctored, gold, original).ungrounded_emitted == 1


def test_cli_table_and_json() -> None:
    runner = CliRunner()
    table = runner.invoke(app, ["eval", "--gold", str(GOLD_DIR), "--reports", str(REPORTS_DIR), "--engine", "offline"])
    assert table.exit_code == 0 and "合计" in table.stdout and "法定部分" in table.stdout
    data = runner.invoke(app, ["eval", "--gold", str(GOLD_DIR), "--reports", str(REPORTS_DIR), "--engine", "offline", "--format", "json"])
    parsed = json.loads(data.stdout)
    assert {r["report"] for r in parsed["reports"]} == {g["report"] for g, _ in gold_cases()}


def test_cli_empty_gold_dir_is_a_usage_error(tmp_path) -> None:
    result = CliRunner().invoke(app, ["eval", "--gold", str(tmp_path), "--reports", str(REPORTS_DIR), "--engine", "offline"])
    assert result.exit_code == 2 and "错误:" in result.stderr
