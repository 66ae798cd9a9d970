"""One encrypted case: a SQLCipher 4 file ``NAME.fjcase`` (raw 256-bit data key) and its key file
``NAME.fjcase.keys`` (the data key HPKE-wrapped to inspector, lead and bureau escrow; see
:mod:`feijian.store.case_keys`).

Inside: ordinary tables through ``sqlite_utils.Database`` (``.db``), the event log (:mod:`event_log`), bulk
extract tables as compressed Arrow IPC chunks (:mod:`columnar`), the evidence vault (:mod:`evidence_vault`)
and issued documents. Every change a user makes appends its event in the same transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Optional

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import sqlcipher3
import sqlite_utils

from feijian.crypto.identity import Identity, PublicIdentity, key_id_of
from feijian.domain import events as ev_types
from feijian.domain.errors import InputError
from feijian.domain.events import Event, canonical_json, utc_now, uuid7, write
from feijian.domain.projection import CaseState, fold
from feijian.domain.records import CaseInfo, EvidenceItem, ImportBatch, ImportedFile, ScreeningRun
from feijian.domain.typed_records import check_record
from feijian.store import codec, columnar, event_log, evidence_vault, schema
from feijian.store.case_keys import CaseKeys, KeySet, key_check, keys_path
from feijian.store.errors import DamagedStore, NotACase, WrongKey

log = logging.getLogger(__name__)

SUFFIX = ".fjcase"
PAGE_SIZE = 4096
READ_AHEAD = 2  # chunks iter_table reads and decompresses ahead of its consumer (on two threads)
SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"
KEY_ROTATED = "key.rotated"
class _NoColumns(list):
    """The payload of a split chunk of which none of the columns asked for is stored: its first column,
    to be dropped after decoding (the rows stay)."""


@dataclass
class VerifyReport:
    ok: bool
    problems: list[str] = field(default_factory=list)
    chains: int = 0
    events: int = 0
    checkpoints: int = 0
    evidence: int = 0
    chunks: int = 0
    documents: int = 0


def _is_damage(exc: Exception) -> bool:
    text = str(exc).lower()
    return any(s in text for s in ("malformed", "not a database", "hmac", "corrupt", "disk i/o"))


@contextlib.contextmanager
def _damage_as_error(path: Path):
    try:
        yield
    except sqlcipher3.DatabaseError as exc:
        if isinstance(exc, sqlcipher3.DatabaseError) and _is_damage(exc):
            raise DamagedStore(f"案件文件已损坏 / damaged case file {Path(path).name}: {exc}") from None
        raise


def _connect(path: Path, data_key: bytes):
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
    except sqlcipher3.DatabaseError:
        pass
    conn.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
    return conn


def _probe(conn) -> bool:
    """True if the key decrypts the file (reads page 1 only; writes nothing)."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher3.DatabaseError:
        return False


def _configure(conn) -> None:
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")


