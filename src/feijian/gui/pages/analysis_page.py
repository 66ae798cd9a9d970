"""分析: the inspector's own questions of the case tables (issue 17) — the analyses as forms (field
statistics, stratification, gaps and duplicates in a key sequence, duplicates on chosen fields, Benford, top-N,
cross tabulation), a read-only SQL editor (Ctrl+Enter runs; refusals shown as the gate's message), results as
paged tables and charts, and the command log as a history to rerun (the rerun's hash compared with the
logged one). Every run is a background task with progress and cancel; a result leaves the case only as a
CSV the user asks for (file dialog)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import pandas as pd
import pyarrow as pa
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QMenu, QPlainTextEdit,
                               QPushButton, QSpinBox, QSplitter, QStackedWidget, QTableView, QTabWidget, QToolButton,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from feijian.casework.analysis_guard import check_select
from feijian.casework.analysis_log import ORDERED, get_run, history
from feijian.casework.analysis_query import QueryResult, rerun, run_analysis, run_query
from feijian.domain import formatting
from feijian.domain.contract import load_contract
from feijian.domain.errors import FeijianError, InputError
from feijian.domain.progress import check_cancelled, report
from feijian.gui import dialogs
from feijian.gui.models import Column, FrameModel, configure_table_view
from feijian.gui.tasks import run_with_progress, show_failure
from feijian.gui.widgets.analysis_charts import BenfordChart, ColumnBars
from feijian.gui.widgets.charts import BarChart
from feijian.gui.widgets.empty_hint import EmptyHint
from feijian.paths import resource

PAGE_ROWS = 1000  # rows per page of a result
KEEP_ROWS = 100_000  # rows of a query's result kept for display (all are counted and hashed)
MASKED = ("certno", "psn_no")  # shown masked, as on the 数据 page
NUMERIC_TYPES = ("decimal",)
# decimal result columns of a query shown as money besides the contract's money fields (a sum AS total …)
MONEY_ALIASES = re.compile(r"total|sum|amount|amt|money|金额|合计|费用", re.IGNORECASE)


def _t(text: str) -> str:
    return QCoreApplication.translate("AnalysisPage", text)


KINDS = [("stats", QT_TRANSLATE_NOOP("AnalysisPage", "字段统计")), ("stratify", QT_TRANSLATE_NOOP("AnalysisPage", "分层")), ("gaps", QT_TRANSLATE_NOOP("AnalysisPage", "序号缺失")), ("key_duplicates", QT_TRANSLATE_NOOP("AnalysisPage", "序号重复")),
         ("duplicates", QT_TRANSLATE_NOOP("AnalysisPage", "重复项")), ("benford", QT_TRANSLATE_NOOP("AnalysisPage", "本福特检验")), ("top", QT_TRANSLATE_NOOP("AnalysisPage", "前 N 名")), ("crosstab", QT_TRANSLATE_NOOP("AnalysisPage", "交叉表"))]
KIND_NAMES = dict(KINDS) | {"query": QT_TRANSLATE_NOOP("AnalysisPage", "SQL 查询")}


@dataclass(frozen=True)
class Param:
    key: str  # the analysis parameter
    label: str
    widget: str  # field | number | number? | field? | fields | fields? | int | edges | choice
    default: Any = None  # a key of analysis_defaults.toml (for fields) or the value
    choices: tuple = ()  # (value, label) for a choice; (minimum, maximum) for an int


FORMS: dict[str, list[Param]] = {
    "stats": [Param("field", QT_TRANSLATE_NOOP("AnalysisPage", "字段"), "field", "amount"), Param("top", QT_TRANSLATE_NOOP("AnalysisPage", "常见值个数"), "int", 10, (1, 1000))],
    "stratify": [Param("field", QT_TRANSLATE_NOOP("AnalysisPage", "分层字段"), "number", "amount"), Param("bands", QT_TRANSLATE_NOOP("AnalysisPage", "等宽分层数"), "int", 10, (1, 200)),
                 Param("edges", QT_TRANSLATE_NOOP("AnalysisPage", "自定边界"), "edges"), Param("value", QT_TRANSLATE_NOOP("AnalysisPage", "合计字段"), "number?", None)],
    "gaps": [Param("key", QT_TRANSLATE_NOOP("AnalysisPage", "序号字段"), "field", "key"), Param("groups", QT_TRANSLATE_NOOP("AnalysisPage", "分组字段"), "fields?", "groups")],
    "key_duplicates": [Param("key", QT_TRANSLATE_NOOP("AnalysisPage", "序号字段"), "field", "key"), Param("groups", QT_TRANSLATE_NOOP("AnalysisPage", "分组字段"), "fields?", "groups")],
    "duplicates": [Param("fields", QT_TRANSLATE_NOOP("AnalysisPage", "比对字段"), "fields", "fields"), Param("value", QT_TRANSLATE_NOOP("AnalysisPage", "合计字段"), "number?", "amount")],
    "benford": [Param("field", QT_TRANSLATE_NOOP("AnalysisPage", "金额字段"), "number", "amount"),
                Param("digits", QT_TRANSLATE_NOOP("AnalysisPage", "检验"), "choice", 1, ((1, QT_TRANSLATE_NOOP("AnalysisPage", "首位数字")), (2, QT_TRANSLATE_NOOP("AnalysisPage", "前两位数字")))),
                Param("min_value", QT_TRANSLATE_NOOP("AnalysisPage", "最小金额"), "amount", None)],
    "top": [Param("by", QT_TRANSLATE_NOOP("AnalysisPage", "按字段"), "field", "by"), Param("value", QT_TRANSLATE_NOOP("AnalysisPage", "合计字段"), "number?", "amount"),
            Param("n", QT_TRANSLATE_NOOP("AnalysisPage", "个数"), "int", 10, (1, 1000)), Param("order", QT_TRANSLATE_NOOP("AnalysisPage", "排序"), "choice", "sum",
                                                           (("sum", QT_TRANSLATE_NOOP("AnalysisPage", "按金额")), ("count", QT_TRANSLATE_NOOP("AnalysisPage", "按行数"))))],
    "crosstab": [Param("rows", QT_TRANSLATE_NOOP("AnalysisPage", "行字段"), "field", "rows"), Param("cols", QT_TRANSLATE_NOOP("AnalysisPage", "列字段"), "field", "cols"),
                 Param("value", QT_TRANSLATE_NOOP("AnalysisPage", "合计字段"), "number?", None)],
}

TITLES = {"statistic": QT_TRANSLATE_NOOP("AnalysisPage", "统计量"), "value": QT_TRANSLATE_NOOP("AnalysisPage", "值"), "count": QT_TRANSLATE_NOOP("AnalysisPage", "行数"), "n": QT_TRANSLATE_NOOP("AnalysisPage", "行数"), "band": QT_TRANSLATE_NOOP("AnalysisPage", "区间"), "lower": QT_TRANSLATE_NOOP("AnalysisPage", "下限"),
          "upper": QT_TRANSLATE_NOOP("AnalysisPage", "上限"), "count_share": QT_TRANSLATE_NOOP("AnalysisPage", "行数占比（%）"), "sum": QT_TRANSLATE_NOOP("AnalysisPage", "合计"), "sum_share": QT_TRANSLATE_NOOP("AnalysisPage", "金额占比（%）"), "total": QT_TRANSLATE_NOOP("AnalysisPage", "合计"),
          "digit": QT_TRANSLATE_NOOP("AnalysisPage", "数字"), "actual": QT_TRANSLATE_NOOP("AnalysisPage", "实际占比（%）"), "expected": QT_TRANSLATE_NOOP("AnalysisPage", "期望占比（%）"), "difference": QT_TRANSLATE_NOOP("AnalysisPage", "差（百分点）"), "z": QT_TRANSLATE_NOOP("AnalysisPage", "Z 值"),
          "prefix": QT_TRANSLATE_NOOP("AnalysisPage", "前缀"), "after_number": QT_TRANSLATE_NOOP("AnalysisPage", "缺失前序号"), "before_number": QT_TRANSLATE_NOOP("AnalysisPage", "缺失后序号"), "missing": QT_TRANSLATE_NOOP("AnalysisPage", "缺失个数")}
STATISTICS = {"rows": QT_TRANSLATE_NOOP("AnalysisPage", "总行数"), "count": QT_TRANSLATE_NOOP("AnalysisPage", "非空值"), "nulls": QT_TRANSLATE_NOOP("AnalysisPage", "空值"), "distinct": QT_TRANSLATE_NOOP("AnalysisPage", "不同值"), "min": QT_TRANSLATE_NOOP("AnalysisPage", "最小值"),
              "max": QT_TRANSLATE_NOOP("AnalysisPage", "最大值"), "sum": QT_TRANSLATE_NOOP("AnalysisPage", "合计"), "mean": QT_TRANSLATE_NOOP("AnalysisPage", "均值"), "stddev": QT_TRANSLATE_NOOP("AnalysisPage", "标准差"), "p01": QT_TRANSLATE_NOOP("AnalysisPage", "1% 分位数"),
              "p05": QT_TRANSLATE_NOOP("AnalysisPage", "5% 分位数"), "p25": QT_TRANSLATE_NOOP("AnalysisPage", "25% 分位数"), "p50": QT_TRANSLATE_NOOP("AnalysisPage", "中位数"), "p75": QT_TRANSLATE_NOOP("AnalysisPage", "75% 分位数"), "p95": QT_TRANSLATE_NOOP("AnalysisPage", "95% 分位数"),
              "p99": QT_TRANSLATE_NOOP("AnalysisPage", "99% 分位数")}
PROPORTIONS = ("actual", "expected", "difference")
CONFORMITY = {"close": QT_TRANSLATE_NOOP("AnalysisPage", "紧密符合"), "acceptable": QT_TRANSLATE_NOOP("AnalysisPage", "可接受符合"), "marginal": QT_TRANSLATE_NOOP("AnalysisPage", "勉强符合"), "nonconformity": QT_TRANSLATE_NOOP("AnalysisPage", "不符合")}


@lru_cache(maxsize=1)
def suggested_fields() -> dict:
    with open(resource("casework", "analysis_defaults.toml"), "rb") as fh:
        return tomllib.load(fh)


def field_label(table: str, field: str) -> str:
    """A field as the form lists it: its contract name with the Chinese header it is known by (the first alias)."""
    spec = load_contract().tables.get(table)
    for f in (spec.fields if spec else ()):
        if f.name == field and f.aliases:
            return f"{field}（{f.aliases[0]}）"
    return field


def table_fields(name: str) -> list[tuple[str, str]]:
    """(field, contract type) of a case table."""
    return [(f.name, f.type) for f in load_contract().table(name).fields]


def parse_min_value(text: str) -> Optional[str]:
    """Benford's minimum amount as typed (``5``, ``0.5``, ``1,000``) → its decimal string; ``""`` → None (the
    library's default, resources/casework/benford.toml); a clear error for anything else or for 0 and below."""
    t = text.strip().replace(",", "").replace("，", "")
    if not t:
        return None
    try:
        d = Decimal(t)
    except InvalidOperation:
        raise InputError(_t("最小金额须为数字：%1").replace("%1", text.strip())) from None
    if not d.is_finite() or d <= 0:
        raise InputError(_t("最小金额须为大于 0 的数字：%1").replace("%1", text.strip()))
    return str(d)


