"""Long work off the UI thread: a QRunnable calls a library function with ``progress`` and ``cancelled``
callbacks (feijian.domain.progress) and reports back through signals; a window-modal progress dialog with
取消 sets the cancel flag. The library undoes its partial work and raises Cancelled."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable, Optional

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from feijian.domain.errors import Cancelled, FeijianError
from feijian.gui.error_dialog import scrubbed_traceback, show_unexpected_error

log = logging.getLogger("feijian.gui.tasks")


class TaskSignals(QObject):
    progress = Signal("qlonglong", "qlonglong", str)  # done, total, message (bytes of a >2 GB import too)
    finished = Signal(object)  # the function's result
    failed = Signal(object)  # the exception (FeijianError or unexpected)
    cancelled = Signal()


class Task(QRunnable):
    """One call of ``fn(*args, progress=…, cancelled=…, **kwargs)`` in a pool thread."""

    MIN_PROGRESS_INTERVAL = 0.05  # seconds between progress signals, so a chatty function cannot flood the UI

    def __init__(self, fn: Callable[..., Any], *args: Any, name: str = "", **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.name = name or getattr(fn, "__name__", "task")
        self.signals = TaskSignals()
        self._cancel = threading.Event()
        self._last_progress = 0.0
        self.done = threading.Event()
        self.result: Any = None
        self.error: Optional[BaseException] = None

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if now - self._last_progress >= self.MIN_PROGRESS_INTERVAL or (total and done >= total):
            self._last_progress = now
            self.signals.progress.emit(int(done), int(total), str(message))

    def run(self) -> None:  # in the pool thread
        started = time.monotonic()
        try:
            self._call(started)
        finally:
            # Set only after the signal is posted: whoever waits on ``done`` and then processes events
            # is sure to deliver it (the dialog closes, the callbacks run).
            self.done.set()

    def _call(self, started: float) -> None:
        try:
            self.result = self.fn(*self.args, progress=self._progress, cancelled=self.is_cancelled, **self.kwargs)
        except Cancelled as exc:
            self.error = exc
            log.info("task %s cancelled after %.1f s", self.name, time.monotonic() - started)
            self.signals.cancelled.emit()
            return
        except BaseException as exc:  # reported to the UI thread, which shows it
            self.error = exc
            if not isinstance(exc, FeijianError):
                log.error("task %s failed\n%s", self.name, scrubbed_traceback(type(exc), exc, exc.__traceback__))
            self.signals.failed.emit(exc)
            return
        log.info("task %s finished in %.1f s", self.name, time.monotonic() - started)
        # A cancel that came after the function's last check changes nothing: the work stands.
        self.signals.finished.emit(self.result)


class TaskRunner(QObject):
    """Starts tasks on a thread pool and keeps them alive until they end."""

    def __init__(self, parent: Optional[QObject] = None, pool: Optional[QThreadPool] = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._running: set[Task] = set()

    def start(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_finished: Optional[Callable[[Any], None]] = None,
        on_failed: Optional[Callable[[BaseException], None]] = None,
        on_cancelled: Optional[Callable[[], None]] = None,
        on_progress: Optional[Callable[[int, int, str], None]] = None,
        name: str = "",
        launch: bool = True,
        **kwargs: Any,
    ) -> Task:
        """Make the task, connect the callbacks, and (unless ``launch=False``) start it. Connect anything
        else before it starts: a signal emitted from the pool thread reaches only receivers connected then."""
        task = Task(fn, *args, name=name, **kwargs)
        self._running.add(task)
        sig = task.signals
        if on_progress:
            sig.progress.connect(on_progress)
        if on_finished:
            sig.finished.connect(on_finished)
        if on_failed:
            sig.failed.connect(on_failed)
        if on_cancelled:
            sig.cancelled.connect(on_cancelled)
        for s in (sig.finished, sig.failed, sig.cancelled):
            s.connect(lambda *_a, t=task: self._running.discard(t))
        if launch:
            self.launch(task)
        return task

    def launch(self, task: Task) -> None:
        self.pool.start(task)

    def running(self) -> list[Task]:
        return list(self._running)

    def cancel_all(self) -> None:
        for t in list(self._running):
            t.cancel()

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)


class ProgressDialog(QProgressDialog):
    """Window-modal progress with a 取消 button bound to a task."""

    def __init__(self, parent: Optional[QWidget], title: str, task: Task) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setLabelText(title)
        self.setCancelButtonText(self.tr("取消"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(300)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumWidth(420)
        self.setRange(0, 0)
        self.task = task
        self.canceled.connect(self._on_cancel)
        task.signals.progress.connect(self.on_progress)
        for s in (task.signals.finished, task.signals.failed, task.signals.cancelled):
            s.connect(self._end)

    def on_progress(self, done: int, total: int, message: str) -> None:
        if total > 1_000_000_000:  # QProgressDialog counts in int: show permille of big totals (bytes)
            done, total = done * 1000 // total, 1000
        if total > 0:
            if self.maximum() != total:
                self.setRange(0, total)
            self.setValue(min(done, total))
        if message:
            self.setLabelText(message)

    def _on_cancel(self) -> None:
        self.setLabelText(self.tr("正在取消，撤回已做的部分……"))
        self.task.cancel()

    def _end(self, *_args) -> None:
        owner = self.parentWidget().window() if self.parentWidget() is not None else None
        self.close()
        self.deleteLater()
        if owner is not None and owner.isVisible():
            owner.activateWindow()  # the keyboard back where it was (not every window manager does it)


def run_with_progress(
    parent: Optional[QWidget],
    runner: TaskRunner,
    title: str,
    fn: Callable[..., Any],
    *args: Any,
    on_finished: Optional[Callable[[Any], None]] = None,
    on_failed: Optional[Callable[[BaseException], None]] = None,
    on_cancelled: Optional[Callable[[], None]] = None,
    **kwargs: Any,
) -> Task:
    """Start ``fn`` on the pool behind a window-modal progress dialog. Failures default to a dialog:
    a FeijianError shows its one-line message; anything else goes to the unexpected-error dialog."""

    def failed(exc: BaseException) -> None:
        if on_failed is not None:
            on_failed(exc)
        else:
            show_failure(parent, title, exc)

    task = runner.start(fn, *args, on_finished=on_finished, on_failed=failed, on_cancelled=on_cancelled,
                        name=title, launch=False, **kwargs)
    dialog = ProgressDialog(parent, title, task)
    task.progress_dialog = dialog  # type: ignore[attr-defined]
    runner.launch(task)
    return task


def show_failure(parent: Optional[QWidget], title: str, exc: BaseException) -> None:
    from feijian.gui import dialogs

    if isinstance(exc, FeijianError):
        dialogs.error(parent, title, str(exc))
    else:
        show_unexpected_error(parent, type(exc), exc, exc.__traceback__)


def wait_for(task: Task, timeout: float = 60.0) -> None:
    """Process events until ``task`` ended (tests and scripts)."""
    end = time.monotonic() + timeout
    while not task.done.is_set():
        if time.monotonic() > end:
            raise TimeoutError(task.name)
        QApplication.processEvents()
        time.sleep(0.005)
    QApplication.processEvents()
