"""Helpers for the CDS Hooks tests: a real uvicorn server on port 0 for the front door and a
mock FHIR server (a small ASGI app), and hook requests built from case files."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from cdss.config import ServerConfig
from cdss.http.app import FrontDoor
from cdss.http.fhir_input import ASSESSMENT_KEY
from cdss.http.questionnaire import response_from_case
from cdss.http.serve import HttpServer

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def front_door(front: FrontDoor) -> Iterator[str]:
    """The front door on a real socket (port 0); yields its base URL."""
    server = HttpServer(ServerConfig(bind="127.0.0.1", http_port=0), front)
    port = server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop(1.0)


@contextlib.contextmanager
def asgi_server(app: Any) -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


class MockFhir:
    """A FHIR server holding a few resources; searches return searchset Bundles."""

    def __init__(self, resources: list[dict[str, Any]], fail: set[str] | None = None) -> None:
        self.resources = resources
        self.fail = fail or set()  # resource types answered with 500
        self.seen: list[tuple[str, str]] = []  # (path with query, authorization header)
        self.app = Starlette(routes=[Route("/fhir/{path:path}", self.handle)])

    async def handle(self, request: Request) -> Response:
        path = request.path_params["path"]
        self.seen.append((f"{path}?{request.url.query}", request.headers.get("authorization", "")))
        kind, _, rid = path.partition("/")
        if kind in self.fail:
            return JSONResponse({"resourceType": "OperationOutcome"}, status_code=500)
        matches = [r for r in self.resources if r["resourceType"] == kind]
        if rid:
            found = [r for r in matches if r.get("id") == rid]
            if not found:
                return JSONResponse({"resourceType": "OperationOutcome"}, status_code=404)
            return JSONResponse(found[0])
        bundle = {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": len(matches),
            "entry": [{"resource": r} for r in matches],
        }
        return JSONResponse(bundle)


def load_case(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / name).read_text(encoding="utf-8"))
    return data


def patient(pid: str = "p1", **extra: Any) -> dict[str, Any]:
    return {"resourceType": "Patient", "id": pid, **extra}


def hook_body(
    case: dict[str, Any] | None,
    *,
    hook: str = "patient-view",
    extra_prefetch: dict[str, Any] | None = None,
    prefetch: bool = True,
    **context: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "hook": hook,
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/dr", "patientId": "p1", **context},
    }
    if prefetch:
        body["prefetch"] = {
            "patient": patient(),
            ASSESSMENT_KEY: response_from_case(case or {}, "p1"),
            **(extra_prefetch or {}),
        }
    return body
