"""The bureau's archive: a SQLite file by default, a PostgreSQL database when given a URL (same schema).

The SQLite file is encrypted with SQLCipher (as the case store is) under a key derived from the bureau's
intake key: it holds the case tables, i.e. patient rows. A PostgreSQL archive's data at rest is the
server's business (disk encryption, access control); nothing of it touches the bureau's laptop.

Tables: ``packages`` (every imported package, its manifest and receipt), ``chain_heads`` (replay state: the
last seq, manifest hash and audit count per case, signer and channel), ``events``, ``findings`` (as the
events fold them), ``evidence`` (the age ciphertext as received, with the verified plaintext SHA-256, so
the archive holds no plaintext and a clerk can still ``age -d`` it), ``documents``, ``sources`` (the
inspector packages embedded in final packages). All writes of one package happen in one transaction.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Optional

import sqlcipher3
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from feijian.crypto.identity import raw_private
from feijian.domain.errors import InputError
from feijian.sync.verify import ChainHead

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS packages (
        package_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, kind TEXT NOT NULL, signer TEXT NOT NULL,
        seq BIGINT NOT NULL, prev TEXT NOT NULL, manifest_sha256 TEXT NOT NULL, sha256 TEXT NOT NULL,
        imported_at TEXT NOT NULL, manifest TEXT NOT NULL, receipt TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS chain_heads (
        case_id TEXT NOT NULL, signer TEXT NOT NULL, channel TEXT NOT NULL, seq BIGINT NOT NULL,
        manifest_sha256 TEXT NOT NULL, audit_count BIGINT NOT NULL, PRIMARY KEY (case_id, signer, channel))""",
    """CREATE TABLE IF NOT EXISTS events (
        case_id TEXT NOT NULL, event_id TEXT NOT NULL, author TEXT NOT NULL, device TEXT NOT NULL,
        lamport BIGINT NOT NULL, time TEXT NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL,
        prev_hash TEXT NOT NULL, hash TEXT NOT NULL, package_id TEXT NOT NULL, PRIMARY KEY (case_id, event_id))""",
    """CREATE TABLE IF NOT EXISTS findings (
        case_id TEXT NOT NULL, finding_id TEXT NOT NULL, title TEXT, rule_code TEXT, amount TEXT, status TEXT,
        legal_basis TEXT, category TEXT, deleted TEXT, data TEXT NOT NULL, package_id TEXT NOT NULL,
        PRIMARY KEY (case_id, finding_id))""",
    """CREATE TABLE IF NOT EXISTS evidence (
        case_id TEXT NOT NULL, evidence_id TEXT NOT NULL, sha256 TEXT NOT NULL, size BIGINT NOT NULL,
        package_id TEXT NOT NULL, member TEXT NOT NULL, ciphertext {blob} NOT NULL,
        PRIMARY KEY (case_id, evidence_id))""",
    """CREATE TABLE IF NOT EXISTS documents (
        case_id TEXT NOT NULL, member TEXT NOT NULL, sha256 TEXT NOT NULL, size BIGINT NOT NULL,
        package_id TEXT NOT NULL, ciphertext {blob} NOT NULL, PRIMARY KEY (case_id, sha256))""",
    """CREATE TABLE IF NOT EXISTS sources (
        package_id TEXT NOT NULL, source_package_id TEXT NOT NULL, signer TEXT NOT NULL, seq BIGINT NOT NULL,
        manifest_sha256 TEXT NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY (package_id, source_package_id))""",
]


ARCHIVE_KEY_INFO = b"feijian-archive-sqlcipher/1"


def archive_key(bureau_keys) -> bytes:
    """The SQLCipher key of a SQLite archive: HKDF-SHA256 of the bureau's intake private key (whoever can
    read the packages can read their archive, and nobody else)."""
    return HKDF(hashes.SHA256(), 32, salt=None, info=ARCHIVE_KEY_INFO).derive(raw_private(bureau_keys.intake_key))


def is_postgres_url(target: str | Path) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


