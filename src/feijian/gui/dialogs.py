"""Every message box and file dialog goes through here, so tests patch one place and the wording stays
consistent (Qt's own buttons are translated by qtbase_zh_CN.qm)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget


def info(parent: Optional[QWidget], title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def error(parent: Optional[QWidget], title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def confirm(parent: Optional[QWidget], title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


def ask_text(parent: Optional[QWidget], title: str, label: str, text: str = "") -> Optional[str]:
    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return value if ok else None


def open_folder(parent: Optional[QWidget], title: str, start: str = "") -> Optional[Path]:
    path = QFileDialog.getExistingDirectory(parent, title, start)
    return Path(path) if path else None


def open_files(parent: Optional[QWidget], title: str, filters: str = "") -> list[Path]:
    paths, _ = QFileDialog.getOpenFileNames(parent, title, "", filters)
    return [Path(p) for p in paths]


def open_file(parent: Optional[QWidget], title: str, filters: str = "") -> Optional[Path]:
    path, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
    return Path(path) if path else None


def save_file(parent: Optional[QWidget], title: str, suggested: str = "", filters: str = "") -> Optional[Path]:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return Path(path) if path else None
