"""数据 page: importing an emr_docs index of many files runs behind the progress dialog, its bar advancing
as the documents are read; 取消 stops it and the case is as it was (no half batch), and the import then
runs to its end."""

import pytest

from document_samples import many_files_index

N = 3000


@pytest.fixture()
def docs_index(tmp_path, monkeypatch):
    from feijian.casework import importing
    from feijian.ingest import documents as ingest_documents
    from feijian.ingest.doc_readers import DocumentLimits

    # small chunks and flushes: documents reach the store before the cancel comes
    monkeypatch.setattr(ingest_documents, "load_limits", lambda: DocumentLimits(batch_rows=100))
    monkeypatch.setattr(importing, "FLUSH_ROWS", 300)
    return many_files_index(tmp_path / "docs", N)


def _recording(monkeypatch, runner):
    """Progress signals of every task the runner launches (connected before it starts)."""
    seen = []
    launch = runner.launch

    def recording_launch(task):
        task.signals.progress.connect(lambda done, total, message: seen.append((done, total, message)))
        launch(task)

    monkeypatch.setattr(runner, "launch", recording_launch)
    return seen


def test_cancel_in_the_progress_dialog_stops_a_document_import_and_leaves_the_case(case_window, docs_index,
                                                                                    monkeypatch, qtbot):
    from feijian.gui.tasks import wait_for

    from feijian.gui.pages.data_page import DataPage

    # in-thread: the test counts the chunks written before the cancel and flushes small (patched here);
    # the same cancel through the child process: tests/gui/test_gui_process_tasks.py
    monkeypatch.setattr(DataPage, "IN_PROCESS", False)
    ctx = case_window.ctx
    store = ctx.store
    counts, batches, events = store.table_row_counts(), len(store.import_batches()), len(store.events())
    writes = []
    real_write = store.write_table
    monkeypatch.setattr(store, "write_table", lambda *a, **k: writes.append(a[1]) or real_write(*a, **k))
    seen = _recording(monkeypatch, ctx.runner)
    page = case_window.show_page("data")
    size = docs_index.stat().st_size
    task = page.start_import(docs_index.parent)
    dialog = task.progress_dialog
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][0] > size // 3 or task.done.is_set(), timeout=60_000)
    assert not task.done.is_set(), "still reading documents when 取消 is pressed"
    from PySide6.QtWidgets import QPushButton
    from shiboken6 import isValid

    button = dialog.findChild(QPushButton)
    assert button.text() == "取消"
    with qtbot.waitSignal(task.signals.cancelled, timeout=20_000):
        button.click()
    wait_for(task, 60)
    done = [d for d, _, _ in seen]
    assert done == sorted(done) and len(set(done)) >= 3 and done[-1] < size
    assert {t for _, t, _ in seen} == {size}
    assert "document files" in seen[-1][2]
    assert writes.count("emr_docs") >= 2, "chunks were stored before the cancel"
    assert store.table_row_counts() == counts
    assert len(store.import_batches()) == batches and len(store.events()) == events
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=5000)

    # the same import, not cancelled, runs to its end with the bar at the total
    seen.clear()
    task = page.start_import(docs_index.parent)
    wait_for(task, 120)
    assert task.error is None, task.error
    assert store.table_row_counts()["emr_docs"] == counts.get("emr_docs", 0) + N
    assert len(store.import_batches()) == batches + 1
    done = [d for d, _, _ in seen]
    assert done == sorted(done) and done[-1] == seen[-1][1]
