"""The audit store: every evaluation, recorded durably before its answer is returned.

SQLite in WAL mode with `synchronous=FULL`: a commit returns only after the write-ahead log
is on disk, so a record the client saw acknowledged survives a crash of the process or of
the machine (WAL with `synchronous=NORMAL` would be faster but may lose the last commits on
power loss; an audit trail must not). Several worker processes write to one file; SQLite
serialises the writers (busy timeout 10 s). Each distinct rule base is stored once, by its
content hash, so `replay` can re-evaluate a stored case with the exact rules that answered it.

The schema is versioned (`PRAGMA user_version`, MIGRATIONS): `migrate` brings a store up to
date inside one IMMEDIATE transaction, and the supervisor runs it once before any worker
starts, so workers only open a current store (two workers creating one file at once could
fail with "database is locked"). A store newer than this code is refused.

The store holds the full request and response, which are patient data: keep the file on a
protected volume (see README, Audit). Logs never carry them.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import socket
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from cdss.errors import Unavailable
from cdss.rulebase.model import RuleBase

SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS rulebases (
    content_hash TEXT PRIMARY KEY,
    version      TEXT NOT NULL,
    files        TEXT NOT NULL          -- JSON {file name: content}
);
CREATE TABLE IF NOT EXISTS evaluations (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    recorded_at     TEXT NOT NULL,      -- UTC, ISO 8601
    caller          TEXT NOT NULL,      -- the token's name, or anonymous
    case_id         TEXT NOT NULL,
    case_sha256     TEXT NOT NULL,
    status          TEXT NOT NULL,      -- OK or the gRPC status name
    request         BLOB NOT NULL,      -- EvaluateRequest, deterministic serialisation
    response        BLOB,               -- EvaluateResponse when status is OK
    ruleset_version TEXT NOT NULL,
    ruleset_hash    TEXT NOT NULL REFERENCES rulebases(content_hash),
    duration_ms     REAL NOT NULL,
    server          TEXT NOT NULL       -- host:pid of the worker that answered
);
CREATE INDEX IF NOT EXISTS evaluations_case ON evaluations(case_id);
"""
EVALUATE = "/cdss.v1.FootDropDecisionSupport/Evaluate"
# MIGRATIONS[n] takes a store from version n to n + 1 (version 0: new, or made before versions)
MIGRATIONS: tuple[str, ...] = (
    SCHEMA_V1,
    f"ALTER TABLE evaluations ADD COLUMN method TEXT NOT NULL DEFAULT '{EVALUATE}';",
)
SCHEMA_VERSION = len(MIGRATIONS)


log = logging.getLogger("cdss.audit")


class AuditError(Unavailable):
    """The audit store cannot record or read (the answer must then be withheld)."""


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    recorded_at: str
    caller: str
    case_id: str
    case_sha256: str
    status: str
    request: bytes
    response: bytes | None
    ruleset_version: str
    ruleset_hash: str
    duration_ms: float
    server: str
    method: str = EVALUATE


# the columns of evaluations, as written (INSERT_COLUMNS) and as read (COLUMNS, AuditRecord)
INSERT_COLUMNS = (
    "recorded_at, caller, case_id, case_sha256, status, request, response, ruleset_version,"
    " ruleset_hash, duration_ms, server, method"
)
COLUMNS = f"id, {INSERT_COLUMNS}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One call to record (what the servicer knows; the store adds the time and its name)."""

    rulebase: RuleBase
    caller: str
    case_id: str
    case_sha256: str
    status: str
    request: bytes
    response: bytes | None
    duration_ms: float
    method: str = EVALUATE

    def row(self, server: str) -> tuple[object, ...]:
        """The values of INSERT_COLUMNS, stamped now (UTC)."""
        now = datetime.now(UTC).isoformat(timespec="microseconds")
        rb = self.rulebase
        return (now, self.caller, self.case_id, self.case_sha256, self.status, self.request,
                self.response, rb.meta.version, rb.content_hash, self.duration_ms, server,
                self.method)  # fmt: skip

    def rulebase_row(self) -> tuple[str, str, str]:
        rb = self.rulebase
        return rb.content_hash, rb.meta.version, json.dumps(rb.texts)


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=10, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA busy_timeout=10000")
    if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":  # persistent once set
        db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    return db


def _version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(path: Path) -> int:
    """Create the store or bring its schema up to date; returns the version. Safe to run from
    several processes at once (each migration step is one IMMEDIATE transaction)."""
    try:
        db = _connect(path)
        try:
            while (version := _version(db)) < SCHEMA_VERSION:
                db.execute("BEGIN IMMEDIATE")
                try:
                    if _version(db) == version:  # not done meanwhile by another process
                        for statement in MIGRATIONS[version].split(";"):
                            if statement.strip():
                                db.execute(statement)
                        db.execute(f"PRAGMA user_version = {version + 1}")
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
            if version > SCHEMA_VERSION:
                raise AuditError(
                    f"the audit store {path} has schema version {version}; this server knows"
                    f" up to {SCHEMA_VERSION} (upgrade the server)"
                )
            return version
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise AuditError(f"cannot create the audit store {path}: {exc}") from exc


class AuditStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._known_rulebases: set[str] = set()
        try:
            self._db = _connect(path)
            current = _version(self._db) == SCHEMA_VERSION
        except sqlite3.Error as exc:
            raise AuditError(f"cannot open the audit store {path}: {exc}") from exc
        if not current:  # a store the supervisor did not prepare (in-process servers, tools)
            migrate(path)
        self.server = f"{socket.gethostname()}:{os.getpid()}"

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def record(self, entry: Entry) -> int:
        """Write one call durably; returns its id. Raises AuditError on failure."""
        return self.record_many([entry])[0]

    def record_many(self, entries: list[Entry]) -> list[int]:
        """Write calls durably in one transaction (one commit); returns their ids."""
        ids = []
        try:
            with self._lock:
                cur = self._db.cursor()
                cur.execute("BEGIN IMMEDIATE")
                try:
                    for entry in entries:
                        if entry.rulebase.content_hash not in self._known_rulebases:
                            cur.execute(
                                "INSERT OR IGNORE INTO rulebases VALUES (?, ?, ?)",
                                entry.rulebase_row(),
                            )
                        cur.execute(
                            f"INSERT INTO evaluations ({INSERT_COLUMNS})"  # noqa: S608 - constant
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            entry.row(self.server),
                        )
                        assert cur.lastrowid is not None
                        ids.append(cur.lastrowid)
                    cur.execute("COMMIT")
                except BaseException:
                    cur.execute("ROLLBACK")
                    raise
                self._known_rulebases.update(e.rulebase.content_hash for e in entries)
        except sqlite3.Error as exc:
            raise AuditError(f"cannot write the audit record: {exc}") from exc
        return ids

    # ---- reading -------------------------------------------------------------------------

    def get(self, record_id: int) -> AuditRecord:
        with self._lock:
            row = self._db.execute(
                f"SELECT {COLUMNS} FROM evaluations WHERE id = ?",  # noqa: S608 - constant columns
                (record_id,),
            ).fetchone()
        if row is None:
            raise AuditError(f"no audit record {record_id} in {self.path}")
        return AuditRecord(*row)

    def latest(self, limit: int) -> list[AuditRecord]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT {COLUMNS} FROM evaluations ORDER BY id DESC LIMIT ?",  # noqa: S608
                (limit,),
            ).fetchall()
        return [AuditRecord(*row) for row in rows]

    def count(self) -> int:
        with self._lock:
            (n,) = self._db.execute("SELECT count(*) FROM evaluations").fetchone()
        return int(n)

    def case_ids(self) -> set[str]:
        with self._lock:
            return {row[0] for row in self._db.execute("SELECT case_id FROM evaluations")}

    def rulebase_texts(self, content_hash: str) -> dict[str, str]:
        """The stored rule files {name: content} of that rule base."""
        with self._lock:
            row = self._db.execute(
                "SELECT files FROM rulebases WHERE content_hash = ?", (content_hash,)
            ).fetchone()
        if row is None:
            raise AuditError(f"rule base {content_hash} is not in the audit store")
        texts: dict[str, str] = json.loads(row[0])
        return texts


class Store(Protocol):
    """What the servicer, replay and the CLI need of an audit store (SQLite or PostgreSQL)."""

    server: str

    @property
    def path(self) -> Path | str: ...

    def record(self, entry: Entry) -> int: ...

    def record_many(self, entries: list[Entry]) -> list[int]: ...

    def get(self, record_id: int) -> AuditRecord: ...

    def latest(self, limit: int) -> list[AuditRecord]: ...

    def count(self) -> int: ...

    def case_ids(self) -> set[str]: ...

    def rulebase_texts(self, content_hash: str) -> dict[str, str]: ...

    def close(self) -> None: ...


class RefusalLog:
    """Calls refused before their handler ran, recorded by one thread in batches (one commit
    per batch). A refusal carries no answer and no patient data, so it is not held until its
    record is written: a flood of refused calls costs a few commits a second and never delays
    the answers. At most `max_pending` wait; beyond that, refusals are counted and logged."""

    BATCH = 500

    def __init__(self, store: Store, max_pending: int = 10_000) -> None:
        self.store = store
        self.dropped = 0
        self._queue: queue.Queue[Entry | None] = queue.Queue(maxsize=max_pending)
        self._thread = threading.Thread(target=self._run, name="cdss-refusals", daemon=True)
        self._thread.start()

    def add(self, entry: Entry) -> None:
        try:
            self._queue.put_nowait(entry)
        except queue.Full:
            self.dropped += 1
            if self.dropped % 1000 == 1:
                log.error("refused calls arrive faster than they are audited: %d not recorded",
                          self.dropped)  # fmt: skip

    def _run(self) -> None:
        running = True
        while running:
            item = self._queue.get()
            batch: list[Entry] = []
            while item is not None:
                batch.append(item)
                if len(batch) >= self.BATCH:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            running = item is not None
            if batch:
                try:
                    self.store.record_many(batch)
                except AuditError as exc:
                    log.error("%d refused calls not audited: %s", len(batch), type(exc).__name__)

    def close(self) -> None:
        """Write what is waiting, then stop."""
        self._queue.put(None)
        self._thread.join(timeout=10)


def open_store(target: Path | str) -> Store:
    """The audit store at a SQLite path or a postgresql:// URL."""
    from cdss import audit_pg  # noqa: PLC0415 - psycopg only for a PostgreSQL store

    if audit_pg.is_postgres(target):
        return audit_pg.PgAuditStore(str(target))
    return AuditStore(Path(target))


def prepare_store(target: Path | str) -> str:
    """Create or migrate the store once, before any worker opens it; says what it did."""
    from cdss import audit_pg  # noqa: PLC0415

    if audit_pg.is_postgres(target):
        steps = audit_pg.migrate(str(target))
        return f"audit store {audit_pg._redacted(str(target))}: {steps} schema steps applied"
    version = migrate(Path(target))
    return f"audit store {target} at schema version {version}"
