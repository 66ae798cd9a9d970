"""A QAbstractTableModel over a pandas DataFrame.

The model keeps one numpy array per shown column and a ``rows`` index array (positions in the frame, in
display order). Filtering sets ``rows`` from a boolean mask computed in pandas; sorting reorders ``rows``
with a sort key per column computed once (money as float, text as ordered factor codes, dates as int64).
``data()`` formats one cell lazily: a few microseconds per call, so a million rows scroll smoothly.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Optional, Sequence

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from feijian.domain import formatting
from feijian.gui import font_size

ROW_HEIGHT = 24
RawRole = Qt.ItemDataRole.UserRole + 1  # the unformatted value
RowRole = Qt.ItemDataRole.UserRole + 2  # the row's position in the underlying frame


@dataclass(frozen=True)
class Column:
    key: str  # column name in the frame
    title: str  # header text (Chinese)
    kind: str = "text"  # text | money | int | qty | date | datetime | detail | masked
    width: int = 0  # preferred width in pixels (0: Qt's choice)
    labels: Optional[dict] = None  # value -> shown text (e.g. status codes to 待核查/已确认)
    names: Any = None  # for "detail": a NameDirectory, whose detail() shows the codes with their names
    tip: str = ""  # the frame column whose text is this cell's tooltip (e.g. the machine form of a command)


def format_money(value: Any) -> str:
    """An amount for a table cell headed 金额（元）: ``4,302.97`` (formatting.amount); missing → ``""``."""
    if _is_missing(value):
        return ""
    try:
        return formatting.amount(value)
    except ValueError:
        return str(value)


def mask_id(value: Any) -> str:
    """An ID number with only its first 6 and last 4 characters shown (data-contract: masked on screen)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    s = str(value)
    if len(s) <= 4:
        return "*" * len(s)
    if len(s) <= 10:
        return s[:2] + "*" * (len(s) - 4) + s[-2:]
    return s[:6] + "*" * (len(s) - 10) + s[-4:]


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, np.datetime64):
        return bool(np.isnat(value))
    return isinstance(value, float) and math.isnan(value)


def _cell_source(series: pd.Series):
    """What data() indexes per cell, without converting the column: numpy arrays stay numpy (datetime64
    included); extension arrays (Arrow-backed strings) are indexed in place — a few microseconds a cell,
    which matters only for the cells on screen."""
    if isinstance(series.dtype, np.dtype):
        return series.to_numpy()
    return series.array


def arrow_array(series: pd.Series):
    """The column as Arrow: zero-copy for Arrow-backed columns (``pd.ArrowDtype``), converted otherwise."""
    import pyarrow as pa

    if isinstance(series.dtype, pd.ArrowDtype):
        return series.array.__arrow_array__()  # the column's own ChunkedArray (no copy)
    return pa.chunked_array([pa.array(series, from_pandas=True)])


@dataclass(frozen=True)
class Coded:
    """A text column dictionary-encoded: ``codes`` (int32, -1 when missing) index ``values`` (Arrow strings).
    Equality filters compare integers, searches match the distinct values only, groups count codes."""

    codes: np.ndarray
    values: Any  # pa.Array of strings

    def code_of(self, value: str) -> int:
        """The code of ``value`` (-2 when absent: matches nothing)."""
        import pyarrow.compute as pc

        i = pc.index(self.values, value).as_py()
        return -2 if i is None or i < 0 else int(i)

    def equals(self, value: str, *, empty_is_missing: bool = False) -> np.ndarray:
        mask = self.codes == self.code_of(value)
        if empty_is_missing and value == "":
            mask |= self.codes < 0
        return mask

    def lookup(self, per_value: np.ndarray, missing=False) -> np.ndarray:
        """``per_value[code]`` for every row (``missing`` where the row has no value)."""
        table = np.append(np.asarray(per_value), np.asarray([missing], dtype=np.asarray(per_value).dtype))
        return table[self.codes]  # code -1 reads the appended last entry


def _arrow_text(series: pd.Series) -> bool:
    return isinstance(series.dtype, pd.ArrowDtype) or str(series.dtype) in ("str", "string")


