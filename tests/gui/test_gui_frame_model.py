"""FrameModel: lazy formatting, pandas sort and filter, Qt's model checks."""

from decimal import Decimal

import numpy as np
import pandas as pd
from PySide6.QtCore import Qt

from feijian.gui.models import Column, FrameModel
from feijian.gui.models.frame_model import RawRole, RowRole, mask_id


def _frame():
    return pd.DataFrame({
        "name": ["乙", "甲", None, "丙"],
        "amount": [Decimal("12.5"), Decimal("1234.5"), Decimal("-3"), None],
        "day": pd.to_datetime(["2025-03-02", "2025-01-01", None, "2025-02-01"]),
        "certno": ["110101199001011234", "3", None, "4401"],
    })


COLUMNS = [Column("name", "姓名"), Column("amount", "金额", "money"), Column("day", "日期", "date"),
           Column("certno", "身份证号", "masked")]


def test_model_passes_qt_model_tester(qtmodeltester):
    model = FrameModel(_frame(), COLUMNS)
    qtmodeltester.check(model)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    model.set_filter(np.array([True, False, True, True]))
    qtmodeltester.check(model)


def test_money_is_formatted_and_right_aligned():
    model = FrameModel(_frame(), COLUMNS)
    idx = model.index(1, 1)
    assert model.data(idx) == "1,234.50"
    assert model.data(idx, Qt.ItemDataRole.TextAlignmentRole) & int(Qt.AlignmentFlag.AlignRight)
    assert model.data(model.index(3, 1)) == ""
    assert model.data(idx, RawRole) == "1234.5"


def test_id_numbers_are_masked():
    model = FrameModel(_frame(), COLUMNS)
    assert model.data(model.index(0, 3)) == "110101********1234"
    assert mask_id("3") == "*"


def test_sort_by_money_keeps_missing_last_both_ways():
    model = FrameModel(_frame(), COLUMNS)
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert [model.data(model.index(r, 1)) for r in range(4)] == ["-3.00", "12.50", "1,234.50", ""]
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert [model.data(model.index(r, 1)) for r in range(4)] == ["1,234.50", "12.50", "-3.00", ""]


def test_sort_by_text_and_date():
    model = FrameModel(_frame(), COLUMNS)
    model.sort(2, Qt.SortOrder.AscendingOrder)
    assert [model.data(model.index(r, 2)) for r in range(4)] == ["2025-01-01", "2025-02-01", "2025-03-02", ""]
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(3, 0)) == ""


def test_filter_then_sort_and_row_mapping():
    frame = _frame()
    model = FrameModel(frame, COLUMNS)
    model.sort(1, Qt.SortOrder.AscendingOrder)
    model.set_filter((frame["amount"].notna()).to_numpy())
    assert model.rowCount() == 3
    positions = [model.data(model.index(r, 0), RowRole) for r in range(3)]
    assert positions == [2, 0, 1]  # still sorted by amount after filtering
    assert model.frame_row(2) == 1
    model.set_filter(None)
    assert model.rowCount() == 4


def test_persistent_selection_follows_a_sort():
    model = FrameModel(_frame(), COLUMNS)
    from PySide6.QtCore import QPersistentModelIndex

    p = QPersistentModelIndex(model.index(1, 0))  # 甲
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(p.row(), 0)) == "甲"
