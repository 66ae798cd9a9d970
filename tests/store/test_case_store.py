import hashlib
import io
import json
import os
import shutil

import pandas as pd
import pyarrow as pa
import pytest
import sqlcipher3

from feijian.crypto.identity import create_identity
from feijian.domain import events as ev
from feijian.domain.errors import InputError
from feijian.domain.events import write
from feijian.domain.records import ImportBatch, ImportedFile, ScreeningRun
from feijian.store.case_keys import keys_path
from feijian.store.case_store import CaseStore, recover
from feijian.store.errors import ChainError, DamagedStore, NotACase, WrongKey

from case_fixtures import fee_table, make_info


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_create_open_and_info(new_case, inspector, tmp_path):
    store = new_case("a")
    path = store.path
    store.close()
    assert path.read_bytes()[:16] != b"SQLite format 3\x00"
    with CaseStore.open(path, inspector) as s:
        assert s.info == store.info and s.info.medins_name == "某某人民医院"
        assert [e.type for e in s.events()] == [ev.CASE_CREATED]
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_create_refuses_existing(new_case, inspector):
    store = new_case("a")
    with pytest.raises(InputError):
        CaseStore.create(store.path, make_info(), inspector)


def test_wrong_identity_and_wrong_key_leave_file_untouched(new_case):
    store = new_case("a")
    store.append_event("note", {"x": 1})
    path = store.path
    store.close()
    before, keys_before = sha(path), sha(keys_path(path))
    stranger = create_identity("陌生人", "X")
    with pytest.raises(WrongKey):
        CaseStore.open(path, stranger)
    with pytest.raises(WrongKey):
        CaseStore.open_with_key(path, os.urandom(32))
    assert sha(path) == before and sha(keys_path(path)) == keys_before


def test_lead_and_escrow_can_open(new_case, lead, bureau, tmp_path):
    store = new_case("a", lead=lead.public)
    path, key = store.path, store.data_key
    assert {w.role for w in store.key_file.current.wraps} == {"inspector", "lead", "escrow"}
    store.close()
    with CaseStore.open(path, lead) as s:
        assert s.data_key == key


