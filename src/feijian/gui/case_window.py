"""The case window: a navigation list of the case's parts (概览 数据 疑点 病历费用对照 问题 证据 文书 同步 分析)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Optional

import pandas as pd
from PySide6.QtCore import QByteArray, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QStackedWidget, QWidget

from feijian.domain import formatting
from feijian.gui import case_data, font_size
from feijian.gui.tasks import TaskRunner
from feijian.gui.undo import CaseUndoStack

log = logging.getLogger("feijian.gui")


class CaseContext(QObject):
    """What every page of one case shares: the open store, the undo stack, the task runner and caches."""

    data_changed = Signal()  # import or screening: tables and hits changed
    decisions_changed = Signal()  # a review, finding or evidence decision (or its undo)
    open_record = Signal(str, str)  # mdtrt_id, hit_id: show the record-vs-billing view

    def __init__(self, store: Any, path: Path, session, runner: TaskRunner, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.store = store
        self.path = path
        self.session = session
        self.runner = runner
        self.undo_stack = CaseUndoStack(store, self)
        self.undo_stack.changed.connect(self._decided)
        self._hits: Optional[pd.DataFrame] = None
        self._visits = None
        self._names = None
        self._tables: dict[str, Any] = {}
        self.data_changed.connect(self._drop_caches)

    def _drop_caches(self) -> None:
        self._hits = None
        self._visits = None
        self._names = None
        self._tables = {}

    def _decided(self) -> None:
        if self._hits is not None:
            case_data.apply_reviews(self._hits, case_data.reviews(self.store))
        self.decisions_changed.emit()

    def table(self, name: str):
        """A case table as Arrow (cached while the case is open), or None when never imported."""
        if name not in self._tables:
            self._tables[name] = self.store.read_table(name) if self.store.has_table(name) else None
        return self._tables[name]

    def encounter_rows(self, name: str, mdtrt_id: str, months=None):
        """The rows of table ``name`` for one encounter (Arrow, or None when the table was never imported).
        Big tables are read from the chunks of ``months`` only (see chunked_table.EncounterRows); small
        ones are loaded once and cached."""
        import pyarrow.compute as pc

        from feijian.gui.chunked_table import BIG_TABLE_ROWS, EncounterRows

        key = ("encounter", name)
        if key not in self._tables:
            rows = self.store.table_row_counts().get(name, 0) if hasattr(self.store, "table_chunks") else 0
            self._tables[key] = EncounterRows(self.store, name) if rows > BIG_TABLE_ROWS else None
        reader = self._tables[key]
        if reader is not None:
            return reader.rows(mdtrt_id, months)
        table = self.table(name)
        if table is None or "mdtrt_id" not in table.column_names:
            return table
        return table.filter(pc.fill_null(pc.equal(table["mdtrt_id"], mdtrt_id), False))

    def visits(self):
        """The visits' context columns as Arrow (None before visits are imported), cached."""
        if self._visits is None:
            self._visits = case_data.visit_table(self.store)
        return self._visits

    def names(self):
        """The names of the case's item, doctor and department codes (a NameDirectory), cached."""
        if self._names is None:
            from feijian.casework.name_directory import name_directory

            self._names = name_directory(self.store)
        return self._names

    def hits(self) -> pd.DataFrame:
        """The latest run's hits with rule, department, doctor, status (updated in place on decisions)."""
        if self._hits is None:
            self._hits = case_data.hits_frame(self.store, self.visits(), self.names())
        return self._hits

    def decide(self, text: str, perform):
        return self.undo_stack.decide(text, perform)


PAGES = [
    ("overview", "概览"),
    ("data", "数据"),
    ("hits", "疑点"),
    ("record", "病历费用对照"),
    ("findings", "问题"),
    ("evidence", "证据"),
    ("documents", "文书"),
    ("sync", "同步"),
    ("analysis", "分析"),
]


def _fit_nav_width(nav: QListWidget) -> None:
    """The navigation as wide as its longest title at the current font (150 px at the default size)."""
    fm = nav.fontMetrics()
    widest = max((fm.horizontalAdvance(nav.item(i).text()) for i in range(nav.count())), default=0)
    nav.setFixedWidth(max(round(150 * font_size.scale()), widest + 40))


