"""Unexpected errors in the workbench: a traceback scrubbed of messages (they may quote patient data) for the
log, the one dialog per distinct traceback, and the ``sys.excepthook`` that ties them together. Used by the
application (:mod:`feijian.gui.app`) and by background tasks (:mod:`feijian.gui.tasks`)."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from typing import Optional

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

log = logging.getLogger("feijian.gui")


def scrubbed_traceback(exc_type, exc, tb) -> str:
    """The traceback with frames and the exception type only: the message may quote data (a name, an ID
    number) and so is never logged."""
    frames = traceback.extract_tb(tb)
    lines = [f'  File "{Path(f.filename).name}", line {f.lineno}, in {f.name}' for f in frames]
    return "Traceback (most recent call last):\n" + "\n".join(lines) + f"\n{exc_type.__module__}.{exc_type.__name__}"


class ErrorHook:
    """sys.excepthook: log the scrubbed traceback and show one dialog per distinct traceback."""

    def __init__(self, parent_getter=lambda: None) -> None:
        self._seen: set[str] = set()
        self._parent_getter = parent_getter
        self._previous = sys.excepthook
        self.enabled_dialogs = True

    def install(self) -> None:
        sys.excepthook = self

    def uninstall(self) -> None:
        sys.excepthook = self._previous

    def __call__(self, exc_type, exc, tb) -> None:
        scrubbed = scrubbed_traceback(exc_type, exc, tb)
        log.error("unexpected error\n%s", scrubbed)
        if scrubbed in self._seen or not self.enabled_dialogs or QApplication.instance() is None:
            return
        self._seen.add(scrubbed)
        show_unexpected_error(self._parent_getter(), exc_type, exc, tb)


def show_unexpected_error(parent: Optional[QWidget], exc_type, exc, tb) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QApplication.translate("app", "意外错误"))
    box.setText(QApplication.translate(
        "app", "发生了意外错误。已做的决定都已保存；请把详细信息交给技术支持。\n"
               "An unexpected error occurred; your decisions are saved."))
    box.setInformativeText(f"{exc_type.__name__}: {exc}")
    box.setDetailedText("".join(traceback.format_exception(exc_type, exc, tb)))
    box.exec()
