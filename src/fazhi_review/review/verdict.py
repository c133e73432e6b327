"""The verdict line: which of 通过 / 修改完善后报送 / 退回重报, and why, from a configurable policy."""

from __future__ import annotations

from collections.abc import Callable

from fazhi_review.models import Risk
from fazhi_review.review.model import Verdict, VerdictPolicy


def decide_verdict(risks: list[Risk], policy: VerdictPolicy) -> tuple[Verdict, list[str]]:
    """The strictest outcome any finding calls for, with one reason per rule that calls for it."""
    returned = _reasons(risks, lambda r: r.rule_id in policy.return_rule_ids, "需退回重报")
    if returned:
        return "退回重报", returned
    revise = _reasons(
        risks,
        lambda r: (
            r.severity in policy.revise_severities
            or r.rule_id in policy.revise_rule_ids
            or (policy.revise_on_missing_part and r.rule_id.startswith("missing-part:"))
        ),
        "需修改完善",
    )
    if revise:
        return "修改完善后报送", revise
    if risks:
        return "通过", [f"仅有{len(risks)}处一般性问题（{'、'.join(sorted({r.severity for r in risks}, key='高中低'.index))}），修改后即可"]
    return "通过", ["规则检查未发现问题"]


def _reasons(risks: list[Risk], applies: Callable[[Risk], bool], outcome: str) -> list[str]:
    seen: list[str] = []
    reasons = []
    for risk in risks:
        if applies(risk) and risk.rule_id not in seen:
            seen.append(risk.rule_id)
            reasons.append(f"{risk.title}（{risk.rule_id}，{risk.severity}）{outcome}")
    return reasons
