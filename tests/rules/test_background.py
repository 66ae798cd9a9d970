"""R24–R29 and the record documents run beside the other rules (feijian.rules.background): the same hits in
the same order as run in their turn, a cancel that stops the worker and raises, the worker's errors raised
as they would be without it."""

import threading

import duckdb
import pyarrow as pa
import pytest
from rule_tables import case, doc, fee, kb, visit

from feijian.domain.errors import Cancelled, InputError
from feijian.rules import screen
from feijian.rules.background import Background

WORKER = "feijian-screening-background"
VISITS = [visit("V1", "2024-03-01 09:00", "2024-03-10 10:00"), visit("V2", "2024-03-01 09:00", "2024-03-06 10:00")]
FEES = [fee("V1", "1", "CT", "2024-03-02 10:00", 1, 200), fee("V1", "2", "CT", "2024-03-08 10:00", 1, 200),
        fee("V1", "3", "ST", "2024-03-03 10:00", 3, 900), fee("V1", "4", "N1", "2024-03-04 10:00", 1, 30),
        fee("V1", "5", "BED", "2024-03-05 10:00", 1, 50), fee("V1", "6", "CT", "2024-03-02 10:00", 1, 200),
        fee("V2", "1", "N2", "2024-03-02 10:00", 1, 20), fee("V2", "2", "ST", "2024-03-02 10:00", 1, 900)]
DOCS = [doc("D1", "V1", "exam_report", "2024-03-03 08:00", "胸部CT平扫：未见异常"),
        doc("D2", "V1", "operation", "2024-03-03 12:00", "术中置入药物洗脱支架两枚。"),
        doc("D3", "V1", "nursing", "2024-03-04 08:00", "二级护理。患者安静。"),
        doc("D4", "V1", "nursing", "2024-03-05 08:00", "患者请假离院，未返院"),
        doc("D5", "V2", "nursing", "2024-03-02 08:00", "一级护理"),
        doc("D6", "V2", "operation", "2024-03-02 09:00", "未置入支架")]
KB = kb([{"med_list_codg": "ST", "category": "high_value_material"}, {"med_list_codg": "N1", "category": "nursing"},
         {"med_list_codg": "N2", "category": "nursing"}, {"med_list_codg": "BED", "category": "bed"}],
        materials=[{"material_codg": "ST", "oprn_prefixes": "36.06"}],
        terms=[{"med_list_codg": "CT", "doc_types": "exam_report", "terms": "CT"},
               {"med_list_codg": "ST", "doc_types": "operation", "terms": "支架"},
               {"med_list_codg": "N1", "doc_types": "nursing", "terms": "一级护理"},
               {"med_list_codg": "N2", "doc_types": "nursing", "terms": "二级护理"}])


class Documents:
    """The documents as the case store offers them (``chunks(columns)``), noting the threads that read them."""

    def __init__(self, table: pa.Table, size: int = 2, bad_at: int | None = None):
        self.table, self.size, self.bad_at, self.threads = table, size, bad_at, []

    def chunks(self, columns=None, positions=None):
        t = self.table.select([c for c in columns if c in self.table.column_names]) if columns else self.table
        starts = range(0, t.num_rows, self.size)
        for k in positions if positions is not None else range(len(starts)):
            self.threads.append(threading.current_thread().name)
            piece = t.slice(starts[k], self.size)
            if k == self.bad_at:  # a date that is no date: the engine refuses the table
                piece = piece.set_column(piece.column_names.index("doc_time"), "doc_time",
                                         pa.array(["不是日期"] * piece.num_rows))
            yield piece


def _tables(**kw) -> tuple[dict, Documents]:
    tables = case(FEES, VISITS, emr_docs=DOCS)
    source = Documents(tables["emr_docs"], **kw)
    tables["emr_docs"] = source
    return tables, source


def _hits(result):
    return result.hits.sort_values("hit_id").reset_index(drop=True), result.hit_lines.sort_values(
        ["hit_id", "mdtrt_id", "feedetl_sn"]).reset_index(drop=True)


def test_documents_loaded_beside_the_rules_give_the_hits_of_the_serial_run():
    tables, source = _tables()
    seen = []
    beside = screen(tables, KB, overlap=True, progress=lambda done, total, message: seen.append((done, total)))
    assert WORKER in source.threads  # read by the worker, not when R24 asked
    assert seen[-1][0] == seen[-1][1] and [d for d, _ in seen] == sorted(d for d, _ in seen)
    tables, source = _tables()
    serial = screen(tables, KB, overlap=False)
    assert WORKER not in source.threads
    (h1, l1), (h2, l2) = _hits(beside), _hits(serial)
    assert set(h1["rule_code"]) >= {"R24", "R26", "R27", "R29"}  # the case exercises the record rules
    assert h1.equals(h2) and l1.equals(l2)
    assert list(beside.hits["hit_id"]) == list(serial.hits["hit_id"])  # in rule order, as before
    assert beside.run.total_amount == serial.run.total_amount
    assert beside.run.rules_run == serial.run.rules_run


def test_without_record_rules_nothing_runs_in_the_background():
    tables, source = _tables()
    screen(tables, KB, rules=["R01", "R05"])
    assert source.threads == []


def test_a_cancel_seen_by_the_worker_raises_cancelled_and_leaves_no_thread():
    tables, _ = _tables(size=1)
    with pytest.raises(Cancelled):
        screen(tables, KB, cancelled=lambda: threading.current_thread().name == WORKER)
    assert WORKER not in {t.name for t in threading.enumerate()}


def test_an_error_of_the_worker_is_raised_as_in_the_serial_run():
    errors = []
    for overlap in (True, False):
        tables, _ = _tables(bad_at=1)
        with pytest.raises(InputError) as exc:
            screen(tables, KB, overlap=overlap)
        errors.append(str(exc.value))
    assert errors[0] == errors[1] and "emr_docs" in errors[0]
    assert WORKER not in {t.name for t in threading.enumerate()}


def test_a_cancel_while_waiting_interrupts_the_worker_s_statement():
    con = duckdb.connect(":memory:")
    started = threading.Event()

    def work(cursor, cancelled):
        started.set()
        return cursor.execute("SELECT count(*) FROM range(100000000000) t(i) WHERE i % 7 = 3").fetchall()

    job = Background(con, work)
    started.wait(10)
    with pytest.raises(Cancelled):
        job.result(cancelled=lambda: True)  # the statement would run for minutes
    assert not job._thread.is_alive()
    con.close()


def test_the_worker_s_exception_and_value_reach_the_caller():
    con = duckdb.connect(":memory:")
    with pytest.raises(duckdb.CatalogException):
        Background(con, lambda cursor, cancelled: cursor.execute("SELECT * FROM no_such_table")).result()
    job = Background(con, lambda cursor, cancelled: cursor.execute("CREATE TABLE made AS SELECT 42 AS x") and 7)
    assert job.result() == 7
    assert con.execute("SELECT x FROM made").fetchall() == [(42,)]  # a cursor's tables are the connection's
    con.close()
