"""Long case work (an import, a screening) in a child process, so that the workbench's UI thread never waits
for the GIL: the parent hands the job over a pipe, the child opens the case store itself and reports back.

The case's data key and the inspector's private keys travel through the pipe only (in memory: never on
disk, never in an environment variable or a command line). The store is SQLite in WAL mode, so the child
writes while the parent keeps its connection open (readers do not block the writer; SQLite's file locks
serialise the writers, each waiting up to the busy timeout).

Protocol (child → parent): ``("progress", done, total, message)`` …, then one of ``("done", result)``,
``("cancelled", None)``, ``("failed", (FeijianError or None, text))``. Parent → child: the job, then
optionally ``"cancel"``. The child polls for the cancel in its ``cancelled()`` callback, so the library
function undoes its partial work exactly as on the UI thread's cancel.
"""

from __future__ import annotations

import importlib
import multiprocessing as mp
import pickle
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Optional

from feijian.domain.errors import Cancelled, FeijianError

PROGRESS_INTERVAL = 0.05  # seconds between progress messages


@dataclass(frozen=True)
class StoreHandle:
    """What the child needs to open the case: its path, the data key and the identity's keys (raw bytes)."""

    path: str
    data_key: bytes
    identity: Optional[tuple[dict, bytes, bytes, str]] = None  # public dict, signing, encryption, device id

    @classmethod
    def of(cls, store) -> "StoreHandle":
        from feijian.crypto.identity import raw_private

        ident = store.identity
        secrets = None
        if ident is not None:
            secrets = (ident.public.to_dict(), raw_private(ident.signing_key), raw_private(ident.encryption_key),
                       ident.device_id)
        return cls(str(store.path), bytes(store.data_key), secrets)

    def open(self):
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

        from feijian.crypto.identity import Identity, PublicIdentity
        from feijian.store.case_store import CaseStore

        identity = None
        if self.identity is not None:
            pub, sk, ek, device = self.identity
            identity = Identity(PublicIdentity.from_dict(pub), Ed25519PrivateKey.from_private_bytes(sk),
                                X25519PrivateKey.from_private_bytes(ek), device)
        return CaseStore.open_with_key(Path(self.path), self.data_key, identity)

    def __repr__(self) -> str:  # never the keys
        return f"StoreHandle({Path(self.path).name})"


@dataclass(frozen=True)
class Job:
    """``module:function`` called as ``fn(store, *args, progress=…, cancelled=…, **kwargs)`` in the child."""

    target: str
    store: StoreHandle
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


def target_name(fn) -> str:
    name = f"{fn.__module__}:{fn.__qualname__}"
    if "<" in name:
        raise ValueError(f"a background process runs module-level functions only, not {name}")
    return name


def _resolve(target: str):
    module, _, name = target.partition(":")
    obj = importlib.import_module(module)
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def slim_result(result: Any) -> Any:
    """What crosses the pipe back: a screening's hits stay in the store (the pages read them from there),
    the result carries the run record and what did not run; anything else as it is."""
    from feijian.rules.runner import ScreeningResult

    if isinstance(result, ScreeningResult):
        return replace(result, hits=result.hits.iloc[0:0], hit_lines=result.hit_lines.iloc[0:0])
    return result


def child_main(conn) -> None:  # in the child process
    try:
        job: Job = conn.recv()
    except (EOFError, OSError):
        return
    cancel = [False]
    last = [0.0]

    def cancelled() -> bool:
        if not cancel[0]:
            try:
                while conn.poll():
                    if conn.recv() == "cancel":
                        cancel[0] = True
            except (EOFError, OSError):  # the parent went away: stop too
                cancel[0] = True
        return cancel[0]

    def progress(done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_INTERVAL or (total and done >= total):
            last[0] = now
            conn.send(("progress", int(done), int(total), str(message)))

    try:
        fn = _resolve(job.target)
        store = job.store.open()
        try:
            result = fn(store, *job.args, progress=progress, cancelled=cancelled, **job.kwargs)
        finally:
            store.close()
        message = ("done", slim_result(result))
    except Cancelled:
        message = ("cancelled", None)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which shows it
        message = ("failed", (_portable(exc), scrubbed_traceback(exc)))
    try:
        conn.send(message)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:  # an unpicklable result
        conn.send(("failed", (None, scrubbed_traceback(exc))))
    except (EOFError, OSError, BrokenPipeError):
        pass


def scrubbed_traceback(exc: BaseException) -> str:
    """Frames and the exception type only: the message may quote data (a name, an ID number)."""
    lines = [f'  File "{Path(f.filename).name}", line {f.lineno}, in {f.name}'
             for f in traceback.extract_tb(exc.__traceback__)]
    kind = type(exc)
    return "Traceback (most recent call last):\n" + "\n".join(lines) + f"\n{kind.__module__}.{kind.__name__}"


def _portable(exc: BaseException) -> Optional[FeijianError]:
    """A FeijianError as it is if it survives pickling (its message is for the user), else as a plain one."""
    if not isinstance(exc, FeijianError):
        return None
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001 - a custom __init__ that pickle cannot call again
        return FeijianError(str(exc))


class WorkerFailed(FeijianError):
    """The background process raised an unexpected error, or died (its traceback is in the log)."""


def context():
    return mp.get_context("spawn")  # never fork a process that holds Qt or SQLCipher state
