"""A case file is standard SQLCipher 4: clients nobody here wrote open it with the raw key."""

import re
import shutil
import subprocess

import pytest



def _closed_case(new_case):
    store = new_case("std")
    store.append_event("note", {"text": "standard"})
    path, key = store.path, store.data_key
    store.close()  # checkpoints the WAL into the file
    return path, key


def test_apsw_sqlite3mc_opens_a_case_with_the_raw_key(new_case):
    apsw = pytest.importorskip("apsw", reason="apsw-sqlite3mc (the independent SQLite3MC reader) is not installed")
    if not hasattr(apsw, "mc_version") and "sqlite3mc" not in str(getattr(apsw, "__file__", "")):
        try:
            apsw.Connection(":memory:").execute("PRAGMA cipher").fetchall()
        except apsw.SQLError:
            pytest.skip("apsw without SQLite3 Multiple Ciphers")
    path, key = _closed_case(new_case)
    conn = apsw.Connection(str(path))
    conn.execute("PRAGMA cipher = 'sqlcipher'")
    conn.execute("PRAGMA legacy = 4")
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    assert dict(conn.execute("SELECT key, value FROM meta")) ["format"] == "feijian-case"
    assert [r[0] for r in conn.execute("SELECT type FROM events ORDER BY seq")] == ["case.created", "note"]
    conn.close()
    bad = apsw.Connection(str(path))
    bad.execute("PRAGMA cipher = 'sqlcipher'")
    bad.execute("PRAGMA legacy = 4")
    bad.execute(f"PRAGMA key = \"x'{'00' * 32}'\"")
    with pytest.raises(apsw.Error):
        bad.execute("SELECT count(*) FROM sqlite_master").fetchall()


def _sqlcipher_cli_version():
    exe = shutil.which("sqlcipher")
    if exe is None:
        return None
    out = subprocess.run([exe, ":memory:"], input="PRAGMA cipher_version;\n", capture_output=True, text=True, timeout=30)
    m = re.search(r"(\d+)\.(\d+)\.(\d+)", out.stdout)
    return tuple(int(x) for x in m.groups()) if m else None


def test_debian_sqlcipher_cli_opens_a_case_with_the_raw_key(new_case):
    version = _sqlcipher_cli_version()
    if version is None:
        pytest.skip("the sqlcipher command-line tool is not installed")
    if version < (4, 0, 0):
        pytest.skip(f"the installed sqlcipher tool is SQLCipher {'.'.join(map(str, version))}: SQLCipher 3 cannot read "
                    "SQLCipher 4 files (HMAC-SHA512 pages); apsw-sqlite3mc is the independent reader here")
    path, key = _closed_case(new_case)
    script = f"PRAGMA key = \"x'{key.hex()}'\";\nSELECT value FROM meta WHERE key = 'format';\nSELECT count(*) FROM events;\n"
    out = subprocess.run(["sqlcipher", str(path)], input=script, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["ok", "feijian-case", "2"] or out.stdout.split()[-2:] == ["feijian-case", "2"]
