"""The audit store: every evaluation recorded before the answer; list, show, replay."""

from __future__ import annotations

import copy
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from cdss._proto import foot_drop_service_pb2, foot_drop_service_pb2_grpc
from cdss.audit import AuditError, AuditStore
from cdss.cli import main
from cdss.config import ServerConfig
from cdss.server import RunningServer, build_server
from tests.audit_load import acknowledged_until_killed, kill_all
from tests.conftest import PERONEAL_CASE, ROOT, evaluate_request
from tests.serving import server_process

Stub = foot_drop_service_pb2_grpc.FootDropDecisionSupportStub


@pytest.fixture
def audited(tmp_path: Path) -> Iterator[tuple[RunningServer, Path]]:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    db = tmp_path / "audit.db"
    running = build_server(
        ServerConfig(bind="127.0.0.1", port=0, threads=2, rules_dir=rules, audit_db=db)
    )
    running.server.start()
    yield running, db
    running.server.stop(None).wait()
    running.evaluator.close()


def call(running: RunningServer, data: dict[str, object]) -> foot_drop_service_pb2.EvaluateResponse:
    with grpc.insecure_channel(f"127.0.0.1:{running.port}") as channel:
        return Stub(channel).Evaluate(evaluate_request(data), timeout=10)


def test_every_call_is_recorded_durably(audited: tuple[RunningServer, Path]) -> None:
    running, db = audited
    resp = call(running, PERONEAL_CASE)
    bad = copy.deepcopy(PERONEAL_CASE)
    bad["exam"]["left"]["ankle_dorsiflexion"] = 9
    with pytest.raises(grpc.RpcError):
        call(running, bad)
    store = AuditStore(db)
    try:
        first, second = sorted(store.latest(10), key=lambda r: r.id)
        assert first.status == "OK" and first.case_id == PERONEAL_CASE["case_id"]
        assert first.response == resp.SerializeToString(deterministic=True)
        assert first.ruleset_hash == running.evaluator.compiled.rulebase.content_hash
        assert second.status == "INVALID_ARGUMENT" and second.response is None
    finally:
        store.close()
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_list_show_replay(
    audited: tuple[RunningServer, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    running, db = audited
    call(running, PERONEAL_CASE)
    assert main(["audit", "list", "--db", str(db)]) == 0
    assert PERONEAL_CASE["case_id"] in capsys.readouterr().out
    assert main(["audit", "show", "1", "--db", str(db)]) == 0
    assert '"ankle_dorsiflexion": 2' in capsys.readouterr().out
    # the rule files change after the call; replay uses the stored rule base
    rules_dir = db.parent / "rules"
    (rules_dir / "20-nerve-root-plexus.yaml").write_text(
        (rules_dir / "20-nerve-root-plexus.yaml")
        .read_text()
        .replace("weight: 0.6}", "weight: 0.1}")
    )
    assert main(["audit", "replay", "1", "--db", str(db)]) == 0
    assert "identical" in capsys.readouterr().out
    # the call asked for the default (STANDARD) answer; the record rebuilds FULL
    assert main(["audit", "replay", "1", "--db", str(db), "--full"]) == 0
    out = capsys.readouterr().out
    assert "identical" in out and '"trace": [' in out and '"why_not": [' in out


def test_replay_reports_a_difference(
    audited: tuple[RunningServer, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    running, db = audited
    call(running, PERONEAL_CASE)
    other = copy.deepcopy(PERONEAL_CASE)
    other["exam"]["left"]["hip_abduction"] = 3
    forged = call(running, other).SerializeToString(deterministic=True)
    with sqlite3.connect(db) as con:
        con.execute("UPDATE evaluations SET response = ? WHERE id = 1", (forged,))
    assert main(["audit", "replay", "1", "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "DIFFERENT" in out and "--- recorded" in out


def test_no_answer_without_an_audit_record(
    audited: tuple[RunningServer, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    running, _ = audited

    def failing(self: AuditStore, entry: object) -> int:
        raise AuditError("disk full")

    monkeypatch.setattr(AuditStore, "record", failing)
    with pytest.raises(grpc.RpcError) as info:
        call(running, PERONEAL_CASE)
    assert isinstance(info.value, grpc.Call)
    assert info.value.code() == grpc.StatusCode.UNAVAILABLE


@pytest.mark.slow
def test_killing_the_server_loses_no_acknowledged_record(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    with server_process("--audit-db", str(db), workers=2) as server:
        # the whole tree, mid-load, no warning
        acknowledged = acknowledged_until_killed(
            [server.address], lambda: kill_all([*server.workers(), server.process.pid])
        )
        server.process.wait(10)
    store = AuditStore(db)
    try:
        recorded = store.case_ids()
    finally:
        store.close()
    assert len(acknowledged) >= 100
    missing = set(acknowledged) - recorded
    assert not missing, f"{len(missing)} acknowledged answers have no audit record"


def test_audit_commands_fail_clearly_without_a_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["audit", "list", "--db", str(tmp_path / "none.db")]) == 1
    assert "no audit store" in capsys.readouterr().err


# ---- issue 14: the store is created once, with a schema version and migrations
def test_serve_creates_the_store_once_with_its_schema_version(tmp_path: Path) -> None:
    from cdss.audit import SCHEMA_VERSION

    db = tmp_path / "new" / "audit.db"
    with server_process("--audit-db", str(db), workers=2) as server:
        log = server.log()
        with sqlite3.connect(db) as con:
            assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert f"at schema version {SCHEMA_VERSION}" in log
    assert log.index("at schema version") < log.index("serving on")


def test_an_older_store_is_migrated_and_keeps_its_records(tmp_path: Path) -> None:
    from cdss.audit import EVALUATE, SCHEMA_V1, SCHEMA_VERSION

    db = tmp_path / "old.db"
    with sqlite3.connect(db) as con:  # a store written before schema versions
        con.executescript(SCHEMA_V1)
        con.execute("INSERT INTO rulebases VALUES ('sha256:x', '1', '{}')")
        con.execute(
            "INSERT INTO evaluations (recorded_at, caller, case_id, case_sha256, status,"
            " request, response, ruleset_version, ruleset_hash, duration_ms, server)"
            " VALUES ('t', 'c', 'old-case', 'h', 'OK', x'', NULL, '1', 'sha256:x', 1.0, 's')"
        )
    store = AuditStore(db)
    try:
        (old,) = store.latest(5)
    finally:
        store.close()
    assert old.case_id == "old-case" and old.method == EVALUATE
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_store_from_a_newer_server_is_refused(tmp_path: Path) -> None:
    from cdss.audit import migrate

    db = tmp_path / "newer.db"
    migrate(db)
    with sqlite3.connect(db) as con:
        con.execute("PRAGMA user_version = 99")
    with pytest.raises(AuditError, match="schema version 99"):
        migrate(db)


def test_many_processes_creating_one_store_at_once_all_succeed(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = tmp_path / "race.db"
    code = (
        "from pathlib import Path; from cdss.audit import AuditStore;"
        f" AuditStore(Path({str(db)!r})).close()"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT) for _ in range(8)]
    assert [p.wait(60) for p in procs] == [0] * 8
