"""PySide6 6.12 on CPython 3.11 returns None/True/False without a reference; importing feijian.gui must keep
a long session (many thousands of Qt calls and signal emissions) from aborting the interpreter."""

import subprocess
import sys

import pytest

LOOP = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
{prelude}
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
class S(QObject):
    changed = Signal(int)
s = S()
s.changed.connect(lambda v: None)
label = QLabel()
before = sys.getrefcount(None), sys.getrefcount(True)
for i in range({n}):
    label.setText("x")      # returns None
    s.changed.emit(i)       # returns True
    app.processEvents()     # returns None
print("alive", before, (sys.getrefcount(None), sys.getrefcount(True)))
"""


def _run(prelude: str, n: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", LOOP.format(prelude=prelude, n=n)], capture_output=True, text=True,
                          timeout=120)


def test_a_long_session_survives_after_importing_the_workbench():
    result = _run("import feijian.gui", 30_000)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "alive" in result.stdout


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None/True/False are immortal on CPython 3.12+")
def test_the_guard_pins_the_singletons():
    from feijian.gui.pyside_refcounts import BOOST, pin_singletons

    assert pin_singletons()
    assert sys.getrefcount(None) > BOOST // 2 and sys.getrefcount(True) > BOOST // 2
    assert sys.getrefcount(False) > BOOST // 2
