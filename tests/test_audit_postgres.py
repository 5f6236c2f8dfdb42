"""The PostgreSQL audit store against a real PostgreSQL server started for these tests."""

from __future__ import annotations

import copy
from collections.abc import Iterator

import grpc
import psycopg
import pytest

from cdss.audit_pg import PgAuditStore
from cdss.cli import main
from cdss.config import ServerConfig
from cdss.evaluator import Evaluator
from cdss.server import build_server
from tests.audit_load import Stub, acknowledged_until_killed, kill_all
from tests.conftest import PERONEAL_CASE, evaluate_request
from tests.postgres import bindir, fresh_database, postgres_server
from tests.serving import server_process

pytestmark = pytest.mark.skipif(
    bindir() is None,
    reason="PostgreSQL is not installed here (apt-get install postgresql; .ci/run installs it)",
)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture
def pg_url(pg_server: str) -> str:
    return fresh_database(pg_server)


def recorded(url: str) -> set[str]:
    store = PgAuditStore(url)
    try:
        return store.case_ids()
    finally:
        store.close()


def test_records_are_written_durably_before_the_answer(
    pg_url: str, evaluator: Evaluator, capsys: pytest.CaptureFixture[str]
) -> None:
    config = ServerConfig(bind="127.0.0.1", port=0, audit_url=pg_url)
    running = build_server(config, evaluator)
    running.server.start()
    try:
        with grpc.insecure_channel(f"127.0.0.1:{running.port}") as channel:
            resp = Stub(channel).Evaluate(evaluate_request(PERONEAL_CASE), timeout=10)
        store = PgAuditStore(pg_url)
        try:
            (record,) = store.latest(5)
            assert record.status == "OK" and record.case_id == PERONEAL_CASE["case_id"]
            assert record.response == resp.SerializeToString(deterministic=True)
            pool = store._pool
            with pool.connection() as conn:
                assert conn.execute("SHOW synchronous_commit").fetchone() == ("on",)
        finally:
            store.close()
    finally:
        running.stop(None).wait()
    # audit replay straight from PostgreSQL
    assert main(["audit", "replay", str(record.id), "--audit-db", pg_url]) == 0
    assert "identical" in capsys.readouterr().out
    assert main(["audit", "list", "--audit-db", pg_url]) == 0
    assert PERONEAL_CASE["case_id"] in capsys.readouterr().out


def test_an_unreachable_database_withholds_the_answer(pg_url: str, evaluator: Evaluator) -> None:
    config = ServerConfig(bind="127.0.0.1", port=0, audit_url=pg_url)
    running = build_server(config, evaluator)
    running.server.start()
    try:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("ALTER TABLE evaluations ADD CONSTRAINT no_more CHECK (id < 0) NOT VALID")
        with (
            grpc.insecure_channel(f"127.0.0.1:{running.port}") as channel,
            pytest.raises(grpc.RpcError) as info,
        ):
            Stub(channel).Evaluate(evaluate_request(PERONEAL_CASE), timeout=10)
        assert info.value.code() == grpc.StatusCode.UNAVAILABLE
    finally:
        running.stop(None).wait()


@pytest.mark.slow
def test_killing_workers_mid_load_loses_no_acknowledged_record(pg_url: str) -> None:
    with server_process("--audit-db", pg_url, workers=2) as server:
        acknowledged = acknowledged_until_killed(
            [server.address], lambda: kill_all([*server.workers(), server.process.pid])
        )
        server.process.wait(10)
    assert len(acknowledged) >= 100
    missing = set(acknowledged) - recorded(pg_url)
    assert not missing, f"{len(missing)} acknowledged answers have no audit record"


@pytest.mark.slow
def test_two_supervisors_write_to_one_database(pg_url: str) -> None:
    with (
        server_process("--audit-db", pg_url, workers=1) as one,
        server_process("--audit-db", pg_url, workers=1) as two,
    ):
        sent = []
        for n, server in enumerate((one, two)):
            with grpc.insecure_channel(server.address) as channel:
                for i in range(10):
                    data = copy.deepcopy(PERONEAL_CASE)
                    data["case_id"] = f"replica-{n}-{i}"
                    Stub(channel).Evaluate(evaluate_request(data), timeout=10)
                    sent.append(data["case_id"])
        workers = {*one.workers(), *two.workers()}
    store = PgAuditStore(pg_url)
    try:
        assert store.case_ids() == set(sent)
        assert {int(s.rsplit(":", 1)[1]) for s in store.servers()} == workers
    finally:
        store.close()
