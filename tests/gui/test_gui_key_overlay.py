"""Issue 18, first start: ? (or F1) shows over the page the keys that work on it, read from the page's own
actions, buttons and the window's menus; Esc closes it and gives the focus back."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence


def _shown(qtbot, window):
    window.resize(1366, 700)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_question_mark_lists_the_keys_of_the_page_and_esc_closes(qtbot, case_window):
    window = _shown(qtbot, case_window)
    overlay = window.key_overlay
    view = window.show_page("hits").view
    view.table.setFocus()
    qtbot.keyClick(view.table, "?")
    assert overlay.isVisible()
    listed = {e.keys: e.text for e in overlay.entries}
    for act in view.key_actions:  # the page's triage keys, as the actions say
        assert act.shortcuts()[0].toString(QKeySequence.SequenceFormat.NativeText) in " / ".join(listed), act.text()
    assert listed["J"] == "下一条疑点" and listed["C"].startswith("确认")
    menus = dict(overlay.menus)
    assert any(e.keys == "Ctrl+R" for e in menus["筛查（Alt+R）"])
    assert any(e.keys == "Ctrl+3" and e.text == "疑点" for e in menus["转到（Alt+G）"])
    assert any(e.keys.startswith("Ctrl+=") for e in menus["视图（Alt+V）"])
    assert "下一条疑点" in overlay.panel.text() and "Ctrl+R" in overlay.panel.text()
    assert overlay.geometry() == window.centralWidget().geometry()  # over the whole page
    qtbot.keyClick(overlay, Qt.Key.Key_Escape)
    assert not overlay.isVisible()
    assert view.table.hasFocus()


def test_the_overlay_follows_the_actions_not_a_list(qtbot, case_window):
    window = _shown(qtbot, case_window)
    overlay = window.key_overlay
    data = window.show_page("data")
    extra = QAction("试验动作", data)
    extra.setShortcut(QKeySequence("Ctrl+Shift+Y"))
    data.addAction(extra)
    qtbot.keyClick(window.nav, Qt.Key.Key_F1)
    assert overlay.isVisible()
    listed = {e.keys: e.text for e in overlay.entries}
    assert listed.get("Ctrl+Shift+Y") == "试验动作"
    assert "J" not in listed  # the hits page's keys are not this page's
    qtbot.keyClick(overlay, Qt.Key.Key_Escape)
    assert not overlay.isVisible()


def test_typing_a_question_mark_in_a_field_types_it(qtbot, case_window):
    window = _shown(qtbot, case_window)
    view = window.show_page("hits").view
    view.text.setFocus()
    qtbot.keyClicks(view.text, "a?")
    assert view.text.text() == "a?"
    assert not window.key_overlay.isVisible()
