"""Settings are checked before anything starts: each bad value named, with what is allowed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cdss.cli import main
from cdss.errors import ConfigError
from cdss.settings import load
from tests.conftest import ROOT

BAD_VARIABLES = [
    ("CDSS_PORT", "abc", "not a whole number (allowed: 0-65535"),
    ("CDSS_PORT", "70000", "too large (allowed: 0-65535"),
    ("CDSS_PORT", "-1", "too small"),
    ("CDSS_WORKERS", "0", "too small (allowed: 1-64 processes)"),
    ("CDSS_WORKERS", "1000", "too large (allowed: 1-64 processes)"),
    ("CDSS_WORKERS", "two", "not a whole number"),
    ("CDSS_THREADS", "0", "too small (allowed: 1-64"),
    ("CDSS_MAX_CALLS", "0", "too small"),
    ("CDSS_RECEIVE_TIMEOUT", "0", "too small (allowed: more than 0, at most 300 s)"),
    ("CDSS_RECEIVE_TIMEOUT", "soon", "not a number"),
    ("CDSS_WATCHDOG_SECONDS", "0.2", "too small (allowed: 1-3600 s)"),
    ("CDSS_GRACE_SECONDS", "-5", "too small (allowed: 0-3600 s)"),
    ("CDSS_RULES_DIR", "/no/such/dir", "no rulebase.yaml there"),
    ("CDSS_TLS_CERT", "/no/such.pem", "no such file"),
    ("CDSS_TLS_KEY", "/no/such.key", "no such file"),
    ("CDSS_TLS_CLIENT_CA", "/no/ca.pem", "no such file"),
    ("CDSS_TOKENS_FILE", "/no/tokens", "no such file"),
    ("CDSS_METRICS_PORT", "0", "too small (allowed: 1-65535"),
    ("CDSS_LOG_FORMAT", "xml", "not one of the choices (allowed: text or json)"),
    ("CDSS_BIND", "", "empty"),
]


@pytest.mark.parametrize(("variable", "value", "why"), BAD_VARIABLES)
def test_each_bad_variable_is_refused_with_its_name(variable: str, value: str, why: str) -> None:
    with pytest.raises(ConfigError) as info:
        load({}, env={variable: value})
    assert f"{variable}={value!r}: {why}" in str(info.value)


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({"workers": 0}, "--workers=0: too small (allowed: 1-64 processes)"),
        ({"port": 65536}, "--port=65536: too large"),
        ({"watchdog_seconds": 0.1}, "--watchdog=0.1: too small (allowed: 1-3600 s)"),
        ({"grace_seconds": -1.0}, "--grace=-1.0: too small"),
        ({"threads": 65}, "--threads=65: too large"),
        ({"metrics_port": 99999}, "--metrics-port=99999: too large"),
        ({"port": 50123, "http_port": 50123}, "--port and --http-port are both 50123"),
        ({"http_port": 9100, "metrics_port": 9100}, "--http-port and --metrics-port are both 9100"),
    ],
)
def test_each_bad_flag_is_refused_with_its_name(flags: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        load(flags, env={})
    assert message in str(info.value)


def test_every_bad_value_at_once_and_flags_win() -> None:
    with pytest.raises(ConfigError) as info:
        load({"threads": 0}, env={"CDSS_PORT": "x", "CDSS_WORKERS": "0", "CDSS_THREADS": "2"})
    text = str(info.value)
    assert "CDSS_PORT='x'" in text and "CDSS_WORKERS='0'" in text and "--threads=0" in text
    config = load({"port": 0, "workers": 2}, env={"CDSS_PORT": "7000", "CDSS_THREADS": "3"})
    assert (config.port, config.workers, config.threads) == (0, 2, 3)


def test_good_values_reach_the_server_config(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    config = load(
        {},
        env={
            "CDSS_RECEIVE_TIMEOUT": "2.5",
            "CDSS_AUDIT_DB": str(db),
            "CDSS_METRICS_PORT": "9100",
            "CDSS_LOG_FORMAT": "json",
        },
    )
    assert config.receive_timeout == 2.5 and config.audit_db == db
    assert config.metrics_port == 9100 and config.log_format == "json"
    assert load({}, env={"CDSS_AUDIT_DB": "postgresql://x@h/db"}).audit_url == "postgresql://x@h/db"


@pytest.mark.slow
def test_serve_refuses_before_it_starts(capsys: pytest.CaptureFixture[str]) -> None:
    """`cdss serve --workers 0` once logged "serving with 0 worker process(es)"; now it exits
    1 with the reason, and a bad variable is no traceback."""
    assert main(["serve", "--workers", "0", "--port", "0"]) == 1
    assert "--workers=0: too small (allowed: 1-64 processes)" in capsys.readouterr().err
    out = subprocess.run(
        [sys.executable, "-m", "cdss", "serve"],
        env={"CDSS_PORT": "abc", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert out.returncode == 1
    assert "CDSS_PORT='abc': not a whole number" in out.stderr
    assert "Traceback" not in out.stderr


def test_version_and_consistent_flag_names(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("cdss ")
    with pytest.raises(SystemExit):
        main(["audit", "--help"])
    assert "--audit-db" in capsys.readouterr().out


def test_distinct_ports_allow_any_free_port_twice() -> None:
    config = load({"port": 0, "http_port": 0}, env={})  # 0 = any free port, each its own
    assert (config.port, config.http_port) == (0, 0)