class Archive:
    """One archive connection. ``Archive.open(path_or_url)``; use as a context manager."""

    def __init__(self, conn, *, postgres: bool) -> None:
        self.conn = conn
        self.postgres = postgres
        blob = "BYTEA" if postgres else "BLOB"
        for ddl in SCHEMA:
            self._exec(ddl.format(blob=blob))
        self.conn.commit()
        from feijian.sync.case_archive import CaseTables

        self.cases = CaseTables(self)
        from feijian.sync.bureau_models import SCHEMA as MODEL_SCHEMA
        from feijian.sync.clue_lists import SCHEMA as CLUE_SCHEMA

        for ddl in (*MODEL_SCHEMA, *CLUE_SCHEMA):  # model runs and hits, clue lists sent and their answers
            self._exec(ddl)
        self.conn.commit()

    @classmethod
    def open(cls, target: str | Path, *, bureau_keys=None) -> "Archive":
        """A PostgreSQL URL, or a SQLite file encrypted with SQLCipher under a key derived from the bureau's
        intake key (``bureau_keys``, required for a file: the archive holds patient rows)."""
        if is_postgres_url(str(target)):
            try:
                import psycopg
            except ImportError:  # pragma: no cover - psycopg is a declared optional dependency
                raise InputError("需要 psycopg 才能写入 PostgreSQL / psycopg is needed for a PostgreSQL archive") from None
            try:
                conn = psycopg.connect(str(target))
            except psycopg.Error as exc:
                raise InputError(f"无法连接归档数据库 / cannot connect to the archive: {str(exc).splitlines()[0]}") from None
            return cls(conn, postgres=True)
        if bureau_keys is None:
            raise InputError("SQLite 归档已加密，需要医保局密钥 / the SQLite archive is encrypted: it needs the "
                             "bureau's keys (feijian asks for the bureau passphrase)")
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlcipher3.connect(str(path))
        try:
            conn.execute("PRAGMA cipher_log_level = NONE")
        except sqlcipher3.DatabaseError:
            pass
        conn.execute(f"PRAGMA key = \"x'{archive_key(bureau_keys).hex()}'\"")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError:
            conn.close()
            raise InputError(f"无法打开归档：不是本医保局密钥加密的归档（或是未加密的旧归档）/ cannot open the archive "
                             f"{path.name}: not encrypted with this bureau's key (or an unencrypted older archive)") from None
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        return cls(conn, postgres=False)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.postgres else sql

    def _exec(self, sql: str, params: tuple = ()):
        cur = self.conn.cursor()
        cur.execute(self._sql(sql), params)
        return cur

    def _query(self, sql: str, params: tuple = ()) -> list[tuple]:
        return list(self._exec(sql, params).fetchall())

    def commit(self) -> None:
        self.conn.commit()

    def rollback(self) -> None:
        self.conn.rollback()

    # --- ChainState ---
    def seen(self, package_id: str) -> bool:
        return bool(self._query("SELECT 1 FROM packages WHERE package_id = ?", (package_id,)))

    def last(self, case_id: str, signer: str, channel: str) -> Optional[ChainHead]:
        rows = self._query("SELECT seq, manifest_sha256, audit_count FROM chain_heads WHERE case_id = ? AND signer = ?"
                           " AND channel = ?", (case_id, signer, channel))
        return ChainHead(int(rows[0][0]), rows[0][1], int(rows[0][2])) if rows else None

    # --- writes (inside one transaction; the caller commits) ---
    def put_package(self, m: dict, manifest_sha256: str, sha256: str, imported_at: str, receipt: str) -> None:
        self._exec("INSERT INTO packages VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                   (m["package_id"], m["case_id"], m["kind"], m["signer"], m["seq"], m["prev"], manifest_sha256, sha256,
                    imported_at, json.dumps(m, ensure_ascii=False, sort_keys=True), receipt))
        channel = "lead" if m["kind"] == "lead" else "bureau"
        self._exec("DELETE FROM chain_heads WHERE case_id = ? AND signer = ? AND channel = ?",
                   (m["case_id"], m["signer"], channel))
        self._exec("INSERT INTO chain_heads VALUES (?,?,?,?,?,?)",
                   (m["case_id"], m["signer"], channel, m["seq"], manifest_sha256, m["audit_head"]["count"]))

    def put_events(self, case_id: str, events: Iterable, package_id: str) -> int:
        known = {r[0]: r[1] for r in self._query("SELECT event_id, hash FROM events WHERE case_id = ?", (case_id,))}
        n = 0
        for e in events:
            if e.event_id in known:
                if known[e.event_id] != e.hash:
                    from feijian.sync.reasons import Rejected

                    raise Rejected("EVENT_INVALID", e.event_id, "differs from the archived event")
                continue
            self._exec("INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                       (case_id, e.event_id, e.author, e.device, e.lamport, e.time, e.type,
                        json.dumps(e.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
                        e.prev_hash, e.hash, package_id))
            n += 1
        return n

    def put_findings(self, case_id: str, findings: dict[str, dict], package_id: str) -> None:
        self._exec("DELETE FROM findings WHERE case_id = ?", (case_id,))
        for fid, f in findings.items():
            def s(k):
                v = f.get(k)
                return None if v is None else (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
            self._exec("INSERT INTO findings VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                       (case_id, fid, s("title"), s("rule_code"), s("amount"), s("status"), s("legal_basis"),
                        s("category"), s("deleted"), json.dumps(f, ensure_ascii=False, sort_keys=True), package_id))

    def has_evidence(self, case_id: str, evidence_id: str) -> Optional[str]:
        rows = self._query("SELECT sha256 FROM evidence WHERE case_id = ? AND evidence_id = ?", (case_id, evidence_id))
        return rows[0][0] if rows else None

    def put_evidence(self, case_id: str, meta: dict, ciphertext: bytes, package_id: str) -> None:
        self._exec("INSERT INTO evidence VALUES (?,?,?,?,?,?,?)",
                   (case_id, meta["evidence_id"], meta["sha256"], meta["size"], package_id, meta["member"], ciphertext))

    def put_document(self, case_id: str, meta: dict, ciphertext: bytes, package_id: str) -> None:
        if not self._query("SELECT 1 FROM documents WHERE case_id = ? AND sha256 = ?", (case_id, meta["sha256"])):
            self._exec("INSERT INTO documents VALUES (?,?,?,?,?,?)",
                       (case_id, meta["member"], meta["sha256"], meta["size"], package_id, ciphertext))

    def put_source(self, package_id: str, src: dict) -> None:
        self._exec("INSERT INTO sources VALUES (?,?,?,?,?,?)",
                   (package_id, src["package_id"], src["signer"], src["seq"], src["manifest_sha256"], src["sha256"]))

    # --- reads ---
    def evidence_hashes(self, case_id: str) -> dict[str, str]:
        return dict(self._query("SELECT evidence_id, sha256 FROM evidence WHERE case_id = ?", (case_id,)))

    def evidence_ciphertext(self, case_id: str, evidence_id: str) -> bytes:
        rows = self._query("SELECT ciphertext FROM evidence WHERE case_id = ? AND evidence_id = ?", (case_id, evidence_id))
        if not rows:
            raise InputError(f"归档中没有此证据 / no evidence {evidence_id} in the archive")
        return bytes(rows[0][0])

    def findings(self, case_id: str) -> dict[str, dict]:
        return {r[0]: json.loads(r[1]) for r in self._query("SELECT finding_id, data FROM findings WHERE case_id = ?",
                                                            (case_id,))}

    def event_count(self, case_id: str) -> int:
        return int(self._query("SELECT COUNT(*) FROM events WHERE case_id = ?", (case_id,))[0][0])

    def package_ids(self) -> list[str]:
        return [r[0] for r in self._query("SELECT package_id FROM packages ORDER BY imported_at, package_id")]
