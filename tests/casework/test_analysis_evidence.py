"""A result as a finding's evidence on a real encrypted case store: only a whole, logged result; the CSV in the
vault hashes as recorded; a rerun on the same data matches, on changed data it differs."""

import datetime as dt
import uuid
from decimal import Decimal

import pyarrow as pa
import pytest

from feijian.casework.analysis_evidence import attach_result, check_result_evidence, result_evidence
from feijian.casework.analysis_query import run_analysis, run_query
from feijian.casework.findings import create_finding
from feijian.crypto.identity import create_identity
from feijian.domain.errors import InputError
from feijian.domain.records import CaseInfo
from feijian.store.case_store import CaseStore

MONEY = pa.decimal128(18, 4)


def fees(ids, amounts):
    return pa.table({"mdtrt_id": ids, "feedetl_sn": [str(i) for i in range(len(ids))],
                     "fee_ocur_time": pa.array([dt.datetime(2024, 3, 1)] * len(ids), pa.timestamp("us")),
                     "det_item_fee_sumamt": pa.array([Decimal(a) for a in amounts], MONEY)})


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    info = CaseInfo(str(uuid.uuid4()), "证据", "H1", "测试医院", "3", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    s = CaseStore.create(tmp_path / "e.fjcase", info, create_identity("周检查", "YB-9"))
    s.write_table("b1", "fees", fees(["V1", "V1", "V2", "V3"], ["12.5", "300", "45", "7"]))
    yield s
    s.close()


def test_only_a_whole_logged_result_becomes_evidence(store):
    fid = create_finding(store, title="问题", amount="1").finding_id
    page = run_query(store, "SELECT * FROM fees", limit=2)
    with pytest.raises(InputError, match="2 of 4 rows"):
        attach_result(store, page, fid)
    unlogged = run_query(store, "SELECT * FROM fees", log=False)
    with pytest.raises(InputError, match="only a logged result"):
        attach_result(store, unlogged, fid)
    with pytest.raises(InputError, match="no such finding"):
        attach_result(store, run_query(store, "SELECT 1 AS x"), "nosuch")
    assert result_evidence(store) == []


def test_rerun_same_hash_changed_data_different_hash(store):
    fid = create_finding(store, title="问题", amount="1").finding_id
    res = run_analysis(store, "stratify", {"table": "fees", "field": "det_item_fee_sumamt", "edges": ["0", "50", "500"]})
    rec = attach_result(store, res, fid)
    assert rec.kind == "stratify" and rec.request["edges"] == ["0", "50", "500"] and rec.sha256 == res.sha256
    first = check_result_evidence(store, rec.evidence_id)
    assert first.ok and first.sha256 == rec.sha256 and first.csv_sha256 == rec.csv_sha256
    store.write_table("b2", "fees", fees(["V9"], ["20"]))
    second = check_result_evidence(store, rec.evidence_id)
    assert not second.ok and second.rows == rec.rows and second.sha256 != rec.sha256
    assert "DIFFERS" in second.message and "result SHA-256" in second.message
