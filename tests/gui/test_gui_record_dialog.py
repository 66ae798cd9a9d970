"""The typed-record form follows its kind's fields and has English labels through Qt's translator."""

import xml.etree.ElementTree as ET

from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel

from feijian.domain.records import CaseInfo, Role, TeamMember
from feijian.domain.typed_records import record_kinds
from feijian.gui.record_dialog import RecordDialog
from feijian.paths import resource

INFO = CaseInfo("c", "演示", "H1", "演示市第一人民医院", "3",
                team=(TeamMember("张明", "FJ-0001", Role.LEAD), TeamMember("李华", "FJ-0002")))


def _labels(dialog) -> list[str]:
    form = dialog.findChild(QFormLayout)
    out = []
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        if item is not None and isinstance(item.widget(), QLabel):
            out.append(item.widget().text())
    return out


def test_every_field_has_a_row_and_the_team_fills_the_officers(qtbot):
    for kind, spec in record_kinds().items():
        dialog = RecordDialog(kind, INFO)
        qtbot.addWidget(dialog)
        assert set(dialog.widgets) == {f.name for f in spec.fields}
        assert [f.label + (" *" if f.required else "") for f in spec.fields if f.type != "person"] == _labels(dialog)
    officers = dialog.widgets["inspectors"].value()
    assert officers == [{"name": "张明", "staff_no": "FJ-0001"}, {"name": "李华", "staff_no": "FJ-0002"}]


def test_every_label_is_translated_to_english(qtbot):
    ts = ET.parse(resource("translations", "feijian_en.ts"))
    context = next(c for c in ts.getroot() if c.findtext("name") == "RecordDialog")
    translated = {m.findtext("source"): m.findtext("translation") for m in context.iter("message")
                  if m.find("translation").get("type") != "unfinished" and m.findtext("translation")}
    for spec in record_kinds().values():
        for label in [spec.label] + [f.label for f in spec.fields]:
            assert translated.get(label), label
    app = QApplication.instance()
    translator = QTranslator()
    assert translator.load(str(resource("translations", "feijian_en.qm")))
    app.installTranslator(translator)
    try:
        dialog = RecordDialog("interview", INFO)
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == "Interview record"
        assert "Place of interview *" in _labels(dialog)
    finally:
        app.removeTranslator(translator)
