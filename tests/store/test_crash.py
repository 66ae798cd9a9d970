"""SIGKILL at random moments during import-like bulk writes, evidence add, checkpoint and key rotation:
the store always opens (with the inspector's identity), every acknowledged commit is there, the chain verifies.

The writer is a forked child (fast: no interpreter start-up per run); it acknowledges each commit on a pipe
only after the commit returned, and the parent kills it after a random few milliseconds."""

import io
import os
import random
import signal
import sys
import time

import pytest

from feijian.domain.records import ImportBatch
from feijian.store.case_store import CaseStore

from case_fixtures import fee_table

MODES = ("import", "evidence", "checkpoint", "rekey")
RUNS_PER_MODE = 15  # 60 runs in all

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32", reason="needs fork() and SIGKILL")


def _writer(path, identity, mode, ack_fd, seed):
    rnd = random.Random(seed)
    store = CaseStore.open(path, identity)
    os.write(ack_fd, b"ready\n")
    for i in range(10_000):
        if mode == "import":
            batch = f"b{seed}-{i}"
            with store.transaction():
                store.write_table(batch, "fees", fee_table(rnd.randint(50, 3000), start=i * 10, months=3))
                store.record_import_batch(ImportBatch(batch, "t", identity.key_id))
            msg = batch
        elif mode == "evidence":
            data = rnd.randbytes(rnd.randint(1, 3_000_000))
            item = store.add_evidence(io.BytesIO(data), original_name=f"{i}.bin")
            msg = f"{item.evidence_id} {item.sha256}"
        elif mode == "checkpoint":
            store.append_event("note", {"i": i})
            msg = store.checkpoint().event_id
        else:
            store.rotate_key()
            msg = store.events()[-1].event_id
        os.write(ack_fd, f"{mode} {msg}\n".encode())


def _run_once(path, identity, mode, seed, *, after_first_ack=False):
    """Kill the writer a random few milliseconds after it is ready or, with ``after_first_ack``, after its
    first acknowledged commit: on a loaded machine the first commit can take longer than any delay, and the
    test must still see commits acknowledged before a kill."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(r)
        code = 0
        try:
            _writer(path, identity, mode, w, seed)
        except BaseException:
            code = 1
        os._exit(code)
    os.close(w)
    buf = b""
    with os.fdopen(r, "rb", buffering=0) as f:
        wanted = f"ready\n{mode} ".encode() if after_first_ack else b"ready\n"
        while wanted not in buf:
            chunk = f.read(4096)
            if not chunk:
                break
            buf += chunk
        time.sleep(random.Random(seed).uniform(0.002, 0.5 if mode == "rekey" else 0.08))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        while True:
            chunk = f.read(65536)
            if not chunk:
                break
            buf += chunk
    assert b"ready\n" in buf, "the writer did not start"
    return [ln.split(" ", 1)[1] for ln in buf.decode().splitlines() if ln.startswith(mode + " ")]


@pytest.mark.parametrize("mode", MODES)
def test_sigkill_loses_nothing_committed(new_case, inspector, mode):
    store = new_case(f"crash-{mode}")
    path = store.path
    store.close()
    acked_total = 0
    for run in range(RUNS_PER_MODE):
        acked = _run_once(path, inspector, mode, seed=run * 7919 + len(mode), after_first_ack=run % 3 == 2)
        acked_total += len(acked)
        with CaseStore.open(path, inspector) as s:  # always opens, with the identity
            report = s.verify()
            assert report.ok, (mode, run, report.problems)
            event_ids = {e.event_id for e in s.events()}
            if mode == "import":
                batches = {b.batch_id for b in s.import_batches()}
                assert set(acked) <= batches
                recorded = {c["batch_id"] for c in s.chunk_summary()}
                assert batches <= recorded
            elif mode == "evidence":
                stored = {it.evidence_id: it.sha256 for it in s.evidence_items()}
                for line in acked:
                    eid, sha = line.split()
                    assert stored.get(eid) == sha
            else:
                assert set(acked) <= event_ids
    assert acked_total > 0, f"no {mode} commit was acknowledged before the kills: the test proved nothing"
