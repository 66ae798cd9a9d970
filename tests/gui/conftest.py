"""GUI tests run offscreen with the bundled (or system) CJK font and settings isolated per test."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def qapp_args():
    return ["feijian-tests"]


@pytest.fixture(scope="session", autouse=True)
def _workbench_app(qapp):
    from feijian.gui.app import create_application

    create_application()
    return qapp


@pytest.fixture()
def runner(qapp):
    """A TaskRunner on its own thread pool, drained after the test so no work outlives it."""
    from PySide6.QtCore import QThreadPool

    from feijian.gui.tasks import TaskRunner

    pool = QThreadPool()
    pool.setMaxThreadCount(2)
    r = TaskRunner(pool=pool)
    yield r
    r.cancel_all()
    pool.waitForDone(30_000)


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory):
    """The demo hospital's extracts at a small scale, generated once for the GUI tests."""
    from feijian import demodata

    out = tmp_path_factory.mktemp("demo") / "data"
    demodata.generate(out, scale=0.05)
    return out


@pytest.fixture(scope="session")
def screened_home(tmp_path_factory, demo_folder):
    """A data folder with an identity and one demo case, imported and screened through the library."""
    import uuid

    from feijian.casework.importing import import_folder
    from feijian.casework.screening import screen_case
    from feijian.domain.records import CaseInfo
    from feijian.gui.session import Session

    home = tmp_path_factory.mktemp("screened") / "home"
    session = Session(home)
    session.identity = session.identities.create("周检查", "YB-9", "inspector", "screened-passphrase", fast=True)
    path = session.create_case(CaseInfo(str(uuid.uuid4()), "演示案件", "H1", "演示市第一人民医院", "3"))
    store = session.open_case(path)
    import_folder(store, demo_folder)
    screen_case(store)
    store.close()
    return home


@pytest.fixture()
def case_window(qtbot, tmp_path, screened_home):
    """A case window on a private copy of the screened demo case."""
    import shutil

    from feijian.gui.main_window import Workbench

    home = tmp_path / "home"
    shutil.copytree(screened_home, home)
    wb = Workbench(home)
    qtbot.addWidget(wb)
    wb.session.identity = wb.session.identities.unlock("screened-passphrase")
    window = wb.open_case(wb.session.case_files()[0])
    yield window
    if window in wb.case_windows:
        window.close()
    wb.shutdown()


def pytest_terminal_summary(terminalreporter):
    """The keyboard walkthrough's counts (test_gui_keyboard_walkthrough), shown without ``-s``."""
    for report in terminalreporter.stats.get("passed", []):
        text = dict(getattr(report, "user_properties", ())).get("walkthrough")
        if text:
            terminalreporter.write_sep("-", "keyboard walkthrough")
            terminalreporter.write_line(text)


@pytest.fixture()
def no_dialogs(monkeypatch):
    """Message boxes would block offscreen: record them instead (a test fails if an error was shown)."""
    from feijian.gui import dialogs

    shown = []
    monkeypatch.setattr(dialogs, "error", lambda parent, title, text: shown.append((title, text)))
    monkeypatch.setattr(dialogs, "info", lambda parent, title, text: shown.append((title, text)))
    return shown
