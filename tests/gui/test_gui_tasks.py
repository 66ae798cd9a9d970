"""Tasks run library-style functions off the UI thread with progress and cancel."""

import threading
import time

import pytest

from feijian.domain.errors import InputError
from feijian.domain.progress import check_cancelled, report
from feijian.gui.tasks import ProgressDialog, run_with_progress


def count_to(n, *, progress=None, cancelled=None, pause=0.0):
    for i in range(n):
        check_cancelled(cancelled)
        report(progress, i + 1, n, f"第 {i + 1} 步")
        if pause:
            time.sleep(pause)
    return threading.current_thread().name, n


def test_result_arrives_on_finished_from_a_pool_thread(qtbot, runner):
    seen, results = [], []
    runner.start(count_to, 50, on_progress=lambda *a: seen.append(a), on_finished=results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    thread_name, n = results[0]
    assert n == 50
    assert thread_name != threading.main_thread().name
    assert seen[-1][0] == 50 and seen[-1][1] == 50  # the last step is always reported


def test_cancel_ends_with_cancelled_not_finished(qtbot, runner):
    task = runner.start(count_to, 10_000, pause=0.001, launch=False)
    with qtbot.assertNotEmitted(task.signals.finished), qtbot.waitSignal(task.signals.cancelled, timeout=5000):
        runner.launch(task)
        task.cancel()
    assert task.error is not None


def test_library_error_goes_to_failed(qtbot, runner):
    def bad(*, progress=None, cancelled=None):
        raise InputError("文件无法读取 / unreadable")

    failures = []
    runner.start(bad, on_failed=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert isinstance(failures[0], InputError)


def test_progress_dialog_closes_even_for_an_instant_task(qtbot, runner):
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    results = []
    task = run_with_progress(parent, runner, "瞬间", count_to, 1, on_finished=results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    from shiboken6 import isValid

    dialog = task.progress_dialog
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=2000)


def test_progress_dialog_cancel_button_cancels_the_task(qtbot, runner):
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    failures = []
    task = run_with_progress(parent, runner, "导入", count_to, 100_000, pause=0.001,
                             on_failed=failures.append)
    dialog = task.progress_dialog
    assert isinstance(dialog, ProgressDialog)
    from PySide6.QtWidgets import QPushButton

    button = dialog.findChild(QPushButton)
    assert button.text() == "取消"
    with qtbot.waitSignal(task.signals.cancelled, timeout=5000):
        button.click()
    assert not failures


@pytest.mark.parametrize("outcome", ["finished", "failed", "cancelled"])
def test_done_is_set_only_after_the_ending_signal_is_posted(qtbot, runner, outcome):
    """wait_for() trusts ``done``: once it is set, the ending signal must already be queued, or a waiter
    that then processes events may miss it (the progress dialog stays open)."""
    from PySide6.QtCore import Qt

    from feijian.domain.errors import Cancelled
    from feijian.gui.tasks import wait_for

    def work(*, progress=None, cancelled=None):
        if outcome == "failed":
            raise InputError("坏输入")
        if outcome == "cancelled":
            raise Cancelled("取消")
        return 1

    task = runner.start(work, launch=False)
    done_at_emit = []
    getattr(task.signals, outcome).connect(lambda *_a: done_at_emit.append(task.done.is_set()),
                                           Qt.ConnectionType.DirectConnection)  # runs in the pool thread
    delivered = []
    getattr(task.signals, outcome).connect(lambda *_a: delivered.append(True))
    runner.launch(task)
    wait_for(task, 5)
    assert done_at_emit == [False]
    assert delivered == [True]  # delivered by wait_for's last processEvents, no extra waiting
