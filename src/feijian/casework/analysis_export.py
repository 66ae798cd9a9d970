"""A query's or analysis's result rows as CSV bytes (UTF-8 with BOM, as the other sheets feijian writes, so
Excel reads the Chinese): the same rows in the same order always give the same bytes, so the file's SHA-256
can be compared when the run is repeated. Numbers are written to be read back to the same value
(:func:`feijian.domain.formatting.machine_number`: decimals exactly with their scale, floats as the shortest
text of the column's own float width). Built in memory; it reaches the disk only when the user exports it or
as encrypted evidence in the vault."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pyarrow as pa

from feijian.domain.formatting import machine_number


def cell(value, *, float_bits: int = 64) -> str:
    """One value as the CSV shows it: empty for null, numbers as :func:`machine_number` writes them, times
    without a ``T``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (Decimal, float)):
        return machine_number(value, bits=float_bits)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)


def _bits(t: pa.DataType) -> int:
    return t.bit_width if pa.types.is_floating(t) else 64


def result_csv(table: pa.Table) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(table.column_names)
    widths = [_bits(t) for t in table.schema.types]
    for batch in table.to_batches(max_chunksize=65_536):
        cols = [[cell(v, float_bits=b) for v in c.to_pylist()] for c, b in zip(batch.columns, widths)]
        w.writerows(zip(*cols))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
