"""The probe result of ``fazhi doctor`` as a short Chinese report."""

from __future__ import annotations

from fazhi_review.llm.probe import ProbeResult

_SUPPORT = {"enforced": "✓ 生效（输出符合 Schema）", "accepted": "△ 接受但未强制", "rejected": "✗ 拒绝", "untested": "— 未测"}
_MODES = [
    ("json_schema", "json_schema（response_format=json_schema）"),
    ("json_object_schema", "json + schema（response_format=json_object 附 schema）"),
    ("tools", "tools（强制工具调用）"),
    ("json_object", "json（response_format=json_object）"),
]


def render_probe(result: ProbeResult) -> str:
    lines = [f"# LLM 服务检查：{result.base_url}", ""]
    if not result.reachable:
        return "\n".join([*lines, f"✗ 无法连通：{result.error}", ""])
    listed = "✓ 已列出" if result.model_listed else "✗ 未在列表中（请检查 --model）"
    lines += ["- 可连通：✓", f"- 服务列出的模型：{', '.join(result.models) or '（无）'}", f"- 模型 {result.model}：{listed}"]
    lines += [f"- {title}：{_SUPPORT[getattr(result, key)]}" for key, title in _MODES]
    if result.error:
        lines.append(f"- 错误：{result.error}")
    recommended = result.recommended_mode or "无"
    lines += ["", f"推荐模式：{recommended}（--mode auto 时自动采用，结果已缓存）", ""]
    return "\n".join(lines)
