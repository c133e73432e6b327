"""Figures in a pasted table whose unit is not written beside the number.

A report's 主要指标 table comes out of Word, a portal page or a paste as rows whose cells are kept
apart by tabs (normalize keeps them): "1\t行政处罚案件\t件\t38\t17\t123.5%". The unit then stands
in a 单位 column, or in the column's header ("数量（件）", "2024年（万元）"), so the unit rule that
finds every other figure (a number followed by its unit) misses the table's main column. This
module reads such tables: the header row says which column holds this year's figure (the report
year's column, else the latest year's, else the first figure column) and where the unit is; a
change column (增幅, 同比, 比上年) is left to the unit rule, since its cells carry their "%".

Only a bare number cell becomes a figure, and only with a unit from the unit list: a table whose
unit cannot be read gives nothing rather than a figure of an unknown kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from fazhi_review.text import CJK, YEAR_CELL

#: a figure cell: an Arabic number only (the unit is elsewhere in the table)
_BARE_NUMBER: Final = re.compile(r"\d{1,15}(?:,\d{3}){0,4}(?:\.\d+)?")
_YEAR: Final = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
#: a unit in a header cell: "数量（件）", "2024年(万元)", "金额（单位：万元）"
_HEADER_UNIT: Final = re.compile(r"[（(](?:单位[：:])?([^（）()]{1,4})[）)]\s*$")
_UNIT_HEADER: Final = re.compile(r"(?:计量)?单位")
_CHANGE_HEADER: Final = re.compile(r"增|减|同比|环比|比上年|比去年|变化|幅度|对比")
_INDEX_HEADER: Final = re.compile(r"序号|编号|排序")
_CJK: Final = re.compile(rf"[{CJK}]")
#: a table needs a header and at least one row
_MIN_ROWS = 2


@dataclass(frozen=True)
class Cell:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class TableFigure:
    """A table's figure: its number cell (clean-text offsets), value text and unit."""

    numeral: str
    unit: str
    start: int
    end: int


def _cells(text: str, start: int, end: int) -> list[Cell]:
    cells, at = [], start
    for piece in text[start:end].split("\t"):
        stripped = piece.strip()
        offset = at + (piece.find(stripped) if stripped else 0)
        cells.append(Cell(stripped, offset, offset + len(stripped)))
        at += len(piece) + 1
    return cells


def _tables(text: str) -> list[list[list[Cell]]]:
    """Runs of consecutive lines holding a tab, as rows of cells (a lone tabbed line is no table)."""
    tables: list[list[list[Cell]]] = []
    run: list[list[Cell]] = []
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        if "\t" in text[start:end]:
            run.append(_cells(text, start, end))
        else:
            if len(run) >= _MIN_ROWS:
                tables.append(run)
            run = []
        start = end + 1
    if len(run) >= _MIN_ROWS:
        tables.append(run)
    return tables


@lru_cache(maxsize=2)
def table_rows(text: str) -> list[list[list[Cell]]]:
    """Every pasted table of the text (runs of two tab-kept rows or more), rows of cells with
    clean-text offsets; the first row is the header. Read once per text (figures, last year's
    column, header labels, the 不足 and plan tables all ask), so callers must not change them."""
    return _tables(text) if "\t" in text else []  # most reports hold no table


def split_header(rows: list[list[Cell]]) -> tuple[list[Cell], list[list[Cell]]]:
    """The header and the data rows. A header of two rows, its second giving the years of one
    column of the first (Word's merged cells: "类别 | 指标 | 数值 | 同比" over "2023年 | 2024年"),
    becomes one row: the years in the place of the column they split."""
    if len(rows) < 3 or not rows[1] or not all(YEAR_CELL.fullmatch(cell.text) for cell in rows[1]):
        return rows[0], rows[1:]
    first, years, width = rows[0], rows[1], max(len(row) for row in rows[2:])
    split = [index for index, cell in enumerate(first) if not _CHANGE_HEADER.search(cell.text)]
    if not split or len(first) - 1 + len(years) != width:
        return rows[0], rows[1:]
    at = split[-1]
    return [*first[:at], *years, *first[at + 1 :]], rows[2:]


