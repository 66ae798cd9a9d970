"""``feijian sample``, ``feijian clues`` and ``feijian stage`` on a real encrypted case."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pyarrow as pa
import pytest

from feijian.domain.records import CaseInfo, ImportBatch, TeamMember
from feijian.store.case_store import CaseStore
from feijian.store.identities import IdentityStore

from cli_run import run

PASS = "correct horse battery staple"


@pytest.fixture
def case(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("FEIJIAN_PASSPHRASE", PASS)
    identity = IdentityStore(home).create("张三", "A001", "lead", PASS, fast=True)
    (home / "cases").mkdir(parents=True)
    info = CaseInfo("0190c0de-0000-7000-8000-0000000000aa", "抽样测试", "H1", "测试医院", "3",
                    team=(TeamMember("张三", "A001"), TeamMember("李四", "A002")))
    with CaseStore.create(home / "cases" / "t.fjcase", info, identity) as store:
        n = 40
        store.write_table("b1", "fees", pa.table({
            "mdtrt_id": [f"V{i:03d}" for i in range(n)], "feedetl_sn": ["1"] * n,
            "fee_ocur_time": pa.array([dt.datetime(2025, 1 + i % 12, 1) for i in range(n)], pa.timestamp("s")),
            "det_item_fee_sumamt": pa.array([Decimal(f"{10 + i * 7}.50") for i in range(n)], pa.decimal128(18, 4)),
            "bilg_dept_codg": [["NK", "WK"][i % 2] for i in range(n)],
        }))
        store.write_table("b1", "visits", pa.table({"mdtrt_id": [f"V{i:03d}" for i in range(n)],
                                                   "psn_no": [f"P{i % 10}" for i in range(n)]}))
        store.record_import_batch(ImportBatch("b1", "2026-03-01T00:00:00Z", "张三"))
    return home


def test_sample_draw_verify_results_and_extrapolate(case, tmp_path, capsys):
    out = tmp_path / "sheet.csv"
    assert run(case, "sample", "t", "--method", "stratified", "--n", "10", "--seed", "2026", "--out", str(out)) == 0
    text = capsys.readouterr().out
    sample_id = text.split("sample id: ")[1].split()[0]
    sheet = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert len(sheet) == 10 and {r["stratum"] for r in sheet} == {"NK", "WK"}
    # the same seed on the same data selects the same units
    out2 = tmp_path / "sheet2.csv"
    assert run(case, "sample", "t", "--method", "stratified", "--n", "10", "--seed", "2026", "--out", str(out2)) == 0
    assert [r["unit_id"] for r in csv.DictReader(io.StringIO(out2.read_bytes().decode("utf-8-sig")))] == [r["unit_id"] for r in sheet]
    assert run(case, "sample", "t", "--sample", sample_id, "--verify") == 0
    results = tmp_path / "results.csv"
    results.write_text("unit_id,audited,note\n" + "".join(f"{r['unit_id']},{Decimal(r['amount']) - 5},查\n" for r in sheet),
                       encoding="utf-8")
    capsys.readouterr()
    assert run(case, "sample", "t", "--sample", sample_id, "--results", str(results), "--extrapolate") == 0
    text = capsys.readouterr().out
    assert "point estimate: 200.00" in text  # 5 yuan overpaid on each of the 40 encounters
    assert run(case, "sample", "t", "--method", "srs", "--n", "99", "--seed", "1", "--out", str(out)) == 2


def test_clues_and_stage_commands(case, tmp_path, capsys):
    src = tmp_path / "线索.csv"
    src.write_bytes("线索编号,人员编号,线索描述,疑似金额\nK1,P1,疑似重复,100\nK2,P2,疑似冒名,50\n".encode("gbk"))
    assert run(case, "clues", "import", "t", str(src)) == 2  # unsigned: refused unless asked
    assert run(case, "clues", "import", "t", str(src), "--unsigned") == 0
    assert run(case, "clues", "result", "t", "K2", "--result", "不属实", "--explanation", "本人就医") == 0
    assert "1/2" in capsys.readouterr().out
    fb = tmp_path / "fb.csv"
    assert run(case, "clues", "feedback", "t", "--out", str(fb)) == 0
    rows = list(csv.reader(io.StringIO(fb.read_bytes().decode("utf-8-sig"))))
    assert [r[0] for r in rows] == ["线索编号", "K1", "K2"] and rows[2][4] == "不属实"
    assert run(case, "clues", "result", "t", "K1", "--result", "属实", "--amount", "-1", "--explanation", "x") == 2
    capsys.readouterr()
    assert run(case, "stage", "t", "--to", "data") == 0
    assert "数据调取" in capsys.readouterr().out
    assert run(case, "stage", "t", "--next") == 3  # no screening run: gate not met
    assert run(case, "stage", "t", "--next", "--override-reason", "先行抽查病历") == 0  # the identity is the lead
    assert "分析核查" in capsys.readouterr().out
