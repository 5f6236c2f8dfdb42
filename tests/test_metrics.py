"""Prometheus metrics at /metrics, summed over the worker processes; versions on every call."""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import socket
import time
import urllib.request
from typing import Any

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from cdss._proto import decision_pb2, foot_drop_service_pb2, foot_drop_service_pb2_grpc
from cdss.answer import respond
from cdss.decision import Detail
from cdss.evaluator import Evaluator
from cdss.logs import JsonFormatter
from cdss.version import SOFTWARE_VERSION
from tests.conftest import PERONEAL_CASE, evaluate_request
from tests.golden import CASES_DIR, REVIEW_DIR, load_cases
from tests.serving import server_process

EVALUATE = "/cdss.v1.FootDropDecisionSupport/Evaluate"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as reply:
        assert reply.headers["Content-Type"].startswith("text/plain")
        text: str = reply.read().decode()
        return text


def _value(text: str, name: str, **labels: str) -> float:
    """The sample's value (0 when absent); labels must match those given."""
    total = 0.0
    for line in text.splitlines():
        m = re.match(rf"^{name}(?:\{{(.*)\}})? (\S+)$", line)
        if not m:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1) or ""))
        if all(found.get(k) == v for k, v in labels.items()):
            total += float(m.group(2))
    return total


