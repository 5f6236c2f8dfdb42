"""TLS, mutual TLS and bearer tokens."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from cdss._proto import foot_drop_service_pb2, foot_drop_service_pb2_grpc
from cdss.cli import main
from cdss.config import ServerConfig
from cdss.errors import ConfigError
from cdss.evaluator import Evaluator
from cdss.server import RunningServer, build_server
from tests.conftest import EXAMPLE_PATH, PERONEAL_CASE, ROOT, evaluate_request

sys.path.insert(0, str(ROOT / "scripts"))
from make_test_ca import make_ca

TOKENS = (
    "clinic-a 0123456789abcdef0123456789abcdef\nmonitor fedcba9876543210fedcba9876543210 Ping\n"
)
GOOD = "0123456789abcdef0123456789abcdef"
PING_ONLY = "fedcba9876543210fedcba9876543210"


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_ca(tmp_path_factory.mktemp("ca"))


def start(evaluator: Evaluator, **options: object) -> RunningServer:
    running = build_server(ServerConfig(bind="127.0.0.1", port=0, threads=2, **options), evaluator)  # type: ignore[arg-type]
    running.server.start()
    return running


@pytest.fixture
def tls_server(evaluator: Evaluator, ca: Path) -> Iterator[RunningServer]:
    running = start(evaluator, tls_cert=ca / "server.pem", tls_key=ca / "server-key.pem")
    yield running
    running.server.stop(None).wait()


@pytest.fixture
def mtls_server(evaluator: Evaluator, ca: Path) -> Iterator[RunningServer]:
    running = start(
        evaluator,
        tls_cert=ca / "server.pem",
        tls_key=ca / "server-key.pem",
        tls_client_ca=ca / "ca.pem",
    )
    yield running
    running.server.stop(None).wait()


@pytest.fixture
def token_server(evaluator: Evaluator, tmp_path: Path) -> Iterator[RunningServer]:
    tokens = tmp_path / "tokens"
    tokens.write_text(TOKENS)
    running = start(evaluator, tokens_file=tokens)
    yield running
    running.server.stop(None).wait()


def evaluate(
    channel: grpc.Channel, token: str | None = None
) -> foot_drop_service_pb2.EvaluateResponse:
    stub = foot_drop_service_pb2_grpc.FootDropDecisionSupportStub(channel)
    metadata = (("authorization", f"Bearer {token}"),) if token else None
    return stub.Evaluate(evaluate_request(PERONEAL_CASE), timeout=10, metadata=metadata)


def code_of(call: object) -> grpc.StatusCode:
    assert isinstance(call, grpc.Call)
    return call.code()


def test_tls(tls_server: RunningServer, ca: Path) -> None:
    creds = grpc.ssl_channel_credentials(root_certificates=(ca / "ca.pem").read_bytes())
    with grpc.secure_channel(f"localhost:{tls_server.port}", creds) as channel:
        assert evaluate(channel).causes
    with (
        grpc.insecure_channel(f"127.0.0.1:{tls_server.port}") as channel,
        pytest.raises(grpc.RpcError) as info,
    ):
        evaluate(channel)
    assert code_of(info.value) == grpc.StatusCode.UNAVAILABLE


def test_mutual_tls_requires_a_client_certificate(mtls_server: RunningServer, ca: Path) -> None:
    root = (ca / "ca.pem").read_bytes()
    with grpc.secure_channel(
        f"localhost:{mtls_server.port}", grpc.ssl_channel_credentials(root)
    ) as channel:
        with pytest.raises(grpc.RpcError) as info:
            evaluate(channel)
        assert code_of(info.value) == grpc.StatusCode.UNAVAILABLE
    creds = grpc.ssl_channel_credentials(
        root, (ca / "client-key.pem").read_bytes(), (ca / "client.pem").read_bytes()
    )
    with grpc.secure_channel(f"localhost:{mtls_server.port}", creds) as channel:
        assert evaluate(channel).causes


def test_cli_over_mutual_tls(
    mtls_server: RunningServer, ca: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "evaluate",
        str(EXAMPLE_PATH),
        "--server",
        f"localhost:{mtls_server.port}",
        "--tls-ca",
        str(ca / "ca.pem"),
        "--tls-cert",
        str(ca / "client.pem"),
        "--tls-key",
        str(ca / "client-key.pem"),
    ]
    assert main(args) == 0
    assert "Peroneal neuropathy" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("token", "code"),
    [
        (None, grpc.StatusCode.UNAUTHENTICATED),
        ("x" * 32, grpc.StatusCode.UNAUTHENTICATED),
        (PING_ONLY, grpc.StatusCode.PERMISSION_DENIED),
    ],
)
def test_tokens_refuse(
    token_server: RunningServer, token: str | None, code: grpc.StatusCode
) -> None:
    with (
        grpc.insecure_channel(f"127.0.0.1:{token_server.port}") as channel,
        pytest.raises(grpc.RpcError) as info,
    ):
        evaluate(channel, token)
    assert code_of(info.value) == code


def test_tokens_admit_and_health_stays_open(token_server: RunningServer) -> None:
    with grpc.insecure_channel(f"127.0.0.1:{token_server.port}") as channel:
        assert evaluate(channel, GOOD).causes
        stub = foot_drop_service_pb2_grpc.FootDropDecisionSupportStub(channel)
        stub.Ping(
            foot_drop_service_pb2.PingRequest(),
            timeout=5,
            metadata=(("authorization", f"Bearer {PING_ONLY}"),),
        )
        health = health_pb2_grpc.HealthStub(channel)
        assert (
            health.Check(health_pb2.HealthCheckRequest(), timeout=5).status
            == health_pb2.HealthCheckResponse.SERVING
        )


def test_cli_token_from_the_environment(
    token_server: RunningServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = f"127.0.0.1:{token_server.port}"
    assert main(["evaluate", str(EXAMPLE_PATH), "--server", target]) == 1
    assert "UNAUTHENTICATED" in capsys.readouterr().err
    monkeypatch.setenv("CDSS_TOKEN", GOOD)
    assert main(["evaluate", str(EXAMPLE_PATH), "--server", target]) == 0


def test_incomplete_tls_configuration_is_refused(
    evaluator: Evaluator, ca: Path, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError, match="both"):
        build_server(ServerConfig(port=0, tls_cert=ca / "server.pem"), evaluator)
    with pytest.raises(ConfigError, match="needs --tls-cert"):
        build_server(ServerConfig(port=0, tls_client_ca=ca / "ca.pem"), evaluator)
    short = tmp_path / "tokens"
    short.write_text("someone short\n")
    with pytest.raises(ConfigError, match="16"):
        build_server(ServerConfig(port=0, tokens_file=short), evaluator)
