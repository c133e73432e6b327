"""``fazhi eval`` scores as a Markdown table or JSON.

Takes the score rows as dataclasses (``evaluate.ReportScore``) without importing the evaluate
stage, which sits above render.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any


def _ratio(found: int, total: int) -> str:
    return f"{found}/{total} ({found / total:.2f})" if total else "—"


def _totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    keys = [k for k in rows[0] if k != "report"] if rows else []
    return {"report": "合计", **{k: sum(row[k] for row in rows) for k in keys}}


def _line(s: dict[str, Any]) -> str:
    per_char = f"{s['prompt_tokens']} ({s['prompt_tokens'] / s['characters']:.2f})" if s["characters"] else "0"
    return (
        f"| {s['report']} | {_ratio(s['parts_correct'], s['parts_total'])} | {_ratio(s['indicators_found'], s['indicators_gold'])} "
        f"| {_ratio(s['indicators_matching'], s['indicators_emitted'])} | {_ratio(s['rule_findings_found'], s['rule_findings_gold'])} "
        f"| {_ratio(s['judgement_findings_found'], s['judgement_findings_gold'])} | {_ratio(s['shortcomings_found'], s['shortcomings_gold'])} "
        f"| {s['dropped_claims']} | {s['ungrounded_emitted']} | {s['calls']}/{s['attempts']} | {per_char} |"
    )


def render_scores(scores: Sequence[Any], output_format: str) -> str:
    rows = [asdict(s) for s in scores]
    total = _totals(rows)
    if output_format == "json":
        return json.dumps({"reports": rows, "total": {k: v for k, v in total.items() if k != "report"}}, ensure_ascii=False, indent=2) + "\n"
    header = "| 报告 | 法定部分 | 指标召回 | 指标精确 | 规则发现 | 研判发现 | 不足召回 | 丢弃无据 | 输出无据 | 调用/尝试 | 输入令牌（每字） |"
    lines = [header, "|" + " --- |" * 11]
    lines += [_line(row) for row in [*rows, total]] if rows else []
    return "\n".join(lines) + "\n"
