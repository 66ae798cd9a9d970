"""Benford's law on an amount field: the first-digit (1–9) and first-two-digits (10–99) tests as Nigrini
describes them — the actual and expected proportions, each digit's z statistic, the mean absolute deviation
(MAD) with its conformity class from Nigrini's table (``resources/casework/benford.toml``) and the
chi-square statistic with its p-value.

Digits are read from the decimal text of the absolute value (no floating-point logarithms), and only amounts
of at least ``min_value`` (Nigrini: 10) take part.
"""

from __future__ import annotations

import math
import tomllib
from decimal import Decimal
from functools import lru_cache
from typing import Optional

import duckdb
import pyarrow as pa

from feijian.casework.analyses import AnalysisResult, _require_numeric
from feijian.casework.analysis_source import quote
from feijian.domain.errors import InputError
from feijian.paths import resource

TESTS = {"first": (1, range(1, 10)), "first_two": (2, range(10, 100))}


@lru_cache(maxsize=1)
def thresholds() -> dict:
    with open(resource("casework", "benford.toml"), "rb") as fh:
        return tomllib.load(fh)


def expected(digits: int) -> dict[int, float]:
    """Benford's proportions: P(d) = log10(1 + 1/d) for the leading ``digits`` digits d."""
    return {d: math.log10(1 + 1 / d) for d in TESTS["first" if digits == 1 else "first_two"][1]}


def conformity(test: str, mad: float) -> str:
    """Nigrini's class of a MAD: ``close``, ``acceptable``, ``marginal`` or ``nonconformity``."""
    t = thresholds()[test]
    for name in ("close", "acceptable", "marginal"):
        if mad <= t[name]:
            return name
    return "nonconformity"


def _gamma_q(a: float, x: float) -> float:
    """The regularised upper incomplete gamma function Q(a, x) (Numerical Recipes, 6.2)."""
    if x <= 0:
        return 1.0
    gln = math.lgamma(a)
    if x < a + 1:  # series for P, then 1 - P
        ap, total, delta = a, 1.0 / a, 1.0 / a
        for _ in range(10_000):
            ap += 1
            delta *= x / ap
            total += delta
            if abs(delta) < abs(total) * 1e-15:
                break
        return max(0.0, 1.0 - total * math.exp(-x + a * math.log(x) - gln))
    b, c, d = x + 1 - a, 1 / 1e-300, 1 / (x + 1 - a)  # continued fraction (Lentz)
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = 1e-300 if abs(d) < 1e-300 else d
        c = b + an / c
        c = 1e-300 if abs(c) < 1e-300 else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return math.exp(-x + a * math.log(x) - gln) * h


def chi_square_p(statistic: float, df: int) -> float:
    """P(X > statistic) for a chi-square distribution with ``df`` degrees of freedom."""
    return _gamma_q(df / 2, statistic / 2)


def benford(con: duckdb.DuckDBPyConnection, table: str, column: str, *, digits: int = 1,
            min_value: Optional[Decimal] = None) -> AnalysisResult:
    """The first-digit (``digits=1``) or first-two-digits (``digits=2``) test of ``column``."""
    if digits not in (1, 2):
        raise InputError("本福特检验只做首位或前两位 / Benford's test of the first or first two digits only")
    _require_numeric(con, table, column)
    test = "first" if digits == 1 else "first_two"
    floor = Decimal(str(min_value if min_value is not None else thresholds()["min_value"]))
    if floor <= 0:
        raise InputError("最小金额须大于 0 / the minimum amount must be above 0")
    c = quote(column)
    text = f"ltrim(replace(CAST(CAST(abs({c}) AS DECIMAL(38, 6)) AS VARCHAR), '.', ''), '0')"
    rows = con.execute(
        f"SELECT CAST(left({text}, {digits}) AS INTEGER) AS d, count(*) FROM {quote(table)} "
        f"WHERE {c} IS NOT NULL AND abs({c}) >= {floor} GROUP BY d").fetchall()
    counts = {int(d): n for d, n in rows if d is not None}
    considered = con.execute(f"SELECT count(*) FILTER (WHERE {c} IS NOT NULL), count(*) FROM {quote(table)}").fetchall()[0]
    n = sum(counts.values())
    exp = expected(digits)
    out = {k: [] for k in ("digit", "count", "actual", "expected", "difference", "z")}
    mad = chi = 0.0
    for d, p in exp.items():
        k = counts.get(d, 0)
        actual = k / n if n else 0.0
        diff = actual - p
        z = 0.0
        if n:
            corr = 1 / (2 * n)
            z = (abs(diff) - corr if corr < abs(diff) else abs(diff)) / math.sqrt(p * (1 - p) / n)
            chi += (k - n * p) ** 2 / (n * p)
        mad += abs(diff)
        for key, v in zip(out, (d, k, actual, p, diff, z)):
            out[key].append(v)
    mad /= len(exp)
    df = len(exp) - 1
    schema = pa.schema([("digit", pa.int32()), ("count", pa.int64()), ("actual", pa.float64()),
                        ("expected", pa.float64()), ("difference", pa.float64()), ("z", pa.float64())])
    summary = {"table": table, "field": column, "test": test, "n": n, "min_value": str(floor),
               "values": considered[0], "excluded": considered[0] - n, "mad": mad if n else None,
               "conformity": conformity(test, mad) if n else None, "chi_square": chi if n else None, "df": df,
               "p_value": chi_square_p(chi, df) if n else None,
               "thresholds": {k: thresholds()[test][k] for k in ("close", "acceptable", "marginal")}}
    return AnalysisResult(f"benford{digits}", pa.table(out, schema=schema), summary)
