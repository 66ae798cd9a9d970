"""The inspector's own questions of the case tables, as the audit tools they know ask them (IDEA, ACL,
Arbutus): field statistics, stratification, gaps and duplicates in a key sequence, duplicates on chosen
fields, top-N and cross tabulation (Benford's tests are in :mod:`feijian.casework.analysis_benford`).

Each is a pure function over a DuckDB connection on which the table is registered (see
:mod:`feijian.casework.analysis_source`), returning an :class:`AnalysisResult`: the result rows as an Arrow
table and a small summary. Identifiers are quoted; values never enter the SQL text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional, Sequence

import duckdb
import pyarrow as pa

from feijian.casework.analysis_source import quote
from feijian.domain.errors import InputError

QUANTILES = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)
NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
           "FLOAT", "DOUBLE", "DECIMAL")
MAX_CROSSTAB_COLUMNS = 60


@dataclass
class AnalysisResult:
    kind: str
    table: pa.Table  # the result rows
    summary: dict = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return self.table.num_rows


def arrow(con: duckdb.DuckDBPyConnection, sql: str) -> pa.Table:
    return con.sql(sql).to_arrow_table()


def column_type(con: duckdb.DuckDBPyConnection, table: str, column: str) -> str:
    rows = con.execute(f"DESCRIBE SELECT {quote(column)} FROM {quote(table)}").fetchall()
    if not rows:
        raise InputError(f"表 {table} 没有字段 {column} / {table} has no field {column}")
    return str(rows[0][1]).upper()


def is_numeric(type_name: str) -> bool:
    return type_name.split("(")[0] in NUMERIC


def _require_numeric(con, table: str, column: str) -> None:
    t = column_type(con, table, column)
    if not is_numeric(t):
        raise InputError(f"字段 {column} 不是数值（{t}）/ field {column} is not numeric ({t})")


def _where(where: Optional[str]) -> str:
    return f" WHERE ({where})" if where else ""


def _stable(value: Optional[float]) -> Optional[float]:
    """A mean or standard deviation to 12 significant digits: DuckDB's parallel float sums differ from run
    to run in the last bits, and a rerun must give the same result and hash."""
    return None if value is None else float(f"{value:.12g}")


def field_statistics(con: duckdb.DuckDBPyConnection, table: str, column: str, *, top: int = 10) -> AnalysisResult:
    """Count, distinct, nulls, min/max; for a number also sum, mean, standard deviation and quantiles
    (linear interpolation, as numpy's default); and the ``top`` most frequent values."""
    c, t = quote(column), quote(table)
    numeric = is_numeric(column_type(con, table, column))
    parts = ["count(*)", f"count({c})", f"count(DISTINCT {c})", f"min({c})", f"max({c})"]
    if numeric:
        parts += [f"sum({c})", f"avg(CAST({c} AS DOUBLE))", f"stddev_samp(CAST({c} AS DOUBLE))"]
        # one call with the list of quantiles: DuckDB sorts once (seven separate calls sort seven times)
        parts.append(f"quantile_cont(CAST({c} AS DOUBLE), [{', '.join(str(q) for q in QUANTILES)}])")
    row = con.execute(f"SELECT {', '.join(parts)} FROM {t}").fetchall()[0]
    stats = [("rows", row[0]), ("count", row[1]), ("nulls", row[0] - row[1]), ("distinct", row[2]),
             ("min", row[3]), ("max", row[4])]
    if numeric:
        stats += [("sum", row[5]), ("mean", _stable(row[6])), ("stddev", _stable(row[7]))]
        stats += [(f"p{round(q * 100):02d}", v) for q, v in zip(QUANTILES, row[8] or [None] * len(QUANTILES))]
    tops = con.execute(
        f"SELECT CAST({c} AS VARCHAR) AS value, count(*) AS n FROM {t} GROUP BY {c} "
        f"ORDER BY n DESC, value ASC NULLS LAST LIMIT {int(top)}").fetchall()
    out = pa.table({"statistic": [k for k, _ in stats] + [f"top{i + 1}" for i in range(len(tops))],
                    "value": [None if v is None else str(v) for _, v in stats] + [v for v, _ in tops],
                    "count": [None] * len(stats) + [n for _, n in tops]},
                   schema=pa.schema([("statistic", pa.string()), ("value", pa.string()), ("count", pa.int64())]))
    return AnalysisResult("stats", out, {"table": table, "field": column, "numeric": numeric, **dict(stats),
                                         "top": [(v, n) for v, n in tops]})


def equal_bands(con, table: str, column: str, n: int) -> list[Decimal]:
    """``n`` equal-width bands from the field's minimum to its maximum: the ``n + 1`` edges."""
    if n < 1:
        raise InputError("分层数至少为 1 / at least one band")
    lo, hi = con.execute(f"SELECT min({quote(column)}), max({quote(column)}) FROM {quote(table)}").fetchall()[0]
    if lo is None:
        return []
    lo, hi = Decimal(str(lo)), Decimal(str(hi))
    if hi == lo:
        hi = lo + 1
    step = (hi - lo) / n
    return [lo + step * i for i in range(n)] + [hi]


def stratify(con: duckdb.DuckDBPyConnection, table: str, column: str, edges: Sequence, *,
             value: Optional[str] = None) -> AnalysisResult:
    """Bands ``[edges[i], edges[i+1])`` (the last one closed) of a numeric field, with rows below the first
    edge, above the last and nulls in bands of their own when there are any: count, share of the count,
    sum of the field (or of ``value``) and share of the sum."""
    _require_numeric(con, table, column)
    edges = [Decimal(str(e)) for e in edges]
    if len(edges) < 2:
        raise InputError("分层至少需要两个边界 / a stratification needs at least two edges")
    if any(b <= a for a, b in zip(edges, edges[1:])):
        raise InputError("分层边界须递增 / the band edges must increase")
    if value:
        _require_numeric(con, table, value)
    c = f"CAST({quote(column)} AS DECIMAL(38, 6))"
    v = quote(value or column)
    cases = [f"WHEN {c} IS NULL THEN -2", f"WHEN {c} < {edges[0]} THEN -1"]
    for i, (a, b) in enumerate(zip(edges, edges[1:])):
        op = "<=" if i == len(edges) - 2 else "<"
        cases.append(f"WHEN {c} {op} {b} THEN {i}")
    cases.append(f"ELSE {len(edges) - 1}")
    rows = con.execute(f"SELECT band, count(*), sum({v}) FROM (SELECT CASE {' '.join(cases)} END AS band, {v} "
                       f"FROM {quote(table)}) GROUP BY band").fetchall()
    got = {b: (n, s) for b, n, s in rows}
    total_n = sum(n for n, _ in got.values())
    total_s = sum((Decimal(str(s)) for _, s in got.values() if s is not None), Decimal(0))
    out = {k: [] for k in ("band", "lower", "upper", "count", "count_share", "sum", "sum_share")}
    order = [-1, *range(len(edges) - 1), len(edges) - 1, -2]
    for b in order:
        if b not in got and not 0 <= b < len(edges) - 1:
            continue
        n, s = got.get(b, (0, None))
        s = Decimal(str(s)) if s is not None else Decimal(0)
        lo = None if b in (-1, -2) else edges[b]
        hi = edges[0] if b == -1 else (None if b in (-2, len(edges) - 1) else edges[b + 1])
        if b == -1:
            name = f"< {edges[0]}"
        elif b == -2:
            name = "空值 / null"
        elif b == len(edges) - 1:
            name = f"> {edges[-1]}"
        else:
            name = f"[{edges[b]}, {edges[b + 1]}{']' if b == len(edges) - 2 else ')'}"
        out["band"].append(name)
        out["lower"].append(None if lo is None else str(lo))
        out["upper"].append(None if hi is None else str(hi))
        out["count"].append(int(n))
        out["count_share"].append(n / total_n if total_n else 0.0)
        out["sum"].append(str(s))
        out["sum_share"].append(float(s / total_s) if total_s else 0.0)
    schema = pa.schema([("band", pa.string()), ("lower", pa.string()), ("upper", pa.string()), ("count", pa.int64()),
                        ("count_share", pa.float64()), ("sum", pa.string()), ("sum_share", pa.float64())])
    return AnalysisResult("stratify", pa.table(out, schema=schema),
                          {"table": table, "field": column, "value": value or column, "rows": total_n,
                           "sum": str(total_s), "edges": [str(e) for e in edges]})


def _group_expr(groups: Sequence[str]) -> tuple[str, str]:
    if not groups:
        return "", ""
    cols = ", ".join(quote(g) for g in groups)
    return cols + ", ", f"PARTITION BY {cols} "


def sequence_gaps(con: duckdb.DuckDBPyConnection, table: str, key: str, *, groups: Sequence[str] = (),
                  limit: int = 100_000) -> AnalysisResult:
    """Gaps in a key sequence within each group (e.g. ``feedetl_sn`` per ``mdtrt_id``, invoice numbers): a
    key is read as a prefix and its trailing digits (``INV-000123`` → ``INV-``, 123), and a sequence is the
    numbers of one prefix in one group. A row per gap: the number before and after it and how many are
    missing. Keys without trailing digits are counted, not sequenced; duplicate numbers are found by
    :func:`sequence_duplicates`."""
    gsel, part = _group_expr(groups)
    k = quote(key)
    base = (f"SELECT {gsel}regexp_extract(CAST({k} AS VARCHAR), '^(.*?)([0-9]+)$', 1) AS prefix, "
            f"TRY_CAST(regexp_extract(CAST({k} AS VARCHAR), '([0-9]+)$', 1) AS HUGEINT) AS num "
            f"FROM {quote(table)} WHERE {k} IS NOT NULL")
    seq = f"SELECT DISTINCT * FROM ({base}) WHERE num IS NOT NULL"
    part = f"PARTITION BY {', '.join([*(quote(g) for g in groups), 'prefix'])}"
    sql = (f"SELECT {gsel}prefix, prev AS after_number, num AS before_number, "
           f"CAST(num - prev - 1 AS BIGINT) AS missing FROM (SELECT *, lag(num) OVER ({part} ORDER BY num) AS prev "
           f"FROM ({seq})) WHERE num - prev > 1 ORDER BY {gsel}prefix, after_number")
    total = con.execute(f"SELECT count(*), coalesce(sum(missing), 0) FROM ({sql})").fetchall()[0]
    rows = arrow(con, f"{sql} LIMIT {int(limit)}")
    rows = rows.set_column(rows.column_names.index("after_number"), "after_number",
                           rows.column("after_number").cast(pa.string()))
    rows = rows.set_column(rows.column_names.index("before_number"), "before_number",
                           rows.column("before_number").cast(pa.string()))
    keys, unread = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE num IS NULL) FROM ({base})").fetchall()[0]
    return AnalysisResult("gaps", rows, {"table": table, "key": key, "groups": list(groups), "gaps": total[0],
                                         "missing": int(total[1]), "keys": keys, "keys_without_number": unread,
                                         "shown": rows.num_rows})


