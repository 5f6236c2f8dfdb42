"""The gRPC servicer: the only code that touches protobuf request and response types.

Evaluate is three steps: convert the request to plain facts, ask the evaluator, convert the
answer back. It receives the request as raw bytes (see `register`), so that even bytes that
are not an EvaluateRequest end as INVALID_ARGUMENT naming the request, not as an opaque
INTERNAL from the framework. Errors go through cdss.grpc_errors; logs carry the case id, a
hash of the case, the caller's name and timings, never the case's content. With an audit
store, every call is recorded before its answer is returned.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from typing import Any

import grpc
from google.protobuf.message import DecodeError

from cdss._proto import decision_pb2, foot_drop_service_pb2, foot_drop_service_pb2_grpc
from cdss.answer import respond
from cdss.audit import AuditError, Entry, RefusalLog, Store
from cdss.auth import Authenticator, caller_name
from cdss.config import MAX_CASE_BYTES
from cdss.decision import Decision
from cdss.errors import Cancelled, CaseError, DeadlineExceeded, FieldViolation
from cdss.evaluator import Evaluator
from cdss.grpc_errors import abort, status_code
from cdss.metrics import observe_decision

log = logging.getLogger("cdss.access")
_SAFE_ID = re.compile(r"[^A-Za-z0-9_.:-]")
SERVICE = "cdss.v1.FootDropDecisionSupport"


def loggable_id(case_id: str) -> str:
    """The caller's opaque case id, cut and stripped of anything that is not an id character."""
    return _SAFE_ID.sub("?", case_id[:64])


def parse_request(data: bytes) -> foot_drop_service_pb2.EvaluateRequest:
    try:
        return foot_drop_service_pb2.EvaluateRequest.FromString(data)
    except DecodeError as exc:
        raise CaseError(
            [FieldViolation("request", f"is not a valid {SERVICE}.Evaluate request: {exc}")]
        ) from exc


