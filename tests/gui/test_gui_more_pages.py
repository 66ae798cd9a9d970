"""The pages the main flow does not drive: evidence by drag and drop, the 文书 page's real PDF, the 同步 page's
real signed packages (export, verify, merge), the data page's chunked table browser, and the hits page's
exact totals, search and groups."""

import hashlib
import io
import shutil
import subprocess
import uuid
import warnings
from decimal import Decimal

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from feijian.gui import dialogs
from feijian.gui.tasks import wait_for


def _wait(task, timeout=120.0):
    wait_for(task, timeout)
    assert task.error is None, task.error


# --- 证据: drag and drop ---------------------------------------------------------------------------------
def _drag_enter(widget, mime):
    with warnings.catch_warnings():  # PySide marks the QPoint constructor deprecated; Qt 6.12 has no other
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(widget.rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    QApplication.sendEvent(widget, enter)
    return enter


def _drop(widget, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QPointF(widget.rect().center())
    enter = _drag_enter(widget, mime)
    assert enter.isAccepted()
    drop = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return drop


def test_files_dropped_on_the_evidence_page_enter_the_case_hashed(case_window, tmp_path, no_dialogs):
    page = case_window.show_page("evidence")
    before = len(case_window.ctx.store.evidence_items())
    photo = tmp_path / "现场照片.png"
    from PySide6.QtGui import QColor, QImage

    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#c03030"))
    assert image.save(str(photo))
    note = tmp_path / "说明.txt"
    note.write_text("病历记录与收费不一致", encoding="utf-8")
    (tmp_path / "a-folder").mkdir()  # folders are not evidence: left out
    drop = _drop(page, [photo, note, tmp_path / "a-folder"])
    assert drop.isAccepted()
    task = page.window().ctx.runner.running()[0] if page.window().ctx.runner.running() else None
    if task is not None:
        _wait(task)
    QApplication.processEvents()
    items = case_window.ctx.store.evidence_items()
    assert len(items) == before + 2
    added = {i.original_name: i for i in items[before:]}
    assert added["现场照片.png"].sha256 == hashlib.sha256(photo.read_bytes()).hexdigest()
    assert added["说明.txt"].sha256 == hashlib.sha256(note.read_bytes()).hexdigest()
    assert case_window.ctx.store.read_evidence(added["说明.txt"].evidence_id) == note.read_bytes()
    # the page lists them; the preview shows the image and the hash
    assert page.model.rowCount() == before + 2
    row = next(r for r in range(page.model.rowCount()) if page.model.value(r, "original_name") == "现场照片.png")
    page.table.selectRow(row)
    assert added["现场照片.png"].sha256 in page.hash_label.text()
    assert page.image.pixmap() is not None and not page.image.pixmap().isNull()
    assert not no_dialogs


def test_a_drag_without_files_is_refused(case_window):
    page = case_window.show_page("evidence")
    mime = QMimeData()
    mime.setText("不是文件")
    assert not _drag_enter(page, mime).isAccepted()


# --- 文书: a real PDF ------------------------------------------------------------------------------------
def test_documents_page_renders_a_real_pdf_and_lists_it(case_window, tmp_path, no_dialogs):
    page = case_window.show_page("documents")
    page.open_after.setChecked(False)
    keys = [page.docs.item(i).data(Qt.ItemDataRole.UserRole) for i in range(page.docs.count())]
    assert "hit-list" in keys
    out = tmp_path / "疑点清单.pdf"
    _wait(page.render("hit-list", out))
    QApplication.processEvents()
    assert not no_dialogs
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "疑点" in text
    hits = case_window.ctx.hits()
    assert str(hits["mdtrt_id"].iat[0]) in text.replace("\n", "") or str(hits["hit_id"].iat[0])[:8] in text
    if shutil.which("pdftotext"):
        plain = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, check=True).stdout
        assert "疑点".encode() in plain
    # the issued document is recorded in the case with its hash, and the page lists it
    assert page.model.rowCount() == 1
    assert page.model.value(0, "sha256") == hashlib.sha256(data).hexdigest()
    assert page.last_issued is not None


# --- 同步: real signed packages ---------------------------------------------------------------------------
def test_sync_page_verifies_merges_and_exports_real_packages(qtbot, tmp_path, no_dialogs):
    from feijian.crypto.identity import create_identity
    from feijian.crypto.trust import BureauKeys, TrustList
    from feijian.domain.records import CaseInfo, TeamMember
    from feijian.gui.main_window import Workbench
    from feijian.store.case_keys import keys_path
    from feijian.store.case_store import CaseStore
    from feijian.sync import export_package, verify_package

    wb = Workbench(tmp_path / "home")
    qtbot.addWidget(wb)
    lead = wb.session.identities.create("组长", "L001", "lead", "lead-passphrase", fast=True)
    wb.session.identity = lead
    inspector = create_identity("检查员", "I001")
    bureau = BureauKeys.generate("测试医保局")
    trust = TrustList(bureau=bureau.public()).add(lead.public).add(inspector.public).sign(bureau)
    wb.session.identities.import_trust(trust)
    info = CaseInfo(case_id=str(uuid.uuid4()), name="同步测试", medins_code="H1", medins_name="测试医院",
                    medins_lv="3", team=(TeamMember("组长", "L001", "lead", lead.key_id),))
    path = wb.session.create_case(info)
    with CaseStore.open(path, lead) as s:
        key = s.data_key
    # the inspector's copy of the case: its own evidence, exported to the lead as a signed, encrypted package
    copy = tmp_path / "inspector.fjcase"
    shutil.copyfile(path, copy)
    shutil.copyfile(keys_path(path), keys_path(copy))
    photo = "现场照片 ".encode() * 500
    with CaseStore.open_with_key(copy, key, inspector) as s:
        s.add_evidence(io.BytesIO(photo), original_name="现场照片.jpg")
        pkg = export_package(s, inspector, to="lead", out=tmp_path / "inspector.fjpkg",
                             lead_public=lead.public.encryption_public,
                             bureau_intake_public=bureau.public().intake_public).path
    window = wb.open_case(path)
    page = window.show_page("sync")

    verdicts = page.verify([pkg])
    assert verdicts[0].ok, verdicts[0].message
    assert page.verdicts.value(0, "result") == "通过"
    bad = tmp_path / "tampered.fjpkg"
    data = bytearray(pkg.read_bytes())
    data[len(data) // 2] ^= 0x01
    bad.write_bytes(bytes(data))
    verdicts = page.verify([pkg, bad])
    assert verdicts[0].ok and not verdicts[1].ok
    assert page.verdicts.value(1, "result") == "不通过" and page.verdicts.value(1, "code")

    _wait(page.merge([pkg]))
    QApplication.processEvents()
    events = window.ctx.store.events()
    merged = [e for e in events if e.type == "package.merged"]
    assert len(merged) == 1 and merged[0].payload["signer"] == inspector.key_id
    added = [e for e in events if e.type == "evidence.added" and e.author == inspector.key_id]
    assert added and added[0].payload["sha256"] == hashlib.sha256(photo).hexdigest()  # the inspector's record

    out = tmp_path / "final.fjpkg"
    _wait(page.export("bureau", out))
    QApplication.processEvents()
    assert not no_dialogs
    assert str(out) in page.message.text()
    verdict = verify_package(out, trust, decrypt_key=bureau.intake_key)
    assert verdict.ok, verdict.message
    assert verdict.manifest["kind"] == "final"
    window.close()
    wb.shutdown()


# --- 数据: the chunked table browser ----------------------------------------------------------------------
def test_table_browser_pages_and_filters_the_fee_table(case_window, no_dialogs):
    from feijian.gui.chunked_table import ChunkedTable

    page = case_window.show_page("data")
    browser = page.browser
    browser.table_combo.setCurrentIndex(browser.table_combo.findData("fees"))
    assert browser.table_combo.currentText().startswith("费用明细 fees（")  # named, not the bare table name
    assert isinstance(browser.source, ChunkedTable)
    fees = case_window.ctx.store.read_table("fees")
    assert browser.source.num_rows == fees.num_rows
    assert browser.model.rowCount() == min(fees.num_rows, 20_000)
    first = browser.model.frame
    assert list(first["feedetl_sn"].astype(str)[:5]) == [str(v) for v in fees["feedetl_sn"][:5].to_pylist()]
    code = str(fees["med_list_codg"][0].as_py())
    browser.column_combo.setCurrentIndex(browser.column_combo.findData("med_list_codg"))
    browser.filter.setText(code.lower())
    browser.apply_filter()
    assert browser.wait_filter(60_000)
    expected = sum(1 for c in fees["med_list_codg"].to_pylist() if c is not None and code.lower() in c.lower())
    assert browser.matches == expected == browser.model.rowCount()
    assert set(browser.model.frame["med_list_codg"].str.lower().str.contains(code.lower())) == {True}
    browser.filter.setText("")  # clearing shows the whole table again
    assert browser.view_table is browser.source
    assert not no_dialogs


def test_table_browser_heads_columns_in_chinese_and_names_codes(case_window, no_dialogs):
    """Issue 18: the browser's headers read 诊断类别 over diag_type, a coded value 1 reads 1 主要诊断."""
    from PySide6.QtCore import Qt

    page = case_window.show_page("data")
    browser = page.browser
    browser.table_combo.setCurrentIndex(browser.table_combo.findData("diagnoses"))
    model = browser.model
    titles = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert "诊断类别\ndiag_type" in titles, titles
    col = model.column_of("diag_type")
    shown = {model.data(model.index(r, col)) for r in range(min(model.rowCount(), 200))}
    assert shown <= {"1 主要诊断", "2 其他诊断"} and shown, shown
    assert not no_dialogs


def test_table_browser_hides_the_internal_columns(case_window, no_dialogs):
    """The inspector sees the documents' contract columns and the source line, not _text_norm, _batch,
    _file_sha256 …, in the grid and in the filter's column list."""
    from PySide6.QtCore import Qt

    page = case_window.show_page("data")
    browser = page.browser
    browser.table_combo.setCurrentIndex(browser.table_combo.findData("emr_docs"))
    stored = browser.source.column_names
    assert {"_batch", "_line", "_text_norm", "_file_sha256"} <= set(stored)  # they are in the case
    model = browser.model
    titles = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert titles and not [t for t in titles if t.startswith("_")], titles
    assert {"doc_id", "mdtrt_id", "text", "源文件行号"} <= {t.splitlines()[-1] for t in titles}  # Chinese header over it
    assert not [c for c in model.frame.columns if c.startswith("_") and c != "_line"]
    combo = [browser.column_combo.itemText(i) for i in range(browser.column_combo.count())]
    assert "text" in combo and not [c for c in combo if c.startswith("_")]
    browser.column_combo.setCurrentIndex(browser.column_combo.findData("_line"))  # the line still filters
    browser.filter.setText(str(model.frame["_line"].iat[0]))
    browser.apply_filter()
    assert browser.wait_filter(60_000) and browser.matches >= 1
    assert not no_dialogs


# --- 疑点: exact totals, search and groups ----------------------------------------------------------------
def test_hits_page_totals_are_exact_and_search_ignores_case(case_window):
    view = case_window.show_page("hits").view
    stored = case_window.ctx.store.hits()
    exact = sum((Decimal(str(a)) for a in stored["amount"] if a is not None), Decimal("0"))
    assert view.exact_amount() == exact
    assert f"{exact:,.2f}" in view.count.text()
    target = str(view.frame["mdtrt_id"].iat[0])
    view.text.setText(target.lower())
    view.apply_filters()
    shown = view.model.shown_frame()
    expected = sum(1 for m, d, r in zip(stored["mdtrt_id"], stored["detail"], view.frame["rule"])
                   if target.lower() in str(m).lower() or target.lower() in str(d).lower())
    assert len(shown) >= expected >= 1
    assert all(target.lower() in " ".join(str(v) for v in row).lower() for row in
               shown[["mdtrt_id", "rule", "detail", "med_list_codg", "dept", "doctor", "hit_id"]].itertuples(index=False))
    view.text.setText("")
    view.apply_filters()
    view.group.setCurrentIndex(view.group.findData("rule"))
    groups = view.group_model.frame
    for label, amount in zip(groups["group"], groups["amount"]):
        rows = view.frame[view.frame["rule"] == label]
        assert Decimal(amount) == sum((Decimal(str(a)) for a in rows["amount"] if a is not None), Decimal("0"))
    assert int(groups["count"].sum()) == len(view.frame)


# --- 数据: what an import refused or noted ----------------------------------------------------------------
def test_data_page_shows_and_exports_what_an_import_refused(case_window, tmp_path, no_dialogs, monkeypatch):
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "fees.csv").write_bytes((
        "feedetl_sn,mdtrt_id,fee_ocur_time,med_list_codg,cnt,pric,det_item_fee_sumamt\n"
        "N1,M-NEW,2024-03-01 08:00,X1,2,1.5,3\n"
        "N2,M-NEW,2024-03-01 08:00,X1,两,1.5,3\n"      # not a number: refused
        "N3,M-NEW,2024-03-02 08:00,X1,2,1.5,4.5\n"     # amount ≠ cnt × pric: imported, noted
    ).encode("gbk"))
    page = case_window.show_page("data")
    _wait(page.start_import(folder))
    QApplication.processEvents()
    assert not no_dialogs
    shown = {page.problem_model.value(r, "kind"): r for r in range(page.problem_model.rowCount())}
    assert set(shown) >= {"refused", "note"}
    refused = shown["refused"]
    assert (page.problem_model.value(refused, "line"), page.problem_model.value(refused, "field"),
            page.problem_model.value(refused, "value")) == (3, "cnt", "两")
    assert "拒收 1 行" in page.problems_label.text()
    monkeypatch.setattr(dialogs, "save_file", lambda *a, **k: tmp_path / "报告.csv")
    page.export_button.click()  # asks where (here: answered by the test), writes there
    out = tmp_path / "报告.csv"
    lines = out.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == "file,line,field,value,reason" and lines[1].startswith("fees.csv,3,cnt,两,") and len(lines) == 2
    # the report stays in the case: reopening the batch later shows the same rows
    batch, n = page.shown_batch, page.problem_model.rowCount()
    page.show_problems(None)
    assert page.problem_model.rowCount() == 0 and not page.export_button.isEnabled()
    page.show_problems(batch)
    assert page.problem_model.rowCount() == n == len(case_window.ctx.store.import_problems(batch)) >= 3
    assert "referential" in shown  # M-NEW has no visit: reported, its lines kept


# --- 问题: the finding's evidence by name ------------------------------------------------------------------
def test_the_finding_editor_names_its_evidence_not_its_identifiers(case_window, tmp_path):
    from feijian.casework.findings import create_finding, link_evidence

    store = case_window.ctx.store
    photo = tmp_path / "手术室登记本.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    item = store.add_evidence(photo)
    finding = create_finding(store, title="多收支架", amount="800")
    link_evidence(store, item.evidence_id, finding.finding_id)
    page = case_window.show_page("findings")
    page.refresh()
    row = next(r for r in range(page.model.rowCount()) if page.model.value(r, "title") == "多收支架")
    page.table.selectRow(row)
    shown = page.evidence.text()
    assert "手术室登记本.jpg" in shown and item.evidence_id not in shown
