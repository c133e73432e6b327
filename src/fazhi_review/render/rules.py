"""``fazhi rules``: the rule pack as Markdown or JSON."""

from __future__ import annotations

import json

from fazhi_review.checks.catalogue import RULE_PACK_VERSION, RULES


def render_rules(output_format: str) -> str:
    if output_format == "json":
        rows = [{"id": r.id, "title": r.title, "severity": r.severity, "kind": r.kind, "basis": r.basis, "description": r.description} for r in RULES.values()]
        return json.dumps({"rule_pack": RULE_PACK_VERSION, "rules": rows}, ensure_ascii=False, indent=2) + "\n"
    lines = [f"# 规则包 {RULE_PACK_VERSION}（{len(RULES)} 条）", ""]
    for rule in RULES.values():
        kind = "规则" if rule.kind == "rule" else "模型研判"
        lines.append(f"- `{rule.id}` [{rule.severity}]（{kind}）{rule.title}：{rule.description}\n  依据：{rule.basis}")
    return "\n".join(lines) + "\n"
