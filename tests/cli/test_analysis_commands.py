"""``feijian query`` and ``feijian analyse`` on a real encrypted demo case: paged tables, refusals with the
guard's message and a nonzero exit, every run in the command log, history and rerun, CSV only on ``--out``."""

import csv
import io
import shutil
from decimal import Decimal

import pandas as pd
import pytest

from feijian.casework.analysis_log import history
from feijian.domain.contract import load_contract
from feijian.store.case_store import CaseStore
from feijian.store.identities import IdentityStore

from cli_run import run

PASS = "pass-analysis"


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    monkeypatch.setenv("FEIJIAN_PASSPHRASE", PASS)


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("FEIJIAN_KDF_FAST", "1")
    mp.setenv("FEIJIAN_PASSPHRASE", PASS)
    root = tmp_path_factory.mktemp("analysis-demo")
    data, home = root / "data", root / "home"
    assert run(root / "unused", "demo-data", str(data), "--scale", "0.02", "--seed", "3") == 0
    assert run(home, "identity", "new", "--name", "周检查", "--staff-no", "YB-9") == 0
    assert run(home, "case", "new", "c", "--data", str(data)) == 0
    assert run(home, "import", "c", str(data)) == 0
    mp.undo()
    return root


@pytest.fixture
def home(demo_home, tmp_path):
    """A copy of the imported demo case per test (each test writes its own command log)."""
    h = tmp_path / "home"
    shutil.copytree(demo_home / "home", h)
    return h


def fees_csv(demo_home) -> pd.DataFrame:
    """The demo's fee lines read independently (pandas, from the generated GBK extract, its Chinese headers in
    the contract's field order)."""
    df = pd.read_csv(demo_home / "data" / "费用明细.csv", dtype=str, encoding="gbk", keep_default_na=False)
    names = [f.name for f in load_contract().table("fees").fields]
    assert len(df.columns) == len(names)
    df.columns = names
    return df


def logged(home):
    with CaseStore.open(home / "cases" / "c.fjcase", IdentityStore(home).unlock(PASS)) as store:
        return history(store)


def read_csv(path):
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def test_query_shows_a_page_logs_the_run_and_writes_a_file_only_on_request(home, demo_home, tmp_path, capsys):
    sql = ("SELECT bilg_dept_codg, count(*) AS n, sum(det_item_fee_sumamt) AS total FROM fees "
           "GROUP BY bilg_dept_codg ORDER BY bilg_dept_codg")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    assert run(home, "query", "c", sql, "--limit", "3") == 0
    out = capsys.readouterr().out
    expected = fees_csv(demo_home).assign(a=lambda d: d.det_item_fee_sumamt.map(Decimal))
    groups = expected.groupby("bilg_dept_codg").agg(n=("a", "size"), total=("a", "sum")).sort_index()
    lines = out.splitlines()
    assert lines[0].split() == ["bilg_dept_codg", "n", "total"]
    first = lines[2].split()
    assert first[0] == groups.index[0] and int(first[1]) == groups.n.iloc[0] and Decimal(first[2]) == groups.total.iloc[0]
    assert f"rows 1–3 of {len(groups)}" in out and "logged: event" in out
    assert len([ln for ln in lines[2:] if ln and ln.split()[0] in set(groups.index)]) == 3
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing written beside the case
    runs = logged(home)
    assert [r.kind for r in runs] == ["query"] and runs[0].request["sql"] == sql and runs[0].rows == len(groups)
    assert runs[0].by == "周检查（YB-9）" and runs[0].sha256 in out

    assert run(home, "query", "c", sql, "--limit", "3", "--page", "2") == 0
    assert f"rows 4–6 of {len(groups)}" in capsys.readouterr().out
    dest = tmp_path / "groups.csv"
    assert run(home, "query", "c", sql, "--limit", "2", "--out", str(dest)) == 0
    rows = read_csv(dest)  # the whole result, not the page
    assert [r["bilg_dept_codg"] for r in rows] == list(groups.index)
    assert [Decimal(r["total"]) for r in rows] == list(groups.total)


