"""The auditor's SQL: one read-only SELECT over the case's tables or a clear refusal, each forbidden kind of
statement tried one by one on a real encrypted case store, which must come out unchanged; and the command
log (who, when, SQL, row count, hash)."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from decimal import Decimal

import pyarrow as pa
import pytest

from feijian.casework.analysis_guard import QueryRefused, check_select, table_functions
from feijian.casework.analysis_log import ANALYSIS_QUERY, ANALYSIS_RUN, get_run, history, table_hash
from feijian.casework.analysis_query import execute_select, rerun, run_analysis, run_query
from feijian.casework.analysis_source import locked_connection
from feijian.crypto.identity import create_identity
from feijian.domain.errors import Cancelled, InputError
from feijian.domain.records import CaseInfo
from feijian.store.case_store import CaseStore

MONEY = pa.decimal128(18, 4)


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    info = CaseInfo(str(uuid.uuid4()), "查询", "H1", "测试医院", "3", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    s = CaseStore.create(tmp_path / "q.fjcase", info, create_identity("周检查", "YB-9"))
    fees = pa.table({"mdtrt_id": ["V1", "V1", "V2", "V3"], "feedetl_sn": ["1", "3", "1", "1"],
                     "fee_ocur_time": pa.array([dt.datetime(2024, 3, d) for d in (1, 1, 2, 9)], pa.timestamp("us")),
                     "det_item_fee_sumamt": pa.array([Decimal("12.5"), Decimal("300"), Decimal("45"), Decimal("7")],
                                                     MONEY)})
    s.write_table("b1", "fees", fees)
    yield s
    s.close()


def snapshot(store):
    """What a query must not change: the event log, the stored table and the files beside the case."""
    fees = store.read_table("fees")
    return ([e.hash for e in store.events()], fees.to_pylist(),
            sorted(p.name for p in store.path.parent.iterdir() if not p.name.startswith(store.path.name)))


@pytest.fixture
def outside(tmp_path):
    p = tmp_path / "outside.csv"
    p.write_text("mdtrt_id,amount\nSECRET,1\n", encoding="utf-8")
    return p


FORBIDDEN = {
    "create": ("CREATE TABLE x AS SELECT * FROM fees", "CREATE"),
    "create_view": ("CREATE VIEW fees2 AS SELECT * FROM fees", "CREATE"),
    "drop": ("DROP VIEW fees", "DROP"),
    "insert": ("INSERT INTO fees (mdtrt_id) VALUES ('V9')", "INSERT"),
    "update": ("UPDATE fees SET det_item_fee_sumamt = 0", "UPDATE"),
    "delete": ("DELETE FROM fees", "DELETE"),
    "attach": ("ATTACH '{dir}/other.duckdb' AS o", "ATTACH"),
    "copy_to": ("COPY (SELECT * FROM fees) TO '{dir}/leak.csv'", "COPY"),
    "copy_from": ("COPY fees FROM '{csv}'", "COPY"),
    "set": ("SET enable_external_access = true", "SET"),
    "set_variable": ("SET VARIABLE v = 1", "SET VARIABLE"),
    "reset": ("RESET lock_configuration", "SET"),
    "pragma": ("PRAGMA enable_profiling", "PRAGMA"),
    "install": ("INSTALL httpfs", "INSTALL/LOAD"),
    "load": ("LOAD httpfs", "INSTALL/LOAD"),
    "export": ("EXPORT DATABASE '{dir}/dump'", "EXPORT"),
    "call": ("CALL checkpoint()", "CALL"),
    "two_statements": ("SELECT 1; DROP VIEW fees", "只允许一条"),
    "select_then_select": ("SELECT 1; SELECT 2", "only one statement"),
    "transaction": ("BEGIN TRANSACTION", "TRANSACTION"),
    "pivot_statement": ("PIVOT fees ON mdtrt_id", "MULTI"),
    "read_csv": ("SELECT * FROM read_csv('{csv}')", "read_csv"),
    "read_text": ("SELECT * FROM read_text('{csv}')", "read_text"),
    "glob": ("SELECT * FROM glob('{dir}/*')", "glob"),
    "read_parquet_http": ("SELECT * FROM read_parquet('https://example.com/x.parquet')", "read_parquet"),
    "nested_sql": ("SELECT * FROM query('SELECT 42')", "query()"),
    "read_csv_in_subquery": ("SELECT (SELECT count(*) FROM read_csv_auto('{csv}')) AS n", "read_csv_auto"),
}


@pytest.mark.parametrize("kind", sorted(FORBIDDEN))
def test_each_forbidden_statement_is_refused_and_the_store_is_unchanged(store, outside, kind):
    sql, reason = FORBIDDEN[kind]
    sql = sql.format(dir=outside.parent, csv=outside)
    before = snapshot(store)
    with pytest.raises(QueryRefused) as err:
        run_query(store, sql)
    message = str(err.value)
    assert reason in message and " / " in message  # Chinese, then English
    assert snapshot(store) == before  # no event, no changed rows, no file written beside the case
    assert not (outside.parent / "leak.csv").exists() and not (outside.parent / "dump").exists()


def test_the_connection_itself_refuses_a_file_the_gate_lets_through(outside):
    """The second lock: a replacement scan on a path (``FROM 'file.csv'``) is a base table to the parser, so the
    gate passes it, and the engine's disabled external access refuses it."""
    sql = check_select(f"SELECT * FROM '{outside}'")
    assert table_functions(sql) == []
    con = locked_connection({"fees": pa.table({"a": [1]})})
    with pytest.raises(QueryRefused, match="cannot reach files"):
        execute_select(con, sql)
    for setting in ("SET enable_external_access = true", "SET lock_configuration = false",
                    "SET allow_community_extensions = true"):
        with pytest.raises(Exception, match="locked"):
            con.execute(setting)
    assert con.execute("SELECT current_setting('enable_external_access')").fetchall() == [(False,)]


