"""The gRPC servicer: the only code that touches protobuf request and response types.

Each method is three steps: convert the request to plain facts, ask the evaluator, convert
the answer back. Errors go through cdss.grpc_errors; logs carry the case id, a hash of the
case and timings, never its content.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time

import grpc

from cdss._proto import decision_pb2, foot_drop_service_pb2, foot_drop_service_pb2_grpc
from cdss.config import MAX_CASE_BYTES
from cdss.convert import case_from_proto, response_from_decision
from cdss.errors import CaseError, FieldViolation
from cdss.evaluator import Evaluator
from cdss.grpc_errors import abort, status_code

log = logging.getLogger("cdss.access")
_SAFE_ID = re.compile(r"[^A-Za-z0-9_.:-]")


def loggable_id(case_id: str) -> str:
    """The caller's opaque case id, cut and stripped of anything that is not an id character."""
    return _SAFE_ID.sub("?", case_id[:64])


class FootDropServicer(foot_drop_service_pb2_grpc.FootDropDecisionSupportServicer):
    def __init__(self, evaluator: Evaluator, max_case_bytes: int = MAX_CASE_BYTES) -> None:
        self.evaluator = evaluator
        self.max_case_bytes = max_case_bytes

    def Evaluate(  # noqa: N802 - gRPC method name
        self, request: foot_drop_service_pb2.EvaluateRequest, context: grpc.ServicerContext
    ) -> foot_drop_service_pb2.EvaluateResponse:
        started = time.perf_counter()
        raw = request.case.SerializeToString(deterministic=True)
        digest = hashlib.sha256(raw).hexdigest()[:16]
        error: BaseException | None = None
        try:
            if not request.HasField("case"):
                raise CaseError([FieldViolation("case", "is required")])
            if len(raw) > self.max_case_bytes:
                raise CaseError(
                    [
                        FieldViolation(
                            "case", f"is {len(raw)} bytes; the limit is {self.max_case_bytes}"
                        )
                    ]
                )
            decision = self.evaluator.evaluate(case_from_proto(request.case))
            response = response_from_decision(decision)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a status, never a crash
            error = exc
        ms = (time.perf_counter() - started) * 1000
        case_id = loggable_id(request.case.case_id)
        if error is None:
            log.info("evaluate ok case_id=%s case_sha256=%s ms=%.2f", case_id, digest, ms)
            return response
        code = status_code(error)
        if code == grpc.StatusCode.INTERNAL:
            log.error(
                "evaluate failed case_id=%s case_sha256=%s ms=%.2f error=%s",
                case_id,
                digest,
                ms,
                type(error).__name__,
            )
        else:
            log.info(
                "evaluate rejected case_id=%s case_sha256=%s ms=%.2f status=%s",
                case_id,
                digest,
                ms,
                code.name,
            )
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