@pytest.mark.parametrize("sql,word", [
    ("DELETE FROM fees", "DELETE"),
    ("ATTACH '/tmp/x.db' AS x", "ATTACH"),
    ("COPY fees TO '/tmp/fees.csv'", "COPY"),
    ("SELECT * FROM read_csv('/etc/passwd')", "read_csv"),
    ("SELECT 1; SELECT 2", "only one statement"),
])
def test_a_refused_statement_prints_the_guards_reason_and_exits_nonzero(home, capsys, sql, word):
    assert run(home, "query", "c", sql) == 2
    err = capsys.readouterr().err
    assert err.startswith("feijian: ") and word in err and len(err.strip().splitlines()) == 1
    assert logged(home) == []  # a refused statement never ran, so nothing is logged


def test_query_errors_and_the_table_list(home, capsys):
    assert run(home, "query", "c", "SELECT nosuchfield FROM fees") == 2
    assert "query error" in capsys.readouterr().err
    assert run(home, "query", "c") == 2
    assert run(home, "query", "c", "--tables") == 0
    out = capsys.readouterr().out
    assert "fees: feedetl_sn, mdtrt_id" in out and "visits:" in out


def test_each_analysis_runs_from_the_command_line_and_is_logged(home, demo_home, tmp_path, capsys):
    fees = fees_csv(demo_home)
    amounts = fees.det_item_fee_sumamt.map(Decimal)
    stats = tmp_path / "stats.csv"
    assert run(home, "analyse", "c", "stats", "--field", "det_item_fee_sumamt", "--out", str(stats)) == 0
    got = {r["statistic"]: r["value"] for r in read_csv(stats)}
    assert int(got["count"]) == len(fees) and Decimal(got["sum"]) == amounts.sum()
    assert Decimal(got["max"]) == amounts.max() and int(got["distinct"]) == amounts.nunique()

    strata = tmp_path / "strata.csv"
    assert run(home, "analyse", "c", "stratify", "--field", "det_item_fee_sumamt", "--edges", "0,10,100,100000",
               "--out", str(strata)) == 0
    bands = {r["band"]: int(r["count"]) for r in read_csv(strata)}
    assert bands["[10, 100)"] == int(((amounts >= 10) & (amounts < 100)).sum())
    assert sum(bands.values()) == len(fees)

    capsys.readouterr()
    assert run(home, "analyse", "c", "top", "--by", "bilg_dr_codg", "--value", "det_item_fee_sumamt", "--n", "3") == 0
    out = capsys.readouterr().out
    by_doctor = fees.assign(a=amounts).groupby("bilg_dr_codg").a.sum().sort_values(ascending=False)
    assert out.splitlines()[2].split()[0] == by_doctor.index[0]
    assert Decimal(out.splitlines()[2].split()[2]) == by_doctor.iloc[0]

    assert run(home, "analyse", "c", "benford", "--field", "det_item_fee_sumamt", "--digits", "2") == 0
    assert "MAD" in capsys.readouterr().out
    for args in (["gaps", "--key", "feedetl_sn", "--group", "mdtrt_id"],
                 ["key-duplicates", "--key", "feedetl_sn", "--group", "mdtrt_id"],
                 ["duplicates", "--fields", "mdtrt_id,med_list_codg,fee_ocur_time", "--value", "det_item_fee_sumamt"],
                 ["crosstab", "--rows", "bilg_dept_codg", "--cols", "med_chrgitm_type"],
                 ["stratify", "--field", "det_item_fee_sumamt", "--bands", "4"]):
        assert run(home, "analyse", "c", *args) == 0, args
    kinds = [r.kind for r in logged(home)]
    assert kinds == ["stats", "stratify", "top", "benford", "gaps", "key_duplicates", "duplicates", "crosstab",
                     "stratify"]