def test_not_a_case_and_damaged_files(new_case, inspector, tmp_path):
    plain = tmp_path / "plain.fjcase"
    import sqlite3

    sqlite3.connect(plain).execute("create table t(x)").connection.commit()
    shutil.copy(keys_path(new_case("a").path), keys_path(plain))
    with pytest.raises(NotACase, match="plain SQLite"):
        CaseStore.open(plain, inspector)

    store = new_case("b")
    store.write_table("b1", "fees", fee_table(20000))
    path = store.path
    store.close()
    nokeys = tmp_path / "copy.fjcase"
    shutil.copy(path, nokeys)
    with pytest.raises(NotACase, match="key file"):
        CaseStore.open(nokeys, inspector)

    data = path.read_bytes()
    trunc = tmp_path / "trunc.fjcase"
    trunc.write_bytes(data[: len(data) // 2 + 100])
    shutil.copy(keys_path(path), keys_path(trunc))
    with pytest.raises(DamagedStore, match="truncated"):
        CaseStore.open(trunc, inspector)

    first = tmp_path / "first.fjcase"
    first.write_bytes(data[:100] + bytes([data[100] ^ 0x40]) + data[101:])
    shutil.copy(keys_path(path), keys_path(first))
    with pytest.raises(DamagedStore, match="page 1"):
        CaseStore.open(first, inspector)

    # a flipped byte in a later page: the store opens, reading the table or verifying names the damage
    flipped = tmp_path / "flip.fjcase"
    pages = len(data) // 4096
    victim = (pages - 2) * 4096 + 2000
    flipped.write_bytes(data[:victim] + bytes([data[victim] ^ 1]) + data[victim + 1:])
    shutil.copy(keys_path(path), keys_path(flipped))
    with CaseStore.open(flipped, inspector) as s:
        report = s.verify()
        assert not report.ok and "HMAC" in report.problems[0] and f"page {pages - 1}" in report.problems[0]
        with pytest.raises(DamagedStore):
            s.read_table("fees")


def test_tables_round_trip_by_month_with_projection(new_case):
    store = new_case("a")
    t1, t2 = fee_table(5000, months=4), fee_table(300, start=5000, months=2)
    with store.transaction():
        assert store.write_table("b1", "fees", t1) == 4
        store.write_table("b2", "fees", t2)
    assert store.read_table("orders") is None and not store.has_table("orders") and store.has_table("fees")
    back = store.read_table("fees")
    assert back.num_rows == 5300 and back.schema == t1.schema
    key = ["feedetl_sn"]
    assert back.sort_by([(k, "ascending") for k in key]).equals(pa.concat_tables([t1, t2]).sort_by([("feedetl_sn", "ascending")]))
    assert store.read_table("fees", columns=["mdtrt_id", "fee_ocur_time"]).column_names == ["mdtrt_id", "fee_ocur_time"]
    assert store.table_row_counts() == {"fees": 5300}
    months = {c["month"] for c in store.chunk_summary() if c["batch_id"] == "b1"}
    assert months == {"2024-01", "2024-02", "2024-03", "2024-04"}


def test_iter_table_yields_the_chunks_in_storage_order(new_case):
    store = new_case("a")
    t1, t2 = fee_table(5000, months=4), fee_table(300, start=5000, months=2)
    store.write_table("b1", "fees", t1)
    store.write_table("b2", "fees", t2)
    chunks = list(store.iter_table("fees"))
    assert [c.num_rows for c in chunks] == [c["rows"] for c in store.chunk_summary()]
    assert pa.concat_tables(chunks).equals(store.read_table("fees"))
    cols = list(store.iter_table("fees", ["fee_ocur_time", "mdtrt_id", "not_a_column"]))
    assert all(c.column_names == ["fee_ocur_time", "mdtrt_id"] for c in cols)
    assert pa.concat_tables(cols).equals(store.read_table("fees").select(["fee_ocur_time", "mdtrt_id"]))
    assert list(store.iter_table("orders")) == []


def test_import_evidence_needs_its_event_and_matching_bytes(new_case):
    store = new_case("a")
    data = "询问笔录扫描件".encode() * 500
    sha = hashlib.sha256(data).hexdigest()
    with pytest.raises(InputError, match="no evidence.added event"):
        store.import_evidence("e-1", data)
    store.append_event(ev.EVIDENCE_ADDED, {"evidence_id": "e-1", "sha256": sha, "size": len(data),
                                           "original_name": "scan.pdf", "kind": "file", "media_type": "application/pdf",
                                           "writes": [write("evidence", "e-1", "finding_id", "F9")]})
    with pytest.raises(InputError, match="SHA-256"):
        store.import_evidence("e-1", data[:-1] + b"x")
    assert [i.evidence_id for i in store.evidence_items()] == []  # nothing half-stored
    item = store.import_evidence("e-1", data)
    assert (item.sha256, item.size, item.original_name, item.finding_id) == (sha, len(data), "scan.pdf", "F9")
    assert store.read_evidence("e-1") == data and store.import_evidence("e-1", data) == item
    assert store.verify().ok


def test_rows_without_a_date_are_kept(new_case):
    store = new_case("a")
    t = fee_table(10)
    times = t.column("fee_ocur_time").to_pylist()
    times[3] = None
    t = t.set_column(2, "fee_ocur_time", pa.array(times, pa.timestamp("s")))
    store.write_table("b1", "fees", t)
    assert store.read_table("fees").num_rows == 10


def test_transaction_rolls_back_data_and_event_together(new_case):
    store = new_case("a")
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.write_table("b1", "fees", fee_table(10))
            store.append_event("note", {"n": 1})
            raise RuntimeError("boom")
    assert store.read_table("fees") is None and len(store.events()) == 1


def test_import_batch_records_files_and_chunks(new_case, inspector):
    store = new_case("a")
    f = ImportedFile("费用明细.csv", "fees", "ab" * 32, 1234, "gbk", 100, 99, 1)
    with store.transaction():
        store.write_table("b1", "fees", fee_table(100))
        e = store.record_import_batch(ImportBatch("b1", "2026-11-01T00:00:00Z", inspector.key_id, (f,)))
    assert store.import_batches() == [ImportBatch("b1", "2026-11-01T00:00:00Z", inspector.key_id, (f,))]
    assert store.find_imported_file("ab" * 32) == f and store.find_imported_file("cd" * 32) is None
    assert e.payload["tables"] == {"fees": 100} and len(e.payload["chunks"]) == 3
    assert store.verify().ok


def test_events_are_append_only_and_chained(new_case, inspector):
    store = new_case("a")
    e1 = store.append_event(ev.FINDING_CREATED, {"writes": [write("finding", "f1", "title", "重复收费")]})
    e2 = store.append_event(ev.FINDING_UPDATED, {"writes": [write("finding", "f1", "title", "重复收费（改）", [e1.event_id])]})
    assert e2.prev_hash == e1.hash and e2.lamport > e1.lamport and e2.author == inspector.key_id
    assert store.state().get("finding", "f1", "title") == "重复收费（改）"
    for sql in ("UPDATE events SET type = 'x'", "DELETE FROM events"):
        with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):
            store.conn.execute(sql)
    with pytest.raises(sqlcipher3.IntegrityError, match="chain"):
        store.conn.execute("INSERT INTO events (event_id, case_id, author, device, lamport, time, type, payload, prev_hash, hash)"
                           " VALUES ('x', 'c', ?, ?, 9, 't', 'x', '{}', 'bogus', 'h')", (inspector.key_id, inspector.device_id))
    assert len(store.events()) == 3


def test_import_events_merges_and_refuses_gaps(new_case, tmp_path, inspector):
    a = new_case("a")
    other = create_identity("赵", "2")
    b = CaseStore.create(tmp_path / "b.fjcase", make_info(case_id=a.case_id), other)
    evs = [b.append_event("note", {"i": i}) for i in range(3)]
    all_b = b.events()
    b.close()
    assert a.import_events(all_b[:1] + evs) == 4
    assert a.import_events(all_b) == 0  # known ones are skipped
    fresh = CaseStore.create(tmp_path / "c.fjcase", make_info(case_id=a.case_id), other)
    try:
        more = [fresh.append_event("note", {}) for _ in range(2)]
    finally:
        fresh.close()
    with pytest.raises(ChainError):
        a.import_events(more[1:])  # a gap
    import dataclasses

    forged = dataclasses.replace(evs[0], payload={"i": 99})
    with pytest.raises(ChainError, match="hash"):
        a.import_events([forged])
    assert a.verify().ok


def test_verify_names_the_first_altered_event(new_case, inspector):
    store = new_case("a")
    evs = [store.append_event("note", {"i": i}) for i in range(5)]
    store.checkpoint()
    store.conn.execute("DROP TRIGGER events_no_update")
    store.conn.execute("UPDATE events SET payload = '{\"i\":42}' WHERE event_id = ?", (evs[2].event_id,))
    report = store.verify()
    assert not report.ok
    assert f"event #4 {evs[2].event_id}" in report.problems[0] and "hash mismatch" in report.problems[0]


def test_rewritten_history_is_caught_by_the_signed_checkpoint(new_case, inspector):
    store = new_case("a")
    [store.append_event("note", {"i": i}) for i in range(3)]
    cp = store.checkpoint()
    # rewrite everything after the creation event with a consistent chain, dropping the checkpoint
    rows = store.events()
    store.conn.execute("DROP TRIGGER events_no_delete")
    store.conn.execute("DROP TRIGGER events_link")
    store.conn.execute("DELETE FROM events WHERE seq > 1")
    from feijian.store import event_log

    event_log.append(store.conn, store.case_id, inspector, "note", {"i": "forged"})
    event_log.insert(store.conn, cp)  # keep the old signed checkpoint in the log
    report = store.verify()
    assert not report.ok and any("checkpoint" in p for p in report.problems)
    # against a trusted head kept outside the file, a rewrite is caught even without checkpoints
    assert not store.verify(trusted_heads=cp.payload["heads"]).ok
    assert len(rows) == 5


def test_forged_checkpoint_signature(new_case):
    store = new_case("a")
    cp = store.checkpoint()

    from feijian.domain.events import make_event

    sig = bytearray(__import__("base64").b64decode(cp.payload["signature"]))
    sig[0] ^= 1
    payload = {**cp.payload, "signature": __import__("base64").b64encode(bytes(sig)).decode()}
    bad = make_event(case_id=cp.case_id, author=cp.author, device=cp.device, lamport=cp.lamport + 1, type=ev.CHECKPOINT,
                     payload=payload, prev_hash=cp.hash)
    store.import_events([bad])
    assert any("bad checkpoint signature" in p for p in store.verify().problems)


def test_evidence_streamed_hashed_exported(new_case, tmp_path):
    store = new_case("a")
    data = os.urandom(2_500_000)
    item = store.add_evidence(io.BytesIO(data), original_name="现场照片.jpg", finding_id="f1", note="病房")
    assert item.sha256 == hashlib.sha256(data).hexdigest() and item.size == len(data)
    assert item.media_type == "image/jpeg"
    assert store.conn.execute("SELECT COUNT(*) FROM evidence_chunks").fetchone()[0] == 3
    assert store.read_evidence(item.evidence_id) == data
    assert b"".join(store.iter_evidence(item.evidence_id)) == data
    out = store.export_evidence(item.evidence_id, tmp_path / "out.jpg")
    assert out.read_bytes() == data
    [listed] = store.evidence_items()
    assert listed.finding_id == "f1" and listed.note == "病房" and listed.original_name == "现场照片.jpg"
    src = tmp_path / "scan.pdf"
    src.write_bytes(b"%PDF-1.4 tiny")
    assert store.add_evidence(src).original_name == "scan.pdf"
    rec = store.add_record("interview", INTERVIEW, finding_id="f1")
    assert rec.kind == "interview" and json.loads(store.read_evidence(rec.evidence_id))["interviewee"] == {"name": "某医生"}
    with pytest.raises(InputError):
        store.add_record("gossip", {})
    with pytest.raises(InputError):
        store.read_evidence("nope")


def test_tampered_evidence_is_named_and_not_exported(new_case, tmp_path):
    store = new_case("a")
    item = store.add_evidence(io.BytesIO(b"original bytes" * 1000), original_name="a.bin")
    store.conn.execute("DROP TRIGGER evidence_chunks_no_update")
    store.conn.execute("UPDATE evidence_chunks SET data = ? WHERE evidence_id = ?", (b"forged", item.evidence_id))
    report = store.verify()
    assert not report.ok and f"evidence {item.evidence_id}: content SHA-256 mismatch" in report.problems[0]
    with pytest.raises(DamagedStore):
        store.export_evidence(item.evidence_id, tmp_path / "x.bin")
    assert not (tmp_path / "x.bin").exists() and list(tmp_path.glob(".x.bin*")) == []


def test_documents_and_screening(new_case):
    store = new_case("a")
    e = store.record_document("notice", "医保飞检〔2026〕1号", b"%PDF fake")
    assert e.payload["sha256"] == hashlib.sha256(b"%PDF fake").hexdigest()
    assert store.documents()[0]["doc_no"] == "医保飞检〔2026〕1号" and store.read_document("医保飞检〔2026〕1号") == b"%PDF fake"
    with pytest.raises(InputError):
        store.record_document("notice", "医保飞检〔2026〕1号", b"again")
    from decimal import Decimal

    assert store.latest_run() is None and store.hits().empty
    run = ScreeningRun("r1", "1", "kb", ("h1",), "s", "f", ("R01",), {"R09": "no orders"}, 2, Decimal("12.5000"))
    hits = pd.DataFrame({"hit_id": ["h1", "h2"], "rule_code": ["R01", "R01"], "amount": [Decimal("10.5"), Decimal("2")]})
    lines = pd.DataFrame({"hit_id": ["h1", "h2", "h2"], "feedetl_sn": ["1", "2", "3"]})
    store.save_screening(run, hits, lines)
    assert store.latest_run() == run
    assert store.hits()["amount"].tolist() == [Decimal("10.5"), Decimal("2")]
    assert store.hit_lines(["h2"])["feedetl_sn"].tolist() == ["2", "3"]
    assert store.verify().ok


def test_rekey_and_escrow_recovery(new_case, inspector, bureau, lead):
    store = new_case("a", lead=lead.public)
    store.write_table("b1", "fees", fee_table(100))
    old_key, path = store.data_key, store.path
    new_key = store.rotate_key()
    assert new_key != old_key and store.read_table("fees").num_rows == 100
    store.close()
    with pytest.raises(WrongKey):
        CaseStore.open_with_key(path, old_key)
    with CaseStore.open(path, inspector) as s:
        assert s.data_key == new_key and s.events()[-1].type == "key.rotated"

    successor = create_identity("张检查", "J-001")  # the same person, new keys after a forgotten passphrase
    keys = recover(path, bureau.escrow_key, successor.public)
    assert {w.role for w in keys.current.wraps} == {"inspector", "lead", "escrow"}
    with pytest.raises(WrongKey):
        CaseStore.open(path, inspector)
    with CaseStore.open(path, successor) as s:
        assert s.data_key != new_key and s.read_table("fees").num_rows == 100 and s.verify().ok
    with CaseStore.open(path, lead) as s:
        assert s.table_row_counts() == {"fees": 100}
    with pytest.raises(WrongKey):
        recover(path, create_identity("x", "y").encryption_key, successor.public)


def test_interrupted_rotation_opens_with_either_key(new_case, inspector):
    from dataclasses import replace

    from feijian.store.case_keys import KeySet

    store = new_case("a")
    path, old_key = store.path, store.data_key
    store.close()
    # the state after the new wraps were written but before PRAGMA rekey ran
    from feijian.store.case_keys import CaseKeys

    keys = CaseKeys.load(path)
    pending = replace(keys, next=KeySet.make(os.urandom(32), keys.case_id, keys.current.recipients()))
    pending.save(path)
    with CaseStore.open(path, inspector) as s:
        assert s.data_key == old_key
    assert CaseKeys.load(path).next is None


def test_time_ordered_extract_is_split_into_months_without_reordering(new_case):
    store = new_case("a")
    t = fee_table(3000, months=6).sort_by([("fee_ocur_time", "ascending")])
    assert store.write_table("b1", "fees", t) == 6
    assert store.read_table("fees").equals(t)
    assert [c["month"] for c in store.chunk_summary()] == [f"2024-0{m}" for m in range(1, 7)]


def test_cancelled_write_and_evidence_leave_nothing(new_case):
    from feijian.domain.errors import Cancelled

    store = new_case("a")
    seen = []
    with pytest.raises(Cancelled):
        store.write_table("b1", "fees", fee_table(600, months=6), progress=lambda d, t, m="": seen.append(d),
                          cancelled=lambda: len(seen) >= 2)
    assert store.read_table("fees") is None and seen == [1, 2]
    with pytest.raises(Cancelled):
        store.add_evidence(io.BytesIO(os.urandom(3 << 20)), original_name="big.bin", cancelled=lambda: True)
    assert store.evidence_items() == [] and len(store.events()) == 1


INTERVIEW = {"start": "2026-11-20 10:00", "end": "2026-11-20 10:40", "place": "医保办",
             "interviewers": [{"name": "王建国", "staff_no": "11010023001"}], "recorder": "李晓梅",
             "interviewee": {"name": "某医生"}, "qa": "问：出院后的检查费是何原因？\n答：系统补记。"}


def test_typed_record_is_checked_before_anything_is_stored(new_case):
    """A record missing what its document needs is refused whole, with every problem named; nothing is
    written (no evidence row, no event)."""
    store = new_case("a")
    events = len(store.events())
    bad = dict(INTERVIEW, end="2026-11-20 09:00", interviewee={"name": "某医生", "id_number": "110105198001011234"},
               remark="x")
    with pytest.raises(InputError) as exc:
        store.add_record("interview", bad)
    text = str(exc.value)
    assert "早于" in text and "校验位" in text and "remark" in text
    with pytest.raises(InputError, match="至少 2 名"):
        store.add_record("interview", dict(INTERVIEW, recorder="王建国"))  # one officer, named twice
    assert store.evidence_items() == [] and len(store.events()) == events
    stored = json.loads(store.read_evidence(store.add_record("interview", INTERVIEW).evidence_id))
    assert stored["qa"] == [{"q": "出院后的检查费是何原因？", "a": "系统补记。"}]  # typed 问/答 lines, as stored
