"""The HTTP front door takes the gRPC server's TLS options: TLS with --tls-cert/--tls-key, and
mutual TLS (a client certificate from --tls-client-ca required) with --tls-client-ca."""

from __future__ import annotations

import ssl
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cdss.config import ServerConfig
from cdss.evaluator import Evaluator
from cdss.http.app import FrontDoor
from cdss.http.serve import HttpServer
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from make_test_ca import make_ca


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_ca(tmp_path_factory.mktemp("ca"))


def serve(evaluator: Evaluator, ca: Path, client_ca: bool) -> HttpServer:
    config = ServerConfig(
        bind="127.0.0.1",
        http_port=0,
        tls_cert=ca / "server.pem",
        tls_key=ca / "server-key.pem",
        tls_client_ca=ca / "ca.pem" if client_ca else None,
    )
    server = HttpServer(config, FrontDoor(evaluator))
    server.start()
    return server


@pytest.fixture
def tls(evaluator: Evaluator, ca: Path) -> Iterator[str]:
    server = serve(evaluator, ca, client_ca=False)
    yield f"https://127.0.0.1:{server.port}"
    server.stop(1.0)


@pytest.fixture
def mtls(evaluator: Evaluator, ca: Path) -> Iterator[str]:
    server = serve(evaluator, ca, client_ca=True)
    yield f"https://127.0.0.1:{server.port}"
    server.stop(1.0)


def context(ca: Path, client: bool) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(ca / "ca.pem"))
    if client:
        ctx.load_cert_chain(ca / "client.pem", ca / "client-key.pem")
    return ctx


def test_https_discovery(tls: str, ca: Path) -> None:
    with httpx.Client(verify=context(ca, client=False), timeout=30) as client:
        assert client.get(f"{tls}/cds-services").status_code == 200


def test_mutual_tls_requires_a_client_certificate(mtls: str, ca: Path) -> None:
    with httpx.Client(verify=context(ca, client=True), timeout=30) as client:
        assert client.get(f"{mtls}/cds-services").status_code == 200
    with (
        httpx.Client(verify=context(ca, client=False), timeout=30) as client,
        pytest.raises((httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError)),
    ):
        client.get(f"{mtls}/cds-services")
