"""The pages over a real screened demo case: keyboard triage and multi-select on the hits page, filters and
grouping, the record view's data, finding edits with undo, evidence records, the overview figures."""

from decimal import Decimal

import numpy as np
import pandas as pd
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialog

from feijian.gui.pages.record_view import encounter_data


def test_hits_model_passes_qt_model_tester(case_window, qtmodeltester):
    view = case_window.show_page("hits").view
    assert view.model.rowCount() > 20
    qtmodeltester.check(view.model)
    view.group.setCurrentIndex(view.group.findData("rule"))
    qtmodeltester.check(view.group_model)


def test_keyboard_triage_j_k_c_d(case_window, qtbot, monkeypatch):
    page = case_window.show_page("hits")
    view = page.view
    view.reason.setEditText("经核对属实")
    view.select_row(0)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_J)
    assert view.current_row() == 1
    qtbot.keyClick(view.table, Qt.Key.Key_K)
    assert view.current_row() == 0
    first = view.selected_hit_ids()[0]
    qtbot.keyClick(view.table, Qt.Key.Key_C)  # confirm, then on to the next hit
    assert view.current_row() == 1
    second = view.selected_hit_ids()[0]
    qtbot.keyClick(view.table, Qt.Key.Key_D)
    state = case_window.ctx.store.state()
    assert state.get("hit", first, "review") == {"status": "confirmed", "reason": "经核对属实"}
    assert state.get("hit", second, "review")["status"] == "dismissed"
    assert view.model.value(0, "status") == "confirmed"  # the table shows it at once
    assert "已确认 1" in case_window.status.text() and "已排除 1" in case_window.status.text()


def test_a_reason_is_asked_for_when_none_is_given(case_window, qtbot, monkeypatch):
    from feijian.gui import dialogs

    page = case_window.show_page("hits")
    page.view.select_row(0)
    asked = []
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: asked.append(a) or None)  # the user cancels
    assert not page.decide("confirmed")
    assert asked
    hit = page.view.selected_hit_ids()[0]
    assert case_window.ctx.store.state().get("hit", hit, "review") is None


