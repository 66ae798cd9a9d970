"""Issue 18, first start: the first run offers the demo case and a new case side by side, each page that is
still empty says in one line what to do next, and the hints go away once the page has data."""

import uuid

import pytest
from PySide6.QtCore import Qt

from feijian.domain.records import CaseInfo
from feijian.gui.case_window import PAGES
from feijian.gui.main_window import Workbench


@pytest.fixture()
def workbench(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    wb = Workbench(tmp_path / "home")
    qtbot.addWidget(wb)
    wb.session.identity = wb.session.identities.create("李检查", "YB-1", "inspector", "first-hour-pass", fast=True)
    yield wb
    for w in list(wb.case_windows):
        w.close()
    wb.shutdown()


def test_first_start_offers_the_demo_and_a_new_case_side_by_side(workbench, qtbot):
    from feijian.gui.cases_home import CasesHome

    home = CasesHome(workbench.session)  # not wired to the workbench: the wizard would block the test
    qtbot.addWidget(home)
    home.resize(1100, 650)
    home.show()
    home.refresh()
    qtbot.waitExposed(home)
    demo, new = home.welcome_demo, home.welcome_new
    assert home.welcome.isVisible() and not home.view.isVisible()
    assert demo.isVisible() and new.isVisible()
    assert (demo.text(), new.text()) == ("打开演示案件", "新建案件")
    a, b = demo.mapTo(home, demo.rect().topLeft()), new.mapTo(home, new.rect().topLeft())
    assert a.y() == b.y() and a.x() + demo.width() <= b.x()  # side by side, the demo first
    with qtbot.waitSignal(home.demo_requested, timeout=1000):
        qtbot.mouseClick(demo, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(home.new_requested, timeout=1000):
        new.click()
    # with a case in the data folder the list is shown instead
    workbench.session.create_case(CaseInfo(str(uuid.uuid4()), "某案件", "H1", "某医院", "2"))
    home.refresh()
    assert not home.welcome.isVisible() and home.view.isVisible() and home.model.rowCount() == 1


def _hints(window, qtbot):
    shown = {}
    for key, _title in PAGES:
        page = window.show_page(key)
        qtbot.wait(10)
        hint = getattr(page, "hint", None)
        assert hint is not None, key
        shown[key] = hint.text() if hint.isVisible() else ""
    return shown


def test_every_empty_page_says_what_to_do_next(workbench, qtbot):
    wb = workbench
    path = wb.session.create_case(CaseInfo(str(uuid.uuid4()), "空案件", "H1", "某医院", "2"))
    window = wb.open_case(path)
    qtbot.waitExposed(window)
    hints = _hints(window, qtbot)
    assert all(hints.values()), {k: v for k, v in hints.items() if not v}
    for key, text in hints.items():
        assert "\n" not in text and " — " in text and len(text) <= 60, (key, text)  # one line: state — next step
    assert "导入数据文件夹" in hints["data"] and "Ctrl+2" in hints["overview"]
    assert "Ctrl+R" in hints["hits"] and "Enter" in hints["record"]
    assert "添加文件" in hints["evidence"] and "生成 PDF" in hints["documents"]


def test_hints_follow_the_work(case_window, qtbot):
    """The screened demo case: data, hits, overview, findings and evidence have something, so no hint; the
    record view asks for a hit until one is opened."""
    window = case_window
    window.show()
    hints = _hints(window, qtbot)
    assert not hints["data"] and not hints["hits"] and not hints["overview"]
    assert hints["record"] and hints["documents"]
    hits = window.ctx.hits()
    window.ctx.open_record.emit(str(hits["mdtrt_id"].iat[0]), str(hits["hit_id"].iat[0]))
    assert not window.pages["record"].hint.isVisible()


def test_ctrl_r_runs_every_rule_once_data_are_there(case_window, qtbot):
    from feijian.gui.tasks import wait_for

    window = case_window
    window.show()
    before = window.ctx.store.latest_run()
    assert window.screen_action.shortcut().toString() == "Ctrl+R"
    task = window.run_screening()
    wait_for(task, 120)
    assert task.error is None
    after = window.ctx.store.latest_run()
    assert after is not None and after.run_id != before.run_id
