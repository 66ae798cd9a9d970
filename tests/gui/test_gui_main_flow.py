"""The issue's Done-when, driven through the widgets offscreen: create identity → new case → import the demo
data → screen → open a hit's record-vs-billing view → confirm it with a reason → the finding appears with
the right amount → undo restores the hit → the decision survives closing and reopening the case."""

import datetime as dt
from decimal import Decimal

import pytest
from shiboken6 import isValid
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from feijian.gui.main_window import Workbench
from feijian.gui.new_case_wizard import NewCaseWizard
from feijian.gui.tasks import ProgressDialog, wait_for
from feijian.gui.unlock_dialog import UnlockDialog


def _wait(qtbot, task, timeout=120.0):
    wait_for(task, timeout)  # processes events until the pool thread is done, then delivers its signals
    assert task.error is None, task.error
    dialog = task.progress_dialog
    assert not isValid(dialog) or not dialog.isVisible()


def _line_total(lines) -> Decimal:
    """Each fee line once, at the largest amount any hit gives it (rules.md's case total)."""
    best = {}
    for m, sn, a in zip(lines["mdtrt_id"], lines["feedetl_sn"], lines["amount"]):
        a = Decimal(str(a))
        best[(m, sn)] = max(best.get((m, sn), a), a)
    return sum(best.values(), Decimal("0"))


@pytest.mark.slow
def test_main_flow(qtbot, tmp_path, monkeypatch, demo_folder):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    wb = Workbench(tmp_path / "home")
    qtbot.addWidget(wb)

    # 1. first run: create the identity
    unlock = UnlockDialog(wb.session)
    qtbot.addWidget(unlock)
    unlock.name.setText("李检查")
    unlock.staff_no.setText("YB-2026-007")
    unlock.passphrase.setText("flight-inspection")
    unlock.again.setText("flight-inspection")
    unlock.submit()
    assert unlock.result() == QDialog.DialogCode.Accepted

    # 2. new case through the wizard
    wizard = NewCaseWizard(wb, wb.me())
    qtbot.addWidget(wizard)
    wizard.fill(case_name="演示医院飞检", medins_code="H32010000001", medins_name="演示市第一人民医院",
                period=(dt.date(2024, 1, 1), dt.date(2024, 12, 31)))
    path = wb.create_case_from(wizard)
    window = wb.case_windows[0]

    # 3. import the demo data in the background, behind a progress dialog with 取消
    data = window.show_page("data")
    task = data.start_import(demo_folder)
    assert isinstance(task.progress_dialog, ProgressDialog)
    _wait(qtbot, task)
    assert window.ctx.store.table_row_counts()["fees"] > 1000
    assert data.batch_model.rowCount() >= 3  # one row per file, with its SHA-256
    assert len(data.batch_model.value(0, "sha256")) == 64

    # 4. screen
    _wait(qtbot, data.start_screening())
    hits_page = window.show_page("hits")
    view = hits_page.view
    assert view.model.rowCount() == len(window.ctx.store.hits()) > 0

    # 5. the record-vs-billing view of a planted 死亡后收费 hit, opened with Enter from the hits table
    view.rule.setCurrentIndex(view.rule.findData(next(r for r in window.ctx.hits()["rule"] if r.startswith("R06"))))
    assert view.model.rowCount() >= 1
    view.select_row(0)
    hit_id = view.selected_hit_ids()[0]
    mdtrt_id = str(view.frame.loc[view.frame["hit_id"] == hit_id, "mdtrt_id"].iat[0])
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    record = window.stack.currentWidget()
    assert record is window.pages["record"]
    assert record.mdtrt_id == mdtrt_id and record.hit_id == hit_id
    chart = record.chart.data
    assert chart.died  # the patient died during the stay
    red = [(row.code, day) for row in chart.fees for day, cell in row.cells.items() if cell.selected]
    assert red and all(day >= chart.discharge for _, day in red)  # the selected hit's lines lie after death

    # 6. confirm it with a reason, from the record view
    assert record.decide("confirmed", reason="死亡后仍有收费，经核对护理记录属实")
    state = window.ctx.store.state()
    assert state.get("hit", hit_id, "review")["status"] == "confirmed"

    # 7. the finding appears with the right amount
    findings_page = window.show_page("findings")
    fs = [f for f in findings_page.findings if hit_id in f.hit_ids]
    assert len(fs) == 1
    expected = _line_total(window.ctx.store.hit_lines([hit_id]))
    assert fs[0].amount == expected > 0
    assert findings_page.model.rowCount() == 1
    assert findings_page.model.value(0, "amount") == expected

    # 8. undo restores the hit (and the finding leaves); redo decides again
    window.ctx.undo_stack.undo()
    assert window.ctx.store.state().get("hit", hit_id, "review")["status"] == "open"
    assert findings_page.model.rowCount() == 0
    assert window.ctx.hits().set_index("hit_id").at[hit_id, "status"] == "open"
    window.ctx.undo_stack.redo()
    assert window.ctx.store.state().get("hit", hit_id, "review")["status"] == "confirmed"

    # 9. the decision survives closing and reopening the case
    window.close()
    assert not wb.case_windows
    window = wb.open_case(path)
    view = window.show_page("hits").view
    row = view.frame.set_index("hit_id").loc[hit_id]
    assert row["status"] == "confirmed" and "护理记录" in row["reason"]
    fs = [f for f in window.show_page("findings").findings if hit_id in f.hit_ids]
    assert fs and fs[0].amount == expected
    assert "已确认 1" in window.status.text()
    window.close()
    wb.shutdown()
