"""A throwaway PostgreSQL server for the archive tests and benchmarks: ``initdb`` in a temporary folder, a
Unix socket only, started with ``pg_ctl`` (as the ``postgres`` user when run as root), stopped and removed
on exit. ``available()`` says whether the server binaries are installed."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


def available() -> bool:
    return bool(BIN) and os.path.exists(os.path.join(BIN[-1], "initdb")) and \
        (os.geteuid() != 0 or shutil.which("runuser") is not None)


def _as_server_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def postgres_server(*, fsync: bool = False, settings: dict[str, str] | None = None) -> Iterator[str]:
    """Yield the URL of a fresh PostgreSQL server (database ``postgres``), started with ``settings``
    (``name: value``, as in postgresql.conf; :func:`conf_settings` reads a file of them) beside its defaults."""
    bindir = BIN[-1]
    root = Path(tempfile.mkdtemp(prefix="feijian-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, port = root / "data", _free_port()
    user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
    subprocess.run(_as_server_user([f"{bindir}/initdb", "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8",
                                    "--no-sync"]), check=True, capture_output=True)
    opts = f"-c listen_addresses='' -c unix_socket_directories={root} -p {port} -c fsync={'on' if fsync else 'off'}"
    opts += "".join(f" -c {k}={v}" for k, v in (settings or {}).items())
    subprocess.run(_as_server_user([f"{bindir}/pg_ctl", "-D", str(data), "-o", opts, "-w", "-l", str(root / "log"),
                                    "start"]), check=True, capture_output=True)
    try:
        yield f"postgresql://{user}@/postgres?host={root}&port={port}"
    finally:
        subprocess.run(_as_server_user([f"{bindir}/pg_ctl", "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def conf_settings(path: str | Path) -> dict[str, str]:
    """``name = value`` lines of a postgresql.conf snippet (comments and blank lines skipped)."""
    out = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, value = (x.strip() for x in line.split("=", 1))
            if " " in value or "'" in value:
                raise ValueError(f"{path}: {name}: values with spaces or quotes are not supported here")
            out[name] = value
    return out


def create_database(url: str, name: str) -> str:
    """A new empty database on the server of ``url``; returns its URL."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.replace("@/postgres?", f"@/{name}?", 1)
