"""The progress and cancel protocol every long library function takes.

``progress(done, total, message)`` reports work done (``total`` may be 0 when unknown);
``cancelled()`` returns True once the user asked to stop, and the function then raises
:class:`feijian.domain.errors.Cancelled` after undoing its partial work.
"""

from __future__ import annotations

from typing import Callable, Optional

from feijian.domain.errors import Cancelled

ProgressFn = Callable[[int, int, str], None]
CancelledFn = Callable[[], bool]


def report(progress: Optional[ProgressFn], done: int, total: int, message: str = "") -> None:
    if progress is not None:
        progress(done, total, message)


def check_cancelled(cancelled: Optional[CancelledFn]) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled()
