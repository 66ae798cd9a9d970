"""The case store's schema, versioned with ``PRAGMA user_version``: migration N brings version N-1 to N.
Never edit a released migration; add the next one."""

from __future__ import annotations

FORMAT = "feijian-case"

_APPEND_ONLY = """
CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t} BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END;
CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t} BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END;
"""

MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        case_id TEXT NOT NULL,
        author TEXT NOT NULL,
        device TEXT NOT NULL,
        lamport INTEGER NOT NULL,
        time TEXT NOT NULL,
        type TEXT NOT NULL,
        payload TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
    );
    CREATE INDEX events_chain ON events (author, device, seq);
    CREATE TRIGGER events_link BEFORE INSERT ON events
    WHEN NEW.prev_hash IS NOT COALESCE(
        (SELECT hash FROM events WHERE author = NEW.author AND device = NEW.device ORDER BY seq DESC LIMIT 1), '')
    BEGIN SELECT RAISE(ABORT, 'event does not extend its device chain'); END;
    """ + _APPEND_ONLY.format(t="events") + """
    CREATE TABLE chunks (
        chunk_id INTEGER PRIMARY KEY,
        tbl TEXT NOT NULL,
        batch_id TEXT NOT NULL,
        month TEXT NOT NULL,
        rows INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        data BLOB NOT NULL
    );
    CREATE INDEX chunks_tbl ON chunks (tbl, chunk_id);
    """ + _APPEND_ONLY.format(t="chunks") + """
    CREATE TABLE import_batches (
        batch_id TEXT PRIMARY KEY, imported_at TEXT NOT NULL, importer TEXT NOT NULL, event_id TEXT NOT NULL
    );
    CREATE TABLE imported_files (
        batch_id TEXT NOT NULL REFERENCES import_batches (batch_id), file_name TEXT NOT NULL, tbl TEXT NOT NULL,
        sha256 TEXT NOT NULL, size INTEGER NOT NULL, encoding TEXT NOT NULL, rows INTEGER NOT NULL,
        read INTEGER NOT NULL, refused INTEGER NOT NULL, sheet TEXT NOT NULL
    );
    CREATE INDEX imported_files_sha ON imported_files (sha256);
    """ + _APPEND_ONLY.format(t="import_batches") + _APPEND_ONLY.format(t="imported_files") + """
    CREATE TABLE screening_runs (
        seq INTEGER PRIMARY KEY, run_id TEXT NOT NULL UNIQUE, run TEXT NOT NULL,
        hits BLOB NOT NULL, hit_lines BLOB NOT NULL, event_id TEXT NOT NULL
    );
    CREATE TABLE evidence (
        evidence_id TEXT PRIMARY KEY, kind TEXT NOT NULL, original_name TEXT NOT NULL, sha256 TEXT NOT NULL,
        size INTEGER NOT NULL, media_type TEXT NOT NULL, added_by TEXT NOT NULL, added_at TEXT NOT NULL,
        device TEXT NOT NULL, finding_id TEXT NOT NULL, note TEXT NOT NULL, chunks INTEGER NOT NULL
    );
    CREATE TABLE evidence_chunks (
        evidence_id TEXT NOT NULL REFERENCES evidence (evidence_id) DEFERRABLE INITIALLY DEFERRED, n INTEGER NOT NULL, data BLOB NOT NULL,
        PRIMARY KEY (evidence_id, n)
    );
    """ + _APPEND_ONLY.format(t="evidence") + _APPEND_ONLY.format(t="evidence_chunks") + """
    CREATE TABLE documents (
        doc_no TEXT PRIMARY KEY, doc TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
        issued_at TEXT NOT NULL, event_id TEXT NOT NULL, pdf BLOB NOT NULL
    );
    """ + _APPEND_ONLY.format(t="documents"),
    # 2: what an import refused or noted, per batch (the import report, kept in the encrypted case)
    """
    CREATE TABLE import_problems (
        batch_id TEXT NOT NULL, kind TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL, field TEXT NOT NULL,
        value TEXT NOT NULL, reason TEXT NOT NULL, count INTEGER NOT NULL
    );
    CREATE INDEX import_problems_batch ON import_problems (batch_id);
    """ + _APPEND_ONLY.format(t="import_problems"),
    # 3: the chunks of tables stored one blob per column (store.columnar.SPLIT_TABLES): ``chunks.data`` is
    # empty for them, ``ord`` keeps the columns' order. Chunks written before keep their one blob.
    """
    CREATE TABLE chunk_columns (
        chunk_id INTEGER NOT NULL REFERENCES chunks (chunk_id), ord INTEGER NOT NULL, name TEXT NOT NULL,
        data BLOB NOT NULL, PRIMARY KEY (chunk_id, ord)
    );
    CREATE UNIQUE INDEX chunk_columns_name ON chunk_columns (chunk_id, name);
    """ + _APPEND_ONLY.format(t="chunk_columns"),
]

VERSION = len(MIGRATIONS)


def migrate(conn) -> int:
    """Bring the schema to :data:`VERSION`; each step in its own transaction. Returns the version found."""
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    if found > VERSION:
        from feijian.store.errors import NotACase

        raise NotACase(f"案件文件来自更新版本的飞检（架构 {found} > {VERSION}）/ case file is from a newer feijian (schema {found})")
    for version in range(found + 1, VERSION + 1):
        conn.executescript(f"BEGIN IMMEDIATE;\n{MIGRATIONS[version - 1]}\nPRAGMA user_version = {version};\nCOMMIT;")
    return found
