"""Work of a screening run done beside the rules: R24–R29 with the loading and reading of the record
documents run in a thread on their own cursor of the run's DuckDB connection while R01–R23 and S01–S04 run
on the connection itself, so the two share the machine's cores (DuckDB alone keeps about 1.4 of 2 busy).

What a cursor shares with its connection: the database's tables, views and macros (each statement commits
by itself). What it does not: registered Arrow views, TEMP tables and Python functions; the worker makes
its own (``engine.Context.on``, the documents loader's ``attach``).

The worker sees a cancel as it would in the run (``cancelled()`` between its steps), and also :meth:`stop`,
which interrupts its statement; its exception, a cancel included, is raised by :meth:`result` in the caller's
thread, as if the work had run there.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Optional

import duckdb

from feijian.domain.progress import CancelledFn, check_cancelled

POLL_SECONDS = 0.05  # how often a caller waiting for the worker looks at its cancel


class Background:
    """``work(cursor, cancelled)`` in a thread on ``con.cursor()``; :meth:`result` waits for it."""

    def __init__(self, con: duckdb.DuckDBPyConnection, work: Callable[[duckdb.DuckDBPyConnection, CancelledFn], Any],
                 cancelled: Optional[CancelledFn] = None):
        self._cursor = con.cursor()
        self._stopped = threading.Event()
        self._value: Any = None
        self._error: Optional[BaseException] = None

        def stop_or_cancelled() -> bool:
            return self._stopped.is_set() or bool(cancelled is not None and cancelled())

        def run() -> None:
            try:
                self._value = work(self._cursor, stop_or_cancelled)
            except BaseException as exc:  # raised again in the caller's thread by result()
                self._error = exc

        self._thread = threading.Thread(target=run, name="feijian-screening-background", daemon=True)
        self._thread.start()

    def result(self, cancelled: Optional[CancelledFn] = None) -> Any:
        """What ``work`` returned, once it has; its exception raised here. ``cancelled()`` is looked at while
        waiting: a cancel stops the worker and raises :class:`Cancelled`."""
        while self._thread.is_alive():
            if cancelled is not None and cancelled():
                self.stop()
                check_cancelled(cancelled)
            self._thread.join(POLL_SECONDS)
        self._close_cursor()
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        return self._value

    def stop(self) -> None:
        """Stop the worker (its statement interrupted, its next cancel check true) and wait until it ended.
        What it did or raised is dropped."""
        self._stopped.set()
        while self._thread.is_alive():
            try:
                self._cursor.interrupt()
            except duckdb.Error:
                pass
            self._thread.join(POLL_SECONDS)
        self._error = None
        self._close_cursor()

    def _close_cursor(self) -> None:
        try:
            self._cursor.close()
        except duckdb.Error:
            pass
