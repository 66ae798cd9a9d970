"""The case tables in the bureau's archive (issue 15; docs/models.md "Storage of the case tables").

``archive_<table>`` for each case table of the data contract, every row keyed by ``(medins_code, case_id,
_seq)``, ``_seq`` its place in the package's table: ``(_batch, _line)`` (import batch, line in its source
file) is not unique when one table came in several files of one import (fees by month, record documents as
a CSV and an index). On PostgreSQL each table is ``PARTITION BY LIST (medins_code)`` with one partition per
institution, and rows go in with ``COPY … FROM STDIN`` (CSV written by Arrow), never row by row; a
distributed PostgreSQL (Citus) can shard the same tables by ``medins_code``. On SQLite the same columns
(``executemany`` of whole batches). Text compares by code point on both engines (``COLLATE "C"`` on
PostgreSQL, SQLite's ``BINARY``), so the models order and pair rows the same way everywhere. Fields the contract marks ``sensitive`` (the ID number) are not archived,
nor the fields ``resources/bureau/archive.toml`` lists (the patient's name): no model needs them. Derived integer columns make the models' date arithmetic the same SQL on both engines:
``visits.begin_day``/``end_day`` (days since 1970-01-01 of the calendar dates), ``fees.fee_day`` and
``fees.fee_min`` (minutes since 1970-01-01 00:00).

``replace_case`` deletes a case's rows and loads the new ones inside the caller's transaction, so a reader
sees the old case or the new one, never a half-loaded one; a package older than the archived one of its
case leaves the case's rows as they are.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping, Optional

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from feijian.domain.contract import load_contract
from feijian.paths import resource
from feijian.sync.reasons import Rejected

PG_TYPES = {"str": 'TEXT COLLATE "C"', "decimal": "NUMERIC(18,4)", "datetime": "TIMESTAMP", "date": "DATE", "bool": "BOOLEAN"}
LITE_TYPES = {"str": "TEXT", "decimal": "NUMERIC", "datetime": "TEXT", "date": "TEXT", "bool": "INTEGER"}
DERIVED = {"visits": (("begin_day", "begntime", "day"), ("end_day", "endtime", "day")),
           "fees": (("fee_day", "fee_ocur_time", "day"), ("fee_min", "fee_ocur_time", "minute"))}
INDEXES = {"visits": (("psn_no",), ("medins_code", "case_id", "mdtrt_id")),
           "fees": (("medins_code", "case_id", "mdtrt_id"),), "trace_codes": (("trac_codg",),)}
REGION = re.compile(r"^H(\d{6})")
COPY_BATCH = 1 << 16
# a table's planner statistics are gathered again when its archived rows differ from the count they record
# by more than this share (as autovacuum_analyze_scale_factor does for a plain table)
REANALYZE_CHANGE = 0.1


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # contract type, or "int" for derived and key columns


def case_table_names() -> tuple[str, ...]:
    return load_contract().case_tables


@lru_cache(maxsize=1)
def not_archived() -> dict[str, frozenset[str]]:
    """``{table: fields}`` the archive leaves out beyond the contract's sensitive fields
    (``resources/bureau/archive.toml``: the patient's name, which no model reads)."""
    raw = tomllib.loads(resource("bureau", "archive.toml").read_text(encoding="utf-8"))
    return {t: frozenset(fields) for t, fields in raw.get("not_archived", {}).items()}


def columns(table: str) -> list[Column]:
    spec = load_contract().tables[table]
    left_out = not_archived().get(table, frozenset())
    cols = [Column("medins_code", "str"), Column("case_id", "str"), Column("package_id", "str")]
    cols += [Column(f.name, f.type) for f in spec.fields
             if not f.sensitive and f.name not in left_out and f.name not in ("medins_code",)]
    cols += [Column("_batch", "str"), Column("_line", "int"), Column("_seq", "int")]
    cols += [Column(name, "int") for name, _, _ in DERIVED.get(table, ())]
    return cols


def ddl(table: str, postgres: bool) -> list[str]:
    types = PG_TYPES if postgres else LITE_TYPES
    body = ", ".join(f'"{c.name}" {"BIGINT" if c.type == "int" else types[c.type]}' for c in columns(table))
    tail = " PARTITION BY LIST (medins_code)" if postgres else ""
    out = [f"CREATE TABLE IF NOT EXISTS archive_{table} ({body}, "
           f"PRIMARY KEY (medins_code, case_id, _seq)){tail}"]
    for k, idx in enumerate(INDEXES.get(table, ())):
        out.append(f"CREATE INDEX IF NOT EXISTS archive_{table}_ix{k} ON archive_{table} ({', '.join(idx)})")
    return out


SCHEMA_EXTRA = [
    """CREATE TABLE IF NOT EXISTS archive_cases (
        case_id TEXT PRIMARY KEY, medins_code TEXT NOT NULL, medins_name TEXT, region_code TEXT,
        package_id TEXT NOT NULL, package_created TEXT NOT NULL, rows TEXT NOT NULL)""",
]


def region_of(medins_code: str) -> Optional[str]:
    m = REGION.match(medins_code or "")
    return m.group(1) if m else None


def partition_name(table: str, medins_code: str) -> str:
    return f"archive_{table}_p{hashlib.sha256(medins_code.encode('utf-8')).hexdigest()[:16]}"


def _days(arr: pa.ChunkedArray) -> pa.Array:
    return pc.cast(pc.cast(arr, pa.date32()), pa.int32()).cast(pa.int64())


def _minutes(arr: pa.ChunkedArray) -> pa.Array:
    secs = pc.cast(pc.cast(arr, pa.timestamp("s")), pa.int64())
    return pc.floor(pc.divide(pc.cast(secs, pa.float64()), 60.0)).cast(pa.int64())


def load_frame(table: str, data: pa.Table, *, medins_code: str, case_id: str, package_id: str) -> pa.Table:
    """The rows as the archive stores them: the archive's columns in order, typed, derived columns added."""
    spec = load_contract().tables[table]
    n = data.num_rows
    arrays, names = [], []
    for c in columns(table):
        if c.name == "medins_code":
            a = pa.array([medins_code] * n, pa.string())
        elif c.name == "case_id":
            a = pa.array([case_id] * n, pa.string())
        elif c.name == "package_id":
            a = pa.array([package_id] * n, pa.string())
        elif c.name == "_batch":
            a = data.column("_batch").cast(pa.string()) if "_batch" in data.column_names else pa.array([""] * n)
        elif c.name == "_line":
            a = data.column("_line").cast(pa.int64()) if "_line" in data.column_names else pa.array(range(n), pa.int64())
        elif c.name == "_seq":
            a = pa.array(range(n), pa.int64())
        elif c.type == "int":
            src, unit = next((s, u) for d, s, u in DERIVED[table] if d == c.name)
            col = data.column(src) if src in data.column_names else pa.nulls(n, pa.timestamp("s"))
            a = _days(col) if unit == "day" else _minutes(col)
        else:
            f = spec.field(c.name)
            target = {"str": pa.string(), "decimal": pa.decimal128(18, 4), "datetime": pa.timestamp("s"),
                      "date": pa.date32(), "bool": pa.bool_()}[f.type]
            if c.name in data.column_names:
                try:
                    a = data.column(c.name).cast(target)
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                    raise Rejected("MANIFEST_INVALID", f"tables/{table}", f"{c.name}: {exc}") from None
            else:
                a = pa.nulls(n, target)
        arrays.append(a)
        names.append(c.name)
    return pa.table(arrays, names=names)


def _csv_bytes(t: pa.Table) -> bytes:
    buf = io.BytesIO()
    pacsv.write_csv(t, buf, pacsv.WriteOptions(include_header=False, quoting_style="needed",
                                                batch_size=COPY_BATCH))
    return buf.getvalue()


class CaseTables:
    """The case-table half of an :class:`feijian.sync.archive.Archive` (same connection, same transaction)."""

    def __init__(self, archive) -> None:
        self.a = archive
        for t in case_table_names():
            for stmt in ddl(t, archive.postgres):
                archive._exec(stmt)
        for stmt in SCHEMA_EXTRA:
            archive._exec(stmt)
        archive.commit()

    def _ensure_partition(self, table: str, medins_code: str) -> None:
        if not self.a.postgres:
            return
        lit = medins_code.replace("'", "''")
        self.a._exec(f"CREATE TABLE IF NOT EXISTS {partition_name(table, medins_code)} PARTITION OF archive_{table} "
                     f"FOR VALUES IN ('{lit}')")

    def current(self, case_id: str) -> Optional[dict]:
        rows = self.a._query("SELECT medins_code, package_id, package_created, rows FROM archive_cases WHERE case_id = ?",
                             (case_id,))
        if not rows:
            return None
        return {"medins_code": rows[0][0], "package_id": rows[0][1], "package_created": rows[0][2],
                "rows": json.loads(rows[0][3])}

    def replace_case(self, case_id: str, package_id: str, package_created: str,
                     tables: Mapping[str, pa.Table]) -> Optional[dict[str, int]]:
        """Replace the case's archived rows with ``tables`` (inside the caller's transaction); ``None`` when
        the archive already holds a newer package of the case (by its manifest's ``created``, then package
        id), whose rows then stay: two inspectors' packages may arrive in any order."""
        inst = tables.get("institution")
        if inst is None or inst.num_rows == 0 or "medins_code" not in inst.column_names:
            raise Rejected("MANIFEST_INVALID", "tables/institution", "case tables without the institution")
        codes = {c for c in inst.column("medins_code").to_pylist() if c}
        if len(codes) != 1:
            raise Rejected("MANIFEST_INVALID", "tables/institution", f"{len(codes)} institution codes")
        medins_code = codes.pop()
        name = (inst.column("medins_name").to_pylist()[0] if "medins_name" in inst.column_names else "") or ""
        unknown = sorted(set(tables) - set(case_table_names()))
        if unknown:
            raise Rejected("MANIFEST_INVALID", f"tables/{unknown[0]}", "not a case table of the data contract")
        before = self.current(case_id)
        if before is not None and (before["package_created"], before["package_id"]) > (package_created, package_id):
            return None
        if before is not None:
            for t in case_table_names():
                self.a._exec(f"DELETE FROM archive_{t} WHERE medins_code = ? AND case_id = ?",
                             (before["medins_code"], case_id))
            self.a._exec("DELETE FROM archive_cases WHERE case_id = ?", (case_id,))
        counts = {}
        for t in sorted(tables):
            frame = load_frame(t, tables[t], medins_code=medins_code, case_id=case_id, package_id=package_id)
            self._ensure_partition(t, medins_code)
            self._load(t, frame)
            counts[t] = frame.num_rows
        self.a._exec("INSERT INTO archive_cases VALUES (?,?,?,?,?,?,?)",
                     (case_id, medins_code, name, region_of(medins_code), package_id, package_created,
                      json.dumps(counts, sort_keys=True)))
        return counts

    def row_counts_by_partition(self) -> dict[tuple[str, str], int]:
        """(table, institution) -> rows, exactly, from ``archive_cases`` (each case's loaded counts)."""
        out: dict[tuple[str, str], int] = {}
        for code, rows in self.a._query("SELECT medins_code, rows FROM archive_cases"):
            for t, n in json.loads(rows).items():
                out[(t, code)] = out.get((t, code), 0) + int(n)
        return out

    def _reltuples(self) -> tuple[dict[str, float], dict[tuple[str, str], tuple[str, float]]]:
        """The planner's row counts: per parent table, and per (table, institution) partition (its name)."""
        parents, parts = {}, {}
        for parent, p_tuples, child, c_tuples, bound in self.a._query(
                "SELECT p.relname, p.reltuples, c.relname, c.reltuples, pg_get_expr(c.relpartbound, c.oid) "
                "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
                "WHERE c.relkind = 'r' AND p.relkind = 'p' AND substr(p.relname, 1, 8) = 'archive_'"):
            t = parent[len("archive_"):]
            parents[t] = float(p_tuples)
            code = bound.split("('", 1)[1].rsplit("')", 1)[0].replace("''", "'")  # FOR VALUES IN ('H…')
            parts[(t, code)] = (child, float(c_tuples))
        return parents, parts

    @staticmethod
    def _off(recorded: float, actual: int) -> bool:
        return recorded < 0 or abs(actual - recorded) > REANALYZE_CHANGE * max(recorded, 1.0)

    def stale_statistics(self) -> tuple[list[str], list[str]]:
        """PostgreSQL: ``(parents, partitions)`` whose planner statistics are missing (never analyzed) or
        whose row count is off from the archived rows by more than :data:`REANALYZE_CHANGE`; the
        partitions listed are those of parents not listed (an ANALYZE of a parent recurses into its
        partitions). The planner estimates joins over a partitioned table from the parent's own statistics,
        which autovacuum never gathers: with partition statistics only, M03 took 455 s instead of 0.4 s on
        the three-institution demo (benchmarks/archive_bench.py)."""
        actual = self.row_counts_by_partition()
        parents, parts = self._reltuples()
        totals: dict[str, int] = {}
        for (t, _), n in actual.items():
            totals[t] = totals.get(t, 0) + n
        stale_parents = sorted(f"archive_{t}" for t, rec in parents.items() if self._off(rec, totals.get(t, 0)))
        stale_parts = sorted(name for (t, code), (name, rec) in parts.items()
                             if f"archive_{t}" not in stale_parents and self._off(rec, actual.get((t, code), 0)))
        return stale_parents, stale_parts

    def analyze_stale(self) -> list[str]:
        """``ANALYZE`` what :meth:`stale_statistics` lists (intake once per batch, after its packages
        committed; a model run before it starts). An ANALYZE of a parent samples every partition, so its cost
        grows with the archive; it runs only when the parent's rows changed by a tenth. Returns the tables."""
        parents, parts = self.stale_statistics()
        for name in (*parents, *parts):
            self.a._exec(f"ANALYZE {name}")
        return [*parents, *parts]

    def _load(self, table: str, frame: pa.Table) -> None:
        cols = ", ".join(f'"{c}"' for c in frame.column_names)
        if self.a.postgres:
            cur = self.a.conn.cursor()
            with cur.copy(f"COPY archive_{table} ({cols}) FROM STDIN (FORMAT csv)") as cp:
                for start in range(0, frame.num_rows, COPY_BATCH):
                    cp.write(_csv_bytes(frame.slice(start, COPY_BATCH)))
            return
        marks = ", ".join("?" * frame.num_columns)
        sql = f"INSERT INTO archive_{table} ({cols}) VALUES ({marks})"
        lite = _sqlite_ready(frame)
        cur = self.a.conn.cursor()
        for batch in lite.to_batches(COPY_BATCH):
            cur.executemany(sql, zip(*(c.to_pylist() for c in batch.columns)))

    def row_counts(self) -> dict[str, int]:
        return {t: int(self.a._query(f"SELECT COUNT(*) FROM archive_{t}")[0][0]) for t in case_table_names()}

    def institutions(self) -> list[dict]:
        rows = self.a._query("SELECT medins_code, MAX(medins_name), MAX(region_code), COUNT(*) FROM archive_cases "
                             "GROUP BY medins_code ORDER BY medins_code")
        return [{"medins_code": r[0], "medins_name": r[1], "region_code": r[2], "cases": int(r[3])} for r in rows]


def _sqlite_ready(frame: pa.Table) -> pa.Table:
    """Decimals, dates and timestamps as text (SQLite binds neither Decimal nor dates); bools as 0/1."""
    out = []
    for col in frame.columns:
        t = col.type
        if pa.types.is_decimal(t) or pa.types.is_date(t):
            col = col.cast(pa.string())
        elif pa.types.is_timestamp(t):
            col = pc.strftime(col, format="%Y-%m-%d %H:%M:%S")
        elif pa.types.is_boolean(t):
            col = col.cast(pa.int8())
        out.append(col)
    return pa.table(out, names=frame.column_names)
