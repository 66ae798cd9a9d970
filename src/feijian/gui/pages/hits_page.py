"""疑点: the hits table with filters, grouping, multi-select confirm/dismiss with a reason, keyboard triage.

Filtering and grouping run in pandas over the hits frame; the table is a FrameModel (no proxy model).
Keys: J or ↓ next, K or ↑ previous, C confirm, D dismiss, O re-open, Enter the record-vs-billing view.
"""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Optional

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from PySide6.QtCore import QByteArray, QEvent, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget)

from feijian.domain import formatting
from feijian.domain.errors import FeijianError
from feijian.gui import dialogs
from feijian.gui.case_data import STATUS_LABELS
from feijian.gui.models import Column, FrameModel, configure_table_view
from feijian.gui.models.frame_model import arrow_array, format_money
from feijian.gui.widgets.empty_hint import EmptyHint
from feijian.rules.record_ocr import needs_ocr_review

STATUS_COLORS = {"confirmed": QColor("#fde2e1"), "dismissed": QColor("#e8e8e8")}
OCR_REVIEW_COLOR = QColor("#fff4cc")  # an open hit resting on text read with OCR (「OCR 待核」, rules/record_ocr.py)
ALL = "__all__"
GROUPS = [("", "不分组"), ("rule", "按规则"), ("dept", "按科室"), ("doctor", "按医生"), ("mdtrt_id", "按就诊")]
REASONS_CONFIRM = ["病历无对应记录，收费不实", "与医嘱不符", "超出限定支付范围", "经现场核实属实"]
SEARCH_COLUMNS = ("mdtrt_id", "rule", "detail", "med_list_codg", "dept", "doctor", "hit_id")
UNIQUE_COLUMNS = ("hit_id",)
REASONS_DISMISS = ["病历记录完整，收费合理", "机构已提供合理说明", "数据口径问题，非违规"]


DETAIL_COLUMN = 7  # position of "detail" in hit_columns()


def hit_columns(names=None) -> list[Column]:
    return [
        Column("status", "状态", width=70, labels=STATUS_LABELS),
        Column("rule", "规则", width=190),
        Column("mdtrt_id", "就诊ID", width=130),
        Column("dept", "科室", width=110),
        Column("doctor", "医生", width=140),
        Column("day", "日期", "date", width=95),
        Column("amount", "金额（元）", "money", width=110),
        Column("detail", "说明", "detail", width=520, names=names),
        Column("reason", "核查理由", width=200),
    ]


