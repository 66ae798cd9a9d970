"""screen_case over a real encrypted case store: tables read from the store, run saved as an event."""

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from feijian.casework.screening import screen_case
from feijian.crypto.identity import create_identity
from feijian.domain.records import CaseInfo
from feijian.store.case_store import CaseStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rules"))
from rule_tables import case, fee, kb, visit  # noqa: E402  (the rules tests' table builders)


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    info = CaseInfo(case_id="case-s", name="筛查测试", medins_code="H1", medins_name="测试医院", medins_lv="3",
                    data_period_start=dt.date(2024, 1, 1), data_period_end=dt.date(2024, 12, 31))
    s = CaseStore.create(tmp_path / "s.fjcase", info, create_identity("张检查", "J-001"))
    yield s
    s.close()


def test_screen_case_reads_store_and_saves_run(store):
    tables = case([fee("V1", "1", "X", "2024-03-02 10:00", 1, 10), fee("V1", "2", "X", "2024-03-02 10:00", 1, 10),
                   fee("V1", "3", "X", "2024-03-09 10:00", 2, 10)],
                  [visit("V1", "2024-03-01 09:00", "2024-03-05 10:00")])
    for name, t in tables.items():
        store.write_table("b1", name, t)
    result = screen_case(store, kb=kb(), rules=["R01", "R05", "R11"])
    assert sorted(result.hits["rule_code"]) == ["R01", "R05"]
    assert "R11" in result.not_run
    assert result.run.total_amount == Decimal("30.00")
    saved = store.latest_run()
    assert saved is not None and saved.run_id == result.run.run_id
    assert len(store.hits()) == 2 and len(store.hit_lines()) == 2


# --- load_kb: the bundled sample and broken folders ------------------------------------------------------
from feijian.casework.screening import load_kb  # noqa: E402
from feijian.rules import KnowledgeBaseError  # noqa: E402


def test_load_kb_bundled_sample_is_valid_and_hash_stable():
    k = load_kb()
    assert k.items.num_rows > 10
    codes = k.items.column("med_list_codg").to_pylist()
    assert len(codes) == len(set(codes))
    assert "kb_exclusive_pairs" in k.tables() and k.threshold("readmit_days") > 0
    assert load_kb().hash == k.hash and len(k.hash) >= 32


def _kb_folder(tmp_path, name, text):
    d = tmp_path / name
    d.mkdir()
    (d / "kb_items.csv").write_text(text, encoding="utf-8")
    return d


@pytest.mark.parametrize("text, words", [
    ("med_list_codg,max_units_per_day\nA,三\n", "max_units_per_day"),        # not a number
    ("med_list_codg,gender_limit\nA,3\n", "gender_limit"),                     # not 1 or 2
    ("med_list_codg,price_cap_l3\nA,1\nA,2\n", "line 3"),                       # duplicate code
])
def test_load_kb_broken_folder_is_one_clear_error(tmp_path, text, words):
    with pytest.raises(KnowledgeBaseError) as e:
        load_kb(_kb_folder(tmp_path, "kb", text))
    msg = str(e.value)
    assert words in msg and "\n" not in msg


def test_load_kb_missing_or_empty_folder(tmp_path):
    with pytest.raises(KnowledgeBaseError, match="no knowledge-base folder"):
        load_kb(tmp_path / "absent")
    (tmp_path / "empty").mkdir()
    with pytest.raises(KnowledgeBaseError):
        load_kb(tmp_path / "empty")


def test_case_tables_reads_only_the_columns_rules_use(store):
    from feijian.casework.screening import case_tables

    tables = case([fee("V1", "1", "X", "2024-03-02 10:00", 1, 10)], [visit("V1", "2024-03-01 09:00", "2024-03-05 10:00")])
    for name, t in tables.items():
        store.write_table("b1", name, t)
    lean = case_tables(store)
    assert set(lean) == {"institution", "visits", "fees"}  # absent tables left out: rules say "not run"
    assert "_batch" not in lean["fees"].column_names and "bilg_dept_codg" not in lean["fees"].column_names
    assert {"mdtrt_id", "feedetl_sn", "cnt", "det_item_fee_sumamt"} <= set(lean["fees"].column_names)
    assert "_batch" in case_tables(store, columns={})["fees"].column_names


def test_quotes_of_documents_in_the_store_are_read_from_their_chunk_only(tmp_path, monkeypatch):
    """The screening reads every document's normal text but the texts as written only of the chunks it
    quotes (here the March chunk of two months); a case whose documents have no stored normal text (imported
    before it was kept) is read from the texts and quotes the same."""
    import pyarrow.compute as pc

    from rule_tables import doc
    from feijian.rules.record_prep import NORMAL_TEXT, with_normal_text

    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    items = [{"med_list_codg": "BED", "category": "bed"}]
    tables = case([fee("V1", "1", "BED", "2024-03-05 00:00", 1, 50), fee("V2", "1", "BED", "2024-04-05 00:00", 1, 50)],
                  [visit("V1", "2024-03-01 09:00", "2024-03-10 10:00"), visit("V2", "2024-04-01 09:00", "2024-04-10 10:00")],
                  emr_docs=[doc("N1", "V1", "nursing", "2024-03-05 20:00", "体温正常。患者 请假 离院，ＡＢ"),
                            doc("N2", "V2", "nursing", "2024-04-05 20:00", "夜间平稳。")])
    for with_norm in (True, False):
        info = CaseInfo(case_id=f"q{with_norm}", name="引文", medins_code="H1", medins_name="测试医院", medins_lv="3",
                        data_period_start=dt.date(2024, 1, 1), data_period_end=dt.date(2024, 12, 31))
        s = CaseStore.create(tmp_path / f"q{with_norm}.fjcase", info, create_identity("张检查", "J-001"))
        for name, t in tables.items():
            s.write_table("b1", name, with_normal_text(t) if name == "emr_docs" and with_norm else t)
        assert len(s.table_chunks("emr_docs")) == 2
        read = []
        iter_table = s.iter_table
        monkeypatch.setattr(s, "iter_table", lambda table, columns=None, positions=None:
                            read.append((table, tuple(columns or ()), positions)) or iter_table(table, columns, positions))
        hits = screen_case(s, kb=kb(items), rules=["R29"], save=False).hits
        assert list(hits["mdtrt_id"]) == ["V1"] and "「患者 请假 离院」" in hits["detail"][0]
        doc_reads = [r for r in read if r[0] == "emr_docs"]
        assert (NORMAL_TEXT in doc_reads[0][1]) and "text" not in doc_reads[0][1]
        if with_norm:  # the first pass without the texts, then the March chunk's texts only
            assert doc_reads[1:] == [("emr_docs", ("text",), [0])]
        else:  # no normal text stored: both chunks' texts are read to make it
            assert doc_reads[1:] == [("emr_docs", ("text",), [0, 1])]
        assert pc.sum(pc.utf8_length(s.read_table("emr_docs", ["text"]).column("text"))).as_py() > 0
        s.close()
