"""A throwaway PostgreSQL server for the tests (Debian's `postgresql` package; .ci/run installs
it). Tests that need it are skipped, saying why, only where it is not installed."""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg

_names = itertools.count()


def bindir() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts[-3])
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _run(argv: list[str], user: str | None) -> None:
    if user is not None:
        argv = ["runuser", "-u", user, "--", *argv]
    subprocess.run(argv, check=True, capture_output=True, timeout=120)


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Start a PostgreSQL server on 127.0.0.1 (a free port, a private data directory); yield
    the URL of its `postgres` database; stop it and remove everything afterwards."""
    binaries = bindir()
    if binaries is None:
        raise FileNotFoundError("PostgreSQL is not installed (apt-get install postgresql)")
    user = None
    root = Path(tempfile.mkdtemp(prefix="cdss-pg-"))
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as its own user
        user = "postgres"
        entry = pwd.getpwnam(user)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    data, port = root / "data", _free_port()
    try:
        _run([str(binaries / "initdb"), "-D", str(data), "-U", "cdss", "--auth=trust",
              "-E", "UTF8", "--no-sync"], user)  # fmt: skip
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=on"
        _run([str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l",
              str(root / "log"), "-w", "-t", "60", "start"], user)  # fmt: skip
        try:
            yield f"postgresql://cdss@127.0.0.1:{port}/postgres"
        finally:
            _run([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], user)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def fresh_database(server_url: str) -> str:
    """A new, empty database on that server; its URL."""
    name = f"cdss_test_{os.getpid()}_{next(_names)}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")  # a generated name
    return server_url.rsplit("/", 1)[0] + f"/{name}"
