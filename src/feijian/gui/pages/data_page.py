"""数据: import batches (file hashes, row accounting) and what each refused or noted (kept in the case, the
refused rows exportable as the contract's report), import and screening as background tasks, and a
table browser that pages through any case table: pages are read from the stored chunks they lie in (a 13.6M-row
fee table is never loaded whole) and a filter scans the chunks in a background task."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Optional

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
                               QSplitter, QTableView, QVBoxLayout, QWidget)

from feijian.domain import formatting
from feijian.gui import dialogs
from feijian.gui.models import Column, FrameModel, configure_table_view
from feijian.gui.tasks import run_with_progress
from feijian.gui.widgets.empty_hint import EmptyHint
from feijian.reports.data_confirmation import table_title

log = logging.getLogger("feijian.gui")
PAGE_ROWS = 20_000
KINDS = {"decimal": "money", "datetime": "datetime", "date": "date"}
LINE_COLUMN = "_line"  # the row's line in its source file: shown (as 源文件行号), unlike the other internal columns


def shown_columns(names) -> list[str]:
    """The columns of a case table the browser shows: the contract's and the hospital's own, and the source
    line; not the internal ones (``_batch``, ``_text_norm``, ``_file_sha256`` … start with ``_``)."""
    return [n for n in names if not n.startswith("_") or n == LINE_COLUMN]


def batch_rows(batches) -> pd.DataFrame:
    rows = []
    for b in batches:
        for f in b.files:
            rows.append({"batch": b.batch_id, "imported_at": b.imported_at, "importer": b.importer,
                         "file": f.file_name, "table": f.table, "encoding": f.encoding, "rows": f.rows,
                         "read": f.read, "refused": f.refused, "sha256": f.sha256, "size": f.size})
    return pd.DataFrame(rows, columns=["batch", "imported_at", "importer", "file", "table", "encoding", "rows",
                                       "read", "refused", "sha256", "size"])


def browse_header(spec) -> str:
    """A column of the data browser: its Chinese header over the contract name (``诊断类别`` / ``diag_type``)."""
    zh = next((a for a in spec.aliases if any("\u4e00" <= ch <= "\u9fff" for ch in a)), "")
    return f"{zh}\n{spec.name}" if zh else spec.name


def code_labels(field: str):
    """A coded field's values with their names (``1`` → ``1 主要诊断``), None for a field without a code table."""
    from feijian.domain.codes import code_names

    try:
        names = code_names(field)
    except KeyError:
        return None
    return {code: formatting.coded(code, name) for code, name in names.items()}


def _table_labels() -> dict[str, str]:
    """Each contract table as the documents name it beside its name (``费用明细 fees``)."""
    from feijian.domain.contract import load_contract

    return {t: (f"{table_title(t)} {t}" if table_title(t) != t else t) for t in load_contract().tables}


def batch_columns() -> list[Column]:
    return [Column("imported_at", "导入时间", "datetime", width=170), Column("file", "文件", width=180),
            Column("table", "表", width=150, labels=_table_labels()), Column("encoding", "编码", width=70),
            Column("rows", "行数", "int", width=80), Column("read", "已读入", "int", width=80),
            Column("refused", "拒收", "int", width=60), Column("size", "字节", "int", width=90),
            Column("sha256", "SHA-256", width=480), Column("importer", "导入人", width=120)]


PROBLEM_KINDS = {"refused": "拒收", "note": "已导入·请核对", "referential": "引用缺失"}


def problem_columns() -> list[Column]:
    return [Column("kind", "类别", width=90, labels=PROBLEM_KINDS), Column("file", "文件", width=110),
            Column("line", "行号", "int", width=50), Column("field", "字段", width=100),
            Column("value", "值", width=120), Column("reason", "原因", width=380),
            Column("count", "涉及行数", "int", width=70)]


def problem_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["kind", "file", "line", "field", "value", "reason", "count"])