def test_multi_select_confirm_and_status_filter(case_window):
    page = case_window.show_page("hits")
    view = page.view
    sm = view.table.selectionModel()
    for r in (0, 1, 2):
        sm.select(view.model.index(r, 0), QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    ids = view.selected_hit_ids()
    assert len(ids) == 3
    assert page.decide("confirmed", reason="批量确认")
    view.status.setCurrentIndex(view.status.findData("confirmed"))
    assert view.model.rowCount() == 3
    assert set(view.model.shown_frame()["hit_id"]) == set(ids)
    view.status.setCurrentIndex(view.status.findData("open"))
    assert view.model.rowCount() == len(view.frame) - 3


def test_filters_agree_with_pandas(case_window):
    view = case_window.show_page("hits").view
    f = view.frame
    rule = f["rule"].value_counts().index[0]
    view.rule.setCurrentIndex(view.rule.findData(rule))
    assert view.model.rowCount() == int((f["rule"] == rule).sum())
    view.rule.setCurrentIndex(0)
    amounts = np.array([float(a) for a in f["amount"]])
    view.min_amount.setValue(20)
    assert view.model.rowCount() == int((amounts >= 20).sum())
    view.min_amount.setValue(0)
    target = str(f["mdtrt_id"].dropna().iat[0])
    view.text.setText(target)
    view.apply_filters()
    shown = view.model.shown_frame()
    assert len(shown) >= 1 and all(target in str(m) or target in str(d) for m, d in zip(shown["mdtrt_id"], shown["detail"]))
    view.text.setText("")
    view.apply_filters()
    view.group.setCurrentIndex(view.group.findData("dept"))
    groups = view.group_model.frame
    assert groups["count"].sum() == len(f)
    view.groups.selectRow(0)
    assert view.model.rowCount() == int(groups["count"].iat[0])


def test_encounter_data_marks_lines_after_death():
    visit = pd.Series({"begntime": pd.Timestamp("2024-09-10 08:46"), "endtime": pd.Timestamp("2024-09-16 14:30"),
                       "dscg_way": "5"})
    fees = pd.DataFrame({
        "feedetl_sn": ["1", "2", "3"], "med_list_codg": ["A", "A", "B"], "med_list_name": ["氯化钠", "氯化钠", "护理"],
        "fee_ocur_time": pd.to_datetime(["2024-09-15 09:00", "2024-09-16 16:00", "2024-09-17 08:00"]),
        "cnt": [1, 2, 1], "det_item_fee_sumamt": [Decimal("4.5"), Decimal("9"), Decimal("25")], "drord_no": ["O1", "O1", None],
    })
    orders = pd.DataFrame({"drord_no": ["O1"], "med_list_codg": ["A"], "order_kind": ["long"],
                           "begin_time": [pd.Timestamp("2024-09-10 09:00")], "end_time": [pd.NaT]})
    lines = pd.DataFrame({"hit_id": ["h6", "h5"], "mdtrt_id": ["M", "M"], "feedetl_sn": ["2", "3"], "amount": [9, 25]})
    d = encounter_data(visit, fees, orders, pd.DataFrame(), lines, {"h6": "R06", "h5": "R05"}, selected_hit="h6")
    assert d.died and d.discharge.isoformat() == "2024-09-16" and d.discharge_time.hour == 14
    a = next(r for r in d.fees if r.code == "A")
    assert d.fees[0] is a  # the selected hit's row comes first
    cell = a.cells[pd.Timestamp("2024-09-16").date()]
    assert cell.selected and cell.rules == {"R06"} and cell.qty == 2
    b = next(r for r in d.fees if r.code == "B")
    other = b.cells[pd.Timestamp("2024-09-17").date()]
    assert other.rules == {"R05"} and not other.selected
    assert d.orders[0].end == d.discharge and d.orders[0].hit  # a long order runs to discharge
    assert d.days()[-1].isoformat() == "2024-09-17"


def test_finding_edit_undo_redo(case_window):
    page = case_window.show_page("hits")
    page.view.select_row(0)
    assert page.decide("confirmed", reason="属实")
    findings = case_window.show_page("findings")
    assert findings.model.rowCount() == 1
    original = findings.findings[0].amount
    findings.table.selectRow(0)
    findings.amount.setText("1234.56")
    findings.description.setPlainText("现场核实，机构认可")
    assert findings.save()
    assert findings.findings[0].amount == Decimal("1234.56")
    assert findings.model.value(0, "amount") == Decimal("1234.56")
    case_window.ctx.undo_stack.undo()
    assert findings.findings[0].amount == original
    assert findings.findings[0].description == ""
    case_window.ctx.undo_stack.redo()
    assert findings.findings[0].description == "现场核实，机构认可"


def test_typed_record_form_checks_stores_and_prints(case_window, tmp_path):
    """询问笔录 through its form: 确定 with what the document needs missing keeps the form open and names the
    problems; filled in, the record is stored (hashed), previewed with its labels and printed by 询问笔录."""
    import datetime as dt

    from feijian.gui.record_dialog import RecordDialog
    from feijian.reports.issue import render

    page = case_window.show_page("evidence")
    dialog = RecordDialog("interview", case_window.ctx.store.info, page, now=dt.datetime(2024, 12, 18, 9, 30))
    w = dialog.widgets
    assert w["interviewee"].edits["employer"].text() == "演示市第一人民医院"  # the case's institution
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.problems.isVisibleTo(dialog)
    assert "缺少询问地点" in dialog.problems.text() and "缺少问答" in dialog.problems.text()
    w["place"].setText("医保办会议室")
    w["interviewers"].table.item(0, 0).setText("周检查")
    w["interviewers"].table.item(0, 1).setText("YB-9")
    w["recorder"].setEditText("吴记录")
    w["interviewee"].edits["name"].setText("王某")
    w["interviewee"].edits["id_number"].setText("110105198001011234")  # wrong check digit
    w["qa"].setPlainText("问：患者住院期间是否一直在院？\n答：否，\n周末回家。")
    w["end"].setDateTime(w["start"].dateTime().addSecs(-60))
    dialog.accept()
    text = dialog.problems.text()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "校验位" in text and "早于" in text and "缺少询问地点" not in text
    w["interviewee"].edits["id_number"].setText("110105198001011238")
    w["end"].setDateTime(w["start"].dateTime().addSecs(40 * 60))
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted

    item = page.add_record("interview", dialog.record())
    assert item is not None and item.kind == "interview" and len(item.sha256) == 64
    page.refresh()
    page.table.selectRow(page.model.rowCount() - 1)
    preview = page.text.toPlainText()
    assert "被询问人：姓名 王某" in preview and "问：患者住院期间是否一直在院？\n答：否，\n周末回家。" in preview
    assert item.sha256 in page.hash_label.text()

    out = tmp_path / "询问笔录.pdf"
    render("interview", case_window.ctx.store, out, record_id=item.evidence_id)
    from pypdf import PdfReader

    flat = "".join(p.extract_text() for p in PdfReader(out).pages).replace("\n", "")
    for expected in ("2024-12-18 09:30", "2024-12-18 10:10", "医保办会议室", "周检查", "YB-9", "吴记录", "王某",
                     "110105198001011238", "患者住院期间是否一直在院？"):
        assert expected in flat, expected


def test_overview_figures_match_the_hits(case_window):
    page = case_window.show_page("overview")
    hits = case_window.ctx.hits()
    assert page.hits.value.text() == f"{len(hits):,}"
    assert sum(n for _, n, _ in [(l, c, a) for l, c, a in page.by_rule.items]) <= len(hits)
    assert page.by_month.items  # every hit dated through its encounter
