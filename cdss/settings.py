"""The checked settings of `python -m cdss serve`: one object, from flags and CDSS_* variables.

Flags win over variables. Every value is checked before anything starts (no socket is bound,
no worker spawned): a bad one is refused with the flag or variable that gave it, the value
and what is allowed, e.g. ``CDSS_PORT='abc': not a whole number (allowed: 0-65535)``, all of
them at once. The result is a ServerConfig (cdss/config.py), what the server runs on.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from cdss.config import ServerConfig, audit_target, default_workers
from cdss.errors import ConfigError
from cdss.paths import DEFAULT_RULES_DIR

# setting -> (flag, environment variable, what is allowed)
SOURCES: dict[str, tuple[str, str, str]] = {
    "bind": ("--bind", "CDSS_BIND", "an IP address or host name"),
    "port": ("--port", "CDSS_PORT", "0-65535; 0 = any free port"),
    "workers": ("--workers", "CDSS_WORKERS", "1-64 processes"),
    "threads": ("--threads", "CDSS_THREADS", "1-64 calls at once per process"),
    "max_calls": ("--max-calls", "CDSS_MAX_CALLS", "1-100000 calls open per process"),
    "receive_timeout": ("--receive-timeout", "CDSS_RECEIVE_TIMEOUT", "more than 0, at most 300 s"),
    "watchdog_seconds": ("--watchdog", "CDSS_WATCHDOG_SECONDS", "1-3600 s"),
    "grace_seconds": ("--grace", "CDSS_GRACE_SECONDS", "0-3600 s"),
    "rules_dir": ("--rules-dir", "CDSS_RULES_DIR", "a directory holding rulebase.yaml"),
    "tls_cert": ("--tls-cert", "CDSS_TLS_CERT", "a readable PEM file"),
    "tls_key": ("--tls-key", "CDSS_TLS_KEY", "a readable PEM file"),
    "tls_client_ca": ("--tls-client-ca", "CDSS_TLS_CLIENT_CA", "a readable PEM file"),
    "tokens_file": ("--tokens-file", "CDSS_TOKENS_FILE", "a readable tokens file"),
    "audit_db": ("--audit-db", "CDSS_AUDIT_DB", "a SQLite file or a postgresql:// URL"),
    "metrics_port": ("--metrics-port", "CDSS_METRICS_PORT", "1-65535; unset = off"),
    "log_format": ("--log-format", "CDSS_LOG_FORMAT", "text or json"),
    "http_port": ("--http-port", "CDSS_HTTP_PORT", "0-65535; 0 = any free port; unset = off"),
    "http_cors_origins": (
        "CDSS_HTTP_CORS_ORIGINS",
        "CDSS_HTTP_CORS_ORIGINS",
        "origins, comma-separated",
    ),
    "http_public_url": ("CDSS_HTTP_PUBLIC_URL", "CDSS_HTTP_PUBLIC_URL", "an http(s):// base URL"),
}
_WHY = {
    "int_parsing": "not a whole number",
    "float_parsing": "not a number",
    "int_from_float": "not a whole number",
    "greater_than_equal": "too small",
    "greater_than": "too small",
    "less_than_equal": "too large",
    "literal_error": "not one of the choices",
    "string_too_short": "empty",
}


class Settings(BaseSettings):
    """What `cdss serve` can be told; the ranges are the ones a running service can honour."""

    model_config = SettingsConfigDict(
        env_prefix="CDSS_", extra="ignore", frozen=True, validate_default=False
    )

    bind: str = Field("127.0.0.1", min_length=1)
    port: int = Field(50051, ge=0, le=65535)
    workers: int = Field(default_factory=default_workers, ge=1, le=64)
    threads: int = Field(4, ge=1, le=64)
    max_calls: int = Field(256, ge=1, le=100_000)
    receive_timeout: float = Field(5.0, gt=0, le=300)
    watchdog_seconds: float = Field(10.0, ge=1, le=3600)
    grace_seconds: float = Field(5.0, ge=0, le=3600)
    rules_dir: Path = DEFAULT_RULES_DIR
    tls_cert: Path | None = None
    tls_key: Path | None = None
    tls_client_ca: Path | None = None
    tokens_file: Path | None = None
    audit_db: str | None = None
    metrics_port: int | None = Field(None, ge=1, le=65535)
    log_format: Literal["text", "json"] = "text"
    http_port: int = Field(-1, ge=-1, le=65535)  # -1 = the HTTP front door is off
    http_cors_origins: str = "*"
    http_public_url: str = Field("", pattern=r"^(https?://\S+)?$")

    @field_validator("rules_dir")
    @classmethod
    def _rules_dir(cls, value: Path) -> Path:
        if not (value / "rulebase.yaml").is_file():
            raise ValueError("no rulebase.yaml there")
        return value

    @field_validator("tls_cert", "tls_key", "tls_client_ca", "tokens_file")
    @classmethod
    def _readable(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError("no such file")
        return value

    @field_validator("audit_db", mode="before")
    @classmethod
    def _audit(cls, value: object) -> object:
        return value or None

    @model_validator(mode="after")
    def _distinct_ports(self) -> Settings:
        ports = {
            "--port": self.port,
            "--http-port": self.http_port,
            "--metrics-port": self.metrics_port,
        }
        taken: dict[int, str] = {}
        for flag, value in ports.items():
            if value is None or value <= 0:
                continue  # off, or any free port
            if value in taken:
                raise ValueError(
                    f"{taken[value]} and {flag} are both {value}: each needs its own port"
                )
            taken[value] = flag
        return self

    def to_config(self) -> ServerConfig:
        audit_db, audit_url = audit_target(self.audit_db)
        values = self.model_dump(exclude={"audit_db"})
        return dataclasses.replace(ServerConfig(), audit_db=audit_db, audit_url=audit_url, **values)


def _message(error: Any, flags: dict[str, Any]) -> str:
    if not error["loc"]:  # a check across settings (e.g. two services on one port)
        return str(error["ctx"]["error"]) if "ctx" in error else str(error["msg"])
    name = str(error["loc"][0])
    flag, variable, allowed = SOURCES.get(name, (name, name, ""))
    source = flag if name in flags else variable
    why = _WHY.get(error["type"], error["msg"])
    if error["type"] == "value_error":
        why = str(error["ctx"]["error"]) if "ctx" in error else error["msg"]
    return f"{source}={error['input']!r}: {why} (allowed: {allowed})"


def load(flags: dict[str, Any] | None = None, env: dict[str, str] | None = None) -> ServerConfig:
    """The server configuration from flags (None = not given) over CDSS_* variables
    (``env``; default the process environment), or one ConfigError listing every bad value."""
    given = {k: v for k, v in (flags or {}).items() if v is not None}
    try:
        settings = Settings(**given) if env is None else _from(env, given)
    except ValidationError as exc:
        lines = [_message(e, given) for e in exc.errors()]
        raise ConfigError("invalid settings:\n  " + "\n  ".join(lines)) from None
    return settings.to_config()


def _from(env: dict[str, str], given: dict[str, Any]) -> Settings:
    """Settings from an explicit environment (tests), flags over it."""
    values: dict[str, Any] = {}
    for name, (_, variable, _) in SOURCES.items():
        if variable in env:
            values[name] = env[variable]
    values.update(given)
    return Settings.model_validate(values)
