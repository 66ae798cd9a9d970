"""The page of a document read with OCR in the record view (issue 20): the original decoded from the evidence
vault in memory, its recognised lines boxed where ``_ocr_lines`` puts them, the line holding the selected
item's mention boxed as a mention (and shaded in the text beside it), lines of low confidence marked."""

import json
import sys
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF

pytest.importorskip("rapidocr_onnxruntime", reason="OCR extra: make ocr")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ingest"))
from paper_pages import encoded, page  # noqa: E402

STENT = "C0301010100000100001"
OP = ["经皮冠状动脉介入治疗手术记录", "患者取平卧位，常规消毒铺巾。", "术中置入药物洗脱支架2枚。", "术程顺利，安返病房。"]


class Ctx:
    def __init__(self, store):
        self.store = store


@pytest.fixture(scope="module")
def ocr_case(tmp_path_factory):
    from feijian.casework.importing import import_folder
    from feijian.domain.records import CaseInfo
    from feijian.gui.session import Session

    d = tmp_path_factory.mktemp("pages")
    (d / "pages").mkdir()
    img = page(OP)
    (d / "pages/op.jpg").write_bytes(encoded(img, "JPEG", quality=80))
    (d / "病历文书索引.csv").write_text("文书ID,就诊ID,文书类型,记录时间,文件\nP1,M1,手术记录,2024-01-05 10:00,pages/op.jpg\n",
                                   encoding="utf-8")
    home = tmp_path_factory.mktemp("home")
    session = Session(home)
    session.identity = session.identities.create("周检查", "YB-9", "inspector", "pages-passphrase", fast=True)
    store = session.open_case(session.create_case(CaseInfo(str(uuid.uuid4()), "原件", "H1", "医院", "3")))
    import_folder(store, d)
    rows = store.read_table("emr_docs").to_pylist()
    yield store, rows, img.size
    store.close()


def test_the_page_is_shown_with_its_boxes_and_the_mention_line_highlighted(qtbot, ocr_case):
    from feijian.gui.widgets.document_panel import DocumentPanel

    store, rows, size = ocr_case
    assert rows[0]["_page_evidence"] and rows[0]["_ocr_lines"]
    panel = DocumentPanel(Ctx(store))
    qtbot.addWidget(panel)
    panel.resize(1400, 900)
    panel.show()
    panel.show_documents(rows, [(STENT, "药物洗脱支架")], STENT, "R26", "")
    qtbot.waitExposed(panel)
    qtbot.wait(50)
    assert panel.page_view.canvas.width() > 400
    assert panel.page_pane.isVisible()
    canvas = panel.page_view.canvas
    assert canvas.image is not None and (canvas.image.width(), canvas.image.height()) == size
    stored = json.loads(rows[0]["_ocr_lines"])["lines"]
    drawn = canvas.drawn_boxes()
    assert len(drawn) == len(stored)
    # shown: the lines' extent with a margin of 4 % of the page's width, scaled to the pane's width
    margin = 0.04 * size[0]
    ox = max(0.0, min(b[1][0] for b in stored) - margin)
    oy = max(0.0, min(b[1][1] for b in stored) - margin)
    right = min(float(size[0]), max(b[1][2] for b in stored) + margin)
    k = canvas.width() / (right - ox)
    assert canvas.view.width() < size[0] or ox == 0  # cropped to the text unless it fills the page
    for box, (_page, (x0, y0, x1, y1), _conf, _text) in zip(drawn, stored):
        assert abs(box.rect.left() - (x0 - ox) * k) < 1 and abs(box.rect.top() - (y0 - oy) * k) < 1
        assert abs(box.rect.right() - (x1 - ox) * k) < 1 and abs(box.rect.bottom() - (y1 - oy) * k) < 1
    mentions = [b for b in drawn if b.kind == "mention"]
    assert [stored[b.index][3] for b in mentions] == [t for *_x, t in stored if "支架" in t]
    assert len(mentions) == 1
    # the shaded part lies inside the mention's line box, and the image shows it (yellow over white paper)
    part = mentions[0].parts[0]
    assert mentions[0].rect.adjusted(-1, -1, 1, 1).contains(part)
    grabbed = canvas.grab().toImage()
    inner = part.adjusted(4, 4, -4, -4)

    def yellow(x, y):
        c = grabbed.pixelColor(x, y)
        return c.red() > 235 and 200 < c.green() < 250 and c.blue() < 190

    points = [(round(inner.left() + inner.width() * i / 10), round(inner.top() + inner.height() * j / 4))
              for i in range(11) for j in range(5)]
    assert sum(yellow(x, y) for x, y in points) > len(points) // 3
    outside = mentions[0].rect.bottomRight() + QPointF(30, 30)
    assert not yellow(round(outside.x()), round(outside.y()))
    # the text beside the page shades the same mention
    assert "background-color:#ffe082" in panel.text.toHtml().replace(" ", "") or "#ffe082" in panel.text.toHtml()
    # picking the line on the page shades it in the text
    panel.pick_line(mentions[0].index)
    assert "#bbdefb" in panel.text.toHtml()
    import os
    if os.environ.get("FEIJIAN_SHOT"):
        panel.grab().save(os.environ["FEIJIAN_SHOT"])


def test_low_confidence_lines_are_marked_on_the_page_and_in_the_text(qtbot, ocr_case):
    from feijian.gui.widgets.document_panel import DocumentPanel

    store, rows, _size = ocr_case
    row = dict(rows[0])
    raw = json.loads(row["_ocr_lines"])
    raw["lines"][1][2] = 0.5  # the second line read with low confidence
    row["_ocr_lines"] = json.dumps(raw, ensure_ascii=False)
    panel = DocumentPanel(Ctx(store))
    qtbot.addWidget(panel)
    panel.resize(1400, 900)
    panel.show()
    panel.show_documents([row], [(STENT, "药物洗脱支架")], STENT, "R26", "")
    kinds = [b.kind for b in panel.page_view.canvas.drawn_boxes()]
    assert kinds[1] == "low" and kinds.count("low") == 1
    assert "低置信度 1 行" in panel.page_note.text()
    assert "#e65100" in panel.text.toHtml()


def test_a_document_with_a_text_layer_has_no_page_pane(qtbot, ocr_case):
    from feijian.gui.widgets.document_panel import DocumentPanel

    store, rows, _size = ocr_case
    row = {**rows[0], "_ocr_lines": None, "_page_evidence": None, "_file_format": "txt/utf-8"}
    panel = DocumentPanel(Ctx(store))
    qtbot.addWidget(panel)
    panel.show()
    panel.show_documents([row], [(STENT, "药物洗脱支架")], STENT, "R26", "")
    assert not panel.page_pane.isVisible()
