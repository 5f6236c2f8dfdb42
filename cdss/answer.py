"""One request to its response, without gRPC: shared by the servicer and audit replay."""

from __future__ import annotations

from cdss._proto import foot_drop_service_pb2
from cdss.convert import case_from_proto, detail_from_proto, response_from_decision
from cdss.decision import Decision, Detail
from cdss.errors import CaseError, FieldViolation
from cdss.evaluator import Evaluator
from cdss.version import SOFTWARE_VERSION


def answer(
    evaluator: Evaluator,
    request: foot_drop_service_pb2.EvaluateRequest,
    max_case_bytes: int,
    detail: Detail | None = None,
) -> foot_drop_service_pb2.EvaluateResponse:
    """The response to one request, or a CdssError (shared by the servicer and audit replay).
    The request's detail level applies unless `detail` overrides it (a replay rebuilding FULL)."""
    return respond(evaluator, request, max_case_bytes, detail)[1]


def respond(
    evaluator: Evaluator,
    request: foot_drop_service_pb2.EvaluateRequest,
    max_case_bytes: int,
    detail: Detail | None = None,
) -> tuple[Decision, foot_drop_service_pb2.EvaluateResponse]:
    """`answer`, with the Decision the response was built from (the servers count its alerts
    and rules in their metrics, from the plain values rather than the message)."""
    if not request.HasField("case"):
        raise CaseError([FieldViolation("case", "is required")])
    size = request.case.ByteSize()
    if size > max_case_bytes:
        raise CaseError([FieldViolation("case", f"is {size} bytes; the limit is {max_case_bytes}")])
    level = detail_from_proto(request) if detail is None else detail
    decision = evaluator.evaluate(case_from_proto(request.case), level)
    response = response_from_decision(decision)
    response.software_version = SOFTWARE_VERSION
    return decision, response
