"""Issue 18: no raw form reaches a person. Every page of the screened demo case and the record view of a few
hits are opened offscreen, every visible text is collected (labels, buttons, fields, lists, combo items, table
cells through the models' DisplayRole, headers) and grepped for what people never write: ``None``, ``nan``,
``NaT``, ISO ``T`` timestamps, float artefacts (``12.300000001``), exponents (``1e+05``, ``1E-10``), trailing
``.0`` quantities, a minus sign or an open dash before a number. The hits CSV export is grepped the same way."""

import csv
import re

import pandas as pd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QComboBox, QLabel, QLineEdit, QListWidget,
                               QPlainTextEdit, QTextEdit, QTreeWidget, QTreeWidgetItemIterator, QWidget)

from feijian.gui.case_window import PAGES

RAW = re.compile(
    r"\bNone\b|\bnan\b|\bNaN\b|\bNaT\b|<NA>"  # missing values written out
    r"|\d{4}-\d\d-\d\dT\d\d:"  # ISO timestamps
    r"|\d\.\d*(?:00000|99999)\d"  # binary float artefacts
    r"|(?<![0-9A-Za-z])\d+(?:\.\d+)?[eE][+-]\d+"  # exponents (1e+05, Decimal's 1E+1 / 0E-10)
    r"|(?<![\d.])\d+\.0(?![\d])"  # a quantity with a trailing .0
    r"|−\d|(?:^|[\s限])[–-]\s?\d+(?:\.\d+)?\s?岁|\d\s?[–-]\s?岁"  # a minus sign / an open age range
)
MAX_ROWS = 3000  # cells read per table (the demo's hits table is a few thousand rows)


def raw_forms(texts):
    found = []
    for where, text in texts:
        for m in RAW.finditer(text):
            found.append(f"{where}: …{text[max(0, m.start() - 25):m.end() + 25]}…")
    return found


def _model_texts(view: QAbstractItemView, where: str):
    model = view.model()
    if model is None:
        return
    cols = model.columnCount()
    for c in range(cols):
        h = model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if h:
            yield f"{where} header", str(h)
    for r in range(min(model.rowCount(), MAX_ROWS)):
        for c in range(max(cols, 1)):
            v = model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole)
            if v not in (None, ""):
                yield f"{where}[{r},{c}]", str(v)


def _quotes_records(w: QWidget) -> bool:
    """Inside the document panel: the hospital's own record text, quoted verbatim as evidence (``参考范围
    4.0-6.0%`` is what the record says and stays so)."""
    from feijian.gui.widgets.document_panel import DocumentPanel

    while w is not None:
        if isinstance(w, DocumentPanel):
            return True
        w = w.parentWidget()
    return False


def visible_texts(root: QWidget, where: str = ""):
    """Every text a person can read in ``root`` now (visible widgets only; record text quoted verbatim aside)."""
    out = []
    for w in [root] + root.findChildren(QWidget):
        if not w.isVisible() or _quotes_records(w):
            continue
        name = f"{where}/{type(w).__name__}:{w.objectName()}"
        if isinstance(w, QLabel):
            out.append((name, w.text()))
        elif isinstance(w, QAbstractButton):
            out.append((name, w.text()))
        elif isinstance(w, QLineEdit):
            out.append((name, w.text()))
        elif isinstance(w, (QTextEdit,)):
            out.append((name, w.toPlainText()))
        elif isinstance(w, QPlainTextEdit):
            out.append((name, w.toPlainText()))
        elif isinstance(w, QComboBox):
            out.extend((name, w.itemText(i)) for i in range(w.count()))
        if isinstance(w, QListWidget):
            out.extend((name, w.item(i).text()) for i in range(w.count()))
        elif isinstance(w, QTreeWidget):
            it = QTreeWidgetItemIterator(w)
            while it.value():
                item = it.value()
                out.extend((name, item.text(c)) for c in range(w.columnCount()))
                it += 1
        elif isinstance(w, QAbstractItemView):
            out.extend(_model_texts(w, name))
        if w.toolTip():
            out.append((name + " tooltip", w.toolTip()))
    return out


def test_the_pattern_catches_what_it_should():
    bad = ["None", "nan", "NaT", "2026-12-06T10:42:05Z", "12.300000001", "0.29999999", "1e+05", "1E+1", "0E-10",
           "共 5.0 个单位", "限 −14 岁", "限 –14 岁", "限 65– 岁"]
    good = ["4,302.97", "12.30", "共 5 个单位", "≤ 14 岁", "18–65 岁", "2026-12-06 10:42", "2026年12月6日",
            "a1e5b9c0ffee", "0.5", "v2 规则集", "R05 出院后收费", "1,234 行"]
    assert all(raw_forms([("t", t)]) for t in bad), [t for t in bad if not raw_forms([("t", t)])]
    assert not [t for t in good if raw_forms([("t", t)])]


@pytest.fixture()
def shown(case_window, qtbot):
    case_window.show()
    qtbot.waitExposed(case_window)
    return case_window


def test_no_raw_form_on_any_page(shown, qtbot):
    window = shown
    texts = []
    for key, _title in PAGES:
        page = window.show_page(key)
        qtbot.wait(20)
        texts += visible_texts(window, key)
        assert page.isVisible()
    found = raw_forms(texts)
    assert not found, found[:20]
    assert len(texts) > 500  # the hits table was read


