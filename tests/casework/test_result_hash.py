"""The result hash is of the rows as a multiset: the same rows in any order (an ORDER BY with ties) hash the
same, other rows do not; a rerun of a run logged before it (the ordered hash) still compares with its own
hash, so an older case's log does not show every run as changed; and a result in evidence whose rerun brings
its tied rows in another order still matches the stored CSV."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pyarrow as pa
import pytest

from feijian.casework.analysis_evidence import attach_result, check_result_evidence
from feijian.casework.analysis_log import (ANALYSIS_QUERY, MULTISET, ORDERED, canonical, get_run, history,
                                           ordered_table_hash, record_query, table_hash)
from feijian.casework.analysis_query import QueryResult, rerun, run_query
from feijian.casework.findings import create_finding
from feijian.crypto.identity import create_identity
from feijian.domain.records import CaseInfo
from feijian.store.case_store import CaseStore

MONEY = pa.decimal128(18, 4)
TIES = "SELECT mdtrt_id, det_item_fee_sumamt FROM fees ORDER BY mdtrt_id"


def shuffled(t: pa.Table, order: list[int]) -> pa.Table:
    return t.take(pa.array(order))


def test_the_same_rows_in_any_order_hash_the_same():
    t = pa.table({"k": ["a", "a", "b", None, "a"], "v": [1.5, -0.0, 0.0, float("nan"), None],
                  "d": pa.array([Decimal("1.10"), None, Decimal("2"), Decimal("0"), Decimal("1.1")], pa.decimal128(9, 2)),
                  "l": [[1, 2], None, [], [3], [1, 2]],
                  "e": pa.array(["x", "y", "x", "y", "x"]).dictionary_encode()})
    orders = [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [2, 0, 4, 1, 3], [1, 4, 0, 3, 2]]
    hashes = {table_hash(shuffled(t, o)) for o in orders}
    assert len(hashes) == 1
    # the older hash was of the order: it tells these apart
    assert len({ordered_table_hash(shuffled(t, o)) for o in orders}) == len(orders)
    # the canonical order is one order: every permutation sorts to the same bytes
    assert len({canonical(shuffled(t, o)).to_pylist().__repr__() for o in orders}) == 1


def test_other_rows_hash_otherwise():
    t = pa.table({"k": ["a", "a", "b"], "v": [1, 1, 2]})
    base = table_hash(t)
    assert table_hash(pa.table({"k": ["a", "b", "b"], "v": [1, 2, 2]})) != base  # same set, other counts
    assert table_hash(t.slice(1)) != base  # one row fewer
    assert table_hash(pa.table({"k": ["a", "a", "b"], "v": [1, 2, 1]})) != base  # values moved between rows
    assert table_hash(t.rename_columns(["k", "w"])) != base  # other columns
    assert table_hash(t.cast(pa.schema([("k", pa.string()), ("v", pa.int32())]))) != base  # other types
    assert table_hash(pa.table({"v": [-0.0]})) != table_hash(pa.table({"v": [0.0]}))
    assert table_hash(pa.table({"v": [None]}, schema=pa.schema([("v", pa.int64())]))) != \
        table_hash(pa.table({"v": [0]}))
    # not the older hash either, even for rows already in the canonical order
    assert base != ordered_table_hash(t)


def test_the_hash_does_not_depend_on_batch_boundaries_or_order_over_many_rows():
    n = 150_000
    t = pa.table({"a": [i % 1000 for i in range(n)], "b": [str(i % 7) for i in range(n)]})
    backwards = t.take(pa.array(range(n - 1, -1, -1)))
    assert table_hash(t) == table_hash(pa.Table.from_batches(backwards.to_batches(max_chunksize=777)))


def make_store(path, ids, amounts):
    info = CaseInfo(str(uuid.uuid4()), "哈希", "H1", "测试医院", "3", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    s = CaseStore.create(path, info, create_identity("周检查", "YB-9"))
    s.write_table("b1", "fees", pa.table({
        "mdtrt_id": ids, "feedetl_sn": [str(i) for i in range(len(ids))],
        "fee_ocur_time": pa.array([dt.datetime(2024, 3, 1)] * len(ids), pa.timestamp("us")),
        "det_item_fee_sumamt": pa.array([Decimal(a) for a in amounts], MONEY)}))
    return s


@pytest.fixture
def two(tmp_path, monkeypatch):
    """The same fee rows stored in two orders: the ORDER BY mdtrt_id of TIES returns the tied V1 rows in
    the order they are stored."""
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    a = make_store(tmp_path / "a.fjcase", ["V1", "V1", "V1", "V2"], ["12.5", "300", "7", "45"])
    b = make_store(tmp_path / "b.fjcase", ["V1", "V1", "V1", "V2"], ["7", "300", "12.5", "45"])
    yield a, b
    a.close()
    b.close()


def test_a_rerun_whose_ties_come_in_another_order_is_the_same_result(two):
    a, b = two
    ra, rb = run_query(a, TIES), run_query(b, TIES)
    assert ra.table.to_pylist() != rb.table.to_pylist()  # the ties did come in other orders
    assert sorted(map(repr, ra.table.to_pylist())) == sorted(map(repr, rb.table.to_pylist()))
    assert ra.sha256 == rb.sha256 and ra.ordered_sha256 != rb.ordered_sha256
    (logged_a,) = history(a)
    assert logged_a.hash_scheme == MULTISET and a.events()[-1].payload["hash_scheme"] == MULTISET
    # b's log holds a's result: its rerun (b's order) matches it
    ev = record_query(b, TIES, ra.rows, ra.sha256, ra.table.column_names)
    again = rerun(b, get_run(b, ev.event_id))
    assert again.matches(get_run(b, ev.event_id))
    # a different result does not
    b.write_table("b2", "fees", pa.table({"mdtrt_id": ["V1"], "feedetl_sn": ["9"],
                                          "fee_ocur_time": pa.array([dt.datetime(2024, 3, 1)], pa.timestamp("us")),
                                          "det_item_fee_sumamt": pa.array([Decimal("1")], MONEY)}))
    assert not rerun(b, get_run(b, ev.event_id)).matches(get_run(b, ev.event_id))


def test_a_run_logged_before_the_multiset_hash_still_compares(two):
    """An older case's event has no hash_scheme and the hash of the rows in their order: its rerun is
    compared with that, so it is not shown as changed; the rerun itself is logged with the multiset hash."""
    a, _ = two
    first = run_query(a, TIES, log=False)
    old = a.append_event(ANALYSIS_QUERY, {"sql": TIES, "rows": first.rows, "sha256": first.ordered_sha256,
                                          "columns": first.table.column_names, "by": {}})
    run = get_run(a, old.event_id)
    assert run.hash_scheme == ORDERED
    again = rerun(a, run)
    assert again.matches(run) and again.sha256 != run.sha256
    assert history(a)[-1].hash_scheme == MULTISET and history(a)[-1].sha256 == again.sha256


def test_evidence_whose_rerun_brings_ties_in_another_order_still_matches(two):
    a, b = two
    ra = run_query(a, TIES, log=False)
    fid = create_finding(b, title="问题", amount="1").finding_id
    ev = record_query(b, TIES, ra.rows, ra.sha256, ra.table.column_names)
    # b's evidence holds the CSV of the rows in a's order
    rec = attach_result(b, QueryResult(TIES, ra.table, ra.rows, ra.sha256, 0.0, event_id=ev.event_id), fid)
    check = check_result_evidence(b, rec.evidence_id)
    assert check.csv_sha256 != rec.csv_sha256  # other bytes …
    assert check.ok and check.csv_ok and check.result_ok, check.message  # … the same records
    b.write_table("b2", "fees", pa.table({"mdtrt_id": ["V1"], "feedetl_sn": ["9"],
                                          "fee_ocur_time": pa.array([dt.datetime(2024, 3, 1)], pa.timestamp("us")),
                                          "det_item_fee_sumamt": pa.array([Decimal("1")], MONEY)}))
    changed = check_result_evidence(b, rec.evidence_id)
    assert not changed.ok and not changed.result_ok and not changed.csv_ok
    assert "DIFFERS" in changed.message and "rows" in changed.message
