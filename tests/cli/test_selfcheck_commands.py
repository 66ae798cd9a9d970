"""自查自纠 end to end on the demo hospital: the institution screens its own data, marks hits corrected, exports
the signed package; an inspection case of the same data imports it and shows declared and undeclared hits in
the split, the hits CSV, the hit list and the report, and the discretion follows without flags."""

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from feijian.casework import self_inspection as si
from feijian.casework.findings import create_finding
from feijian.store.case_store import CaseStore
from feijian.store.identities import IdentityStore

from cli_run import run

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reports"))
from pdftext import pages_text  # noqa: E402

PASS = "pass-1"


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    monkeypatch.setenv("FEIJIAN_PASSPHRASE", PASS)


def _csv(path):
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    d = tmp_path_factory.mktemp("demo") / "data"
    assert run(d.parent / "unused", "demo-data", str(d), "--scale", "0.02", "--seed", "3") == 0
    return d


def _case(home, name, data):
    assert run(home, "identity", "new", "--name", name, "--staff-no", "S-" + name) == 0
    assert run(home, "case", "new", "c", "--data", str(data)) == 0
    assert run(home, "import", "c", str(data)) == 0
    assert run(home, "screen", "c", "--kb", str(data / "kb"), "--out", str(home / "hits.csv")) == 0