class FootDropServicer(foot_drop_service_pb2_grpc.FootDropDecisionSupportServicer):
    def __init__(
        self,
        evaluator: Evaluator,
        max_case_bytes: int = MAX_CASE_BYTES,
        audit: Store | None = None,
        authenticator: Authenticator | None = None,
        threads: int = 4,
    ) -> None:
        self.evaluator = evaluator
        self.max_case_bytes = max_case_bytes
        self.audit = audit
        self.authenticator = authenticator
        self._slots = threading.BoundedSemaphore(threads)  # calls evaluating at once
        self.refusals = RefusalLog(audit) if audit is not None else None

    def close(self) -> None:
        """Write the refused calls still waiting (the server has stopped)."""
        if self.refusals is not None:
            self.refusals.close()

    def record_refused(self, method: str, caller: str, status: str, reason: str) -> None:
        """Audit a call refused before its handler ran (no token, no grant, request never
        arrived): the method, caller and status, never the token; the request was not read.
        Recorded in batches within a fraction of a second (cdss.audit.RefusalLog)."""
        log.info("%s %s caller=%s reason=%s", method.rsplit("/", 1)[-1], status, caller, reason)
        if self.refusals is not None:
            rulebase = self.evaluator.compiled.rulebase
            self.refusals.add(Entry(rulebase, caller, "", "", status, b"", None, 0.0, method))

    def Evaluate(  # noqa: N802 - gRPC method name
        self, request: foot_drop_service_pb2.EvaluateRequest, context: grpc.ServicerContext
    ) -> foot_drop_service_pb2.EvaluateResponse:
        return self.evaluate_bytes(request.SerializeToString(deterministic=True), context)

    def evaluate_bytes(
        self, data: bytes, context: grpc.ServicerContext
    ) -> foot_drop_service_pb2.EvaluateResponse:
        started = time.perf_counter()
        caller = caller_name(self.authenticator, context)
        request = foot_drop_service_pb2.EvaluateRequest()
        decision: Decision | None = None
        response: foot_drop_service_pb2.EvaluateResponse | None = None
        error: BaseException | None = None
        try:
            request = parse_request(data)
            remaining = context.time_remaining()
            if remaining is not None and remaining <= 0:
                raise DeadlineExceeded("the deadline passed before evaluation started")
            with self._slots:
                decision, response = respond(self.evaluator, request, self.max_case_bytes)
            if not context.is_active():
                remaining = context.time_remaining()
                if remaining is not None and remaining <= 0:
                    raise DeadlineExceeded("the deadline passed during evaluation")
                raise Cancelled("the caller cancelled the call during evaluation")
        except Exception as exc:  # noqa: BLE001 - every failure becomes a status, never a crash
            error = exc
        raw = request.case.SerializeToString(deterministic=True)
        digest = hashlib.sha256(raw).hexdigest()[:16]
        case_id = loggable_id(request.case.case_id)
        ms = (time.perf_counter() - started) * 1000
        status = "OK" if error is None else status_code(error).name
        if self.audit is not None:
            try:
                self.audit.record(
                    Entry(
                        rulebase=self.evaluator.compiled.rulebase,
                        caller=caller,
                        case_id=request.case.case_id,
                        case_sha256=digest,
                        status=status,
                        request=request.SerializeToString(deterministic=True),
                        response=response.SerializeToString(deterministic=True)
                        if response
                        else None,
                        duration_ms=ms,
                    )
                )
            except AuditError as exc:
                cause = type(exc.__cause__).__name__ if exc.__cause__ else type(exc).__name__
                log.error(
                    "audit failed case_id=%s case_sha256=%s error=%s: answer withheld",
                    case_id,
                    digest,
                    cause,  # the database's message may quote the row: not logged, not sent
                )
                error = AuditError("the audit store cannot record this call; retry")
                status = "UNAVAILABLE"
        fields: dict[str, Any] = {
            "case_id": case_id,
            "case_sha256": digest,
            "caller": caller,
            "ms": f"{ms:.2f}",
        }
        text = " ".join(f"{k}={v}" for k, v in fields.items())
        if error is None:
            assert decision is not None and response is not None
            observe_decision(decision)
            log.info("evaluate ok %s", text)
            return response
        if status == "INTERNAL":
            log.error("evaluate failed %s error=%s", text, type(error).__name__)
        else:
            log.info("evaluate %s %s", status, text)
        abort(context, error)
        raise AssertionError("unreachable: abort raises")  # pragma: no cover

    def GetRuleBase(  # noqa: N802 - gRPC method name
        self, request: foot_drop_service_pb2.GetRuleBaseRequest, context: grpc.ServicerContext
    ) -> foot_drop_service_pb2.GetRuleBaseResponse:
        compiled = self.evaluator.compiled
        rb = compiled.rulebase
        strata = {c.rule.id: s.index for s in compiled.strata for c in s.rules}
        response = foot_drop_service_pb2.GetRuleBaseResponse(
            ruleset_version=decision_pb2.RulesetVersion(
                version=rb.meta.version, content_hash=rb.content_hash
            ),
            intended_use=rb.meta.intended_use,
        )
        for r in rb.rules:
            response.rules.add(
                id=r.id,
                title=r.title,
                version=r.version,
                source=rb.citation(r),
                status=r.status,
                stratum=strata.get(r.id, 0),
                conclusions=[c.describe() for c in r.then],
                rationale=r.rationale,
                file=r.file,
            )
        return response

    def Ping(  # noqa: N802 - gRPC method name
        self, request: foot_drop_service_pb2.PingRequest, context: grpc.ServicerContext
    ) -> foot_drop_service_pb2.PingResponse:
        return foot_drop_service_pb2.PingResponse()


def register(servicer: FootDropServicer, server: grpc.Server) -> None:
    """Add the service to the server, Evaluate taking raw bytes (parsed by the servicer)."""
    pb = foot_drop_service_pb2
    handlers = {
        "Evaluate": grpc.unary_unary_rpc_method_handler(
            servicer.evaluate_bytes,
            request_deserializer=lambda data: data,
            response_serializer=pb.EvaluateResponse.SerializeToString,
        ),
        "GetRuleBase": grpc.unary_unary_rpc_method_handler(
            servicer.GetRuleBase,
            request_deserializer=pb.GetRuleBaseRequest.FromString,
            response_serializer=pb.GetRuleBaseResponse.SerializeToString,
        ),
        "Ping": grpc.unary_unary_rpc_method_handler(
            servicer.Ping,
            request_deserializer=pb.PingRequest.FromString,
            response_serializer=pb.PingResponse.SerializeToString,
        ),
    }
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, handlers),))