def parse_edges(text: str) -> list[str]:
    """``0, 100，500 1000`` → the band edges as decimal strings; a clear error for anything else."""
    parts = [p for p in re.split(r"[,，;；\s]+", text.strip()) if p]
    out = []
    for p in parts:
        try:
            d = Decimal(p)
        except InvalidOperation:
            raise InputError(_t("分层边界须为数字：%1").replace("%1", p)) from None
        if not d.is_finite():
            raise InputError(_t("分层边界须为数字：%1").replace("%1", p))
        out.append(str(d))
    return out


def request_text(kind: str, request: dict) -> str:
    """A logged run as a person reads it: the analysis by its name, the table as the documents name it, each
    parameter by its form label with its value named (``本福特检验：费用明细 fees；金额字段
    det_item_fee_sumamt（明细项目费用总额）；检验 首位数字``); a query, its SQL on one line."""
    if kind == "query":
        return " ".join(str(request.get("sql", "")).split())
    from feijian.reports.data_confirmation import table_title

    table = request.get("table") or ""
    title = table_title(table) if table else ""
    head = _t(KIND_NAMES.get(kind, kind)) + (f"：{title} {table}" if title and title != table else f"：{table}"
                                             if table else "")
    params = {p.key: p for p in FORMS.get(kind, [])}
    parts = []
    order = [k for k in params if k in request] + sorted(k for k in request if k not in params)
    for key in order:
        value = request[key]
        if key == "table" or value in (None, "", [], ()):
            continue
        p = params.get(key)
        if p is None:
            parts.append(f"{key}={value}")
            continue
        if p.widget in ("field", "number", "field?", "number?"):
            shown = field_label(table, str(value))
        elif p.widget in ("fields", "fields?"):
            shown = "、".join(field_label(table, str(v)) for v in value)
        elif p.widget == "choice":
            shown = next((_t(label) for v, label in p.choices if v == value), str(value))
        elif p.widget == "edges":
            shown = "、".join(formatting.quantity(v) for v in value)
        else:
            shown = formatting.quantity(value) if isinstance(value, (int, float, Decimal)) else str(value)
        parts.append(f"{_t(p.label)} {shown}")
    return "；".join([head, *parts])


