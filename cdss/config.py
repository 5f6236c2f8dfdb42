"""Server configuration: what a server process runs on (checked from flags and CDSS_*
variables by cdss/settings.py; handed to each worker as JSON)."""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from cdss.paths import DEFAULT_RULES_DIR

MAX_MESSAGE_BYTES = 1024 * 1024  # transport limit; the servicer limits the case itself
MAX_CASE_BYTES = 64 * 1024  # a real case is under 2 KiB; anything near this is not a case


PATH_FIELDS = ("rules_dir", "tls_cert", "tls_key", "tls_client_ca", "tokens_file", "audit_db")


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


def audit_target(value: str | None) -> tuple[Path | None, str]:
    """--audit-db / CDSS_AUDIT_DB as (audit_db, audit_url): a SQLite path or a postgresql:// URL."""
    if value and value.startswith(("postgresql://", "postgres://")):
        return None, value
    return _path(value), ""


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """Everything `python -m cdss serve` can set (cdss.settings checks flags and variables)."""

    bind: str = "127.0.0.1"
    port: int = 50051
    workers: int = field(default_factory=default_workers)  # server processes
    threads: int = 4  # calls evaluating at once per process (the C extension holds the GIL)
    max_calls: int = 256  # calls open at once per process (receiving, waiting); more: refused
    receive_timeout: float = 5.0  # seconds for a request to arrive in full, else cancelled
    max_connections: int = 512  # per process
    max_streams_per_connection: int = 32
    watchdog_seconds: float = 10.0  # a worker silent this long is killed and replaced
    grace_seconds: float = 5.0
    max_message_bytes: int = MAX_MESSAGE_BYTES
    max_case_bytes: int = MAX_CASE_BYTES
    rules_dir: Path = field(default=DEFAULT_RULES_DIR)
    reuse_port: bool = False
    tls_cert: Path | None = None  # server certificate chain (PEM); with tls_key enables TLS
    tls_key: Path | None = None
    tls_client_ca: Path | None = None  # require client certificates signed by this CA (mTLS)
    tokens_file: Path | None = None  # bearer tokens (cdss/auth.py); None = no authentication
    audit_db: Path | None = None  # SQLite audit store; None = no audit
    audit_url: str = ""  # postgresql://... audit store (instead of audit_db)
    rules_hash: str = ""  # set by the supervisor: the pinned rule base a worker must serve
    metrics_port: int | None = None  # Prometheus /metrics, served by the supervisor
    log_format: str = "text"  # or "json": one JSON object per line, without patient data
    http_port: int = -1  # the CDS Hooks / FHIR front door (cdss/http); -1 = off, 0 = any free
    http_cors_origins: str = "*"  # comma-separated origins allowed by CORS (the CDS Hooks sandbox)
    http_public_url: str = ""  # the base URL clients see (behind a proxy); cards link from it

    @property
    def audit(self) -> Path | str | None:
        """The audit store: a PostgreSQL URL, a SQLite path, or None."""
        return self.audit_url or self.audit_db

    @property
    def address(self) -> str:
        host = f"[{self.bind}]" if ":" in self.bind and not self.bind.startswith("[") else self.bind
        return f"{host}:{self.port}"

    def to_json(self) -> str:
        data = {
            k: str(v) if isinstance(v, Path) else v for k, v in dataclasses.asdict(self).items()
        }
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> ServerConfig:
        data = json.loads(text)
        for name in PATH_FIELDS:
            data[name] = _path(data.get(name))
        data["rules_dir"] = data["rules_dir"] or DEFAULT_RULES_DIR
        return cls(**data)
