"""The record view's documents (病历文书 beside the bill, records.md): an R26 hit opens the operation note with
the mention and the count marked; a phrase added there is an event (undone like any other) and a new
screening uses it; similar clauses for an item the knowledge base has no terms for."""

import csv

import pandas as pd
import pytest

STENT = "C0301010100000100001"


@pytest.fixture(scope="module")
def documents_home(tmp_path_factory, demo_folder):
    """The demo case with an operation note for an encounter billed two stents that records one, the
    case's phrase 药物洗脱支架 for the stent, screened."""
    import uuid

    from feijian.casework.case_terms import add_item_term
    from feijian.casework.importing import import_folder
    from feijian.casework.screening import screen_case
    from feijian.domain.records import CaseInfo
    from feijian.gui.session import Session

    fees = pd.read_csv(next(demo_folder.glob("费用明细.csv")), dtype=str, encoding="gb18030")
    two = fees[(fees["医保目录编码"] == STENT) & (fees["数量"].astype(float) >= 2)].iloc[0]
    mdtrt, day = two["就诊ID"], two["费用发生时间"][:10]
    docs = tmp_path_factory.mktemp("docs")
    with open(docs / "病历文书.csv", "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["文书ID", "就诊ID", "文书类型", "记录时间", "标题", "内容"])
        w.writerow(["T-1", mdtrt, "入院记录", f"{day} 08:00", "入院记录", "患者因胸痛入院。"])
        w.writerow(["T-2", mdtrt, "手术记录", f"{day} 11:30", "PCI 手术记录",
                    "手术名称：经皮冠状动脉介入治疗。\n术中于右冠状动脉植入药物洗脱支架一枚，\n"
                    "前降支因血管迂曲取消支架植入。\n术程顺利，患者安返病房。"])
        w.writerow(["T-3", mdtrt, "护理记录", f"{day} 18:00", "护理记录", "一级护理。穿刺点无渗血。"])
    # the demo's own documents left out: this encounter's record is the one written here
    import shutil

    data = tmp_path_factory.mktemp("nodocs") / "data"
    shutil.copytree(demo_folder, data, ignore=shutil.ignore_patterns("病历文书*"))
    home = tmp_path_factory.mktemp("documents") / "home"
    session = Session(home)
    session.identity = session.identities.create("周检查", "YB-9", "inspector", "screened-passphrase", fast=True)
    path = session.create_case(CaseInfo(str(uuid.uuid4()), "文书案件", "H1", "演示市第一人民医院", "3"))
    store = session.open_case(path)
    import_folder(store, data)
    import_folder(store, docs)
    add_item_term(store, STENT, "药物洗脱支架", doc_types=["operation"])
    screen_case(store)
    store.close()
    return home, mdtrt


@pytest.fixture()
def record(qtbot, tmp_path, documents_home):
    import shutil

    from feijian.gui.main_window import Workbench

    source, mdtrt = documents_home
    home = tmp_path / "home"
    shutil.copytree(source, home)
    wb = Workbench(home)
    qtbot.addWidget(wb)
    wb.session.identity = wb.session.identities.unlock("screened-passphrase")
    window = wb.open_case(wb.session.case_files()[0])
    yield window, mdtrt
    if window in wb.case_windows:
        window.close()
    wb.shutdown()


def _open_r26(window, mdtrt):
    hits = window.ctx.hits()
    hit = hits[(hits["rule_code"].astype(str) == "R26") & (hits["mdtrt_id"].astype(str) == mdtrt)]
    assert len(hit) == 1, "the planted R26 hit"
    window.ctx.open_record.emit(mdtrt, str(hit["hit_id"].iat[0]))
    return window.pages["record"].documents, str(hit["detail"].iat[0])


def test_r26_hit_opens_the_operation_note_with_mention_count_and_clause_marked(record):
    from feijian.gui.widgets.document_panel import STYLE_CLAUSE, STYLE_COUNT, STYLE_MENTION

    window, mdtrt = record
    panel, detail = _open_r26(window, mdtrt)
    assert "「术中于右冠状动脉植入药物洗脱支架一枚」" in detail
    assert [d.doc_id for d in panel.docs] == ["T-1", "T-2", "T-3"]
    assert panel.item.currentData() == STENT  # the hit's item is selected
    assert panel.tree.currentItem().data(0, 0x0100) == "T-2"  # the operation note is open
    assert "植入药物洗脱支架一枚" in panel.text.toPlainText()
    html = panel.text.toHtml()  # Qt rewrites the styles it keeps: the colours are there
    assert "#ffe082" in html and "#ffcdd2" in html
    from feijian.gui.widgets.document_panel import document_html
    from feijian.casework.record_documents import marks

    doc = panel.document("T-2")
    source = document_html(doc, marks(doc, panel.reading), panel._deciding[1])
    assert f'<span style="{STYLE_CLAUSE};{STYLE_MENTION}">药物洗脱支架</span>' in source
    assert f'<span style="{STYLE_CLAUSE};{STYLE_COUNT}">一</span>' in source
    assert "#c62828" in html  # the count's colour reached the browser
    assert "提及 1 处" in panel.summary.text()


def test_a_phrase_added_in_the_view_is_an_event_undone_and_used_by_the_next_screening(record, qtbot):
    from feijian.casework.case_terms import case_terms
    from feijian.gui.tasks import wait_for
    from feijian.gui.widgets.document_panel import STYLE_NEGATED

    window, mdtrt = record
    panel, _ = _open_r26(window, mdtrt)
    assert panel.add_term("冠状动脉")
    assert [t.term for t in case_terms(window.ctx.store.state())] == ["药物洗脱支架", "冠状动脉"]
    doc = panel.document("T-2")
    from feijian.casework.record_documents import marks
    from feijian.gui.widgets.document_panel import document_html

    assert "冠状动脉" in panel.summary.text()
    assert STYLE_NEGATED in document_html(doc, marks(doc, panel.reading))  # the kb's 支架 after 取消 is negated
    window.ctx.undo_stack.undo()
    assert [t.term for t in case_terms(window.ctx.store.state())] == ["药物洗脱支架"]
    assert "冠状动脉" not in panel.summary.text()
    window.ctx.undo_stack.redo()
    before = window.ctx.store.latest_run()
    wait_for(panel.rescreen(), 300)
    after = window.ctx.store.latest_run()
    assert after.run_id != before.run_id and after.kb_hash != before.kb_hash  # the run names the new phrase
    panel, detail = _open_r26(window, mdtrt)  # still billed 2 against 1 recorded
    assert "记载 1 个" in detail


def test_an_item_without_terms_gets_similar_clauses_and_a_click_opens_the_clause(record):
    window, mdtrt = record
    panel, _ = _open_r26(window, mdtrt)
    bed = [panel.item.itemData(i) for i in range(panel.item.count()) if "床位费" in panel.item.itemText(i)]
    assert bed, "the encounter bills a bed"
    panel.item.setCurrentIndex(panel.item.findData(bed[0]))
    assert "没有该项目的文书用语" in panel.summary.text()  # the knowledge base has no terms for the bed
    assert panel.similar.count() and "病房" in panel.similar.item(0).text()  # 患者安返病房
    assert "没有该项目用语的提及" in panel.similar_label.text()
    panel._similar_chosen(panel.similar.item(0))
    assert panel._current_doc == "T-2"


def test_an_encounter_without_documents_says_so(record):
    window, mdtrt = record
    hits = window.ctx.hits()
    other = hits[hits["mdtrt_id"].astype(str) != mdtrt].iloc[0]
    window.ctx.open_record.emit(str(other["mdtrt_id"]), str(other["hit_id"]))
    panel = window.pages["record"].documents
    assert not panel.docs and not panel.empty.isHidden() and not panel.add_term_button.isEnabled()