def sequence_duplicates(con: duckdb.DuckDBPyConnection, table: str, key: str, *, groups: Sequence[str] = (),
                        limit: int = 100_000) -> AnalysisResult:
    """Keys that occur more than once within a group: the key and how often."""
    return duplicates(con, table, [*groups, key], limit=limit, kind="key_duplicates")


def duplicates(con: duckdb.DuckDBPyConnection, table: str, fields: Sequence[str], *, value: Optional[str] = None,
               limit: int = 100_000, kind: str = "duplicates") -> AnalysisResult:
    """Rows that agree on every one of ``fields`` (nulls agree with nulls): one row per such group with its
    count (and the sum of ``value``), the largest groups first."""
    if not fields:
        raise InputError("请选择至少一个字段 / choose at least one field")
    if value:
        _require_numeric(con, table, value)
    cols = ", ".join(quote(f) for f in fields)
    extra = f", sum({quote(value)}) AS sum" if value else ""
    sql = (f"SELECT {cols}, count(*) AS n{extra} FROM {quote(table)} GROUP BY {cols} HAVING count(*) > 1")
    groups, rows_in = con.execute(f"SELECT count(*), coalesce(sum(n), 0) FROM ({sql})").fetchall()[0]
    order = ", ".join(f"{quote(f)} ASC NULLS LAST" for f in fields)
    res = arrow(con, f"{sql} ORDER BY n DESC, {order} LIMIT {int(limit)}")
    return AnalysisResult(kind, res, {"table": table, "fields": list(fields), "groups": groups,
                                      "rows_in_groups": int(rows_in), "shown": res.num_rows})


