"""No plaintext on disk from the auditor's own queries: a case with a canary patient, queried, analysed, its
result put in evidence and checked — the canary is found in no file under the data folder, temp or logs; only
an explicit ``--out`` writes it (the user's export)."""

import datetime as dt
import sys
import tempfile
from pathlib import Path

import pyarrow as pa

from feijian.casework.findings import create_finding
from feijian.domain.records import CaseInfo
from feijian.store.case_store import CaseStore
from feijian.store.identities import IdentityStore

from cli_run import run

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from canary_scan import CANARY_ID, CANARY_NAME, scan  # noqa: E402

PASS = "pw-canary"


def test_queries_and_result_evidence_leave_no_plaintext(tmp_path, monkeypatch, capsys):
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    monkeypatch.setenv("FEIJIAN_PASSPHRASE", PASS)
    identity = IdentityStore(home).create("周检查", "YB-9", "inspector", PASS, fast=True)
    (home / "cases").mkdir(parents=True)
    info = CaseInfo("0190c0de-0000-7000-8000-0000000000cc", "金丝雀", "H1", "测试医院", "3",
                    data_period_start=dt.date(2024, 1, 1), data_period_end=dt.date(2024, 12, 31))
    n = 3000
    with CaseStore.create(home / "cases" / "k.fjcase", info, identity) as store:
        store.write_table("b1", "visits", pa.table({
            "mdtrt_id": [f"M{i:06d}" for i in range(n)],
            "psn_name": [CANARY_NAME if i % 100 == 7 else f"患者{i}" for i in range(n)],
            "certno": [CANARY_ID if i % 100 == 7 else f"1101051949123{i:05d}" for i in range(n)]}))
        fid = create_finding(store, title="冒名就医", amount="10").finding_id
    sql = "SELECT psn_name, certno, count(*) AS n FROM visits GROUP BY psn_name, certno ORDER BY n DESC, psn_name, certno"
    assert run(home, "query", "k", sql, "--limit", "5", "--evidence-for", fid) == 0
    assert CANARY_NAME in capsys.readouterr().out  # shown on screen, as asked
    assert run(home, "analyse", "k", "top", "--table", "visits", "--by", "psn_name", "--evidence-for", fid) == 0
    assert run(home, "analyse", "k", "duplicates", "--table", "visits", "--fields", "certno") == 0
    assert run(home, "analyse", "k", "--rerun", "1") == 0
    capsys.readouterr()
    assert run(home, "evidence", "list", "k") == 0
    evidence_id = capsys.readouterr().out.split("\t")[0]
    assert run(home, "analyse", "k", "--check-evidence", evidence_id) == 0
    assert scan([home, tmp]) == []
    out = tmp_path / "export" / "names.csv"
    out.parent.mkdir()
    assert run(home, "query", "k", sql, "--out", str(out)) == 0
    assert scan([home, tmp]) == [] and scan([out.parent])  # only the explicit export holds it
