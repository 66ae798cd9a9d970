"""Issue 18, readable on real laptops: Ctrl+= / Ctrl+- / Ctrl+0 change the application font size, every page
follows (tables with their rows, the record view's text panes and chart, titles with fonts of their own), and
the size is kept in the data folder's settings across a restart."""

import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from feijian.gui import font_size
from feijian.gui.app import UI_FONT_SIZE
from feijian.gui.main_window import Workbench


@pytest.fixture()
def home(tmp_path, screened_home):
    home = tmp_path / "home"
    shutil.copytree(screened_home, home)
    yield home
    font_size.set_point_size(font_size.DEFAULT_POINT_SIZE)  # the other tests run at the default size


def _open(qtbot, home):
    wb = Workbench(home)
    qtbot.addWidget(wb)
    wb.session.identity = wb.session.identities.unlock("screened-passphrase")
    window = wb.open_case(wb.session.case_files()[0])
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    return wb, window


def _measures(window):
    """Point sizes (and pixel sizes) of widgets on several pages, some with fonts of their own."""
    hits = window.pages["hits"].view.table
    record = window.pages["record"]
    data = window.pages["data"]
    return {
        "hits table": hits.font().pointSizeF(),
        "hits row height": hits.verticalHeader().defaultSectionSize(),
        "data table": data.batches.font().pointSizeF(),
        "evidence text pane": window.pages["evidence"].text.font().pointSizeF(),
        "sync table": window.pages["sync"].verdict_view.font().pointSizeF(),
        "record title": record.title.font().pointSizeF(),
        "record patient pane": record.patient.font().pointSizeF(),
        "record chart label width": record.chart.label_w,
        "documents text pane": record.documents.text.font().pointSizeF(),
        "overview tile": window.pages["overview"].hits.value.font().pointSizeF(),
        "overview tile note (style sheet)": window.pages["overview"].hits.note.font().pointSizeF(),
        "findings total (style sheet)": window.pages["findings"].total.font().pointSizeF(),
        "record confirm button (style sheet)": window.pages["record"].confirm_button.font().pointSizeF(),
        "findings editor": window.pages["findings"].description.font().pointSizeF(),
        "empty hint": window.pages["sync"].findChild(type(window.pages["overview"].hint)).font().pointSizeF(),
        "navigation": window.nav.font().pointSizeF(),
        "navigation width": window.nav.width(),
    }


def test_default_size_is_the_app_font_size():
    assert font_size.DEFAULT_POINT_SIZE == UI_FONT_SIZE


def test_ctrl_plus_makes_every_page_larger_and_is_kept(qtbot, home):
    wb, window = _open(qtbot, home)
    assert QApplication.font().pointSizeF() == UI_FONT_SIZE
    before = _measures(window)
    qtbot.keyClick(window.nav, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.nav, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.font().pointSizeF() == UI_FONT_SIZE + 2
    after = _measures(window)
    smaller = {k: (before[k], after[k]) for k in before if before[k] and not after[k] > before[k]}
    assert not smaller, smaller
    assert after["record title"] > after["hits table"]  # a title keeps its relative size
    qtbot.keyClick(window.nav, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.font().pointSizeF() == UI_FONT_SIZE + 1
    window.close()
    wb.close()
    wb.shutdown()

    font_size.set_point_size(UI_FONT_SIZE)  # a fresh start in the same data folder restores the size
    wb, window = _open(qtbot, home)
    assert QApplication.font().pointSizeF() == UI_FONT_SIZE + 1
    assert window.pages["hits"].view.table.font().pointSizeF() == UI_FONT_SIZE + 1
    qtbot.keyClick(window.nav, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.font().pointSizeF() == UI_FONT_SIZE
    assert _measures(window) == before
    window.close()
    wb.shutdown()


def test_font_size_is_clamped(qapp):
    try:
        assert font_size.set_point_size(100) == font_size.MAX_POINT_SIZE
        assert font_size.set_point_size(1) == font_size.MIN_POINT_SIZE
    finally:
        font_size.set_point_size(font_size.DEFAULT_POINT_SIZE)
