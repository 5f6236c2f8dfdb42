"""`python -m cdss serve --http-port 0`: the supervisor's workers serve CDS Hooks beside gRPC,
on one HTTP port shared with SO_REUSEPORT, and stop on SIGTERM."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import httpx
import pytest

from tests.hooks_support import hook_body, load_case
from tests.serving import server_process

pytestmark = pytest.mark.slow


def test_serve_starts_the_http_front_door_beside_grpc() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        http_file = Path(tmp) / "http-port"
        with server_process("--http-port", "0", "--http-port-file", str(http_file)) as server:
            deadline = time.monotonic() + 60
            while not http_file.exists() or not http_file.read_text().strip():
                assert time.monotonic() < deadline, server.log()
                time.sleep(0.05)
            base = f"http://127.0.0.1:{int(http_file.read_text())}"
            server.wait_for_workers(2)
            with httpx.Client(timeout=30) as client:
                discovery = client.get(f"{base}/cds-services").json()
                assert {s["id"] for s in discovery["services"]} == {"foot-drop", "foot-drop-orders"}
                for _ in range(6):  # new connections: the kernel spreads them over both workers
                    with httpx.Client(timeout=30) as fresh:
                        body = hook_body(load_case("examples/cauda-equina.json"))
                        reply = fresh.post(f"{base}/cds-services/foot-drop", json=body)
                        assert reply.status_code == 200
                        assert reply.json()["cards"][0]["indicator"] == "critical"
        assert "CDS Hooks and FHIR on" in server.log()
