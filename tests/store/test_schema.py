"""The case schema migrates forward step by step; a case from before import_problems gains the table."""

import sqlite3

import pytest

from feijian.store import schema


def test_a_version_1_case_is_migrated_and_the_new_table_is_append_only():
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(f"BEGIN;\n{schema.MIGRATIONS[0]}\nPRAGMA user_version = 1;\nCOMMIT;")
    assert schema.migrate(conn) == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION >= 2
    conn.execute("INSERT INTO import_problems VALUES ('b', 'refused', 'fees.csv', 3, 'cnt', 'x', 'not a number', 1)")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM import_problems")
    assert schema.migrate(conn) == schema.VERSION  # nothing left to do


def test_a_case_from_a_newer_feijian_is_refused():
    from feijian.store.errors import NotACase

    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute(f"PRAGMA user_version = {schema.VERSION + 1}")
    with pytest.raises(NotACase, match="newer"):
        schema.migrate(conn)
