"""THE table of 修改完善意见: one concrete action template per rule id, in one place.

``{quotes}`` is filled with the short quotes of the findings the action speaks for (“@件”、“XX”);
a rule without a quote (a missing part) gets a template without one. Outdated references are
rewritten to the current document they should cite, found from the quote itself.
"""

from __future__ import annotations

from fazhi_review.models import PART_LABELS

_PART_ACTIONS: dict[str, str] = {
    "achievements": "补充“上一年度推进法治政府建设的主要举措和成效”部分，写明主要做法和具体成效",
    "first_responsible": "补充“党政主要负责人履行推进法治建设第一责任人职责、加强法治政府建设的有关情况”部分",
    "shortcomings": "补充“存在的不足”部分，结合本单位实际如实查摆问题",
    "reasons": "补充“不足的原因”部分，逐条分析不足产生的原因",
    "next_year_plan": "补充“下一年度推进法治政府建设的主要安排”部分，写明具体措施",
}

ACTIONS: dict[str, str] = {
    **{f"missing-part:{part}": text for part, text in _PART_ACTIONS.items()},
    **{f"empty-part:{part}": text for part, text in _PART_ACTIONS.items()},
    "heading-numbering": "按“一、（一）1.（1）”的层次调整标题序号，消除{quotes}处的重复或跳号",
    "repeated-text": "删去重复的文字（{quotes}）",
    "placeholder": "将{quotes}填写为实际内容（数字、名称或日期）",
    "outdated-reference": "将{quotes}更正为现行表述",
    "late-report": "按规定时限报送年度报告，并核对落款日期",
    "plan-year-mismatch": "将下一年度安排的年份更正为报告年度的次年（{quotes}）",
    "percent-over-100": "核对并更正{quotes}中超过100%的比率",
    "rate-arithmetic": "核对{quotes}中的件数与比率，使二者相互印证",
    "thin-shortcomings": "充实“存在的不足”部分，具体写明问题表现，避免一笔带过",
    "self-reported-risk": "核实{quotes}所述做法是否合法合规，并写明整改措施",
    "off-scope-text": "核实{quotes}是否照搬其他单位材料，按本单位实际改写",
    "generic-text": "结合本单位实际改写{quotes}，避免泛泛而谈",
    "unaddressed-shortcoming": "在下一年度安排中补充针对{quotes}的整改措施",
    "implausible-claim": "核实{quotes}所依据的数据，必要时修改结论",
    "copied-passage": "核实{quotes}是否照搬其他单位材料，按本单位实际重写",
    "not-a-report": "核实报送的文件是否正确，按《法治政府建设与责任落实督察工作规定》的要求重新报送年度法治政府建设情况报告",
    "prompt-injection": "删除{quotes}等针对审核系统的指令性文字，报告只陈述工作情况",
    "repeated-shortcoming": "说明上年已查摆的{quotes}为何仍未整改到位，并提出有针对性的整改措施",
    "inconsistent-figure": "核对{quotes}与上年度报告所报数据，更正不一致之处",
}
DEFAULT_ACTION = "按上述问题修改完善（{quotes}）"

#: outdated wording found in a quote → the current document or wording to cite instead
CURRENT_REFERENCES: tuple[tuple[str, str], ...] = (
    ("2015—2020", "现行《法治政府建设实施纲要（2021—2025年）》"),
    ("2015-2020", "现行《法治政府建设实施纲要（2021—2025年）》"),
    ("七五", "“八五”普法规划"),
    ("法制政府", "“法治政府”"),
    ("廉洁高效、守法诚信", "“智能高效、廉洁诚信、人民满意”"),
    ("民法通则", "《中华人民共和国民法典》"),
    ("合同法", "《中华人民共和国民法典》"),
    ("物权法", "《中华人民共和国民法典》"),
    ("侵权责任法", "《中华人民共和国民法典》"),
    ("婚姻法", "《中华人民共和国民法典》"),
    ("继承法", "《中华人民共和国民法典》"),
)


def _current_for(quotes: list[str]) -> list[str]:
    found: list[str] = []
    for quote in quotes:
        for old, new in CURRENT_REFERENCES:
            if old in quote and new not in found:
                found.append(new)
    return found


def action_text(rule_id: str, quotes: list[str]) -> str:
    """The action sentence for one problem point (without the number and the closing 。)."""
    shown = "、".join(f"“{q}”" for q in quotes) if quotes else "相关表述"
    if rule_id == "outdated-reference":
        current = _current_for(quotes)
        if current:
            return f"将{shown}更正为{'、'.join(current)}"
    if rule_id.startswith("missing-part:") and rule_id not in ACTIONS:
        return f"补充“{PART_LABELS.get(rule_id.split(':', 1)[1], '缺少的')}”部分"
    return ACTIONS.get(rule_id, DEFAULT_ACTION).format(quotes=shown)
