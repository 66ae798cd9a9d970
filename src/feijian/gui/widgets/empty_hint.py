"""The one line a page shows while it has nothing to show yet: what to do next (e.g. 疑点: "尚未筛查 — 运行全部
规则 (Ctrl+R)"). Hidden as soon as the page has data."""

from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from feijian.gui import font_size


class EmptyHint(QLabel):
    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyHint")
        self.setStyleSheet("QLabel#emptyHint{background:#eef4fb; color:#1d3557; border:1px solid #c9d9ec;"
                           " border-radius:4px; padding:8px 12px}")
        font_size.relative(self, 1.1)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(False)
        self.hide()

    def show_hint(self, text: str) -> None:
        """Show ``text`` (one line); an empty text hides the hint."""
        self.setText(text)
        self.setVisible(bool(text))

    @property
    def shown(self) -> str:
        """The hint's text while it is meant to be seen ('' when hidden)."""
        return self.text() if not self.isHidden() else ""
