"""Shared fixtures: one compiled rule base and one in-process gRPC server per session."""

from __future__ import annotations

import os

# The suite runs the sources, so that its patches reach the code they patch; tests/test_native.py
# runs the answers and the golden, hostile-input and engine tests on the compiled modules (in a
# run of its own, marked by CDSS_TEST_COMPILED=1), unless the caller asked for CDSS_NATIVE=0.
NATIVE_ASKED = os.environ.get("CDSS_NATIVE", "auto")
if os.environ.get("CDSS_TEST_COMPILED") != "1":
    os.environ["CDSS_NATIVE"] = "0"

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import json_format

from cdss._proto import case_pb2, foot_drop_service_pb2, foot_drop_service_pb2_grpc
from cdss.config import ServerConfig
from cdss.convert import case_from_proto
from cdss.evaluator import Evaluator
from cdss.facts import Case
from cdss.server import RunningServer, build_server

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--cdss-target", default=None, help="run the gRPC tests against a deployed server HOST:PORT"
    )


@pytest.fixture(scope="session")
def evaluator() -> Iterator[Evaluator]:
    ev = Evaluator.from_directory()
    yield ev
    ev.close()


@pytest.fixture(scope="session")
def running_server(evaluator: Evaluator) -> Iterator[RunningServer]:
    running = build_server(ServerConfig(bind="127.0.0.1", port=0, threads=8), evaluator)
    running.server.start()
    yield running
    running.server.stop(None).wait()


@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest, running_server: RunningServer) -> str:
    configured: str | None = request.config.getoption("--cdss-target")
    return configured or f"127.0.0.1:{running_server.port}"


@pytest.fixture
def channel(target: str) -> Iterator[grpc.Channel]:
    with grpc.insecure_channel(target) as ch:
        yield ch


@pytest.fixture
def stub(channel: grpc.Channel) -> foot_drop_service_pb2_grpc.FootDropDecisionSupportStub:
    return foot_drop_service_pb2_grpc.FootDropDecisionSupportStub(channel)


def case_message(data: dict[str, Any]) -> case_pb2.Case:
    return json_format.Parse(json.dumps(data), case_pb2.Case())


def case_facts(data: dict[str, Any]) -> Case:
    return case_from_proto(case_message(data))


def evaluate_request(data: dict[str, Any]) -> foot_drop_service_pb2.EvaluateRequest:
    return foot_drop_service_pb2.EvaluateRequest(case=case_message(data))


EXAMPLE_PATH = ROOT / "examples" / "peroneal-compression.json"
PERONEAL_CASE: dict[str, Any] = json.loads(EXAMPLE_PATH.read_text())