def test_analysis_parameter_errors_are_clear(home, capsys):
    assert run(home, "analyse", "c", "stats") == 2
    assert "needs: field" in capsys.readouterr().err
    assert run(home, "analyse", "c", "stats", "--field", "nosuch") == 2
    assert "has no field 'nosuch'" in capsys.readouterr().err
    assert run(home, "analyse", "c", "benford", "--field", "med_list_name") == 2
    assert "not numeric" in capsys.readouterr().err
    assert run(home, "analyse", "c", "stratify", "--field", "det_item_fee_sumamt", "--edges", "10,5") == 2
    assert run(home, "analyse", "c", "stats", "--field", "cnt", "--history") == 2
    assert logged(home) == []


def test_history_and_rerun(home, capsys):
    assert run(home, "analyse", "c", "--history") == 0
    assert "no logged" in capsys.readouterr().out
    assert run(home, "query", "c", "SELECT count(*) AS n FROM fees") == 0
    assert run(home, "analyse", "c", "top", "--by", "bilg_dept_codg", "--n", "5") == 0
    capsys.readouterr()
    assert run(home, "analyse", "c", "--history") == 0
    out = capsys.readouterr().out
    assert "  1  " in out and "SELECT count(*) AS n FROM fees" in out and "top(by=bilg_dept_codg, n=5, table=fees)" in out
    for which in ("1", "2", logged(home)[1].event_id[-12:]):
        assert run(home, "analyse", "c", "--rerun", which) == 0
        assert "same result as logged" in capsys.readouterr().out
    runs = logged(home)
    assert len(runs) == 5 and runs[2].sha256 == runs[0].sha256 and runs[3].sha256 == runs[4].sha256 == runs[1].sha256
    assert run(home, "analyse", "c", "--rerun", "9") == 2
    assert "no entry 9" in capsys.readouterr().err


def _finding(home) -> str:
    from feijian.casework.findings import create_finding

    with CaseStore.open(home / "cases" / "c.fjcase", IdentityStore(home).unlock(PASS)) as store:
        return create_finding(store, title="超标准收费", amount="100").finding_id


def test_a_result_becomes_a_findings_evidence_and_its_rerun_is_compared(home, tmp_path, capsys):
    import hashlib

    import pyarrow as pa

    from feijian.casework.analysis_evidence import result_evidence
    from feijian.casework.findings import get_finding

    fid = _finding(home)
    sql = "SELECT mdtrt_id, sum(det_item_fee_sumamt) AS total FROM fees GROUP BY mdtrt_id HAVING total > 2000 ORDER BY mdtrt_id"
    assert run(home, "query", "c", sql, "--limit", "2", "--evidence-for", fid) == 0
    out = capsys.readouterr().out
    evidence_id = out.split("in evidence for finding " + fid + ": ")[1].split()[0]
    assert run(home, "analyse", "c", "top", "--by", "bilg_dept_codg", "--n", "4", "--evidence-for", fid) == 0
    capsys.readouterr()
    with CaseStore.open(home / "cases" / "c.fjcase", IdentityStore(home).unlock(PASS)) as store:
        recs = result_evidence(store)
        assert [r.kind for r in recs] == ["query", "top"] and recs[0].request == {"sql": sql}
        run0 = history(store)[0]
        assert (recs[0].rows, recs[0].sha256, recs[0].run_event_id) == (run0.rows, run0.sha256, run0.event_id)
        assert recs[0].rows > 2  # the whole result, not the page shown
        item = next(i for i in store.evidence_items() if i.evidence_id == evidence_id)
        assert item.kind == "analysis_result" and item.finding_id == fid and item.sha256 == recs[0].csv_sha256
        data = store.read_evidence(evidence_id)
        assert hashlib.sha256(data).hexdigest() == item.sha256
        assert data.decode("utf-8-sig").count("\r\n") == recs[0].rows + 1
        assert set(get_finding(store, fid).evidence_ids) == {r.evidence_id for r in recs}
        assert store.verify().ok
    assert b"mdtrt_id,total" not in (home / "cases" / "c.fjcase").read_bytes()  # encrypted in the vault

    assert run(home, "analyse", "c", "--check-evidence", evidence_id) == 0
    assert "the rerun matches the evidence" in capsys.readouterr().out
    # the data changes (another batch of fee lines): the rerun differs and the check says so
    with CaseStore.open(home / "cases" / "c.fjcase", IdentityStore(home).unlock(PASS)) as store:
        extra = store.read_table("fees").slice(0, 50)
        store.write_table("b-late", "fees", extra.set_column(
            extra.column_names.index("det_item_fee_sumamt"), "det_item_fee_sumamt",
            pa.array([None if v is None else v * 100 for v in extra.column("det_item_fee_sumamt").to_pylist()],
                     extra.schema.field("det_item_fee_sumamt").type)))
    assert run(home, "analyse", "c", "--check-evidence", evidence_id[-12:]) == 4
    out = capsys.readouterr().out
    assert "the rerun DIFFERS from the evidence" in out and "result SHA-256" in out and "CSV SHA-256" in out