def test_self_inspection_declared_and_not(demo, tmp_path, capsys):
    own, insp = tmp_path / "own", tmp_path / "insp"
    _case(own, "医保办", demo)
    assert run(own, "selfcheck", "mark", "c", "x", "--refund", "1") != 0  # not a self-inspection yet
    assert run(own, "selfcheck", "start", "c", "--staff", "医保办") == 0
    sheet = tmp_path / "sheet.csv"
    assert run(own, "selfcheck", "sheet", "c", "--out", str(sheet)) == 0
    rows = _csv(sheet)
    assert rows and "mdtrt_id" not in rows[0]  # no visit ids unless asked
    marked = {r["hit_id"] for i, r in enumerate(rows) if i % 3 == 0}
    for r in rows:
        r["refund"] = r["amount"] if r["hit_id"] in marked else ""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)
    sheet.write_text(buf.getvalue(), encoding="utf-8")
    capsys.readouterr()
    assert run(own, "selfcheck", "mark", "c", "--file", str(sheet)) == 0
    assert f"left unmarked (no refund given): {len(rows) - len(marked)}" in capsys.readouterr().out
    own_pdf = tmp_path / "self-report.pdf"
    assert run(own, "selfcheck", "report", "c", "--out", str(own_pdf), "--authority", "南江市医疗保障局") == 0
    text = "".join(pages_text(own_pdf.read_bytes())).replace("\n", "")
    assert "医疗保障基金使用自查自纠报告" in text and f"已整改 {len(marked)} 条" in text
    # the institution's own document: its name heads the pages, its own number (not an inspection's 飞检 number),
    # departments by name
    with CaseStore.open(own / "cases" / "c.fjcase", IdentityStore(own).unlock(PASS)) as store:
        medins, names = store.info.medins_name, si.department_names(store)
    first = pages_text(own_pdf.read_bytes())[0].replace("\n", "")
    assert f"{medins} · 医疗保障基金使用自查自纠报告" in first and "自查〔" in first and "飞检〔" not in text
    assert names and any(n in text for n in names.values())
    pkg = tmp_path / "self.json"
    assert run(own, "selfcheck", "export", "c", "--out", str(pkg)) == 0
    if shutil.which("minisign"):  # the signature checks with the stock tool
        capsys.readouterr()
        run(own, "identity", "show", "--minisign")
        (tmp_path / "pub.key").write_text(capsys.readouterr().out, encoding="utf-8")
        subprocess.run(["minisign", "-Vm", str(pkg), "-p", str(tmp_path / "pub.key")], check=True, capture_output=True)

    _case(insp, "检查员", demo)
    # a tampered package and one signed by another key than the institution gave are refused
    bad = tmp_path / "bad.json"
    bad.write_bytes(pkg.read_bytes().replace(b'"declared":', b'"declared" :', 1))
    shutil.copy(str(pkg) + ".minisig", str(bad) + ".minisig")
    assert run(insp, "selfcheck", "import", "c", str(bad)) != 0
    assert run(insp, "selfcheck", "import", "c", str(pkg), "--signer-key", "0" * 16) != 0
    capsys.readouterr()
    assert run(insp, "selfcheck", "import", "c", str(pkg)) == 0
    out = capsys.readouterr().out
    all_ids = {r["hit_id"] for r in rows}
    assert f"declared: {len(marked)} 条" in out and f"not declared: {len(all_ids - marked)} 条" in out

    # the hits CSV gets the status column, the same data giving the same hit ids
    hits_csv = tmp_path / "insp-hits.csv"
    assert run(insp, "screen", "c", "--kb", str(demo / "kb"), "--out", str(hits_csv)) == 0
    got = _csv(hits_csv)
    assert sum(r["self_inspection"] == "declared" for r in got) == len(marked)
    assert sum(r["self_inspection"] == "not_declared" for r in got) == len(all_ids - marked)
    plain = _csv(insp / "hits.csv")  # before the import: exactly the columns of rules.md
    assert "self_inspection" not in plain[0]
    assert run(insp, "selfcheck", "show", "c", "--out", str(tmp_path / "shown.csv")) == 0
    assert [r["self_inspection"] for r in _csv(tmp_path / "shown.csv")] == [r["self_inspection"] for r in got]

    # findings: one of declared hits, one mixing in an undeclared hit; the report shows both and grades them
    identity = IdentityStore(insp).unlock(PASS)
    with CaseStore.open(insp / "cases" / "c.fjcase", identity) as store:
        status = si.hit_statuses(store)
        yes = sorted(h for h, s in status.items() if s == "declared")[:2]
        no = sorted(h for h, s in status.items() if s == "not_declared")[:1]
        f_yes = create_finding(store, title="自查已申报的问题", hit_ids=yes, article=38)
        f_no = create_finding(store, title="隐瞒未报的问题", hit_ids=yes[:1] + no, article=38)
    capsys.readouterr()
    assert run(insp, "discretion", "conditions", "c") == 0
    out = capsys.readouterr().out
    line_yes = next(x for x in out.splitlines() if f_yes.finding_id in x)
    line_no = next(x for x in out.splitlines() if f_no.finding_id in x)
    assert "自查自纠中主动申报并退回" in line_yes and "从轻" in line_yes
    assert "自查自纠期间未申报" in line_no and "一般" in line_no  # lowest band, one step heavier
    assert run(insp, "discretion", "conditions", "c", "--set", "self_declared") != 0

    report = tmp_path / "report.pdf"
    assert run(insp, "report", "c", "--doc", "report", "--out", str(report), "--no-record") == 0
    text = "".join(pages_text(report.read_bytes())).replace("\n", "")
    assert "自查已申报" in text and "自查未申报" in text and "违规问题中自查已申报 1 个、未申报 1 个" in text
    assert "医保医师记分建议" in text and "记分（分）" in text
    cmp_pdf = tmp_path / "compare.pdf"
    assert run(insp, "report", "c", "--doc", "self-comparison", "--out", str(cmp_pdf)) == 0
    text = "".join(pages_text(cmp_pdf.read_bytes())).replace("\n", "")
    assert "自查自纠情况比对表" in text and "医保办" in text and "隐瞒未报的问题" in text
    points = tmp_path / "points.csv"
    assert run(insp, "points", "c", "--out", str(points)) == 0
    got = [r for r in _csv(points) if r["doctor"] != "（未归属）"]
    assert got and all(int(r["points_min"]) >= 1 and int(r["points_max"]) <= 6 for r in got)  # 1–3 per article-38 finding
    hit_list = tmp_path / "hits.pdf"
    assert run(insp, "report", "c", "--doc", "hit-list", "--out", str(hit_list), "--no-record") == 0
    text = "".join(pages_text(hit_list.read_bytes()))
    assert "已申报" in text and "未申报" in text