def top_n(con: duckdb.DuckDBPyConnection, table: str, by: str, *, value: Optional[str] = None, n: int = 10,
          order: str = "sum") -> AnalysisResult:
    """The ``n`` values of ``by`` with the largest sum of ``value`` (``order='sum'``) or the most rows
    (``order='count'``), with count, sum and share of the total."""
    if order not in ("sum", "count"):
        raise InputError(f"排序方式无效 / order must be sum or count, not {order!r}")
    if order == "sum" and not value:
        raise InputError("按金额排序须指定数值字段 / ordering by sum needs a value field")
    if value:
        _require_numeric(con, table, value)
    b = quote(by)
    s = f"sum({quote(value)})" if value else "CAST(NULL AS DECIMAL(38, 4))"
    key = "total" if order == "sum" else "n"
    sql = (f"WITH g AS (SELECT {b} AS {b}, count(*) AS n, {s} AS total FROM {quote(table)} GROUP BY {b}) "
           f"SELECT *, n / sum(n) OVER () AS count_share, "
           f"CAST(total AS DOUBLE) / nullif(CAST(sum(total) OVER () AS DOUBLE), 0) AS sum_share "
           f"FROM g ORDER BY {key} DESC NULLS LAST, {b} ASC NULLS LAST LIMIT {int(n)}")
    res = arrow(con, sql)
    if not value:
        res = res.drop_columns(["total", "sum_share"])
    return AnalysisResult("top", res, {"table": table, "by": by, "value": value, "order": order, "n": n})