# --- results as people read them -------------------------------------------------------------------------
def _dec(value) -> Optional[Decimal]:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _percent(value) -> Optional[Decimal]:
    if value is None or value != value:
        return None
    return Decimal(formatting.quantity(round(float(value) * 100, 2), places=2))


def _arrow_kind(name: str, typ: pa.DataType, money: bool = False) -> str:
    if name in MASKED:
        return "masked"
    if pa.types.is_decimal(typ):
        return "money" if money or formatting.is_money_field(name) or MONEY_ALIASES.search(name) else "qty"
    if pa.types.is_integer(typ):
        return "int"
    if pa.types.is_floating(typ):
        return "qty"
    if pa.types.is_timestamp(typ):
        return "datetime"
    if pa.types.is_date(typ):
        return "date"
    return "text"


def _stat_value(stat: str, value, numeric: bool, money: bool) -> str:
    if value is None:
        return ""
    if stat in ("rows", "count", "nulls", "distinct"):
        return formatting.count(value)
    if numeric:
        if stat == "stddev" or stat == "mean" and not money:
            return formatting.quantity(value, places=4)
        return formatting.amount(value) if money else formatting.quantity(value, places=4)
    return str(value)


def _band_label(lower, upper, closed: bool) -> str:
    q = lambda v: formatting.quantity(v, places=2)  # noqa: E731
    if lower is None and upper is None:
        return _t("空值")
    if lower is None:
        return f"< {q(upper)}"
    if upper is None:
        return f"> {q(lower)}"
    return f"[{q(lower)}, {q(upper)}{']' if closed else ')'}"


def result_frame(kind: str, table: pa.Table, summary: dict) -> tuple[pd.DataFrame, list[Column]]:
    """The result rows as a frame for the table model, and its columns (titles, kinds)."""
    if kind == "stats":
        numeric = bool(summary.get("numeric"))
        money = numeric and formatting.is_money_field(summary.get("field", ""))
        stats, values, counts = (table.column(c).to_pylist() for c in ("statistic", "value", "count"))
        labels = [STATISTICS.get(s) and _t(STATISTICS[s]) or _t("常见值 %1").replace("%1", s[3:]) for s in stats]
        shown = [(_stat_value(s, v, numeric, money) if not s.startswith("top") else
                  (v if v is None or not numeric else formatting.quantity(v, places=4))) for s, v in zip(stats, values)]
        frame = pd.DataFrame({"statistic": labels, "value": [v if v is not None else _t("（空值）") for v in shown],
                              "count": pd.array(counts, dtype="Int64")})
        return frame, [Column("statistic", _t("统计量"), width=120), Column("value", _t("值"), width=220),
                       Column("count", _t("出现次数"), "int", width=90)]
    money_value = formatting.is_money_field(summary.get("value") or summary.get("field") or "")
    data: dict[str, Any] = {}
    cols: list[Column] = []
    names = table.column_names
    for name in names:
        col = table.column(name)
        title = _t(TITLES[name]) if kind != "query" and name in TITLES else name
        ck = _arrow_kind(name, col.type, money=kind != "query" and name in ("sum", "total") and money_value)
        values: Any = col
        if kind == "stratify" and name in ("lower", "upper", "sum"):
            values, ck = [_dec(v) for v in col.to_pylist()], ("money" if name == "sum" and money_value else "qty")
        elif kind == "stratify" and name == "band":
            lowers, uppers = table.column("lower").to_pylist(), table.column("upper").to_pylist()
            last = len(summary.get("edges") or []) - 1
            edges = [str(e) for e in summary.get("edges") or []]
            values = [_band_label(_dec(lo), _dec(hi), hi is not None and last >= 0 and hi == edges[last] and lo is not None)
                      for lo, hi in zip(lowers, uppers)]
        elif kind == "crosstab" and name != summary.get("rows"):
            values = [_dec(v) for v in col.to_pylist()]
            ck = "money" if summary.get("value") and formatting.is_money_field(summary["value"]) else (
                "qty" if summary.get("value") else "int")
        elif kind != "query" and (name.endswith("_share") or kind.startswith("benford") and name in PROPORTIONS) \
                and pa.types.is_floating(col.type):
            values, ck = [_percent(v) for v in col.to_pylist()], "money"  # two decimals always
        elif kind.startswith("benford") and name == "z":
            values, ck = [None if v is None else Decimal(formatting.quantity(v, places=2)) for v in col.to_pylist()], "money"
        if isinstance(values, (pa.ChunkedArray, pa.Array)):
            values = values.to_pandas()
        data[name] = values
        width = 90 if ck in ("int", "qty", "money") else (160 if ck == "datetime" else 140)
        cols.append(Column(name, title, ck, width=width))
    frame = pd.DataFrame(data, columns=names) if names else pd.DataFrame()
    return frame, cols


# --- CSV and evidence, only on the user's request ---------------------------------------------------------
def write_csv(table: pa.Table, path: Path, *, cancelled=None) -> Path:
    """The rows as the CLI and the evidence vault write them (casework/analysis_export: UTF-8 with BOM, exact
    decimals, the same bytes for the same rows)."""
    from feijian.casework.analysis_export import result_csv

    check_cancelled(cancelled)
    data = result_csv(table)
    check_cancelled(cancelled)
    path = Path(path)
    path.write_bytes(data)
    return path


def attach_to_finding(store, request: tuple, result: QueryResult, finding_id: str, *, progress=None,
                      cancelled=None):
    """The whole result in the vault as the finding's evidence (casework/analysis_evidence). A query whose rows
    were not all kept is run again whole (and logged) first."""
    from feijian.casework.analysis_evidence import attach_result, run_whole

    if result.truncated or not result.event_id:
        report(progress, 0, 0, _t("重新读取全部结果"))
        kind, req = ("query", {"sql": request[1]}) if request[0] == "query" else (request[0], request[1])
        result = run_whole(store, kind, req, cancelled=cancelled, progress=progress)
    check_cancelled(cancelled)
    return attach_result(store, result, finding_id)


