"""Before and after the visit in the GUI: the case window's 自查自纠 menu imports a signed self-inspection package
and shows the split; the 文书 page's 移送 dialog picks the findings by the conditions and the letter is recorded."""

import io
import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from feijian.casework import self_inspection as si
from feijian.casework import transfers as tr
from feijian.casework.findings import create_finding
from feijian.gui import dialogs, self_inspection_menu
from feijian.gui.session import Session
from feijian.gui.tasks import wait_for
from feijian.gui.transfer_dialog import TransferDialog


@pytest.fixture()
def shown(monkeypatch):
    out = []
    monkeypatch.setattr(dialogs, "error", lambda parent, title, text: out.append(("error", text)))
    monkeypatch.setattr(dialogs, "info", lambda parent, title, text: out.append(("info", text)))
    return out


def test_menu_imports_a_package_and_shows_the_split(case_window, screened_home, tmp_path, monkeypatch, shown):
    # the institution: the same data screened the same way, three hits marked corrected, the package exported
    own = tmp_path / "own"
    shutil.copytree(screened_home, own)
    session = Session(own)
    session.identity = session.identities.unlock("screened-passphrase")
    store = session.open_case(session.case_files()[0])
    si.start(store)
    ids = sorted(store.hits()["hit_id"].astype(str))[:3]
    si.mark_many(store, [(h, "0", "") for h in ids])
    pkg_path, _ = si.write_package(si.export_package(store, session.identity), tmp_path / "self.json")
    store.close()

    titles = [a.text() for a in case_window.menuBar().actions()]
    assert any("自查自纠" in t for t in titles)
    monkeypatch.setattr(dialogs, "open_file", lambda *a, **k: pkg_path)
    assert self_inspection_menu.import_package(case_window)
    kind, text = shown[-1]
    total = len(case_window.ctx.store.hits())
    assert kind == "info" and "自查已申报：3 条" in text and f"自查未申报：{total - 3} 条" in text
    assert case_window.ctx.undo_stack.canUndo()  # an ordinary decision, undone like the others
    (tmp_path / "self.json").write_bytes(pkg_path.read_bytes().replace(b'"0.00"', b'"1.00"', 1))
    assert not self_inspection_menu.import_package(case_window)
    assert shown[-1][0] == "error" and "signature" in shown[-1][1]


def test_transfer_dialog_and_letter(case_window, tmp_path, shown):
    store = case_window.ctx.store
    fraud = create_finding(store, title="伪造住院", amount="5000", article=40, category="虚假诊疗")
    plain = create_finding(store, title="重复收费", amount="90", article=38, category="重复收费")
    dialog = TransferDialog(store, case_window)
    checked = {dialog.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.list.count())
               if dialog.list.item(i).checkState() == Qt.CheckState.Checked}
    assert checked == {fraud.finding_id} and dialog.ok_button.isEnabled()
    dialog.kind.setCurrentIndex(dialog.kind.findData("discipline"))
    assert dialog.finding_ids() == [] and not dialog.ok_button.isEnabled()  # only by a flag
    dialog.kind.setCurrentIndex(dialog.kind.findData("police"))
    dialog.recipient.setText("某市公安局")
    opts = dialog.options()
    assert opts == {"transfer_to": "police", "recipient": "某市公安局", "transfer_findings": [fraud.finding_id]}
    page = case_window.show_page("documents")
    page.open_after.setChecked(False)
    out = tmp_path / "移送书.pdf"
    task = page.render("transfer", out, options=opts)
    wait_for(task, 120)
    assert task.error is None, task.error
    QApplication.processEvents()
    assert not [s for s in shown if s[0] == "error"]
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages).replace("\n", "")
    assert "涉嫌犯罪案件移送书" in text and "伪造住院" in text and "重复收费" not in text
    made = tr.transfers(store.state())
    assert [(m["authority"], m["finding_ids"]) for m in made] == [("police", [fraud.finding_id])]
    assert plain.finding_id not in made[0]["finding_ids"]