def encode_column(series: pd.Series) -> Coded:
    """Dictionary-encode a text column in Arrow (categoricals reuse their codes)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(series.dtype, pd.CategoricalDtype):
        return Coded(series.cat.codes.to_numpy().astype(np.int32),
                     pa.array([str(c) for c in series.cat.categories], pa.string()))
    if not _arrow_text(series):  # plain object columns (small frames): pandas' factorize
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        return Coded(codes.astype(np.int32), pa.array([str(u) for u in uniques], pa.string()))
    arr = arrow_array(series)
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        arr = pc.cast(arr, pa.string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    d = pc.dictionary_encode(arr)
    codes = pc.fill_null(d.indices, -1).to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
    return Coded(codes, d.dictionary)


def money_floats(series: pd.Series) -> np.ndarray:
    """Money as float64 for sorting, filtering and charts (Decimals converted in Arrow, not in Python)."""
    if isinstance(series.dtype, pd.ArrowDtype):
        import pyarrow as pa
        import pyarrow.compute as pc

        return pc.cast(arrow_array(series), pa.float64()).to_numpy()
    if series.dtype.kind in "fiu":
        return series.to_numpy(dtype="float64", na_value=np.nan)
    try:
        import pyarrow as pa
        import pyarrow.compute as pc

        values = series.to_numpy(dtype=object)
        try:  # the contract's money type first: the fastest conversion
            arr = pa.array(values, type=pa.decimal128(18, 4), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            arr = pa.array(values, type=pa.decimal128(38, 10), from_pandas=True)
        return pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False)
    except Exception:  # not all Decimals (strings, mixed): the slow, general way
        return pd.to_numeric(pd.Series([None if _is_missing(v) else str(v) for v in series]), errors="coerce").to_numpy(dtype="float64")


def _time_value(value: Any) -> Any:
    return pd.Timestamp(value) if isinstance(value, np.datetime64) else value


def _format(value: Any, kind: str, labels: Optional[dict], names: Any = None) -> str:
    """One cell as people read it, through domain/formatting.py (no float artefact, ISO time or NaN)."""
    if _is_missing(value):
        return ""
    if labels is not None:
        return labels.get(value, str(value))
    if kind == "money":
        return format_money(value)
    if kind == "masked":
        return mask_id(value)
    if kind == "date":
        return formatting.date_iso(_time_value(value))
    if kind == "datetime":
        return formatting.date_time(_time_value(value))
    if kind == "int":
        return formatting.count(value) or str(value)
    if kind == "qty":
        return formatting.quantity(value)
    if kind == "detail":
        return names.detail(value) if names is not None else formatting.tidy_detail(value)
    if isinstance(value, (float, Decimal, np.floating)):
        return formatting.quantity(value)
    if isinstance(value, (dt.date, pd.Timestamp, np.datetime64)):
        return formatting.date_time(_time_value(value))
    return str(value)


def text_key(coded: Coded) -> np.ndarray:
    """A sort key from a dictionary-encoded column: the rank of each distinct value (Arrow sorts only the
    distinct strings), read per row; missing last."""
    import pyarrow.compute as pc

    ranks = pc.rank(coded.values, sort_keys="ascending", tiebreaker="dense").to_numpy().astype(np.int64) \
        if len(coded.values) else np.zeros(0, dtype=np.int64)
    return coded.lookup(ranks, np.iinfo("int64").max)


def sort_key(series: pd.Series, kind: str, coded: Optional[Coded] = None) -> np.ndarray:
    """A numpy array whose order is the column's natural order (missing values last)."""
    if kind in ("money", "int", "qty"):
        arr = money_floats(series)
        return np.where(np.isnan(arr), np.inf, arr)
    if kind in ("date", "datetime"):
        ts = pd.to_datetime(series, errors="coerce")
        arr = ts.to_numpy(dtype="datetime64[ns]").astype("int64")
        return np.where(ts.isna().to_numpy(), np.iinfo("int64").max, arr)
    if isinstance(series.dtype, pd.CategoricalDtype) or _arrow_text(series):
        return text_key(coded if coded is not None else encode_column(series))
    codes, _uniques = pd.factorize(series, sort=True)
    codes = codes.astype("int64")
    return np.where(codes < 0, np.iinfo("int64").max, codes)