class HitsView(QWidget):
    """The filterable, groupable hits table over a DataFrame (also used by the benchmark)."""

    decide_requested = Signal(str)  # "confirmed" / "dismissed" / "open"
    open_requested = Signal(int)  # frame position of the hit

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.frame = pd.DataFrame()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.rule = QComboBox(self)
        self.dept = QComboBox(self)
        self.doctor = QComboBox(self)
        for combo in (self.rule, self.dept, self.doctor):
            combo.setMinimumWidth(120)
            combo.setMaxVisibleItems(25)
        self.rule.setMinimumWidth(220)
        self.status = QComboBox(self)
        self.status.addItem(self.tr("全部状态"), ALL)
        for code, label in STATUS_LABELS.items():
            self.status.addItem(self.tr(label), code)
        self.min_amount = QDoubleSpinBox(self)
        self.min_amount.setRange(0, 1e12)
        self.min_amount.setDecimals(0)
        self.min_amount.setPrefix(self.tr("≥ "))
        self.min_amount.setSuffix(self.tr(" 元"))
        self.min_amount.setSingleStep(100)
        self.text = QLineEdit(self)
        self.text.setPlaceholderText(self.tr("搜索就诊ID、项目、说明…"))
        self.text.setClearButtonEnabled(True)
        self.group = QComboBox(self)
        for key, label in GROUPS:
            self.group.addItem(self.tr(label), key)
        for w, label in ((self.rule, "规则"), (self.dept, "科室"), (self.doctor, "医生"), (self.status, "状态"),
                         (self.min_amount, "金额"), (self.text, ""), (self.group, "分组")):
            if label:
                bar.addWidget(QLabel(self.tr(label), self))
            bar.addWidget(w, 2 if w is self.text else 0)
        layout.addLayout(bar)
        actions = QHBoxLayout()
        self.reason = QComboBox(self)
        self.reason.setEditable(True)
        self.reason.setMinimumWidth(280)
        self.reason.lineEdit().setPlaceholderText(self.tr("核查理由（确认或排除时必填）"))
        self.reason.addItems(REASONS_CONFIRM + REASONS_DISMISS)
        self.reason.setCurrentIndex(-1)
        self.confirm_button = QPushButton(self.tr("确认 (C)"), self)
        self.dismiss_button = QPushButton(self.tr("排除 (D)"), self)
        self.reopen_button = QPushButton(self.tr("重新打开 (O)"), self)
        self.record_button = QPushButton(self.tr("病历费用对照 (Enter)"), self)
        self.count = QLabel(self)
        actions.addWidget(QLabel(self.tr("理由"), self))
        actions.addWidget(self.reason)
        for b in (self.confirm_button, self.dismiss_button, self.reopen_button, self.record_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.count)
        layout.addLayout(actions)
        self.model = FrameModel(pd.DataFrame(), hit_columns(), self, row_brush=self._brush)
        self.group_model = FrameModel(pd.DataFrame(), [], self)
        self.table = QTableView(self)
        self.table.setObjectName("hits")
        configure_table_view(self.table, self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.groups = QTableView(self)
        configure_table_view(self.groups, self.group_model)
        self.groups.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.groups.setVisible(False)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.groups)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(1, 1)
        layout.addWidget(self.splitter, 1)
        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(250)
        self._text_timer.timeout.connect(self.apply_filters)
        self.text.textChanged.connect(self._text_timer.start)
        for combo in (self.rule, self.dept, self.doctor, self.status):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.min_amount.valueChanged.connect(self.apply_filters)
        self.group.currentIndexChanged.connect(self._group_changed)
        self.groups.selectionModel().selectionChanged.connect(lambda *_: self.apply_filters())
        self.confirm_button.clicked.connect(lambda: self.decide_requested.emit("confirmed"))
        self.dismiss_button.clicked.connect(lambda: self.decide_requested.emit("dismissed"))
        self.reopen_button.clicked.connect(lambda: self.decide_requested.emit("open"))
        self.record_button.clicked.connect(self._open_current)
        self.table.doubleClicked.connect(lambda _i: self._open_current())
        # the keyboard triage keys: actions on the table (so the ? overlay lists them), taken before the
        # view's own type-to-search
        self.key_actions: list[QAction] = []
        for keys, text, slot in ((("J",), "下一条疑点", self.next_row), (("K",), "上一条疑点", self.previous_row),
                                 (("C",), "确认所选疑点（须填理由）", lambda: self.decide_requested.emit("confirmed")),
                                 (("D",), "排除所选疑点（须填理由）", lambda: self.decide_requested.emit("dismissed")),
                                 (("O",), "重新打开所选疑点", lambda: self.decide_requested.emit("open")),
                                 (("Return", "Enter"), "打开病历费用对照", self._open_current)):
            act = QAction(self.tr(text), self.table)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            act.triggered.connect(slot)
            self.table.addAction(act)
            self.key_actions.append(act)
        self.table.installEventFilter(self)  # the same actions for key presses the shortcut map let through
        self._amount_key: Optional[np.ndarray] = None

    def eventFilter(self, obj, event) -> bool:
        if obj is self.table and event.type() == QEvent.Type.KeyPress:
            pressed = QKeySequence(event.keyCombination())
            for act in self.key_actions:
                if act.isEnabled() and any(k.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch
                                           for k in act.shortcuts()):
                    act.trigger()
                    return True
        return super().eventFilter(obj, event)

    # --- data ----------------------------------------------------------------------------------------
    def set_hits(self, frame: pd.DataFrame, names=None) -> None:
        """Show ``frame``; ``names`` (a NameDirectory) writes the codes in the details with their names."""
        self._amount_key = None
        self.model.set_frame(frame, hit_columns(names), keep_view=True)
        self.frame = self.model.frame
        self._fill_combo(self.rule, "rule", self.tr("全部规则"))
        self._fill_combo(self.dept, "dept", self.tr("全部科室"))
        self._fill_combo(self.doctor, "doctor", self.tr("全部医生"))
        self._group_changed()

    def _fill_combo(self, combo: QComboBox, key: str, all_label: str) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(all_label, ALL)
        if key in self.frame and len(self.frame):
            values = self.model.coded(key).values
            for v in sorted(v for v in values.to_pylist() if v):
                combo.addItem(v, v)
        idx = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(0, idx))
        combo.blockSignals(False)

    def _brush(self, pos: int) -> Optional[QColor]:
        if not self.model._arrays:
            return None
        color = STATUS_COLORS.get(self.model._arrays[0][pos])
        if color is None and needs_ocr_review(self.model._arrays[DETAIL_COLUMN][pos]):
            return OCR_REVIEW_COLOR
        return color

    # --- filters and groups (pandas) ------------------------------------------------------------------
    def mask(self) -> Optional[np.ndarray]:
        f = self.frame
        if not len(f):
            return None
        mask = np.ones(len(f), dtype=bool)
        active = False
        for combo, key in ((self.rule, "rule"), (self.dept, "dept"), (self.doctor, "doctor"), (self.status, "status")):
            value = combo.currentData()
            if value not in (None, ALL) and key in f:
                mask &= self.model.coded(key).equals(value)
                active = True
        if self.min_amount.value() > 0:
            amounts = self.amounts()
            mask &= amounts >= self.min_amount.value()
            mask &= np.isfinite(amounts)
            active = True
        text = self.text.text().strip()
        if text:
            mask &= self.search(text)
            active = True
        group_key = self.group.currentData()
        if group_key and self.groups.selectionModel().hasSelection():
            row = self.groups.selectionModel().selectedRows()[0].row()
            value = self.group_model.value(row, "group")
            mask &= self.model.coded(group_key).equals(str(value), empty_is_missing=True)
            active = True
        return mask if active else None

    def search(self, text: str) -> np.ndarray:
        """Hits whose searchable columns contain ``text`` (case-insensitive): each column's distinct values
        are matched in Arrow and the result read per hit through the codes (1M hits: tens of ms)."""
        f = self.frame
        found = np.zeros(len(f), dtype=bool)
        for c in SEARCH_COLUMNS:
            if c not in f:
                continue
            if c in UNIQUE_COLUMNS:  # one value per hit: encoding would cost more than it saves
                arr = arrow_array(f[c])
                hit = pc.match_substring(arr if pa.types.is_string(arr.type) else pc.cast(arr, pa.string()),
                                         text, ignore_case=True)
                found |= pc.fill_null(hit, False).to_numpy(zero_copy_only=False)
                continue
            coded = self.model.coded(c)
            if len(coded.values):
                hit = pc.match_substring(coded.values, text, ignore_case=True)
                found |= coded.lookup(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), False)
        return found

    def exact_amount(self, rows: Optional[np.ndarray] = None) -> Decimal:
        """The exact sum of the hits' amounts (all, or frame positions ``rows``), in Arrow decimals."""
        if "amount" not in self.frame or not len(self.frame):
            return Decimal("0")
        arr = arrow_array(self.frame["amount"])
        if not pa.types.is_decimal(arr.type):
            from feijian.gui.case_data import money_sum

            values = self.frame["amount"] if rows is None else self.frame["amount"].iloc[rows]
            return money_sum(values)
        if rows is not None:
            arr = arr.take(pa.array(rows, pa.int64()))
        total = pc.sum(arr).as_py()
        return Decimal("0") if total is None else Decimal(total)

    def amounts(self) -> np.ndarray:
        """Hit amounts as float64 (NaN when missing), computed once per frame."""
        if self._amount_key is None:
            if len(self.frame):
                key = self.model.key("amount")  # the model's cached sort key: float, inf when missing
                self._amount_key = np.where(np.isinf(key), np.nan, key)
            else:
                self._amount_key = np.zeros(0)
        return self._amount_key

    def apply_filters(self) -> None:
        selected = self.selected_positions()
        self.model.set_filter(self.mask())
        self._update_count()
        if selected:
            self.select_positions(selected[:1])

    def _group_changed(self) -> None:
        key = self.group.currentData()
        if not key or key not in self.frame:
            self.groups.setVisible(False)
            self.groups.clearSelection()
            self.apply_filters()
            return
        f = self.frame
        coded = self.model.coded(key)
        codes = np.where(coded.codes < 0, len(coded.values), coded.codes)  # missing: its own group ""
        labels = coded.values.to_pylist() + [""]
        count = np.bincount(codes, minlength=len(labels))
        confirmed = np.bincount(codes, weights=(f["status"] == "confirmed").to_numpy(dtype=bool, na_value=False),
                                minlength=len(labels))
        amount = arrow_array(f["amount"]) if "amount" in f else None
        if amount is not None and pa.types.is_decimal(amount.type):  # exact sums per group, in Arrow
            sums = pa.table({"g": pa.array(codes, pa.int32()), "a": amount}).group_by("g").aggregate([("a", "sum")])
            at = np.full(len(labels), -1, dtype=np.int64)
            at[sums["g"].to_numpy()] = np.arange(sums.num_rows)
            amounts = pc.take(sums["a_sum"], pa.array(at, mask=at < 0))
        else:
            amounts = pa.array(np.bincount(codes, weights=np.nan_to_num(self.amounts()), minlength=len(labels)))
        present = count > 0
        agg = pa.table({"group": pa.array(labels, pa.string()), "count": pa.array(count), "amount": amounts,
                        "confirmed": pa.array(confirmed.astype(np.int64))}).filter(pa.array(present))
        agg = agg.sort_by([("amount", "descending")]).to_pandas(types_mapper=pd.ArrowDtype)
        cols = [Column("group", dict(GROUPS)[key].replace("按", ""), width=180, labels={"": self.tr("（未知）")}),
                Column("count", self.tr("疑点"), "int", width=60),
                Column("confirmed", self.tr("已确认"), "int", width=60), Column("amount", self.tr("金额（元）"), "money", width=110)]
        self.group_model.set_frame(agg, cols)
        for i, c in enumerate(cols):
            self.groups.setColumnWidth(i, c.width)
        self.groups.setVisible(True)
        self.splitter.setSizes([420, 900])
        self.apply_filters()

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        total = len(self.frame)
        # exact: the amounts' decimal sum in Arrow (1M hits: a few ms)
        money = format_money(self.exact_amount(None if shown == total else self.model._rows)) if shown else "0.00"
        self.count.setText(self.tr("显示 %1 / %2 条，金额 %3 元").replace("%1", formatting.count(shown))
                           .replace("%2", formatting.count(total)).replace("%3", money))

    # --- selection and keyboard triage ----------------------------------------------------------------
    def selected_positions(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.frame_row(r) for r in rows]

    def selected_hit_ids(self) -> list[str]:
        pos = self.selected_positions()
        return [str(self.frame["hit_id"].iat[p]) for p in pos]

    def select_positions(self, positions: list[int]) -> None:
        sm = self.table.selectionModel()
        sm.clearSelection()
        first = None
        for p in positions:
            r = self.model.display_row_of(p)
            if r >= 0:
                sm.select(self.model.index(r, 0), QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
                first = r if first is None else first
        if first is not None:
            self.table.setCurrentIndex(self.model.index(first, 0))
            self.table.scrollTo(self.model.index(first, 0))

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            idx = self.model.index(row, 0)
            self.table.selectionModel().setCurrentIndex(
                idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(idx)

    def current_row(self) -> int:
        idx = self.table.currentIndex()
        return idx.row() if idx.isValid() else -1

    def next_row(self) -> None:
        self.select_row(min(self.model.rowCount() - 1, self.current_row() + 1))

    def previous_row(self) -> None:
        self.select_row(max(0, self.current_row() - 1))

    def _open_current(self) -> None:
        r = self.current_row()
        if r >= 0:
            self.open_requested.emit(self.model.frame_row(r))


class HitsPage(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        self.hint = EmptyHint(self)
        layout.addWidget(self.hint)
        self.view = HitsView(self)
        layout.addWidget(self.view)
        self.setFocusProxy(self.view.table)  # Ctrl+3: straight into the table, J/K/C/D
        self.view.decide_requested.connect(self.decide)
        self.view.open_requested.connect(self._open)
        ctx.data_changed.connect(self.reload)
        ctx.decisions_changed.connect(self._decisions_changed)
        self._loaded = False

    def activate(self) -> None:
        if not self._loaded:
            self.reload()
        self.view.table.setFocus()

    def reload(self) -> None:
        started = time.perf_counter()
        first = not self._loaded
        self.view.set_hits(self.ctx.hits(), self.ctx.names())
        self._loaded = True
        settings = getattr(self.ctx, "settings", None)
        if first and settings is not None:
            state = settings.value("hits/header")
            if isinstance(state, QByteArray) and self.view.model.columnCount():
                self.view.table.horizontalHeader().restoreState(state)
        if self.view.model.rowCount() and self.view.current_row() < 0:
            self.view.select_row(0)
        self.hint.show_hint(self.empty_hint())
        self.load_seconds = time.perf_counter() - started

    def empty_hint(self) -> str:
        """What to do next while there are no hits ('' when there are)."""
        if len(self.view.frame):
            return ""
        if not self.ctx.store.import_batches():
            return self.tr("尚无数据 — 先在“数据”页导入医院数据 (Ctrl+2)，再运行全部规则 (Ctrl+R)")
        if self.ctx.store.latest_run() is None:
            return self.tr("尚未筛查 — 运行全部规则 (Ctrl+R)")
        return self.tr("筛查已完成，未发现疑点 — 可在“数据”页核对导入情况，或导入更多数据后重新筛查 (Ctrl+R)")

    def _decisions_changed(self) -> None:
        if not self._loaded:
            return
        self.view.model.refresh_columns(("status", "reason"))
        if self.view.status.currentData() not in (None, ALL):
            self.view.apply_filters()
        if self.view.group.currentData():
            selected = self.view.selected_positions()
            self.view._group_changed()
            self.view.select_positions(selected)
        self.view._update_count()

    def decide(self, status: str, reason: Optional[str] = None) -> bool:
        ids = self.view.selected_hit_ids()
        if not ids:
            return False
        from feijian.casework.review import review_hits

        if reason is None:
            reason = self.view.reason.currentText().strip()
            if status != "open" and not reason:
                label = STATUS_LABELS[status]
                reason = dialogs.ask_text(self, self.tr("核查理由"), self.tr("将 %1 条疑点标记为“%2”的理由：")
                                          .replace("%1", str(len(ids))).replace("%2", label))
                if not reason:
                    return False
        row = self.view.current_row()
        current_pos = self.view.model.frame_row(row) if row >= 0 else -1
        text = self.tr("将 %1 条疑点标记为“%2”").replace("%1", str(len(ids))).replace("%2", STATUS_LABELS[status])
        try:
            self.ctx.decide(text, lambda: review_hits(self.ctx.store, ids, status, reason))
        except FeijianError as exc:
            dialogs.error(self, self.tr("核查"), str(exc))
            return False
        if len(ids) == 1 and status != "open" and row >= 0:  # triage: on to the next hit
            still_shown = self.view.model.display_row_of(current_pos) >= 0
            self.view.select_row(min(row + 1 if still_shown else row, self.view.model.rowCount() - 1))
        return True

    def _open(self, pos: int) -> None:
        f = self.view.frame
        mdtrt_id = f["mdtrt_id"].iat[pos]
        self.ctx.open_record.emit("" if pd.isna(mdtrt_id) else str(mdtrt_id), str(f["hit_id"].iat[pos]))

    def save_state(self, settings) -> None:
        settings.setValue("hits/header", self.view.table.horizontalHeader().saveState())