def export_result(store, request: tuple, result: QueryResult, path: Path, *, progress=None, cancelled=None) -> Path:
    """Write ``result`` to ``path``. A query whose rows were not all kept is run again (not logged) for all of
    them; its hash must still be the logged one, or the case's data changed and nothing is written."""
    table = result.table
    if result.truncated and request[0] == "query":
        report(progress, 0, 0, _t("重新读取全部结果"))
        again = run_query(store, request[1], limit=result.rows, log=False, cancelled=cancelled, progress=progress)
        if again.sha256 != result.sha256:
            raise InputError(_t("案件数据已变化，结果与显示的不同：请重新运行后再导出"))
        table = again.table
    report(progress, 0, table.num_rows, _t("写入 CSV"))
    return write_csv(table, path, cancelled=cancelled)


# --- widgets ------------------------------------------------------------------------------------------------
class FieldsPicker(QToolButton):
    """Several fields chosen from a menu of checkable entries; the button shows the choice."""

    def __init__(self, fields: list[str], chosen: list[str], parent=None, table: str = "") -> None:
        super().__init__(parent)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setMinimumWidth(180)
        menu = QMenu(self)
        self.actions_by_field = {}
        self.labels = {f: field_label(table, f) for f in fields}  # det_item_fee_sumamt（明细项目费用总额）
        for f in fields:
            act = menu.addAction(self.labels[f])
            act.setCheckable(True)
            act.setChecked(f in chosen)
            act.toggled.connect(self._update)
            self.actions_by_field[f] = act
        self.setMenu(menu)
        self._update()

    def selected(self) -> list[str]:
        return [f for f, a in self.actions_by_field.items() if a.isChecked()]

    def set_selected(self, fields: list[str]) -> None:
        for f, a in self.actions_by_field.items():
            a.setChecked(f in fields)

    def _update(self, *_args) -> None:
        chosen = self.selected()
        text = "、".join(self.labels[f] for f in chosen)
        self.setText(text if chosen else self.tr("（不选）"))
        self.setToolTip(text)