def test_evidence_for_an_unknown_finding_fails_before_running(home, capsys):
    assert run(home, "query", "c", "SELECT 1 AS x", "--evidence-for", "nosuch") == 2
    assert "no such finding" in capsys.readouterr().err
    assert run(home, "analyse", "c", "stats", "--field", "cnt", "--evidence-for", "nosuch") == 2
    assert logged(home) == []
    assert run(home, "analyse", "c", "--check-evidence", "nosuch") == 2


def test_the_command_log_as_a_report_annex(home, tmp_path, capsys):
    import subprocess
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reports"))
    from pdftext import pages_text

    fid = _finding(home)
    sql = "SELECT bilg_dept_codg, count(*) AS n FROM fees GROUP BY bilg_dept_codg ORDER BY n DESC"
    assert run(home, "query", "c", sql, "--evidence-for", fid) == 0
    assert run(home, "analyse", "c", "benford", "--field", "det_item_fee_sumamt") == 0
    plain, annexed = tmp_path / "plain.pdf", tmp_path / "annexed.pdf"
    assert run(home, "report", "c", "--doc", "report", "--out", str(plain), "--no-record") == 0
    assert run(home, "report", "c", "--doc", "report", "--out", str(annexed), "--no-record", "--annex", "analysis-log") == 0
    assert "命令日志" not in "".join(pages_text(plain.read_bytes()))
    pages = pages_text(annexed.read_bytes())
    text = "".join(pages).replace("\n", "")
    runs = logged(home)
    assert "附件4：数据查询与分析命令日志" in text and "数据查询 1 次、数据分析 1 次" in text
    assert "SELECT bilg_dept_codg, count(*) AS n FROM fees" in text and "本福特" in text and "周检查（YB-9）" in text
    for r in runs:  # each hash whole in the text, in its two halves
        assert r.sha256[:32] in text and r.sha256[32:] in text
    last = pages[-1].replace("\n", "")
    assert "证据1" in last  # the query's result became evidence 1 of the catalogue
    fonts = subprocess.run(["pdffonts", str(annexed)], capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:]), fonts  # every font embedded
    assert run(home, "report", "c", "--doc", "notice", "--out", str(tmp_path / "n.pdf"), "--no-record",
               "--annex", "analysis-log") == 0
    assert "附件：数据查询与分析命令日志" in "".join(pages_text((tmp_path / "n.pdf").read_bytes())).replace("\n", "")
    with pytest.raises(SystemExit) as exit_:
        run(home, "report", "c", "--doc", "report", "--out", str(plain), "--annex", "nosuch")
    assert exit_.value.code == 2
    from feijian.domain.errors import InputError
    from feijian.reports.issue import render

    with CaseStore.open(home / "cases" / "c.fjcase", IdentityStore(home).unlock(PASS)) as store:
        with pytest.raises(InputError, match="unknown annex 'nosuch'"):
            render("report", store, plain, record=False, annexes=["nosuch"])


