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
