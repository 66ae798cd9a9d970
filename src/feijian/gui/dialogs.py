"""Every message box and file dialog goes through here, so tests patch one place and the wording stays
consistent (Qt's own buttons are translated by qtbase_zh_CN.qm)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget


def _back(parent: Optional[QWidget]) -> None:
    """After a dialog: its window active again, so the keyboard goes on where it was (a window manager
    usually does this; not all do, and the offscreen platform does not)."""
    window = parent.window() if parent is not None else None
    if window is not None and window.isVisible():
        window.activateWindow()


def info(parent: Optional[QWidget], title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)
    _back(parent)


def error(parent: Optional[QWidget], title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)
    _back(parent)


def confirm(parent: Optional[QWidget], title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    _back(parent)
    return answer == QMessageBox.StandardButton.Yes


def ask_text(parent: Optional[QWidget], title: str, label: str, text: str = "") -> Optional[str]:
    value, ok = QInputDialog.getText(parent, title, label, text=text)
    _back(parent)
    return value if ok else None


def open_folder(parent: Optional[QWidget], title: str, start: str = "") -> Optional[Path]:
    path = QFileDialog.getExistingDirectory(parent, title, start)
    _back(parent)
    return Path(path) if path else None


def open_files(parent: Optional[QWidget], title: str, filters: str = "") -> list[Path]:
    paths, _ = QFileDialog.getOpenFileNames(parent, title, "", filters)
    _back(parent)
    return [Path(p) for p in paths]


def open_file(parent: Optional[QWidget], title: str, filters: str = "") -> Optional[Path]:
    path, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
    _back(parent)
    return Path(path) if path else None


def save_file(parent: Optional[QWidget], title: str, suggested: str = "", filters: str = "") -> Optional[Path]:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    _back(parent)
    return Path(path) if path else None
