"""The case's own phrases for kb_item_terms: events that the next screening reads, merged as a union."""

import datetime as dt
import sys
from pathlib import Path

import pytest

from feijian.casework.case_terms import add_item_term, case_kb, case_terms, withdraw_item_term, with_case_terms
from feijian.casework.changes import undo
from feijian.casework.screening import screen_case
from feijian.crypto.identity import create_identity
from feijian.domain.errors import InputError
from feijian.domain.records import CaseInfo
from feijian.store.case_store import CaseStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rules"))
from rule_tables import case, doc, fee, kb, visit  # noqa: E402

CT = {"med_list_codg": "CT", "doc_types": "exam_report", "terms": "CT"}


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    info = CaseInfo(case_id="case-t", name="用语", medins_code="H1", medins_name="测试医院", medins_lv="3",
                    data_period_start=dt.date(2024, 1, 1), data_period_end=dt.date(2024, 12, 31))
    s = CaseStore.create(tmp_path / "t.fjcase", info, create_identity("张检查", "J-001"))
    tables = case([fee("V1", "1", "CT", "2024-03-02 10:00", 1, 200), fee("V1", "2", "MRI", "2024-03-02 10:00", 1, 600)],
                  [visit("V1", "2024-03-01 09:00", "2024-03-05 10:00")],
                  emr_docs=[doc("D1", "V1", "exam_report", "2024-03-02 12:00", "胸部计算机断层扫描：未见异常"),
                            doc("D2", "V1", "exam_report", "2024-03-02 12:00", "头颅磁共振：正常")])
    for name, t in tables.items():
        s.write_table("b1", name, t)
    yield s
    s.close()


def test_a_phrase_added_in_the_case_is_used_by_the_next_screening(store):
    knowledge = kb(terms=[CT])
    first = screen_case(store, kb=knowledge, rules=["R24"])
    assert list(first.hits["feedetl_sn"]) == ["1"]
    add_item_term(store, "CT", "计算机断层")
    second = screen_case(store, kb=knowledge, rules=["R24"])
    assert len(second.hits) == 0
    assert second.run.kb_hash != first.run.kb_hash  # the run names the knowledge base it ran with


def test_an_item_without_a_row_needs_document_types(store):
    knowledge = kb(terms=[CT])
    with pytest.raises(InputError, match="document type"):
        add_item_term(store, "MRI", "磁共振", doc_types=["病案首页"])
    add_item_term(store, "MRI", "磁共振", doc_types=["检查报告"])
    merged = case_kb(store, knowledge)
    rows = {r["med_list_codg"]: r for r in merged.item_terms.to_pylist()}
    assert rows["MRI"]["doc_types"] == "exam_report" and rows["MRI"]["terms"] == "磁共振"
    assert rows["CT"]["terms"] == "CT"
    res = screen_case(store, kb=knowledge, rules=["R24"])
    assert sorted(res.hits["feedetl_sn"]) == ["1"]  # MRI is now checked and found in D2


def test_withdrawing_and_undoing_a_phrase(store):
    change = add_item_term(store, "CT", "计算机断层", note="该院写法")
    [term] = case_terms(store.state())
    assert (term.med_list_codg, term.term, term.note) == ("CT", "计算机断层", "该院写法")
    undo(store, change)  # undoing the addition withdraws it
    assert case_terms(store.state()) == []
    add_item_term(store, "CT", "电子计算机断层")
    [term] = case_terms(store.state())
    redo = withdraw_item_term(store, term.term_id)
    assert case_terms(store.state()) == []
    undo(store, redo)  # undoing the withdrawal brings it back
    assert [t.term for t in case_terms(store.state())] == ["电子计算机断层"]
    with pytest.raises(InputError):
        add_item_term(store, "CT", "  ")


def test_two_inspectors_phrases_merge_as_a_union():
    from feijian.casework.case_terms import CaseTerm

    knowledge = kb(terms=[CT])
    merged = with_case_terms(knowledge, [CaseTerm("a", "CT", "计算机断层", ()), CaseTerm("b", "CT", "CT", ()),
                                         CaseTerm("c", "CT", "电子计算机断层", ("progress",))])
    row = merged.item_terms.to_pylist()[0]
    assert row["terms"] == "CT;计算机断层;电子计算机断层" and row["doc_types"] == "exam_report;progress"
    assert with_case_terms(knowledge, []) is knowledge