def crosstab(con: duckdb.DuckDBPyConnection, table: str, rows: str, cols: str, *,
             value: Optional[str] = None) -> AnalysisResult:
    """A cross tabulation: one row per value of ``rows``, one column per value of ``cols`` (at most
    ``MAX_CROSSTAB_COLUMNS``), cells the count (or the sum of ``value``), with row and column totals."""
    if value:
        _require_numeric(con, table, value)
    r, c = quote(rows), quote(cols)
    agg = f"sum({quote(value)})" if value else "count(*)"
    heads = [v for (v,) in con.execute(
        f"SELECT DISTINCT coalesce(CAST({c} AS VARCHAR), '(空)') AS v FROM {quote(table)} ORDER BY v").fetchall()]
    if len(heads) > MAX_CROSSTAB_COLUMNS:
        raise InputError(f"列字段 {cols} 有 {len(heads)} 个取值，超过 {MAX_CROSSTAB_COLUMNS} / {cols} has {len(heads)} "
                         f"values, more than {MAX_CROSSTAB_COLUMNS} columns")
    long = con.execute(f"SELECT coalesce(CAST({r} AS VARCHAR), '(空)') AS r, coalesce(CAST({c} AS VARCHAR), '(空)') AS c, "
                       f"{agg} AS v FROM {quote(table)} GROUP BY ALL").fetchall()
    cells: dict = {}
    for rv, cv, v in long:
        cells.setdefault(rv, {})[cv] = v
    zero = Decimal(0) if value else 0
    row_keys = sorted(cells)
    data = {rows: row_keys}
    for h in heads:
        data[h] = [str(cells[k].get(h, zero)) for k in row_keys]
    data["合计 / total"] = [str(sum((Decimal(str(x)) for x in cells[k].values() if x is not None), Decimal(0)))
                          for k in row_keys]
    out = pa.table({k: pa.array(v, pa.string()) for k, v in data.items()})
    col_totals = {h: str(sum((Decimal(str(cells[k].get(h) or 0)) for k in row_keys), Decimal(0))) for h in heads}
    return AnalysisResult("crosstab", out, {"table": table, "rows": rows, "cols": cols, "value": value,
                                            "column_totals": col_totals})