class FrameModel(QAbstractTableModel):
    """Rows of ``frame`` shown through ``columns``; sort and filter in pandas."""

    def __init__(
        self,
        frame: Optional[pd.DataFrame] = None,
        columns: Optional[Sequence[Column]] = None,
        parent=None,
        *,
        row_brush: Optional[Callable[[int], Optional[QColor]]] = None,
        checkable: bool = False,
    ) -> None:
        super().__init__(parent)
        self._columns: list[Column] = []
        self._frame = pd.DataFrame()
        self._arrays: list[np.ndarray] = []
        self._rows = np.arange(0, dtype=np.int64)
        self._mask: Optional[np.ndarray] = None
        self._sort: Optional[tuple[int, Qt.SortOrder]] = None
        self._keys: dict[str, np.ndarray] = {}
        self._coded: dict[str, Coded] = {}
        self._row_brush = row_brush
        self.set_frame(frame if frame is not None else pd.DataFrame(), columns)

    # --- data in -------------------------------------------------------------------------------
    def set_frame(self, frame: pd.DataFrame, columns: Optional[Sequence[Column]] = None, *,
                  keep_view: bool = False) -> None:
        """Replace the data. ``keep_view`` keeps the current sort (the filter mask is dropped)."""
        self.beginResetModel()
        # keep the caller's frame object when its index is already 0..n-1, so that columns it replaces
        # later (e.g. review status) can be picked up with refresh_columns()
        plain = isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0 and frame.index.step == 1
        self._frame = frame if plain else frame.reset_index(drop=True)
        if columns is not None:
            self._columns = list(columns)
        elif not self._columns or not keep_view:
            self._columns = [Column(str(c), str(c)) for c in self._frame.columns]
        self._columns = [c for c in self._columns if c.key in self._frame.columns]
        self._arrays = [_cell_source(self._frame[c.key]) for c in self._columns]
        self._keys = {}
        self._coded = {}
        self._mask = None
        self._rows = np.arange(len(self._frame), dtype=np.int64)
        if not keep_view:
            self._sort = None
        if self._sort is not None:
            self._rows = self._sorted(self._rows, *self._sort)
        self.endResetModel()

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame

    @property
    def columns(self) -> list[Column]:
        return list(self._columns)

    def column_of(self, key: str) -> int:
        for i, c in enumerate(self._columns):
            if c.key == key:
                return i
        return -1

    # --- filter and sort (pandas/numpy) ----------------------------------------------------------
    def set_filter(self, mask: Optional[np.ndarray]) -> None:
        """Show only rows where ``mask`` (a boolean array over the frame) is True; None shows all."""
        self.beginResetModel()
        if mask is None:
            self._mask = None
            rows = np.arange(len(self._frame), dtype=np.int64)
        else:
            mask = np.asarray(mask, dtype=bool)
            if len(mask) != len(self._frame):
                raise ValueError("filter mask length differs from the frame")
            self._mask = mask
            rows = np.flatnonzero(mask).astype(np.int64)
        if self._sort is not None:
            rows = self._sorted(rows, *self._sort)
        self._rows = rows
        self.endResetModel()

    def set_key(self, name: str, key: np.ndarray) -> None:
        """Provide a precomputed sort key for column ``name`` (e.g. money floats a page already has)."""
        self._keys[name] = key

    def key(self, name: str) -> np.ndarray:
        """The cached sort key of column ``name`` over the whole frame (money: float, inf when missing)."""
        return self._key(self.column_of(name))

    def coded(self, name: str) -> Coded:
        """Frame column ``name`` dictionary-encoded (cached until the column is refreshed)."""
        if name not in self._coded:
            self._coded[name] = encode_column(self._frame[name])
        return self._coded[name]

    def _key(self, column: int) -> np.ndarray:
        col = self._columns[column]
        if col.key not in self._keys:
            series = self._frame[col.key]
            text = col.kind not in ("money", "int", "qty", "date", "datetime") and \
                (isinstance(series.dtype, pd.CategoricalDtype) or _arrow_text(series))
            self._keys[col.key] = sort_key(series, col.kind, self.coded(col.key) if text else None)
        return self._keys[col.key]

    def _sorted(self, rows: np.ndarray, column: int, order: Qt.SortOrder) -> np.ndarray:
        if column < 0 or column >= len(self._columns) or len(rows) == 0:
            return rows
        key = self._key(column)[rows]
        # stable: an earlier sort breaks the ties (numpy's radix/timsort over a key array: ~0.1 s per 1M rows)
        kind = "stable"
        if order != Qt.SortOrder.DescendingOrder:
            idx = np.argsort(key, kind=kind)
        else:
            # descending, missing values still last
            idx = np.argsort(-key if key.dtype.kind == "f" else np.iinfo("int64").max - key, kind=kind)
            if key.dtype.kind == "f":
                inf = np.isinf(key[idx])
                idx = np.concatenate([idx[~inf], idx[inf]])
            else:
                missing = key[idx] == np.iinfo("int64").max
                idx = np.concatenate([idx[~missing], idx[missing]])
        return rows[idx]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column < 0 or column >= len(self._columns):
            return
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        old_positions = [(self._rows[i.row()], i.column()) for i in old_persistent]
        self._sort = (column, order)
        self._rows = self._sorted(self._rows, column, order)
        if old_persistent:
            where = np.empty(len(self._frame), dtype=np.int64)
            where[self._rows] = np.arange(len(self._rows))
            new = [self.index(int(where[pos]), col) for pos, col in old_positions]
            self.changePersistentIndexList(old_persistent, new)
        self.layoutChanged.emit()

    # --- access ----------------------------------------------------------------------------------
    def frame_row(self, row: int) -> int:
        """The position in the frame of display row ``row``."""
        return int(self._rows[row])

    def frame_rows(self, rows: Sequence[int]) -> np.ndarray:
        return self._rows[np.asarray(list(rows), dtype=np.int64)] if len(rows) else np.empty(0, dtype=np.int64)

    def shown_frame(self) -> pd.DataFrame:
        """The rows currently shown, in display order."""
        return self._frame.iloc[self._rows]

    def display_row_of(self, frame_position: int) -> int:
        hits = np.flatnonzero(self._rows == frame_position)
        return int(hits[0]) if len(hits) else -1

    def value(self, row: int, key: str) -> Any:
        return self._frame[key].iat[int(self._rows[row])]

    def refresh_columns(self, keys: Sequence[str]) -> None:
        """Re-read columns ``keys`` of the frame (replaced by their owner) and repaint."""
        for i, col in enumerate(self._columns):
            if col.key in keys:
                self._arrays[i] = _cell_source(self._frame[col.key])
                self._keys.pop(col.key, None)
                self._coded.pop(col.key, None)
        self.refresh_rows()

    def refresh_rows(self) -> None:
        """Repaint after the row brushes' source changed (e.g. a review status)."""
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    # --- QAbstractTableModel ---------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        if r >= len(self._rows) or c >= len(self._columns):
            return None
        col = self._columns[c]
        if role == Qt.ItemDataRole.ToolTipRole and col.tip and col.tip in self._frame.columns:
            tip = self._frame[col.tip].iat[int(self._rows[r])]
            return None if _is_missing(tip) else str(tip)
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.ToolTipRole:
            text = _format(self._arrays[c][self._rows[r]], col.kind, col.labels, col.names)
            if role == Qt.ItemDataRole.ToolTipRole and len(text) < 24:
                return None
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col.kind in ("money", "int", "qty"):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and self._row_brush is not None:
            color = self._row_brush(int(self._rows[r]))
            return QBrush(color) if color is not None else None
        if role == RawRole:
            v = self._arrays[c][self._rows[r]]
            return None if _is_missing(v) else (str(v) if isinstance(v, Decimal) else v)
        if role == RowRole:
            return int(self._rows[r])
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            if role == Qt.ItemDataRole.TextAlignmentRole and orientation == Qt.Orientation.Horizontal \
                    and 0 <= section < len(self._columns) and self._columns[section].kind in ("money", "int", "qty"):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section].title if 0 <= section < len(self._columns) else None
        return str(section + 1) if 0 <= section < len(self._rows) else None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def configure_table_view(view: QTableView, model: Optional[FrameModel] = None, *, sortable: bool = True) -> None:
    """The settings every big table needs: fixed row height, no word wrap, row selection, sorting through
    the model (pandas), widths from the columns."""
    vh = view.verticalHeader()
    vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    font_size.follow(view, _fit_rows_to_font)
    vh.setVisible(False)
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setStretchLastSection(True)
    if model is not None:
        view.setModel(model)
        apply_column_widths(view, model)
        model.modelReset.connect(lambda v=view, m=model: _widths_once(v, m))
    if sortable:
        view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(sortable)


def _fit_rows_to_font(view: QTableView) -> None:
    """Row height from the font (ROW_HEIGHT at the default size); on a font change after the first, the
    column widths grow or shrink with it, so a user's widths keep their proportions."""
    view.verticalHeader().setDefaultSectionSize(max(ROW_HEIGHT, view.fontMetrics().height() + 8))
    old = getattr(view, "_feijian_font_scale", None)
    new = font_size.scale()
    view._feijian_font_scale = new
    if old and old != new:
        header = view.horizontalHeader()
        for i in range(header.count()):
            view.setColumnWidth(i, max(24, round(header.sectionSize(i) * new / old)))


def apply_column_widths(view: QTableView, model: FrameModel) -> None:
    factor = font_size.scale()
    for i, col in enumerate(model.columns):
        if col.width:
            view.setColumnWidth(i, round(col.width * factor))


def _widths_once(view: QTableView, model: FrameModel) -> None:
    """Set the columns' preferred widths when a model first gets columns (later the user's widths hold)."""
    key = tuple(c.key for c in model.columns)
    if key and getattr(view, "_feijian_width_key", None) != key:
        view._feijian_width_key = key
        apply_column_widths(view, model)