def test_benford_min_value_from_the_command_line(home, demo_home, capsys):
    """``--min-value`` sets the smallest amount tested (default 10, Nigrini): n is the count of amounts of at
    least it, counted independently from the extract; it is logged and a rerun uses it again."""
    amounts = fees_csv(demo_home).det_item_fee_sumamt.map(Decimal).abs()
    capsys.readouterr()
    assert run(home, "analyse", "c", "benford", "--field", "det_item_fee_sumamt") == 0
    default = capsys.readouterr().out
    assert f"n = {int((amounts >= 10).sum())}（" in default and "小于 10 的值" in default
    assert run(home, "analyse", "c", "benford", "--field", "det_item_fee_sumamt", "--min-value", "100") == 0
    out = capsys.readouterr().out
    n100 = int((amounts >= 100).sum())
    assert 0 < n100 < int((amounts >= 10).sum())
    assert f"n = {n100}（排除 {int(amounts.notna().sum()) - n100} 个小于 100 的值）" in out
    assert logged(home)[-1].request["min_value"] == "100"
    assert run(home, "analyse", "c", "--rerun", "2") == 0
    assert f"n = {n100}（" in capsys.readouterr().out
    for bad, why in (("0", "must be above 0"), ("-5", "must be above 0"), ("ten", "must be a number"),
                     ("nan", "must be a number")):
        assert run(home, "analyse", "c", "benford", "--field", "det_item_fee_sumamt", "--min-value", bad) == 2, bad
        assert why in capsys.readouterr().err, bad
    assert len(logged(home)) == 3


def test_rerun_of_a_run_logged_before_the_multiset_hash(home, capsys):
    """A case logged by an older feijian holds the ordered hash (no hash_scheme): --rerun compares with it (a
    query whose ORDER BY fixes every row compares as before; one with ties may not, and the message says
    why) and the rerun is logged with the order-independent hash."""
    from feijian.casework.analysis_log import ANALYSIS_QUERY, MULTISET, ORDERED
    from feijian.casework.analysis_query import run_query

    sql = "SELECT mdtrt_id, feedetl_sn, det_item_fee_sumamt FROM fees ORDER BY mdtrt_id, feedetl_sn"
    with CaseStore.open(home / "cases" / "c.fjcase", IdentityStore(home).unlock(PASS)) as store:
        r = run_query(store, sql, log=False)
        for sha in (r.ordered_sha256, "0" * 64):
            store.append_event(ANALYSIS_QUERY, {"sql": sql, "rows": r.rows, "sha256": sha,
                                                "columns": r.table.column_names, "by": {}})
    assert [x.hash_scheme for x in logged(home)] == [ORDERED, ORDERED]
    capsys.readouterr()
    assert run(home, "analyse", "c", "--rerun", "1") == 0
    assert "same result as logged" in capsys.readouterr().out
    assert run(home, "analyse", "c", "--rerun", "2") == 4
    out = capsys.readouterr().out
    assert f"now {r.rows} rows {r.ordered_sha256}" in out and "compared in the order returned" in out
    runs = logged(home)
    assert [x.hash_scheme for x in runs[2:]] == [MULTISET, MULTISET] and runs[2].sha256 == r.sha256
    assert run(home, "analyse", "c", "--rerun", "3") == 0  # the multiset-hashed entry compares as such


def test_a_query_with_ties_reruns_to_the_same_result(home, capsys):
    """ORDER BY a department leaves the rows within it in whatever order DuckDB's parallel sort gives (on
    the demo case the ordered hash of this query differed between runs): the logged hash does not."""
    from feijian.casework.analysis_query import run_query

    sql = "SELECT bilg_dept_codg, med_chrgitm_type, det_item_fee_sumamt FROM fees ORDER BY bilg_dept_codg"
    assert run(home, "query", "c", sql) == 0
    for _ in range(3):
        assert run(home, "analyse", "c", "--rerun", "1") == 0
        assert "same result as logged" in capsys.readouterr().out
    with CaseStore.open(home / "cases" / "c.fjcase", IdentityStore(home).unlock(PASS)) as store:
        runs = [run_query(store, sql, log=False) for _ in range(4)]
    assert {r.sha256 for r in runs} == {logged(home)[0].sha256}