class CaseWindow(QMainWindow):
    closed = Signal()

    def __init__(self, store: Any, path: Path, session, settings, runner: TaskRunner) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.path = Path(path)
        self.settings = settings
        self.ctx = CaseContext(store, self.path, session, runner, self)
        self.ctx.settings = settings
        info = store.info
        self.setWindowTitle(f"{info.name} — {info.medins_name} — " + self.tr("飞检工作台"))
        self.nav = QListWidget(self)
        self.nav.setObjectName("nav")
        self.nav.setStyleSheet("QListWidget#nav::item{padding:8px 10px}")
        font_size.relative(self.nav, 1.2)
        self.stack = QStackedWidget(self)
        self.pages: dict[str, Any] = {}
        for key, title in PAGES:
            page = self._make_page(key)
            self.pages[key] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(self.tr(title))
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._show_page)
        font_size.follow(self.nav, _fit_nav_width)
        central = QWidget(self)
        row = QHBoxLayout(central)
        row.setContentsMargins(4, 4, 4, 4)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.ctx.open_record.connect(self._open_record)
        self._build_menu()
        self.status = QLabel(self)
        self.statusBar().addPermanentWidget(self.status)
        self.ctx.decisions_changed.connect(self._update_status)
        self.ctx.data_changed.connect(self._update_status)
        self.resize(1400, 900)
        geometry = settings.value("case/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        self.nav.setCurrentRow(0)
        self._update_status()

    def _make_page(self, key: str):
        from feijian.gui.pages import (analysis_page, data_page, documents_page, evidence_page, findings_page,
                                       hits_page, overview, record_view, sync_page)

        factory = {
            "overview": overview.OverviewPage,
            "data": data_page.DataPage,
            "hits": hits_page.HitsPage,
            "record": record_view.RecordPage,
            "findings": findings_page.FindingsPage,
            "evidence": evidence_page.EvidencePage,
            "documents": documents_page.DocumentsPage,
            "sync": sync_page.SyncPage,
            "analysis": analysis_page.AnalysisPage,
        }[key]
        return factory(self.ctx, self)

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu(self.tr("编辑(&E)"))
        undo = self.ctx.undo_stack.createUndoAction(self, self.tr("撤销"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.ctx.undo_stack.createRedoAction(self, self.tr("重做"))
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        menu.addAction(undo)
        menu.addAction(redo)
        self.undo_action, self.redo_action = undo, redo
        undo.setProperty("keyHelp", self.tr("撤销"))  # the ? overlay: not the last decision's name
        redo.setProperty("keyHelp", self.tr("重做"))
        screen = QAction(self.tr("运行全部规则"), self)
        screen.setShortcut(QKeySequence("Ctrl+R"))
        screen.triggered.connect(self.run_screening)
        self.menuBar().addMenu(self.tr("筛查(&R)")).addAction(screen)
        self.screen_action = screen
        go = self.menuBar().addMenu(self.tr("转到(&G)"))
        for i, (key, title) in enumerate(PAGES):
            act = QAction(self.tr(title), self)
            act.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            act.triggered.connect(lambda _=False, k=key: self.show_page(k).setFocus(Qt.FocusReason.ShortcutFocusReason))
            go.addAction(act)
        from feijian.gui import self_inspection_menu

        self_inspection_menu.install(self)
        font_size.install(self, self.settings)
        from feijian.gui import key_overlay

        key_overlay.install(self, self.stack.currentWidget,
                            lambda: self.tr(PAGES[self.stack.currentIndex()][1]) + " — " + self.tr("快捷键"))

    def _show_page(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        page = self.stack.currentWidget()
        if hasattr(page, "activate"):
            page.activate()

    def run_screening(self):
        """Ctrl+R: run every rule over the imported data (a background task; the data page shows it)."""
        if not self.ctx.store.import_batches():
            self.show_page("data")
            return None
        return self.pages["data"].start_screening()

    def show_page(self, key: str):
        keys = [k for k, _ in PAGES]
        self.nav.setCurrentRow(keys.index(key))
        return self.pages[key]

    def _open_record(self, mdtrt_id: str, hit_id: str) -> None:
        page = self.show_page("record")
        page.show_encounter(mdtrt_id, hit_id)

    def _update_status(self) -> None:
        hits = self.ctx.hits()
        if len(hits):
            status = hits["status"]
            self.status.setText(self.tr("疑点 %1 条 · 待核查 %2 · 已确认 %3 · 已排除 %4")
                                .replace("%1", formatting.count(len(hits))).replace("%2", formatting.count(int((status == 'open').sum())))
                                .replace("%3", formatting.count(int((status == 'confirmed').sum())))
                                .replace("%4", formatting.count(int((status == 'dismissed').sum()))))
        else:
            self.status.setText(self.tr("尚未筛查"))

    def closeEvent(self, event) -> None:
        running = [t for t in self.ctx.runner.running() if getattr(t, "case_path", None) == self.path]
        for t in running:
            t.cancel()
        for t in running:
            t.done.wait(30)
        self.settings.setValue("case/geometry", self.saveGeometry())
        for page in self.pages.values():
            if hasattr(page, "save_state"):
                page.save_state(self.settings)
        try:
            self.ctx.store.close()
        finally:
            log.info("case closed %s", self.ctx.store.info.case_id)
            super().closeEvent(event)
            self.closed.emit()
