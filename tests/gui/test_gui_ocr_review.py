"""The hit list marks hits that rest on text read with OCR (「OCR 待核」, issue 20): an open one is tinted,
a decided one keeps its status colour."""

from decimal import Decimal

import pandas as pd
from PySide6.QtCore import Qt

from feijian.gui.pages.hits_page import OCR_REVIEW_COLOR, STATUS_COLORS, HitsView
from feijian.rules.record_ocr import OCR_REVIEW_MARK


def test_open_ocr_review_hits_are_tinted(qtbot):
    view = HitsView()
    qtbot.addWidget(view)
    frame = pd.DataFrame({
        "hit_id": ["a", "b", "c"], "status": ["open", "open", "confirmed"], "rule": ["R29 病历记载不在院"] * 3,
        "mdtrt_id": ["M1", "M2", "M3"], "dept": ["内科"] * 3, "doctor": ["D1"] * 3,
        "day": pd.to_datetime(["2024-03-05"] * 3), "amount": [Decimal("50")] * 3,
        "detail": [OCR_REVIEW_MARK + "项目 BED 于 2024-03-05 收费（OCR 待核：所引文句由文字识别读出，请对照原件）",
                   "项目 BED 于 2024-03-05 收费", OCR_REVIEW_MARK + "项目 BED"],
        "reason": ["", "", "属实"], "med_list_codg": ["BED"] * 3,
    })
    view.set_hits(frame)
    colors = {}
    for r in range(view.model.rowCount()):
        brush = view.model.data(view.model.index(r, 0), Qt.ItemDataRole.BackgroundRole)
        mdtrt = view.model.data(view.model.index(r, 2))
        colors[mdtrt] = brush.color() if brush is not None else None
    assert colors == {"M1": OCR_REVIEW_COLOR, "M2": None, "M3": STATUS_COLORS["confirmed"]}
    view.text.setText("OCR 待核")
    view.apply_filters()
    assert sorted(view.model.shown_frame()["mdtrt_id"]) == ["M1", "M3"]
