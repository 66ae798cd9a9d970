"""The 分析 page on the screened demo case: analyses from the form and a query from the editor show the
library's result (cells as formatting.py writes them, same row count and hash), a forbidden statement shows
the gate's reason and runs nothing, cancel stops a long query without logging it, a rerun from the history
gives the logged hash, and CSV leaves the case only when asked."""

import csv

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from feijian.casework.analysis_guard import QueryRefused, check_select
from feijian.casework.analysis_log import history
from feijian.casework.analysis_query import run_analysis, run_query
from feijian.domain import formatting
from feijian.domain.errors import Cancelled
from feijian.gui import dialogs
from feijian.gui.tasks import wait_for


@pytest.fixture()
def page(case_window, no_dialogs):
    case_window.show()
    p = case_window.show_page("analysis")
    yield p
    assert not no_dialogs, no_dialogs


def _done(task, timeout=120.0):
    assert task is not None
    wait_for(task, timeout)
    assert task.error is None, task.error


def _cells(page, column_key):
    m = page.model
    c = m.column_of(column_key)
    assert c >= 0, column_key
    return [m.data(m.index(r, c), Qt.ItemDataRole.DisplayRole) for r in range(m.rowCount())]


def test_field_statistics_from_the_form_show_the_library_result(page):
    store = page.ctx.store
    page.select_analysis("stats", "fees")
    params = page.params()
    assert params == {"table": "fees", "field": "det_item_fee_sumamt", "top": 10}  # the suggested defaults
    before = len(history(store))
    _done(page.run_form())
    expected = run_analysis(store, "stats", params, log=False)
    assert page.result.sha256 == expected.sha256 and page.result.rows == expected.rows
    s = expected.summary
    shown = dict(zip(_cells(page, "statistic"), _cells(page, "value")))
    assert shown["总行数"] == formatting.count(s["rows"]) and shown["空值"] == formatting.count(s["nulls"])
    assert shown["合计"] == formatting.amount(s["sum"]) and shown["最大值"] == formatting.amount(s["max"])
    assert shown["中位数"] == formatting.amount(s["p50"])
    counts = [c for c in _cells(page, "count") if c]
    assert counts == [formatting.count(n) for _v, n in s["top"]]
    # logged once, and the history lists it first
    runs = history(store)
    assert len(runs) == before + 1 and runs[-1].kind == "stats" and runs[-1].sha256 == expected.sha256
    assert page.history_model.value(0, "event_id") == runs[-1].event_id
    assert page.charts.isVisible() and len(page.bar_chart.items) == len(s["top"])


