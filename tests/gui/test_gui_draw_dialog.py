"""The 双随机 draw dialog: commit, draw, verify, print and create a case — and the CLI, given the dialog's seed and
commitment, draws the same, and verifies the dialog's record independently."""

import json
import subprocess

import pytest
from PySide6.QtGui import QGuiApplication

from feijian.casework import draw as dr
from feijian.cli import main as cli_main
from feijian.crypto import minisign
from feijian.gui import dialogs
from feijian.gui.main_window import Workbench
from feijian.gui.tasks import wait_for
from feijian.store.case_store import CaseStore
from feijian.store.identities import BureauStore

INST = ("机构编码,机构名称,机构类型,等级,地区,风险评分\n" + "".join(
    f"H{i:03d},第{i}医院,{'综合医院' if i % 3 else '专科医院'},{'三级' if i % 2 else '二级'},区{i % 3},{i % 5}\n"
    for i in range(20))).encode("utf-8")
POOL = ("identity,unit,region,conflicts\n" + "".join(
    f"检查员{j:02d},单位{j % 4},区{j % 3},{'H001;H002;H004;H005' if j < 3 else ''}\n" for j in range(16))).encode("utf-8")


@pytest.fixture()
def shown(monkeypatch):
    out = []
    monkeypatch.setattr(dialogs, "error", lambda parent, title, text: out.append(("error", text)))
    monkeypatch.setattr(dialogs, "info", lambda parent, title, text: out.append(("info", text)))
    return out