def test_no_raw_form_in_the_record_view_of_hits(shown, qtbot):
    window = shown
    hits = window.ctx.hits()
    # one hit of each of a few rules, the age and quantity rules among them
    picks = hits.drop_duplicates("rule_code").head(12)
    assert len(picks) >= 5
    texts = []
    for mdtrt_id, hit_id in zip(picks["mdtrt_id"].astype(str), picks["hit_id"].astype(str)):
        window.ctx.open_record.emit(mdtrt_id, hit_id)
        qtbot.wait(20)
        page = window.pages["record"]
        assert page.isVisible() and page.hit_id == hit_id
        texts += visible_texts(page, f"record {mdtrt_id}")
    found = raw_forms(texts)
    assert not found, found[:20]


def test_details_stored_by_older_versions_are_tidied_on_screen(shown, qtbot):
    """Existing hits keep their stored values; only how they are written changes."""
    window = shown
    hits = window.ctx.hits()
    hits["detail"] = hits["detail"].astype(object)
    hits.loc[hits.index[0], "detail"] = "项目 X 限 –14.0 岁，患者收费时 15.0 岁"
    hits.loc[hits.index[1], "detail"] = "项目 Y 在 2026-12-06T02:42:05Z 共 5.0 个单位，超过日限量 4.0"
    page = window.show_page("hits")
    page.reload()
    cells = {str(page.view.model.data(page.view.model.index(r, page.view.model.column_of("detail"))))
             for r in range(page.view.model.rowCount())}
    assert "项目 X 限 ≤ 14 岁，患者收费时 15 岁" in cells
    assert any(c.startswith("项目 Y 在 2026-12-06 ") and c.endswith("共 5 个单位，超过日限量 4") for c in cells)
    assert not raw_forms([("hits", c) for c in cells])
    # the record view too
    window.ctx.open_record.emit(str(hits["mdtrt_id"].iat[0]), str(hits["hit_id"].iat[0]))
    record = window.pages["record"]
    listed = [record.hit_list.item(i).text() for i in range(record.hit_list.count())]
    assert any("限 ≤ 14 岁" in t for t in listed)
    assert not raw_forms([("record", t) for t in listed])


def test_no_raw_form_in_the_hits_csv(case_window, tmp_path):
    from feijian.rules import write_hits_csv

    hits = case_window.ctx.store.hits()
    hits = hits.copy()
    hits["detail"] = hits["detail"].astype(object)
    hits.loc[hits.index[0], "detail"] = "项目 X 限 –14.0 岁"  # stored by an older version
    out = tmp_path / "hits.csv"
    assert write_hits_csv(hits, out) == len(hits) > 0
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    texts = [(f"hits.csv[{i}]", c) for i, row in enumerate(rows) for c in row]
    found = raw_forms(texts)
    assert not found, found[:20]
    header = rows[0]
    amounts = [r[header.index("amount")] for r in rows[1:]]
    assert all(re.fullmatch(r"-?\d+\.\d\d", a) for a in amounts)  # rules.md: two decimals, machine-readable
    assert rows[1][header.index("detail")] == "项目 X 限 ≤ 14 岁"
    assert pd.Series(amounts).astype(float).sum() > 0


BARE_CODE = re.compile(r"(?<![A-Za-z0-9_.])([A-Za-z0-9]{4,})(?![A-Za-z0-9_（(])")


def test_codes_are_shown_with_their_names(shown, qtbot):
    """Issue 18: no bare code reaches a person — doctors, departments and the items and doctors named in a hit's
    detail are shown with the names the imported fees, staff and visits give them."""
    window = shown
    names = window.ctx.names()
    assert names.items and names.staff and names.depts
    page = window.show_page("hits")
    model = page.view.model
    cells = lambda key: [str(model.data(model.index(r, model.column_of(key))) or "") for r in range(model.rowCount())]  # noqa: E731
    doctors = [d for d in cells("doctor") if d]
    assert doctors and not [d for d in doctors if d in names.staff], doctors[:5]
    assert any(d.split(" ", 1)[-1] in names.staff.values() for d in doctors)
    depts = [d for d in cells("dept") if d]
    assert not [d for d in depts if d in names.depts or "/" in d or d in names.staff], sorted(set(depts))
    page.view.group.setCurrentIndex(page.view.group.findData("dept"))
    groups = page.view.group_model
    labels = [str(groups.data(groups.index(r, 0))) for r in range(groups.rowCount())]
    assert labels and "" not in labels and not [g for g in labels if g in names.depts or "/" in g], labels
    page.view.group.setCurrentIndex(0)
    bare = [(text, m.group(1)) for text in cells("detail") for m in BARE_CODE.finditer(text)
            if m.group(1) in names.items or m.group(1) in names.staff]
    assert not bare, bare[:5]
    # the record view: 医疗类别 and 主治医生 with their names, the document's author too
    hits = window.ctx.hits()
    inpatient = hits[hits["mdtrt_id"].astype(str).str.startswith("ZY")]
    window.ctx.open_record.emit(str(inpatient["mdtrt_id"].iat[0]), str(inpatient["hit_id"].iat[0]))
    qtbot.wait(20)
    record = window.pages["record"]
    patient = record.patient.toPlainText()
    assert "21 普通住院" in patient
    doctor_cell = patient.split("主治医生", 1)[1][:30]
    assert any(name in doctor_cell for name in names.staff.values()), doctor_cell
    shown_doc = record.documents.text.toPlainText()
    if "记录人：" in shown_doc:
        author = shown_doc.split("记录人：", 1)[1].split("\n", 1)[0].strip()
        assert author not in names.staff, author
