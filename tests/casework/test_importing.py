"""Importing a folder into a real encrypted case: one transaction, chain of custody, duplicates refused,
cancel rolls back, and the ``feijian import`` command."""

import hashlib

import pytest

from feijian.casework.importing import import_folder
from feijian.crypto.identity import create_identity
from feijian.domain.errors import Cancelled
from feijian.domain.records import CaseInfo
from feijian.ingest import DuplicateImport
from feijian.store.case_store import CaseStore

FEES = ("feedetl_sn,mdtrt_id,init_feedetl_sn,fee_ocur_time,med_list_codg,cnt,pric,det_item_fee_sumamt\n"
        + "".join(f"{i},M{i % 3},,2024-0{1 + i % 3}-05 08:30,X{i % 7},2,1.5,3\n" for i in range(300))
        + "999,M1,,2024-01-05 08:30,X1,two,1.5,3\n")
VISITS = "就诊ID,人员编号,医疗类别,入院时间,出院时间\nM0,P1,11,2024-01-05 08:00,\nM1,P1,11,2024-01-05 08:00,\n"


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")


@pytest.fixture(scope="module")
def identity():
    return create_identity("张检查", "J-001")


@pytest.fixture
def store(tmp_path, identity):
    info = CaseInfo(case_id="case-imp", name="导入测试", medins_code="H1", medins_name="某医院", medins_lv="3")
    s = CaseStore.create(tmp_path / "c.fjcase", info, identity)
    yield s
    s.close()


@pytest.fixture
def data_dir(tmp_path):
    d = tmp_path / "data"
    d.mkdir()
    (d / "fees.csv").write_text(FEES, encoding="utf-8")
    (d / "就诊信息.csv").write_bytes(VISITS.encode("gbk"))
    return d


def test_import_writes_tables_batch_and_event(store, data_dir):
    summary = import_folder(store, data_dir)
    assert summary.tables == {"visits": 2, "fees": 300}
    assert store.table_row_counts() == {"fees": 300, "visits": 2}
    fees = store.read_table("fees")
    assert fees.column("_batch").unique().to_pylist() == [summary.batch_id]
    assert sorted(fees.column("_line").to_pylist())[:2] == [2, 3]
    [batch] = store.import_batches()
    files = {f.file_name: f for f in batch.files}
    assert files["就诊信息.csv"].encoding == "gbk"
    assert files["fees.csv"].sha256 == hashlib.sha256((data_dir / "fees.csv").read_bytes()).hexdigest()
    assert (files["fees.csv"].rows, files["fees.csv"].read, files["fees.csv"].refused) == (301, 300, 1)
    assert [e.type for e in store.events()][-1] == "import.batch"
    assert summary.rejected[0].line == 302
    problems = {p.table: p.count for p in summary.referential}
    assert problems == {"fees": 100}  # M2 has no visit
    assert "fees.csv | fees | utf-8 |" in summary.text()
    # the import report stays in the encrypted case: the refused row, then the examples of each problem
    kept = store.import_problems(summary.batch_id)
    assert kept[0] == {"batch_id": summary.batch_id, "kind": "refused", "file": "fees.csv", "line": 302,
                       "field": "cnt", "value": "two", "reason": summary.rejected[0].reason, "count": 1}
    examples = [k for k in kept if k["kind"] == "referential"]
    assert len(examples) == 20 and {k["count"] for k in examples} == {100} and examples[0]["value"] == "M2"
    assert store.import_problems("another-batch") == []


def test_reimport_of_identical_file_refused(store, data_dir, tmp_path):
    import_folder(store, data_dir)
    with pytest.raises(DuplicateImport, match="imported before"):
        import_folder(store, data_dir)
    assert len(store.import_batches()) == 1 and store.table_row_counts()["fees"] == 300
    # a copy under another name is the same bytes
    other = tmp_path / "again"
    other.mkdir()
    (other / "收费明细.csv").write_bytes((data_dir / "fees.csv").read_bytes())
    with pytest.raises(DuplicateImport):
        import_folder(store, other)
    summary = import_folder(store, data_dir, skip_duplicates=True)
    assert len(summary.skipped) == 2 and summary.files == ()


