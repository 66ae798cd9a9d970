"""A query's or analysis's result rows as CSV bytes (UTF-8 with BOM, as the other sheets feijian writes, so
Excel reads the Chinese): the same rows in the same order always give the same bytes, so the file's SHA-256
can be compared when the run is repeated. Built in memory; it reaches the disk only when the user exports it
or as encrypted evidence in the vault."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pyarrow as pa


def cell(value) -> str:
    """One value as the CSV shows it: empty for null, decimals as written, times without a ``T``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float):
        return repr(value)
    return str(value)


def result_csv(table: pa.Table) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(table.column_names)
    for batch in table.to_batches(max_chunksize=65_536):
        cols = [c.to_pylist() for c in batch.columns]
        w.writerows([cell(v) for v in row] for row in zip(*cols))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