def _wait_for(predicate, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.mark.slow
def test_metrics_endpoint_sums_the_workers_and_survives_a_restart() -> None:
    port = _free_port()
    with server_process("--metrics-port", str(port), workers=2) as server:
        with grpc.insecure_channel(server.address) as channel:
            stub = foot_drop_service_pb2_grpc.FootDropDecisionSupportStub(channel)
            bad = evaluate_request(PERONEAL_CASE)
            bad.case.exam.left.ankle_dorsiflexion = 9
            for _ in range(6):  # new connections spread over the workers
                with grpc.insecure_channel(server.address) as c:
                    s = foot_drop_service_pb2_grpc.FootDropDecisionSupportStub(c)
                    s.Evaluate(evaluate_request(PERONEAL_CASE), timeout=30)
            with pytest.raises(grpc.RpcError):
                stub.Evaluate(bad, timeout=30)
        text = _scrape(port)
        assert _value(text, "cdss_requests_total", method=EVALUATE, code="OK") == 6
        assert _value(text, "cdss_requests_total", method=EVALUATE, code="INVALID_ARGUMENT") == 1
        assert _value(text, "cdss_request_duration_seconds_count", method=EVALUATE) == 7
        assert _value(text, "cdss_alerts_total", kind="ALERT_KIND_ROUTINE_REVIEW") == 6
        assert _value(text, "cdss_rule_firings_total", rule="R27") == 6
        assert _value(text, "cdss_worker_processes") == 2
        assert _value(text, "cdss_worker_restarts_total", reason="died") == 0
        assert _value(text, "cdss_build_info", version=SOFTWARE_VERSION) == 2
        assert "# TYPE cdss_request_duration_seconds histogram" in text
        # a worker dies: it is replaced, counted, and what it counted stays in the sum
        victim = server.workers()[0]
        os.kill(victim, signal.SIGKILL)
        _wait_for(
            lambda: _value(_scrape(port), "cdss_worker_restarts_total", reason="died") == 1,
            "the restart to be counted",
        )
        server.wait_for_workers(2, exclude={victim})
        _wait_for(lambda: _value(_scrape(port), "cdss_worker_processes") == 2, "2 workers")
        text = _scrape(port)
        assert _value(text, "cdss_requests_total", method=EVALUATE, code="OK") == 6


def test_every_call_carries_the_software_and_rule_base_versions(
    stub: foot_drop_service_pb2_grpc.FootDropDecisionSupportStub, channel: grpc.Channel
) -> None:
    response, call = stub.Evaluate.with_call(evaluate_request(PERONEAL_CASE), timeout=10)
    metadata = dict(call.initial_metadata())
    assert metadata["cdss-version"] == SOFTWARE_VERSION == response.software_version
    assert metadata["cdss-rulebase-hash"] == response.ruleset_version.content_hash
    assert metadata["cdss-rulebase-version"] == response.ruleset_version.version
    health = health_pb2_grpc.HealthStub(channel)
    _, call = health.Check.with_call(health_pb2.HealthCheckRequest(service=""), timeout=10)
    assert dict(call.initial_metadata())["cdss-rulebase-hash"].startswith("sha256:")
    _, call = stub.Ping.with_call(foot_drop_service_pb2.PingRequest(), timeout=10)
    assert dict(call.initial_metadata())["cdss-version"] == SOFTWARE_VERSION


def test_json_log_lines_hold_the_message_and_its_fields() -> None:
    record = logging.LogRecord(
        "cdss.access", logging.INFO, __file__, 1, "evaluate %s %s", ("ok", "case_id=x ms=1.5"), None
    )
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "evaluate ok case_id=x ms=1.5"
    assert line["fields"] == {"case_id": "x", "ms": "1.5"}
    assert line["level"] == "INFO" and line["version"] == SOFTWARE_VERSION


@pytest.mark.slow
def test_serve_logs_json_lines_without_patient_data() -> None:
    with server_process("--log-format", "json", workers=1) as server:
        data = dict(PERONEAL_CASE, case_id="opaque-42")
        with grpc.insecure_channel(server.address) as channel:
            stub = foot_drop_service_pb2_grpc.FootDropDecisionSupportStub(channel)
            stub.Evaluate(evaluate_request(data), timeout=30)
        _wait_for(lambda: "opaque-42" in server.log(), "the access log line")
        lines = [json.loads(line) for line in server.log().splitlines() if line.startswith("{")]
    assert lines and all({"time", "level", "logger", "message"} <= set(x) for x in lines)
    access = [x for x in lines if x["logger"] == "cdss.access"]
    assert access[0]["fields"]["case_id"] == "opaque-42"
    text = json.dumps(lines)
    for secret in ("ankle", "PERONEAL", "SIDE_LEFT"):
        assert secret not in text


def _rules_in_response(response: foot_drop_service_pb2.EvaluateResponse) -> set[str]:
    """The rules behind the items of a response, read off the message as a client would."""
    rules: set[str] = set()
    for items in (response.alerts, response.tests, response.treatments, response.requests):
        for item in items:
            rules.update(item.rule_ids)
    for cause in response.causes:
        rules.update(ref.rule_id for ref in (*cause.supporting, *cause.against))
    for held in response.withheld:
        rules.update(held.rule_ids)
    return rules


def test_the_answer_metrics_count_what_the_response_shows(
    evaluator: Evaluator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The servers count alerts and rules from the Decision (cheaper than walking the
    message): for every golden and review case at every level, the same alerts (kind and
    urgency) and the same rules as the response carries."""
    from cdss import metrics

    counted: list[tuple[str, tuple[str, ...]]] = []
    monkeypatch.setattr(
        metrics, "child", lambda metric, *labels: _Recorder(counted, metric, labels)
    )
    cases = load_cases(CASES_DIR) + load_cases(REVIEW_DIR)
    for golden in cases:
        for level in (Detail.SUMMARY, Detail.STANDARD, Detail.FULL):
            request = foot_drop_service_pb2.EvaluateRequest(case=golden.case)
            counted.clear()
            decision, response = respond(evaluator, request, 1 << 20, level)
            metrics.observe_decision(decision)
            alerts = sorted(labels for name, labels in counted if name == "cdss_alerts")
            rules = {labels[0] for name, labels in counted if name == "cdss_rule_firings"}
            shown = sorted(
                (decision_pb2.AlertKind.Name(a.kind), decision_pb2.Urgency.Name(a.urgency))
                for a in response.alerts
            )
            assert alerts == shown, golden.stem
            assert rules == _rules_in_response(response), golden.stem


class _Recorder:
    def __init__(
        self, out: list[tuple[str, tuple[str, ...]]], metric: Any, labels: tuple[str, ...]
    ):
        self.out, self.name, self.labels = out, metric._name, labels

    def inc(self) -> None:
        self.out.append((self.name, self.labels))
