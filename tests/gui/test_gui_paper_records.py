"""Paper records in the record view (issue 20): a recognised line corrected on the page (double click → the
correction dialog → an event; the page and the text show it, the next screening uses it, an undo restores
the reading), and a photo of a paper page captured onto an encounter."""

import datetime as dt
import io
import json
import os
import shutil
import uuid

import pyarrow as pa
import pytest
from PySide6.QtCore import QPointF, Qt

ECHO = "002206000010000"  # 彩色多普勒超声常规检查, kb_item_terms: 超声;彩超;B超 in 检查报告
BED = "001109000010000"  # 普通病房床位费
NURSING = ["护理记录", "2024年3月5日 20:30", "患者于今日请假离院，未在病房。"]
# the report as the recogniser read it: 超声 misread as 超卢 in its second line
LINES = [("检查报告", 0.98), ("腹部超卢检查：肝胆胰脾未见异常。", 0.62), ("报告医师：李明", 0.95)]


def page_png(lines, size=(1240, 520)):
    from PIL import Image, ImageDraw, ImageFont

    from feijian.paths import resource

    font = ImageFont.truetype(str(resource("fonts", "wqy-microhei.ttc")), 36)
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    boxes = []
    for i, text in enumerate(lines):
        x, y = 100, 120 + i * 90
        draw.text((x, y), text, font=font, fill="black")
        x0, y0, x1, y1 = draw.textbbox((x, y), text, font=font)
        boxes.append([x0, y0, x1, y1])
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue(), boxes