class CaseStore:
    """An open case. Use :meth:`create`, :meth:`open` or :meth:`open_with_key`; close it (or use ``with``)."""

    def __init__(self, path: Path, conn, data_key: bytes, keys: CaseKeys, identity: Optional[Identity]) -> None:
        self.path = Path(path)
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.identity = identity
        self._key = data_key
        self._keys = keys
        self._lock = threading.RLock()
        self.info: CaseInfo = codec.case_info_from_json(self._meta("case_info"))

    # -- opening ---------------------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path, info: CaseInfo, identity: Identity, *, lead: PublicIdentity | None = None,
               escrow_public: bytes | None = None, data_key: bytes | None = None) -> "CaseStore":
        path = Path(path)
        if path.exists() or keys_path(path).exists():
            raise InputError(f"案件文件已存在 / case file already exists: {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        if not info.created_at:
            info = replace(info, created_at=utc_now())
        data_key = data_key or os.urandom(32)
        recipients = [("inspector", identity.public.encryption_public)]
        if lead is not None and lead.encryption_public != identity.public.encryption_public:
            recipients.append(("lead", lead.encryption_public))
        if escrow_public is not None:
            recipients.append(("escrow", escrow_public))
        keys = CaseKeys(info.case_id, KeySet.make(data_key, info.case_id, recipients))
        keys.save(path)
        conn = _connect(path, data_key)
        try:
            _configure(conn)
            schema.migrate(conn)
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO meta (key, value) VALUES ('format', ?), ('case_id', ?), ('case_info', ?)",
                         (schema.FORMAT, info.case_id, codec.case_info_to_json(info)))
            store = cls(path, conn, data_key, keys, identity)
            store._append(ev_types.CASE_CREATED, {"info": asdict(info)})
            conn.execute("COMMIT")
        except BaseException:
            conn.close()
            for p in (path, keys_path(path), Path(f"{path}-wal"), Path(f"{path}-shm")):
                with contextlib.suppress(OSError):
                    p.unlink()
            raise
        log.info("case created: %s", info.case_id)
        return store

    @classmethod
    def open(cls, path: Path, identity: Identity) -> "CaseStore":
        path = cls._check_file(path)
        keys = CaseKeys.load(path)
        candidates, last_error = [], None
        for ks in keys.key_sets():  # the current key, and the next one if a rotation was interrupted
            try:
                candidates.append(ks.unwrap(keys.case_id, identity.encryption_key, identity.public.encryption_public))
            except WrongKey as exc:
                last_error = exc
        if not candidates:
            raise last_error or WrongKey()
        return cls._open(path, candidates, keys, identity)

    @classmethod
    def open_with_key(cls, path: Path, data_key: bytes, identity: Identity | None = None) -> "CaseStore":
        path = cls._check_file(path)
        keys = CaseKeys.load(path)
        if not any(key_check(data_key, keys.case_id) == ks.check for ks in keys.key_sets()):
            raise WrongKey()
        return cls._open(path, [data_key], keys, identity)

    @staticmethod
    def _check_file(path: Path) -> Path:
        path = Path(path)
        if not path.is_file():
            raise InputError(f"找不到案件文件 / no such case file: {path}")
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(16)
        if head == SQLITE_PLAIN_HEADER:
            raise NotACase(f"这是未加密的 SQLite 文件，不是飞检案件 / {path.name} is a plain SQLite file, not a feijian case")
        if not keys_path(path).exists():
            raise NotACase(f"{path.name} 不是飞检案件（缺少 {keys_path(path).name}）/ not a feijian case (no key file)")
        if size == 0 or size % PAGE_SIZE:
            raise DamagedStore(f"案件文件被截断 / truncated case file {path.name}: {size} bytes is not a whole number "
                               f"of {PAGE_SIZE}-byte pages")
        return path

    @classmethod
    def _open(cls, path: Path, candidates: list[bytes], keys: CaseKeys, identity: Identity | None) -> "CaseStore":
        conn = data_key = None
        for candidate in candidates:
            conn = _connect(path, candidate)
            if _probe(conn):
                data_key = candidate
                break
            conn.close()
            conn = None
        try:
            if conn is None:
                raise DamagedStore(f"密钥正确但第 1 页无法解密：文件已损坏或被替换 / the key is right but page 1 does not "
                                   f"decrypt: {path.name} is damaged or was replaced")
            with _damage_as_error(path):
                _configure(conn)
                row = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone() \
                    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone() else None
                if row is None or row[0] != schema.FORMAT:
                    raise NotACase(f"{path.name} 不是飞检案件 / not a feijian case")
                (case_id,) = conn.execute("SELECT value FROM meta WHERE key = 'case_id'").fetchone()
                if case_id != keys.case_id:
                    raise NotACase(f"密钥文件属于另一个案件 / the key file belongs to another case ({keys.case_id})")
                schema.migrate(conn)
                if keys.next is not None:  # a rotation was interrupted: keep whichever key the file opened with
                    keys = keys.promote() if key_check(data_key, keys.case_id) == keys.next.check else replace(keys, next=None)
                    keys.save(path)
                return cls(path, conn, data_key, keys, identity)
        except BaseException:
            if conn is not None:
                conn.close()
            raise

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(sqlcipher3.Error):
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.conn.close()
            self.conn = None

    def __enter__(self) -> "CaseStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- basics ----------------------------------------------------------------------------------------------
    @property
    def case_id(self) -> str:
        return self.info.case_id

    @property
    def data_key(self) -> bytes:
        return self._key

    @property
    def key_file(self) -> CaseKeys:
        return self._keys

    def _meta(self, key: str) -> str:
        with _damage_as_error(self.path):
            row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else ""

    @contextlib.contextmanager
    def transaction(self):
        """Everything inside, events included, commits or rolls back together (nested: savepoints)."""
        with self._lock, _damage_as_error(self.path):
            with self.db.atomic():
                yield self

    def _require_identity(self) -> Identity:
        if self.identity is None:
            raise InputError("此操作需要解锁的身份 / this change needs an unlocked identity")
        return self.identity

    def _append(self, type: str, payload: dict) -> Event:
        return event_log.append(self.conn, self.case_id, self._require_identity(), type, payload)

    # -- events ----------------------------------------------------------------------------------------------
    def append_event(self, type: str, payload: dict) -> Event:
        with self.transaction():
            return self._append(type, payload)

    def events(self) -> list[Event]:
        with _damage_as_error(self.path):
            return event_log.all_events(self.conn)

    def state(self) -> CaseState:
        return fold(self.events())

    def import_events(self, events: list[Event]) -> int:
        with self.transaction():
            return event_log.import_events(self.conn, self.case_id, list(events))

    def heads(self) -> dict:
        with _damage_as_error(self.path):
            return event_log.heads(self.conn)

    def checkpoint(self) -> Event:
        with self.transaction():
            return event_log.checkpoint(self.conn, self.case_id, self._require_identity())

    # -- bulk tables -----------------------------------------------------------------------------------------
    def write_table(self, batch_id: str, table: str, data: pa.Table, *, progress=None, cancelled=None) -> int:
        """Store ``data`` as compressed chunks (per month) under ``batch_id``; returns the chunks written."""
        from feijian.domain.progress import check_cancelled, report

        pieces = columnar.split_by_month(table, data)
        compression = columnar.compression_for(table)
        split = columnar.split_columns(table)

        def encode(piece: pa.Table) -> tuple[object, str]:
            if split:  # one blob per column (chunk_columns); the chunks row holds none
                parts = [(name, memoryview(b)) for name, b in columnar.encode_columns(piece, compression)]
                return parts, columnar.parts_sha256(parts)
            blob = memoryview(columnar.encode(piece, compression))
            return blob, hashlib.sha256(blob).hexdigest()

        # compress the next chunks on a second thread while SQLCipher encrypts and writes this one
        with ThreadPoolExecutor(max_workers=2) as pool, self.transaction():
            for i, ((month, piece), (blob, sha)) in enumerate(zip(pieces, pool.map(encode, (p for _, p in pieces)))):
                check_cancelled(cancelled)
                cur = self.conn.execute("INSERT INTO chunks (tbl, batch_id, month, rows, sha256, data) VALUES (?,?,?,?,?,?)",
                                        (table, batch_id, month, piece.num_rows, sha, b"" if split else blob))
                if split:
                    self.conn.executemany("INSERT INTO chunk_columns (chunk_id, ord, name, data) VALUES (?,?,?,?)",
                                          [(cur.lastrowid, k, name, b) for k, (name, b) in enumerate(blob)])
                report(progress, i + 1, len(pieces), table)
        return len(pieces)

    @staticmethod
    def _decode_chunk(table: str, payload, columns: list[str] | None) -> pa.Table:
        """A chunk's rows from :meth:`_fetch_chunk`'s payload (one blob, or a list of (column, blob))."""
        try:
            if isinstance(payload, _NoColumns):
                return columnar.decode_columns(payload).select([])
            if isinstance(payload, list):
                return columnar.decode_columns(payload, columns)
            return columnar.decode(payload, columns)
        except pa.ArrowInvalid as exc:
            raise DamagedStore(f"表 {table} 的数据块已损坏 / damaged chunk of table {table}: {exc}") from None

    def _chunk_ids(self, table: str) -> list[tuple[int, bool]]:
        """(chunk_id, stored one blob per column) of ``table``'s chunks in storage order."""
        with _damage_as_error(self.path):
            return [(int(i), bool(split)) for i, split in self.conn.execute(
                "SELECT c.chunk_id, EXISTS (SELECT 1 FROM chunk_columns k WHERE k.chunk_id = c.chunk_id) "
                "FROM chunks c WHERE c.tbl = ? ORDER BY c.chunk_id", (table,))]

    def _fetch_chunk(self, chunk_id: int, split: bool, columns: list[str] | None = None):
        """A chunk's stored bytes, decrypted: its blob, or for a chunk stored one blob per column the list
        of (column, blob) in stored order — only the ``columns`` asked for (those present; if none is,
        the first column, for the chunk's row count)."""
        with _damage_as_error(self.path):
            if not split:
                return self.conn.execute("SELECT data FROM chunks WHERE chunk_id = ?", (chunk_id,)).fetchone()[0]
            sql, args = "SELECT name, data FROM chunk_columns WHERE chunk_id = ?", [chunk_id]
            if columns is not None:
                sql += f" AND name IN ({', '.join('?' * len(columns))})"
                args += list(columns)
            parts = self.conn.execute(sql + " ORDER BY ord", args).fetchall()
            if not parts:
                parts = self.conn.execute("SELECT name, data FROM chunk_columns WHERE chunk_id = ? ORDER BY ord "
                                          "LIMIT 1", (chunk_id,)).fetchall()
                if not parts:
                    raise DamagedStore(f"数据块 {chunk_id} 没有列 / chunk {chunk_id} has no stored column")
                return _NoColumns(parts)
            return [(name, blob) for name, blob in parts]

    def read_table(self, table: str, columns: list[str] | None = None) -> pa.Table | None:
        # decompress chunks on worker threads while SQLCipher reads and decrypts the next blobs
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = [pool.submit(self._decode_chunk, table, self._fetch_chunk(cid, split, columns), columns)
                       for cid, split in self._chunk_ids(table)]
            pieces = [f.result() for f in futures]
        return columnar.concat(pieces) if pieces else None

    def iter_table(self, table: str, columns: list[str] | None = None,
                   positions: Iterable[int] | None = None) -> Iterator[pa.Table]:
        """The table's chunks one by one, in storage order (the order :meth:`read_table` concatenates): a
        consumer that copies each chunk elsewhere (screening into DuckDB) never holds the whole table. The
        next chunk is read, decrypted and decompressed on a worker thread while the consumer works on this
        one (SQLCipher, Arrow and DuckDB all release the GIL). ``positions``: only the chunks at these
        places of the storage order (0-based; in that order, each once)."""
        ids = self._chunk_ids(table)
        if positions is not None:
            ids = [ids[i] for i in sorted(set(positions)) if 0 <= i < len(ids)]
        if not ids:
            return
        # one thread reads and decrypts the blobs in order (the connection is used by one thread at a time),
        # two decompress them: READ_AHEAD chunks are on their way while the consumer works on one
        with ThreadPoolExecutor(max_workers=1) as reader, ThreadPoolExecutor(max_workers=2) as decoder:
            def submit(chunk: tuple[int, bool]):
                blob = reader.submit(self._fetch_chunk, chunk[0], chunk[1], columns)
                return decoder.submit(lambda: self._decode_chunk(table, blob.result(), columns))

            window = deque(submit(c) for c in ids[:READ_AHEAD])
            rest = iter(ids[READ_AHEAD:])
            while window:
                chunk = window.popleft().result()
                following = next(rest, None)
                if following is not None:
                    window.append(submit(following))
                yield chunk
                del chunk

    def has_table(self, table: str) -> bool:
        return self.conn.execute("SELECT 1 FROM chunks WHERE tbl = ? LIMIT 1", (table,)).fetchone() is not None

    def record_import_problems(self, batch_id: str, rows: Iterable[tuple]) -> int:
        """Keep what an import refused or noted: rows of (kind, file, line, field, value, reason, count) —
        ``kind`` "refused" (one refused row, count 1) or "note"/"referential" (an example row of a problem
        and the number of rows it stands for). Call inside the import's transaction."""
        values = [(batch_id, str(kind), str(file), int(line), str(fld), "" if value is None else str(value),
                   str(reason), int(count)) for kind, file, line, fld, value, reason, count in rows]
        with self.transaction():
            self.conn.executemany("INSERT INTO import_problems (batch_id, kind, file, line, field, value, reason, "
                                  "count) VALUES (?,?,?,?,?,?,?,?)", values)
        return len(values)

    def import_problems(self, batch_id: str | None = None) -> list[dict]:
        """What imports refused or noted (all batches, or one), in the order they were recorded."""
        sql = "SELECT batch_id, kind, file, line, field, value, reason, count FROM import_problems"
        args: tuple = ()
        if batch_id is not None:
            sql, args = sql + " WHERE batch_id = ?", (batch_id,)
        keys = ("batch_id", "kind", "file", "line", "field", "value", "reason", "count")
        return [dict(zip(keys, r)) for r in self.conn.execute(sql + " ORDER BY rowid", args)]

    def table_row_counts(self) -> dict[str, int]:
        return {t: n for t, n in self.conn.execute("SELECT tbl, SUM(rows) FROM chunks GROUP BY tbl ORDER BY tbl")}

    def chunk_summary(self) -> list[dict]:
        return [dict(zip(("table", "batch_id", "month", "rows", "sha256"), r)) for r in
                self.conn.execute("SELECT tbl, batch_id, month, rows, sha256 FROM chunks ORDER BY chunk_id")]

    # -- import batches --------------------------------------------------------------------------------------
    def record_import_batch(self, batch: ImportBatch) -> Event:
        """Record a batch and its files, with an ``import.batch`` event listing the files and the chunks
        written under the batch id (call it in the same transaction as :meth:`write_table`)."""
        with self.transaction():
            chunks = [{"table": t, "month": m, "rows": n, "sha256": s} for t, m, n, s in self.conn.execute(
                "SELECT tbl, month, rows, sha256 FROM chunks WHERE batch_id = ? ORDER BY chunk_id", (batch.batch_id,))]
            tables: dict[str, int] = {}
            for c in chunks:
                tables[c["table"]] = tables.get(c["table"], 0) + c["rows"]
            ev = self._append(ev_types.IMPORT_BATCH, {"batch_id": batch.batch_id, "importer": batch.importer,
                                                      "imported_at": batch.imported_at,
                                                      "files": [asdict(f) for f in batch.files],
                                                      "tables": tables, "chunks": chunks})
            self.conn.execute("INSERT INTO import_batches (batch_id, imported_at, importer, event_id) VALUES (?,?,?,?)",
                              (batch.batch_id, batch.imported_at, batch.importer, ev.event_id))
            for f in batch.files:
                self.conn.execute("INSERT INTO imported_files (batch_id, file_name, tbl, sha256, size, encoding, rows, "
                                  "read, refused, sheet) VALUES (?,?,?,?,?,?,?,?,?,?)",
                                  (batch.batch_id, f.file_name, f.table, f.sha256, f.size, f.encoding, f.rows, f.read,
                                   f.refused, f.sheet))
        return ev

    def import_batches(self) -> list[ImportBatch]:
        out = []
        for b in self.db.query("SELECT batch_id, imported_at, importer FROM import_batches ORDER BY rowid"):
            files = tuple(codec.imported_file_from_row(r) for r in self.db.query(
                "SELECT * FROM imported_files WHERE batch_id = ? ORDER BY rowid", [b["batch_id"]]))
            out.append(ImportBatch(b["batch_id"], b["imported_at"], b["importer"], files))
        return out

    def find_imported_file(self, sha256: str) -> ImportedFile | None:
        rows = list(self.db.query("SELECT * FROM imported_files WHERE sha256 = ? ORDER BY rowid LIMIT 1", [sha256]))
        return codec.imported_file_from_row(rows[0]) if rows else None

    # -- screening -------------------------------------------------------------------------------------------
    def save_screening(self, run: ScreeningRun, hits: pd.DataFrame, hit_lines: pd.DataFrame) -> Event:
        with self.transaction():
            ev = self._append(ev_types.SCREEN_RUN, {
                "run_id": run.run_id, "ruleset_version": run.ruleset_version, "kb_hash": run.kb_hash,
                "batch_hashes": list(run.batch_hashes), "hit_count": run.hit_count, "not_run": run.not_run,
                "total_amount": str(run.total_amount)})
            self.conn.execute("INSERT INTO screening_runs (run_id, run, hits, hit_lines, event_id) VALUES (?,?,?,?,?)",
                              (run.run_id, codec.run_to_json(run), codec.frame_to_blob(hits),
                               codec.frame_to_blob(hit_lines), ev.event_id))
        return ev

    def latest_run(self) -> ScreeningRun | None:
        row = self.conn.execute("SELECT run FROM screening_runs ORDER BY seq DESC LIMIT 1").fetchone()
        return codec.run_from_json(row[0]) if row else None

    def _latest_run_blob(self, column: str) -> bytes | None:
        """The ``hits`` or ``hit_lines`` blob of the latest screening run (None before any)."""
        assert column in ("hits", "hit_lines")
        row = self.conn.execute(f"SELECT {column} FROM screening_runs ORDER BY seq DESC LIMIT 1").fetchone()
        return row[0] if row else None

    def hits(self) -> pd.DataFrame:
        blob = self._latest_run_blob("hits")
        return codec.frame_from_blob(blob) if blob is not None else pd.DataFrame()

    def hits_table(self, columns: list[str] | None = None) -> pa.Table | None:
        """The latest run's hits as Arrow (amounts stay decimal128, no Python object per row), or None
        before any screening; ``columns`` selects (absent names are ignored)."""
        blob = self._latest_run_blob("hits")
        if blob is None:
            return None
        # only the wanted columns are decompressed; the pandas metadata of the saved frame is not needed here
        return columnar.decode(blob, columns).replace_schema_metadata(None)

    def table_chunks(self, table: str) -> list[tuple[int, int]]:
        """(chunk_id, rows) of ``table``'s stored chunks in reading order (the order of :meth:`read_table`)."""
        return [(int(i), int(n)) for i, n in self.conn.execute(
            "SELECT chunk_id, rows FROM chunks WHERE tbl = ? ORDER BY chunk_id", (table,))]

    def read_chunk(self, chunk_id: int) -> pa.RecordBatchFileReader:
        """One stored chunk as an Arrow IPC file reader: its record batches are decompressed only when
        read (``get_batch(i)``), so a page of a 13M-row table costs one chunk's decryption, not the table's."""
        with _damage_as_error(self.path):
            row = self.conn.execute("SELECT EXISTS (SELECT 1 FROM chunk_columns k WHERE k.chunk_id = c.chunk_id) "
                                    "FROM chunks c WHERE c.chunk_id = ?", (int(chunk_id),)).fetchone()
        if row is None:
            raise InputError(f"没有数据块 {chunk_id} / no chunk {chunk_id}")
        payload = self._fetch_chunk(int(chunk_id), bool(row[0]))
        try:
            if isinstance(payload, list):  # one blob per column: read like one IPC file
                return columnar.ColumnsReader(payload)
            return pa.ipc.open_file(pa.py_buffer(payload))
        except pa.ArrowInvalid as exc:
            raise DamagedStore(f"数据块 {chunk_id} 已损坏 / damaged chunk {chunk_id}: {exc}") from None

    def hit_lines(self, hit_ids=None) -> pd.DataFrame:
        blob = self._latest_run_blob("hit_lines")
        if blob is None:
            return pd.DataFrame()
        if hit_ids is None:
            return codec.frame_from_blob(blob)
        # the lines of a few hits among millions: filtered in Arrow before any pandas object is made
        table = columnar.decode(blob)
        if "hit_id" in table.column_names:
            wanted = pa.array([str(h) for h in hit_ids], pa.string())
            table = table.filter(pc.is_in(table.column("hit_id").cast(pa.string()), value_set=wanted))
        return table.to_pandas()

    # -- evidence --------------------------------------------------------------------------------------------
    def add_evidence(self, source: Path | BinaryIO, *, kind: str = "file", original_name: str = "", media_type: str = "",
                     finding_id: str = "", note: str = "", cancelled=None) -> EvidenceItem:
        identity = self._require_identity()
        if isinstance(source, (str, Path)):
            p = Path(source)
            if not p.is_file():
                raise InputError(f"找不到证据文件 / no such evidence file: {p}")
            with open(p, "rb") as f:
                return self.add_evidence(f, kind=kind, original_name=original_name or p.name, media_type=media_type,
                                         finding_id=finding_id, note=note, cancelled=cancelled)
        if not original_name:
            original_name = Path(getattr(source, "name", "") or "evidence").name
        if not media_type:
            import mimetypes

            media_type = mimetypes.guess_type(original_name)[0] or "application/octet-stream"
        evidence_id = uuid7()
        with self.transaction():
            sha, size, n = evidence_vault.store_stream(self.conn, evidence_id, source, cancelled=cancelled)
            ev_writes = [write("evidence", evidence_id, "finding_id", finding_id)] if finding_id else []
            if note:
                ev_writes.append(write("evidence", evidence_id, "note", note))
            ev = self._append(ev_types.EVIDENCE_ADDED, {"evidence_id": evidence_id, "sha256": sha, "size": size,
                                                        "original_name": original_name, "kind": kind,
                                                        "media_type": media_type, "writes": ev_writes})
            item = EvidenceItem(evidence_id, kind, original_name, sha, size, media_type, identity.key_id, ev.time,
                                identity.device_id, finding_id, note)
            self._insert_evidence_row(item, n)
        return item

    def _insert_evidence_row(self, item: EvidenceItem, chunks: int) -> None:
        self.conn.execute("INSERT INTO evidence (evidence_id, kind, original_name, sha256, size, media_type, added_by,"
                          " added_at, device, finding_id, note, chunks) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                          (*asdict(item).values(), chunks))

    def import_evidence(self, evidence_id: str, data: bytes) -> EvidenceItem:
        """Put another team member's evidence into this case's vault (the lead merging an inspector's package):
        its ``evidence.added`` event must already be in the log (merged first); the bytes must match the size
        and SHA-256 that event records. Already present: returned as it is."""
        existing = list(self.db.query("SELECT evidence_id FROM evidence WHERE evidence_id = ?", [evidence_id]))
        if existing:
            return next(i for i in self.evidence_items() if i.evidence_id == evidence_id)
        event = next((e for e in self.events() if e.type == ev_types.EVIDENCE_ADDED
                      and e.payload.get("evidence_id") == evidence_id), None)
        if event is None:
            raise InputError(f"日志中没有证据 {evidence_id} 的登记事件 / no evidence.added event for {evidence_id}")
        p = event.payload
        if len(data) != p.get("size") or hashlib.sha256(data).hexdigest() != p.get("sha256"):
            raise InputError(f"证据 {evidence_id} 与登记的大小或哈希不符 / evidence {evidence_id} differs from its "
                             "recorded size or SHA-256")
        writes = {w.get("field"): w.get("value") for w in p.get("writes") or () if isinstance(w, dict)}
        item = EvidenceItem(evidence_id, p.get("kind", "file"), p.get("original_name", ""), p["sha256"], p["size"],
                            p.get("media_type", "application/octet-stream"), event.author, event.time, event.device,
                            str(writes.get("finding_id") or ""), str(writes.get("note") or ""))
        with self.transaction():
            n = evidence_vault.store_stream(self.conn, evidence_id, io.BytesIO(data))[2]
            self._insert_evidence_row(item, n)
        return item

    def add_record(self, kind: str, record: dict, *, finding_id: str = "") -> EvidenceItem:
        """A typed record (询问笔录 ``interview``, 现场检查笔录 ``onsite_record``): checked against its kind's
        fields (:func:`feijian.domain.typed_records.check_record`, every problem named at once), then stored
        as canonical JSON evidence like any file."""
        data = canonical_json(check_record(kind, record))
        return self.add_evidence(io.BytesIO(data), kind=kind, original_name=f"{kind}.json",
                                 media_type="application/json", finding_id=finding_id)

    def evidence_items(self) -> list[EvidenceItem]:
        state = self.state()
        out = []
        for r in self.db.query("SELECT * FROM evidence ORDER BY rowid"):
            r.pop("chunks")
            eid = r["evidence_id"]
            r["finding_id"] = state.get("evidence", eid, "finding_id", r["finding_id"]) or ""
            r["note"] = state.get("evidence", eid, "note", r["note"]) or ""
            out.append(EvidenceItem(**r))
        return out

    def _evidence_row(self, evidence_id: str) -> dict:
        rows = list(self.db.query("SELECT * FROM evidence WHERE evidence_id = ?", [evidence_id]))
        if not rows:
            raise InputError(f"案件中没有此证据 / no evidence {evidence_id} in this case")
        return rows[0]

    def iter_evidence(self, evidence_id: str) -> Iterator[bytes]:
        self._evidence_row(evidence_id)
        with _damage_as_error(self.path):
            yield from evidence_vault.iter_chunks(self.conn, evidence_id)

    def read_evidence(self, evidence_id: str) -> bytes:
        row = self._evidence_row(evidence_id)
        data = b"".join(self.iter_evidence(evidence_id))
        if hashlib.sha256(data).hexdigest() != row["sha256"]:
            raise DamagedStore(f"证据 {evidence_id} 的哈希不符 / evidence {evidence_id}: SHA-256 mismatch")
        return data

    def export_evidence(self, evidence_id: str, dest: Path) -> Path:
        row = self._evidence_row(evidence_id)
        with _damage_as_error(self.path):
            return evidence_vault.export(self.conn, evidence_id, row["sha256"], Path(dest))

    # -- documents -------------------------------------------------------------------------------------------
    def record_document(self, doc: str, doc_no: str, pdf: bytes, *, file_name: str = "") -> Event:
        sha = hashlib.sha256(pdf).hexdigest()
        with self.transaction():
            if self.conn.execute("SELECT 1 FROM documents WHERE doc_no = ?", (doc_no,)).fetchone():
                raise InputError(f"文书编号已使用 / document number already issued: {doc_no}")
            ev = self._append(ev_types.DOCUMENT_ISSUED, {"doc": doc, "doc_no": doc_no, "sha256": sha,
                                                         "file_name": file_name or f"{doc_no}.pdf"})
            self.conn.execute("INSERT INTO documents (doc_no, doc, sha256, size, issued_at, event_id, pdf) VALUES (?,?,?,?,?,?,?)",
                              (doc_no, doc, sha, len(pdf), ev.time, ev.event_id, pdf))
        return ev

    def documents(self) -> list[dict]:
        return list(self.db.query("SELECT doc_no, doc, sha256, size, issued_at, event_id FROM documents ORDER BY rowid"))

    def read_document(self, doc_no: str) -> bytes:
        row = self.conn.execute("SELECT pdf FROM documents WHERE doc_no = ?", (doc_no,)).fetchone()
        if row is None:
            raise InputError(f"没有此文书 / no document {doc_no}")
        return row[0]

    # -- keys ------------------------------------------------------------------------------------------------
    def rotate_key(self, *, recipients: list[tuple[str, bytes]] | None = None) -> bytes:
        """A new data key (``PRAGMA rekey``), wrapped to ``recipients`` (default: the current ones). Crash-safe:
        the new wraps are written as ``next`` before the rekey and promoted after it."""
        recipients = recipients or self._keys.current.recipients()
        new_key = os.urandom(32)
        with self._lock:
            pending = replace(self._keys, next=KeySet.make(new_key, self.case_id, recipients))
            pending.save(self.path)
            with _damage_as_error(self.path):
                # In WAL mode SQLCipher's rekey leaves the main file's pages under the old key until a checkpoint;
                # under a rollback journal it is one atomic transaction (research §1.4: crash-atomic).
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self.conn.execute("PRAGMA journal_mode = DELETE")
                self.conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
                self.conn.execute("PRAGMA journal_mode = WAL")
            self._keys = pending.promote()
            self._keys.save(self.path)
            self._key = new_key
        if self.identity is not None:
            self.append_event(KEY_ROTATED, {"recipients": [{"role": r, "recipient": key_id_of(p)} for r, p in recipients]})
        return new_key

    # -- verification ----------------------------------------------------------------------------------------
    def verify(self, *, trusted_heads: dict | None = None, integrity: bool = True) -> VerifyReport:
        """Check the file's pages (SQLCipher HMACs), every device chain and checkpoint, every evidence item's
        and chunk's SHA-256 against the event that recorded it; the first break of each is named exactly."""
        problems: list[str] = []
        if integrity:
            try:
                rows = [r[0] for r in self.conn.execute("PRAGMA cipher_integrity_check")]
                problems += [f"页面校验失败 / page check: {r}" for r in rows]
                if not rows:
                    bad = [r[0] for r in self.conn.execute("PRAGMA quick_check") if r[0] != "ok"]
                    problems += [f"数据库结构检查 / quick_check: {r}" for r in bad[:5]]
            except sqlcipher3.DatabaseError as exc:
                problems.append(f"案件文件已损坏 / damaged case file: {exc}")
                return VerifyReport(False, problems)
        try:
            events = self.events()
        except DamagedStore as exc:
            return VerifyReport(False, problems + [str(exc)])
        chain = event_log.verify(events, trusted_heads=trusted_heads)
        problems += chain.problems
        report = VerifyReport(False, problems, chain.chains, chain.events, chain.checkpoints)
        try:
            self._verify_contents(events, problems, report)
        except (DamagedStore, sqlcipher3.DatabaseError) as exc:
            problems.append(f"内容无法读取 / contents unreadable: {exc}")
        report.ok = not problems
        return report

    def _verify_contents(self, events: list[Event], problems: list[str], report: VerifyReport) -> None:
        recorded = {e.payload.get("evidence_id"): e.payload for e in events if e.type == ev_types.EVIDENCE_ADDED}
        with _damage_as_error(self.path):
            for eid, sha, size in self.conn.execute("SELECT evidence_id, sha256, size FROM evidence ORDER BY rowid").fetchall():
                report.evidence += 1
                actual, actual_size = evidence_vault.hash_stored(self.conn, eid)
                ev = recorded.get(eid)
                if ev is None:
                    problems.append(f"证据 {eid} 没有对应的事件 / evidence {eid}: no evidence.added event records it")
                elif ev.get("sha256") != sha:
                    problems.append(f"证据 {eid} 的登记哈希与事件不符 / evidence {eid}: stored SHA-256 differs from its event")
                if actual != sha or actual_size != size:
                    problems.append(f"证据 {eid}（{size} 字节）内容哈希不符 / evidence {eid}: content SHA-256 mismatch")
            batches = self._recorded_batches(events)
            chunk_events = {}
            for e in events:
                if e.type == ev_types.IMPORT_BATCH:
                    for c in e.payload.get("chunks", ()):
                        chunk_events.setdefault(c["sha256"], c)
            for cid, tbl, batch, month, sha, blob, split in self.conn.execute(
                    "SELECT chunk_id, tbl, batch_id, month, sha256, data, EXISTS (SELECT 1 FROM chunk_columns k "
                    "WHERE k.chunk_id = c.chunk_id) FROM chunks c ORDER BY chunk_id").fetchall():
                report.chunks += 1
                actual = columnar.parts_sha256(self.conn.execute(
                    "SELECT name, data FROM chunk_columns WHERE chunk_id = ? ORDER BY ord", (cid,)).fetchall()) \
                    if split else hashlib.sha256(blob).hexdigest()
                if actual != sha:
                    problems.append(f"数据块 {cid}（{tbl} {batch} {month}）哈希不符 / chunk {cid} ({tbl}, batch {batch}, "
                                    f"month {month or '-'}): SHA-256 mismatch")
                elif batch in batches and sha not in chunk_events:
                    problems.append(f"数据块 {cid}（{tbl} {batch}）不在导入事件中 / chunk {cid} ({tbl}, batch {batch}): "
                                    f"not listed in its import event")
            issued = {e.payload.get("doc_no"): e.payload for e in events if e.type == ev_types.DOCUMENT_ISSUED}
            for doc_no, sha, pdf in self.conn.execute("SELECT doc_no, sha256, pdf FROM documents ORDER BY rowid"):
                report.documents += 1
                if hashlib.sha256(pdf).hexdigest() != sha or issued.get(doc_no, {}).get("sha256") != sha:
                    problems.append(f"文书 {doc_no} 哈希不符 / document {doc_no}: SHA-256 mismatch")

    @staticmethod
    def _recorded_batches(events: list[Event]) -> set[str]:
        return {e.payload.get("batch_id") for e in events if e.type == ev_types.IMPORT_BATCH}


def recover(path: Path, escrow_private, new_owner: PublicIdentity, *, author: Identity | None = None,
            escrow_public: bytes | None = None) -> CaseKeys:
    """Bureau escrow recovery: unwrap the case key with the escrow key, re-wrap it to ``new_owner`` (as the
    inspector) and rotate it (``PRAGMA rekey``); the lead and escrow wraps are kept. Returns the new key file."""
    from feijian.crypto.identity import raw_public

    path = CaseStore._check_file(path)
    keys = CaseKeys.load(path)
    pub = escrow_public or raw_public(escrow_private)
    data_key = None
    for ks in keys.key_sets():
        try:
            data_key = ks.unwrap(keys.case_id, escrow_private, pub, role="escrow")
            break
        except WrongKey:
            continue
    if data_key is None:
        raise WrongKey("医保局托管密钥无法解开此案件 / the escrow key cannot open this case")
    store = CaseStore._open(path, [data_key], keys, author)
    try:
        recipients = [("inspector", new_owner.encryption_public)] + \
            [(r, p) for r, p in store.key_file.current.recipients() if r != "inspector"]
        store.rotate_key(recipients=recipients)
        return store.key_file
    finally:
        store.close()