def test_referential_check_uses_visits_already_in_the_case(store, data_dir, tmp_path):
    only_visits = tmp_path / "v"
    only_visits.mkdir()
    (only_visits / "visits.csv").write_bytes((data_dir / "就诊信息.csv").read_bytes())
    import_folder(store, only_visits)
    (data_dir / "就诊信息.csv").unlink()
    summary = import_folder(store, data_dir)
    assert {p.table: p.count for p in summary.referential} == {"fees": 100}


def test_cancel_leaves_the_case_as_it_was(store, data_dir):
    before_events = len(store.events())
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        import_folder(store, data_dir, cancelled=cancelled, chunk_bytes=1024)
    assert store.table_row_counts() == {} and store.import_batches() == []
    assert len(store.events()) == before_events
    summary = import_folder(store, data_dir)  # and the import still works afterwards
    assert summary.tables["fees"] == 300


def test_cli_import(tmp_path, data_dir, monkeypatch, capsys):
    from feijian.cli import main

    home = tmp_path / "home"
    pw = tmp_path / "pw"
    pw.write_text("secret-passphrase", encoding="utf-8")
    base = ["--home", str(home), "--passphrase-file", str(pw)]
    assert main(base + ["identity", "new", "--name", "张检查", "--staff-no", "J-1"]) == 0
    (data_dir / "institution.csv").write_text("medins_code,medins_name,medins_lv\nH1,某医院,三级\n", encoding="utf-8")
    assert main(base + ["case", "new", "demo", "--data", str(data_dir)]) == 0
    capsys.readouterr()
    report = tmp_path / "report.csv"
    assert main(base + ["import", "demo", str(data_dir), "--report", str(report)]) == 0
    out = capsys.readouterr().out
    assert "fees.csv | fees | utf-8" in out and "institution.csv | institution" in out
    assert report.read_bytes().startswith(b"\xef\xbb\xbffile,line,field,value,reason")
    assert main(base + ["import", "demo", str(data_dir)]) == 2  # identical files: refused
    assert "imported before" in capsys.readouterr().err


def test_cancel_while_documents_are_read_leaves_no_half_batch(store, tmp_path, monkeypatch):
    """An emr_docs index of many files, stored in several chunks (small flushes) before the cancel comes:
    the transaction is rolled back whole; the same import then runs to its end."""
    from document_samples import many_files_index

    from feijian.casework import importing
    from feijian.ingest import documents as ingest_documents
    from feijian.ingest.doc_readers import DocumentLimits

    n = 2000
    index = many_files_index(tmp_path / "docs", n)
    monkeypatch.setattr(ingest_documents, "load_limits", lambda: DocumentLimits(batch_rows=100))
    monkeypatch.setattr(importing, "FLUSH_ROWS", 200)
    written = []
    real_write = store.write_table
    monkeypatch.setattr(store, "write_table", lambda *a, **k: written.append(a[2].num_rows) or real_write(*a, **k))
    before_events = len(store.events())
    seen = []
    size = index.stat().st_size
    with pytest.raises(Cancelled):
        import_folder(store, index.parent, progress=lambda d, t, m="": seen.append(d),
                      cancelled=lambda: bool(seen) and seen[-1] > size * 0.6)
    assert len(written) >= 3, "chunks of documents were stored before the cancel"
    assert seen == sorted(seen)
    assert store.table_row_counts() == {} and store.import_batches() == []
    assert len(store.events()) == before_events
    summary = import_folder(store, index.parent)
    assert summary.tables == {"emr_docs": n} and store.table_row_counts() == {"emr_docs": n}
    [batch] = store.import_batches()
    assert {f.rows for f in batch.files} == {n}
    docs = store.read_table("emr_docs", ["doc_id", "_file_sha256"])
    assert docs.column("doc_id").to_pylist() == [f"D{i:06d}" for i in range(n)]
    assert docs.column("_file_sha256").null_count == 0
