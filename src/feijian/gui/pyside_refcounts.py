"""A guard against a reference-count bug of the installed PySide6 on CPython < 3.12.

PySide6 6.12's wheels (abi3) return ``None``, ``True`` and ``False`` from C++ calls without a new reference:
every ``setText``, ``processEvents``, ``QTimer.start`` (returns None) and every ``Signal.emit`` (returns
True) then lowers that object's reference count by one. CPython 3.12+ makes these objects immortal, so
nothing happens there; on 3.11 the count reaches zero after a few thousand calls and the interpreter aborts
("Fatal Python error: none_dealloc" / "bool_dealloc") — measured: the workbench died during a scale-100
import and screening, a plain loop of 5,000 ``QLabel.setText`` calls aborts.

:func:`pin_singletons` does what CPython 3.12 does: it raises the counts of these singletons so far
(2**40) that no number of calls can bring them to zero. It is applied when ``feijian.gui`` is imported, before
any PySide6 call. Remove it when the project requires Python 3.12 or a fixed PySide6.
"""

from __future__ import annotations

import ctypes
import sys

BOOST = 1 << 40
SINGLETONS = (None, True, False, Ellipsis, NotImplemented)
_pinned = False


def pin_singletons() -> bool:
    """Make the singletons practically immortal on CPython < 3.12; True when done (now or before)."""
    global _pinned
    if _pinned:
        return True
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    for obj in SINGLETONS:
        before = sys.getrefcount(obj)
        cell = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt: the first field of every object
        if cell.value < before - 8 or cell.value > before + 8:  # not the layout expected: leave it alone
            return False
        cell.value += BOOST
    _pinned = True
    return True
