"""Workbooks (xlsx, xlsm, xls, xlsb, ods) read from bytes with python-calamine.

Every cell becomes text first (so ``007`` stays ``007`` when Excel stored it as text): whole numbers
without ``.0``, other numbers with up to 15 significant digits, dates as ``YYYY-MM-DD[ HH:MM:SS]``.
A row's line is its sheet row number (1-based).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Optional

from feijian.ingest.errors import NotATable

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


@dataclass
class Sheet:
    name: str
    rows: list[list[str]]  # all rows of the sheet as text; rows[i] is sheet row i + 1


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, dt.timedelta):
        return str(value.total_seconds() / 86400)
    return str(value)


def open_workbook(data: bytes, file_name: str):
    from python_calamine import load_workbook

    try:
        return load_workbook(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for damaged or non-workbook files
        raise NotATable(f"{file_name}: 不是可读取的 Excel 工作簿 / not a readable workbook ({type(exc).__name__})") from None


def sheet_names(workbook) -> list[str]:
    return list(workbook.sheet_names)


def read_sheet(workbook, name: str) -> Sheet:
    sheet = workbook.get_sheet_by_name(name)
    raw = sheet.to_python(skip_empty_area=False)
    return Sheet(name=name, rows=[[cell_text(v) for v in row] for row in raw])


def trim_rows(rows: list[list[str]]) -> Optional[int]:
    """Index of the last row that has any value, or None when the sheet is empty."""
    for i in range(len(rows) - 1, -1, -1):
        if any(c.strip() for c in rows[i]):
            return i
    return None
