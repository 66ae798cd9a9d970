"""The import and the screening in a child process (ProcessTask): the same case as in-thread, progress and
cancel over the pipe, a crashing child as a clear error dialog, and no plaintext on disk from the child."""

import os
import time
import uuid

import pandas as pd
import pytest

from test_gui_canary_documents import isolated_disk  # noqa: F401 - the fixture

from feijian.domain.errors import Cancelled, InputError
from feijian.domain.progress import check_cancelled, report
from feijian.gui.tasks import run_with_progress, wait_for


# --- functions the child runs (module level: the child imports them by name) -------------------------------
def append_then_wait(store, *, progress=None, cancelled=None):
    """Writes an event inside a transaction, then waits for the cancel: a cancel must roll the event back."""
    with store.transaction():
        store._append("note.added", {"text": "partial"})
        for i in range(6000):
            report(progress, i + 1, 6000, "等待")
            check_cancelled(cancelled)
            time.sleep(0.005)
    return "not cancelled"


def die(store, *, progress=None, cancelled=None):
    report(progress, 1, 2, "快要崩溃")
    os._exit(3)


def refuse(store, *, progress=None, cancelled=None):
    raise InputError("文件无法读取 / unreadable")


def unexpected(store, *, progress=None, cancelled=None):
    raise KeyError("欧阳金丝雀")  # the message may quote data: it must not reach the log or the dialog


# --- fixtures -----------------------------------------------------------------------------------------------
def _new_case(home, passphrase="process-passphrase"):
    from feijian.domain.records import CaseInfo
    from feijian.gui.session import Session

    session = Session(home)
    session.identity = session.identities.create("周检查", "YB-9", "inspector", passphrase, fast=True)
    path = session.create_case(CaseInfo(str(uuid.uuid4()), "proc", "H1", "测试医院", "3"))
    return session, path, session.open_case(path)


def _case_content(store):
    tables = {name: store.read_table(name).num_rows for name in sorted(store.table_row_counts())}
    hits = store.hits()
    keys = sorted(zip(hits["rule_code"].astype(str), hits["mdtrt_id"].astype(str), hits["amount"].astype(str)))
    events = [e.type for e in store.events()]
    return tables, keys, events


def _run(runner, fn, store, *args, in_process, timeout=300, **kwargs):
    task = runner.start(fn, store, *args, in_process=in_process, **kwargs)
    wait_for(task, timeout)
    if task.error is not None:
        raise task.error
    return task


def test_import_and_screening_in_a_child_give_the_same_case_as_in_thread(qtbot, runner, tmp_path, demo_folder):
    from feijian.casework.importing import import_folder
    from feijian.casework.screening import screen_case

    contents, seen = [], []
    for in_process in (False, True):
        _session, _path, store = _new_case(tmp_path / ("child" if in_process else "thread"))
        try:
            progress = []
            task = _run(runner, import_folder, store, demo_folder, importer="测试", in_process=in_process,
                        on_progress=lambda *a, p=progress: p.append(a))
            summary = task.result
            seen.append((type(summary).__name__, summary.tables, len(summary.rejected), len(progress) > 0))
            screened = _run(runner, screen_case, store, in_process=in_process).result
            seen.append((screened.run.hit_count, sorted(screened.not_run)))
            # the GUI's own connection sees what the child wrote, while it stayed open
            contents.append(_case_content(store))
        finally:
            store.close()
    assert seen[0] == seen[2] and seen[1] == seen[3]
    assert seen[2][3], "progress arrived from the child"
    assert seen[3][0] > 0
    thread, child = contents
    assert thread[0] == child[0] and thread[1] == child[1]
    assert [t for t in thread[2]] == [t for t in child[2]]


def test_cancel_stops_the_child_and_leaves_the_store_as_before(qtbot, runner, tmp_path):
    _session, _path, store = _new_case(tmp_path / "home")
    try:
        before = [e.event_id for e in store.events()]
        progress = []
        task = runner.start(append_then_wait, store, in_process=True, on_progress=lambda *a: progress.append(a))
        qtbot.waitUntil(lambda: bool(progress), timeout=60_000)
        started = time.monotonic()
        with qtbot.waitSignal(task.signals.cancelled, timeout=30_000):
            task.cancel()
        assert time.monotonic() - started < 10
        wait_for(task, 10)
        assert isinstance(task.error, Cancelled)
        assert not task.process.is_alive()
        assert [e.event_id for e in store.events()] == before
        store.append_event("note.added", {"text": "the store is writable after the cancel"})
    finally:
        store.close()


def test_a_crashing_child_surfaces_as_an_error_dialog(qtbot, runner, tmp_path, monkeypatch):
    from feijian.casework.background import WorkerFailed
    from feijian.gui import dialogs

    shown = []
    monkeypatch.setattr(dialogs, "error", lambda parent, title, text: shown.append((title, text)))
    _session, _path, store = _new_case(tmp_path / "home")
    try:
        task = run_with_progress(None, runner, "导入数据", die, store, in_process=True)
        wait_for(task, 60)
        assert isinstance(task.error, WorkerFailed)
        assert shown and "exit code 3" in shown[0][1] and shown[0][0] == "导入数据"

        task = run_with_progress(None, runner, "导入数据", refuse, store, in_process=True)
        wait_for(task, 60)
        assert isinstance(task.error, InputError) and shown[-1][1] == "文件无法读取 / unreadable"

        task = run_with_progress(None, runner, "导入数据", unexpected, store, in_process=True)
        wait_for(task, 60)
        assert isinstance(task.error, WorkerFailed)
        assert "KeyError" in shown[-1][1] and "金丝雀" not in shown[-1][1]
    finally:
        store.close()


def test_a_lambda_is_refused_before_any_child_starts(qtbot, runner, tmp_path):
    _session, _path, store = _new_case(tmp_path / "home")
    try:
        task = runner.start(lambda s, **_k: 1, store, in_process=True)
        wait_for(task, 30)
        assert task.process is None and task.error is not None
    finally:
        store.close()


def test_the_child_leaves_no_plaintext_on_disk(qtbot, runner, tmp_path, demo_folder, isolated_disk):
    """The canary's documents imported and screened through the child process: nothing outside the store
    (temp, user caches, logs, the data folder) holds the canary, while the case is open and after."""
    import shutil

    from canary_scan import CANARY_NAME, scan
    from test_gui_canary_documents import _write_documents

    from feijian.casework.importing import import_folder
    from feijian.casework.screening import screen_case

    fees = pd.read_csv(next(demo_folder.glob("费用明细.csv")), dtype=str, encoding="gb18030")
    mdtrt, day = fees["就诊ID"].iat[0], fees["费用发生时间"].iat[0][:10]
    inputs = tmp_path / "input"
    data = inputs / "data"
    shutil.copytree(demo_folder, data, ignore=shutil.ignore_patterns("病历文书*"))
    docs = inputs / "docs"
    docs.mkdir()
    _write_documents(docs, mdtrt, day)
    home = tmp_path / "home"
    _session, _path, store = _new_case(home)
    try:
        _run(runner, import_folder, store, data, in_process=True)
        summary = _run(runner, import_folder, store, docs, in_process=True).result
        assert summary.tables["emr_docs"] == 4
        _run(runner, screen_case, store, in_process=True)
        texts = store.read_table("emr_docs").column("text").to_pylist()
        assert any(CANARY_NAME in t for t in texts)  # it was imported (by the child), so the scan means something
        assert scan([tmp_path], skip=[inputs]) == []
    finally:
        store.close()
    assert scan([tmp_path], skip=[inputs]) == []
    assert scan([inputs])
