"""The application font size (issue 18, readable on real laptops): Ctrl+= / Ctrl+- / Ctrl+0 make every page's
text larger, smaller or the default, and the size is kept in the data folder's UI settings.

Qt hands a new application font to every widget that has not set a font of its own. Widgets that want a
bigger or bolder font than the rest (titles, tiles, the navigation) say so with :func:`relative` instead of
a style sheet's ``font-size`` (which would not follow), and widgets whose geometry is in pixels (table rows,
column widths, custom-painted charts) re-measure on :func:`follow`'s callback or their own FontChange.
"""

from __future__ import annotations

from typing import Callable, Optional

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from feijian.gui import ui_settings

DEFAULT_POINT_SIZE = 10  # gui.app.UI_FONT_SIZE: the size every pixel constant of the GUI was drawn for
MIN_POINT_SIZE = 7
MAX_POINT_SIZE = 24
SCALE_PROPERTY = "feijianFontScale"
BOLD_PROPERTY = "feijianFontBold"


def point_size() -> float:
    """The application font's point size now."""
    size = QApplication.font().pointSizeF()
    return size if size > 0 else float(DEFAULT_POINT_SIZE)


def scale() -> float:
    """The application font size relative to the default (1.0 at 10 pt): the factor for pixel geometry."""
    return point_size() / DEFAULT_POINT_SIZE


def _clamp(size: float) -> float:
    return float(min(MAX_POINT_SIZE, max(MIN_POINT_SIZE, round(size))))


def _relative_font(widget: QWidget) -> QFont:
    font = QFont(QApplication.font())
    font.setPointSizeF(max(1.0, point_size() * float(widget.property(SCALE_PROPERTY))))
    if widget.property(BOLD_PROPERTY):
        font.setBold(True)
    return font


def relative(widget: QWidget, factor: float = 1.0, *, bold: bool = False) -> QWidget:
    """Give ``widget`` a font ``factor`` times the application font (bold if asked) that follows it."""
    widget.setProperty(SCALE_PROPERTY, float(factor))
    widget.setProperty(BOLD_PROPERTY, bool(bold))
    widget.setFont(_relative_font(widget))
    return widget


class _Follower(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[QWidget], None]) -> None:
        super().__init__(widget)
        self.callback = callback

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.FontChange:
            self.callback(obj)
        return False


def follow(widget: QWidget, callback: Callable[[QWidget], None]) -> None:
    """Call ``callback(widget)`` whenever the widget's font changes (and once now)."""
    widget.installEventFilter(_Follower(widget, callback))
    callback(widget)


def _depth(widget: QWidget) -> int:
    n = 0
    while widget.parentWidget() is not None:
        widget = widget.parentWidget()
        n += 1
    return n


def set_point_size(size: float, settings=None) -> float:
    """Make ``size`` (clamped to 7–24 pt) the application font size; every widget follows. Kept in
    ``settings`` (the data folder's :func:`feijian.gui.ui_settings.app_settings`) when given."""
    size = _clamp(size)
    app = QApplication.instance()
    if app is None:
        return size
    if size != point_size():
        font = QFont(QApplication.font())
        font.setPointSizeF(size)
        QApplication.setFont(font)
        # Qt posts ApplicationFontChange to each widget: deliver them now, so every page has followed on return
        QCoreApplication.sendPostedEvents(None, QEvent.Type.ApplicationFontChange.value)
        widgets = QApplication.allWidgets()
        # Qt skips widgets under a style sheet: polish them again, parents before children
        styled = [w for w in widgets if w.testAttribute(Qt.WidgetAttribute.WA_StyleSheet)]
        for w in sorted(styled, key=_depth):
            w.style().unpolish(w)
            w.style().polish(w)
        for w in widgets:
            if w.property(SCALE_PROPERTY) is not None:
                w.setFont(_relative_font(w))
    if settings is not None:
        ui_settings.set_font_size(settings, size)
    return size


def restore(settings) -> float:
    """The size kept in ``settings`` (the default when none), applied."""
    return set_point_size(ui_settings.font_size(settings, DEFAULT_POINT_SIZE))


def install(window, settings, menu: Optional[QMenu] = None) -> list[QAction]:
    """The 视图 menu's 放大字号 (Ctrl+=) / 缩小字号 (Ctrl+-) / 默认字号 (Ctrl+0) on ``window``."""
    tr = lambda text: QApplication.translate("font_size", text)  # noqa: E731
    if menu is None:
        menu = window.menuBar().addMenu(tr("视图(&V)"))
    actions = []
    for text, keys, step in ((tr("放大字号"), ("Ctrl+=", "Ctrl++"), 1), (tr("缩小字号"), ("Ctrl+-",), -1),
                             (tr("默认字号"), ("Ctrl+0",), 0)):
        act = QAction(text, window)
        act.setShortcuts([QKeySequence(k) for k in keys])
        act.triggered.connect(lambda _=False, s=step: set_point_size(
            DEFAULT_POINT_SIZE if s == 0 else point_size() + s, settings))
        menu.addAction(act)
        actions.append(act)
    return actions
