"""The county roll-up as 汇总表.xlsx (openpyxl): the sheets a reviewer filters and sorts.

总览 (one row per report), 量化指标 (reports × taxonomy categories), 量化指标明细 (one row per
indicator, with its quote and offsets), 合规风险 (one row per finding, cross-report findings
once per report whose 审阅意见 carries them), 不足与整改 (each 不足 with its measures). Header frozen, filters
on, widths fitted, 高 severity filled red.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from fazhi_review.county import ReportRow, Rollup, addressed_sides
from fazhi_review.facts.taxonomy import CATEGORIES, label
from fazhi_review.models import PART_LABELS, REQUIRED_PARTS, Indicator
from fazhi_review.text import COMPARISON

HIGH_FILL = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
_HEADER_FILL = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
_HEADER_FONT = Font(bold=True)
_HEADER_ALIGNMENT = Alignment(vertical="center", wrap_text=True)
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


_NARROW = re.compile("[\x00-\u2e80]+")


def _width(value: Any) -> int:
    """Display width: CJK and other characters above U+2E80 count twice."""
    text = str(value) if value is not None else ""
    return len(text) + len(_NARROW.sub("", text))


def _styled(sheet: WriteOnlyWorksheet, value: Any, **style: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _is_high(value: Any, column: str) -> bool:
    return value == "高" or (isinstance(value, int) and value > 0 and column == "高风险")


def _sheet(book: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], high_columns: Sequence[str] = ()) -> WriteOnlyWorksheet:
    """A write-only sheet (openpyxl's normal mode keeps a cell object per value and styles each
    one through the workbook, several times slower for a prefecture's thousands of rows): the
    rows are materialised first because column widths precede the rows in the file."""
    raw = [list(values) for values in rows]
    widths = [_width(h) for h in header]
    for values in raw:
        widths = [max(w, _width(v)) for w, v in zip(widths, values, strict=False)]
    cleaned = [[_clean(v) for v in values] for values in raw]
    sheet = book.create_sheet(title)
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 6), _MAX_WIDTH)
    sheet.freeze_panes = "A2"
    last_column = max([len(header), *(len(values) for values in cleaned)])
    sheet.auto_filter.ref = f"A1:{get_column_letter(last_column)}{len(cleaned) + 1}"
    sheet.append([_styled(sheet, h, font=_HEADER_FONT, fill=_HEADER_FILL, alignment=_HEADER_ALIGNMENT) for h in header])
    high_at = [header.index(c) for c in high_columns]
    for values in cleaned:
        for column in high_at:
            if column < len(values) and _is_high(values[column], header[column]):
                values[column] = _styled(sheet, values[column], fill=HIGH_FILL)
        sheet.append(values)
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
            cells[i.category].append(_matrix_value(i))
        # a figure restated ("…5件，比上年增加3件，达到5件") is shown once
        rows.append([row.summary.meta.issuer or row.name, row.source_file, *("；".join(dict.fromkeys(cells[k])) or None for k in keys)])
    return ["报告单位", "文件", *(CATEGORIES[k] for k in keys)], rows


def _matrix_value(indicator: Indicator) -> str:
    """"5件", or "比上年增加3件" for a change, so a reader of the matrix does not take the
    increase for this year's count."""
    value = indicator.value
    amount = f"{value:g}{indicator.unit}" if isinstance(value, float) else f"{value}{indicator.unit}"
    change = COMPARISON.search(indicator.name)
    return f"{change.group(0)}{amount}" if change else amount


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
        for side in addressed_sides(finding):  # the reports whose 审阅意见 carry it
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
    book = Workbook(write_only=True)
    cross_counts = {row.name: len(rollup.cross_addressed_to(row.name)) for row in rollup.reports}
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