def test_a_python_variable_is_not_reachable_by_name(store):
    secret_frame = pa.table({"x": ["SECRET"]})  # noqa: F841 — DuckDB's replacement scan would find it
    with pytest.raises(InputError, match="query error"):
        run_query(store, "SELECT * FROM secret_frame")


@pytest.mark.parametrize("sql", [
    "SELECT mdtrt_id, sum(det_item_fee_sumamt) AS total FROM fees GROUP BY mdtrt_id ORDER BY mdtrt_id",
    "WITH v AS (SELECT mdtrt_id, count(*) AS n FROM fees GROUP BY ALL) SELECT * FROM v WHERE n > 1",
    "FROM fees SELECT mdtrt_id WHERE feedetl_sn = '3';",
    "SELECT r.range FROM range(3) r",
])
def test_plain_selects_pass(store, sql):
    result = run_query(store, sql)
    assert result.rows >= 1 and result.table.num_rows == result.rows


def test_a_query_is_logged_with_who_when_sql_row_count_and_hash(store):
    sql = "SELECT mdtrt_id, det_item_fee_sumamt FROM fees ORDER BY det_item_fee_sumamt DESC"
    before = len(store.events())
    result = run_query(store, sql, limit=2)
    assert result.rows == 4 and result.table.num_rows == 2 and result.truncated
    assert result.table.column("mdtrt_id").to_pylist() == ["V1", "V2"]
    events = store.events()
    assert len(events) == before + 1
    ev = events[-1]
    assert ev.type == ANALYSIS_QUERY and ev.event_id == result.event_id
    assert ev.payload["sql"] == sql and ev.payload["rows"] == 4 and ev.payload["sha256"] == result.sha256
    assert ev.payload["by"] == {"name": "周检查", "staff_no": "YB-9"} and ev.author == store.identity.key_id
    assert dt.datetime.fromisoformat(ev.time.replace("Z", "+00:00")) <= dt.datetime.now(dt.timezone.utc)
    # the hash covers every row, not the two shown: the same as hashing the whole result
    con = locked_connection({"fees": store.read_table("fees")})
    whole = con.sql(sql).to_arrow_table()
    assert result.sha256 == table_hash(whole) != table_hash(whole.slice(0, 2))
    (logged,) = history(store)
    assert logged.kind == "query" and logged.text == sql and logged.by == "周检查（YB-9）" and logged.rows == 4
    again = rerun(store, get_run(store, logged.event_id[-12:]))
    assert again.sha256 == logged.sha256 and len(history(store)) == 2
    assert store.verify().ok