def build_case(store):
    """An inpatient encounter V1 billed an ultrasound whose report was read with OCR (planted reading)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rules"))
    from rule_tables import case, doc, fee, visit

    png, boxes = page_png([t.replace("超卢", "超声") for t, _ in LINES])  # the page says 超声
    item = store.add_evidence(io.BytesIO(png), original_name="report.png")
    text = "\n".join(t for t, _ in LINES)
    raw = {"pages": {"1": min(c for _, c in LINES)},
           "lines": [[1, box, c, t] for box, (t, c) in zip(boxes, LINES)]}
    tables = case([fee("V1", "1", ECHO, "2024-03-02 10:00", 1, 150), fee("V1", "2", BED, "2024-03-05 00:00", 1, 50)],
                  [visit("V1", "2024-03-01 09:00", "2024-03-08 10:00", psn_name="王某某")],
                  emr_docs=[doc("E1", "V1", "exam_report", "2024-03-02 12:00", text, title="超声检查报告")])
    docs = tables["emr_docs"]
    for name, values, typ in (("_ocr_confidence", [min(c for _, c in LINES)], pa.float64()),
                              ("_ocr_lines", [json.dumps(raw, ensure_ascii=False)], pa.string()),
                              ("_page_evidence", [item.evidence_id], pa.string()),
                              ("_file_format", ["ocr/png"], pa.string())):
        docs = docs.append_column(name, pa.array(values, typ))
    tables["emr_docs"] = docs
    for name, t in tables.items():
        store.write_table("b1", name, t)


@pytest.fixture(scope="module")
def paper_home(tmp_path_factory):
    from feijian.casework.screening import screen_case
    from feijian.domain.records import CaseInfo
    from feijian.gui.session import Session

    home = tmp_path_factory.mktemp("paper") / "home"
    session = Session(home)
    session.identity = session.identities.create("周检查", "YB-9", "inspector", "paper-passphrase", fast=True)
    path = session.create_case(CaseInfo(str(uuid.uuid4()), "纸质病历", "H1", "演示市第一人民医院", "3",
                                        data_period_start=dt.date(2024, 1, 1), data_period_end=dt.date(2024, 12, 31)))
    store = session.open_case(path)
    build_case(store)
    screen_case(store)
    store.close()
    return home


@pytest.fixture()
def record(qtbot, tmp_path, paper_home):
    from feijian.gui.main_window import Workbench

    home = tmp_path / "home"
    shutil.copytree(paper_home, home)
    wb = Workbench(home)
    qtbot.addWidget(wb)
    wb.session.identity = wb.session.identities.unlock("paper-passphrase")
    window = wb.open_case(wb.session.case_files()[0])
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    yield window
    if window in wb.case_windows:
        window.close()
    wb.shutdown()


def _open_r24(window):
    hits = window.ctx.hits()
    hit = hits[(hits["rule_code"].astype(str) == "R24") & (hits["mdtrt_id"].astype(str) == "V1")]
    if not len(hit):
        return None
    window.ctx.open_record.emit("V1", str(hit["hit_id"].iat[0]))
    return str(hit["detail"].iat[0])


def test_a_line_corrected_on_the_page_is_an_event_used_by_the_next_screening(record, qtbot, monkeypatch):
    from feijian.casework.ocr_corrections import corrections
    from feijian.gui.line_correction_dialog import LineCorrectionDialog
    from feijian.gui.tasks import wait_for
    from feijian.rules.record_ocr import needs_ocr_review

    window = record
    detail = _open_r24(window)
    assert detail is not None and needs_ocr_review(detail)
    panel = window.pages["record"].documents
    qtbot.wait(50)
    assert panel.page_pane.isVisible() and panel._current_doc == "E1"
    canvas = panel.page_view.canvas
    box = next(b for b in canvas.drawn_boxes() if b.index == 1)
    assert box.kind == "low"
    seen = {}

    def fill(dialog):
        seen["reading"] = dialog.reading.text()
        seen["crop"] = dialog.crop.pixmap() is not None and not dialog.crop.pixmap().isNull()
        assert dialog.edit.text() == LINES[1][0]
        dialog.edit.setText("腹部超声检查：肝胆胰脾未见异常。")
        if os.environ.get("FEIJIAN_SHOT_DIALOG"):
            dialog.show()
            dialog.grab().save(os.environ["FEIJIAN_SHOT_DIALOG"])
        return LineCorrectionDialog.DialogCode.Accepted

    monkeypatch.setattr(LineCorrectionDialog, "exec", fill)
    qtbot.mouseDClick(canvas, Qt.MouseButton.LeftButton, pos=box.rect.center().toPoint())
    assert seen == {"reading": LINES[1][0], "crop": True}
    [fix] = corrections(window.ctx.store.state())["E1"].values()
    assert (fix.original, fix.text) == (LINES[1][0], "腹部超声检查：肝胆胰脾未见异常。")
    # the page and the text show the correction; the inspector is told to screen again
    assert "超声检查" in panel.text.toPlainText() and "超卢" not in panel.text.toPlainText()
    assert "#1b5e20" in panel.text.toHtml()
    assert [b.kind for b in canvas.drawn_boxes() if b.index == 1] == ["mention"]  # now it names the item
    assert next(x for x in panel._page_lines if x.index == 1).original == LINES[1][0]
    assert panel.rescreen_hint.isVisible() and "重新筛查" in panel.rescreen_hint.text()
    if os.environ.get("FEIJIAN_SHOT"):
        window.grab().save(os.environ["FEIJIAN_SHOT"])
    wait_for(panel.rescreen(), 300)
    assert _open_r24(window) is None  # the report names the ultrasound now
    assert panel.rescreen_hint.isHidden()
    # undone: the reading is back (page and text), the next screening hits again
    window.ctx.undo_stack.undo()
    assert corrections(window.ctx.store.state()) == {}
    window.ctx.open_record.emit("V1", "")
    assert "超卢" in panel.text.toPlainText()
    wait_for(panel.rescreen(), 300)
    assert _open_r24(window) is not None


def test_enter_on_the_selected_line_opens_the_correction(record, qtbot, monkeypatch):
    from feijian.gui.line_correction_dialog import LineCorrectionDialog

    window = record
    _open_r24(window)
    panel = window.pages["record"].documents
    canvas = panel.page_view.canvas
    opened = []
    monkeypatch.setattr(LineCorrectionDialog, "exec", lambda d: opened.append(d.edit.text()) or 0)
    canvas.setFocus()
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=canvas.drawn_boxes()[0].rect.center().toPoint())
    qtbot.keyClick(canvas, Qt.Key.Key_Down)
    assert canvas.selected == 1 and panel._picked == 1
    qtbot.keyClick(canvas, Qt.Key.Key_Return)
    assert opened == [LINES[1][0]]  # cancelled: nothing recorded
    assert not [e for e in window.ctx.store.events() if e.type == "ocr.line_corrected"]


def _rule_hits(window, rule):
    hits = window.ctx.hits()
    return hits[(hits["rule_code"].astype(str) == rule) & (hits["mdtrt_id"].astype(str) == "V1")]


def test_a_photo_dropped_on_the_encounter_is_read_and_captured(record, qtbot, monkeypatch, tmp_path, no_dialogs):
    pytest.importorskip("rapidocr_onnxruntime", reason="OCR extra: make ocr")
    from PySide6.QtCore import QMimeData, QPoint, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    from feijian.casework.captured_pages import captured_rows
    from feijian.gui.capture_dialog import CaptureDialog
    from feijian.gui.tasks import wait_for

    window = record
    photo = tmp_path / "IMG_2041.jpg"
    png, _ = page_png(NURSING, size=(1240, 700))
    from PIL import Image

    Image.open(io.BytesIO(png)).convert("RGB").save(photo, "JPEG", quality=85)
    assert not len(_rule_hits(window, "R29"))
    window.ctx.open_record.emit("V1", "")
    page = window.pages["record"]
    seen = {}

    def confirm(dialog):
        seen["type"] = dialog.doc_type.currentData()
        seen["when"] = dialog.chosen()[1]
        seen["note"] = dialog.date_note.text()
        seen["text"] = dialog.text.toPlainText()
        if os.environ.get("FEIJIAN_SHOT_CAPTURE"):
            dialog.show()
            qtbot.waitExposed(dialog)
            dialog.grab().save(os.environ["FEIJIAN_SHOT_CAPTURE"])
        return CaptureDialog.DialogCode.Accepted

    monkeypatch.setattr(CaptureDialog, "exec", confirm)
    mime = QMimeData()
    blank = tmp_path / "IMG_2040.png"  # nothing on it: reported, skipped, the next photo still read
    Image.new("RGB", (800, 600), "white").save(blank)
    mime.setUrls([QUrl.fromLocalFile(str(blank)), QUrl.fromLocalFile(str(photo)),
                  QUrl.fromLocalFile(str(tmp_path / "notes.txt"))])
    at = QPoint(page.width() // 2, page.height() // 2)
    enter = QDragEnterEvent(at, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(page, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(at), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(page, drop)
    flow = page.capture_flow
    assert [p.name for p in flow.paths] == ["IMG_2040.png", "IMG_2041.jpg"]  # the text file is not a page
    qtbot.waitUntil(lambda: flow.at == 2, timeout=300000)
    assert len(flow.captured) == 1
    assert len(no_dialogs) == 1 and "IMG_2040.png" in " ".join(no_dialogs[0])
    no_dialogs.clear()
    assert seen["type"] == "nursing" and seen["when"] == dt.datetime(2024, 3, 5, 20, 30)
    assert "2024-03-05 20:30" in seen["note"] and "请假离院" in seen["text"]
    [row] = captured_rows(window.ctx.store.state())
    panel = page.documents
    assert panel._current_doc == row["doc_id"] and "请假离院" in panel.text.toPlainText()
    assert panel.page_pane.isVisible() and panel.page_view.canvas.image is not None  # the photo from the vault
    assert panel.rescreen_hint.isVisible()
    assert no_dialogs == []
    wait_for(panel.rescreen(), 300)
    assert len(_rule_hits(window, "R29")) == 1  # the captured nursing record: away on a billed bed day
    window.ctx.undo_stack.undo()
    assert captured_rows(window.ctx.store.state()) == []
    assert row["doc_id"] not in [d.doc_id for d in panel.docs]


def test_a_drop_without_an_encounter_or_photo_is_refused(qtbot, record, tmp_path):
    from PySide6.QtCore import QMimeData, QPoint, QUrl
    from PySide6.QtGui import QDragEnterEvent
    from PySide6.QtWidgets import QApplication

    page = record.pages["record"]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "IMG.jpg"))])
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(page, enter)
    assert not enter.isAccepted() and not page.capture_button.isEnabled()  # no encounter open


def test_missing_visit_fields_read_blank_not_nan(record, qtbot):
    """V1 has no department, doctor or age: the record view's title and patient panel leave them blank (issue 18:
    no ``nan`` reaches a person)."""
    window = record
    assert _open_r24(window) is not None
    page = window.pages["record"]
    qtbot.wait(50)
    shown = page.title.text() + "\n" + page.patient.toPlainText()
    assert "王**" in shown and "主治医生" in shown
    assert "nan" not in shown.lower() and "None" not in shown
