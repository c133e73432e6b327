"""The county roll-up as 汇总表.xlsx (openpyxl): the sheets a reviewer filters and sorts.

总览 (one row per report), 量化指标 (reports × taxonomy categories), 量化指标明细 (one row per
indicator, with its quote and offsets), 合规风险 (one row per finding, cross-report findings
once per report they involve), 不足与整改 (each 不足 with its measures). Header frozen, filters
on, widths fitted, 高 severity filled red.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from fazhi_review.county import ReportRow, Rollup
from fazhi_review.facts.taxonomy import CATEGORIES, label
from fazhi_review.models import PART_LABELS, REQUIRED_PARTS

HIGH_FILL = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
_HEADER_FILL = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
_MAX_WIDTH = 60
_SOURCE = {"rule": "规则", "llm": "模型研判"}

OVERVIEW_HEADER = [
    "文件", "报告单位", "层级", "报告年度", "落款日期", "按时报送",
    *(PART_LABELS[p] for p in REQUIRED_PARTS),
    "亮点", "量化指标", "不足", "整改措施", "高风险", "中风险", "低风险", "跨报告发现", "审阅结论",
]  # fmt: skip


def _clean(value: Any) -> Any:
    """Cell-safe text: no control characters openpyxl refuses, no accidental formulas."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return "'" + value if value.startswith("=") else value
    return value


def _width(value: Any) -> int:
    text = str(value) if value is not None else ""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _sheet(book: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], high_columns: Sequence[str] = ()) -> Worksheet:
    sheet = book.create_sheet(title)
    sheet.append(list(header))
    widths = [_width(h) for h in header]
    high_at = [header.index(c) + 1 for c in high_columns]
    for values in rows:
        sheet.append([_clean(v) for v in values])
        widths = [max(w, _width(v)) for w, v in zip(widths, values, strict=False)]
        for column in high_at:
            cell = sheet.cell(row=sheet.max_row, column=column)
            if cell.value == "高" or (isinstance(cell.value, int) and cell.value > 0 and header[column - 1] == "高风险"):
                cell.fill = HIGH_FILL
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 6), _MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    return sheet


def _overview_row(row: ReportRow, cross: int) -> list[Any]:
    s, meta = row.summary, row.summary.meta
    severities = [r.severity for r in s.risks]
    on_time = {True: "是", False: "否", None: "未识别"}[row.on_time]
    return [
        row.source_file, meta.issuer, meta.level, meta.report_year, meta.signed_date.isoformat() if meta.signed_date else None, on_time,
        *("✓" if s.parts.get(p) is not None else "✗" for p in REQUIRED_PARTS),
        len(s.highlights), len(s.indicators), len(s.shortcomings), len(s.measures),
        severities.count("高"), severities.count("中"), severities.count("低"), cross, row.verdict,
    ]  # fmt: skip


def _indicator_matrix(rollup: Rollup) -> tuple[list[str], list[list[Any]]]:
    keys = list(CATEGORIES)
    rows = []
    for row in rollup.reports:
        cells: dict[str, list[str]] = {k: [] for k in keys}
        for i in row.summary.indicators:
            cells[i.category].append(f"{i.value:g}{i.unit}" if isinstance(i.value, float) else f"{i.value}{i.unit}")
        rows.append([row.summary.meta.issuer or row.name, row.source_file, *("；".join(cells[k]) or None for k in keys)])
    return ["报告单位", "文件", *(CATEGORIES[k] for k in keys)], rows


def _indicator_rows(rollup: Rollup) -> Iterable[list[Any]]:
    for row in rollup.reports:
        for i in row.summary.indicators:
            e = i.evidence
            yield [row.source_file, row.summary.meta.issuer, i.name, label(i.category), i.value, i.unit, i.qualifier, e.quote, e.start, e.end]


def _risk_rows(rollup: Rollup) -> Iterable[list[Any]]:
    for row in rollup.reports:
        for r in row.summary.risks:
            e = r.evidence
            yield [row.source_file, row.summary.meta.issuer, r.rule_id, r.title, r.severity, r.explanation,
                   e.quote if e else None, e.start if e else None, e.end if e else None, r.basis, _SOURCE[r.source], None]  # fmt: skip
    for finding in rollup.cross_findings:
        for side in finding.sides:
            others = "；".join(o.source_file for o in finding.sides if o is not side)
            e = side.evidence
            yield [side.source_file, side.issuer, finding.rule_id, finding.title, finding.severity, finding.explanation,
                   e.quote, e.start, e.end, finding.basis, "跨报告", others]  # fmt: skip


def _shortcoming_rows(rollup: Rollup) -> Iterable[list[Any]]:
    for row in rollup.reports:
        s = row.summary
        for index, item in enumerate(s.shortcomings):
            measures = [m.text for m in s.measures if index in m.addresses]
            yield [row.source_file, s.meta.issuer, index + 1, item.text, "是" if item.has_reason else "否",
                   "\n".join(measures) or None, "✓" if measures else "✗", item.evidence.start, item.evidence.end]  # fmt: skip


def rollup_xlsx_bytes(rollup: Rollup) -> bytes:
    book = Workbook()
    book.remove(book.active)
    cross_counts = {row.name: len(rollup.cross_for(row.name)) for row in rollup.reports}
    _sheet(book, "总览", OVERVIEW_HEADER, (_overview_row(r, cross_counts[r.name]) for r in rollup.reports), high_columns=["高风险"])
    header, matrix = _indicator_matrix(rollup)
    _sheet(book, "量化指标", header, matrix)
    _sheet(book, "量化指标明细", ["文件", "报告单位", "指标", "类别", "数值", "单位", "修饰", "原文", "起", "止"], _indicator_rows(rollup))
    risk_header = ["文件", "报告单位", "规则编号", "标题", "严重程度", "说明", "原文", "起", "止", "依据", "来源", "另一份报告"]
    _sheet(book, "合规风险", risk_header, _risk_rows(rollup), high_columns=["严重程度"])
    sc_header = ["文件", "报告单位", "不足序号", "不足", "有原因分析", "对应措施", "有对应措施", "起", "止"]
    _sheet(book, "不足与整改", sc_header, _shortcoming_rows(rollup))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
