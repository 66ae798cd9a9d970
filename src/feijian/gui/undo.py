"""Undo and redo of casework decisions on a QUndoStack.

A decision is made by a casework function that returns a :class:`feijian.casework.changes.Change`; undoing
it appends a compensating event (``changes.undo``), whose own Change redoes it. Nothing is deleted from the
event log, so an undone decision stays visible in the audit trail.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack


class ChangeCommand(QUndoCommand):
    """``perform()`` makes the decision (returns a Change) the first time the command is pushed."""

    def __init__(self, store: Any, perform: Callable[[], Any], text: str, on_change: Optional[Callable[[], None]] = None):
        super().__init__(text)
        self.store = store
        self._perform = perform
        self._on_change = on_change
        self.change: Any = None  # the Change that redo made (the one undo reverts)
        self.error: Optional[BaseException] = None

    def redo(self) -> None:
        from feijian.casework import changes

        if self.change is None:
            self.change = self._perform()
        else:
            self.change = changes.undo(self.store, self.change)
        self._notify()

    def undo(self) -> None:
        from feijian.casework import changes

        if self.change is not None:
            self.change = changes.undo(self.store, self.change)
        self._notify()

    def _notify(self) -> None:
        if self._on_change is not None:
            self._on_change()


class CaseUndoStack(QUndoStack):
    """One per open case. ``decide`` runs a casework function and pushes its Change; a FeijianError from the
    function propagates before anything is pushed."""

    changed = Signal()  # after every do / undo / redo

    def __init__(self, store: Any, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setUndoLimit(500)

    def decide(self, text: str, perform: Callable[[], Any]) -> Any:
        change = perform()  # errors surface here, before the stack changes
        cmd = ChangeCommand(self.store, lambda: change, text, self.changed.emit)
        self.push(cmd)
        return change
