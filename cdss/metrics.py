"""Prometheus metrics, and the software and rule-base version on every call's metadata.

`Observer` is the server's outermost interceptor: for every call (Evaluate, GetRuleBase,
Ping, health, reflection, admin, and the calls the admission gate refuses) it counts the
outcome by method and status code, times it, and sends the initial metadata
``cdss-version`` (the software), ``cdss-rulebase-version`` and ``cdss-rulebase-hash``. Each
Evaluate answer (gRPC or HTTP) also counts its alerts by kind and urgency and the rules behind
its items (`observe_decision`, called by the servicer and the HTTP adapter with the Decision
the response was built from).
`TimedStore` times each audit write.

Across the supervisor's worker processes the metrics are multiprocess-safe: the supervisor
sets ``PROMETHEUS_MULTIPROC_DIR`` to a fresh directory before any worker starts (and before
prometheus_client is imported), every process writes its values there, and the supervisor
serves ``/metrics`` on ``--metrics-port`` by adding them up (cdss/supervisor.py); a dead
worker's counts stay in the total. Labels carry codes, kinds and rule ids, never case data.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import grpc
from prometheus_client import Counter, Gauge, Histogram

from cdss.audit import AuditRecord, Entry, Store
from cdss.decision import Decision
from cdss.version import SOFTWARE_VERSION

LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10)
REQUESTS = Counter(
    "cdss_requests", "Calls by method and gRPC status code", ["method", "code"]
)  # fmt: skip
LATENCY = Histogram(
    "cdss_request_duration_seconds",
    "Time from the call's handler starting to its answer or status",
    ["method"],
    buckets=LATENCY_BUCKETS,
)
ALERTS = Counter(
    "cdss_alerts", "Alerts raised in answers, by kind and urgency", ["kind", "urgency"]
)
RULE_FIRINGS = Counter(
    "cdss_rule_firings", "Answers in which a rule fired and stands behind an item", ["rule"]
)
AUDIT_WRITE = Histogram(
    "cdss_audit_write_duration_seconds",
    "Time to commit one audit record",
    buckets=LATENCY_BUCKETS,
)
AUDIT_FAILURES = Counter("cdss_audit_write_failures", "Audit writes that failed")
WORKER_RESTARTS = Counter(
    "cdss_worker_restarts", "Worker processes replaced after dying or freezing", ["reason"]
)
WORKERS = Gauge(
    "cdss_worker_processes", "Worker processes serving", multiprocess_mode="livesum"
)  # fmt: skip
BUILD = Gauge(
    "cdss_build_info",
    "The software and rule base this process serves (value 1)",
    ["version", "rulebase_version", "rulebase_hash"],
    multiprocess_mode="liveall",
)

Behaviour = Callable[[Any, grpc.ServicerContext], Any]

if TYPE_CHECKING:
    _Interceptor = grpc.ServerInterceptor[Any, Any]
else:  # grpc's runtime class is not generic; its stubs are
    _Interceptor = grpc.ServerInterceptor


def _code(context: grpc.ServicerContext, failed: bool) -> str:
    code = context.code()  # type: ignore[attr-defined]  # set by abort (grpcio >= 1.38)
    if isinstance(code, grpc.StatusCode):
        return code.name
    return "UNKNOWN" if failed else "OK"


_CHILDREN: dict[tuple[object, tuple[str, ...]], Any] = {}


def child(metric: Any, *labels: str) -> Any:
    """The metric's child for these label values, made once (`labels()` takes a lock and
    builds its key on every call; the label values are methods, codes, kinds and rule ids,
    a fixed set)."""
    key = (metric, labels)
    found = _CHILDREN.get(key)
    if found is None:
        found = _CHILDREN[key] = metric.labels(*labels)
    return found


def observe_decision(decision: Decision) -> None:
    """Count an Evaluate answer's alerts and the rules behind its items (once per answer),
    from the Decision its response was built from."""
    for alert in decision.alerts:
        child(ALERTS, alert.kind.value, alert.urgency.value).inc()
    rules: set[str] = set()
    for items in (decision.alerts, decision.tests, decision.treatments, decision.requests):
        for item in items:
            rules.update(item.rule_ids)
    for cause in decision.causes:
        rules.update(ref.rule_id for ref in cause.supporting)
        rules.update(ref.rule_id for ref in cause.against)
    for held in decision.withheld:
        rules.update(held.rule_ids)
    for rule in rules:
        child(RULE_FIRINGS, rule).inc()


class Observer(_Interceptor):
    """Counts, times and labels every call (see the module docstring)."""

    def __init__(self, rulebase_version: str, rulebase_hash: str) -> None:
        self.metadata = (
            ("cdss-version", SOFTWARE_VERSION),
            ("cdss-rulebase-version", rulebase_version),
            ("cdss-rulebase-hash", rulebase_hash),
        )
        BUILD.labels(SOFTWARE_VERSION, rulebase_version, rulebase_hash).set(1)
        # per method, the handler grpc gave and its wrapper (made once, not per call)
        self._wrapped: dict[str, tuple[Any, grpc.RpcMethodHandler[Any, Any]]] = {}

    def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], grpc.RpcMethodHandler[Any, Any] | None],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Any, Any] | None:
        handler = continuation(handler_call_details)
        if handler is None:
            return None
        method: str = handler_call_details.method
        made = self._wrapped.get(method)
        if made is not None and made[0] is handler:  # the same handler as last time: reuse
            return made[1]
        wrapped = self._wrap(method, handler)
        self._wrapped[method] = (handler, wrapped)
        return wrapped

    def _wrap(
        self, method: str, handler: grpc.RpcMethodHandler[Any, Any]
    ) -> grpc.RpcMethodHandler[Any, Any]:
        kinds = {
            "unary_unary": grpc.unary_unary_rpc_method_handler,
            "unary_stream": grpc.unary_stream_rpc_method_handler,
            "stream_unary": grpc.stream_unary_rpc_method_handler,
            "stream_stream": grpc.stream_stream_rpc_method_handler,
        }
        for kind, make in kinds.items():
            behaviour = getattr(handler, kind)
            if behaviour is not None:
                wrap = self._streaming if handler.response_streaming else self._unary
                result: grpc.RpcMethodHandler[Any, Any] = make(
                    wrap(method, behaviour),
                    request_deserializer=handler.request_deserializer,
                    response_serializer=handler.response_serializer,
                )
                return result
        return handler

    def _unary(self, method: str, behaviour: Behaviour) -> Behaviour:
        def call(request: Any, context: grpc.ServicerContext) -> Any:
            started = time.perf_counter()
            context.send_initial_metadata(self.metadata)
            failed = True
            try:
                response = behaviour(request, context)
                failed = False
            finally:
                child(LATENCY, method).observe(time.perf_counter() - started)
                child(REQUESTS, method, _code(context, failed)).inc()
            return response

        return call

    def _streaming(self, method: str, behaviour: Behaviour) -> Behaviour:
        def call(request: Any, context: grpc.ServicerContext) -> Iterator[Any]:
            started = time.perf_counter()
            context.send_initial_metadata(self.metadata)
            failed = True
            try:
                yield from behaviour(request, context)
                failed = False
            finally:
                child(LATENCY, method).observe(time.perf_counter() - started)
                child(REQUESTS, method, _code(context, failed)).inc()

        return call


class TimedStore:
    """An audit store whose writes are timed (and counted when they fail)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.server = store.server

    @property
    def path(self) -> Path | str:
        return self.store.path

    def record(self, entry: Entry) -> int:
        started = time.perf_counter()
        try:
            return self.store.record(entry)
        except Exception:
            AUDIT_FAILURES.inc()
            raise
        finally:
            AUDIT_WRITE.observe(time.perf_counter() - started)

    def record_many(self, entries: list[Entry]) -> list[int]:
        started = time.perf_counter()
        try:
            return self.store.record_many(entries)
        finally:
            AUDIT_WRITE.observe(time.perf_counter() - started)

    def get(self, record_id: int) -> AuditRecord:
        return self.store.get(record_id)

    def latest(self, limit: int) -> list[AuditRecord]:
        return self.store.latest(limit)

    def count(self) -> int:
        return self.store.count()

    def case_ids(self) -> set[str]:
        return self.store.case_ids()

    def rulebase_texts(self, content_hash: str) -> dict[str, str]:
        return self.store.rulebase_texts(content_hash)

    def close(self) -> None:
        self.store.close()