def test_a_query_from_the_editor_shows_the_library_rows(page, qtbot):
    store = page.ctx.store
    sql = ("SELECT bilg_dept_codg, count(*) AS n, sum(det_item_fee_sumamt) AS total FROM fees "
           "GROUP BY bilg_dept_codg ORDER BY total DESC, bilg_dept_codg")
    page.tabs.setCurrentIndex(1)
    page.editor.setPlainText(sql)
    page.editor.setFocus()
    qtbot.keyClick(page.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter runs
    _done(page.task)
    expected = run_query(store, sql, log=False)
    assert page.result.sha256 == expected.sha256 and page.model.rowCount() == expected.rows > 1
    assert _cells(page, "bilg_dept_codg") == expected.table.column("bilg_dept_codg").to_pylist()
    assert _cells(page, "n") == [formatting.count(n) for n in expected.table.column("n").to_pylist()]
    assert _cells(page, "total") == [formatting.amount(v) for v in expected.table.column("total").to_pylist()]
    assert not page.charts.isVisible()
    assert history(store)[-1].request["sql"] == check_select(sql)


def test_identity_numbers_in_a_query_are_masked_on_screen(page):
    page.tabs.setCurrentIndex(1)
    page.editor.setPlainText("SELECT mdtrt_id, certno FROM visits ORDER BY mdtrt_id LIMIT 5")
    _done(page.run_sql())
    raw = page.result.table.column("certno").to_pylist()
    shown = _cells(page, "certno")
    assert len(shown) == 5 and all(s != r and s[:6] == r[:6] and "*" in s for s, r in zip(shown, raw) if r)
    times = [page.history_model.data(page.history_model.index(0, 0), Qt.ItemDataRole.DisplayRole)]
    assert all("T" not in t and len(t) == 16 for t in times)  # 2026-12-07 09:38, local time


@pytest.mark.parametrize("sql", ["DELETE FROM fees", "ATTACH 'x.db' AS x", "SELECT * FROM read_csv('/etc/passwd')",
                                 "COPY fees TO '/tmp/fees.csv'", "SELECT 1; SELECT 2"])
def test_a_forbidden_statement_shows_the_refusal_and_runs_nothing(page, sql):
    store = page.ctx.store
    before = len(store.events())
    page.tabs.setCurrentIndex(1)
    page.editor.setPlainText(sql)
    assert page.run_current() is None and page.task is None
    with pytest.raises(QueryRefused) as refused:
        check_select(sql)
    assert page.message.isVisible() and page.message.text() == str(refused.value)
    assert len(store.events()) == before


def test_cancel_stops_a_long_query_and_logs_nothing(page, qtbot):
    store = page.ctx.store
    before = len(history(store))
    page.tabs.setCurrentIndex(1)
    page.editor.setPlainText("SELECT sum(a.range * b.range) FROM range(200000) a, range(200000) b")
    task = page.run_sql()
    qtbot.wait(400)
    assert not task.done.is_set()
    button = task.progress_dialog.findChild(QPushButton)
    assert button.text() == "取消"
    button.click()
    wait_for(task, 60)
    assert isinstance(task.error, Cancelled)
    assert page.message.isVisible() and "取消" in page.message.text()
    assert len(history(store)) == before


def test_a_rerun_from_the_history_gives_the_logged_hash(page):
    page.select_analysis("benford", "fees")
    _done(page.run_form())
    first = history(page.ctx.store)[-1]
    s = page.result.summary
    assert first.kind == "benford" and page.charts.currentWidget() is page.benford_chart
    assert page.benford_chart.digits == list(range(1, 10))
    assert "MAD = " + formatting.quantity(s["mad"], places=4) in page.summary.text()
    page.tabs.setCurrentIndex(2)
    # the command log as a person reads it: the analysis, the table and each parameter named; the machine
    # form (as the CLI would take it) in the cell's tooltip
    hm = page.history_model
    cell = hm.index(0, hm.column_of("text"))
    assert hm.data(cell, Qt.ItemDataRole.DisplayRole) == \
        "本福特检验：费用明细 fees；金额字段 det_item_fee_sumamt（明细项目费用总额）；检验 首位数字"
    assert hm.data(cell, Qt.ItemDataRole.ToolTipRole) == first.text == \
        "benford(digits=1, field=det_item_fee_sumamt, table=fees)"
    page.history_view.selectRow(0)
    _done(page.rerun_selected())
    runs = history(page.ctx.store)
    assert runs[-1].sha256 == first.sha256 == page.result.sha256 and len(runs) == len(history(page.ctx.store))
    assert "一致" in page.summary.text()
    # 载入 puts the logged parameters back into the form
    page.kind.setCurrentIndex(0)
    page.history_view.selectRow(0)
    page.load_selected()
    assert page.kind.currentData() == "benford" and page.params() == {**first.request}


def test_benford_minimum_amount_from_the_form_round_trips_through_the_log(page):
    """The form's 最小金额 (the CLI's --min-value): blank is the library's default, a typed amount reaches the
    library and the log, 载入到表单 puts it back, and a bad amount is refused before anything runs."""
    store = page.ctx.store
    page.select_analysis("benford", "fees")
    assert "min_value" not in page.params()  # blank: benford.toml's 10
    page.set_param("min_value", "1,000")
    params = page.params()
    assert params == {"table": "fees", "field": "det_item_fee_sumamt", "digits": 1, "min_value": "1000"}
    _done(page.run_form())
    expected = run_analysis(store, "benford", params, log=False)
    default = run_analysis(store, "benford", {k: v for k, v in params.items() if k != "min_value"}, log=False)
    assert page.result.sha256 == expected.sha256 != default.sha256
    assert page.result.summary["min_value"] == "1000" and default.summary["min_value"] == "10"
    logged = history(store)[-1]
    assert logged.request["min_value"] == "1000"
    hm = page.history_model
    assert hm.data(hm.index(0, hm.column_of("text")), Qt.ItemDataRole.DisplayRole).endswith("；最小金额 1000")
    # 载入到表单 after the form was changed brings the amount back
    page.set_param("min_value", "")
    page.select_analysis("stats", "fees")
    page.tabs.setCurrentIndex(2)
    page.history_view.selectRow(0)
    page.load_selected()
    assert page.kind.currentData() == "benford" and page.params() == logged.request
    before = len(store.events())
    for bad in ("abc", "0", "-5"):
        page.set_param("min_value", bad)
        assert page.run_form() is None and page.task is None or page.task.done.is_set()
        assert page.message.isVisible() and "最小金额" in page.message.text()
    assert len(store.events()) == before


def test_stratify_with_own_edges_and_csv_only_on_request(page, tmp_path, monkeypatch):
    page.select_analysis("stratify", "fees")
    page.set_param("edges", "0, 100，500 1000")
    params = page.params()
    assert params["edges"] == ["0", "100", "500", "1000"] and "bands" not in params
    _done(page.run_form())
    expected = run_analysis(page.ctx.store, "stratify", params, log=False)
    assert page.result.sha256 == expected.sha256
    bands = _cells(page, "band")
    assert "[0, 100)" in bands and "[500, 1000]" in bands
    assert _cells(page, "count") == [formatting.count(n) for n in expected.table.column("count").to_pylist()]
    assert [b for b, _v, _t in page.columns_chart.items] == bands
    # the file dialog cancelled: nothing written
    monkeypatch.setattr(dialogs, "save_file", lambda *a, **k: None)
    assert page.export_csv() is None and not list(tmp_path.rglob("*.csv"))
    out = tmp_path / "分层.csv"
    _done(page.export_csv(out))
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == expected.table.column_names and len(rows) == expected.rows + 1
    assert [r[3] for r in rows[1:]] == [str(n) for n in expected.table.column("count").to_pylist()]


def test_a_bad_parameter_is_a_clear_message(page):
    page.select_analysis("stratify", "fees")
    page.set_param("edges", "0, 100, abc")
    assert page.run_form() is None and "abc" in page.message.text()
    page.set_param("edges", "500, 100")
    _done_failed = page.run_form()
    wait_for(_done_failed, 60)
    assert page.message.isVisible() and "递增" in page.message.text()


def test_a_truncated_query_result_becomes_a_findings_evidence_whole(page, monkeypatch):
    """Only the first rows of a query are kept for the screen; put in evidence, it is run again whole and the
    vault holds every row with the run's hash."""
    from feijian.casework.analysis_evidence import result_evidence
    from feijian.casework.analysis_export import result_csv
    from feijian.casework.findings import create_finding
    from feijian.gui.pages import analysis_page

    store = page.ctx.store
    finding = create_finding(store, title="重复收费", amount="90", article=38, category="重复收费")
    page.ctx.decisions_changed.emit()
    assert page.finding.findData(finding.finding_id) >= 0
    monkeypatch.setattr(analysis_page, "KEEP_ROWS", 50)
    sql = "SELECT feedetl_sn, mdtrt_id, det_item_fee_sumamt FROM fees ORDER BY ALL"  # a total order: the hash is of the rows in order
    page.tabs.setCurrentIndex(1)
    page.editor.setPlainText(sql)
    _done(page.run_sql())
    assert page.result.truncated and page.result.table.num_rows == 50
    page.finding.setCurrentIndex(page.finding.findData(finding.finding_id))
    assert page.attach_button.isEnabled()
    _done(page.attach_to_finding())
    (record,) = result_evidence(store)
    whole = run_query(store, sql, limit=10**9, log=False)
    assert record.finding_id == finding.finding_id and record.rows == whole.rows > 50
    assert record.sha256 == whole.sha256 == page.result.sha256
    import hashlib

    assert record.csv_sha256 == hashlib.sha256(result_csv(whole.table)).hexdigest()
    assert "证据" in page.message.text() and page.model.rowCount() == 50  # the shown result stays


def test_a_long_result_is_paged(page):
    from feijian.gui.pages.analysis_page import PAGE_ROWS

    sql = "SELECT feedetl_sn, det_item_fee_sumamt FROM fees ORDER BY ALL LIMIT 2500"
    page.tabs.setCurrentIndex(1)
    page.editor.setPlainText(sql)
    _done(page.run_sql())
    assert PAGE_ROWS == 1000 and page.page.maximum() == 3 and page.model.rowCount() == 1000
    expected = run_query(page.ctx.store, sql, limit=10_000, log=False).table
    page.page.setValue(3)
    assert page.model.rowCount() == 500
    assert _cells(page, "feedetl_sn") == expected.column("feedetl_sn").to_pylist()[2000:]


KIND_CASES = [("stats", "fees", {"field": "fee_ocur_time"}), ("stats", "visits", {"field": "age"}),
              ("stratify", "fees", {}), ("gaps", "fees", {}), ("key_duplicates", "fees", {}),
              ("duplicates", "fees", {}), ("benford", "settlements", {"digits": 2}),
              ("top", "fees", {"order": "count", "value": ""}), ("crosstab", "fees", {"value": "det_item_fee_sumamt"})]


@pytest.mark.parametrize("kind,table,params", KIND_CASES)
def test_every_analysis_shows_no_raw_form(page, kind, table, params):
    """Each analysis with its suggested fields (and a few others) runs, and nothing on the page shows None,
    NaN, ISO times, float artefacts or exponents (the issue-18 check of every other page)."""
    from test_gui_screen_text import raw_forms, visible_texts

    page.select_analysis(kind, table)
    for key, value in params.items():
        page.set_param(key, value)
    _done(page.run_form())
    expected = run_analysis(page.ctx.store, kind, page.params(), log=False)
    assert page.result.sha256 == expected.sha256 and page.model.rowCount() == min(expected.rows, 1000)
    found = raw_forms(visible_texts(page, kind))
    assert not found, found[:10]


def test_fields_are_listed_with_the_chinese_header_they_are_known_by():
    from feijian.domain.contract import load_contract
    from feijian.gui.pages.analysis_page import field_label

    spec = next(f for f in load_contract().table("fees").fields if f.name == "det_item_fee_sumamt")
    assert field_label("fees", "det_item_fee_sumamt") == f"det_item_fee_sumamt（{spec.aliases[0]}）"
    assert field_label("fees", "no_such_field") == "no_such_field"


def test_the_multi_field_picker_lists_fields_with_their_chinese_headers(qtbot):
    """Like the single pickers: the menu and the button read det_item_fee_sumamt（明细项目费用总额）."""
    from feijian.gui.pages.analysis_page import FieldsPicker, field_label

    picker = FieldsPicker(["med_list_codg", "det_item_fee_sumamt"], ["det_item_fee_sumamt"], table="fees")
    qtbot.addWidget(picker)
    menu = [a.text() for a in picker.menu().actions()]
    assert menu == [field_label("fees", "med_list_codg"), field_label("fees", "det_item_fee_sumamt")]
    assert all("（" in t for t in menu)
    assert picker.text() == field_label("fees", "det_item_fee_sumamt") and picker.selected() == ["det_item_fee_sumamt"]
    picker.set_selected(["med_list_codg", "det_item_fee_sumamt"])
    assert picker.text() == "、".join(menu)
