"""ReportSummary → Markdown a reviewer reads: every claim followed by its quote and offsets."""

from __future__ import annotations

from fazhi_review.checks.catalogue import RULES
from fazhi_review.facts.taxonomy import label
from fazhi_review.models import PART_LABELS, REQUIRED_PARTS, Evidence, ReportSummary

_SEVERITY_ORDER = {"高": 0, "中": 1, "低": 2}
_QUOTE_MAX = 120


def table_cell(text: str) -> str:
    """Text for a Markdown table cell: a pipe escaped, a line break made a space."""
    return text.replace("|", "\\|").replace("\n", " ")


def _quote(evidence: Evidence) -> str:
    quote = evidence.quote.replace("\n", " ")
    if len(quote) > _QUOTE_MAX:
        quote = quote[:_QUOTE_MAX] + "…"
    return f"> 「{quote}」（{_where(evidence)}）"


def _where(evidence: Evidence) -> str:
    """第N页 / 第N段 a reviewer can find in the file, then the exact character offsets."""
    places = [f"第{evidence.page}页"] if evidence.page else []
    places += [f"第{evidence.paragraph}段"] if evidence.paragraph else []
    # 1-based as a reader counts (the JSON keeps Python's 0-based offsets: original[start:end])
    return " ".join([*places, f"原文第 {evidence.start + 1}–{evidence.end} 字"])


def _header(summary: ReportSummary) -> list[str]:
    meta = summary.meta
    title = meta.title or meta.source_file
    signed = meta.signed_date.isoformat() if meta.signed_date else "未识别"
    facts = [
        f"报告单位：{meta.issuer or '未识别'}",
        f"报告年度：{meta.report_year or '未识别'}",
        f"计划年度：{meta.plan_year or '未写明'}",
        f"落款日期：{signed}" if meta.signed_source in (None, "落款") else f"网页所载{meta.signed_source}（无落款）：{signed}",
    ]
    ocr = "，文字由 OCR 识别" if meta.ocr else ""
    source = f"来源：`{meta.source_file}`（{meta.format}{'，' + meta.encoding if meta.encoding else ''}，{meta.characters} 字{ocr}）"
    return [f"# 审阅摘要：{title}", "", " · ".join(facts), "", source, "", "## 概述", "", summary.overview, ""]


def _parts(summary: ReportSummary) -> list[str]:
    lines = ["## 法定部分", "", "| 部分 | 情况 | 位置 |", "| --- | --- | --- |"]
    for part in (*REQUIRED_PARTS, "other"):
        location = summary.parts.get(part)
        if location is None:
            status = "— 未写" if part == "other" else "✗ 缺失"
            lines.append(f"| {PART_LABELS[part]} | {status} | |")
            continue
        where = f"第 {location.start}–{location.end} 字" + (f"（{table_cell(location.heading)}）" if location.heading else "")
        if location.segments > 1:  # the largest of several: say so, or it reads as the only one
            where = f"{location.segments}处，最长一处{where}"
        lines.append(f"| {PART_LABELS[part]} | ✓ 有 | {where} |")
    return [*lines, ""]


def _risks(summary: ReportSummary) -> list[str]:
    lines = [f"## 合规风险（{len(summary.risks)}）", ""]
    if not summary.risks:
        return [*lines, "未发现。", ""]
    for risk in sorted(summary.risks, key=lambda r: _SEVERITY_ORDER[r.severity]):
        origin = "规则" if risk.source == "rule" else "模型研判"
        lines.append(f"- **[{risk.severity}] {risk.title}** `{risk.rule_id}`（{origin}）：{risk.explanation}")
        if risk.evidence:
            lines.append(f"  {_quote(risk.evidence)}")
        lines.append(f"  依据：{risk.basis}")
    return [*lines, ""]


def _highlights(summary: ReportSummary) -> list[str]:
    lines = [f"## 亮点（{len(summary.highlights)}）", ""]
    for number, item in enumerate(summary.highlights, 1):
        lines += [f"{number}. {item.text}（{label(item.category)}）", f"   {_quote(item.evidence)}"]
    return [*lines, ""]


def _indicators(summary: ReportSummary) -> list[str]:
    lines = [f"## 量化指标（{len(summary.indicators)}）", ""]
    if not summary.indicators:
        return [*lines, "报告未列出可统计的数字。", ""]
    lines += ["| # | 指标 | 数值 | 类别 | 原文 | 位置 |", "| --- | --- | --- | --- | --- | --- |"]
    for number, item in enumerate(summary.indicators, 1):
        value = f"{item.value}{item.qualifier or ''}{item.unit}" if item.qualifier in ("余", "多") else f"{item.qualifier or ''}{item.value}{item.unit}"
        where = _where(item.evidence).replace("原文第 ", "").replace(" 字", "")
        lines.append(f"| {number} | {table_cell(item.name)} | {value} | {label(item.category)} | {table_cell(item.evidence.quote)} | {where} |")
    return [*lines, ""]


def _shortcomings(summary: ReportSummary) -> list[str]:
    lines = [f"## 存在的不足（{len(summary.shortcomings)}）", ""]
    for number, item in enumerate(summary.shortcomings, 1):
        reason = "有原因分析" if item.has_reason else "未分析原因"
        lines += [f"{number}. {item.text}（{reason}）", f"   {_quote(item.evidence)}"]
    return [*lines, ""]


def _measures(summary: ReportSummary) -> list[str]:
    lines = [f"## 整改措施与下一年度安排（{len(summary.measures)}）", ""]
    for number, item in enumerate(summary.measures, 1):
        target = "、".join(f"不足{i + 1}" for i in item.addresses) if item.addresses else "未对应具体不足"
        lines += [f"{number}. {item.text}（对应：{target}）", f"   {_quote(item.evidence)}"]
    unaddressed = set(range(len(summary.shortcomings))) - {i for m in summary.measures for i in m.addresses}
    if summary.shortcomings and unaddressed:
        lines += ["", "未见对应措施的不足：" + "、".join(f"不足{i + 1}" for i in sorted(unaddressed))]
    return [*lines, ""]


def _provenance(summary: ReportSummary) -> list[str]:
    p = summary.provenance
    lines = ["## 生成信息", "", f"- 引擎：{p.engine}（fazhi-review {p.tool_version}，规则包 {p.rule_pack}，{len(RULES)} 条规则）"]
    if p.engine == "llm":
        lines += [
            f"- 模型：{p.model} @ {p.endpoint_host}，模式 {p.mode}，调用 {p.calls} 次、尝试 {p.attempts} 次",
            f"- 令牌：输入 {p.usage.prompt_tokens}，输出 {p.usage.completion_tokens}；丢弃无据内容 {p.dropped_claims} 条",
            f"- 提示词哈希 {p.prompt_hash}，模式哈希 {p.schema_hash}",
        ]
    lines += [f"- 说明：{note}" for note in p.notes]
    lines.append("- 所有引文均逐字摘自原文；第N页/第N段为原文的页码与段落（非空行）序号，“原文第 a–b 字”为第 a 到第 b 个字（从 1 数起），指向 `fazhi text` 输出的文本（JSON 中的偏移从 0 起、左闭右开：start = a − 1，end = b）。")
    return [*lines, ""]


def render_markdown(summary: ReportSummary) -> str:
    sections = [_header, _parts, _risks, _highlights, _indicators, _shortcomings, _measures, _provenance]
    return "\n".join(line for build in sections for line in build(summary)).rstrip() + "\n"
