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


def test_cells_are_written_through_domain_formatting():
    """Issue 18: quantities without .0, local times without T, old details tidied, floats without artefacts."""
    import datetime as dt
    from decimal import Decimal

    import numpy as np
    import pandas as pd

    from feijian.gui.models import Column, FrameModel

    frame = pd.DataFrame({
        "q": [Decimal("5.0000"), 2.5], "m": [Decimal("4302.966"), 1e5], "n": [12345, 7],
        "t": ["2026-12-06T02:42:05.579Z", np.datetime64("2026-12-06T10:42:00")],
        "d": [dt.date(2026, 12, 6), pd.Timestamp("2026-01-02 08:00")],
        "x": ["共 5.0 个单位，超过日限量 4.0", "限 65.0– 岁"], "f": [0.1 + 0.2, Decimal("1E+1")],
    })
    cols = [Column("q", "q", "qty"), Column("m", "m", "money"), Column("n", "n", "int"), Column("t", "t", "datetime"),
            Column("d", "d", "date"), Column("x", "x", "detail"), Column("f", "f")]
    model = FrameModel(frame, cols)
    cell = lambda r, c: model.data(model.index(r, c))  # noqa: E731
    assert [cell(0, c) for c in range(7)][:3] == ["5", "4,302.97", "12,345"]
    assert cell(1, 0) == "2.5" and cell(1, 1) == "100,000.00"
    assert cell(0, 3).startswith("2026-12-06 ") and "T" not in cell(0, 3) and cell(1, 3) == "2026-12-06 10:42"
    assert (cell(0, 4), cell(1, 4)) == ("2026-12-06", "2026-01-02")
    assert (cell(0, 5), cell(1, 5)) == ("共 5 个单位，超过日限量 4", "限 ≥ 65 岁")
    assert (cell(0, 6), cell(1, 6)) == ("0.3", "10")