def test_the_hash_does_not_depend_on_batch_boundaries():
    t = pa.table({"a": list(range(200_000)), "b": [str(i % 7) for i in range(200_000)]})
    assert table_hash(t) == table_hash(pa.Table.from_batches(t.to_batches(max_chunksize=777)))
    assert table_hash(t) != table_hash(t.slice(1))


def test_analyses_by_name_are_logged_and_rerun_to_the_same_hash(store):
    r = run_analysis(store, "stats", {"table": "fees", "field": "det_item_fee_sumamt"})
    assert r.summary["count"] == 4 and Decimal(str(r.summary["sum"])) == Decimal("364.5")
    s = run_analysis(store, "stratify", {"table": "fees", "field": "det_item_fee_sumamt", "edges": [0, 10, 100, 1000]})
    assert [x["count"] for x in s.table.to_pylist()] == [1, 2, 1]
    g = run_analysis(store, "gaps", {"table": "fees", "key": "feedetl_sn", "groups": ["mdtrt_id"]})
    assert g.rows == 1 and g.summary["missing"] == 1
    runs = history(store)
    assert [x.kind for x in runs] == ["stats", "stratify", "gaps"]
    assert all(e.type == ANALYSIS_RUN for e in store.events()[-3:])
    assert rerun(store, runs[1]).sha256 == runs[1].sha256
    with pytest.raises(InputError, match="no field"):
        run_analysis(store, "stats", {"table": "fees", "field": "nope"})
    with pytest.raises(InputError, match="needs: key"):
        run_analysis(store, "gaps", {"table": "fees"})


def test_field_statistics_rerun_to_the_same_hash_over_many_rows(store):
    """Mean and standard deviation are float sums that DuckDB splits over threads differently each run; the
    result (and its hash) must not change between runs."""
    many = pa.table({"mdtrt_id": [f"V{i}" for i in range(300_000)],
                     "det_item_fee_sumamt": pa.array([(Decimal(i % 9973) / 7).quantize(Decimal("0.0001")) for i in range(300_000)], MONEY)})
    store.write_table("b2", "fees", many)
    params = {"table": "fees", "field": "det_item_fee_sumamt"}
    hashes = {run_analysis(store, "stats", params, log=False).sha256 for _ in range(6)}
    assert len(hashes) == 1


def test_a_long_query_is_cancelled_mid_run():
    con = locked_connection({"t": pa.table({"a": [1]})})
    flag = threading.Event()
    threading.Timer(0.3, flag.set).start()
    with pytest.raises(Cancelled):
        execute_select(con, "SELECT count(*) FROM range(10000000000) a, range(100) b WHERE a.range % 7 = b.range",
                       cancelled=flag.is_set)


def test_errors_of_the_query_itself_are_one_clear_line(store):
    with pytest.raises(InputError, match="syntax error"):
        run_query(store, "SELEC 1")
    with pytest.raises(InputError, match="empty"):
        run_query(store, "  ;  ")
    with pytest.raises(InputError, match="query error"):
        run_query(store, "SELECT no_such_column FROM fees")
    assert history(store) == []


def test_nothing_of_the_result_reaches_the_disk(store, tmp_path):
    """A query over the case's rows writes no file anywhere under the case's folder (no temp directory)."""
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    run_query(store, "SELECT * FROM fees ORDER BY mdtrt_id")
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before