@pytest.fixture()
def bench(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    home = tmp_path / "home"
    BureauStore(home).init("bureau-pass", "某省医疗保障局", fast=True)
    wb = Workbench(home)
    qtbot.addWidget(wb)
    wb.session.identity = wb.session.identities.create("周检查", "YB-9", "inspector", "me-pass", fast=True)
    (tmp_path / "inst.csv").write_bytes(INST)
    (tmp_path / "pool.csv").write_bytes(POOL)
    yield wb, tmp_path
    for w in list(wb.case_windows):
        w.close()
    wb.shutdown()


def _dialog(wb, d):
    dialog = wb.open_draw()
    dialog.set_inputs(d / "inst.csv", d / "pool.csv")
    assert "机构 20 条" in dialog.inputs_note.text() and "检查人员 16 条" in dialog.inputs_note.text()
    dialog.n.setValue(4)
    dialog.strata["type"].setChecked(True)
    dialog.weighted.setChecked(True)
    dialog.authority.setText("某省医疗保障局")
    dialog.passphrase.setText("bureau-pass")
    dialog.out_dir.setText(str(d / "draws"))
    return dialog


def test_dialog_draw_matches_the_cli_and_verifies(bench, shown, monkeypatch):
    wb, d = bench
    dialog = _dialog(wb, d)
    assert not dialog.draw_button.isEnabled()
    task = dialog.commit()
    wait_for(task, 60)
    assert task.error is None, task.error
    c = dialog.commitment_edit.text()
    assert len(c) == 64 and dialog.draw_button.isEnabled()
    dialog.copy_commitment()
    assert QGuiApplication.clipboard().text() == c
    commit_path, seed_path = d / "draws" / f"draw-{c[:12]}-commit.json", d / "draws" / f"draw-{c[:12]}-seed.txt"
    pub = BureauStore(wb.home).public().verifier()
    minisign.verify(commit_path.read_bytes(), (d / "draws" / f"{commit_path.name}.minisig").read_bytes(), pub)
    assert json.loads(commit_path.read_bytes())["commitment"] == c
    assert dr.commitment_of(seed_path.read_text().strip()) == c and seed_path.stat().st_mode & 0o077 == 0

    task = dialog.run_draw()
    wait_for(task, 60)
    assert task.error is None, task.error
    assert dialog.table.rowCount() == 4
    gui_path = dialog.record_path
    gui = json.loads(gui_path.read_bytes())

    # the CLI, given the same inputs, parameters, seed and commitment, draws exactly the same
    monkeypatch.setenv("FEIJIAN_PASSPHRASE", "bureau-pass")
    assert cli_main(["--home", str(wb.home), "draw", "run", "--institutions", str(d / "inst.csv"), "--inspectors",
                     str(d / "pool.csv"), "--n", "4", "--stratify", "type", "--weighted", "--seed-file", str(seed_path),
                     "--commitment", str(commit_path), "--authority", "某省医疗保障局",
                     "--out", str(d / "cli.json")]) == 0
    cli = json.loads((d / "cli.json").read_bytes())
    for key in ("params", "seed", "commitment", "inputs", "strata", "result", "algorithm", "authority"):
        assert gui[key] == cli[key], key
    # …and verifies the dialog's record on its own, and stock minisign checks its signature
    verify = ["--home", str(wb.home), "draw", "verify", str(gui_path), "--institutions", str(d / "inst.csv"),
              "--inspectors", str(d / "pool.csv")]
    assert cli_main(verify) == 0
    (d / "bureau.pub").write_text(minisign.public_key_file(pub, bytes.fromhex(BureauStore(wb.home).public().key_id)))
    subprocess.run(["minisign", "-V", "-p", str(d / "bureau.pub"), "-m", str(gui_path)], check=True, capture_output=True)

    # the table: teams as drawn, recused inspectors with their reasons, never in the team
    pool = dr.parse_inspectors(POOL)
    for row, r in enumerate(gui["result"]):
        assert dialog.table.item(row, 1).text() == r["code"]
        assert dialog.table.item(row, 5).text() == "、".join(r["team"])
        inst = dr.Institution(r["code"], r["name"], r["type"], r["level"], r["region"])
        want = {i.identity: dr.recusal_reasons(i, inst) for i in pool if dr.recusal_reasons(i, inst)}
        assert dialog.table.item(row, 6).text() == str(len(want))
        dialog.table.selectRow(row)
        text = dialog.recusal_view.toPlainText()
        for who, reasons in want.items():
            assert f"{who}：{'、'.join(reasons)}" in text
        assert not set(r["team"]) & set(want)
    conflicted = [r for r in gui["result"] if r["code"] in ("H001", "H002", "H004", "H005")]
    for r in conflicted:
        dialog.table.selectRow([x["code"] for x in gui["result"]].index(r["code"]))
        assert "检查员00：" in dialog.recusal_view.toPlainText() and "申报利害关系" in dialog.recusal_view.toPlainText()

    # verification in the dialog: passes, then fails on a changed institution list
    task = dialog.verify()
    wait_for(task, 60)
    assert "核验通过" in dialog.status.text()
    (d / "inst.csv").write_bytes(INST.replace(b"H007,", b"H077,"))
    task = dialog.verify()
    wait_for(task, 60)
    assert "核验未通过" in dialog.status.text() and "institutions" in dialog.status.text()
    assert shown and shown[-1][0] == "error"
    assert cli_main(verify) == 2
    (d / "inst.csv").write_bytes(INST)
    # a changed seed in the record fails (the signature no longer holds)
    rec = json.loads(gui_path.read_bytes())
    rec["seed"] = "00" * 32
    gui_path.write_text(json.dumps(rec))
    task = dialog.verify()
    wait_for(task, 60)
    assert "核验未通过" in dialog.status.text() and "signature" in dialog.status.text()


def test_dialog_pdf_and_case_from_the_draw(bench, shown):
    wb, d = bench
    dialog = _dialog(wb, d)
    wait_for(dialog.commit(), 60)
    wait_for(dialog.run_draw(), 60)
    pdf = dialog.write_pdf(d / "抽查记录.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "WenQuanYi" in fonts and "Helvetica" not in fonts
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.replace("\n", "")
    assert dialog.record.seed[:32] in text and dialog.record.result[0].institution.name in text

    dialog.table.selectRow(1)
    drawn = dialog.record.result[1]
    path = dialog.create_case("抽中的机构")
    assert path is not None and path.exists()
    assert [w.path for w in wb.case_windows] == [path]  # the workbench opened it
    with CaseStore.open(path, wb.session.identity) as store:
        info = store.info
    assert (info.medins_code, info.medins_name) == (drawn.institution.code, drawn.institution.name)
    assert "双随机" in info.trigger and f"第 {drawn.order} 号" in info.trigger
    assert set(drawn.team) <= {m.name for m in info.team}
    # a tampered record: no case
    dialog.record_path.write_bytes(dialog.record_path.read_bytes().replace(drawn.institution.code.encode(), b"H999", 1))
    assert dialog.create_case("篡改") is None
    assert shown[-1][0] == "error" and "signature" in shown[-1][1]
    assert not wb.session.case_path("篡改").exists()


def test_dialog_refuses_without_commitment_and_bad_input(bench, shown, tmp_path):
    wb, d = bench
    dialog = _dialog(wb, d)
    assert dialog.run_draw() is None and "第一步" in dialog.status.text()
    (d / "bad.csv").write_bytes("机构编码,机构名称\nH1,甲\n".encode())
    dialog.set_inputs(d / "bad.csv", d / "pool.csv")
    assert "region" in dialog.inputs_note.text()
    dialog.passphrase.setText("wrong")
    task = dialog.commit()
    wait_for(task, 60)
    assert task.error is not None and shown[-1][0] == "error" and not dialog.draw_button.isEnabled()
