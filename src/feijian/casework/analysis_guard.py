"""The gate the auditor's own SQL passes before it reaches the locked connection: exactly one SELECT
statement (``WITH … SELECT``, ``FROM t``, ``VALUES``, ``DESCRIBE``/``SUMMARIZE`` included), read by DuckDB's
own parser, and only table functions that compute rather than read files, the network or hidden SQL.

This is the first of two locks. The second is the connection itself (:mod:`feijian.casework.analysis_source`):
no file or network access, no extensions, configuration locked — so a table function this gate does not
know still cannot read a file. The gate gives the clear reason; the connection makes it hold.
"""

from __future__ import annotations

import json
from typing import Iterator

import duckdb

from feijian.domain.errors import InputError

# Table functions a query may call: generators and the connection's own catalogue. Everything else
# (read_csv, read_parquet, glob, read_text, query(), json_execute_serialized_sql, arrow_scan, checkpoint,
# enable_logging …) is refused by name.
ALLOWED_TABLE_FUNCTIONS = frozenset({
    "range", "generate_series", "unnest", "repeat", "repeat_row", "json_each", "json_tree", "summary",
    "query_table", "pragma_table_info", "pragma_show", "pragma_version", "duckdb_columns", "duckdb_tables",
    "duckdb_views", "duckdb_types", "duckdb_functions", "duckdb_keywords", "duckdb_settings", "histogram",
    "histogram_values",
})

# What a refused statement type is called, for the message.
STATEMENT_NAMES = {
    "CREATE": "CREATE（建表/视图/宏）", "DROP": "DROP（删除）", "INSERT": "INSERT（写入）", "UPDATE": "UPDATE（修改）",
    "DELETE": "DELETE（删除行）", "ATTACH": "ATTACH（挂载数据库）", "DETACH": "DETACH", "COPY": "COPY（读写文件）",
    "SET": "SET/RESET/USE（设置）", "VARIABLE_SET": "SET VARIABLE（变量）", "PRAGMA": "PRAGMA", "LOAD": "INSTALL/LOAD（扩展）",
    "EXPORT": "EXPORT（导出数据库）", "CALL": "CALL", "TRANSACTION": "BEGIN/COMMIT（事务）", "ALTER": "ALTER（修改结构）",
    "VACUUM": "VACUUM", "EXPLAIN": "EXPLAIN", "PREPARE": "PREPARE", "EXECUTE": "EXECUTE", "MULTI": "多语句（如 PIVOT 语句）",
    "COPY_DATABASE": "COPY FROM DATABASE", "UPDATE_EXTENSIONS": "UPDATE EXTENSIONS", "MERGE_INTO": "MERGE INTO",
}


class QueryRefused(InputError):
    """The SQL is not a single read-only SELECT over the case's tables."""


def check_select(sql: str) -> str:
    """The one SELECT statement in ``sql`` (without a trailing ``;``), or :class:`QueryRefused` with the reason."""
    if not sql or not sql.strip():
        raise QueryRefused("查询为空 / the query is empty")
    try:
        statements = [(st.type.name, st.query) for st in duckdb.extract_statements(sql)]
    except duckdb.Error as exc:
        raise QueryRefused(f"SQL 语法错误 / SQL syntax error: {_first_line(exc)}") from None
    except ValueError as exc:  # a statement type the Python binding has no name for (e.g. UPDATE EXTENSIONS)
        raise QueryRefused(f"只允许只读的 SELECT 查询 / only read-only SELECT queries are allowed "
                           f"(statement type {exc})") from None
    if not statements:
        raise QueryRefused("查询为空 / the query is empty")
    if len(statements) > 1:
        raise QueryRefused(f"只允许一条 SELECT 语句，这里有 {len(statements)} 条 / only one statement is allowed, "
                           f"this has {len(statements)}")
    ((kind, query),) = statements
    if kind != "SELECT":
        name = STATEMENT_NAMES.get(kind, kind)
        if kind == "SET" and query.lstrip().upper().startswith("SET VARIABLE"):
            name = STATEMENT_NAMES["VARIABLE_SET"]
        raise QueryRefused(f"只允许只读的 SELECT 查询，不允许 {name} / only read-only SELECT queries are allowed, "
                           f"not {kind}")
    text = query.strip().rstrip(";").strip()
    for fn in table_functions(text):
        if fn not in ALLOWED_TABLE_FUNCTIONS:
            raise QueryRefused(f"不允许表函数 {fn}()：查询只能读取本案件的表，不能读取文件、网络或执行其他语句 / "
                               f"table function {fn}() is not allowed: a query reads the case's tables only, "
                               f"no files, network or nested SQL")
    return text


def table_functions(select_sql: str) -> list[str]:
    """The table functions a SELECT calls (lower case), from DuckDB's own parse tree."""
    con = duckdb.connect(":memory:", config={"enable_external_access": False})
    try:
        tree = json.loads(con.execute("SELECT json_serialize_sql(?)", [select_sql]).fetchall()[0][0])
    finally:
        con.close()
    if tree.get("error"):
        raise QueryRefused(f"无法解析查询 / cannot read the query: {tree.get('error_message', '')}")
    return sorted({name.lower() for name in _walk_functions(tree)})


def _walk_functions(node) -> Iterator[str]:
    if isinstance(node, dict):
        if node.get("type") == "TABLE_FUNCTION":
            fn = node.get("function") or {}
            yield str(fn.get("function_name", ""))
        for v in node.values():
            yield from _walk_functions(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk_functions(v)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
