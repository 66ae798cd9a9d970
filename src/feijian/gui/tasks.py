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


class ProcessTask(Task):
    """``fn(store, *args, progress=…, cancelled=…, **kwargs)`` in a child process (feijian.casework.background):
    the pool thread only waits on the pipe and turns the child's messages into the same signals as Task's,
    so the UI thread never competes with the work for the GIL. ``fn`` must be a module-level function;
    the child opens the case itself with the key handed over through the pipe. On cancel the child's
    function undoes its partial work; a child that does not stop within ``KILL_AFTER`` seconds of the
    cancel, or that dies, is reported as failed (SQLite rolls back its open transaction)."""

    KILL_AFTER = 30.0

    def __init__(self, fn: Callable[..., Any], store: Any, *args: Any, name: str = "", **kwargs: Any) -> None:
        super().__init__(fn, store, *args, name=name, **kwargs)
        self.process = None

    def _call(self, started: float) -> None:
        from feijian.casework import background

        fn, store, *args = (self.fn, *self.args)
        ctx = background.context()
        parent, child = ctx.Pipe()
        try:
            job = background.Job(background.target_name(fn), background.StoreHandle.of(store), tuple(args),
                                 dict(self.kwargs))
            # not a daemon: the import reads photographed pages in a pool of OCR processes of its own, and a
            # daemonic process may not have children; this thread joins (or kills) it below
            self.process = ctx.Process(target=background.child_main, args=(child,), daemon=False,
                                       name=f"feijian-{self.name}")
            self.process.start()
            child.close()
            parent.send(job)
            kind, payload = self._relay(parent)
        except BaseException as exc:  # noqa: BLE001 - could not start, or the pipe broke
            kind, payload = "failed", (None, scrubbed_traceback(type(exc), exc, exc.__traceback__))
        finally:
            parent.close()
            if self.process is not None:
                self.process.join(5)
                if self.process.is_alive():
                    self.process.kill()
                    self.process.join(5)
        if kind == "done":
            self.result = payload
            log.info("task %s finished in a child process in %.1f s", self.name, time.monotonic() - started)
            self.signals.finished.emit(self.result)
        elif kind == "cancelled":
            self.error = Cancelled()
            log.info("task %s cancelled after %.1f s", self.name, time.monotonic() - started)
            self.signals.cancelled.emit()
        else:
            error, trace = payload
            if error is None:
                log.error("task %s failed in its child process\n%s", self.name, trace)
                error = background.WorkerFailed(
                    QApplication.translate("tasks", "后台进程出错，未完成（详情见日志）") + f" / the background process "
                    f"failed: {trace.rsplit(chr(10), 1)[-1]}")
            self.error = error
            self.signals.failed.emit(error)

    def _relay(self, conn) -> tuple[str, Any]:
        """Pass the child's progress on until it ends; send the cancel when asked."""
        cancel_sent = 0.0
        while True:
            if self._cancel.is_set() and not cancel_sent:
                cancel_sent = time.monotonic()
                try:
                    conn.send("cancel")
                except OSError:
                    pass
            if cancel_sent and time.monotonic() - cancel_sent > self.KILL_AFTER:
                self.process.kill()
                return "cancelled", None
            try:
                ready = conn.poll(0.1)
                message = conn.recv() if ready else None
            except (EOFError, OSError):
                message = None
                ready = True
            if message is None:
                if ready or not self.process.is_alive():
                    self.process.join(1)
                    code = self.process.exitcode
                    return "failed", (background_died(code), "")
                continue
            if message[0] == "progress":
                _kind, done, total, text = message
                self._progress(done, total, text)
                continue
            return message[0], message[1]


def background_died(code: Optional[int]) -> BaseException:
    from feijian.casework.background import WorkerFailed

    how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
    return WorkerFailed(QApplication.translate("tasks", "后台进程意外退出，未完成的部分已撤回")
                        + f" / the background process died ({how})")


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
        in_process: bool = False,
        **kwargs: Any,
    ) -> Task:
        """Make the task, connect the callbacks, and (unless ``launch=False``) start it. Connect anything
        else before it starts: a signal emitted from the pool thread reaches only receivers connected then.
        ``in_process``: ``fn(store, …)`` runs in a child process (:class:`ProcessTask`)."""
        task = (ProcessTask if in_process else Task)(fn, *args, name=name, **kwargs)
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
    in_process: bool = False,
    **kwargs: Any,
) -> Task:
    """Start ``fn`` on the pool behind a window-modal progress dialog. Failures default to a dialog:
    a FeijianError shows its one-line message; anything else goes to the unexpected-error dialog.
    ``in_process``: ``fn(store, …)`` runs in a child process (:class:`ProcessTask`)."""

    def failed(exc: BaseException) -> None:
        if on_failed is not None:
            on_failed(exc)
        else:
            show_failure(parent, title, exc)

    task = runner.start(fn, *args, on_finished=on_finished, on_failed=failed, on_cancelled=on_cancelled,
                        name=title, launch=False, in_process=in_process, **kwargs)
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