class AnalysisPage(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.task = None
        self.result: Optional[QueryResult] = None
        self.request: Optional[tuple] = None  # ("query", sql) or (kind, params)
        self.inputs: dict[str, tuple[Param, QWidget]] = {}
        self.runs: list = []
        layout = QVBoxLayout(self)
        self.hint = EmptyHint(self)
        layout.addWidget(self.hint)
        split = self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.tabs = QTabWidget(split)
        self.tabs.addTab(self._build_form_tab(), self.tr("分析"))
        self.tabs.addTab(self._build_sql_tab(), self.tr("SQL 查询"))
        self.tabs.addTab(self._build_history_tab(), self.tr("命令记录"))
        split.addWidget(self.tabs)
        split.addWidget(self._build_results())
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([150, 560])
        layout.addWidget(split, 1)
        self.tabs.currentChanged.connect(self._tab_height)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(self.run_current)
        ctx.data_changed.connect(self.refresh)
        ctx.decisions_changed.connect(self.refresh_findings)
        self.refresh()

    TAB_HEIGHTS = (150, 200, 260)  # the form, the editor, the history

    def _tab_height(self, index: int) -> None:
        total = sum(self.split.sizes()) or 710
        top = self.TAB_HEIGHTS[index] if 0 <= index < len(self.TAB_HEIGHTS) else 150
        self.split.setSizes([top, max(200, total - top)])

    # --- building ---------------------------------------------------------------------------------
    def _build_form_tab(self) -> QWidget:
        tab = QWidget(self)
        v = QVBoxLayout(tab)
        bar = QHBoxLayout()
        self.kind = QComboBox(tab)
        for key, name in KINDS:
            self.kind.addItem(self.tr(name), key)
        self.table = QComboBox(tab)
        self.table.setMinimumWidth(200)
        self.run_button = QPushButton(self.tr("运行 (Ctrl+Enter)"), tab)
        self.run_button.setStyleSheet("QPushButton{font-weight:bold}")
        bar.addWidget(QLabel(self.tr("分析"), tab))
        bar.addWidget(self.kind)
        bar.addSpacing(12)
        bar.addWidget(QLabel(self.tr("表"), tab))
        bar.addWidget(self.table)
        bar.addStretch(1)
        bar.addWidget(self.run_button)
        v.addLayout(bar)
        self.form_host = QWidget(tab)
        self.form = QGridLayout(self.form_host)
        self.form.setContentsMargins(0, 4, 0, 0)
        v.addWidget(self.form_host)
        self.form_note = QLabel(tab)
        self.form_note.setStyleSheet("color:#666")
        self.form_note.setWordWrap(True)
        v.addWidget(self.form_note)
        v.addStretch(1)
        self.kind.currentIndexChanged.connect(self.build_form)
        self.table.currentIndexChanged.connect(self.build_form)
        self.run_button.clicked.connect(self.run_form)
        return tab

    def _build_sql_tab(self) -> QWidget:
        tab = QWidget(self)
        h = QHBoxLayout(tab)
        self.editor = QPlainTextEdit(tab)
        mono = QFont("WenQuanYi Micro Hei Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setFixedPitch(True)
        self.editor.setFont(mono)
        self.editor.setTabChangesFocus(False)
        self.editor.setPlaceholderText(self.tr(
            "只读 SELECT 查询，例如：\nSELECT bilg_dept_codg, count(*) AS n, sum(det_item_fee_sumamt) AS total\n"
            "FROM fees GROUP BY bilg_dept_codg ORDER BY total DESC"))
        h.addWidget(self.editor, 1)
        side = QVBoxLayout()
        self.sql_button = QPushButton(self.tr("运行查询 (Ctrl+Enter)"), tab)
        self.sql_button.setStyleSheet("QPushButton{font-weight:bold}")
        self.schema = QTreeWidget(tab)
        self.schema.setHeaderLabels([self.tr("本案件的表和字段（双击插入）")])
        self.schema.setMinimumWidth(260)
        side.addWidget(self.sql_button)
        side.addWidget(self.schema, 1)
        h.addLayout(side)
        self.sql_button.clicked.connect(self.run_sql)
        self.schema.itemDoubleClicked.connect(lambda item, _c: self.editor.insertPlainText(item.data(0, Qt.ItemDataRole.UserRole)))
        return tab

    def _build_history_tab(self) -> QWidget:
        tab = QWidget(self)
        v = QVBoxLayout(tab)
        v.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        self.rerun_button = QPushButton(self.tr("重新运行"), tab)
        self.load_button = QPushButton(self.tr("载入到表单"), tab)
        note = QLabel(self.tr("每次分析和查询都记入案件：何人、何时、问了什么、结果行数和 SHA-256"), tab)
        note.setStyleSheet("color:#666")
        bar.addWidget(self.rerun_button)
        bar.addWidget(self.load_button)
        bar.addSpacing(12)
        bar.addWidget(note)
        bar.addStretch(1)
        v.addLayout(bar)
        self.history_model = FrameModel(pd.DataFrame(), self._history_columns(), self)
        self.history_view = QTableView(tab)
        configure_table_view(self.history_view, self.history_model)
        v.addWidget(self.history_view, 1)
        self.rerun_button.clicked.connect(self.rerun_selected)
        self.load_button.clicked.connect(self.load_selected)
        self.history_view.doubleClicked.connect(lambda _i: self.load_selected())
        return tab

    def _history_columns(self) -> list[Column]:
        return [Column("time", self.tr("时间"), "datetime", width=140), Column("by", self.tr("操作人"), width=170),
                Column("kind", self.tr("类型"), width=90), Column("text", self.tr("内容"), width=420, tip="command"),
                Column("rows", self.tr("结果行数"), "int", width=80), Column("sha", self.tr("结果 SHA-256"), width=150)]

    def _build_results(self) -> QWidget:
        box = QWidget(self)
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        self.message = QLabel(box)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.summary = QLabel(box)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        v.addWidget(self.message)
        v.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Horizontal, box)
        left = QWidget(split)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        self.model = FrameModel(pd.DataFrame(), [], self)
        self.view = QTableView(left)
        configure_table_view(self.view, self.model)
        self.view.horizontalHeader().setResizeContentsPrecision(200)
        lv.addWidget(self.view, 1)
        pager = QHBoxLayout()
        self.page = QSpinBox(left)
        self.page.setMinimum(1)
        self.pages = QLabel(left)
        self.export_button = QPushButton(self.tr("导出 CSV…"), left)
        self.export_button.setEnabled(False)
        self.finding = QComboBox(left)
        self.finding.setMinimumWidth(160)
        self.attach_button = QPushButton(self.tr("附为问题证据"), left)
        self.attach_button.setEnabled(False)
        pager.addWidget(QLabel(self.tr("页"), left))
        pager.addWidget(self.page)
        pager.addWidget(self.pages)
        pager.addStretch(1)
        pager.addWidget(self.finding)
        pager.addWidget(self.attach_button)
        pager.addWidget(self.export_button)
        lv.addLayout(pager)
        self.charts = QStackedWidget(split)
        self.columns_chart = ColumnBars("", self.charts)
        self.benford_chart = BenfordChart(self.charts)
        self.bar_chart = BarChart("", self.charts, max_bars=20)
        for w in (self.columns_chart, self.benford_chart, self.bar_chart):
            self.charts.addWidget(w)
        split.addWidget(left)
        split.addWidget(self.charts)
        split.setSizes([620, 480])
        self.charts.hide()
        v.addWidget(split, 1)
        self.page.valueChanged.connect(self.show_page)
        self.export_button.clicked.connect(lambda: self.export_csv())
        self.attach_button.clicked.connect(lambda: self.attach_to_finding())
        return box

    # --- the case's tables ------------------------------------------------------------------------
    def activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        from feijian.casework.analysis_source import case_tables

        try:
            counts = self.ctx.store.table_row_counts()
        except Exception:
            counts = {}
        names = case_tables(self.ctx.store)
        current = self.table.currentData()
        self.table.blockSignals(True)
        self.table.clear()
        for name in names:
            self.table.addItem(f"{name}（{formatting.count(counts.get(name, 0))} 行）", name)
        index = self.table.findData(current if current else ("fees" if "fees" in names else None))
        self.table.setCurrentIndex(max(0, index))
        self.table.blockSignals(False)
        self.schema.clear()
        for name in names:
            top = QTreeWidgetItem([f"{name}（{formatting.count(counts.get(name, 0))} 行）"])
            top.setData(0, Qt.ItemDataRole.UserRole, name)
            for field, typ in table_fields(name):
                child = QTreeWidgetItem([f"{field_label(name, field)}  {typ}"])
                child.setData(0, Qt.ItemDataRole.UserRole, field)
                top.addChild(child)
            self.schema.addTopLevelItem(top)
        self.hint.show_hint("" if names else self.tr("尚无数据 — 先在“数据”页导入数据文件夹 (Ctrl+2)"))
        for w in (self.run_button, self.sql_button):
            w.setEnabled(bool(names))
        if self.form.count() == 0 or current != self.table.currentData():
            self.build_form()
        self.refresh_history()
        self.refresh_findings()

    def refresh_findings(self) -> None:
        from feijian.gui import case_data

        current = self.finding.currentData()
        self.finding.clear()
        for f in case_data.findings_of(self.ctx.store):
            self.finding.addItem(f.title, f.finding_id)
        if not self.finding.count():
            self.finding.addItem(self.tr("（尚无问题）"), "")
        self.finding.setCurrentIndex(max(0, self.finding.findData(current)))
        self._update_attach()

    def _update_attach(self) -> None:
        self.attach_button.setEnabled(self.result is not None and bool(self.finding.currentData()))

    def build_form(self) -> None:
        while self.form.count():
            item = self.form.takeAt(0)
            old = item.widget()
            if old is not None:
                old.hide()  # gone from the screen now, deleted when the event loop gets to it
                old.deleteLater()
        self.inputs = {}
        name = self.table.currentData()
        kind = self.kind.currentData()
        if not name:
            self.form_note.setText("")
            return
        fields = [f for f, _ in table_fields(name)]
        numbers = [f for f, t in table_fields(name) if t in NUMERIC_TYPES]
        hints = suggested_fields().get(name, {})
        for i, param in enumerate(FORMS[kind]):
            widget = self._input(param, fields, numbers, hints)
            row, col = divmod(i, 2)
            self.form.addWidget(QLabel(self.tr(param.label), self.form_host), row, col * 2)
            self.form.addWidget(widget, row, col * 2 + 1)
            self.inputs[param.key] = (param, widget)
        self.form.setColumnStretch(1, 1)
        self.form.setColumnStretch(3, 1)
        notes = {"stratify": QT_TRANSLATE_NOOP("AnalysisPage", "留空“自定边界”时按最小值到最大值等宽分层；边界如 0, 100, 500, 1000"),
                 "gaps": QT_TRANSLATE_NOOP("AnalysisPage", "序号读作前缀加末尾数字（如 INV-000123），在每个分组内找缺号"),
                 "key_duplicates": QT_TRANSLATE_NOOP("AnalysisPage", "同一分组内出现不止一次的序号"),
                 "duplicates": QT_TRANSLATE_NOOP("AnalysisPage", "所选字段全部相同的行（空值与空值相同），大组在前"),
                 "benford": QT_TRANSLATE_NOOP("AnalysisPage", "只计绝对值不小于“最小金额”的值（留空为 10，Nigrini）；MAD 符合度按 Nigrini 的阈值"),
                 "crosstab": QT_TRANSLATE_NOOP("AnalysisPage", "列字段最多 60 个取值")}
        self.form_note.setText(self.tr(notes[kind]) if kind in notes else "")
        if not numbers and any(p.widget == "number" for p in FORMS[kind]):
            self.form_note.setText(self.tr("此表没有数值字段，请换一张表"))

    def _input(self, param: Param, fields: list[str], numbers: list[str], hints: dict) -> QWidget:
        parent = self.form_host
        if param.widget in ("field", "number", "field?", "number?"):
            box = QComboBox(parent)
            if param.widget.endswith("?"):
                box.addItem(self.tr("（不选）"), "")
            table = self.table.currentData() or ""
            for f in (numbers if param.widget.startswith("number") else fields):
                box.addItem(field_label(table, f), f)
            want = hints.get(param.default) if isinstance(param.default, str) else None
            index = box.findData(want) if want else -1
            if index < 0 and param.widget == "number" and numbers:
                index = box.findData(numbers[-1] if "amount" not in hints else hints["amount"])
            box.setCurrentIndex(max(0, index))
            return box
        if param.widget in ("fields", "fields?"):
            chosen = [f for f in hints.get(param.default, []) if f in fields]
            if not chosen and param.widget == "fields":
                chosen = fields[:1]
            return FieldsPicker(fields, chosen, parent, table=self.table.currentData() or "")
        if param.widget == "int":
            spin = QSpinBox(parent)
            spin.setRange(*param.choices)
            spin.setValue(int(param.default))
            return spin
        if param.widget == "choice":
            box = QComboBox(parent)
            for value, label in param.choices:
                box.addItem(self.tr(label), value)
            box.setCurrentIndex(max(0, box.findData(param.default)))
            return box
        edit = QLineEdit(parent)
        if param.widget == "amount":
            from feijian.casework.analysis_benford import thresholds

            edit.setPlaceholderText(self.tr("留空为 %1（Nigrini）").replace("%1", str(thresholds()["min_value"])))
            return edit
        edit.setPlaceholderText(self.tr("如 0, 100, 500, 1000（留空为等宽分层）"))
        return edit

    def params(self) -> dict:
        """The form's parameters as the library takes them (``table`` included)."""
        out: dict[str, Any] = {"table": self.table.currentData()}
        for key, (param, w) in self.inputs.items():
            if isinstance(w, FieldsPicker):
                out[key] = w.selected()
            elif isinstance(w, QSpinBox):
                out[key] = w.value()
            elif isinstance(w, QComboBox):
                out[key] = w.currentData()
            elif isinstance(w, QLineEdit) and param.widget == "amount":
                floor = parse_min_value(w.text())
                if floor is not None:
                    out[key] = floor
            elif isinstance(w, QLineEdit):
                edges = parse_edges(w.text())
                if edges:
                    out[key] = edges
        if out.get("edges"):
            out.pop("bands", None)
        return out

    def set_param(self, key: str, value) -> None:
        """Set one form input (tests, the history's 载入)."""
        _param, w = self.inputs[key]
        if isinstance(w, FieldsPicker):
            w.set_selected(list(value or []))
        elif isinstance(w, QSpinBox):
            w.setValue(int(value))
        elif isinstance(w, QComboBox):
            w.setCurrentIndex(max(0, w.findData(value if value is not None else "")))
        elif isinstance(w, QLineEdit):
            w.setText(", ".join(str(v) for v in value) if isinstance(value, (list, tuple)) else str(value or ""))

    def select_analysis(self, kind: str, table: Optional[str] = None) -> None:
        self.tabs.setCurrentIndex(0)
        if table is not None:
            self.table.setCurrentIndex(self.table.findData(table))
        self.kind.setCurrentIndex(self.kind.findData(kind))

    # --- running ----------------------------------------------------------------------------------
    def run_current(self):
        if self.tabs.currentIndex() == 1:
            return self.run_sql()
        if self.tabs.currentIndex() == 2:
            return self.rerun_selected()
        return self.run_form()

    def _busy(self) -> bool:
        return self.task is not None and not self.task.done.is_set()

    def run_form(self):
        if self._busy() or not self.table.currentData():
            return None
        kind = self.kind.currentData()
        try:
            params = self.params()
        except FeijianError as exc:
            self._show_message(str(exc))
            return None
        return self._start(("analysis", kind, params), run_analysis, self.ctx.store, kind, params,
                           title=self.tr("分析：%1").replace("%1", self.tr(KIND_NAMES[kind])))

    def run_sql(self):
        if self._busy():
            return None
        sql = self.editor.toPlainText()
        try:
            check_select(sql)  # the gate's reason at once, before any data is read
        except FeijianError as exc:
            self.clear_result()
            self._show_message(str(exc), refused=True)
            return None
        return self._start(("query", sql), run_query, self.ctx.store, sql, limit=KEEP_ROWS,
                           title=self.tr("运行查询"))

    def rerun_selected(self):
        run = self.selected_run()
        if run is None or self._busy():
            return None
        kwargs = {"limit": KEEP_ROWS} if run.kind == "query" else {}
        request = ("query", run.request.get("sql", "")) if run.kind == "query" else ("analysis", run.kind, run.request)
        return self._start(request, rerun, self.ctx.store, run, title=self.tr("重新运行"), logged=run, **kwargs)

    def _start(self, request: tuple, fn, *args, title: str, logged=None, **kwargs):
        self.message.hide()
        def finished(result, rq=request, lg=logged):
            self._ended()
            self._finished(rq, result, lg)

        def failed(exc):
            self._ended()
            self._failed(exc)

        def cancelled():
            self._ended()
            self._cancelled()

        task = run_with_progress(self.window(), self.ctx.runner, title, fn, *args, on_finished=finished,
                                 on_failed=failed, on_cancelled=cancelled, **kwargs)
        task.case_path = self.ctx.path
        self.task = task
        return task

    def _ended(self, *_args) -> None:
        """Let go of the ended task: its error's traceback holds the query's DuckDB connection."""
        task, self.task = self.task, None
        if task is not None and task.error is not None:
            task.error.__traceback__ = None
            task.error.__context__ = None

    def clear_result(self) -> None:
        self.result = None
        self.request = None
        self.summary.setText("")
        self.show_page()
        self.charts.hide()
        self.pages.setText("")
        self.export_button.setEnabled(False)
        self._update_attach()

    def _failed(self, exc: BaseException) -> None:
        self.clear_result()
        if isinstance(exc, FeijianError):
            self._show_message(str(exc), refused=True)
        else:
            show_failure(self, self.tr("分析"), exc)

    def _cancelled(self) -> None:
        self._show_message(self.tr("已取消：没有记录结果"))

    def _show_message(self, text: str, *, refused: bool = False) -> None:
        color = "#a61b1b" if refused else "#555"
        self.message.setStyleSheet(f"QLabel{{color:{color}; background:#fff4f4; border:1px solid #e6b8b8;"
                                   f" padding:6px}}" if refused else f"QLabel{{color:{color}; padding:6px}}")
        self.message.setText(text)
        self.message.show()

    # --- results ----------------------------------------------------------------------------------
    def _finished(self, request: tuple, result: QueryResult, logged=None) -> None:
        self.request = ("query", request[1]) if request[0] == "query" else (request[1], request[2])
        self.result = result
        kind = "query" if request[0] == "query" else request[1]
        self.result_kind = kind
        self.frame_source = result.table
        n_pages = max(1, -(-result.table.num_rows // PAGE_ROWS))
        self.page.blockSignals(True)
        self.page.setMaximum(n_pages)
        self.page.setValue(1)
        self.page.blockSignals(False)
        text = self.tr("/ %1 页").replace("%1", formatting.count(n_pages))
        self.pages.setText(text)
        self.show_page()
        self.summary.setText(self.describe(kind, result, logged))
        self.show_chart(kind, result)
        self.export_button.setEnabled(True)
        self._update_attach()
        self.refresh_history()

    def describe(self, kind: str, result: QueryResult, logged=None) -> str:
        parts = [self.tr(KIND_NAMES.get(kind, kind)), self.tr("共 %1 行").replace("%1", formatting.count(result.rows))]
        if result.truncated:
            parts[-1] += self.tr("（显示前 %1 行）").replace("%1", formatting.count(result.table.num_rows))
        took = formatting.duration(result.seconds) if result.seconds >= 0.05 else self.tr("不到 0.1 秒")
        parts.append(self.tr("用时 %1").replace("%1", took))
        parts.append("SHA-256 " + result.sha256[:16])
        s = result.summary or {}
        extra = ""
        if kind == "benford" and s.get("n"):
            verdict = self.tr(CONFORMITY.get(s.get("conformity") or "", s.get("conformity") or ""))
            th = s.get("thresholds") or {}
            p = s.get("p_value")
            p_text = "< 0.0001" if p is not None and p < 0.0001 else "= " + formatting.quantity(p, places=4)
            extra = (self.tr("参与 %1 个值（排除 %2 个小于 %3 的值）；MAD = %4，%5（紧密 ≤ %6，可接受 ≤ %7，勉强 ≤ %8）；"
                             "χ² = %9，p %10")
                     .replace("%10", p_text).replace("%1", formatting.count(s["n"]))
                     .replace("%2", formatting.count(s.get("excluded", 0)))
                     .replace("%3", formatting.quantity(s.get("min_value"), places=2))
                     .replace("%4", formatting.quantity(s["mad"], places=4)).replace("%5", verdict)
                     .replace("%6", formatting.quantity(th.get("close"), places=4))
                     .replace("%7", formatting.quantity(th.get("acceptable"), places=4))
                     .replace("%8", formatting.quantity(th.get("marginal"), places=4))
                     .replace("%9", formatting.quantity(s.get("chi_square"), places=2)))
        elif kind == "benford":
            extra = self.tr("没有不小于 %1 的值可检验").replace("%1", formatting.quantity(s.get("min_value"), places=2))
        elif kind == "gaps":
            extra = (self.tr("缺号 %1 处，共缺 %2 个序号；%3 个序号无末尾数字，未计入")
                     .replace("%1", formatting.count(s.get("gaps", 0))).replace("%2", formatting.count(s.get("missing", 0)))
                     .replace("%3", formatting.count(s.get("keys_without_number", 0))))
        elif kind in ("duplicates", "key_duplicates"):
            extra = (self.tr("重复 %1 组，涉及 %2 行").replace("%1", formatting.count(s.get("groups", 0)))
                     .replace("%2", formatting.count(s.get("rows_in_groups", 0))))
        elif kind == "stratify":
            money = formatting.is_money_field(s.get("value") or "")
            total = formatting.amount(s.get("sum")) if money else formatting.quantity(s.get("sum"), places=4)
            extra = (self.tr("%1 行，%2 合计 %3").replace("%1", formatting.count(s.get("rows", 0)))
                     .replace("%2", self._field_label(s.get("value"))).replace("%3", total))
        text = " · ".join(parts)
        if extra:
            text += "\n" + extra
        if logged is not None:
            same = result.matches(logged)
            text += "\n" + (self.tr("与命令记录中的结果一致（%1 行，SHA-256 相同）").replace("%1", formatting.count(logged.rows))
                            if same else self.tr("与命令记录中的结果不同：记录为 %1 行，SHA-256 %2")
                            .replace("%1", formatting.count(logged.rows)).replace("%2", logged.sha256[:16]))
            if not same and logged.hash_scheme == ORDERED and logged.rows == result.rows:
                text += self.tr("（行数相同：若 ORDER BY 未定下每一行的次序，行序可能不同）")
        return text

    def show_page(self) -> None:
        if self.result is None:
            self.model.set_frame(pd.DataFrame(), [])
            return
        start = (self.page.value() - 1) * PAGE_ROWS
        piece = self.result.table.slice(start, PAGE_ROWS)
        frame, cols = result_frame(self.result_kind, piece, self.result.summary or {})
        self.model.set_frame(frame, cols)
        self.view.resizeColumnsToContents()  # over the first rows only (resizeContentsPrecision)
        for i in range(len(cols) - 1):  # the last one stretches
            self.view.setColumnWidth(i, min(max(self.view.columnWidth(i) + 12, 64), 360))

    def _field_label(self, field) -> str:
        """A field of the shown analysis as the forms list it: det_item_fee_sumamt（明细项目费用总额）."""
        params = self.request[1] if self.request and self.request[0] != "query" else {}
        table = (params or {}).get("table") or self.table.currentData() or ""
        return field_label(table, str(field or ""))

    def show_chart(self, kind: str, result: QueryResult) -> None:
        t, s = result.table, result.summary or {}
        if kind == "benford" and t.num_rows:
            verdict = self.tr(CONFORMITY.get(s.get("conformity") or "", "")) if s.get("n") else ""
            title = self.tr("本福特检验（%1）：%2").replace(
                "%1", self.tr("首位数字") if s.get("test") == "first" else self.tr("前两位数字")).replace("%2", self._field_label(s.get("field")))
            if verdict:
                title += self.tr(" — MAD %1，%2").replace("%1", formatting.quantity(s.get("mad"), places=4)).replace("%2", verdict)
            self.benford_chart.set_data(title, t.column("digit").to_pylist(), t.column("actual").to_pylist(),
                                        t.column("expected").to_pylist())
            self.charts.setCurrentWidget(self.benford_chart)
        elif kind == "stratify" and t.num_rows:
            frame, _cols = result_frame(kind, t, s)
            items = [(str(b), float(n), formatting.count(n)) for b, n in zip(frame["band"], t.column("count").to_pylist())]
            self.columns_chart.set_items(self.tr("分层：%1 各区间行数").replace("%1", self._field_label(s.get("field"))), items)
            self.charts.setCurrentWidget(self.columns_chart)
        elif kind == "top" and t.num_rows:
            by = s.get("by", "")
            money = formatting.is_money_field(s.get("value") or "")
            use_sum = s.get("order") == "sum" and "total" in t.column_names
            values = t.column("total" if use_sum else "n").to_pylist()
            labels = ["" if v is None else str(v) for v in t.column(by).to_pylist()]
            shown = [(formatting.amount(v) if money else formatting.quantity(v)) if use_sum else formatting.count(v)
                     for v in values]
            self.bar_chart.title = self.tr("前 %1 名：%2").replace("%1", str(len(values))).replace("%2", str(by))
            self.bar_chart.max_bars = max(10, len(values))
            self.bar_chart.set_items([(lbl, float(v or 0), txt) for lbl, v, txt in zip(labels, values, shown)])
            self.charts.setCurrentWidget(self.bar_chart)
        elif kind == "stats" and s.get("top"):
            tops = s["top"]
            self.bar_chart.title = self.tr("%1 最常见的值").replace("%1", str(s.get("field", "")))
            self.bar_chart.max_bars = max(10, len(tops))
            numeric = bool(s.get("numeric"))
            self.bar_chart.set_items([(_t("（空值）") if v is None else (formatting.quantity(v) if numeric else str(v)),
                                       float(n), formatting.count(n)) for v, n in tops])
            self.charts.setCurrentWidget(self.bar_chart)
        else:
            self.charts.hide()
            return
        self.charts.show()

    # --- history ----------------------------------------------------------------------------------
    def refresh_history(self) -> None:
        try:
            self.runs = list(reversed(history(self.ctx.store)))  # newest first
        except Exception:  # a store without events (never the case window's)
            self.runs = []
        rows = [{"event_id": r.event_id, "time": r.time, "by": r.by,
                 "kind": self.tr(KIND_NAMES.get(r.kind, r.kind)), "text": request_text(r.kind, r.request),
                 "command": " ".join(r.text.split()), "rows": r.rows, "sha": r.sha256[:16]} for r in self.runs]
        frame = pd.DataFrame(rows, columns=["event_id", "time", "by", "kind", "text", "command", "rows", "sha"])
        self.history_model.set_frame(frame, self._history_columns())
        self.rerun_button.setEnabled(bool(rows))
        self.load_button.setEnabled(bool(rows))

    def selected_run(self):
        index = self.history_view.currentIndex()
        if not index.isValid():
            if not self.runs:
                return None
            return self.runs[0]
        return get_run(self.ctx.store, self.history_model.value(index.row(), "event_id"))

    def load_selected(self) -> None:
        """The selected run's SQL into the editor, or its analysis and parameters into the form."""
        run = self.selected_run()
        if run is None:
            return
        if run.kind == "query":
            self.editor.setPlainText(run.request.get("sql", ""))
            self.tabs.setCurrentIndex(1)
            return
        self.select_analysis(run.kind, run.request.get("table"))
        for key, value in run.request.items():
            if key in self.inputs:
                self.set_param(key, value)

    # --- evidence and export ----------------------------------------------------------------------
    def attach_to_finding(self, finding_id: Optional[str] = None):
        """The shown result, whole, into the vault as the chosen finding's evidence (its query and hash with it)."""
        finding_id = finding_id or self.finding.currentData()
        if self.result is None or not finding_id or self._busy():
            return None
        title = self.tr("附为问题证据")
        name = self.finding.itemText(max(0, self.finding.findData(finding_id)))

        def finished(record):
            self._ended()
            self._show_message(self.tr("已附为问题“%1”的证据：%2 行，结果 SHA-256 %3")
                               .replace("%1", name).replace("%2", formatting.count(record.rows))
                               .replace("%3", record.sha256[:16]))
            self.refresh_history()
            self.ctx.decisions_changed.emit()

        def failed(exc):
            self._ended()
            if isinstance(exc, FeijianError):
                self._show_message(str(exc), refused=True)  # the result stays shown
            else:
                show_failure(self, title, exc)

        task = run_with_progress(self.window(), self.ctx.runner, title, attach_to_finding, self.ctx.store,
                                 self.request, self.result, finding_id, on_finished=finished, on_failed=failed,
                                 on_cancelled=self._ended)
        task.case_path = self.ctx.path
        self.task = task
        return task

    # --- export -----------------------------------------------------------------------------------
    def export_csv(self, path: Optional[Path] = None):
        """The shown result as CSV, to a place the user chooses (nothing leaves the case otherwise)."""
        if self.result is None or self._busy():
            return None
        if path is None:
            name = "查询结果.csv" if self.request[0] == "query" else f"{self.tr(KIND_NAMES[self.request[0]])}.csv"
            path = dialogs.save_file(self, self.tr("导出 CSV"), name, "CSV (*.csv)")
            if path is None:
                return None
        title = self.tr("导出 CSV")

        def finished(written):
            self._ended()
            self._show_message(self.tr("已导出：%1").replace("%1", str(written)))

        def failed(exc):
            self._ended()
            show_failure(self, title, exc)

        task = run_with_progress(self.window(), self.ctx.runner, title, export_result, self.ctx.store,
                                 self.request, self.result, Path(path), on_finished=finished, on_failed=failed,
                                 on_cancelled=self._ended)
        task.case_path = self.ctx.path
        self.task = task
        return task