def header_labels(text: str, row_start: int) -> list[str]:
    """The header of the pasted table holding the row that starts at ``row_start`` (its first
    row, or its two first rows made one by ``split_header``); [] for a header row itself and for
    a line of no table."""
    return _headers_by_row(text).get(row_start, [])


@lru_cache(maxsize=2)
def _headers_by_row(text: str) -> dict[int, list[str]]:
    """Every table's data rows (by the start of their line) → its header, read in one pass: asked
    row by row, a long table was re-read from its top for each of its rows."""
    headers: dict[int, list[str]] = {}
    for rows in table_rows(text):
        header, data = split_header(rows)
        labels = [cell.text for cell in header]
        for row in data:
            headers[text.rfind("\n", 0, row[0].start) + 1] = labels
    return headers


def _figure_column(header: list[Cell], year: int | None) -> int | None:
    """This year's column: the report year's, else the latest year's; without years in the
    header, the first column that is neither an index, a unit nor a change column."""
    years = {index: int(found.group(1)) for index, cell in enumerate(header) if (found := _YEAR.search(cell.text))}
    years = {index: value for index, value in years.items() if not _CHANGE_HEADER.search(header[index].text)}
    if years:
        wanted = year if year in years.values() else max(years.values())
        return min(index for index, value in years.items() if value == wanted)
    for index, cell in enumerate(header):
        if index and not (_INDEX_HEADER.search(cell.text) or _UNIT_HEADER.fullmatch(cell.text) or _CHANGE_HEADER.search(cell.text)):
            return index
    return None


def _row_unit(row: list[Cell], header: list[Cell], column: int, unit: re.Pattern[str]) -> str | None:
    """The unit of the row's figure: its 单位 cell, else the figure column's header, else the
    bracket closing the row's name ("行政处罚案件（件）", as a two-column table writes it)."""
    for index, cell in enumerate(header):
        if _UNIT_HEADER.fullmatch(cell.text) and index < len(row) and unit.fullmatch(row[index].text):
            return row[index].text
    for cell in (header[column], *row[:column]):
        found = _HEADER_UNIT.search(cell.text)
        if found and unit.fullmatch(found.group(1)):
            return found.group(1)
    return None


def _aligned(row: list[Cell], header: list[Cell]) -> list[Cell]:
    """A row shorter than the header lost its first cells: a merged 类别 cell is written once, in
    its first row, and the empty cells below it (a line's leading tab) are cleaned away."""
    missing = len(header) - len(row)
    return [Cell("", row[0].start, row[0].start)] * missing + row if missing > 0 and row else row


def other_year_cells(text: str, year: int | None) -> list[tuple[int, int]]:
    """The cells under a year column other than this year's (a 主要指标 table's "2024年" beside its
    "2025年"): last year's "97.18%" carries its unit, and the unit rule would take it for this
    year's figure."""
    cells = []
    for rows in table_rows(text):
        header, data = split_header(rows)
        column = _figure_column(header, year)
        others = [index for index, cell in enumerate(header) if index != column and _YEAR.search(cell.text) and not _CHANGE_HEADER.search(cell.text)]
        if column is None or not others or not _YEAR.search(header[column].text):
            continue
        for row in (_aligned(row, header) for row in data):
            cells += [(row[index].start, row[index].end) for index in others if index < len(row)]
    return cells


def table_figures(text: str, unit: re.Pattern[str], year: int | None) -> list[TableFigure]:
    """Every bare figure in a table's figure column whose unit the table states (``unit``: the
    pattern a unit must match in full), in text order."""
    figures = []
    for rows in table_rows(text):
        header, data = split_header(rows)
        column = _figure_column(header, year)
        if column is None:
            continue
        for row in (_aligned(row, header) for row in data):
            if column >= len(row) or not _BARE_NUMBER.fullmatch(row[column].text):
                continue
            if not any(len(_CJK.findall(cell.text)) >= 2 for cell in row[:column]):
                continue  # nothing in the row names what is counted
            found = _row_unit(row, header, column, unit)
            if found is not None:
                cell = row[column]
                figures.append(TableFigure(cell.text, found, cell.start, cell.end))
    return figures
