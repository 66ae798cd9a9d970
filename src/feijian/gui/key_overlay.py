"""The ? overlay (issue 18, first start): ? or F1 shows, over the current page, the keys that work there — read
from the page's own actions, buttons and labels' mnemonics and the window's menus, so it cannot drift from what
the keys do — and Esc (or any key, or a click) closes it."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Optional

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QPainter
from PySide6.QtWidgets import QAbstractButton, QLabel, QMainWindow, QMenu, QVBoxLayout, QWidget

HELP_KEYS = ("?", "F1")


@dataclass(frozen=True)
class KeyEntry:
    keys: str  # as people write them: "Ctrl+R", "J", "Alt+C"
    text: str  # what the key does


def _tr(text: str) -> str:
    return QCoreApplication.translate("key_overlay", text)


def _plain(text: str) -> str:
    """A label without its mnemonic marker and the key already written in it: "确认 (&C)" -> "确认"."""
    text = re.sub(r"&(?!&)", "", text).replace("&&", "&")
    text = re.sub(r"\s*[（(](?:Ctrl\+)?[A-Za-z0-9]+[)）]\s*$", "", text)
    text = re.sub(r"\s*[（(]Enter[)）]\s*$", "", text)
    return text.rstrip("…. ").strip()


def _keys(sequences) -> str:
    names = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences if not s.isEmpty()]
    return " / ".join(dict.fromkeys(names))  # Return and Enter are both 回车


def _mnemonic(text: str) -> str:
    m = re.search(r"&([^&\s])", text)
    return m.group(1).upper() if m else ""


def _shown(w: QWidget, page: QWidget) -> bool:
    return w.isVisibleTo(page) and w.isEnabled()


def page_keys(page: QWidget) -> list[KeyEntry]:
    """The keys of one page: its widgets' actions with shortcuts, buttons' shortcuts and mnemonics (Alt+…),
    labels' mnemonics (Alt+… moves to their field). In the order they appear, each key once."""
    found: list[KeyEntry] = []
    seen: set[str] = set()

    def add(keys: str, text: str) -> None:
        if keys and text and keys not in seen:
            seen.add(keys)
            found.append(KeyEntry(keys, text))

    for w in [page, *page.findChildren(QWidget)]:
        if w is not page and not _shown(w, page):
            continue
        for act in w.actions():
            if isinstance(act, QAction) and act.isVisible() and act.shortcuts() and act.menu() is None:
                add(_keys(act.shortcuts()), _plain(act.property("keyHelp") or act.text()))
        if isinstance(w, QAbstractButton):
            if not w.shortcut().isEmpty():
                add(_keys([w.shortcut()]), _plain(w.text()))
            elif _mnemonic(w.text()):
                add("Alt+" + _mnemonic(w.text()), _plain(w.text()))
        elif isinstance(w, QLabel) and w.buddy() is not None and _mnemonic(w.text()):
            add("Alt+" + _mnemonic(w.text()), _tr("转到") + " " + _plain(w.text()).rstrip("：:"))
    return found


def window_keys(window: QMainWindow) -> list[tuple[str, list[KeyEntry]]]:
    """The window's menus: (menu title, its keys) for each menu with at least one shortcut."""
    out = []
    for top in window.menuBar().actions():
        menu: Optional[QMenu] = top.menu()
        if menu is None:
            continue
        entries = [KeyEntry(_keys(a.shortcuts()), _plain(a.property("keyHelp") or a.text())) for a in menu.actions()
                   if a.shortcuts() and a.isVisible()]
        title = _plain(top.text())
        if _mnemonic(top.text()):
            title += f"（Alt+{_mnemonic(top.text())}）"
        if entries:
            out.append((title, entries))
    return out


def overlay_html(title: str, page: list[KeyEntry], menus: list[tuple[str, list[KeyEntry]]], columns: int = 3) -> str:
    """The overlay's text: the page's keys, then each menu's, in ``columns`` columns of about equal length
    (so it fits a 1366×768 screen)."""
    def section(name, entries):
        rows = "".join(f"<tr><td nowrap align='right' style='padding:2px 12px 2px 0'><b>{html.escape(e.keys)}</b></td>"
                       f"<td nowrap style='padding:2px 0'>{html.escape(e.text)}</td></tr>" for e in entries)
        return f"<h3>{html.escape(name)}</h3><table>{rows}</table>"

    sections = ([(_tr("本页"), page)] if page else []) + list(menus)
    cols: list[list[str]] = [[] for _ in range(columns)]
    lengths = [0] * columns
    for name, entries in sections:  # each section into the shortest column so far, in order
        i = lengths.index(min(lengths))
        cols[i].append(section(name, entries))
        lengths[i] += len(entries) + 2
    used = [c for c in cols if c]
    cells = "".join(f"<td valign='top' width='{100 // len(used)}%'>{''.join(c)}</td>" for c in used)
    return (f"<h2>{html.escape(title)}</h2><table width='100%'><tr>{cells}</tr></table>"
            f"<p style='color:#555'>{html.escape(_tr('Tab 在各栏之间移动 · Alt+带下划线的字母打开菜单 · Esc 关闭本说明'))}</p>")


class KeyOverlay(QWidget):
    """Covers the window's central area with the keys of the page beneath; Esc, any key or a click closes it."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.entries: list[KeyEntry] = []
        self.menus: list[tuple[str, list[KeyEntry]]] = []
        self._previous: Optional[QWidget] = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 40, 60, 40)
        self.panel = QLabel(self)
        self.panel.setObjectName("keyOverlay")
        self.panel.setTextFormat(Qt.TextFormat.RichText)
        self.panel.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.panel.setWordWrap(True)
        self.panel.setStyleSheet("QLabel#keyOverlay{background:#ffffff; border:1px solid #8da9c4;"
                                 " border-radius:6px; padding:16px 24px}")
        layout.addWidget(self.panel)
        self.hide()
        window.installEventFilter(self)

    def open(self, title: str, page: QWidget) -> None:
        self._previous = self.window_.focusWidget()
        self.entries = page_keys(page)
        self.menus = window_keys(self.window_)
        self.panel.setText(overlay_html(title, self.entries, self.menus))
        self._fit()
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _fit(self) -> None:
        central = self.window_.centralWidget()
        self.setGeometry(central.geometry() if central is not None else self.window_.rect())

    def eventFilter(self, obj, event) -> bool:
        if obj is self.window_ and event.type() == QEvent.Type.Resize and self.isVisible():
            self._fit()
        return False

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(29, 53, 87, 120))
        p.end()

    def keyPressEvent(self, event) -> None:
        self.close_overlay()

    def mousePressEvent(self, _event) -> None:
        self.close_overlay()

    def close_overlay(self) -> None:
        self.hide()
        previous = self._previous
        self._previous = None
        if previous is not None and previous.isVisible():
            previous.setFocus(Qt.FocusReason.OtherFocusReason)


def install(window: QMainWindow, current_page, title) -> QAction:
    """帮助(&H) › 键盘快捷键 (? / F1) on ``window``: the overlay for ``current_page()`` titled ``title()``."""
    overlay = KeyOverlay(window)
    window.key_overlay = overlay
    act = QAction(_tr("本页快捷键"), window)
    act.setShortcuts([QKeySequence(k) for k in HELP_KEYS])
    act.triggered.connect(lambda: overlay.open(title(), current_page()))
    window.menuBar().addMenu(_tr("帮助(&H)")).addAction(act)
    return act
