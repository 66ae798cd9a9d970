"""Background tasks run below the UI thread's priority, so a busy machine still paints the UI first."""

import os
import sys
import threading

import pytest

from feijian.gui.tasks import BACKGROUND_NICE, wait_for


def _nice_of_this_thread(*, progress=None, cancelled=None):
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def _priority_of_this_thread(*, progress=None, cancelled=None):
    from PySide6.QtCore import QThread

    return QThread.currentThread().priority()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="thread nice values are a Linux mechanism")
def test_a_task_runs_niced_and_the_ui_thread_does_not(runner):
    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    task = runner.start(_nice_of_this_thread)
    wait_for(task, 30)
    assert task.error is None
    assert task.result >= BACKGROUND_NICE
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before  # the UI thread is untouched


def test_a_task_runs_at_low_qt_priority(runner):
    from PySide6.QtCore import QThread

    task = runner.start(_priority_of_this_thread)
    wait_for(task, 30)
    assert task.error is None
    assert task.result == QThread.Priority.LowPriority
