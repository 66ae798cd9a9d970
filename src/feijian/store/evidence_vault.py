"""Evidence inside the case store: the original's bytes in 1 MiB encrypted chunks (streamed, never loaded
whole), its SHA-256 computed on entry; export writes a sibling file, checks the hash, then renames."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import BinaryIO, Iterator

from feijian.store.errors import DamagedStore
from feijian.store.files import fsync_dir

CHUNK_SIZE = 1 << 20


def store_stream(conn, evidence_id: str, stream: BinaryIO, *, cancelled=None) -> tuple[str, int, int]:
    """Write the stream's chunks; return (sha256, size, chunks)."""
    digest, size, n = hashlib.sha256(), 0, 0
    while True:
        block = stream.read(CHUNK_SIZE)
        if not block:
            break
        if cancelled is not None and cancelled():
            from feijian.domain.errors import Cancelled

            raise Cancelled()
        digest.update(block)
        size += len(block)
        conn.execute("INSERT INTO evidence_chunks (evidence_id, n, data) VALUES (?, ?, ?)", (evidence_id, n, block))
        n += 1
    return digest.hexdigest(), size, n


def iter_chunks(conn, evidence_id: str) -> Iterator[bytes]:
    n = 0
    while True:
        row = conn.execute("SELECT data FROM evidence_chunks WHERE evidence_id = ? AND n = ?", (evidence_id, n)).fetchone()
        if row is None:
            return
        yield row[0]
        n += 1


def hash_stored(conn, evidence_id: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for block in iter_chunks(conn, evidence_id):
        digest.update(block)
        size += len(block)
    return digest.hexdigest(), size


def export(conn, evidence_id: str, expected_sha256: str, dest: Path) -> Path:
    dest = Path(dest)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.part")
    digest = hashlib.sha256()
    try:
        with open(tmp, "wb") as f:
            for block in iter_chunks(conn, evidence_id):
                digest.update(block)
                f.write(block)
            f.flush()
            os.fsync(f.fileno())
        if digest.hexdigest() != expected_sha256:
            raise DamagedStore(f"证据 {evidence_id} 的哈希不符，未导出 / evidence {evidence_id}: SHA-256 mismatch, not exported")
        os.replace(tmp, dest)
    finally:
        if tmp.exists():
            tmp.unlink()
    fsync_dir(dest.parent)
    return dest
