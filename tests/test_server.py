"""The server: health, reflection, Ping, GetRuleBase, concurrency and graceful shutdown."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import grpc
from google.protobuf import descriptor_pool
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)

from cdss._proto import foot_drop_service_pb2, foot_drop_service_pb2_grpc
from cdss.config import ServerConfig
from cdss.decision import Detail
from cdss.evaluator import Evaluator
from cdss.server import SERVICE_NAME, build_server, create_server
from tests.golden import load_cases

Stub = foot_drop_service_pb2_grpc.FootDropDecisionSupportStub


def test_health_reports_serving(channel: grpc.Channel) -> None:
    health = health_pb2_grpc.HealthStub(channel)
    for service in ("", SERVICE_NAME):
        reply = health.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
        assert reply.status == health_pb2.HealthCheckResponse.SERVING


def test_reflection_lists_the_service_and_its_methods(channel: grpc.Channel) -> None:
    database = ProtoReflectionDescriptorDatabase(channel)
    services = set(database.get_services())
    assert {SERVICE_NAME, "grpc.health.v1.Health"} <= services
    pool = descriptor_pool.DescriptorPool(database)
    service = pool.FindServiceByName(SERVICE_NAME)
    assert {m.name for m in service.methods} == {"Evaluate", "GetRuleBase", "Ping"}
    case = pool.FindMessageTypeByName("cdss.v1.Case")
    assert "exam" in case.fields_by_name


def test_ping(stub: Stub) -> None:
    stub.Ping(foot_drop_service_pb2.PingRequest(), timeout=5)


def test_get_rule_base(stub: Stub, evaluator: Evaluator) -> None:
    reply = stub.GetRuleBase(foot_drop_service_pb2.GetRuleBaseRequest(), timeout=5)
    rb = evaluator.compiled.rulebase
    assert reply.ruleset_version.content_hash == rb.content_hash
    assert len(reply.rules) == len(rb.rules)
    first = reply.rules[0]
    assert first.id and first.title and first.version >= 1 and first.source.startswith("[")


def test_concurrent_evaluations_equal_sequential(stub: Stub) -> None:
    cases = [g.case for g in load_cases()[:50]]
    requests = [foot_drop_service_pb2.EvaluateRequest(case=c) for c in cases]
    sequential = [stub.Evaluate(r, timeout=10) for r in requests]
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(lambda r: stub.Evaluate(r, timeout=30), requests))
    assert len(concurrent) == 50
    assert concurrent == sequential


def test_graceful_shutdown_lets_in_flight_calls_finish(evaluator: Evaluator) -> None:
    running = build_server(ServerConfig(bind="127.0.0.1", port=0, threads=4), evaluator)
    running.server.start()
    address = f"127.0.0.1:{running.port}"
    started = threading.Event()
    original = evaluator.evaluate
    results: list[object] = []

    def slow_evaluate(case, detail=Detail.FULL):
        started.set()
        time.sleep(0.5)
        return original(case, detail)

    evaluator.evaluate = slow_evaluate  # type: ignore[method-assign]
    try:
        with grpc.insecure_channel(address) as channel:
            stub = foot_drop_service_pb2_grpc.FootDropDecisionSupportStub(channel)
            request = foot_drop_service_pb2.EvaluateRequest(case=load_cases()[0].case)
            call = threading.Thread(
                target=lambda: results.append(stub.Evaluate(request, timeout=10))
            )
            call.start()
            assert started.wait(5)
            done = running.stop(grace=5)
            call.join(10)
            assert done.wait(10)
            health = health_pb2_grpc.HealthStub(channel)
            try:
                health.Check(health_pb2.HealthCheckRequest(service=""), timeout=1)
                refused = False
            except grpc.RpcError:
                refused = True
    finally:
        evaluator.evaluate = original  # type: ignore[method-assign]
    assert len(results) == 1 and results[0].causes  # type: ignore[attr-defined]
    assert refused


def test_create_server_returns_the_bound_port(evaluator: Evaluator) -> None:
    server, port = create_server(ServerConfig(bind="127.0.0.1", port=0, threads=1), evaluator)
    server.start()
    try:
        assert port > 0
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = foot_drop_service_pb2_grpc.FootDropDecisionSupportStub(channel)
            stub.Ping(foot_drop_service_pb2.PingRequest(), timeout=5)
    finally:
        server.stop(None).wait()
