"""Chunks stored one blob per column (store.columnar.SPLIT_TABLES: the medical record documents) and the
one-blob chunks written before them: both read the same, a reader decrypts only the columns it asks for,
verify checks both, and a case written with one-blob documents (schema 2) opens, migrates and screens with
the same hits as one written now."""

import datetime as dt

import pyarrow as pa
import pytest

from feijian.domain.records import ImportBatch
from feijian.store import columnar, schema
from feijian.store.case_store import CaseStore

from case_fixtures import make_info


def _docs(n, start=0):
    return pa.table({
        "doc_id": pa.array([f"D{i:05d}" for i in range(start, start + n)]),
        "mdtrt_id": pa.array([f"M{i // 3:04d}" for i in range(start, start + n)]),
        "doc_type": pa.array(["nursing" if i % 2 else "operation" for i in range(n)]),
        "doc_time": pa.array([dt.datetime(2024, 1 + i % 2, 1 + i % 27, 9) for i in range(n)], pa.timestamp("s")),
        "text": pa.array([f"一级护理，第{i}天。术中植入支架{i % 3 + 1}枚" for i in range(start, start + n)]),
        "_text_norm": pa.array([f"一级护理\n第{i}天" for i in range(start, start + n)]),
        "_ocr_confidence": pa.array([None if i % 5 else 0.9 for i in range(n)], pa.float64()),
    })


def _write(store, batch, data, table="emr_docs"):
    with store.transaction():
        store.write_table(batch, table, data)
        store.record_import_batch(ImportBatch(batch, "t", store.identity.key_id))


def _sorted(t):
    return t.sort_by("doc_id")


def test_split_chunks_hold_one_blob_per_column_and_read_back(new_case):
    store = new_case()
    data = _docs(700)
    _write(store, "b1", data)
    chunks = store.conn.execute("SELECT chunk_id, length(data) FROM chunks WHERE tbl = 'emr_docs'").fetchall()
    assert len(chunks) == 2 and all(n == 0 for _, n in chunks)  # one chunk per month, no data in the row
    names = [r[0] for r in store.conn.execute("SELECT name FROM chunk_columns WHERE chunk_id = ? ORDER BY ord",
                                              (chunks[0][0],))]
    assert names == data.column_names
    assert _sorted(store.read_table("emr_docs")).equals(_sorted(data))
    some = store.read_table("emr_docs", ["_text_norm", "mdtrt_id", "absent"])
    assert some.column_names == ["_text_norm", "mdtrt_id"] and some.num_rows == 700
    # no column asked for is stored: a chunk keeps its rows (as a one-blob chunk does)
    assert [c.num_rows for c in store.iter_table("emr_docs", ["absent"])] == [350, 350]
    parts = list(store.iter_table("emr_docs", ["text"], positions=[1]))
    assert len(parts) == 1 and parts[0].column_names == ["text"] and parts[0].num_rows == 350
    reader = store.read_chunk(chunks[1][0])
    assert reader.schema.names == data.column_names
    assert pa.Table.from_batches([reader.get_batch(i) for i in range(reader.num_record_batches)]).equals(
        store.read_table("emr_docs").slice(350))
    assert store.verify().ok


def test_a_split_chunk_reads_only_the_columns_asked_for(new_case, monkeypatch):
    store = new_case()
    _write(store, "b1", _docs(10))
    asked = []
    real = store.conn

    class Spy:
        def execute(self, sql, args=()):
            if "chunk_columns" in sql and "data" in sql.split("FROM")[0]:
                asked.append(list(args[1:]))
            return real.execute(sql, args)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(store, "conn", Spy())
    list(store.iter_table("emr_docs", ["mdtrt_id", "_text_norm"]))
    assert asked == [["mdtrt_id", "_text_norm"]] * 2  # two chunks (months), each read for these two only


def test_other_tables_keep_one_blob(new_case):
    store = new_case()
    from case_fixtures import fee_table

    _write(store, "f1", fee_table(20, months=1), table="fees")
    assert store.conn.execute("SELECT count(*) FROM chunk_columns").fetchone()[0] == 0
    assert store.conn.execute("SELECT length(data) > 0 FROM chunks").fetchone()[0] == 1


