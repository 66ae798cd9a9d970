"""The ground the inspector's own analyses and queries stand on: a locked, in-memory DuckDB connection with
the case's tables registered as Arrow views (decrypted from the store's chunks into memory, never a
plaintext copy on disk).

The connection is locked by DuckDB's own means before any user text reaches it: no file access
(``enable_external_access = false``: no ``read_csv``/``read_parquet``/``COPY``/``ATTACH``), no extension
installed or loaded (autoload and autoinstall off, community extensions off), no temp directory to spill
into, and ``lock_configuration`` so no ``SET``/``PRAGMA`` can undo any of it.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping, Optional

import duckdb
import pyarrow as pa

from feijian.domain.contract import load_contract
from feijian.domain.errors import InputError
from feijian.domain.progress import CancelledFn, check_cancelled
from feijian.rules.engine import MEMORY_LIMIT, conform

LOCK_SETTINGS = (
    "SET enable_external_access = false",
    "SET autoload_known_extensions = false",
    "SET autoinstall_known_extensions = false",
    "SET allow_community_extensions = false",
    "SET lock_configuration = true",
)


def locked_connection(tables: Mapping[str, pa.Table], *, memory_limit: str = MEMORY_LIMIT,
                      threads: int = 2) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with ``tables`` registered as (read-only) Arrow views, then locked."""
    con = duckdb.connect(":memory:", config={"threads": threads, "memory_limit": memory_limit,
                                             "temp_directory": ""})
    for name, table in tables.items():
        con.register(name, table)
    for statement in LOCK_SETTINGS:
        con.execute(statement)
    return con


def quote(identifier: str) -> str:
    return '"' + str(identifier).replace('"', '""') + '"'


def case_tables(store) -> list[str]:
    """The contract's case tables the case has imported."""
    return [n for n in load_contract().case_tables if store.has_table(n)]


def table_columns(name: str) -> list[str]:
    try:
        return [f.name for f in load_contract().table(name).fields]
    except KeyError:
        raise InputError(f"没有这张表 / no such case table: {name}") from None


def check_table(store, name: str) -> None:
    if name not in load_contract().case_tables:
        raise InputError(f"没有这张表 / no such case table: {name} (one of {', '.join(load_contract().case_tables)})")
    if not store.has_table(name):
        raise InputError(f"本案件尚未导入表 {name} / the case has no {name} table imported")


def check_fields(name: str, fields: Iterable[str]) -> list[str]:
    known = table_columns(name)
    out = []
    for f in fields:
        if f not in known:
            raise InputError(f"表 {name} 没有字段 {f} / {name} has no field {f!r} (fields: {', '.join(known)})")
        out.append(f)
    return out


def load_table(store, name: str, columns: Optional[list[str]] = None, *,
               cancelled: Optional[CancelledFn] = None) -> pa.Table:
    """One case table (only ``columns``, all when None) in memory in the contract's Arrow types, read chunk by
    chunk from the encrypted store."""
    check_table(store, name)
    columns = check_fields(name, columns) if columns is not None else table_columns(name)
    pieces = []
    for chunk in store.iter_table(name, columns):
        check_cancelled(cancelled)
        pieces.append(conform(name, chunk, tuple(columns)))
    if not pieces:
        pieces = [conform(name, pa.table({}), tuple(columns))]
    out = pa.concat_tables(pieces)
    return out.select(columns)


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_COUNT_STAR = re.compile(r"\(\s*\*\s*\)")


def referenced(store, sql: str) -> dict[str, Optional[list[str]]]:
    """The case tables ``sql`` may read and the columns it may need (a superset, by the words in the text;
    None = every column, when a ``*`` other than ``count(*)`` appears)."""
    words = {w.lower() for w in _WORD.findall(sql)}
    star = "*" in _COUNT_STAR.sub("", sql)
    out = {}
    for name in case_tables(store):
        if name.lower() in words:
            cols = table_columns(name)
            out[name] = None if star else ([c for c in cols if c.lower() in words] or cols[:1])
    return out


def open_case_tables(store, needs: Mapping[str, Optional[list[str]]], *,
                     cancelled: Optional[CancelledFn] = None) -> duckdb.DuckDBPyConnection:
    """The locked connection over the case tables in ``needs`` (name → columns, None for all)."""
    return locked_connection({n: load_table(store, n, cols, cancelled=cancelled) for n, cols in needs.items()})
