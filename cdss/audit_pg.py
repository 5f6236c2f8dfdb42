"""The PostgreSQL audit store: the same two tables and promise as cdss/audit.py, for many hosts.

`--audit-db postgresql://USER@HOST/DB` makes every worker of every replica write to one
database, each worker through its own small connection pool (psycopg 3, psycopg_pool). A record
is committed with `synchronous_commit = on` (the server's WAL is flushed before COMMIT returns)
before the answer leaves the worker, so an acknowledged answer has its record even if the
worker, or the database server, crashes the next instant. If the record cannot be written the
answer is withheld (UNAVAILABLE, retry-safe), as with SQLite.

The schema is created or brought up to date by `migrate` (the supervisor runs it once before
its workers start; two supervisors starting at once are serialised by an advisory lock), in
idempotent steps: `CREATE ... IF NOT EXISTS`, `ADD COLUMN IF NOT EXISTS`.
"""

from __future__ import annotations

import json
import os
import socket
from typing import Any

import psycopg
import psycopg_pool

from cdss.audit import COLUMNS, EVALUATE, INSERT_COLUMNS, AuditError, AuditRecord, Entry

SCHEMA_LOCK = 0x43445353  # pg_advisory_xact_lock key ("CDSS")
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS rulebases (
        content_hash TEXT PRIMARY KEY,
        version      TEXT NOT NULL,
        files        TEXT NOT NULL
    )""",
    """
    CREATE TABLE IF NOT EXISTS evaluations (
        id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        recorded_at     TEXT NOT NULL,
        caller          TEXT NOT NULL,
        case_id         TEXT NOT NULL,
        case_sha256     TEXT NOT NULL,
        status          TEXT NOT NULL,
        request         BYTEA NOT NULL,
        response        BYTEA,
        ruleset_version TEXT NOT NULL,
        ruleset_hash    TEXT NOT NULL REFERENCES rulebases(content_hash),
        duration_ms     DOUBLE PRECISION NOT NULL,
        server          TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS evaluations_case ON evaluations(case_id)",
    f"ALTER TABLE evaluations ADD COLUMN IF NOT EXISTS method TEXT NOT NULL DEFAULT '{EVALUATE}'",
)


def is_postgres(target: object) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def _redacted(url: str) -> str:
    """The URL without its password (for messages)."""
    head, sep, tail = url.partition("@")
    if not sep or ":" not in head.split("//", 1)[-1]:
        return url
    scheme, _, user = head.partition("//")
    return f"{scheme}//{user.split(':', 1)[0]}:***@{tail}"


def migrate(url: str) -> int:
    """Create the tables or bring them up to date; returns the number of migration steps."""
    try:
        with psycopg.connect(url, connect_timeout=10) as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            for statement in MIGRATIONS:
                conn.execute(statement)  # constant DDL
    except psycopg.Error as exc:
        raise AuditError(f"cannot create the audit store {_redacted(url)}: {exc}") from exc
    return len(MIGRATIONS)


def _durable(conn: psycopg.Connection[Any]) -> None:
    conn.execute("SET synchronous_commit = on")
    conn.commit()


class PgAuditStore:
    def __init__(self, url: str, max_connections: int = 4) -> None:
        self.path = _redacted(url)
        self._known_rulebases: set[str] = set()
        try:
            self._pool = psycopg_pool.ConnectionPool(
                url,
                min_size=1,
                max_size=max_connections,
                kwargs={"connect_timeout": 10},
                configure=_durable,
                timeout=10,
                open=True,
                name=f"cdss-audit-{os.getpid()}",
            )
            self._pool.wait(timeout=10)
            with self._pool.connection() as conn:
                current = conn.execute(
                    "SELECT 1 FROM information_schema.columns"
                    " WHERE table_name = 'evaluations' AND column_name = 'method'"
                ).fetchone()
        except (psycopg.Error, psycopg_pool.PoolTimeout) as exc:
            raise AuditError(f"cannot open the audit store {self.path}: {exc}") from exc
        if current is None:  # a store no supervisor prepared (in-process servers, tools)
            migrate(url)
        self.server = f"{socket.gethostname()}:{os.getpid()}"

    def close(self) -> None:
        self._pool.close()

    def record(self, entry: Entry) -> int:
        """Write one call durably (committed before return); AuditError on failure."""
        return self.record_many([entry])[0]

    def record_many(self, entries: list[Entry]) -> list[int]:
        """Write calls durably in one transaction; returns their ids."""
        ids = []
        try:
            with self._pool.connection() as conn, conn.transaction():
                for entry in entries:
                    if entry.rulebase.content_hash not in self._known_rulebases:
                        conn.execute(
                            "INSERT INTO rulebases VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                            entry.rulebase_row(),
                        )
                    row = conn.execute(
                        f"INSERT INTO evaluations ({INSERT_COLUMNS})"  # noqa: S608 - constant
                        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
                        entry.row(self.server),
                    ).fetchone()
                    assert row is not None
                    ids.append(int(row[0]))
        except (psycopg.Error, psycopg_pool.PoolTimeout) as exc:
            raise AuditError(f"cannot write the audit record: {exc}") from exc
        self._known_rulebases.update(e.rulebase.content_hash for e in entries)
        return ids

    # ---- reading -------------------------------------------------------------------------
    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            with self._pool.connection() as conn:
                return conn.execute(sql, params).fetchall()
        except (psycopg.Error, psycopg_pool.PoolTimeout) as exc:
            raise AuditError(f"cannot read the audit store {self.path}: {exc}") from exc

    @staticmethod
    def _record(row: tuple[Any, ...]) -> AuditRecord:
        values = list(row)
        for i in (6, 7):  # request, response: bytes, not memoryview
            values[i] = bytes(values[i]) if values[i] is not None else None
        return AuditRecord(*values)

    def get(self, record_id: int) -> AuditRecord:
        rows = self._rows(f"SELECT {COLUMNS} FROM evaluations WHERE id = %s", (record_id,))  # noqa: S608
        if not rows:
            raise AuditError(f"no audit record {record_id} in {self.path}")
        return self._record(rows[0])

    def latest(self, limit: int) -> list[AuditRecord]:
        sql = f"SELECT {COLUMNS} FROM evaluations ORDER BY id DESC LIMIT %s"  # noqa: S608
        return [self._record(r) for r in self._rows(sql, (limit,))]

    def count(self) -> int:
        return int(self._rows("SELECT count(*) FROM evaluations")[0][0])

    def case_ids(self) -> set[str]:
        return {row[0] for row in self._rows("SELECT case_id FROM evaluations")}

    def servers(self) -> set[str]:
        return {row[0] for row in self._rows("SELECT DISTINCT server FROM evaluations")}

    def rulebase_texts(self, content_hash: str) -> dict[str, str]:
        rows = self._rows("SELECT files FROM rulebases WHERE content_hash = %s", (content_hash,))
        if not rows:
            raise AuditError(f"rule base {content_hash} is not in the audit store")
        texts: dict[str, str] = json.loads(rows[0][0])
        return texts