def test_one_blob_and_split_chunks_of_one_table_read_together_in_order(new_case, monkeypatch):
    store = new_case()
    monkeypatch.setattr(columnar, "SPLIT_TABLES", frozenset())
    _write(store, "old", _docs(30))  # as the previous version wrote them
    monkeypatch.undo()
    _write(store, "new", _docs(30, start=30))
    split = [s for _, s in store._chunk_ids("emr_docs")]
    assert split == [False, False, True, True]
    both = store.read_table("emr_docs", ["doc_id", "text"])
    streamed = pa.concat_tables(store.iter_table("emr_docs", ["doc_id", "text"]))
    assert both.equals(streamed)
    assert sorted(both.column("doc_id").to_pylist()) == [f"D{i:05d}" for i in range(60)]
    assert store.verify().ok


def test_verify_catches_a_changed_column_blob(new_case):
    store = new_case()
    _write(store, "b1", _docs(10))
    store.conn.execute("DROP TRIGGER chunk_columns_no_update")
    blob = store.conn.execute("SELECT data FROM chunk_columns WHERE name = 'text'").fetchone()[0]
    tampered = bytearray(blob)
    tampered[len(tampered) // 2] ^= 0xFF
    store.conn.execute("UPDATE chunk_columns SET data = ? WHERE name = 'text'", (bytes(tampered),))
    report = store.verify(integrity=False)
    assert not report.ok and any("SHA-256" in p for p in report.problems)


def test_parts_hash_depends_on_the_cut():
    assert columnar.parts_sha256([("a", b"xy"), ("b", b"z")]) != columnar.parts_sha256([("a", b"x"), ("b", b"yz")])
    assert columnar.parts_sha256([("a", b"xy")]) != columnar.parts_sha256([("b", b"xy")])


@pytest.fixture
def schema2(monkeypatch):
    """Cases created as the previous version did: schema 2, documents in one blob per chunk."""
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:2])
    monkeypatch.setattr(schema, "VERSION", 2)
    monkeypatch.setattr(columnar, "SPLIT_TABLES", frozenset())
    return monkeypatch


def test_a_schema_2_case_with_one_blob_documents_opens_migrates_and_screens_the_same(tmp_path, inspector, schema2):
    from feijian.casework.importing import import_folder
    from feijian.casework.screening import screen_case
    from feijian.demodata import generate

    data = tmp_path / "demo"
    generate(data, seed=5, scale=0.02)
    old = CaseStore.create(tmp_path / "old.fjcase", make_info(case_id="case-old"), inspector)
    import_folder(old, data)
    assert old.conn.execute("PRAGMA user_version").fetchone()[0] == 2
    old.close()
    schema2.undo()
    new = CaseStore.create(tmp_path / "new.fjcase", make_info(case_id="case-new"), inspector)
    import_folder(new, data)
    assert new.conn.execute("SELECT count(*) FROM chunk_columns").fetchone()[0] > 0
    old = CaseStore.open(tmp_path / "old.fjcase", inspector)
    assert old.conn.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION
    assert old.conn.execute("SELECT count(*) FROM chunk_columns").fetchone()[0] == 0
    assert old.verify().ok and new.verify().ok
    cols = ["doc_id", "mdtrt_id", "doc_type", "doc_time", "text", "_text_norm", "_ocr_confidence", "_line"]
    assert old.read_table("emr_docs", cols).sort_by("doc_id").equals(new.read_table("emr_docs", cols).sort_by("doc_id"))
    hits = []
    for store in (old, new):
        result = screen_case(store, save=False)
        hits.append(sorted((r.hit_id, r.rule_code, r.detail, str(r.amount)) for r in result.hits.itertuples()))
        store.close()
    assert hits[0] == hits[1]
    assert {h[1] for h in hits[0]} & {"R24", "R25", "R26", "R27", "R28", "R29"}  # the documents' rules hit
