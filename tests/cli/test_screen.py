"""``feijian screen`` on a data folder and on an encrypted case: the hits file of rules.md and the summary."""

import csv
import datetime as dt
import io
import sys
from pathlib import Path

import pytest

from feijian.cli import main
from feijian.domain.records import CaseInfo, ImportBatch
from feijian.store.case_store import CaseStore
from feijian.store.identities import IdentityStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rules"))
from rule_tables import case, fee, visit  # noqa: E402  (the rules tests' table builders)

PASS = "correct horse battery staple"
HEADER = ["rule_code", "grain", "mdtrt_id", "feedetl_sn", "med_list_codg", "date", "drord_no", "period_start",
          "amount", "detail"]


def _write(path: Path, rows: list[list]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


@pytest.fixture
def data_dir(tmp_path):
    d = tmp_path / "extract"
    d.mkdir()
    _write(d / "institution.csv", [["medins_code", "medins_name", "medins_lv"], ["H1", "测试医院", "3"]])
    _write(d / "visits.csv", [["mdtrt_id", "psn_no", "med_type", "begntime", "endtime"],
                              ["V1", "P1", "21", "2024-03-01 09:00:00", "2024-03-05 10:00:00"]])
    _write(d / "fees.csv", [["feedetl_sn", "mdtrt_id", "fee_ocur_time", "med_list_codg", "cnt", "pric", "det_item_fee_sumamt"],
                            ["1", "V1", "2024-03-02 10:00:00", "X", "1", "10", "10"],
                            ["2", "V1", "2024-03-02 10:00:30", "X", "1", "10", "10"],   # duplicate of 1 (R01)
                            ["3", "V1", "2024-03-09 10:00:00", "Y", "2", "7.5", "15"]])  # after discharge (R05)
    return d


@pytest.fixture
def kb_dir(tmp_path):
    d = tmp_path / "kb"
    d.mkdir()
    _write(d / "kb_items.csv", [["med_list_codg", "price_cap_l3"], ["X", "8"], ["Y", ""]])
    return d


def _hits(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    return [dict(zip(HEADER, r)) for r in rows[1:]]


def test_screen_data_dir_writes_hits_file(data_dir, kb_dir, tmp_path, capsys):
    out = tmp_path / "hits.csv"
    rc = main(["--home", str(tmp_path / "home"), "screen", str(data_dir), "--kb", str(kb_dir),
               "--rules", "R01,R02,R05,R11", "--out", str(out)])
    assert rc == 0
    hits = {(h["rule_code"], h["feedetl_sn"]): h for h in _hits(out)}
    assert set(hits) == {("R01", "2"), ("R02", "1"), ("R02", "2"), ("R05", "3")}
    assert hits[("R05", "3")]["amount"] == "15.00" and hits[("R01", "2")]["amount"] == "10.00"
    assert hits[("R02", "1")]["amount"] == "2.00" and hits[("R05", "3")]["grain"] == "line"
    text = capsys.readouterr().out
    assert "R11" in text and "needs diagnoses" in text  # not run: listed in the summary, not in the file
    # each line once with its largest amount: line 1 → 2, line 2 → 10, line 3 → 15
    assert "case total 27.00" in text


def test_screen_unknown_rule_and_missing_kb_are_clear_errors(data_dir, tmp_path, capsys):
    out = tmp_path / "hits.csv"
    assert main(["--home", str(tmp_path / "h"), "screen", str(data_dir), "--rules", "R99", "--out", str(out)]) != 0
    assert "R99" in capsys.readouterr().err
    assert main(["--home", str(tmp_path / "h"), "screen", str(data_dir), "--kb", str(tmp_path / "nope"),
                 "--out", str(out)]) != 0
    err = capsys.readouterr().err
    assert "knowledge-base" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_screen_case_reads_the_encrypted_store_and_saves_the_run(tmp_path, kb_dir, monkeypatch, capsys):
    home = tmp_path / "home"
    monkeypatch.setenv("FEIJIAN_PASSPHRASE", PASS)
    identity = IdentityStore(home).create("张三", "A001", "lead", PASS, fast=True)
    (home / "cases").mkdir(parents=True)
    info = CaseInfo("0190c0de-0000-7000-8000-0000000000bb", "筛查命令", "H1", "测试医院", "3",
                    data_period_start=dt.date(2024, 1, 1), data_period_end=dt.date(2024, 12, 31))
    tables = case([fee("V1", "1", "X", "2024-03-02 10:00", 1, 10), fee("V1", "2", "X", "2024-03-02 10:00", 1, 10),
                   fee("V2", "1", "X", "2024-04-09 10:00", 1, 10)],
                  [visit("V1", "2024-03-01 09:00", "2024-03-05 10:00"),
                   visit("V2", "2024-04-01 09:00", "2024-04-05 10:00", psn_no="P2")])
    with CaseStore.create(home / "cases" / "t.fjcase", info, identity) as store:
        for name, t in tables.items():
            store.write_table("b1", name, t)
        store.record_import_batch(ImportBatch("b1", "2024-06-01T00:00:00Z", "张三"))
    out = tmp_path / "case_hits.csv"
    assert main(["--home", str(home), "screen", "t", "--kb", str(kb_dir), "--rules", "R01,R05", "--out", str(out)]) == 0
    hits = sorted((h["rule_code"], h["mdtrt_id"], h["feedetl_sn"], h["amount"]) for h in _hits(out))
    assert hits == [("R01", "V1", "2", "10.00"), ("R05", "V2", "1", "10.00")]
    assert "case total 20.00" in capsys.readouterr().out
    with CaseStore.open(home / "cases" / "t.fjcase", IdentityStore(home).unlock(PASS)) as store:
        run = store.latest_run()
        assert run is not None and run.rules_run == ("R01", "R05") and run.hit_count == 2
        assert len(store.hit_lines()) == 2