class TableBrowser(QWidget):
    """Pages of PAGE_ROWS rows of a case table (a ChunkedTable over the store); a case-insensitive
    "contains" filter over one column, run chunk by chunk in a background task."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.source = None  # the table: a ChunkedTable (or an Arrow table for stores without chunk access)
        self.view_table = None  # after the filter (Arrow: at most FILTER_LIMIT rows)
        self.filter_task = None
        self.matches: Optional[int] = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.table_combo = QComboBox(self)
        self.column_combo = QComboBox(self)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("筛选值（包含）"))
        self.filter.setClearButtonEnabled(True)
        self.page = QSpinBox(self)
        self.page.setMinimum(1)
        self.pages = QLabel(self)
        for w, label in ((self.table_combo, "表"), (self.column_combo, "列"), (self.filter, ""), (self.page, "页")):
            if label:
                bar.addWidget(QLabel(self.tr(label), self))
            bar.addWidget(w, 1 if w is self.filter else 0)
        bar.addWidget(self.pages)
        layout.addLayout(bar)
        self.model = FrameModel(pd.DataFrame(), [], self)
        self.view = QTableView(self)
        configure_table_view(self.view, self.model)
        layout.addWidget(self.view, 1)
        self.table_combo.currentIndexChanged.connect(self.load_table)
        self.filter.returnPressed.connect(self.apply_filter)
        self.filter.textChanged.connect(lambda t: t or self.apply_filter())
        self.page.valueChanged.connect(self.show_page)

    def refresh_tables(self) -> None:
        try:
            counts = self.ctx.store.table_row_counts()
        except Exception:
            counts = {}
        current = self.table_combo.currentData()
        self.table_combo.blockSignals(True)
        self.table_combo.clear()
        for name, n in sorted(counts.items()):
            title = table_title(name)
            shown = f"{title} {name}" if title != name else name
            self.table_combo.addItem(f"{shown}（{formatting.count(n)} 行）", name)
        idx = self.table_combo.findData(current)
        self.table_combo.setCurrentIndex(max(0, idx))
        self.table_combo.blockSignals(False)
        self.load_table()

    def load_table(self) -> None:
        name = self.table_combo.currentData()
        self._stop_filter()
        self.matches = None
        if not name:
            self.source = None
        elif hasattr(self.ctx.store, "table_chunks"):
            from feijian.gui.chunked_table import ChunkedTable

            self.source = ChunkedTable(self.ctx.store, name)
        else:
            self.source = self.ctx.table(name)
        self.column_combo.clear()
        if self.source is not None:
            for c in shown_columns(self.source.column_names):
                self.column_combo.addItem(self.tr("源文件行号") if c == LINE_COLUMN else c, c)
        self.view_table = self.source
        self._pages_changed()

    def apply_filter(self) -> None:
        if self.source is None:
            return
        text = self.filter.text().strip()
        col = self.column_combo.currentData()
        self._stop_filter()
        self.matches = None
        if not text or not col:
            self.view_table = self.source
            self._pages_changed()
            return
        from feijian.gui.chunked_table import ChunkedTable, filter_table

        if not isinstance(self.source, ChunkedTable):  # a table in memory: filter it here
            import pyarrow as pa
            import pyarrow.compute as pc

            column = self.source[col]
            if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
                column = pc.cast(column, pa.string())
            self.view_table = self.source.filter(pc.fill_null(pc.match_substring(column, text, ignore_case=True), False))
            self.matches = self.view_table.num_rows
            self._pages_changed()
            return
        self.pages.setText(self.tr("筛选中……"))
        self.filter_task = self.ctx.runner.start(
            filter_table, self.ctx.store, self.source.name, col, text, name="filter_table",
            on_finished=self._filtered, on_progress=self._filter_progress,
            on_failed=lambda exc: dialogs.error(self, self.tr("筛选"), str(exc)))

    def _stop_filter(self) -> None:
        if self.filter_task is not None:
            self.filter_task.cancel()
            for s in (self.filter_task.signals.finished, self.filter_task.signals.progress):
                try:
                    s.disconnect()
                except (RuntimeError, TypeError):
                    pass
            self.filter_task = None

    def _filter_progress(self, done: int, total: int, message: str) -> None:
        self.pages.setText(self.tr("筛选中 %1/%2 块：%3").replace("%1", str(done)).replace("%2", str(total))
                           .replace("%3", message))

    def _filtered(self, result) -> None:
        self.filter_task = None
        self.view_table, self.matches = result
        self._pages_changed()

    def wait_filter(self, timeout_ms: int = 60_000) -> bool:
        """Block until a running filter has finished and been shown (tests and the benchmark)."""
        from PySide6.QtCore import QCoreApplication, QElapsedTimer

        clock = QElapsedTimer()
        clock.start()
        while self.filter_task is not None and clock.elapsed() < timeout_ms:
            QCoreApplication.processEvents()
            time.sleep(0.005)
        return self.filter_task is None

    def _pages_changed(self) -> None:
        n = 0 if self.view_table is None else self.view_table.num_rows
        pages = max(1, -(-n // PAGE_ROWS))
        self.page.blockSignals(True)
        self.page.setMaximum(pages)
        self.page.setValue(1)
        self.page.blockSignals(False)
        text = self.tr("/ %1 页，共 %2 行").replace("%1", formatting.count(pages)).replace("%2", formatting.count(n))
        if self.matches is not None and self.matches > n:
            text += self.tr("（共 %1 行匹配，显示前 %2 行）").replace("%1", formatting.count(self.matches)).replace("%2", formatting.count(n))
        self.pages.setText(text)
        self.show_page()

    def show_page(self) -> None:
        if self.view_table is None:
            self.model.set_frame(pd.DataFrame(), [])
            return
        start = (self.page.value() - 1) * PAGE_ROWS
        page = self.view_table.slice(start, PAGE_ROWS)
        chunk = page.select(shown_columns(page.column_names)).to_pandas()
        name = self.table_combo.currentData()
        cols = []
        try:
            from feijian.domain.contract import load_contract

            spec = load_contract().tables.get(name)
        except Exception:
            spec = None
        for c in chunk.columns:
            kind = "text"
            if spec is not None and c in spec.field_names:
                kind = KINDS.get(spec.field(c).type, "text")
                if kind == "money" and not formatting.is_money_field(c):
                    kind = "qty"
                if c == "certno" or c == "psn_no":
                    kind = "masked"
            title, labels = c, None
            if spec is not None and c in spec.field_names:
                title, labels = browse_header(spec.field(c)), code_labels(c)
            if c == LINE_COLUMN:
                kind, title = "int", self.tr("源文件行号")
            cols.append(Column(c, title, kind if labels is None else "text", width=110, labels=labels))
        self.model.set_frame(chunk, cols)


class DataPage(QWidget):
    # the import and the screening run in a child process (gui.tasks.ProcessTask): the UI thread never waits
    # for the GIL. Tests that patch the library in this process turn it off.
    IN_PROCESS = True

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.import_button = QPushButton(self.tr("导入数据文件夹(&I)…"), self)
        self.assistant_button = QPushButton(self.tr("导入助手（字段映射）…"), self)
        self.screen_button = QPushButton(self.tr("运行筛查"), self)
        self.screen_button.setStyleSheet("QPushButton{font-weight:bold}")
        self.summary = QLabel(self)
        for b in (self.import_button, self.assistant_button, self.screen_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.summary)
        layout.addLayout(bar)
        self.hint = EmptyHint(self)
        layout.addWidget(self.hint)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        box = QGroupBox(self.tr("导入批次（文件哈希与行数核对）"), splitter)
        box_layout = QVBoxLayout(box)
        self.batch_model = FrameModel(pd.DataFrame(), batch_columns(), self)
        self.batches = QTableView(box)
        configure_table_view(self.batches, self.batch_model)
        # what the selected batch refused or noted (kept in the case): the import report, exportable
        problems = QWidget(box)
        pl = QVBoxLayout(problems)
        pl.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.problems_label = QLabel(self.tr("选择一个导入批次，查看其拒收与待核对的行"), problems)
        self.export_button = QPushButton(self.tr("导出拒收行报告（CSV）…"), problems)
        self.export_button.setEnabled(False)
        head.addWidget(self.problems_label, 1)
        head.addWidget(self.export_button)
        pl.addLayout(head)
        self.problem_model = FrameModel(problem_frame([]), problem_columns(), self)
        self.problem_view = QTableView(problems)
        configure_table_view(self.problem_view, self.problem_model)
        pl.addWidget(self.problem_view)
        inner = QSplitter(Qt.Orientation.Horizontal, box)
        inner.addWidget(self.batches)
        inner.addWidget(problems)
        inner.setSizes([620, 620])
        box_layout.addWidget(inner)
        self.shown_batch: Optional[str] = None
        browser_box = QGroupBox(self.tr("数据浏览"), splitter)
        bl = QVBoxLayout(browser_box)
        self.browser = TableBrowser(ctx, browser_box)
        bl.addWidget(self.browser)
        splitter.addWidget(box)
        splitter.addWidget(browser_box)
        splitter.setSizes([260, 500])
        layout.addWidget(splitter, 1)
        self.setFocusProxy(self.import_button)  # Ctrl+2: Enter imports a folder
        self.import_button.clicked.connect(self.choose_and_import)
        self.assistant_button.clicked.connect(self.open_assistant)
        self.screen_button.clicked.connect(self.start_screening)
        self.batches.selectionModel().currentRowChanged.connect(lambda cur, _prev: self.show_problems(
            self.batch_model.value(cur.row(), "batch") if cur.isValid() else None))
        self.export_button.clicked.connect(lambda: self.export_report())  # (not the button's checked flag)
        ctx.data_changed.connect(self.refresh)
        self._loaded = False
        self.last_task = None

    def activate(self) -> None:
        if not self._loaded:
            self.refresh()

    def refresh(self) -> None:
        self._loaded = True
        batches = self.ctx.store.import_batches()
        frame = batch_rows(batches)
        self.batch_model.set_frame(frame, batch_columns())
        run = self.ctx.store.latest_run()
        text = self.tr("批次 %1 · 文件 %2").replace("%1", str(len(batches))).replace("%2", str(len(frame)))
        if run is not None:
            text += self.tr(" · 最近筛查 %1：疑点 %2 条").replace("%1", formatting.date_time(run.finished_at)) \
                .replace("%2", formatting.count(run.hit_count))
        self.summary.setText(text)
        self.hint.show_hint("" if batches else self.tr(
            "尚未导入数据 — 点击“导入数据文件夹…” (Alt+I)，选择医院提供的数据文件夹；字段名不同时用“导入助手”"))
        self.browser.refresh_tables()

    # --- import ------------------------------------------------------------------------------------
    def choose_and_import(self) -> None:
        folder = dialogs.open_folder(self, self.tr("选择数据文件夹"))
        if folder is not None:
            self.start_import(folder)

    def open_assistant(self) -> None:
        from feijian.gui.import_assistant import ImportAssistant

        folder = dialogs.open_folder(self, self.tr("选择数据文件夹"))
        if folder is None:
            return
        dialog = ImportAssistant(folder, self.ctx, self)
        if dialog.exec():
            self.start_import(folder, mapping=dialog.mapping())

    def start_import(self, folder: Path, mapping: Optional[dict] = None):
        from feijian.casework.importing import import_folder

        ident = self.ctx.session.identity
        importer = ident.public.name if ident is not None else ""
        task = run_with_progress(self.window(), self.ctx.runner, self.tr("导入数据"), import_folder,
                                 self.ctx.store, Path(folder), mapping=mapping, importer=importer,
                                 on_finished=self._imported,
                                 in_process=self.IN_PROCESS)
        task.case_path = self.ctx.path
        self.last_task = task
        return task

    def _imported(self, summary) -> None:
        self.ctx.data_changed.emit()
        text = str(summary) if not hasattr(summary, "describe") else summary.describe()
        log.info("import finished")
        self.summary.setToolTip(text)
        batch_id = getattr(summary, "batch_id", None)
        for row in range(self.batch_model.rowCount()):  # the new batch, with what it refused or noted
            if self.batch_model.value(row, "batch") == batch_id:
                self.batches.selectRow(row)
                break

    # --- what an import refused or noted -----------------------------------------------------------
    def show_problems(self, batch_id: Optional[str]) -> None:
        self.shown_batch = batch_id
        rows = self.ctx.store.import_problems(batch_id) if batch_id else []
        self.problem_model.set_frame(problem_frame(rows), problem_columns())
        refused = sum(1 for r in rows if r["kind"] == "refused")
        noted = {(r["field"], r["reason"]): r["count"] for r in rows if r["kind"] != "refused"}
        if batch_id is None:
            text = self.tr("选择一个导入批次，查看其拒收与待核对的行")
        elif not rows:
            text = self.tr("此批次没有拒收或待核对的行")
        else:
            text = self.tr("拒收 %1 行").replace("%1", formatting.count(refused))
            if noted:
                text += (self.tr("；已导入但待核对 %1 类，涉及 %2 行（每类列出至多 20 例）")
                         .replace("%1", str(len(noted))).replace("%2", formatting.count(sum(noted.values()))))
        self.problems_label.setText(text)
        self.export_button.setEnabled(refused > 0)

    def export_report(self, path: Optional[Path] = None) -> Optional[Path]:
        """The contract's import report (file, line, field, value, reason; UTF-8 with BOM) of the shown batch's
        refused rows: an explicit export, to a place the user chooses."""
        from feijian.domain.records import RejectedRow
        from feijian.ingest import write_report

        if self.shown_batch is None:
            return None
        if path is None:
            path = dialogs.save_file(self, self.tr("导出拒收行报告"), "导入拒收行报告.csv", "CSV (*.csv)")
            if path is None:
                return None
        rows = [RejectedRow(r["file"], r["line"], r["field"], r["value"], r["reason"])
                for r in self.ctx.store.import_problems(self.shown_batch) if r["kind"] == "refused"]
        try:
            return write_report(rows, path)
        except OSError as exc:
            dialogs.error(self, self.tr("导出拒收行报告"), str(exc))
            return None

    # --- screening ---------------------------------------------------------------------------------
    def start_screening(self):
        from feijian.casework.screening import screen_case

        task = run_with_progress(self.window(), self.ctx.runner, self.tr("运行筛查规则"), screen_case,
                                 self.ctx.store, on_finished=lambda _r: self.ctx.data_changed.emit(),
                                 in_process=self.IN_PROCESS)
        task.case_path = self.ctx.path
        self.last_task = task
        return task
