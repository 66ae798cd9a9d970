"""The result CSV writes every number so it reads back to the same value: decimals exactly with their scale,
doubles as their shortest round-trip text, a REAL (float32) column as the float32's own shortest text."""

import csv
import io
from decimal import Decimal

import duckdb
import pyarrow as pa

from feijian.casework.analysis_export import result_csv


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_numbers_in_the_csv_read_back_to_the_same_values():
    t = duckdb.sql("SELECT 0.1::DOUBLE + 0.2::DOUBLE AS d, CAST(0.1 AS REAL) AS r, 12.5::DECIMAL(18, 4) AS m, "
                   "CAST('12345678901234567890.1234567890' AS DECIMAL(38, 10)) AS big, 1e16::DOUBLE AS e, "
                   "CAST(NULL AS DOUBLE) AS n, 7::BIGINT AS i, 2/3 AS share").to_arrow_table()
    header, line = rows(result_csv(t))
    got = dict(zip(header, line))
    assert got == {"d": "0.30000000000000004", "r": "0.1", "m": "12.5000", "big": "12345678901234567890.1234567890",
                   "e": "1e+16", "n": "", "i": "7", "share": repr(2 / 3)}
    back = t.to_pylist()[0]
    assert float(got["d"]) == back["d"] and Decimal(got["m"]) == back["m"] and Decimal(got["big"]) == back["big"]
    assert pa.array([float(got["r"])], pa.float32()).to_pylist() == [back["r"]]


def test_a_float32_column_is_written_as_its_own_values_over_many_rows():
    import numpy as np

    values = np.random.default_rng(7).standard_normal(5_000).astype(np.float32)
    t = pa.table({"x": pa.array(values)})
    texts = [r[0] for r in rows(result_csv(t))[1:]]
    assert np.array_equal(np.array(texts, dtype=np.float32), values)
    assert max(map(len, texts)) <= 15  # float32 needs at most 9 significant digits, not a double's 17
